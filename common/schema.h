// Cari's index layout in one place: term prefixes, value slots, metadata keys.
// Follows Xapian's conventions (Q unique id, S title, A author, Y/M/D dates).
#pragma once

#include <xapian.h>

#include <cstddef>
#include <string_view>

namespace cari::schema {

// Term prefixes. Unprefixed terms are the stems of title and body, with positions.
inline constexpr std::string_view kId = "Q";          // unique id (one per document)
inline constexpr std::string_view kTitle = "S";       // title stems, with positions
inline constexpr std::string_view kExact = "E";       // exact (normalised, unstemmed) forms, no positions
inline constexpr std::string_view kSource = "XS";     // source words (lower-case)
inline constexpr std::string_view kAuthor = "A";      // author words (lower-case)
inline constexpr std::string_view kYear = "Y";        // YYYY
inline constexpr std::string_view kMonth = "M";       // YYYYMM
inline constexpr std::string_view kDay = "D";         // YYYYMMDD
inline constexpr std::string_view kFile = "XF";       // source file path (update, --prune)
inline constexpr std::string_view kRawHash = "XH";    // hash of the raw input (update skips unchanged)
// Exact duplicates (feed lines that clean to the same title, date, source,
// author and body, under other ids): each has XC + the hex of that content's
// hash. Within a database, every member of an XC group but the one with the
// smallest id (the head) carries kNotHead, and every other document kHead.
// The members rank alike for every query, so a search that folds duplicates
// leaves the kNotHead ones out of the match (dup_groups.h).
inline constexpr std::string_view kCluster = "XC";
inline constexpr std::string_view kNotHead = "XN";    // the whole term
inline constexpr std::string_view kHead = "XK";       // the whole term
// Abbreviations the body defines, "Badan Pusat Statistik (BPS)": XB + "BPS" +
// TAB + "badan pusat statistik" (abbreviations.h). Searches read them all.
inline constexpr std::string_view kAbbrev = "XB";

// Value slots.
inline constexpr Xapian::valueno kDateSlot = 0;       // "YYYYMMDDhhmm" (sorts as text)
inline constexpr Xapian::valueno kSimHashSlot = 1;    // 8-byte SimHash of the body
inline constexpr Xapian::valueno kIdSlot = 2;         // the document id, then (when the body has a
                                                      // SimHash) a NUL and the 8-byte SimHash, and for a
                                                      // member of an XC group its 8-byte content hash:
                                                      // ties in weight rank in id order, shards or not,
                                                      // and as the sort key it comes back with each
                                                      // match, so candidates are folded without reading
                                                      // documents

// Positions: the title starts at 0, the body after a gap so phrases never span fields.
inline constexpr Xapian::termpos kBodyStart = 1000;

// Xapian refuses terms over 245 bytes: longer words are not indexed (nobody
// searches for them), long ids and paths are shortened with a hash.
inline constexpr std::size_t kMaxTerm = 240;

// Metadata keys.
inline constexpr std::string_view kMetaFormat = "cari:format";     // index format version
inline constexpr std::string_view kMetaStemmer = "cari:stemmer";   // stemmer the index was built with
inline constexpr std::string_view kMetaTemplates = "cari:templates"; // cross-document line counts
inline constexpr std::string_view kMetaFilePrefix = "cari:file:";  // per source file: "hash count"
inline constexpr std::string_view kMetaShard = "cari:shard";       // sharded index: "K/N" in shard K
inline constexpr std::string_view kFormatVersion = "1";

} // namespace cari::schema
