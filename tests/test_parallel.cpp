// The parallel build (sharded, merged) answers exactly like one writer: the
// same documents in the same order, the same terms, positions, values and
// data, the same ranked answers; and it cleans up after itself.
#include "document.h"
#include "index.h"
#include "schema.h"
#include "search.h"
#include "test_util.h"

#include <xapian.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace cari;
using cari::test::TempDir;
namespace fs = std::filesystem;

namespace {

IndexReport build(const std::string& db, const std::vector<std::string>& paths, unsigned jobs, unsigned shards,
                  bool sharded = true) {
    IndexOptions o;
    o.db = db;
    o.create = sharded;  // the single-writer reference: update into an empty index
    o.sharded = sharded;
    o.jobs = jobs;
    o.parts = shards;
    return index_paths(paths, o);
}

// One document, everything Xapian keeps of it, as text.
std::string dump_document(const Xapian::Database& db, Xapian::docid did) {
    std::ostringstream o;
    const Xapian::Document d = db.get_document(did);
    for (auto t = db.termlist_begin(did); t != db.termlist_end(did); ++t) {
        o << *t << ':' << t.get_wdf();
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) o << ',' << *p;
        o << ' ';
    }
    for (auto v = d.values_begin(); v != d.values_end(); ++v) o << '#' << v.get_valueno() << '=' << *v;
    o << "|len=" << db.get_doclength(did) << "|data=" << d.get_data();
    return o.str();
}

// Every document, in docid order (a merged index may skip docids; the order is what ranking ties see).
std::vector<std::string> dump_index(const std::string& path) {
    Xapian::Database db(path);
    std::vector<std::string> docs;
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) docs.push_back(dump_document(db, *p));
    return docs;
}

std::map<std::string, std::string> metadata(const std::string& path) {
    Xapian::Database db(path);
    std::map<std::string, std::string> m;
    for (auto k = db.metadata_keys_begin(); k != db.metadata_keys_end(); ++k) m[*k] = db.get_metadata(*k);
    return m;
}

// Ranked ids and scores of each query, top 20.
std::vector<std::string> answers(const std::string& db, const std::vector<std::string>& queries) {
    Searcher s({db});
    SearchOptions so;
    so.limit = 20;
    so.suggest = false;
    std::vector<std::string> out;
    for (const auto& q : queries) {
        const auto r = s.search(q, so);
        std::ostringstream o;
        o << q << " total=" << r.total << ':';
        for (const auto& h : r.hits) o << ' ' << h.doc.id << '=' << h.score;
        out.push_back(o.str());
    }
    return out;
}

void expect_same_index(const std::string& a, const std::string& b, const std::vector<std::string>& queries) {
    const auto da = dump_index(a), db = dump_index(b);
    ASSERT_EQ(da.size(), db.size()) << a << " vs " << b;
    for (std::size_t i = 0; i < da.size(); ++i) ASSERT_EQ(da[i], db[i]) << "document " << i + 1;
    Xapian::Database xa(a), xb(b);
    EXPECT_EQ(xa.get_doccount(), xb.get_doccount());
    EXPECT_EQ(xa.get_total_length(), xb.get_total_length());
    EXPECT_EQ(metadata(a), metadata(b));
    EXPECT_EQ(answers(a, queries), answers(b, queries));
}

std::string jsonl_line(const std::string& id, const std::string& title, const std::string& text) {
    return "{\"id\":\"" + id + "\",\"title\":\"" + title + "\",\"date\":\"2022-12-0" + std::to_string(title.size() % 9 + 1) +
           "\",\"source\":\"ANTARA\",\"text\":\"" + text + "\"}";
}

const std::vector<std::string> kWords = {"banjir", "merendam", "rumah",  "warga",   "pemerintah", "provinsi", "gempa",
                                         "bumi",   "sungai",   "posko",  "evakuasi", "pengungsi", "bantuan",  "menteri",
                                         "kesehatan", "demam", "berdarah", "kasus",  "harga",      "beras",    "pasar"};

// A feed of n articles from a fixed word list (deterministic), some ids repeated far apart.
std::string synthetic_feed(int n) {
    std::string feed;
    std::uint64_t x = 12345;
    auto next = [&] {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::size_t>(x >> 33);
    };
    std::vector<std::pair<std::string, std::string>> earlier;
    for (int i = 0; i < n; ++i) {
        std::string title, text;
        for (int w = 0; w < 5; ++w) title += (w ? " " : "") + kWords[next() % kWords.size()];
        for (int w = 0; w < 120; ++w) text += (w ? (w % 15 == 0 ? ". " : " ") : "") + kWords[next() % kWords.size()];
        // Every 50th article repeats the id of one near the start: the later copy wins, in the earlier place.
        std::string id = (i % 50 == 49) ? "a" + std::to_string(i / 50) : "a" + std::to_string(i);
        // Every 30th is an exact copy of an earlier article under a new id, a
        // smaller or a larger one (exact-duplicate groups, across shards too).
        if (i % 30 == 29 && i % 50 != 49) {
            std::tie(title, text) = earlier[static_cast<std::size_t>(i) % 7 * 3];
            id = (i % 60 == 29 ? "0dup" : "zdup") + std::to_string(i);
        }
        earlier.emplace_back(title, text);
        feed += jsonl_line(id, title, text) + "\n";
        if (i % 37 == 0) feed += "{broken line\n";
    }
    return feed;
}

