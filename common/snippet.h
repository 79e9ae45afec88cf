// Snippets: the best passage of a document's cleaned body for a query, with
// the byte ranges of what matched. Finding is separate from rendering.
#pragma once

#include "analyzer.h"
#include "query.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cari {

struct Snippet {
    std::string text;                                         // plain text, fragments joined by " … "
    std::vector<std::pair<std::uint32_t, std::uint32_t>> highlights;  // half-open byte ranges into text
};

class SnippetGenerator {
public:
    SnippetGenerator(const Analyzer& analyzer, const HighlightSpec& spec, std::size_t max_chars = 240)
        : analyzer_(analyzer), spec_(spec), max_chars_(max_chars) {}

    [[nodiscard]] Snippet make(std::string_view body) const;

private:
    const Analyzer& analyzer_;
    const HighlightSpec& spec_;
    std::size_t max_chars_;
};

// Text with each highlight in <mark>...</mark>; <, > and & escaped.
[[nodiscard]] std::string render_marked(const Snippet& s);
// Text for a terminal: highlights in bold colour when color is true.
[[nodiscard]] std::string render_terminal(const Snippet& s, bool color);

} // namespace cari
