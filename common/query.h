// Cari's query language, parsed with the same Analyzer the index was built with.
//   words             ranked bag of words, documents with every word first (stop words
//                     and question words such as siapakah dropped when there are others)
//   "a b c"           phrase on stems, in order; exact forms rank first
//   A NEAR/n B        A and B at most n words apart, any order (NEAR alone: n = 10)
//   A ADJ/n B         the same, A before B
//   AND OR NOT ( )    boolean operators (upper case), +word required, -word excluded
//   title: source: author:   fields; date:2021, date:2021-05, date:A..B, date:..B, date:A..
//   presid*           prefix (expansion bounded); =damai exact form, no stemming
//   menlu, DK PBB     abbreviations also find their expansions (synonyms.h)
// Malformed input (stray quotes, parentheses, '?', dangling operators) is
// never an error: the parser recovers and notes what it ignored.
#pragma once

#include "analyzer.h"
#include "synonyms.h"

#include <xapian.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cari {

// What the snippet generator highlights for a query.
struct HighlightSpec {
    std::set<std::string> stems;                     // a token whose stem is here matches
    std::set<std::string> exact;                     // a token whose normalised form is here matches
    std::vector<std::string> prefixes;               // a token whose normalised form starts with one
    std::vector<std::vector<std::string>> phrases;   // stem sequences, highlighted as one span
    struct Near {
        std::vector<std::string> a, b;               // stems (a phrase operand has several)
        unsigned distance = 0;
        bool ordered = false;
    };
    std::vector<Near> nears;
};

struct QueryLimits {
    std::size_t max_chars = 4096;      // longer queries are cut (noted)
    std::size_t max_terms = 64;        // words beyond this are dropped (noted)
    unsigned max_distance = 1000;      // NEAR/n and ADJ/n are capped here (noted)
    Xapian::termcount max_expansion = 100;  // prefix* expands to the most frequent terms
    std::size_t max_depth = 32;        // parentheses nested deeper are ignored (noted)
};

struct ParsedQuery {
    Xapian::Query query;
    std::string parsed;                // the query as understood, for users
    HighlightSpec highlight;
    std::vector<std::string> words;    // normalised plain words (for spelling suggestions)
    std::vector<std::string> notes;    // what was ignored or bounded, in plain words
    // When the query is a bag of several words: all of them present. Documents
    // matching it rank before the rest (Searcher runs two tiers); else empty.
    Xapian::Query all_words;
    [[nodiscard]] bool empty() const { return query.empty(); }
};

struct RankingParams;  // searcher.h

class QueryParser {
public:
    explicit QueryParser(std::shared_ptr<const Analyzer> analyzer, QueryLimits limits = {});
    [[nodiscard]] ParsedQuery parse(std::string_view text) const;
    [[nodiscard]] const QueryLimits& limits() const { return limits_; }

    // Ranking knobs of a bag of words (set by Searcher from RankingParams):
    // the "all words present" component, exact surface forms, and pairs of
    // neighbouring query words found within proximity_window words of each other.
    bool all_words_first = true;       // fill ParsedQuery::all_words
    double all_words_boost = 1.0;
    double exact_boost = 0.5;
    double proximity_boost = 0.0;
    unsigned proximity_window = 4;
    // Question words (siapakah, berapa, ...) and other function words are dropped
    // from a bag that has content words; false keeps them as ordinary words.
    bool drop_stopwords = true;
    // Abbreviations expanded at query time (menlu -> "menteri luar negeri"); null: none.
    std::shared_ptr<const Synonyms> synonyms = Synonyms::builtin();
    // Whether the archive writes a word more often in lower case than in
    // capitals (Searcher reads it from stored texts). An abbreviation that only
    // indexed texts define (Synonyms::Entry::defined) and that is such a word
    // ("the", defined once as "Times Higher Education (THE)") is not expanded
    // unless typed in capitals, nor added to its typed expansion. Null: it is.
    std::function<bool(const std::string&)> lower_case_word;
    // The indexed words of a field (source:, author:; prefix is schema::kSource
    // or kAuthor) that start with a typed word, the most frequent first, at
    // most one more than limits().max_expansion (more is noted and cut)
    // (Searcher reads them from the index): all of them for a typed prefix
    // (source:kompas*), else only when no document holds the word itself
    // (source:tribun searches tribunnews). Empty, or null: the word is
    // searched as typed.
    std::function<std::vector<std::string>(std::string_view prefix, const std::string& word, bool typed_prefix)>
        field_completions;

private:
    std::shared_ptr<const Analyzer> analyzer_;
    QueryLimits limits_;
};

} // namespace cari
