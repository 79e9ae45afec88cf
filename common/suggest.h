// Spelling suggestions from the index's own vocabulary: a query word that
// the index lacks (or holds only a few times) is replaced by the most frequent
// exact form (E-prefixed term) within edit distance 2 ("Azebaijan" ->
// "Azerbaijan"). Nothing is needed at index time.
#pragma once

#include "analyzer.h"

#include <xapian.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cari {

struct SuggestOptions {
    unsigned max_distance = 2;           // edits (insert, delete, substitute, swap neighbours)
    std::size_t min_length = 4;          // shorter words have too many neighbours
    Xapian::doccount rare = 1;           // a word in at most this many documents may be a typo...
    Xapian::doccount rare_factor = 50;   // ... when a neighbour one edit away is this many times as frequent
                                         // (and a word of the language in none, 50 times)
    std::size_t max_scan = 200000;       // vocabulary terms examined per word, at most
    std::size_t max_words = 8;           // query words checked, at most
};

// Optimal-string-alignment distance between two code point sequences, or
// limit + 1 when it exceeds limit.
[[nodiscard]] unsigned edit_distance(const std::u32string& a, const std::u32string& b, unsigned limit);

class Suggester {
public:
    explicit Suggester(const Xapian::Database& db, SuggestOptions opts = {}) : db_(db), opts_(opts) {}
    // With the query's match: the frequencies of the words it searched come
    // from it (over remote shards, a database lookup is a round trip each).
    Suggester(const Xapian::Database& db, const Xapian::MSet& mset, SuggestOptions opts = {})
        : db_(db), mset_(&mset), opts_(opts) {}

    // The exact-form terms (schema::kExact + word) whose document frequencies
    // query() may read for these words: the first max_words distinct words
    // that are not stop words, of a length and kind that are checked. A match
    // that holds them (at weight 0 if need be) hands them to the MSet, so
    // query() looks none up (over remote shards, one round trip per shard and
    // word).
    [[nodiscard]] static std::vector<std::string> frequency_terms(const std::vector<std::string>& words,
                                                                  const SuggestOptions& opts = {});

    // Where the vocabulary a word is compared with comes from: the terms
    // starting with a prefix, in term order, with their document frequencies
    // (what Database::allterms_begin lists), or nullptr to list them from the
    // database. (Searcher lists them from every remote shard at once and keeps
    // them for later queries: over remote shards allterms is one shard after
    // the other, a message per term.)
    using Vocabulary =
        std::function<const std::vector<std::pair<std::string, Xapian::doccount>>*(const std::string& prefix)>;
    Suggester& with_vocabulary(Vocabulary v) {
        vocabulary_ = std::move(v);
        return *this;
    }

    // The best replacement of one normalised word, or nullopt. in_lexicon:
    // the word's root is a word of the language (Stemmer::is_root), so the
    // word is only replaced as a rare one is, by a far more frequent form one
    // edit away.
    [[nodiscard]] std::optional<std::string> word(const std::string& norm, bool in_lexicon = false) const;

    // The query text with misspelt words replaced (their letter case kept when
    // they were capitalised), or nullopt when every word looks right.
    [[nodiscard]] std::optional<std::string> query(std::string_view text, const std::vector<std::string>& words,
                                                   const Analyzer& analyzer) const;

private:
    const Xapian::Database& db_;
    const Xapian::MSet* mset_ = nullptr;
    SuggestOptions opts_;
    Vocabulary vocabulary_;
};

} // namespace cari
