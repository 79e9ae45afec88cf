// Exact duplicates at index time: feed lines that clean to the same article
// under other ids (a story re-scraped under a new id, a feed replayed). Each
// group's members carry schema::kCluster. In each database a group has one
// head, its member with the smallest id, whose stored data lists the others'
// ids (StoredDoc::group); every other member carries schema::kNotHead, which a
// search that folds duplicates leaves out of its match (they rank alike with
// the head for every query), so a story indexed ten times costs a query what
// it costs once.
#pragma once

#include "document.h"
#include "templates.h"

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cari {

// The groups of one batch of input, from the lines' keys (collect_template_lines),
// per database (shard) the ids go to: the last line of an id is what is
// indexed for it, as the indexer does.
class FeedGroups {
public:
    explicit FeedGroups(unsigned shards = 1) : shards_(shards ? shards : 1) {}

    void add(FeedKey key);   // a line with an empty id is ignored
    void finish();           // groups the keys; call once, after the last add()

    // The mark for an article about to be indexed: set when its id's last line
    // has this feed signature and others in its shard share it (head: its id is
    // the group's smallest; others: for the head, the other members' ids).
    // Article::feed_signature 0 (not a feed line) or an unknown id: none.
    // The caller fills in Duplicate::content (content_signature), hashed only
    // for the articles that have a mark. (Should a line fail after all, the
    // indexer puts its group right with settle_group.)
    [[nodiscard]] std::optional<Duplicate> mark(const std::string& id, std::uint64_t feed_signature) const;

private:
    unsigned shards_;
    std::unordered_map<std::string, std::uint64_t> last_;   // id -> signature of its last line
    // The ids of groups of two or more, by (shard, signature, id): a group is a run.
    std::vector<std::string_view> grouped_;   // (views of last_'s keys)
    struct Run {
        std::uint32_t begin, end, at;  // the group's run in grouped_, and this id's place in it
    };
    std::unordered_map<std::string_view, Run> members_;
};

// The members of one group in a database: their ids (from the id value) and
// docids, in id order.
[[nodiscard]] std::vector<std::pair<std::string, Xapian::docid>> group_members(const Xapian::Database& db,
                                                                             const std::string& group_term);

// Puts one group of a writable database in order: its member with the smallest
// id is the head (no kNotHead; its data lists the others' ids), every other
// member carries kNotHead and lists nothing. Returns how many documents it
// rewrote (none when the group is already in order).
std::size_t settle_group(Xapian::WritableDatabase& db, const std::string& group_term);

// The group term of a document, empty when it is in none.
[[nodiscard]] std::string group_of(const Xapian::Database& db, Xapian::docid did);
[[nodiscard]] std::string group_of(const Xapian::Document& doc);

} // namespace cari
