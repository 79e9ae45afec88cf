// Rendering of Cari's data as JSON Lines (documented in README).
#pragma once

#include "article.h"
#include "search.h"

#include <string>

namespace cari {

// One `cari-index clean --json` line (without the trailing newline).
[[nodiscard]] std::string article_json(const Article& a);

// One `cari-search --json` line: query, parsed, total, took_ms, hits, notes.
[[nodiscard]] std::string search_json(const SearchResult& r);

// Human-readable results: rank, bold title, dimmed date and source, path,
// snippet with highlights; a count and time at the end. count_only: no hits
// were asked for (--limit 0), so an empty page is not reported as one.
[[nodiscard]] std::string search_human(const SearchResult& r, bool color, bool count_only = false);

} // namespace cari
