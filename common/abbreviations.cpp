#include "abbreviations.h"

#include "schema.h"

#include <algorithm>
#include <array>

namespace cari {
namespace {

constexpr std::size_t kMaxAbbr = 10;       // characters of an abbreviation
constexpr std::size_t kMaxLookBack = 240;  // bytes of its clause looked at

bool ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || ascii_upper(c) || (c >= '0' && c <= '9'); }
char ascii_lower(char c) { return ascii_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

// Small words a long form may hold without lending a letter ("Dewan Pemerhati
// Kehutanan dan Lingkungan", "Eyes in the Sky"). Indonesian ones come from
// the stop list.
bool function_word(std::string_view norm) {
    static constexpr std::array<std::string_view, 12> other = {"of", "the", "and", "for", "in", "on",
                                                               "to", "de", "la", "du", "van", "der"};
    return is_stopword(norm) || std::find(other.begin(), other.end(), norm) != other.end();
}

// "BPS", "EiS", "F-PG": 2 to 10 ASCII letters, digits and hyphens, starting
// with a capital and holding at least two. Returns its letters and digits,
// lower-case; empty when text is no abbreviation.
std::string abbreviation_letters(std::string_view s) {
    if (s.size() < 2 || s.size() > kMaxAbbr || !ascii_upper(s.front()) || s.back() == '-') return {};
    std::string letters;
    std::size_t upper = 0;
    for (char c : s) {
        if (c == '-') continue;
        if (!ascii_alnum(c)) return {};
        upper += ascii_upper(c);
        letters += ascii_lower(c);
    }
    return upper >= 2 && letters.size() >= 2 ? letters : std::string{};
}

// Schwartz & Hearst's test: the letters appear in `words` in order, from the
// end backwards, the first of them at the start of a word.
bool spells(std::string_view letters, std::string_view words) {
    std::ptrdiff_t li = static_cast<std::ptrdiff_t>(words.size()) - 1;
    for (std::ptrdiff_t si = static_cast<std::ptrdiff_t>(letters.size()) - 1; si >= 0; --si, --li) {
        const char c = letters[static_cast<std::size_t>(si)];
        // (bytes of UTF-8 letters count as word characters)
        auto inside_word = [&](std::ptrdiff_t i) {
            const auto b = static_cast<unsigned char>(words[static_cast<std::size_t>(i)]);
            return b >= 0x80 || ascii_alnum(static_cast<char>(b));
        };
        while (li >= 0 && (words[static_cast<std::size_t>(li)] != c || (si == 0 && li > 0 && inside_word(li - 1)))) --li;
        if (li < 0) return false;
    }
    return true;
}

} // namespace

std::vector<AbbreviationDef> find_abbreviations(std::string_view text, const std::vector<Token>& toks) {
    std::vector<AbbreviationDef> out;
    for (std::size_t open = text.find('('); open != std::string_view::npos; open = text.find('(', open + 1)) {
        // (a ')' further away than an abbreviation is long closes none: looking
        // no further keeps a text of a million '(' linear)
        const std::size_t close = text.substr(open + 1, kMaxAbbr + 1).find(')');
        if (close == std::string_view::npos) continue;
        const std::string_view abbr = text.substr(open + 1, close);
        const std::string letters = abbreviation_letters(abbr);
        if (letters.empty()) continue;
        // The clause before it: back to the nearest punctuation that ends one.
        std::size_t from = open > kMaxLookBack ? open - kMaxLookBack : 0;
        if (const auto stop = text.substr(from, open - from).find_last_of(".,;:!?()[]\"\n"); stop != std::string_view::npos)
            from += stop + 1;
        // Its words: the tokens that start at or after `from` and end before the '('.
        const auto end = std::lower_bound(toks.begin(), toks.end(), open,
                                          [](const Token& t, std::size_t at) { return t.end <= at; });
        auto begin = end;
        while (begin != toks.begin() && std::prev(begin)->start >= from) --begin;
        const std::size_t n = static_cast<std::size_t>(end - begin);
        // The shortest run of its last words that spells the abbreviation.
        const std::size_t most = std::min(n, letters.size() + 5);
        for (std::size_t k = 2; k <= most; ++k) {
            const auto first = end - static_cast<std::ptrdiff_t>(k);
            if (first->norm.empty() || first->norm.front() != letters.front() || function_word(first->norm)) continue;
            std::string words;
            std::size_t content = 0;
            bool initials = true;
            for (auto t = first; t != end; ++t) {
                if (!words.empty()) words += ' ';
                words += t->norm;
                if (function_word(t->norm)) continue;
                ++content;
                if (letters.find(t->norm.front()) == std::string::npos) initials = false;
            }
            if (!initials || content > letters.size() + 1 || 2 * content < letters.size() || !spells(letters, words))
                continue;
            AbbreviationDef d{std::string(abbr), std::move(words)};
            if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(std::move(d));
            break;
        }
    }
    return out;
}

bool abbreviation_is_word(std::string_view abbr, const Stemmer& stemmer) {
    std::string lower;
    for (char c : abbr)
        if (c != '-') lower += ascii_lower(c);
    return lower.size() <= 2 || is_stopword(lower) || stemmer.is_root(lower);
}

std::string abbreviation_term(const AbbreviationDef& d) {
    std::string t(schema::kAbbrev);
    t.append(d.abbr).append(1, '\t').append(d.expansion);
    return t.size() <= schema::kMaxTerm ? t : std::string{};
}

AbbreviationDef parse_abbreviation_term(std::string_view t) {
    const auto tab = t.find('\t');
    if (tab == std::string_view::npos || tab == 0 || tab + 1 == t.size()) return {};
    return {std::string(t.substr(0, tab)), std::string(t.substr(tab + 1))};
}

} // namespace cari
