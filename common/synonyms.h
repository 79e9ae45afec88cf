// Abbreviations and synonyms of Indonesian news, applied at query time:
// "menlu" also finds "menteri luar negeri", "DK PBB" also finds
// "Dewan Keamanan PBB". A built-in table, extendable from files.
//
// File format (UTF-8, one entry a line; '#' starts a comment):
//     menlu = menteri luar negeri
//     DK PBB = Dewan Keamanan PBB
//     =AS = Amerika Serikat
// The left side is one or more words, matched in any case; with a leading
// '=' it matches only as typed, letter case included ("AS", never "as").
// A key on several lines has several expansions. Expansions are phrases
// and are not expanded again.
//
// Both ways: typing an expansion ("menteri luar negeri", "Amerika Serikat",
// in any case) also finds its abbreviation ("menlu", "AS") and the key's
// other expansions, as news writes either.
#pragma once

#include "analyzer.h"

#include <istream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cari {

class Synonyms {
public:
    struct Entry {
        std::vector<std::string> key;          // normalised words, or as typed when exact_case
        bool exact_case = false;
        std::vector<std::string> expansions;   // the text of each expansion
        bool defined = false;                  // every expansion is an indexed text's (add_defined)
    };

    // The built-in table of Cari.
    [[nodiscard]] static std::shared_ptr<const Synonyms> builtin();
    // The built-in table plus $CARI_SYNONYMS (a file), when set. Throws
    // std::runtime_error naming the file and line on an unreadable file or bad line.
    [[nodiscard]] static std::shared_ptr<const Synonyms> from_env();

    // Adds the entries of a file in the format above; throws std::runtime_error.
    void load_file(const std::string& path);
    // Adds entries from text; `origin` names it in error messages.
    void load(std::istream& in, const std::string& origin);
    void add(std::string_view key, std::string_view expansion);
    // An abbreviation an indexed text defines (abbreviations.h), with its long
    // form as normalised words joined by one space: matched in any case, or
    // with exact_case only as written (abbreviation_is_word). Throws
    // std::invalid_argument when the long form holds no word.
    void add_defined(std::string_view abbr, std::string_view expansion, bool exact_case);

    // The longest key or expansion matching words[at..]: `typed` are the
    // words as typed, `norm` the same words normalised. Returns how many words
    // it spans and the texts that also count for them: a key's expansions, or
    // for an expansion its keys and their other expansions. On equal length a
    // key wins over an expansion. No match: words == 0.
    struct Match {
        std::size_t words = 0;
        std::vector<std::string> alternatives;
        bool expansion = false;  // the words are an expansion, not a key
        // A key: only indexed texts define it (Entry::defined), matched in any
        // case. An expansion: the alternatives that are such keys.
        bool defined = false;
        std::vector<std::string> defined_keys{};
    };
    [[nodiscard]] Match match(const std::vector<std::string>& typed, const std::vector<std::string>& norm,
                              std::size_t at) const;

    [[nodiscard]] std::size_t size() const { return entries_.size(); }
    [[nodiscard]] bool empty() const { return entries_.empty(); }

private:
    using Key = std::pair<std::vector<std::string>, bool>;  // words, exact_case
    std::map<Key, Entry> entries_;
    // An expansion's normalised words -> the entries it belongs to, with its
    // index there (keys, not pointers: a copied table stays valid).
    std::map<std::vector<std::string>, std::vector<std::pair<Key, std::size_t>>> reverse_;
    std::size_t longest_ = 0;

    // Adds expansion to the entry of k; norm: its normalised words as typed,
    // null when it cannot be typed as words (then it is not looked up the other way).
    void insert(Key k, std::string_view expansion, const std::vector<std::string>* norm, bool defined = false);
};

} // namespace cari