const std::vector<std::string> kQueries = {"banjir",          "warga posko",      "\"demam berdarah\"",
                                           "gempa NEAR/5 sungai", "harga beras pasar", "menteri kesehatan",
                                           "bantuan",         "pengungsi evakuasi", "banjir OR gempa",
                                           "title:banjir",    "=merendam",        "source:antara rumah"};

} // namespace

TEST(Parallel, ProjectCorpusBuildsTheSameWithOneOrTwoJobs) {
    TempDir t;
    const std::string corpus = test::source_dir() + "/corpus/articles";
    const auto r1 = build(t / "j1", {corpus}, 1, 0);
    const auto r2 = build(t / "j2", {corpus}, 2, 0);
    const auto r3 = build(t / "serial", {corpus}, 2, 0, false);
    EXPECT_EQ(r1.added, r2.added);
    EXPECT_EQ(r1.added, r3.added);
    EXPECT_EQ(r1.skipped, r2.skipped);
    const std::vector<std::string> q = {"banjir", "persib persija", "\"sistem peringatan dini\"", "gempa NEAR/5 sukabumi",
                                        "inflasi", "demam berdarah", "bendungan", "pilkada damai"};
    expect_same_index(t / "j1", t / "j2", q);
    expect_same_index(t / "j1", t / "serial", q);
}

TEST(Parallel, ShardsSplitAFeedAndStillAnswerLikeOneWriter) {
    TempDir t;
    t.write("feed.jsonl", synthetic_feed(1500));  // about 1 MB: several shards
    const auto ref = build(t / "serial", {t / "feed.jsonl"}, 2, 0, false);
    for (unsigned shards : {1u, 2u, 3u, 7u}) {
        SCOPED_TRACE("shards " + std::to_string(shards));
        const std::string db = t / ("s" + std::to_string(shards));
        const auto r = build(db, {t / "feed.jsonl"}, 2, shards);
        EXPECT_EQ(r.parts, shards);
        EXPECT_EQ(r.added, ref.added);
        EXPECT_EQ(r.replaced, ref.replaced);
        EXPECT_EQ(r.skipped, ref.skipped);
        // Problems in input order, with their line numbers.
        ASSERT_EQ(r.problems.size(), ref.problems.size());
        for (std::size_t i = 0; i < r.problems.size(); ++i) EXPECT_EQ(r.problems[i].line, ref.problems[i].line);
        expect_same_index(t / "serial", db, kQueries);
    }
    EXPECT_GT(ref.replaced, 20u);
    {
        Xapian::Database serial(t / "serial");  // exact-duplicate groups were built and compared
        const std::string xc(schema::kCluster);
        EXPECT_NE(serial.allterms_begin(xc), serial.allterms_end(xc));
        EXPECT_GT(serial.get_termfreq(std::string(schema::kNotHead)), 10u);
    }
    // A file named twice, and a feed whose every line is broken (metadata with no documents).
    std::string broken;
    for (int i = 0; i < 40000; ++i) broken += "{\"id\": broken line " + std::to_string(i) + "\n";
    t.write("broken.jsonl", broken);
    const std::vector<std::string> twice = {t / "feed.jsonl", t / "broken.jsonl", t / "feed.jsonl"};
    const auto ref2 = build(t / "serial2", twice, 2, 0, false);
    const auto r2 = build(t / "twice", twice, 2, 3);
    EXPECT_EQ(r2.added, ref2.added);
    EXPECT_EQ(r2.replaced, ref2.replaced);
    EXPECT_EQ(r2.skipped, ref2.skipped);
    expect_same_index(t / "serial2", t / "twice", kQueries);
    // An update of the built index sees every line unchanged.
    IndexOptions o;
    o.db = t / "s3";
    const auto u = index_paths({t / "feed.jsonl"}, o);
    EXPECT_EQ(u.added + u.replaced, 0u);
    EXPECT_EQ(u.unchanged, ref.added + ref.replaced);
}

