// Abbreviations an archive defines for itself. News writes a name out once and
// its abbreviation after it in parentheses, "Badan Pusat Statistik (BPS)",
// then uses either. The indexer finds these definitions in each body and keeps
// them as terms of the document (schema::kAbbrev), so the index knows which of
// its documents define what and forgets a definition with the last document
// that made it. At search time they join the synonym table (synonyms.h): `BPS`
// also finds "Badan Pusat Statistik", and typing the name also finds `BPS`.
//
// The finder follows the idea of Schwartz & Hearst (2003): the long form is the
// shortest run of words just before "(ABBR)" whose letters spell the
// abbreviation in order, starting at the first letter of its first word. It is
// stricter than theirs, as a wrong pair would widen queries: the run stays in
// its clause (no comma, full stop or parenthesis inside), every word but small
// function words ("dan", "of") starts with one of the abbreviation's letters,
// and there are at most one more such words than letters and at least half as
// many. "Kepala Badan Tenaga Atom Internasional (IAEA)" defines nothing: the
// Indonesian name does not spell the English abbreviation.
#pragma once

#include "analyzer.h"

#include <string>
#include <string_view>
#include <vector>

namespace cari {

struct AbbreviationDef {
    std::string abbr;       // as written: "BPS", "EiS", "F-PG"
    std::string expansion;  // its words, normalised and joined by one space: "badan pusat statistik"
    bool operator==(const AbbreviationDef&) const = default;
};

// The definitions in text, in order of appearance, each once. toks: the
// Analyzer's tokens of text (the indexer has them already; their offsets
// place each word before or after a parenthesis).
[[nodiscard]] std::vector<AbbreviationDef> find_abbreviations(std::string_view text, const std::vector<Token>& toks);

// Whether an abbreviation is also a word in lower case ("API": api, fire;
// "AS"), so that it should match only in capitals: two letters or fewer, a
// stop word, or a root of the stemmer's lexicon.
[[nodiscard]] bool abbreviation_is_word(std::string_view abbr, const Stemmer& stemmer);

// The index term of a definition (schema::kAbbrev + abbr + TAB + expansion),
// empty when it would be longer than a term may be.
[[nodiscard]] std::string abbreviation_term(const AbbreviationDef& d);
// The definition a term holds (without its prefix); abbr empty when malformed.
[[nodiscard]] AbbreviationDef parse_abbreviation_term(std::string_view term_without_prefix);

} // namespace cari
