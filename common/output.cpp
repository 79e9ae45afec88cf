#include "output.h"

#include "dates.h"
#include "json.h"

#include <cmath>
#include <cstdio>

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
    out += "],\"notes\":[";
    for (std::size_t i = 0; i < a.notes.size(); ++i) {
        if (i) out += ',';
        json::write_string(out, a.notes[i]);
    }
    out += "]}";
    return out;
}

namespace {
// JSON has no infinity or NaN: such a value (a weighting scheme's overflow) is null.
std::string number(double v, int decimals) {
    if (!std::isfinite(v)) return "null";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}
} // namespace

std::string search_json(const SearchResult& r) {
    std::string out = "{\"query\":";
    json::write_string(out, r.query);
    out += ",\"parsed\":";
    json::write_string(out, r.parsed.parsed);
    out += ",\"total\":" + std::to_string(r.total);
    out += std::string(",\"total_exact\":") + (r.total_exact ? "true" : "false");
    out += ",\"took_ms\":" + number(r.took_ms, 3);
    out += ",\"suggestion\":";
    if (r.suggestion) json::write_string(out, *r.suggestion);
    else out += "null";
    out += ",\"hits\":[";
    for (std::size_t i = 0; i < r.hits.size(); ++i) {
        const Hit& h = r.hits[i];
        if (i) out += ',';
        out += "{\"rank\":" + std::to_string(h.rank);
        field(out, "id", h.doc.id);
        field(out, "path", h.doc.path);
        field(out, "title", h.doc.title);
        field(out, "date", h.doc.date, true);
        field(out, "source", h.doc.source);
        out += ",\"score\":" + number(h.score, 4);
        field(out, "snippet", render_marked(h.snippet));
        out += ",\"highlights\":[";
        for (std::size_t k = 0; k < h.snippet.highlights.size(); ++k) {
            if (k) out += ',';
            out.append(1, '[').append(std::to_string(h.snippet.highlights[k].first)).append(1, ',');
            out.append(std::to_string(h.snippet.highlights[k].second)).append(1, ']');
        }
        out += "],\"plain_snippet\":";
        json::write_string(out, h.snippet.text);
        out += ",\"duplicates\":" + std::to_string(h.duplicate_ids.size()) + ",\"duplicate_ids\":[";
        for (std::size_t k = 0; k < h.duplicate_ids.size(); ++k) {
            if (k) out += ',';
            json::write_string(out, h.duplicate_ids[k]);
        }
        out += "]}";
    }
    out += "],\"notes\":[";
    for (std::size_t i = 0; i < r.parsed.notes.size(); ++i) {
        if (i) out += ',';
        json::write_string(out, r.parsed.notes[i]);
    }
    out += "]";
    if (r.partial) {
        // Only when shards are missing (--allow-partial): the other fields are as ever.
        out += ",\"partial\":true,\"missing_shards\":[";
        for (std::size_t i = 0; i < r.missing_shards.size(); ++i) {
            if (i) out += ',';
            json::write_string(out, r.missing_shards[i]);
        }
        out += "]";
    }
    out += "}";
    return out;
}

std::string search_human(const SearchResult& r, bool color, bool count_only) {
    const char* bold = color ? "\x1b[1m" : "";
    const char* dim = color ? "\x1b[2m" : "";
    const char* reset = color ? "\x1b[0m" : "";
    std::string out;
    if (r.partial) {
        std::string names;
        for (const auto& m : r.missing_shards) names += (names.empty() ? "" : ", ") + m;
        out += std::string(bold) + "Partial results: not answering: " + names + reset + "\n\n";
    }
    if (r.suggestion) out += std::string("Did you mean: ") + bold + *r.suggestion + reset + "\n\n";
    for (const auto& n : r.parsed.notes) out += std::string(dim) + "note: " + n + reset + "\n";
    for (const Hit& h : r.hits) {
        out += std::to_string(h.rank) + ". " + bold + (h.doc.title.empty() ? h.doc.id : h.doc.title) + reset + "\n";
        std::string meta;
        if (!h.doc.date.empty()) meta += display_date(h.doc.date);
        if (!h.doc.source.empty()) meta += (meta.empty() ? "" : " · ") + h.doc.source;
        if (!h.duplicate_ids.empty())
            meta += (meta.empty() ? "" : " · ") + std::string("+") + std::to_string(h.duplicate_ids.size()) + " similar";
        if (!meta.empty()) out += std::string("   ") + dim + meta + reset + "\n";
        out.append("   ").append(dim).append(h.doc.path);
        if (h.doc.line) out.append(1, ':').append(std::to_string(h.doc.line));
        out.append(reset).append(1, '\n');
        if (!h.snippet.text.empty()) out += "   " + render_terminal(h.snippet, color) + "\n";
        out += "\n";
    }
    if (r.hits.empty() && !(count_only && r.total)) out += "No results for " + r.query + (r.total ? " on this page" : "") + ".\n";
    out += dim;
    if (!r.total_exact) out += "about ";
    out += std::to_string(r.total) + (r.total == 1 ? " result" : " results") + " (" +
           number(r.took_ms, 1) + " ms)" + (r.parsed.parsed.empty() ? "" : " for: " + r.parsed.parsed) + reset + "\n";
    return out;
}

} // namespace cari
