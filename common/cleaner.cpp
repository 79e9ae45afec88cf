// PLACEHOLDER first cleaner (issue 2): keeps long lines, picks the title.
// The full noise remover (issue 3) replaces this file behind the same interface.
#include "cleaner.h"

#include "json.h"
#include "utf8.h"

#include <libxml/HTMLparser.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace cari {

Format format_from_path(std::string_view path) {
    auto ends = [&](std::string_view ext) {
        if (path.size() < ext.size()) return false;
        auto tail = path.substr(path.size() - ext.size());
        return std::equal(tail.begin(), tail.end(), ext.begin(),
                          [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    };
    if (ends(".txt")) return Format::Text;
    if (ends(".html") || ends(".htm")) return Format::Html;
    if (ends(".jsonl") || ends(".json") || ends(".ndjson")) return Format::Jsonl;
    return Format::Auto;
}

namespace {

std::size_t words(std::string_view s) {
    std::size_t n = 0;
    bool in = false;
    for (char c : s) {
        const bool sp = c == ' ' || c == '\t';
        if (!sp && !in) ++n;
        in = !sp;
    }
    return n;
}

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
    return std::string(s.substr(b, e - b));
}

void clean_lines(const std::vector<std::string>& lines, Article& a) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string line = trim(lines[i]);
        if (line.empty()) continue;
        const std::size_t n = words(line);
        if (a.title.empty() && n >= 4 && line.size() < 200) {
            a.title = line;
            seen.insert(line);
            continue;
        }
        if (n < 10) { a.dropped.push_back({i + 1, line, "short"}); continue; }
        if (!seen.insert(line).second) { a.dropped.push_back({i + 1, line, "duplicate"}); continue; }
        a.paragraphs.push_back(line);
    }
}

std::vector<std::string> split_lines(std::string_view s) {
    std::vector<std::string> out;
    std::size_t b = 0;
    for (std::size_t i = 0; i <= s.size(); ++i)
        if (i == s.size() || s[i] == '\n') { out.emplace_back(s.substr(b, i - b)); b = i + 1; }
    return out;
}

} // namespace

Article clean(const RawDoc& raw, const CleanOptions&) {
    Article a;
    a.path = raw.path;
    a.line = raw.line;
    Format f = raw.format == Format::Auto ? format_from_path(raw.path) : raw.format;
    if (f == Format::Auto) f = Format::Text;
    if (utf8::binary_ratio(raw.bytes) > 0.05) throw InputError("binary data, not text");
    const std::string text = utf8::repair(raw.bytes);
    if (f == Format::Jsonl) {
        json::Value v;
        try {
            v = json::parse(text);
        } catch (const json::ParseError& e) {
            throw InputError(std::string("malformed JSON: ") + e.what());
        }
        if (v.type != json::Value::Type::Object) throw InputError("JSON line is not an object");
        auto field = [&](std::initializer_list<const char*> keys) {
            for (const char* k : keys)
                if (const auto* x = v.find(k); x && !x->text().empty()) return x->text();
            return std::string();
        };
        a.id = field({"id"});
        a.url = field({"url"});
        a.title = field({"title"});
        a.date = field({"date"});
        a.source = field({"source", "publisher"});
        a.author = field({"author"});
        for (auto& l : split_lines(field({"text", "content", "body"})))
            if (auto t = trim(l); !t.empty()) a.paragraphs.push_back(t);
    } else if (f == Format::Html) {
        htmlDocPtr doc = htmlReadMemory(text.data(), static_cast<int>(text.size()), nullptr, "UTF-8",
                                        HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                            HTML_PARSE_NOWARNING | XML_PARSE_HUGE);
        std::vector<std::string> lines;
        if (doc) {
            xmlChar* content = xmlNodeGetContent(xmlDocGetRootElement(doc));
            if (content) {
                lines = split_lines(reinterpret_cast<const char*>(content));
                xmlFree(content);
            }
            xmlFreeDoc(doc);
        }
        clean_lines(lines, a);
    } else {
        clean_lines(split_lines(text), a);
    }
    if (a.id.empty()) a.id = !a.url.empty() ? a.url : a.path + (raw.line ? ":" + std::to_string(raw.line) : "");
    return a;
}

} // namespace cari
