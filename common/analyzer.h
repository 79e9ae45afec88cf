// The one Analyzer: cuts text into words with byte offsets and positions,
// normalises them (NFKC, case folding, spaces) and stems them. The indexer,
// the query parser and the snippet generator all use it, so a word is treated
// the same way everywhere.
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

    // Normalises one word as analyze() would (no stemming).
    [[nodiscard]] std::string normalize(std::string_view word) const;
    [[nodiscard]] std::string stem(std::string_view norm) const { return stemmer_->stem(norm); }
    [[nodiscard]] const Stemmer& stemmer() const { return *stemmer_; }

private:
    std::shared_ptr<const Stemmer> stemmer_;
    std::uint64_t id_;  // names this analyzer in the per-thread stem caches
};

// Indonesian function words (Cari's own list): indexed, but not required
// words of a query and not counted by the cleaner as content.
[[nodiscard]] bool is_stopword(std::string_view norm);

} // namespace cari
