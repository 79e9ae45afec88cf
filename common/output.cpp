#include "output.h"

#include "json.h"

namespace cari {

namespace {
void field(std::string& out, const char* key, const std::string& v, bool null_when_empty = false) {
    out += ',';
    json::write_string(out, key);
    out += ':';
    if (null_when_empty && v.empty()) out += "null";
    else json::write_string(out, v);
}
} // namespace

std::string article_json(const Article& a) {
    std::string out = "{\"path\":";
    json::write_string(out, a.path);
    if (a.line) out += ",\"line\":" + std::to_string(a.line);
    field(out, "id", a.id);
    field(out, "title", a.title);
    field(out, "date", a.date, true);
    field(out, "source", a.source);
    field(out, "author", a.author);
    field(out, "url", a.url);
    field(out, "body", a.body());
    out += ",\"dropped\":[";
    for (std::size_t i = 0; i < a.dropped.size(); ++i) {
        const auto& d = a.dropped[i];
        if (i) out += ',';
        out += "{\"line\":" + std::to_string(d.line) + ",\"text\":";
        json::write_string(out, d.text);
        out += ",\"reason\":";
        json::write_string(out, d.reason);
        out += '}';
    }
    out += "]}";
    return out;
}

} // namespace cari
