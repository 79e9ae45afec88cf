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

    // The longest entry matching words[at..]: `typed` are the words as typed,
    // `norm` the same words normalised. Returns the entry and how many words it spans.
    struct Match { const Entry* entry = nullptr; std::size_t words = 0; };
    [[nodiscard]] Match match(const std::vector<std::string>& typed, const std::vector<std::string>& norm,
                              std::size_t at) const;

    [[nodiscard]] std::size_t size() const { return entries_.size(); }
    [[nodiscard]] bool empty() const { return entries_.empty(); }

private:
    std::map<std::pair<std::vector<std::string>, bool>, Entry> entries_;
    std::size_t longest_ = 0;
};

} // namespace cari
