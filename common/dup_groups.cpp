#include "dup_groups.h"

#include "schema.h"
#include "shards.h"

#include <algorithm>
#include <map>

namespace cari {

void FeedGroups::add(FeedKey key) {
    if (key.id.empty()) return;
    last_[std::move(key.id)] = key.signature;
}

void FeedGroups::finish() {
    // (shard, signature) -> the ids with it
    std::map<std::pair<unsigned, std::uint64_t>, std::vector<const std::string*>> groups;
    for (const auto& [id, sig] : last_) groups[{shard_of(id_term(id), shards_), sig}].push_back(&id);
    for (auto& [key, ids] : groups) {
        if (ids.size() < 2) continue;
        std::sort(ids.begin(), ids.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
        auto& others = heads_[*ids.front()];
        for (std::size_t i = 0; i < ids.size(); ++i) {
            members_[*ids[i]] = i == 0;
            if (i) others.push_back(*ids[i]);
        }
    }
}

std::optional<Duplicate> FeedGroups::mark(const std::string& id, std::uint64_t feed_signature,
                                          std::uint64_t content) const {
    if (feed_signature == 0) return std::nullopt;
    const auto m = members_.find(id);
    if (m == members_.end()) return std::nullopt;
    const auto l = last_.find(id);
    if (l == last_.end() || l->second != feed_signature) return std::nullopt;  // not the line the groups saw
    Duplicate d{content, m->second, {}};
    if (d.head) d.others = heads_.at(id);
    return d;
}

std::size_t settle_group(Xapian::WritableDatabase& db, const std::string& group_term) {
    std::vector<std::pair<std::string, Xapian::docid>> members;  // id, docid
    for (auto p = db.postlist_begin(group_term); p != db.postlist_end(group_term); ++p) {
        const std::string v = db.get_document(*p, Xapian::DOC_ASSUME_VALID).get_value(schema::kIdSlot);
        members.emplace_back(std::string(parse_id_value(v).id), *p);
    }
    std::sort(members.begin(), members.end());
    const std::string not_head(schema::kNotHead);
    std::size_t rewritten = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
        Xapian::Document d = db.get_document(members[i].second);
        auto t = d.termlist_begin();
        t.skip_to(not_head);
        const bool marked = t != d.termlist_end() && *t == not_head;
        StoredDoc sd = StoredDoc::deserialize(d.get_data());
        std::vector<std::string> list;
        if (i == 0)
            for (std::size_t k = 1; k < members.size(); ++k) list.push_back(members[k].first);
        bool changed = false;
        if (marked != (i > 0)) {
            if (i > 0) d.add_boolean_term(not_head);
            else d.remove_term(not_head);
            changed = true;
        }
        if (sd.group != list) {
            sd.group = std::move(list);
            d.set_data(sd.serialize());
            changed = true;
        }
        if (changed) {
            db.replace_document(members[i].second, d);
            ++rewritten;
        }
    }
    return rewritten;
}

namespace {
template <typename It>
std::string first_group_term(It t, const It& end) {
    t.skip_to(std::string(schema::kCluster));
    if (t != end && (*t).compare(0, schema::kCluster.size(), schema::kCluster) == 0) return *t;
    return {};
}
} // namespace

std::string group_of(const Xapian::Database& db, Xapian::docid did) {
    return first_group_term(db.termlist_begin(did), db.termlist_end(did));
}

std::string group_of(const Xapian::Document& doc) { return first_group_term(doc.termlist_begin(), doc.termlist_end()); }

} // namespace cari
