// End to end: the programs as a user runs them, their output and exit codes.
#include "json.h"
#include "test_util.h"

#include <sstream>

using namespace cari::test;

namespace {

std::vector<cari::json::Value> json_lines(const std::string& out) {
    std::vector<cari::json::Value> v;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) v.push_back(cari::json::parse(line));
    return v;
}

class Seeds : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        const std::string shared = shared_dir();
        if (shared.empty()) return;
        dir_ = new TempDir;
        const auto r = run(bin("cari-index") + " build --quiet --db " + (*dir_ / "db") + " " + shared + "/seeds/*.txt");
        build_code_ = r.code;
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    void SetUp() override {
        if (!dir_) GTEST_SKIP() << "shared data not found: set CARI_SHARED or put it at " CARI_SOURCE_DIR "/../shared";
        ASSERT_EQ(build_code_, 0);
    }
    static RunResult search(const std::string& args) {
        return run(bin("cari-search") + " --db " + (*dir_ / "db") + " " + args);
    }
    static inline TempDir* dir_ = nullptr;
    static inline int build_code_ = -1;
};

} // namespace

TEST_F(Seeds, LavrovFindsTheThreeArticlesWithHighlightedSnippets) {
    const auto r = search("--json --no-collapse Lavrov");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto lines = json_lines(r.out);
    ASSERT_EQ(lines.size(), 1u);
    const auto& hits = lines[0].find("hits")->arr;
    ASSERT_EQ(hits.size(), 3u);
    std::set<std::string> files;
    for (const auto& h : hits) {
        files.insert(std::filesystem::path(h.find("path")->text()).filename().string().substr(0, 3));
        const std::string snip = h.find("snippet")->text();
        EXPECT_NE(snip.find("<mark>Lavrov</mark>"), std::string::npos) << snip;
        for (const char* k : {"rank", "id", "path", "title", "date", "source", "score", "snippet", "highlights"})
            EXPECT_NE(h.find(k), nullptr) << k;
    }
    EXPECT_EQ(files, (std::set<std::string>{"000", "002", "003"}));
    for (const char* k : {"query", "total", "total_exact", "took_ms", "hits"}) EXPECT_NE(lines[0].find(k), nullptr) << k;
}

TEST_F(Seeds, ExactTotalCountsEveryMatch) {
    const auto all = search("--json --no-collapse -n 100 perjanjian");
    const auto one = search("--json --no-collapse -n 1 --exact-total perjanjian");
    ASSERT_EQ(all.code, 0) << all.err;
    ASSERT_EQ(one.code, 0) << one.err;
    const auto a = json_lines(all.out), o = json_lines(one.out);
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(o.size(), 1u);
    EXPECT_EQ(o[0].find("hits")->arr.size(), 1u);
    EXPECT_EQ(o[0].find("total")->text(), std::to_string(a[0].find("hits")->arr.size()));
    EXPECT_TRUE(o[0].find("total_exact")->b);
    // A count: --limit 0 prints the number and exits 0 when something matched, 1 when nothing did.
    const auto count = search("--color never -n 0 --exact-total perjanjian");
    EXPECT_EQ(count.code, 0) << count.err;
    EXPECT_EQ(count.out.find("No results"), std::string::npos) << count.out;
    EXPECT_EQ(count.out.rfind(o[0].find("total")->text() + " results (", 0), 0u) << count.out;
    const auto none = search("--color never -n 0 zzzzqqqq");
    EXPECT_EQ(none.code, 1) << none.out;
    EXPECT_NE(none.out.find("No results for zzzzqqqq."), std::string::npos) << none.out;
}

