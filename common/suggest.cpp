#include "suggest.h"

#include "schema.h"
#include "utf8.h"

#include <algorithm>
#include <cctype>

namespace cari {

namespace {

std::u32string code_points(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len;
        out += utf8::decode(s, i, len);
        i += len;
    }
    return out;
}

bool has_digit(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Whether word() looks at a word at all.
bool checkable(const std::string& norm, const SuggestOptions& opts) {
    return code_points(norm).size() >= opts.min_length && !has_digit(norm);
}

} // namespace

unsigned edit_distance(const std::u32string& a, const std::u32string& b, unsigned limit) {
    const std::size_t n = a.size(), m = b.size();
    if ((n > m ? n - m : m - n) > limit) return limit + 1;
    // Three rows of the optimal-string-alignment table; stop once a row's minimum passes the limit.
    std::vector<unsigned> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (std::size_t j = 0; j <= m; ++j) prev[j] = static_cast<unsigned>(j);
    for (std::size_t i = 1; i <= n; ++i) {
        cur[0] = static_cast<unsigned>(i);
        unsigned row_min = cur[0];
        for (std::size_t j = 1; j <= m; ++j) {
            const unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
            unsigned v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, prev2[j - 2] + 1);
            cur[j] = v;
            row_min = std::min(row_min, v);
        }
        if (row_min > limit) return limit + 1;
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return std::min(prev[m], limit + 1);
}

std::optional<std::string> Suggester::word(const std::string& norm, bool in_lexicon) const {
    if (!checkable(norm, opts_)) return std::nullopt;
    const std::u32string w = code_points(norm);
    const std::string exact(schema::kExact);
    const Xapian::doccount own = mset_ ? mset_->get_termfreq(exact + norm) : db_.get_termfreq(exact + norm);
    if (own > opts_.rare) return std::nullopt;
    // Typos rarely touch the first letter: scan the forms that share it.
    std::size_t first_len;
    (void)utf8::decode(norm, 0, first_len);
    const std::string prefix = exact + norm.substr(0, first_len);
    // A word the index holds, or a word of the language it lacks, is only
    // replaced by a close neighbour that is far more frequent: in a small
    // archive "evaluasi" is not "evakuasi", in a large one "sekaran" (a
    // root with a suffix, to the stemmer) is "sekarang".
    const bool sure = own == 0 && !in_lexicon;
    const Xapian::doccount need = sure ? 1 : std::max<Xapian::doccount>(own, 1) * opts_.rare_factor;
    const unsigned max_d = sure ? opts_.max_distance : 1;
    std::string best;
    unsigned best_d = max_d + 1;
    Xapian::doccount best_f = 0;
    // One term of the vocabulary, in term order; freq() gives its frequency.
    auto consider = [&](const std::string& term, const auto& freq) {
        const std::size_t bytes = term.size() - exact.size();
        // Byte lengths bound code point lengths closely enough to skip most terms unread.
        if (bytes + 2 * max_d < norm.size() || bytes > norm.size() + 4 * max_d) return;
        const Xapian::doccount f = freq();
        if (f < need || (f <= best_f && best_d <= 1)) return;
        const std::string cand = term.substr(exact.size());
        if (cand == norm || has_digit(cand)) return;
        const unsigned d = edit_distance(w, code_points(cand), std::min(best_d, max_d));
        if (d > max_d || d == 0) return;
        if (d < best_d || (d == best_d && f > best_f)) {
            best = cand;
            best_d = d;
            best_f = f;
        }
    };
    if (const auto* list = vocabulary_ ? vocabulary_(prefix) : nullptr) {
        for (std::size_t i = 0; i < list->size() && i < opts_.max_scan; ++i)
            consider((*list)[i].first, [&] { return (*list)[i].second; });
    } else {
        std::size_t scanned = 0;
        for (auto it = db_.allterms_begin(prefix); it != db_.allterms_end(prefix) && scanned < opts_.max_scan;
             ++it, ++scanned)
            consider(*it, [&] { return it.get_termfreq(); });
    }
    if (best.empty()) return std::nullopt;
    return best;
}

std::vector<std::string> Suggester::frequency_terms(const std::vector<std::string>& words, const SuggestOptions& opts) {
    // query() checks words in order, skipping stop words and words it has
    // already fixed, up to max_words checks: the distinct words it checks are
    // always among the first max_words distinct ones.
    std::vector<std::string> distinct, terms;
    for (const auto& w : words) {
        if (is_stopword(w) || std::find(distinct.begin(), distinct.end(), w) != distinct.end()) continue;
        if (distinct.size() >= opts.max_words) break;
        distinct.push_back(w);
        if (checkable(w, opts)) terms.push_back(std::string(schema::kExact) + w);
    }
    return terms;
}

std::optional<std::string> Suggester::query(std::string_view text, const std::vector<std::string>& words,
                                            const Analyzer& analyzer) const {
    std::vector<std::pair<std::string, std::string>> fixes;  // norm -> replacement
    std::size_t checked = 0;
    for (const auto& w : words) {
        if (is_stopword(w) || std::any_of(fixes.begin(), fixes.end(), [&](const auto& f) { return f.first == w; }))
            continue;
        if (++checked > opts_.max_words) break;  // a long query costs no more than a short one
        if (auto s = word(w, analyzer.stemmer().is_root(analyzer.stem(w)))) fixes.emplace_back(w, *s);
    }
    if (fixes.empty()) return std::nullopt;
    // Replace each occurrence in the typed text, keeping an initial capital or all capitals.
    std::string out;
    std::size_t prev = 0;
    bool changed = false;
    for (const Token& t : analyzer.analyze(text)) {
        auto f = std::find_if(fixes.begin(), fixes.end(), [&](const auto& x) { return x.first == t.norm; });
        if (f == fixes.end()) continue;
        const std::string_view typed = text.substr(t.start, t.end - t.start);
        std::string rep = f->second;
        const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
        const bool all_caps = typed.size() > 1 && std::all_of(typed.begin(), typed.end(), [&](char c) { return upper(c) || !std::isalpha(static_cast<unsigned char>(c)); });
        if (all_caps) {
            for (auto& c : rep)
                if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
        } else if (!typed.empty() && upper(typed[0]) && !rep.empty() && rep[0] >= 'a' && rep[0] <= 'z') {
            rep[0] = static_cast<char>(rep[0] - 32);
        }
        out.append(text.substr(prev, t.start - prev));
        out += rep;
        prev = t.end;
        changed = true;
    }
    if (!changed) return std::nullopt;
    out.append(text.substr(prev));
    return out;
}

} // namespace cari
