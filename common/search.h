// Searching: open the index (one database or several as one), run a parsed
// query with BM25, collapse near-duplicate stories, make snippets.
#pragma once

#include "document.h"
#include "query.h"
#include "snippet.h"

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

namespace cari {

struct RankingParams {
    double k1 = 1.2, k2 = 0.0, k3 = 1.0, b = 0.75, min_normlen = 0.5;  // BM25
};

struct SearchOptions {
    std::size_t limit = 10;
    std::size_t offset = 0;
    bool collapse = true;             // fold near-duplicate stories into the best-ranked copy
    bool sort_by_date = false;        // newest first (relevance breaks ties)
    std::size_t snippet_chars = 240;
    int duplicate_bits = 3;           // SimHash distance that counts as the same story
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
    std::size_t total = 0;            // estimated matches
    double took_ms = 0;
    std::vector<Hit> hits;
};

class Searcher {
public:
    // Opens each path (an index folder, or a Xapian stub file) as one database.
    // Throws std::runtime_error with a one-line message when one cannot be opened.
    explicit Searcher(const std::vector<std::string>& dbs, std::shared_ptr<const Analyzer> analyzer = nullptr);

    [[nodiscard]] SearchResult search(std::string_view query, const SearchOptions& opts);

    QueryParser& parser() { return parser_; }
    RankingParams ranking;

private:
    std::vector<std::string> paths_;
    Xapian::Database db_;
    std::shared_ptr<const Analyzer> analyzer_;
    QueryParser parser_;

    SearchResult run(std::string_view query, const SearchOptions& opts);
};

} // namespace cari