TEST_F(Seeds, PhrasesAndProximity) {
    struct Row { const char* query; std::size_t hits; };
    const Row rows[] = {
        {"'\"perjanjian damai\"'", 3},       // 000, 001, 004 say it; 002 has "perjanjian perdamaian"
        {"'\"damai perjanjian\"'", 0},       // reversed order finds nothing
        {"'Lavrov NEAR/6 Bayramov'", 1},
        {"'Lavrov NEAR/1 Bayramov'", 0},
        {"'Lavrov NEAR/6 (Bayramov OR Zzzqqq)'", 1},   // alternatives beside NEAR
        {"'Lavrov NEAR/1 (Bayramov OR Zzzqqq)'", 0},
        {"'Lavrov -Lavrov NEAR/6 Bayramov'", 2},       // 000 left out: the pair is near there
        {"'Lavrov NEAR/6 -Bayramov'", 2},              // read as Lavrov -Bayramov
        {"'\"Lavrov Bayramov\"~3'", 1},                 // Lucene's proximity phrase: NEAR/4 (4 apart)
        {"'\"Bayramov Lavrov\"~3'", 1},                 // in any order
        {"'\"Lavrov Bayramov\"~2'", 0},
    };
    for (const auto& r : rows) {
        const auto res = search("--json --no-collapse " + std::string(r.query));
        const auto lines = json_lines(res.out);
        ASSERT_EQ(lines.size(), 1u) << r.query << res.err;
        const auto& hits = lines[0].find("hits")->arr;
        if (std::string(r.query).find("perjanjian damai") != std::string::npos && r.hits) {
            EXPECT_GE(hits.size(), r.hits) << r.query;
        } else {
            EXPECT_EQ(hits.size(), r.hits) << r.query;
        }
        EXPECT_EQ(res.code, hits.empty() ? 1 : 0) << r.query;
    }
}

TEST_F(Seeds, PhraseMatchIsHighlightedAsOneSpan) {
    const auto r = search("--json '\"perjanjian damai\"'");
    const auto lines = json_lines(r.out);
    ASSERT_EQ(lines.size(), 1u);
    // Matched on stems: "perjanjian perdamaian" is the same phrase.
    for (const auto& h : lines[0].find("hits")->arr) {
        const std::string s = h.find("snippet")->text();
        EXPECT_TRUE(s.find("<mark>perjanjian damai</mark>") != std::string::npos ||
                    s.find("<mark>perjanjian perdamaian</mark>") != std::string::npos) << s;
    }
}

// A NEAR pair, written either way, is one span from the first word to the last.
TEST_F(Seeds, NearPairIsHighlightedAsOneSpan) {
    for (const char* q : {"'Lavrov NEAR/6 (Bayramov OR Zzzqqq)'", "'\"Bayramov Lavrov\"~3'"}) {
        const auto r = search(std::string("--json ") + q);
        const auto lines = json_lines(r.out);
        ASSERT_EQ(lines.size(), 1u) << q;
        const auto& hits = lines[0].find("hits")->arr;
        ASSERT_EQ(hits.size(), 1u) << q;
        const std::string s = hits[0].find("snippet")->text();
        EXPECT_NE(s.find("<mark>Lavrov mengatakan pertemuannya dengan Bayramov</mark>"), std::string::npos) << q << ": " << s;
    }
}

// Seeds 000 and 001 both come from Anadolu, but they are two stories (Lavrov
// in December 2022, Peskov after September 2023) sharing one background
// paragraph: SimHash 33 bits apart, shingle Jaccard 0.05. Folding them would
// hide a story, so collapse (the default) shows both; no seed is a copy of another.
TEST_F(Seeds, TwoStoriesOfOneAgencyAreNotFolded) {
    const auto r = search("--json 'perjanjian damai'");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto lines = json_lines(r.out);
    ASSERT_EQ(lines.size(), 1u);
    std::set<std::string> files;
    for (const auto& h : lines[0].find("hits")->arr) {
        files.insert(std::filesystem::path(h.find("path")->text()).filename().string().substr(0, 3));
        ASSERT_NE(h.find("duplicates"), nullptr);
        EXPECT_EQ(h.find("duplicates")->text(), "0") << h.find("path")->text();
    }
    EXPECT_TRUE(files.count("000") && files.count("001")) << r.out;
}

TEST_F(Seeds, HumanOutputHasNoColourWhenPiped) {
    const auto r = search("Lavrov");
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
    EXPECT_NE(r.out.find("results"), std::string::npos);
    const auto c = search("--color always Lavrov");
    EXPECT_NE(c.out.find("\x1b[1;31mLavrov"), std::string::npos);
}

