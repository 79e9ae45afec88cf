// Exact-duplicate groups (dup_groups.h): feed lines that clean alike under
// other ids. In each database a group has one head, the member with the
// smallest id, which lists the others; the others carry XN and stay out of a
// collapsed match. Builds (one writer, parallel parts, shards) and updates (a
// smaller id arrives, the head changes or its file goes) keep it so, and a
// collapsed search still accounts for every matching document.
#include "document.h"
#include "dup_groups.h"
#include "index.h"
#include "schema.h"
#include "search.h"
#include "test_util.h"

#include <xapian.h>

#include <algorithm>
#include <map>
#include <set>

using namespace cari;
using cari::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kBanjir =
    "Pemerintah provinsi menyalurkan bantuan kepada warga yang terdampak banjir di sejumlah kecamatan. Posko "
    "pengungsian didirikan di balai desa dan sekolah. Petugas mengevakuasi warga lanjut usia dengan perahu karet.";
const std::string kBeras =
    "Harga beras di pasar tradisional naik menjelang akhir tahun. Pedagang mengatakan pasokan dari daerah sentra "
    "berkurang karena cuaca buruk. Pemerintah berjanji menggelar operasi pasar untuk menekan harga.";
const std::string kGempa =
    "Gempa bumi berkekuatan lima koma dua mengguncang wilayah pesisir selatan pada dini hari. Warga berhamburan "
    "keluar rumah. Badan meteorologi menyatakan gempa tidak berpotensi tsunami dan meminta warga tetap tenang.";

std::string feed_line(const std::string& id, const std::string& title, const std::string& text,
                      const std::string& source = "ANTARA") {
    return "{\"id\":\"" + id + "\",\"url\":\"https://contoh.id/" + id + "\",\"title\":\"" + title +
           "\",\"date\":\"2022-12-06\",\"source\":\"" + source + "\",\"text\":\"" + text + "\"}\n";
}

// Each group of a database: its members' ids (in id order), which of them carry
// XN, and what each member's data lists.
struct GroupState {
    std::vector<std::string> members, marked;
    std::map<std::string, std::vector<std::string>> lists;  // only non-empty lists
    bool operator==(const GroupState&) const = default;
};
std::vector<GroupState> groups_of(const std::string& path) {
    Xapian::Database db(path);
    {
        // Every document is a head (XK) or a copy (XN), never both.
        const std::string xk(schema::kHead), xn(schema::kNotHead);
        EXPECT_EQ(db.get_termfreq(xk) + db.get_termfreq(xn), db.get_doccount()) << path;
        for (auto p = db.postlist_begin(xn); p != db.postlist_end(xn); ++p) {
            auto k = db.postlist_begin(xk);
            if (k != db.postlist_end(xk)) k.skip_to(*p);
            EXPECT_TRUE(k == db.postlist_end(xk) || *k != *p) << "document " << *p << " is marked both ways";
        }
    }
    std::vector<GroupState> out;
    const std::string prefix(schema::kCluster), xn(schema::kNotHead);
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
        GroupState g;
        std::vector<std::pair<std::string, Xapian::docid>> m;
        for (auto p = db.postlist_begin(*t); p != db.postlist_end(*t); ++p) {
            const StoredDoc sd = StoredDoc::deserialize(db.get_document(*p).get_data());
            m.emplace_back(sd.id, *p);
            if (!sd.group.empty()) g.lists[sd.id] = sd.group;
        }
        std::sort(m.begin(), m.end());
        for (const auto& [id, did] : m) {
            g.members.push_back(id);
            auto x = db.postlist_begin(xn);
            if (x != db.postlist_end(xn)) x.skip_to(did);
            if (x != db.postlist_end(xn) && *x == did) g.marked.push_back(id);
        }
        out.push_back(std::move(g));
    }
    std::sort(out.begin(), out.end(), [](const GroupState& a, const GroupState& b) { return a.members < b.members; });
    return out;
}

// A settled group: the smallest id heads it and lists the rest, which carry XN.
GroupState settled(std::vector<std::string> ids) {
    std::sort(ids.begin(), ids.end());
    GroupState g;
    g.members = ids;
    g.marked.assign(ids.begin() + 1, ids.end());
    if (!g.marked.empty()) g.lists[ids.front()] = g.marked;
    return g;
}

