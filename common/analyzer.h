// The one Analyzer: cuts text into words with byte offsets and positions,
// normalises them (NFKC, case folding, spaces) and stems them. The indexer,
// the query parser and the snippet generator all use it, so a word is treated
// the same way everywhere.
//
// A word is a run of letters, digits and marks, joined across
//  - an apostrophe between letters (Ma’ruf -> maruf, Jum'at -> jumat);
//  - '.' or ',' between digits: grouping dots go (2.000.000 -> 2000000), other
//    dots and decimal commas stay (10.30, 1.5, 2,5); "Rp2.000" is rp + 2000;
//  - '.' in an acronym of single letters (U.S.A. -> usa, B.J. -> bj); longer
//    runs stay apart (REPUBLIKA.CO.ID -> republika co id, kompas.com);
//  - a hyphen between word characters: a reduplication the stemmer recognises
//    is one token (negara-negara, kehati-hatian), anything else is one token
//    per part with its own position (Azerbaijan-Armenia, 1992-1994, Covid-19).
// Offsets always cover the original bytes of the word (or of the whole
// reduplication), so a highlighter can mark text[start, end).
#pragma once

#include "stemmer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cari {

struct Token {
    std::string norm;        // normalised surface form: NFKC, case-folded ("perdamaian")
    std::string stem;        // root ("damai")
    std::uint32_t start = 0; // byte offsets into the analysed text, half-open
    std::uint32_t end = 0;
    std::uint32_t pos = 0;   // word position (hyphenated compounds take one per part)
    bool stop = false;       // a stop word (still indexed, for phrases)
};

class Analyzer {
public:
    explicit Analyzer(std::shared_ptr<const Stemmer> stemmer);
    // The default chain: Cari's stemmer (or $CARI_STEMMER: cari, snowball, none).
    [[nodiscard]] static std::shared_ptr<const Analyzer> default_instance();

    // Appends the tokens of text to out; positions start at first_pos.
    // Returns the position after the last token.
    std::uint32_t analyze(std::string_view text, std::vector<Token>& out, std::uint32_t first_pos = 0) const;
    [[nodiscard]] std::vector<Token> analyze(std::string_view text) const {
        std::vector<Token> out;
        analyze(text, out);
        return out;
    }
    // The same tokens, offsets, positions, forms and stop flags, without
    // stemming: stem is empty but for a reduplication (one token, whose root
    // cutting it needed). For a reader that learns what matched elsewhere
    // (the snippet generator, from the index's positions).
    std::uint32_t tokenize(std::string_view text, std::vector<Token>& out, std::uint32_t first_pos = 0) const {
        return run(text, out, first_pos, false);
    }

    // Sizes this thread's stem memo at its largest (16 MiB) and faults its
    // pages in now, so the calls that follow never pay for growing it: for a
    // searcher about to answer queries on this thread (growing it mid-run
    // cost a query 1-2 ms).
    void reserve_memo() const;

    // Normalises one word as analyze() would (no stemming).
    [[nodiscard]] std::string normalize(std::string_view word) const;
    [[nodiscard]] std::string stem(std::string_view norm) const { return stemmer_->stem(norm); }
    // Whether norm stems to stem, through this thread's stem memo (as analyze() stems).
    [[nodiscard]] bool stems_to(std::string_view norm, std::string_view stem) const;
    [[nodiscard]] const Stemmer& stemmer() const { return *stemmer_; }

private:
    std::uint32_t run(std::string_view text, std::vector<Token>& out, std::uint32_t pos, bool stem) const;

    std::shared_ptr<const Stemmer> stemmer_;
    std::uint64_t id_;  // names this analyzer in the per-thread stem caches
};

// Indonesian function words (Cari's own list): indexed, but not required
// words of a query and not counted by the cleaner as content.
[[nodiscard]] bool is_stopword(std::string_view norm);

} // namespace cari
