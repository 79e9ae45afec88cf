// HTML pages into blocks for the line classifier (clean_lines.h), with the
// page's own metadata (<title>, Open Graph, article:published_time, <time>,
// canonical link, JSON-LD NewsArticle). The DOM walk is iterative, so any
// nesting depth is safe, and the main content container is chosen the way
// readability does: paragraphs vote for their ancestors, weighted by text,
// commas and link density, and class/id hints.
#pragma once

#include "clean_lines.h"

#include <string>
#include <string_view>
#include <vector>

namespace cari::cleaning {

struct HtmlPage {
    std::vector<Block> blocks;
    std::string title;        // <title>
    std::string og_title;     // og:title / twitter:title
    std::string h1;           // the first <h1> with some words
    std::string ld_headline;  // JSON-LD headline
    std::string date;         // ISO, from meta, JSON-LD or <time>
    std::string author;
    std::string site;         // og:site_name or JSON-LD publisher
    std::string canonical;    // <link rel=canonical> or og:url
    bool main_found = false;  // a main container was chosen
};

// Parses html (valid UTF-8) with libxml2's HTML parser in recovery mode.
[[nodiscard]] HtmlPage parse_html(std::string_view html);

} // namespace cari::cleaning
