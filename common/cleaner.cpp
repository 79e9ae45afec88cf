// The noise remover: one raw document in, one Article out.
//
//   bytes -> UTF-8 repair -> format:
//     text : lines -> mojibake/NFC repair, tidy -> classify (clean_lines)
//     html : libxml2 -> blocks + page metadata (html_blocks) -> classify
//     jsonl: fields -> text split into paragraphs -> feed cleaning
#include "cleaner.h"

#include "clean_lines.h"
#include "clean_text.h"
#include "dates.h"
#include "document.h"
#include "html_blocks.h"
#include "json.h"
#include "mojibake.h"
#include "templates.h"
#include "utf8.h"

#include <algorithm>
#include <unordered_set>

namespace cari {

Format format_from_path(std::string_view path) {
    auto ends = [&](std::string_view ext) {
        if (path.size() < ext.size()) return false;
        auto tail = path.substr(path.size() - ext.size());
        return std::equal(tail.begin(), tail.end(), ext.begin(),
                          [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    };
    if (ends(".txt")) return Format::Text;
    if (ends(".html") || ends(".htm") || ends(".xhtml")) return Format::Html;
    if (ends(".jsonl") || ends(".json") || ends(".ndjson")) return Format::Jsonl;
    return Format::Auto;
}

namespace {

Format resolve(const RawDoc& raw) {
    Format f = raw.format == Format::Auto ? format_from_path(raw.path) : raw.format;
    if (f != Format::Auto) return f;
    // Unknown extension: sniff.
    std::string_view s = raw.bytes;
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t'))
        s.remove_prefix(1);
    if (!s.empty() && s.front() == '{') return Format::Jsonl;
    if (!s.empty() && s.front() == '<') return Format::Html;
    return Format::Text;
}

// Bytes that are not part of valid UTF-8.
std::size_t invalid_bytes(std::string_view s) {
    std::size_t bad = 0;
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) { ++i; continue; }
        std::size_t len;
        if (utf8::decode(s, i, len) == 0xFFFD && len == 1) ++bad;
        i += len;
    }
    return bad;
}

// Share of bytes that are not valid UTF-8 (0 for valid text).
double invalid_ratio(std::string_view s) {
    if (s.empty() || utf8::valid(s)) return 0.0;
    return static_cast<double>(invalid_bytes(s)) / static_cast<double>(s.size());
}

// Not UTF-8 at all but text saved as Windows-1252 / Latin-1 ("caf\xE9",
// "\x93kutip\x94"): no valid multi-byte sequence anywhere, and every byte
// >= 0x80 stands alone between ASCII characters, as single-byte letters and
// quotes do. Runs of stray high bytes are damage, not an encoding.
bool legacy_8bit(std::string_view s) {
    std::size_t high = 0;
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) { ++i; continue; }
        std::size_t len;
        if (!(utf8::decode(s, i, len) == 0xFFFD && len == 1)) return false;  // a valid multi-byte character
        if (i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80) return false;
        ++high;
        i += len;
    }
    return high > 0;
}


