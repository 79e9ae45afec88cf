// Stemmers reduce a normalised word to its root. Implementations must be
// thread-safe for concurrent const calls: the indexer stems on several threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cari {

class Stemmer {
public:
    virtual ~Stemmer() = default;

    // word: one lower-case, NFKC-folded word without hyphens. Returns its root
    // (the word itself when nothing should be removed).
    [[nodiscard]] virtual std::string stem(std::string_view word) const = 0;

    // A hyphenated pair "a-b": the single root when it is a reduplication
    // (negara-negara, langkah-langkah, meniru-nirukan), nullopt when it is a
    // compound whose parts stay separate words (azerbaijan-armenia).
    [[nodiscard]] virtual std::optional<std::string> reduplication(std::string_view a,
                                                                   std::string_view b) const;

    [[nodiscard]] virtual std::string name() const = 0;

    // Whether word is a root of the stemmer's lexicon ("api", "das"); false
    // for stemmers without one.
    [[nodiscard]] virtual bool is_root(std::string_view /*word*/) const { return false; }
};

// Xapian's Snowball "indonesian" stemmer (Tala's rules): the baseline.
[[nodiscard]] std::unique_ptr<Stemmer> make_snowball_stemmer();

// Cari's dictionary-based confix-stripping stemmer. dict_path: a hunspell .dic
// root lexicon; empty means $CARI_DICT, else the Debian hunspell-id file.
// Throws std::runtime_error naming the file when the lexicon cannot be read.
[[nodiscard]] std::unique_ptr<Stemmer> make_indonesian_stemmer(const std::string& dict_path = {});

// The stemmer Cari uses by default ("cari", or "snowball", "none").
[[nodiscard]] std::unique_ptr<Stemmer> make_stemmer(std::string_view name);

} // namespace cari