// "id[dup,dup]" for each hit.
std::vector<std::string> hits(Searcher& s, const std::string& q, bool collapse, std::size_t limit = 20) {
    SearchOptions o;
    o.limit = limit;
    o.collapse = collapse;
    o.suggest = false;
    std::vector<std::string> out;
    for (const auto& h : s.search(q, o).hits) {
        std::string x = h.doc.id + "[";
        for (std::size_t i = 0; i < h.duplicate_ids.size(); ++i) x += (i ? "," : "") + h.duplicate_ids[i];
        out.push_back(x + "]");
    }
    return out;
}

IndexReport build(const std::string& db, const std::vector<std::string>& paths, bool parallel, unsigned parts,
                  unsigned shards = 0) {
    IndexOptions o;
    o.db = db;
    o.create = true;
    o.sharded = parallel;
    o.parts = parts;
    o.shards = shards;
    o.jobs = 2;
    return index_paths(paths, o);
}

IndexReport update(const std::string& db, const std::vector<std::string>& paths, bool prune = false) {
    IndexOptions o;
    o.db = db;
    o.prune = prune;
    return index_paths(paths, o);
}

// Three copies of one story (ids out of order), two of another plus the same
// text from another outlet (not exact: its source differs), and a story alone.
std::string small_feed() {
    return feed_line("banjir-c", "Banjir merendam rumah warga", kBanjir) +
           feed_line("gempa-2", "Gempa mengguncang pesisir", kGempa) +
           feed_line("banjir-a", "Banjir merendam rumah warga", kBanjir) +
           feed_line("beras-1", "Harga beras naik", kBeras) +
           feed_line("gempa-10", "Gempa mengguncang pesisir", kGempa) +
           feed_line("banjir-b", "Banjir merendam rumah warga", kBanjir) +
           feed_line("gempa-1", "Gempa mengguncang pesisir", kGempa, "KOMPAS");
}

} // namespace

TEST(DupGroups, EveryBuildMarksAllButTheSmallestIdAndListsThemInTheHead) {
    TempDir t;
    t.write("feed.jsonl", small_feed());
    const std::vector<GroupState> want = {settled({"banjir-a", "banjir-b", "banjir-c"}), settled({"gempa-10", "gempa-2"})};
    struct Case {
        const char* name;
        bool parallel;
        unsigned parts;
    };
    for (const Case& c : {Case{"one writer", false, 0}, Case{"one part", true, 1}, Case{"three parts", true, 3}}) {
        SCOPED_TRACE(c.name);
        const std::string db = t / c.name;
        const auto r = build(db, {t / "feed.jsonl"}, c.parallel, c.parts);
        EXPECT_EQ(r.added, 7u);
        EXPECT_EQ(groups_of(db), want);
        Searcher s({db});
        // The head stands for its group; the other outlet's copy folds in by its SimHash.
        EXPECT_EQ(hits(s, "banjir", true), (std::vector<std::string>{"banjir-a[banjir-b,banjir-c]"}));
        EXPECT_EQ(hits(s, "gempa", true), (std::vector<std::string>{"gempa-1[gempa-10,gempa-2]"}));
        EXPECT_EQ(hits(s, "banjir", false),
                  (std::vector<std::string>{"banjir-a[]", "banjir-b[]", "banjir-c[]"}));
        EXPECT_EQ(hits(s, "beras", true), (std::vector<std::string>{"beras-1[]"}));
        EXPECT_EQ(hits(s, "source:antara gempa", true), (std::vector<std::string>{"gempa-10[gempa-2]"}));
    }
}