// Bytes to UTF-8 text, or InputError for what is not text at all. Repairs
// are noted in notes.
std::string checked_text(const RawDoc& raw, std::vector<std::string>* notes = nullptr) {
    const std::string_view b = raw.bytes;
    if (b.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos) throw InputError("empty document");
    // Same test as utf8::binary_ratio, written so the compiler vectorises it.
    std::size_t control = 0;
    for (const char ch : b) {
        const auto c = static_cast<unsigned char>(ch);
        control += static_cast<std::size_t>(c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f');
    }
    if (static_cast<double>(control) > 0.05 * static_cast<double>(b.size())) throw InputError("binary data, not text");
    if (control == 0 && utf8::valid(b)) return std::string(b);  // the usual case: nothing to repair
    // Text in a legacy 8-bit encoding has a few invalid bytes; images and
    // archives have them everywhere.
    if (invalid_ratio(b.substr(0, 1 << 16)) > 0.2) throw InputError("binary data, not text");
    if (legacy_8bit(b)) {
        if (notes) notes->push_back("not UTF-8: decoded as Windows-1252");
        return utf8::repair(decode_cp1252(b));  // (repair drops stray control bytes)
    }
    if (const std::size_t bad = invalid_bytes(b); bad && notes)
        notes->push_back("invalid UTF-8: " + std::to_string(bad) + (bad == 1 ? " byte" : " bytes") +
                         " replaced with U+FFFD");
    return utf8::repair(b);
}

std::vector<std::string_view> split_lines(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t b = 0;
    while (b <= s.size()) {
        std::size_t e = s.find('\n', b);
        if (e == std::string_view::npos) e = s.size();
        out.push_back(s.substr(b, e - b));
        b = e + 1;
    }
    return out;
}

bool looks_like_html(std::string_view s) {
    const auto p = s.find('<');
    if (p == std::string_view::npos) return false;
    return s.find("<p>") != std::string_view::npos || s.find("<p ") != std::string_view::npos ||
           s.find("<br") != std::string_view::npos || s.find("</div>") != std::string_view::npos;
}

std::string field(const json::Value& v, std::initializer_list<const char*> keys) {
    for (const char* k : keys) {
        const json::Value* x = v.find(k);
        if (!x) continue;
        if (x->type == json::Value::Type::Object) {  // {"name": ...}
            if (const auto* n = x->find("name"); n && !n->text().empty()) return n->text();
            continue;
        }
        if (x->type == json::Value::Type::Array && !x->arr.empty()) {
            const auto& e = x->arr[0];
            if (e.type == json::Value::Type::Object) {
                if (const auto* n = e.find("name"); n && !n->text().empty()) return n->text();
            } else if (!e.text().empty()) {
                return e.text();
            }
            continue;
        }
        if (!x->text().empty()) return x->text();
    }
    return {};
}

json::Value parse_json_object(const std::string& text) {
    json::Value v;
    try {
        v = json::parse(text);
    } catch (const json::ParseError& e) {
        throw InputError(std::string("malformed JSON: ") + e.what());
    }
    if (v.type != json::Value::Type::Object) throw InputError("JSON line is not an object");
    return v;
}

std::string tidy_repaired(std::string_view s) { return cleaning::tidy_line(cleaning::repair_text(s)); }

// The paragraphs of a feed's text field, repaired and tidy (HTML bodies too).
std::vector<std::string> feed_paragraphs(const std::string& body) {
    std::vector<std::string> out;
    if (looks_like_html(body)) {
        cleaning::HtmlPage page = cleaning::parse_html(body);
        for (auto& b : page.blocks) out.push_back(tidy_repaired(b.text));
        return out;
    }
    const std::string text = cleaning::repair_text(body);
    for (auto& p : cleaning::split_feed_text(text)) out.push_back(cleaning::tidy_line(p));
    return out;
}

// The keys a feed line's fields are read from, first present wins.
constexpr std::initializer_list<const char*> kIdKeys{"id", "_id", "guid"};
constexpr std::initializer_list<const char*> kUrlKeys{"url", "link", "canonical_url"};
constexpr std::initializer_list<const char*> kTitleKeys{"title", "headline"};
constexpr std::initializer_list<const char*> kDateKeys{"date", "published", "published_at", "datePublished", "pubdate"};
constexpr std::initializer_list<const char*> kSourceKeys{"source", "publisher", "site"};
constexpr std::initializer_list<const char*> kAuthorKeys{"author", "authors", "byline"};
constexpr std::initializer_list<const char*> kTextKeys{"text", "content", "body", "articleBody"};

// Every field a feed's article is cleaned from, but for its id and URL: two
// lines with the same signature clean to the same title, date, source, author
// and body (in one batch: the same template counts), so they index alike.
std::uint64_t feed_signature(const json::Value& v) {
    return hash_fields({field(v, kTitleKeys), field(v, kDateKeys), field(v, kSourceKeys), field(v, kAuthorKeys),
                        field(v, kTextKeys)});
}

void clean_jsonl(const std::string& text, const CleanOptions& opts, Article& a) {
    const json::Value v = parse_json_object(text);
    a.id = field(v, kIdKeys);
    a.feed_signature = feed_signature(v);
    a.url = tidy_repaired(field(v, kUrlKeys));
    a.title = tidy_repaired(field(v, kTitleKeys));
    a.date = parse_date_field(field(v, kDateKeys));
    a.source = tidy_repaired(field(v, kSourceKeys));
    a.author = tidy_repaired(field(v, kAuthorKeys));
    cleaning::Context ctx;
    ctx.templates = opts.templates;
    cleaning::clean_feed_paragraphs(feed_paragraphs(field(v, kTextKeys)), ctx, a);
}

std::vector<cleaning::Block> text_blocks(const std::string& text) {
    const std::string fixed = cleaning::repair_text(text);
    std::vector<cleaning::Block> blocks;
    std::size_t n = 0;
    for (std::string_view line : split_lines(fixed)) {
        ++n;
        cleaning::Block b;
        b.text = cleaning::tidy_line(line);
        if (b.text.empty()) continue;
        b.line = n;
        blocks.push_back(std::move(b));
    }
    return blocks;
}

// HTML: blocks and metadata, then the line classifier. The headline among the
// page's candidates: the h1 when the <title> or og:title confirms it, else
// og:title, JSON-LD headline, h1, <title>.
void clean_html(const std::string& text, const CleanOptions& opts, Article& a) {
    cleaning::HtmlPage page = cleaning::parse_html(text);
    for (auto& b : page.blocks)
        for (unsigned char c : b.text)
            if (c >= 0x80) { b.text = tidy_repaired(b.text); break; }
    const std::string title = tidy_repaired(page.title), og = tidy_repaired(page.og_title),
                      h1 = tidy_repaired(page.h1), ld = tidy_repaired(page.ld_headline);
    // (the site's name is often an <h1> too, and the tail of the <title>:
    // compare with the headline part only)
    const std::string title_head = cleaning::strip_title_site(title), og_head = cleaning::strip_title_site(og);
    if (!h1.empty() && ((!title_head.empty() && title_head.find(h1) != std::string::npos) ||
                        (!og_head.empty() && og_head.find(h1) != std::string::npos) || (!ld.empty() && ld == h1)))
        a.title = h1;
    else if (!og.empty()) a.title = cleaning::strip_title_site(og);
    else if (!ld.empty()) a.title = ld;
    else if (!h1.empty()) a.title = h1;
    else if (!title.empty()) a.title = cleaning::strip_title_site(title);
    a.date = page.date;
    a.author = tidy_repaired(page.author);
    a.source = tidy_repaired(page.site);
    a.url = page.canonical;
    cleaning::Context ctx;
    ctx.templates = opts.templates;
    ctx.html = true;
    for (const auto& t : {title, og, h1, ld, cleaning::strip_title_site(title), cleaning::strip_title_site(og)})
        if (!t.empty()) ctx.titles.push_back(t);
    cleaning::classify(page.blocks, ctx, a);
}

} // namespace

