#include "snippet.h"

#include "schema.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace cari {

namespace {

struct Span {
    std::uint32_t start, end;   // bytes in the body
    std::uint32_t first_tok, last_tok;
    int key;                    // which query part matched (for variety)
};

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …

// Counts code points in s[b, e).
std::size_t chars(std::string_view s, std::size_t b, std::size_t e) {
    std::size_t n = 0;
    for (std::size_t i = b; i < e; ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
    return n;
}

} // namespace

namespace {
// A phrase or NEAR operand's words may carry the title prefix (title:"..."):
// in the body they match on the stem.
std::string_view body_stem(std::string_view w) {
    if (w.size() > 1 && w.substr(0, schema::kTitle.size()) == schema::kTitle) w.remove_prefix(schema::kTitle.size());
    return w;
}
} // namespace

SnippetGenerator::SnippetGenerator(const Analyzer& analyzer, const HighlightSpec& spec, std::size_t max_chars)
    : analyzer_(analyzer), spec_(spec), max_chars_(max_chars) {
    for (const auto& w : spec_.stems) stems_.push_back(w);
    for (const auto& ph : spec_.phrases)
        for (const auto& w : ph) stems_.emplace_back(body_stem(w));
    for (const auto& nr : spec_.nears) {
        for (const auto& w : nr.a) stems_.emplace_back(body_stem(w));
        for (const auto& w : nr.b) stems_.emplace_back(body_stem(w));
    }
    std::sort(stems_.begin(), stems_.end());
    stems_.erase(std::unique(stems_.begin(), stems_.end()), stems_.end());
    single_.assign(stems_.size(), false);
    structured_.assign(stems_.size(), false);
    for (const auto& w : spec_.stems) single_[static_cast<std::size_t>(id_of(w))] = true;
    auto ids = [&](const std::vector<std::string>& seq) {
        std::vector<int> out;
        for (const auto& w : seq) {
            out.push_back(id_of(body_stem(w)));
            structured_[static_cast<std::size_t>(out.back())] = true;
        }
        return out;
    };
    for (const auto& ph : spec_.phrases) phrases_.push_back(ids(ph));
    for (const auto& nr : spec_.nears) nears_.emplace_back(ids(nr.a), ids(nr.b));
}

int SnippetGenerator::id_of(std::string_view stem) const {
    const auto it = std::lower_bound(stems_.begin(), stems_.end(), stem);
    return it != stems_.end() && *it == stem ? static_cast<int>(it - stems_.begin()) : -1;
}

std::vector<int> SnippetGenerator::ids_by_stem(const std::vector<Token>& toks) const {
    std::vector<int> ids(toks.size(), -1);
    if (stems_.empty()) return ids;
    for (std::size_t i = 0; i < toks.size(); ++i) ids[i] = id_of(toks[i].stem);
    return ids;
}

Snippet SnippetGenerator::make(std::string_view body) const {
    if (body.empty()) return {};
    const std::vector<Token> toks = analyzer_.analyze(body);
    return build(body, toks, ids_by_stem(toks));
}

Snippet SnippetGenerator::make(std::string_view body, const std::vector<std::vector<std::uint32_t>>& positions) const {
    if (body.empty()) return {};
    std::vector<Token> toks;
    analyzer_.tokenize(body, toks);
    std::vector<int> ids(toks.size(), -1);
    bool agree = positions.size() == stems_.size();
    for (std::size_t k = 0; agree && k < positions.size(); ++k) {
        // Tokens are in position order, one a position: walk both lists.
        auto t = toks.begin();
        for (const std::uint32_t p : positions[k]) {
            t = std::lower_bound(t, toks.end(), p, [](const Token& x, std::uint32_t v) { return x.pos < v; });
            if (t == toks.end() || t->pos != p || ids[static_cast<std::size_t>(t - toks.begin())] != -1) { agree = false; break; }
            // Only a matched word is stemmed, to check it (a reduplication has its root already).
            if (t->stem.empty() ? !analyzer_.stems_to(t->norm, stems_[k]) : t->stem != stems_[k]) { agree = false; break; }
            ids[static_cast<std::size_t>(t - toks.begin())] = static_cast<int>(k);
        }
    }
    if (!agree) return make(body);
    return build(body, toks, ids);
}

Snippet SnippetGenerator::build(std::string_view body, const std::vector<Token>& toks, const std::vector<int>& ids) const {
    Snippet out;

    // 1. Spans: phrases and NEAR pairs as one span each, then single words.
    std::vector<Span> spans;
    std::vector<bool> used(toks.size(), false);
    int key = 0;
    auto seq_at = [&](std::size_t i, const std::vector<int>& seq) {
        if (i + seq.size() > toks.size()) return false;
        for (std::size_t k = 0; k < seq.size(); ++k) {
            if (ids[i + k] != seq[k]) return false;
            if (k && toks[i + k].pos != toks[i + k - 1].pos + 1) return false;
        }
        return true;
    };
    for (const auto& ph : phrases_) {
        for (std::size_t i = 0; i < toks.size(); ++i)
            if (seq_at(i, ph)) {
                const std::size_t j = i + ph.size() - 1;
                spans.push_back({toks[i].start, toks[j].end, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j), key});
                for (std::size_t k = i; k <= j; ++k) used[k] = true;
            }
        ++key;
    }
    for (std::size_t n = 0; n < nears_.size(); ++n) {
        const auto& nr = spec_.nears[n];
        const auto& [na, nb] = nears_[n];
        std::vector<std::size_t> as, bs;
        for (std::size_t i = 0; i < toks.size(); ++i) {
            if (seq_at(i, na)) as.push_back(i);
            if (seq_at(i, nb)) bs.push_back(i);
        }
        std::size_t bi = 0;
        for (std::size_t a : as) {
            // Nearest b within the distance (bounded scan: both lists are sorted).
            while (bi < bs.size() && toks[bs[bi]].pos + nr.distance + nr.b.size() < toks[a].pos) ++bi;
            for (std::size_t k = bi; k < bs.size(); ++k) {
                const std::size_t b = bs[k];
                const auto pa = toks[a].pos, pb = toks[b].pos;
                if (pb > pa + nr.a.size() - 1 + nr.distance) break;
                const bool after = pb > pa;
                const std::uint32_t gap = after ? pb - (pa + static_cast<std::uint32_t>(nr.a.size()) - 1)
                                                : pa - (pb + static_cast<std::uint32_t>(nr.b.size()) - 1);
                if ((nr.ordered && !after) || gap > nr.distance || a == b) continue;
                const std::size_t lo = std::min(a, b);
                const std::size_t hi = std::max(a + nr.a.size() - 1, b + nr.b.size() - 1);
                spans.push_back({toks[lo].start, toks[hi].end, static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi), key});
                for (std::size_t t = lo; t <= hi; ++t) used[t] = true;
                break;
            }
        }
        ++key;
    }
    // One key a query stem, and one a form for words matched by their form alone (=exact, prefix*).
    std::map<int, int> stem_keys;
    std::map<std::string_view, int> form_keys;
    auto word_key = [&](int id, std::string_view form) {
        const int next = key;
        const int k = id >= 0 ? stem_keys.emplace(id, next).first->second : form_keys.emplace(form, next).first->second;
        if (k == next) ++key;
        return k;
    };
    const bool structured = !spans.empty();
    for (std::size_t i = 0; i < toks.size(); ++i) {
        if (used[i]) continue;
        const Token& t = toks[i];
        const int id = ids[i];
        const auto uid = static_cast<std::size_t>(id);
        bool hit = (id >= 0 && single_[uid]) || spec_.exact.count(t.norm);
        for (const auto& p : spec_.prefixes)
            if (!hit && t.norm.compare(0, p.size(), p) == 0) hit = true;
        // With no phrase or NEAR match in the text, their words still show where they occur.
        if (!hit && !structured && !t.stop && id >= 0 && structured_[uid]) hit = true;
        if (hit) spans.push_back({t.start, t.end, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i), word_key(id, t.norm)});
    }
    std::sort(spans.begin(), spans.end(), [](const Span& x, const Span& y) { return x.start < y.start || (x.start == y.start && x.end > y.end); });
    // Drop spans nested in an earlier one.
    std::vector<Span> merged;
    for (const auto& s : spans) {
        if (!merged.empty() && s.start < merged.back().end) {
            merged.back().end = std::max(merged.back().end, s.end);
            merged.back().last_tok = std::max(merged.back().last_tok, s.last_tok);
            continue;
        }
        merged.push_back(s);
    }
    spans.swap(merged);

    const std::size_t budget = std::max<std::size_t>(max_chars_, 20);
    // 2. Fragments: the window with the most distinct and most matches; when that
    //    misses some query parts found elsewhere, a second (and third) fragment.
    struct Frag { std::size_t first, last; };  // span indices
    auto best_window = [&](std::size_t width, const std::set<int>& want_new) -> std::optional<Frag> {
        std::optional<Frag> best;
        double best_score = -1;
        for (std::size_t i = 0; i < spans.size(); ++i) {
            std::set<int> keys;
            std::size_t j = i;
            for (; j < spans.size() && spans[j].end - spans[i].start <= width; ++j) keys.insert(spans[j].key);
            if (j == i) j = i + 1, keys.insert(spans[i].key);
            std::size_t fresh = 0;
            for (int k : keys) fresh += want_new.empty() || want_new.count(k);
            if (!want_new.empty() && fresh == 0) continue;
            // Most distinct query parts, then most matches, then the closest together.
            const double spread = static_cast<double>(spans[j - 1].end - spans[i].start) / static_cast<double>(width + 1);
            const double score = static_cast<double>(fresh) * 100 + static_cast<double>(keys.size()) * 10 +
                                 static_cast<double>(std::min<std::size_t>(j - i, 6)) + 3 * (1 - std::min(spread, 1.0));
            if (score > best_score) { best_score = score; best = Frag{i, j - 1}; }
        }
        return best;
    };
    std::vector<std::pair<std::uint32_t, std::uint32_t>> windows;  // byte ranges in body
    auto place = [&](std::uint32_t s, std::uint32_t e, std::size_t width) {
        // Centre [s, e) in a window of about `width` characters, cut at word boundaries.
        std::size_t span_chars = chars(body, s, e);
        std::size_t spare = width > span_chars ? width - span_chars : 0;
        std::size_t lo = s, hi = e;
        std::size_t before = spare / 3;  // more context after the match than before
        while (lo > 0 && before > 0) { --lo; if ((static_cast<unsigned char>(body[lo]) & 0xC0) != 0x80) --before; }
        std::size_t after = spare - spare / 3 + before;  // unused "before" goes after
        while (hi < body.size() && after > 0) { if ((static_cast<unsigned char>(body[hi]) & 0xC0) != 0x80) --after; ++hi; }
        // Snap to token boundaries: start at a token start, end at a token end.
        auto first = std::lower_bound(toks.begin(), toks.end(), lo, [](const Token& t, std::size_t v) { return t.start < v; });
        if (first != toks.end() && first->start < s) lo = lo == 0 ? 0 : first->start;
        else lo = s;
        auto last = std::upper_bound(toks.begin(), toks.end(), hi, [](std::size_t v, const Token& t) { return v < t.end; });
        if (last != toks.begin() && std::prev(last)->end > e) hi = std::prev(last)->end;
        else hi = e;
        if (hi == body.size() || (hi < body.size() && (body[hi] == '.' || body[hi] == ',' || body[hi] == '"'))) {
            if (hi < body.size()) ++hi;  // keep the closing punctuation
        }
        windows.emplace_back(static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi));
    };
    if (spans.empty()) {
        // Nothing matched in the body (a title match): its opening.
        auto last = std::upper_bound(toks.begin(), toks.end(), budget, [](std::size_t v, const Token& t) { return v < t.end; });
        std::uint32_t hi = last == toks.begin() ? static_cast<std::uint32_t>(std::min(body.size(), budget)) : std::prev(last)->end;
        if (chars(body, 0, body.size()) <= budget) hi = static_cast<std::uint32_t>(body.size());
        windows.emplace_back(0, hi);
    } else {
        std::set<int> all_keys;
        for (const auto& s : spans) all_keys.insert(s.key);
        auto f = best_window(budget, {});
        std::set<int> covered;
        for (std::size_t k = f->first; k <= f->last; ++k) covered.insert(spans[k].key);
        std::vector<Frag> frags{*f};
        std::size_t width = budget;
        while (covered.size() < all_keys.size() && frags.size() < 3) {
            std::set<int> missing;
            for (int k : all_keys)
                if (!covered.count(k)) missing.insert(k);
            width = budget / (frags.size() + 1);
            auto g = best_window(width, missing);
            if (!g) break;
            for (std::size_t k = g->first; k <= g->last; ++k) covered.insert(spans[k].key);
            frags.push_back(*g);
        }
        // Shrink the first fragment's window to share the budget; keep document order.
        std::sort(frags.begin(), frags.end(), [](const Frag& a, const Frag& b) { return a.first < b.first; });
        for (auto& fr : frags) {
            std::size_t last = fr.first;
            while (last < fr.last && spans[last + 1].end - spans[fr.first].start <= width) ++last;
            fr.last = last;
            place(spans[fr.first].start, spans[fr.last].end, width);
        }
        // Merge overlapping windows.
        std::sort(windows.begin(), windows.end());
        std::vector<std::pair<std::uint32_t, std::uint32_t>> w2;
        for (auto& w : windows) {
            if (!w2.empty() && w.first <= w2.back().second) w2.back().second = std::max(w2.back().second, w.second);
            else w2.push_back(w);
        }
        windows.swap(w2);
    }

    // 3. Assemble the text and map highlights into it.
    std::size_t si = 0;
    for (std::size_t wi = 0; wi < windows.size(); ++wi) {
        const auto [lo, hi] = windows[wi];
        if (wi == 0 && lo > 0) out.text += std::string(kEllipsis) + " ";
        if (wi > 0) out.text += std::string(" ") + std::string(kEllipsis) + " ";
        const std::size_t base = out.text.size();
        std::string piece(body.substr(lo, hi - lo));
        for (auto& c : piece)
            if (c == '\n' || c == '\r' || c == '\t') c = ' ';
        out.text += piece;
        while (si < spans.size() && spans[si].start < lo) ++si;
        for (std::size_t k = si; k < spans.size() && spans[k].end <= hi; ++k)
            out.highlights.emplace_back(static_cast<std::uint32_t>(base + spans[k].start - lo),
                                        static_cast<std::uint32_t>(base + spans[k].end - lo));
        if (wi + 1 == windows.size() && hi < body.size()) out.text += " " + std::string(kEllipsis);
    }
    return out;
}

std::string render_marked(const Snippet& s) {
    std::string out;
    std::size_t h = 0;
    for (std::size_t i = 0; i <= s.text.size(); ++i) {
        if (h < s.highlights.size() && s.highlights[h].second == i) { out += "</mark>"; ++h; }
        if (h < s.highlights.size() && s.highlights[h].first == i) out += "<mark>";
        if (i == s.text.size()) break;
        switch (s.text[i]) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            default: out += s.text[i];
        }
    }
    return out;
}

std::string render_terminal(const Snippet& s, bool color) {
    if (!color) return s.text;
    std::string out;
    std::size_t prev = 0;
    for (const auto& [b, e] : s.highlights) {
        out.append(s.text, prev, b - prev);
        out += "\x1b[1;31m";
        out.append(s.text, b, e - b);
        out += "\x1b[0m";
        prev = e;
    }
    out.append(s.text, prev, std::string::npos);
    return out;
}

} // namespace cari
