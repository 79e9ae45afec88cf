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
    SnippetGenerator(const Analyzer& analyzer, const HighlightSpec& spec, std::size_t max_chars = 240);

    // Stems the body to find what matched.
    [[nodiscard]] Snippet make(std::string_view body) const;

    // The stems whose places in a body the snippet needs (the query's words,
    // phrase and NEAR operands, title prefixes removed).
    [[nodiscard]] const std::vector<std::string>& stems() const { return stems_; }
    // Learns what matched from the index instead: positions[k] holds the word
    // positions of stems()[k] in body (counted from 0 as Analyzer counts
    // them, ascending), so only the matched words are stemmed, to check them.
    // Any that disagrees (the index and this analyzer cut the text
    // differently) makes it stem the body after all.
    [[nodiscard]] Snippet make(std::string_view body, const std::vector<std::vector<std::uint32_t>>& positions) const;

private:
    // Which of stems_ each token has (-1: none), from the tokens' stems.
    [[nodiscard]] std::vector<int> ids_by_stem(const std::vector<Token>& toks) const;
    [[nodiscard]] Snippet build(std::string_view body, const std::vector<Token>& toks, const std::vector<int>& ids) const;
    [[nodiscard]] int id_of(std::string_view stem) const;

    const Analyzer& analyzer_;
    const HighlightSpec& spec_;
    std::size_t max_chars_;
    std::vector<std::string> stems_;                   // sorted, distinct
    std::vector<bool> single_;                         // stems_[k] matches as a word of its own
    std::vector<bool> structured_;                     // stems_[k] is a phrase or NEAR operand's word
    std::vector<std::vector<int>> phrases_;            // spec_.phrases as ids
    std::vector<std::pair<std::vector<int>, std::vector<int>>> nears_;  // spec_.nears' operands as ids
};

// Text with each highlight in <mark>...</mark>; <, > and & escaped.
[[nodiscard]] std::string render_marked(const Snippet& s);
// Text for a terminal: highlights in bold colour when color is true.
[[nodiscard]] std::string render_terminal(const Snippet& s, bool color);

} // namespace cari
