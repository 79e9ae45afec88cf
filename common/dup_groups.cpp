#include "dup_groups.h"

#include "schema.h"
#include "shards.h"

#include <algorithm>

namespace cari {

void FeedGroups::add(FeedKey key) {
    if (key.id.empty()) return;
    last_[std::move(key.id)] = key.signature;
}

void FeedGroups::finish() {
    struct Key {
        unsigned shard;
        std::uint64_t sig;
        std::string_view id;
        bool operator<(const Key& o) const {
            return shard != o.shard ? shard < o.shard : sig != o.sig ? sig < o.sig : id < o.id;
        }
    };
    std::vector<Key> keys;
    keys.reserve(last_.size());
    for (const auto& [id, sig] : last_) keys.push_back({shard_of(id_term(id), shards_), sig, id});
    std::sort(keys.begin(), keys.end());
    for (std::size_t b = 0, e; b < keys.size(); b = e) {
        for (e = b + 1; e < keys.size() && keys[e].shard == keys[b].shard && keys[e].sig == keys[b].sig;) ++e;
        if (e - b < 2) continue;
        const auto begin = static_cast<std::uint32_t>(grouped_.size());
        for (std::size_t k = b; k < e; ++k) grouped_.push_back(keys[k].id);
        const auto end = static_cast<std::uint32_t>(grouped_.size());
        for (std::uint32_t k = begin; k < end; ++k) members_[grouped_[k]] = {begin, end, k};
    }
}

std::optional<Duplicate> FeedGroups::mark(const std::string& id, std::uint64_t feed_signature) const {
    if (feed_signature == 0) return std::nullopt;
    const auto m = members_.find(id);
    if (m == members_.end()) return std::nullopt;
    const auto l = last_.find(id);
    if (l == last_.end() || l->second != feed_signature) return std::nullopt;  // not the line the groups saw
    const Run& r = m->second;
    Duplicate d{0, r.at == r.begin, {}};
    if (d.head)
        for (std::uint32_t k = r.begin + 1; k < r.end; ++k) d.others.emplace_back(grouped_[k]);
    return d;
}

std::vector<std::pair<std::string, Xapian::docid>> group_members(const Xapian::Database& db,
                                                                 const std::string& group_term) {
    std::vector<std::pair<std::string, Xapian::docid>> members;
    for (auto p = db.postlist_begin(group_term); p != db.postlist_end(group_term); ++p) {
        const std::string v = db.get_document(*p, Xapian::DOC_ASSUME_VALID).get_value(schema::kIdSlot);
        members.emplace_back(std::string(parse_id_value(v).id), *p);
    }
    std::sort(members.begin(), members.end());
    return members;
}

std::size_t settle_group(Xapian::WritableDatabase& db, const std::string& group_term) {
    const auto members = group_members(db, group_term);
    const std::string not_head(schema::kNotHead), head(schema::kHead);
    std::size_t rewritten = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
        Xapian::Document d = db.get_document(members[i].second);
        auto has = [&](const std::string& term) {
            auto t = d.termlist_begin();
            t.skip_to(term);
            return t != d.termlist_end() && *t == term;
        };
        StoredDoc sd = StoredDoc::deserialize(d.get_data());
        std::vector<std::string> list;
        if (i == 0)
            for (std::size_t k = 1; k < members.size(); ++k) list.push_back(members[k].first);
        bool changed = false;
        const std::string& want = i > 0 ? not_head : head;
        const std::string& unwanted = i > 0 ? head : not_head;
        if (has(unwanted)) {
            d.remove_term(unwanted);
            changed = true;
        }
        if (!has(want)) {
            d.add_boolean_term(want);
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