TEST_F(Seeds, TypedQuestionsNeverFail) {
    for (const char* q : {"'Siapa utusan Rusia untuk normalisasi hubungan Azerbaijan-Armenia?'", "'((\"'", "'\?\?\?'",
                          "'NEAR/3'", "'AND OR NOT'"}) {
        const auto r = search(std::string("--json ") + q);
        EXPECT_TRUE(r.code == 0 || r.code == 1) << q << " " << r.err;
        EXPECT_EQ(json_lines(r.out).size(), 1u) << q;
    }
}

TEST_F(Seeds, ClosedPipeIsNotAnError) {
    const auto r = run("set -o pipefail; " + bin("cari-search") + " --db " + (*dir_ / "db") +
                       " --batch <(yes Lavrov | head -2000) | head -1");
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
}

TEST(Programs, ExitCodesAndMessages) {
    TempDir t;
    // Missing index: 2, one line.
    auto r = run(bin("cari-search") + " --db " + (t / "nope") + " anything");
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("no index at"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
    // Bad option: 2.
    EXPECT_EQ(run(bin("cari-search") + " --limit x q").code, 2);
    // An excluded word read as an option: 2, and the way to type it.
    r = run(bin("cari-search") + " --db " + (t / "nope") + " banjir -jakarta");
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("'-jakarta' reads as an option"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("cari-search -- banjir -jakarta"), std::string::npos) << r.err;
    EXPECT_EQ(run(bin("cari-search") + " --bogus q").err.find("reads as an option"), std::string::npos);
    EXPECT_EQ(run(bin("cari-index") + " build").code, 2);
    // Some input skipped: 1, named with its line.
    t.write("in/feed.jsonl", "{\"id\":\"a\",\"title\":\"Judul berita\",\"text\":\"Isi berita yang cukup panjang untuk diindeks oleh Cari hari ini.\"}\n{broken\n");
    r = run(bin("cari-index") + " build --db " + (t / "db") + " " + (t / "in"));
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("feed.jsonl:2:"), std::string::npos) << r.err;
    // No hits: 1.
    r = run(bin("cari-search") + " --db " + (t / "db") + " tidakadasamasekali");
    EXPECT_EQ(r.code, 1);
    // stats --json
    r = run(bin("cari-index") + " stats --json --db " + (t / "db"));
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(cari::json::parse(r.out).find("documents")->text(), "1");
}

TEST(Programs, StemPrintsWordTabStem) {
    auto r = run(bin("cari-index") + " stem Rusia Armenia");
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.out, "Rusia\trusia\nArmenia\tarmenia\n");
    r = run("echo 'Rusia Armenia' | " + bin("cari-index") + " stem");
    EXPECT_EQ(r.out, "Rusia\trusia\nArmenia\tarmenia\n");
}

TEST(Programs, CleanJsonHasTheDocumentedFields) {
    TempDir t;
    t.write("a.jsonl", "{\"id\":\"a\",\"url\":\"https://x.id/a\",\"title\":\"Judul\",\"date\":\"2021-05-06T10:12:00+07:00\",\"source\":\"ANTARA\",\"text\":\"Paragraf pertama yang berisi cukup banyak kata untuk dianggap isi berita.\"}\n");
    const auto r = run(bin("cari-index") + " clean --json " + (t / "a.jsonl"));
    ASSERT_EQ(r.code, 0) << r.err;
    const auto v = cari::json::parse(r.out);
    for (const char* k : {"path", "id", "title", "date", "source", "author", "url", "body", "dropped"})
        EXPECT_NE(v.find(k), nullptr) << k;
    EXPECT_EQ(v.find("id")->text(), "a");
    EXPECT_EQ(v.find("source")->text(), "ANTARA");
}

TEST(Programs, ReadsStdin) {
    TempDir t;
    const auto r = run("printf '%s\\n' '{\"id\":\"s1\",\"title\":\"Dari stdin\",\"text\":\"Berita yang datang lewat pipa standar masuk ke indeks tanpa berkas.\"}' | " +
                       bin("cari-index") + " build --quiet --db " + (t / "db") + " -");
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(run(bin("cari-search") + " --db " + (t / "db") + " pipa").code, 0);
}