Article clean(const RawDoc& raw, const CleanOptions& opts) {
    Article a;
    a.path = raw.path;
    a.line = raw.line;
    const Format f = resolve(raw);
    const std::string text = checked_text(raw, &a.notes);
    if (f == Format::Jsonl) {
        clean_jsonl(text, opts, a);
    } else if (f == Format::Html) {
        clean_html(text, opts, a);
    } else {
        cleaning::Context ctx;
        ctx.templates = opts.templates;
        cleaning::classify(text_blocks(text), ctx, a);
    }
    if (a.id.empty()) {
        if (f == Format::Html && !a.url.empty()) a.id = a.url;
        else {
            a.id = a.path;
            if (raw.line) a.id.append(1, ':').append(std::to_string(raw.line));
        }
    }
    return a;
}

void collect_template_lines(const RawDoc& raw, TemplateStats& stats, FeedKey* key) {
    std::vector<std::string> units;
    try {
        const std::string text = checked_text(raw);
        switch (resolve(raw)) {
        case Format::Jsonl: {
            const json::Value v = parse_json_object(text);
            units = feed_paragraphs(field(v, kTextKeys));
            if (key) {
                key->id = field(v, kIdKeys);
                key->signature = feed_signature(v);
            }
            break;
        }
        case Format::Html: {
            cleaning::HtmlPage page = cleaning::parse_html(text);
            for (auto& b : page.blocks) units.push_back(tidy_repaired(b.text));
            break;
        }
        default:
            for (auto& b : text_blocks(text)) units.push_back(std::move(b.text));
            break;
        }
    } catch (const InputError&) {
        return;
    }
    std::unordered_set<std::uint64_t> seen;
    for (const auto& u : units) {
        if (u.empty()) continue;
        const std::uint64_t fp = TemplateStats::fingerprint(u);
        if (seen.insert(fp).second) stats.add(fp);
    }
    stats.add_documents(1);
}

} // namespace cari
