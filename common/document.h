// From a cleaned Article to a Xapian document, and back to the stored fields.
#pragma once

#include "analyzer.h"
#include "article.h"

#include <xapian.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace cari {

// The fields kept in a document's data, for display and snippets.
struct StoredDoc {
    std::string id, path, url, title, date, source, author, body;
    std::uint64_t line = 0;
    // The head of an exact-duplicate group (schema::kCluster): the other
    // members' ids in its database, in id order (empty for everyone else).
    std::vector<std::string> group;

    [[nodiscard]] std::string serialize() const;
    [[nodiscard]] static StoredDoc deserialize(std::string_view data);
};

// 64-bit FNV-1a, for raw-input hashes. hash64(a + b) ==
// hash64_update(hash64_update(kHash64Seed, a), b): a file can be hashed in blocks.
inline constexpr std::uint64_t kHash64Seed = 1469598103934665603ULL;
[[nodiscard]] std::uint64_t hash64_update(std::uint64_t h, std::string_view s) noexcept;
[[nodiscard]] std::uint64_t hash64(std::string_view s) noexcept;
[[nodiscard]] std::string hex64(std::uint64_t v);
// hash64 of several fields, each with its length ("ab"+"c" is not "a"+"bc").
[[nodiscard]] std::uint64_t hash_fields(std::initializer_list<std::string_view> fields) noexcept;
// An 8-byte big-endian value slot (SimHash, content hash) as a number; empty: 0.
[[nodiscard]] std::uint64_t be64_value(std::string_view v) noexcept;

// SimHash of the body's stems (3-word shingles): near-duplicate stories differ in few bits.
[[nodiscard]] std::uint64_t simhash(const std::vector<Token>& body_tokens);
[[nodiscard]] int hamming(std::uint64_t a, std::uint64_t b) noexcept;

// Field weights at index time: how many times a title word counts.
inline constexpr Xapian::termcount kTitleWdf = 3;

// An article with exact duplicates in its database (schema::kCluster).
struct Duplicate {
    std::uint64_t content = 0;        // content_signature()
    bool head = true;                 // false: a member with a smaller id is indexed (gets kNotHead)
    std::vector<std::string> others;  // the head: the other members' ids (StoredDoc::group)
};

// The hash of what an article is searched and ranked by: title, date, source,
// author and body (not its id, URL or file). Equal hashes: the articles match
// and rank alike for every query.
[[nodiscard]] std::uint64_t content_signature(const Article& a);

// Builds the document: stems with positions (title then body), title stems
// under S, exact forms under E, source/author/date terms, id term, values.
// raw_hash identifies the raw input (update skips an input whose hash it has).
// dup (not null): the article belongs to an exact-duplicate group (ignored for
// an article without body text, which has no SimHash).
[[nodiscard]] Xapian::Document make_document(const Article& a, const Analyzer& analyzer, std::uint64_t raw_hash,
                                             std::uint64_t* simhash_out = nullptr, const Duplicate* dup = nullptr);

// The id slot's value (schema::kIdSlot) taken apart: the id, the SimHash (0:
// none) and the content hash of an exact-duplicate group's member (0: none).
struct IdValue {
    std::string_view id;
    std::uint64_t simhash = 0, content = 0;
};
[[nodiscard]] IdValue parse_id_value(std::string_view v);
// The group term of a content hash (schema::kCluster).
[[nodiscard]] std::string cluster_term(std::uint64_t content);

// The boolean terms that find a document by id, by source file, by raw-input hash.
[[nodiscard]] std::string id_term(std::string_view id);
[[nodiscard]] std::string file_term(std::string_view path);
[[nodiscard]] std::string raw_hash_term(std::uint64_t h);

// "YYYYMMDDhhmm" from an ISO date ("2022-12-06T17:35:00+07:00" or "2022-12-06"), empty if none.
[[nodiscard]] std::string date_key(std::string_view iso);

} // namespace cari
