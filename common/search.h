// Searching: open the index (one database or several as one), run a parsed
// query with BM25, collapse near-duplicate stories, make snippets.
#pragma once

#include "document.h"
#include "query.h"
#include "remote_reader.h"
#include "shards.h"
#include "snippet.h"
#include "suggest.h"

#include <xapian.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cari {

// How hits are ranked. The defaults were tuned on the facqa train split by a
// coordinate sweep (benchmarks/ranking/eval.py --tune; results in
// benchmarks/ranking/RESULTS.md): BM25+ with k1 0.4, b 1.0, delta 1 beat
// Xapian's BM25 defaults (1.2, 0.75) by 0.8 points of MRR@10 on train; a
// proximity bonus lowered it at every weight tried, so it is off.
// $CARI_RANKING overrides them for experiments:
// "k1=1.0,b=0.5,delta=0,all=2,exact=0.5,prox=1,window=4,stop=1,syn=1".
struct RankingParams {
    double k1 = 0.4, k2 = 0.0, k3 = 1.0, b = 1.0, min_normlen = 0.5;  // BM25
    double delta = 1.0;           // > 0: BM25+ (a floor for any matching term)
    double all_words = 1.0;       // weight of the "every word present" component
    double exact = 0.5;           // weight of exact surface forms over stems
    double proximity = 0.0;       // weight of neighbouring query words found close together
    unsigned window = 4;          // ... within this many words
    bool drop_stopwords = true;   // question and function words leave a bag with content words
    bool synonyms = true;         // expand abbreviations (synonyms.h)

    // The defaults with $CARI_RANKING applied; throws std::runtime_error on a bad value.
    [[nodiscard]] static RankingParams from_env();
    void apply(QueryParser& qp) const;
};

struct SearchOptions {
    std::size_t limit = 10;
    std::size_t offset = 0;
    bool collapse = true;             // fold near-duplicate stories into the best-ranked copy
    bool sort_by_date = false;        // newest first (relevance breaks ties)
    std::size_t snippet_chars = 240;
    // Near-duplicates (docs/search.md): SimHash distances up to duplicate_bits are the
    // same story; up to verify_bits, when the bodies' 3-root shingle sets overlap by
    // at least duplicate_jaccard.
    int duplicate_bits = 6;
    int verify_bits = 16;
    double duplicate_jaccard = 0.7;
    bool suggest = true;              // spelling suggestion for rare or unknown words
    bool exact_total = false;         // check every match, so that `total` is exact (slower on common words)
    // Otherwise Xapian's estimate is counted out when at most this many
    // documents can match or a tenth of it are estimated to (not over remote
    // shards: two more round trips each); 0: never.
    unsigned count_below = 1000;
};

struct Hit {
    std::size_t rank = 0;
    double score = 0;
    StoredDoc doc;
    Snippet snippet;
    std::vector<std::string> duplicate_ids;
};

struct SearchResult {
    std::string query;
    ParsedQuery parsed;
    // Matching documents, less the near-duplicates folded into the hits: exact
    // when total_exact, else Xapian's estimate (a round number between its bounds).
    std::size_t total = 0;
    bool total_exact = false;
    double took_ms = 0;
    std::vector<Hit> hits;
    std::optional<std::string> suggestion;   // the query with misspelt words replaced
    bool partial = false;                    // some shards did not answer (--allow-partial)
    std::vector<std::string> missing_shards; // ... these, by name
};

// Jaccard similarity of the sets of 3-root shingles (stop words skipped) of two texts.
[[nodiscard]] double shingle_similarity(std::string_view a, std::string_view b, const Analyzer& analyzer);

class Searcher {
public:
    // Opens each path (an index folder, a sharded index folder, a Xapian stub
    // file, or tcp://HOST:PORT for a shard served by xapian-tcpsrv) as one
    // database. Throws std::runtime_error with a one-line message when one
    // cannot be opened, ShardDown when a remote shard does not answer. With
    // allow_partial, shards that do not answer (at open or later) are left
    // out and results say so (SearchResult::partial).
    explicit Searcher(const std::vector<std::string>& dbs, std::shared_ptr<const Analyzer> analyzer = nullptr,
                      bool allow_partial = false);

    [[nodiscard]] SearchResult search(std::string_view query, const SearchOptions& opts);

    QueryParser& parser() { return parser_; }
    // Adds the abbreviations of a synonyms file (synonyms.h) to the built-in
    // table and $CARI_SYNONYMS; throws std::runtime_error naming the file.
    void add_synonyms(const std::string& path);
    RankingParams ranking;

    // The shards that did not answer (allow_partial), by name.
    [[nodiscard]] const std::vector<std::string>& missing_shards() const { return missing_; }

private:
    std::vector<std::string> paths_;
    std::vector<ShardRef> shards_;
    std::vector<std::string> missing_;
    RemoteTimeouts timeouts_;
    bool allow_partial_ = false;
    bool check_every_match_ = false;  // several local databases: see open_shards
    bool has_remote_ = false;         // a shard is served by xapian-tcpsrv (Xapian then sorts ties by id)
    // How a folding search leaves exact duplicates' copies out (count_heads).
    enum class Heads { None, AndNot, Filter } heads_ = Heads::None;
    Xapian::Database db_;
    RemoteReader remote_;             // page documents and term lists from remote shards, in one wave each
    std::map<std::string, std::vector<RemoteReader::Term>> vocabulary_;  // the suggester's, by prefix
    std::size_t vocabulary_terms_ = 0;
    std::map<std::string, bool> lower_case_;  // lower_case_word's answers, until the shards reopen
    std::shared_ptr<const Analyzer> analyzer_;
    QueryParser parser_;

    SearchResult run(std::string_view query, const SearchOptions& opts);
    [[nodiscard]] std::shared_ptr<const Synonyms> with_defined_abbreviations(std::shared_ptr<const Synonyms> table) const;
    void open_shards();
    void count_heads();
    void forget_remote_reads();
    const std::vector<RemoteReader::Term>* vocabulary(const std::string& prefix);
    bool lower_case_word(const std::string& word);
    std::vector<std::string> field_completions(std::string_view prefix, const std::string& word, bool typed_prefix);
};

} // namespace cari