TEST(DupGroups, EachShardHasItsOwnHeadAndSearchFoldsThemAsOne) {
    TempDir t;
    std::string feed;
    std::vector<std::string> ids;
    for (int i = 0; i < 12; ++i) {
        ids.push_back("banjir-" + std::to_string(100 - i));
        feed += feed_line(ids.back(), "Banjir merendam rumah warga", kBanjir);
    }
    feed += feed_line("beras-1", "Harga beras naik", kBeras);
    t.write("feed.jsonl", feed);
    build(t / "one", {t / "feed.jsonl"}, true, 2);
    build(t / "three", {t / "feed.jsonl"}, true, 2, 3);
    std::set<std::string> seen;
    for (unsigned k = 0; k < 3; ++k) {
        const auto gs = groups_of(t / ("three/shard-" + std::to_string(k)));
        for (const auto& g : gs) {
            EXPECT_EQ(g, settled(g.members));
            seen.insert(g.members.begin(), g.members.end());
        }
    }
    EXPECT_GE(seen.size(), 10u);  // (a shard holding one copy has no group)
    Searcher one({t / "one"}), three({t / "three"});
    std::sort(ids.begin(), ids.end());
    std::string all = ids.front() + "[";
    for (std::size_t i = 1; i < ids.size(); ++i) all += (i > 1 ? "," : "") + ids[i];
    all += "]";
    EXPECT_EQ(hits(one, "banjir", true), std::vector<std::string>{all});
    const auto sharded = hits(three, "banjir", true);
    ASSERT_EQ(sharded.size(), 1u);
    EXPECT_EQ(sharded[0].substr(0, ids.front().size() + 1), ids.front() + "[");
    // The same duplicates, listed shard by shard.
    auto listed = [](const std::string& h) {
        const auto b = h.find('['), e = h.find(']');
        std::set<std::string> out;
        std::string cur;
        for (char ch : h.substr(b + 1, e - b - 1)) {
            if (ch == ',') {
                out.insert(cur);
                cur.clear();
            } else {
                cur += ch;
            }
        }
        if (!cur.empty()) out.insert(cur);
        return out;
    };
    EXPECT_EQ(listed(sharded[0]), listed(all));
    EXPECT_EQ(hits(three, "banjir", false).size(), 12u);
}

TEST(DupGroups, UpdatesKeepOneHeadPerGroup) {
    TempDir t;
    t.write("a.jsonl", feed_line("banjir-a", "Banjir merendam rumah warga", kBanjir));
    t.write("bc.jsonl", feed_line("banjir-c", "Banjir merendam rumah warga", kBanjir) +
                            feed_line("banjir-b", "Banjir merendam rumah warga", kBanjir) +
                            feed_line("beras-1", "Harga beras naik", kBeras));
    const std::string db = t / "db";
    build(db, {t / "a.jsonl", t / "bc.jsonl"}, true, 2);
    EXPECT_EQ(groups_of(db), std::vector<GroupState>{settled({"banjir-a", "banjir-b", "banjir-c"})});

    // A copy with a smaller id arrives: it heads the group.
    t.write("zero.jsonl", feed_line("banjir-0", "Banjir merendam rumah warga", kBanjir));
    auto r = update(db, {t / "zero.jsonl"});
    EXPECT_EQ(r.added, 1u);
    EXPECT_EQ(groups_of(db), std::vector<GroupState>{settled({"banjir-0", "banjir-a", "banjir-b", "banjir-c"})});
    Searcher s({db});
    EXPECT_EQ(hits(s, "banjir", true), std::vector<std::string>{"banjir-0[banjir-a,banjir-b,banjir-c]"});

    // The head's text changes: it leaves the group (as a near-duplicate it still folds in).
    t.write("zero.jsonl", feed_line("banjir-0", "Banjir merendam rumah warga", kBanjir + " Air surut pada malam hari."));
    r = update(db, {t / "zero.jsonl"});
    EXPECT_EQ(r.replaced, 1u);
    EXPECT_EQ(groups_of(db), std::vector<GroupState>{settled({"banjir-a", "banjir-b", "banjir-c"})});
    Searcher s2({db});
    const auto h = hits(s2, "banjir", true);
    ASSERT_EQ(h.size(), 1u);
    EXPECT_NE(h[0].find("banjir-b"), std::string::npos);
    EXPECT_NE(h[0].find("banjir-c"), std::string::npos);
    EXPECT_EQ(hits(s2, "banjir", false).size(), 4u);

    // The head's file goes (--prune): the next smallest id heads what is left.
    fs::remove(t / "a.jsonl");
    r = update(db, {t / "bc.jsonl"}, true);
    EXPECT_EQ(r.removed, 1u);
    EXPECT_EQ(groups_of(db), std::vector<GroupState>{settled({"banjir-b", "banjir-c"})});
    Searcher s3({db});
    EXPECT_EQ(hits(s3, "banjir", false).size(), 3u);
    EXPECT_EQ(hits(s3, "beras", true), std::vector<std::string>{"beras-1[]"});
}

