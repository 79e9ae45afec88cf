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

// A stored date as a reader takes it in: "2022-12-06T17:35:00+07:00" is
// "2022-12-06 17:35 WIB" (WITA at +08:00, WIT at +09:00, UTC at +00:00, the
// offset itself otherwise); a date without a time, or one it does not know
// the shape of, as it is.
[[nodiscard]] std::string display_date(const std::string& iso);

// Human-readable results: rank, bold title, dimmed date and source, path,
// snippet with highlights; a count and time at the end. count_only: no hits
// were asked for (--limit 0), so an empty page is not reported as one.
[[nodiscard]] std::string search_human(const SearchResult& r, bool color, bool count_only = false);

} // namespace cari