TEST(Parallel, ClickidSampleBuildsTheSameWithOneOrTwoJobs) {
    const std::string shared = test::shared_dir();
    if (shared.empty()) GTEST_SKIP() << "shared data not found";
    TempDir t;
    // The first 3,000 articles, then 20 of them again with new titles (ids recur across shards).
    std::ifstream in(shared + "/corpus/clickid/clickid_articles.jsonl", std::ios::binary);
    std::string line, feed, again;
    for (int i = 0; i < 3000 && std::getline(in, line); ++i) {
        feed += line + "\n";
        if (i % 150 == 7) {
            const auto p = line.find("\"title\": \"");
            ASSERT_NE(p, std::string::npos);
            again += line.substr(0, p + 10) + "Diperbarui " + line.substr(p + 10) + "\n";
        }
    }
    t.write("clickid.jsonl", feed + again);
    const auto r1 = build(t / "j1", {t / "clickid.jsonl"}, 1, 0);
    const auto r2 = build(t / "j2", {t / "clickid.jsonl"}, 2, 0);
    EXPECT_EQ(r1.added, 3000u);
    EXPECT_EQ(r2.added, 3000u);
    EXPECT_EQ(r2.replaced, 20u);
    EXPECT_EQ(r2.parts, 2u);
    expect_same_index(t / "j1", t / "j2",
                      {"jokowi", "presiden joko widodo", "\"tim nasional\"", "banjir NEAR/5 jakarta", "harga emas",
                       "pemilu", "kebakaran hutan", "diperbarui", "persib", "gempa bumi"});
}

TEST(Parallel, LeftoverTempFoldersAreRemovedAndTheOldIndexSurvivesAKill) {
    TempDir t;
    t.write("feed.jsonl", synthetic_feed(300));
    ASSERT_EQ(build(t / "db", {t / "feed.jsonl"}, 2, 0).skipped, 9u);
    const auto before = dump_index(t / "db");

    // A leftover of a build that died (no such process).
    pid_t dead = fork();
    if (dead == 0) _exit(0);
    waitpid(dead, nullptr, 0);
    const std::string stale = t / ("db.cari-tmp-" + std::to_string(dead));
    fs::create_directories(stale + "/shard-0");
    t.write("db.cari-tmp-" + std::to_string(dead) + "/shard-0/junk", "x");

    // A build killed part way leaves the old index as it was.
    t.write("big.jsonl", synthetic_feed(20000));
    const pid_t pid = fork();
    if (pid == 0) {
        execl(test::bin("cari-index").c_str(), "cari-index", "build", "--quiet", "--db", (t / "db").c_str(),
              (t / "big.jsonl").c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    usleep(700 * 1000);
    kill(pid, SIGKILL);
    int st = 0;
    waitpid(pid, &st, 0);
    EXPECT_EQ(dump_index(t / "db"), before);

    // The next run removes what both left behind.
    build(t / "db", {t / "feed.jsonl"}, 2, 0);
    for (const auto& e : fs::directory_iterator(t.path()))
        EXPECT_EQ(e.path().filename().string().find(".cari-tmp-"), std::string::npos) << e.path();
    EXPECT_EQ(dump_index(t / "db"), before);
}

TEST(Parallel, BuildRefusesToReplaceAFolderThatIsNotAnIndex) {
    TempDir t;
    t.write("in/a.jsonl", jsonl_line("x", "Banjir", "Banjir merendam rumah warga di tepi sungai.") + "\n");
    t.write("notes/keep.txt", "mine");
    EXPECT_THROW(build(t / "notes", {t / "in"}, 2, 0), std::runtime_error);
    EXPECT_TRUE(fs::exists(t / "notes/keep.txt"));
}

TEST(Parallel, SimHashIsTheMajorityOfShingleBits) {
    // The packed counter must give what a plain per-bit vote gives.
    std::vector<Token> toks;
    for (int i = 0; i < 1200; ++i) {
        Token tk;
        tk.stem = kWords[(i * 7 + i / 13) % kWords.size()] + std::to_string(i % 17);
        toks.push_back(tk);
    }
    for (std::size_t n : {0u, 2u, 3u, 10u, 254u, 255u, 256u, 257u, 600u, 1200u}) {
        std::vector<Token> part(toks.begin(), toks.begin() + static_cast<std::ptrdiff_t>(n));
        std::array<int, 64> acc{};
        std::uint64_t p2 = 0, p1 = 0;
        for (std::size_t i = 0; i < part.size(); ++i) {
            const std::uint64_t h = hash64(part[i].stem);
            if (i >= 2) {
                std::uint64_t x = p2 * 0x9E3779B97F4A7C15ULL ^ p1 * 0xC2B2AE3D27D4EB4FULL ^ h;
                x ^= x >> 30; x *= 0xBF58476D1CE4E5B9ULL; x ^= x >> 27; x *= 0x94D049BB133111EBULL; x ^= x >> 31;
                for (int b = 0; b < 64; ++b) acc[b] += (x >> b) & 1 ? 1 : -1;
            }
            p2 = p1;
            p1 = h;
        }
        std::uint64_t want = 0;
        for (int b = 0; b < 64; ++b)
            if (acc[b] > 0) want |= 1ULL << b;
        EXPECT_EQ(simhash(part), want) << n << " tokens";
    }
}