TEST(DupGroups, SettleGroupPutsAnyStateRight) {
    // However a group was left (no head, two heads, stale lists), settling it
    // leaves one head, the smallest id, listing the others.
    struct Case {
        const char* name;
        std::vector<std::pair<std::string, bool>> members;  // id, marked head
    };
    const std::vector<Case> cases = {
        {"no head", {{"b", false}, {"a", false}, {"c", false}}},
        {"every one a head", {{"b", true}, {"a", true}, {"c", true}}},
        {"the wrong head", {{"a", false}, {"b", true}, {"c", false}}},
        {"already in order", {{"a", true}, {"b", false}}},
        {"one left", {{"z", false}}},
    };
    auto analyzer = Analyzer::default_instance();
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        TempDir t;
        Xapian::WritableDatabase db(t / "db", Xapian::DB_CREATE);
        Article a;
        a.title = "Banjir merendam rumah warga";
        a.paragraphs = {kBanjir};
        a.date = "2022-12-06";
        const std::uint64_t content = content_signature(a);
        for (const auto& [id, head] : c.members) {
            a.id = id;
            const Duplicate d{content, head, head ? std::vector<std::string>{"stale"} : std::vector<std::string>{}};
            db.add_document(make_document(a, *analyzer, 1, nullptr, &d));
        }
        db.commit();
        std::vector<std::string> ids;
        for (const auto& m : c.members) ids.push_back(m.first);
        settle_group(db, cluster_term(content));
        db.commit();
        EXPECT_EQ(groups_of(t / "db"), std::vector<GroupState>{settled(ids)});
        EXPECT_EQ(settle_group(db, cluster_term(content)), 0u);  // settled stays settled
    }
}

TEST(DupGroups, ACollapsedSearchAccountsForEveryMatch) {
    // Groups, near-duplicates and singles: for every query, the hits and their
    // duplicates are exactly the documents --no-collapse finds, and the hits
    // come in the order --no-collapse ranks them. With many copies the match
    // walks the heads' list, with few it skips the copies': both are checked.
    for (const bool many : {true, false}) {
    SCOPED_TRACE(many ? "mostly copies" : "few copies");
    TempDir t;
    const std::vector<std::string> texts = {kBanjir, kBeras, kGempa};
    std::string feed;
    std::uint64_t x = 7;
    auto next = [&] {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::size_t>(x >> 33);
    };
    for (int i = 0; i < 90; ++i) {
        // Mostly copies: 9 stories (3 texts x 3 endings). Few: every tenth
        // document repeats the one before, the rest differ. Each is one
        // paragraph over 300 bytes (shorter ones repeated in five documents
        // of a batch count as template).
        const std::size_t story = many ? next() % 9 : static_cast<std::size_t>(i % 10 == 9 ? i - 1 : i);
        const std::string text = texts[story % 3] + " " + texts[(story + 1) % 3] +
                                 (story / 3 ? " Kabar " + std::to_string(story) + " menyusul." : "");
        const std::string source = next() % 4 == 0 && many ? "KOMPAS" : "ANTARA";
        feed += feed_line("n" + std::to_string(next() % 1000) + "-" + std::to_string(i), "Kabar hari ini", text, source);
    }
    t.write("feed.jsonl", feed);
    build(t / "db", {t / "feed.jsonl"}, true, 3);
    ASSERT_GE(groups_of(t / "db").size(), many ? 5u : 8u);
    Searcher s({t / "db"});
    for (const std::string q : {"banjir", "beras OR gempa", "kabar", "\"bantuan kepada warga\"", "source:kompas",
                                "warga NEAR/5 perahu", "-banjir kabar"}) {
        SCOPED_TRACE(q);
        const auto all = hits(s, q, false, 200);
        const auto folded = hits(s, q, true, 200);
        std::vector<std::string> order;  // --no-collapse's ids, in rank order
        for (const auto& h : all) order.push_back(h.substr(0, h.find('[')));
        std::multiset<std::string> accounted;
        std::size_t last = 0;
        for (const auto& h : folded) {
            const std::string id = h.substr(0, h.find('['));
            const auto at = std::find(order.begin(), order.end(), id);
            ASSERT_NE(at, order.end()) << id;
            EXPECT_GE(static_cast<std::size_t>(at - order.begin()), last) << "out of order: " << id;
            last = static_cast<std::size_t>(at - order.begin());
            accounted.insert(id);
            std::string rest = h.substr(h.find('[') + 1);
            rest.pop_back();
            for (std::size_t b = 0; !rest.empty() && b <= rest.size();) {
                const std::size_t e = std::min(rest.find(',', b), rest.size());
                accounted.insert(rest.substr(b, e - b));
                b = e + 1;
            }
        }
        EXPECT_EQ(accounted, std::multiset<std::string>(order.begin(), order.end()));
        if (!all.empty()) EXPECT_LT(folded.size(), all.size());
    }
    }
}
