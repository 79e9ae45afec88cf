// Searching an index: ranking order, near-duplicate collapse, abbreviations,
// spelling suggestions, bounded queries, JSON fields.
#include "index.h"
#include "json.h"
#include "output.h"
#include "schema.h"
#include "search.h"
#include "test_util.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <limits>
#include <random>
#include <set>

using namespace cari;
using namespace cari::test;

namespace {

std::string feed_line(const std::string& id, const std::string& title, const std::string& text) {
    std::string o = "{\"id\":";
    json::write_string(o, id);
    o += ",\"title\":";
    json::write_string(o, title);
    o += ",\"date\":\"2024-03-20\",\"source\":\"Uji\",\"text\":";
    json::write_string(o, text);
    return o + "}";
}

const std::string kFiller =
    "Warga setempat mengikuti kegiatan itu sejak pagi hari dan petugas mencatat jumlah peserta yang hadir di lapangan. ";

// A small feed whose documents differ in which query words they hold.
const std::vector<std::array<std::string, 3>> kDocs = {
    {"all", "Laporan kegiatan", "Pasukan perdamaian tiba di Sudan untuk menjaga gencatan senjata. " + kFiller},
    {"many", "Sudan", "Sudan Sudan Sudan. Pemerintah Sudan dan warga Sudan menyambut Sudan baru. " + kFiller},
    {"some", "Pasukan", "Pasukan keamanan berjaga di perbatasan selama pekan ini. " + kFiller},
    {"menlu", "Diplomasi", "Menteri Luar Negeri Retno Marsudi bertemu mitranya di Jenewa. " + kFiller},
    {"as1", "Kunjungan", "Presiden Amerika Serikat tiba di Jakarta untuk kunjungan kenegaraan. " + kFiller},
    {"as2", "Roda", "Bengkel itu mengganti as roda truk yang patah di jalan tol. " + kFiller},
    {"az1", "Kaukasus", "Azerbaijan dan Armenia membahas perjanjian damai di Azerbaijan. " + kFiller},
    {"az2", "Kaukasus lagi", "Presiden Azerbaijan menerima utusan Rusia. " + kFiller},
    {"az3", "Baku", "Ibu kota Azerbaijan adalah Baku. " + kFiller},
    {"kpk", "Korupsi", "Komisi Pemberantasan Korupsi menahan seorang pejabat daerah. " + kFiller},
    {"menlu2", "Kunjungan kerja", "Menlu Sugiono menerima mitranya dari Mesir di Jakarta. " + kFiller},
    // An abbreviation the archive defines once and then uses alone.
    {"krc1", "Taman lumut", "Pengelola Kebun Raya Cibodas (KRC) membangun taman lumut. " + kFiller},
    {"krc2", "Areal", "Areal KRC luasnya 125 hektar. " + kFiller},
    // Rare words beside a frequent one ("warga" is in every document).
    {"typo", "Salah ketik", "Para wargs berkumpul di balai desa. " + kFiller},
    {"rare", "Nama langka", "Seorang perajin bernama Wargano tinggal di sana. " + kFiller},
};

class SearchFeed : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        std::string feed;
        for (const auto& d : kDocs) feed += feed_line(d[0], d[1], d[2]) + "\n";
        for (int i = 0; i < 300; ++i)  // many words beginning "kata" for the wildcard limit
            feed += feed_line("k" + std::to_string(i), "Kata", "kata" + std::to_string(i) + " " + kFiller) + "\n";
        dir_->write("feed.jsonl", feed);
        IndexOptions o;
        o.db = *dir_ / "db";
        o.create = true;
        o.jobs = 1;
        (void)index_paths({*dir_ / "feed.jsonl"}, o);
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static std::vector<std::string> ids(const SearchResult& r) {
        std::vector<std::string> v;
        for (const auto& h : r.hits) v.push_back(h.doc.id);
        return v;
    }
    static SearchResult find(const std::string& q, bool collapse = false) {
        Searcher s({*dir_ / "db"});
        SearchOptions o;
        o.collapse = collapse;
        return s.search(q, o);
    }
    static inline TempDir* dir_ = nullptr;
};

} // namespace

TEST_F(SearchFeed, DocumentsWithEveryWordRankFirstAndTheRestFollow) {
    struct Row { const char* query; const char* first; std::size_t at_least; };
    const Row rows[] = {
        // "many" says Sudan seven times, "some" has pasukan: both rank below the one with both words.
        {"pasukan Sudan", "all", 3},
        {"Sudan pasukan", "all", 3},
        {"perdamaian sudan", "all", 2},
        // A typed question whose words no document holds together still answers.
        {"Kapan pasukan perdamaian PBB tiba di Sudan Selatan?", "all", 3},
    };
    for (const auto& r : rows) {
        const auto res = find(r.query);
        const auto v = ids(res);
        ASSERT_FALSE(v.empty()) << r.query;
        EXPECT_EQ(v[0], r.first) << r.query;
        EXPECT_GE(v.size(), r.at_least) << r.query;
        EXPECT_FALSE(res.parsed.all_words.empty()) << r.query;
    }
    // No document is listed twice, whatever the words are made of (phrases, abbreviations).
    for (const char* q : {"pasukan Sudan", "\"pasukan perdamaian\" Sudan", "menlu Retno Jenewa", "KPK pejabat daerah",
                          "Presiden AS Jakarta", "warga pasukan Sudan perdamaian"}) {
        auto v = ids(find(q));
        const std::size_t n = v.size();
        std::sort(v.begin(), v.end());
        EXPECT_EQ(std::unique(v.begin(), v.end()) - v.begin(), static_cast<std::ptrdiff_t>(n)) << q;
    }
}

// Documents with every word rank first, but exclusions and filters still hold
// for them: "all" holds pasukan, sudan and gencatan.
TEST_F(SearchFeed, EveryWordFirstKeepsExclusionsAndFilters) {
    for (bool collapse : {false, true}) {
        const auto with = ids(find("pasukan sudan", collapse));
        ASSERT_FALSE(with.empty());
        EXPECT_EQ(with.front(), "all");
        const auto without = ids(find("pasukan sudan -gencatan", collapse));
        EXPECT_EQ(std::count(without.begin(), without.end(), "all"), 0);
        EXPECT_FALSE(without.empty());
        EXPECT_TRUE(ids(find("pasukan sudan source:lain", collapse)).empty());
        EXPECT_TRUE(ids(find("pasukan sudan date:..2020", collapse)).empty());
        EXPECT_EQ(ids(find("pasukan sudan source:uji", collapse)), with);
        // Every document is dated 2024-03-20: a month or day of one digit reads as two.
        for (const char* d : {"date:2024-03-20", "date:2024-3-20", "date:2024-3", "date:2024-3-1..2024-3-31", "date:..2024-3-20"})
            EXPECT_EQ(ids(find(std::string("pasukan sudan ") + d, collapse)), with) << d;
        EXPECT_TRUE(ids(find("pasukan sudan date:2024-3-21..", collapse)).empty());
        // A reversed range is read in order, not dropped (it once matched every date).
        EXPECT_EQ(ids(find("pasukan sudan date:2024-3-31..2024-3-1", collapse)), with);
        EXPECT_TRUE(ids(find("pasukan sudan date:2024-3-31..2024-3-21", collapse)).empty());
        // A group of filters filters, and a field or a sign before a group applies to all of it
        // (they were once a bag word matching every document of the source, a field dropped, a sign lost).
        EXPECT_EQ(ids(find("pasukan sudan (source:lain OR source:uji)", collapse)), with);
        EXPECT_EQ(ids(find("pasukan sudan source:(lain OR uji)", collapse)), with);
        EXPECT_EQ(ids(find("pasukan sudan (date:2023 OR date:2024)", collapse)), with);
        EXPECT_TRUE(ids(find("pasukan sudan (source:lain OR date:2023)", collapse)).empty());
        EXPECT_TRUE(ids(find("pasukan sudan -(source:uji OR gencatan)", collapse)).empty());
        const auto minus_group = ids(find("pasukan sudan -(gencatan OR keamanan)", collapse));
        EXPECT_FALSE(minus_group.empty());
        for (const char* gone : {"all", "some"}) EXPECT_EQ(std::count(minus_group.begin(), minus_group.end(), gone), 0) << gone;
        EXPECT_EQ(ids(find("title:(pasukan OR sudan)", collapse)), (std::vector<std::string>{"many", "some"}));
    }
}

TEST_F(SearchFeed, AbbreviationsFindTheirExpansions) {
    struct Row { const char* query; const char* want; const char* not_want; };
    const Row rows[] = {
        {"menlu Retno", "menlu", ""},
        {"Presiden AS", "as1", ""},
        {"KPK", "kpk", ""},
        {"as roda", "as2", ""},
        {"menlu NEAR/3 Retno", "menlu", ""},
    };
    for (const auto& r : rows) {
        const auto v = ids(find(r.query));
        ASSERT_FALSE(v.empty()) << r.query;
        EXPECT_EQ(v[0], r.want) << r.query;
    }
    // Both ways: the words of an expansion find the abbreviation, and a text
    // holding some of the words still ranks as a bag of words would.
    const auto both = ids(find("menteri luar negeri Sugiono"));
    ASSERT_FALSE(both.empty());
    EXPECT_EQ(both[0], "menlu2");
    EXPECT_NE(std::find(both.begin(), both.end(), "menlu"), both.end());
    EXPECT_EQ(find("menteri luar negeri Sugiono").parsed.parsed, "(menteri luar negeri OR menlu) sugiono");
    // Not for an exact-case key: "Amerika Serikat" does not add "as" (the axle).
    const auto us = ids(find("Amerika Serikat"));
    EXPECT_EQ(std::find(us.begin(), us.end(), "as2"), us.end());
    // Typed in lower case, "as" is the word: the Amerika Serikat document does not come first.
    const auto v = ids(find("as"));
    ASSERT_FALSE(v.empty());
    EXPECT_EQ(v[0], "as2");
    EXPECT_EQ(find("Presiden AS").parsed.parsed, "presiden (as OR \"amerika serikat\")");
    // The pair is highlighted as one span through the expansion.
    const auto near = find("menlu NEAR/3 Retno");
    ASSERT_FALSE(near.hits.empty());
    EXPECT_NE(render_marked(near.hits[0].snippet).find("<mark>Menteri Luar Negeri Retno</mark>"), std::string::npos)
        << render_marked(near.hits[0].snippet);
}

TEST_F(SearchFeed, AbbreviationsTheArchiveDefinesWorkBothWays) {
    // "Kebun Raya Cibodas (KRC)" in krc1 teaches the index that KRC is Kebun Raya Cibodas.
    const auto r = find("luas Kebun Raya Cibodas");
    EXPECT_EQ(r.parsed.parsed, "luas (kebun raya cibodas OR krc)");
    ASSERT_FALSE(r.hits.empty());
    EXPECT_EQ(r.hits[0].doc.id, "krc2");  // it writes only "KRC", with "luas"
    const auto k = ids(find("krc"));
    EXPECT_EQ(std::set<std::string>(k.begin(), k.end()), (std::set<std::string>{"krc1", "krc2"}));
    EXPECT_EQ(find("KRC").parsed.parsed, "krc OR \"kebun raya cibodas\"");
    // Switched off with the other abbreviations.
    Searcher s({*dir_ / "db"});
    s.ranking.synonyms = false;
    EXPECT_EQ(s.search("luas Kebun Raya Cibodas", SearchOptions{}).parsed.parsed, "luas kebun raya cibodas");
}

namespace {

// Writes feed (lines of feed_line) to t and indexes it into t/db: a new index, or an update.
void index_feed(TempDir& t, const std::string& feed, bool create) {
    IndexOptions o;
    o.db = t / "db";
    o.create = create;
    o.jobs = 1;
    t.write("feed.jsonl", feed);
    (void)index_paths({t / "feed.jsonl"}, o);
}

std::string parsed(TempDir& t, const std::string& query) {
    return Searcher({t / "db"}).search(query, SearchOptions{}).parsed.parsed;
}

} // namespace

TEST(SearchAbbreviations, LeaveTheIndexWithTheLastDocumentThatDefinedThem) {
    TempDir t;
    const std::string a = feed_line("a", "Satu", "Menurut Dewan Kesenian Jakarta (DKJ) pameran dibuka. " + kFiller) + "\n";
    const std::string b = feed_line("b", "Dua", "Acara Dewan Kesenian Jakarta (DKJ) terbaru. " + kFiller) + "\n";
    const std::string a2 = feed_line("a", "Satu", "Inflasi naik bulan ini. " + kFiller) + "\n";
    const std::string b2 = feed_line("b", "Dua", "Acara terbaru DKJ. " + kFiller) + "\n";
    index_feed(t, a + b, true);
    EXPECT_EQ(parsed(t, "DKJ"), "dkj OR \"dewan kesenian jakarta\"");
    // An update replaces one: the other still defines it.
    index_feed(t, a2 + b, false);
    EXPECT_EQ(parsed(t, "DKJ"), "dkj OR \"dewan kesenian jakarta\"");
    // ... and then the last one: DKJ is only a word again.
    index_feed(t, a2 + b2, false);
    EXPECT_EQ(parsed(t, "DKJ"), "dkj");
}

TEST(SearchAbbreviations, KeepTheLongFormsMostDocumentsWrite) {
    TempDir t;
    std::string feed;
    auto add = [&](const std::string& id, const std::string& text) { feed += feed_line(id, "Olahraga", text + " " + kFiller) + "\n"; };
    // KONI: three documents write one long form, one a misspelling, one a shorter form.
    for (int i = 0; i < 3; ++i) add("k" + std::to_string(i), "Komite Olahraga Nasional Indonesia (KONI) menggelar rapat.");
    add("k3", "Komite Olaharaga Nasional Indonesia (KONI) menggelar rapat.");
    add("k4", "Komite Olahraga Nasional (KONI) menggelar rapat.");
    // PSSI: two long forms, each in two documents: both kept.
    for (int i = 0; i < 2; ++i) add("p" + std::to_string(i), "Perserikatan Sepakbola Seluruh Indonesia (PSSI) berlatih.");
    for (int i = 2; i < 4; ++i) add("p" + std::to_string(i), "Persatuan Sepakbola Seluruh Indonesia (PSSI) berlatih.");
    index_feed(t, feed, true);
    EXPECT_EQ(parsed(t, "KONI"), "koni OR \"komite olahraga nasional indonesia\"");
    EXPECT_EQ(parsed(t, "PSSI"),
              "pssi OR \"persatuan sepakbola seluruh indonesia\" OR \"perserikatan sepakbola seluruh indonesia\"");
}

// The archive decides whether a defined abbreviation typed in lower case is
// the abbreviation: clickid defines THE (Times Higher Education) and SELF, and
// writes "the" and "self" as English words far more often.
TEST(SearchAbbreviations, ThoseTheArchiveWritesAsLowerCaseWordsNeedCapitals) {
    TempDir t;
    std::string feed;
    auto add = [&](const std::string& id, const std::string& text) { feed += feed_line(id, "Kampus", text + " " + kFiller) + "\n"; };
    add("the1", "Menurut Times Higher Education (THE), kampus itu naik peringkat. Peringkat THE terbit tiap tahun.");
    for (int i = 0; i < 3; ++i) add("song" + std::to_string(i), "Lagu the best of me diputar di acara the night itu.");
    add("w1", "Wahana Lingkungan Hidup Indonesia (WALHI) menggugat izin tambang.");
    add("w2", "Walhi menolak izin tambang. WALHI menyiapkan gugatan.");
    add("w3", "Direktur Walhi menyebut izin itu cacat.");
    add("plt", "Pelaksana Tugas (PLT) bupati dilantik. Plt bupati bekerja.");
    add("plt2", "Sang plt bupati dan plt sekda rapat.");
    index_feed(t, feed, true);
    Searcher s({t / "db"});
    struct Row { const char* query; const char* parsed; };
    const Row rows[] = {
        {"the", "the"},
        {"THE", "the OR \"times higher education\""},
        {"Times Higher Education", "times higher education"},
        {"walhi", "walhi OR \"wahana lingkungan hidup indonesia\""},  // title case and capitals: no word
        {"plt", "plt OR \"pelaksana tugas\""},  // the built-in table's entry: as before
    };
    for (const auto& r : rows) EXPECT_EQ(s.search(r.query, SearchOptions{}).parsed.parsed, r.parsed) << r.query;
    // "Times Higher Education" no longer matches every text holding "the".
    std::vector<std::string> found;
    for (const auto& h : s.search("Times Higher Education", SearchOptions{}).hits) found.push_back(h.doc.id);
    EXPECT_EQ(found, std::vector<std::string>{"the1"});
}

TEST_F(SearchFeed, SuggestsSpellingFromTheIndex) {
    struct Row { const char* query; const char* suggestion; };  // "" = none
    const Row rows[] = {
        {"Azebaijan", "Azerbaijan"},
        {"azerbaijn armenia", "azerbaijan armenia"},
        {"AZERBAIJAM", "AZERBAIJAN"},
        {"Azerbaijan", ""},
        {"perjanjian damai", ""},
        {"qqqqqqqq", ""},          // nothing close
        {"Azebaijan NEAR/3 Armenia", "Azerbaijan NEAR/3 Armenia"},
        {"wargs", "warga"},          // in one document, one edit from a word in hundreds
        {"Wargano", ""},             // in one document, two edits away: a name, left alone
        // A word of the language the index lacks is left alone beside a rare
        // form ("daerah", in one document), replaced beside a frequent one
        // ("petugas", in every document).
        {"darah", ""},
        {"petugasi", "petugas"},
    };
    for (const auto& r : rows) {
        const auto res = find(r.query);
        if (*r.suggestion) {
            ASSERT_TRUE(res.suggestion.has_value()) << r.query;
            EXPECT_EQ(*res.suggestion, r.suggestion) << r.query;
        } else {
            EXPECT_FALSE(res.suggestion.has_value()) << r.query << " -> " << res.suggestion.value_or("");
        }
    }
    // JSON: a string, or null.
    const auto j1 = json::parse(search_json(find("Azebaijan")));
    ASSERT_NE(j1.find("suggestion"), nullptr);
    EXPECT_EQ(j1.find("suggestion")->text(), "Azerbaijan");
    const std::string j2 = search_json(find("Azerbaijan"));
    EXPECT_NE(j2.find("\"suggestion\":null"), std::string::npos) << j2;
    // Human output.
    EXPECT_NE(search_human(find("Azebaijan"), false).find("Did you mean: Azerbaijan"), std::string::npos);
}

// An abbreviation the table knows is no misspelling, even when the archive
// lacks it and a frequent word is one edit away ("wargi" / "warga").
TEST_F(SearchFeed, KnownAbbreviationsAreNotSpellChecked) {
    dir_->write("syn-wargi.txt", "WARGI = warga setempat\n");
    Searcher s({*dir_ / "db"});
    EXPECT_TRUE(s.search("wargi", {}).suggestion.has_value());  // not in the table yet
    s.add_synonyms(*dir_ / "syn-wargi.txt");
    const auto res = s.search("WARGI", {});
    EXPECT_EQ(res.parsed.parsed, "wargi OR \"warga setempat\"");
    EXPECT_FALSE(res.suggestion.has_value()) << *res.suggestion;
    EXPECT_FALSE(res.hits.empty());
    // Its typed neighbours still are.
    EXPECT_EQ(s.search("WARGI petugasi", {}).suggestion.value_or(""), "WARGI petugas");
}

// JSON has no infinity or NaN: a score a weighting scheme overflowed is null,
// and the line stays one valid object.
TEST(SearchJson, NonFiniteNumbersAreNull) {
    struct Row { double score; json::Value::Type want; };
    const Row rows[] = {
        {1.5, json::Value::Type::Number},
        {std::numeric_limits<double>::infinity(), json::Value::Type::Null},
        {-std::numeric_limits<double>::infinity(), json::Value::Type::Null},
        {std::numeric_limits<double>::quiet_NaN(), json::Value::Type::Null},
    };
    for (const auto& row : rows) {
        SearchResult r;
        r.query = "q";
        r.hits.emplace_back();
        r.hits[0].score = row.score;
        const std::string line = search_json(r);
        const auto v = json::parse(line);
        const auto* hits = v.find("hits");
        ASSERT_NE(hits, nullptr) << line;
        ASSERT_EQ(hits->arr.size(), 1u) << line;
        const auto* score = hits->arr[0].find("score");
        ASSERT_NE(score, nullptr) << line;
        EXPECT_EQ(score->type, row.want) << line;
    }
}

// The total says when it is Xapian's estimate: "about" on a terminal, and
// total_exact in JSON.
TEST(SearchOutput, AnEstimatedTotalSaysSo) {
    struct Row { std::size_t total; bool exact; std::string human; bool json_exact; };
    const Row rows[] = {
        {200, false, "about 200 results (", false},
        {127, true, "127 results (", true},
        {1, true, "1 result (", true},
        {0, true, "0 results (", true},
    };
    for (const auto& row : rows) {
        SearchResult r;
        r.query = "gempa";
        r.total = row.total;
        r.total_exact = row.exact;
        const std::string human = search_human(r, false);
        EXPECT_NE(human.find(row.human), std::string::npos) << human;
        EXPECT_EQ(human.find("about") != std::string::npos, !row.exact) << human;
        const auto v = json::parse(search_json(r));
        const auto* exact = v.find("total_exact");
        ASSERT_NE(exact, nullptr);
        EXPECT_EQ(exact->type, json::Value::Type::Bool);
        EXPECT_EQ(exact->b, row.json_exact);
        EXPECT_EQ(v.find("total")->text(), std::to_string(row.total));
    }
}

// The exact forms whose frequencies the suggester may read: the searcher puts
// them in the match so that over remote shards none is looked up on its own.
TEST(Suggester, FrequencyTermsAreTheWordsItMayCheck) {
    const std::string e(schema::kExact);
    // Stop words, repeats, short words and words with digits are not checked.
    EXPECT_EQ(Suggester::frequency_terms({"yang", "azebaijan", "dan", "armenia", "azebaijan", "abc", "g20", "tiba"}),
              (std::vector<std::string>{e + "azebaijan", e + "armenia", e + "tiba"}));
    // At most max_words distinct words (repeats of a fixed word do not count).
    SuggestOptions o;
    o.max_words = 2;
    EXPECT_EQ(Suggester::frequency_terms({"wargs", "wargs", "abc", "pasukan", "sudan"}, o),
              (std::vector<std::string>{e + "wargs"}));
    EXPECT_TRUE(Suggester::frequency_terms({}).empty());
}

TEST(EditDistance, CountsEditsUpToTheLimit) {
    struct Row { const char* a; const char* b; unsigned limit; unsigned want; };
    const Row rows[] = {
        {"azerbaijan", "azebaijan", 2, 1},
        {"azerbaijan", "azrebaijan", 2, 1},   // neighbours swapped
        {"presiden", "presidn", 2, 1},
        {"damai", "damai", 2, 0},
        {"damai", "ramah", 2, 2},
        {"damai", "rumah", 2, 3},             // over the limit: limit + 1
        {"kata", "katakan", 2, 3},
        {"", "ab", 2, 2},
    };
    auto u32 = [](const char* s) {
        std::u32string o;
        for (; *s; ++s) o += static_cast<char32_t>(*s);
        return o;
    };
    for (const auto& r : rows) EXPECT_EQ(edit_distance(u32(r.a), u32(r.b), r.limit), r.want) << r.a << " " << r.b;
}

// "warga" is in all 315 documents and weighs the same in the 300 "kata"
// documents (same length, same text around it): equal weights run past the
// page's cut, which reorders the candidates by id. That answer is no less a
// part of the matches than the first (it once counted as all of them: a total
// of 10 or 15 and, with collapse on, a page cut short).
TEST_F(SearchFeed, EqualWeightsPastThePageCutKeepTheCountAndThePage) {
    const auto all = find("warga", false);
    EXPECT_EQ(all.hits.size(), 10u);
    EXPECT_EQ(all.total, kDocs.size() + 300);
    EXPECT_TRUE(all.total_exact);
    const auto folded = find("warga", true);
    EXPECT_EQ(folded.hits.size(), 10u);
    EXPECT_GT(folded.total, 15u);
}

// A total marked exact is the number of matches; exact_total makes every one
// exact, and so does a small archive (here at most 315 documents match).
// (Estimates let be, an OR of three words here is Xapian's: 10 for 4.)
TEST_F(SearchFeed, ExactTotalsCountEveryMatch) {
    Searcher s({*dir_ / "db"});
    std::size_t estimated = 0;
    for (const char* q : {"warga", "warga pasukan", "pasukan OR Sudan OR kata1", "kata*", "Sudan -pasukan",
                          "\"gencatan senjata\"", "Azerbaijan NEAR/3 Armenia", "title:kata", "zzzzqqqq", ""}) {
        SearchOptions every;
        every.collapse = false;
        every.limit = 1000;
        const std::size_t n = s.search(q, every).hits.size();
        for (const int mode : {0, 1, 2}) {  // estimates let be, the default, exact_total
            SearchOptions o;
            o.collapse = false;
            o.limit = 3;
            if (mode == 0) o.count_below = 0;
            o.exact_total = mode == 2;
            const auto r = s.search(q, o);
            if (mode > 0) EXPECT_TRUE(r.total_exact) << q;
            if (r.total_exact) EXPECT_EQ(r.total, n) << q;
            estimated += !r.total_exact;
        }
    }
    EXPECT_GT(estimated, 0u);
}

TEST_F(SearchFeed, QueriesAreBoundedAndNoted) {
    struct Row { std::string query; std::string note; };
    std::string long_query;
    for (int i = 0; i < 3000; ++i) long_query += "kata" + std::to_string(i) + " ";
    std::string many_words;
    for (int i = 0; i < 200; ++i) many_words += "pasukan ";
    const Row rows[] = {
        {long_query, "query cut to 4096 bytes"},
        {many_words, "only the first 64 words are used"},
        {"pasukan NEAR/4000000000 Sudan", "distance 4000000000 capped at 1000"},
        {"pasukan NEAR/99999999999999999999 Sudan", "capped at 1000"},
        {"kata*", "kata* matches more than 100 words"},
        {"((((((((((pasukan", "unclosed '(' closed at the end"},
    };
    for (const auto& r : rows) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto res = find(r.query);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        EXPECT_LT(s, 2.0) << r.query.substr(0, 60);
        std::string notes;
        for (const auto& n : res.parsed.notes) notes += n + "; ";
        EXPECT_NE(notes.find(r.note), std::string::npos) << r.query.substr(0, 60) << " notes: " << notes;
    }
    // The bounded wildcard still finds documents.
    EXPECT_FALSE(find("kata*").hits.empty());
}

TEST(RankingParams, ComeFromTheEnvironmentOrFailClearly) {
    struct Row { const char* env; bool ok; double k1; double b; };
    const Row rows[] = {
        {"", true, RankingParams{}.k1, RankingParams{}.b},
        {"k1=1.5", true, 1.5, RankingParams{}.b},
        {"k1=0.9,b=0.3", true, 0.9, 0.3},
        {"k1=abc", false, 0, 0},
        {"nonsense", false, 0, 0},
        {"zz=1", false, 0, 0},
    };
    for (const auto& r : rows) {
        ::setenv("CARI_RANKING", r.env, 1);
        if (r.ok) {
            const RankingParams p = RankingParams::from_env();
            EXPECT_DOUBLE_EQ(p.k1, r.k1) << r.env;
            EXPECT_DOUBLE_EQ(p.b, r.b) << r.env;
        } else {
            EXPECT_THROW((void)RankingParams::from_env(), std::runtime_error) << r.env;
        }
    }
    ::unsetenv("CARI_RANKING");
}

// The sample corpus holds one story twice (13-* from ANTARA, 14-* reprinted by a regional site).
class SampleCorpus : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        IndexOptions o;
        o.db = *dir_ / "db";
        o.create = true;
        o.jobs = 1;
        (void)index_paths({source_dir() + "/corpus/articles"}, o);
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static inline TempDir* dir_ = nullptr;
};

// A source: or author: word no document holds there searches the field's
// words that start with it, and says so: feeds name their source as a site
// ("tribunnews.com"), and users type source:tribun.
TEST_F(SampleCorpus, FieldWordsNoDocumentHoldsSearchTheWordsStartingWithThem) {
    Searcher s({*dir_ / "db"});
    auto sources = [&](const std::string& q) {
        std::set<std::string> v;
        for (const auto& h : s.search(q, {}).hits) v.insert(h.doc.source);
        return v;
    };
    struct Row { const char* query; const char* same_as; const char* parsed; const char* note; };
    const Row rows[] = {
        {"source:kon", "source:kontan", "source:kon*", "source:kon matches no document: searched source:kon* (kontan)"},
        {"source:ANT", "source:antara", "source:ant*", "source:ant matches no document: searched source:ant* (antara)"},
        {"author:adit", "author:aditya", "author:adit*", "author:adit matches no document: searched author:adit* (aditya)"},
        {"jakarta source:repub", "jakarta source:republika", "jakarta source:repub*",
         "source:repub matches no document: searched source:repub* (republika)"},
        // A word a document holds is searched as typed, even when longer words start with it.
        {"source:antara", "source:antara", "source:antara", ""},
        {"source:detik", "source:detikjateng", "source:detik*",
         "source:detik matches no document: searched source:detik* (detikjateng)"},
        // A typed prefix searches every field word starting with it, the word too.
        {"source:co*", "source:co OR source:com", "source:co*", ""},
        // =word: the word as typed.
        {"source:=ant", "source:=ant", "source:ant", ""},
        // No field word starts with it: nothing matches, nothing is said.
        {"source:liputan", "source:liputan", "source:liputan", ""},
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(r.query);
        const auto res = s.search(r.query, {});
        EXPECT_EQ(res.parsed.parsed, r.parsed);
        if (*r.note) EXPECT_EQ(res.parsed.notes, std::vector<std::string>{r.note});
        else EXPECT_TRUE(res.parsed.notes.empty());
        EXPECT_EQ(sources(r.query), sources(r.same_as));
        EXPECT_EQ(res.hits.empty(), std::string(r.query) == "source:liputan" || std::string(r.query) == "source:=ant");
    }
    // Several field words start with it: all are searched, the most frequent named first.
    EXPECT_EQ(s.search("source:k", {}).parsed.notes,
              std::vector<std::string>{"source:k matches no document: searched source:k* (kompas, kontan)"});
    EXPECT_EQ(sources("source:k"), sources("source:kompas OR source:kontan"));
    const auto both = s.search("author:a", {});
    EXPECT_EQ(both.parsed.notes,
              std::vector<std::string>{"author:a matches no document: searched author:a* (aditya, ahmad, andika, annisa)"});
    EXPECT_EQ(both.hits.size(), 4u);
}

TEST_F(SampleCorpus, NearDuplicateStoriesCollapseIntoTheBestRankedCopy) {
    Searcher s({*dir_ / "db"});
    auto is_dbd = [](const std::string& path) {
        return path.find("13-kasus-dbd") != std::string::npos || path.find("14-kasus-dbd") != std::string::npos;
    };
    // Their SimHash distance is within the checked range and their texts overlap enough.
    Xapian::Database db(*dir_ / "db");
    std::vector<std::uint64_t> hashes;
    std::vector<std::string> bodies;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        const auto d = db.get_document(*it);
        const StoredDoc sd = StoredDoc::deserialize(d.get_data());
        if (!is_dbd(sd.path)) continue;
        std::uint64_t h = 0;
        for (unsigned char c : d.get_value(schema::kSimHashSlot)) h = (h << 8) | c;
        hashes.push_back(h);
        bodies.push_back(sd.body);
    }
    ASSERT_EQ(hashes.size(), 2u);
    const SearchOptions defaults;
    EXPECT_LE(hamming(hashes[0], hashes[1]), defaults.verify_bits);
    EXPECT_GE(shingle_similarity(bodies[0], bodies[1], *Analyzer::default_instance()), defaults.duplicate_jaccard);

    struct Row { const char* query; };
    const Row rows[] = {{"demam berdarah"}, {"kasus DBD Kemenkes"}, {"\"demam berdarah dengue\""}};
    for (const auto& r : rows) {
        SearchOptions on;
        const auto folded = s.search(r.query, on);
        std::size_t shown = 0;
        for (const auto& h : folded.hits)
            if (is_dbd(h.doc.path)) {
                ++shown;
                EXPECT_EQ(h.duplicate_ids.size(), 1u) << r.query;
                EXPECT_NE(h.duplicate_ids[0], h.doc.id) << r.query;
                EXPECT_NE(search_json(folded).find("\"duplicates\":1"), std::string::npos) << r.query;
            }
        EXPECT_EQ(shown, 1u) << r.query;

        SearchOptions off;
        off.collapse = false;
        const auto all = s.search(r.query, off);
        std::size_t both = 0;
        for (const auto& h : all.hits) {
            both += is_dbd(h.doc.path);
            EXPECT_TRUE(h.duplicate_ids.empty());
        }
        EXPECT_EQ(both, 2u) << r.query;
        EXPECT_EQ(all.total, folded.total + 1) << r.query;
    }
}

// Dates on a terminal as Indonesian readers write them (display_date,
// test_dates); JSON keeps ISO 8601.
TEST(SearchOutput, DatesReadAsIndonesianReadersWriteThem) {
    SearchResult r;
    r.hits.emplace_back();
    r.hits[0].rank = 1;
    r.hits[0].doc.title = "Judul";
    r.hits[0].doc.date = "2022-12-06T17:35:00+07:00";
    r.hits[0].doc.source = "ANTARA";
    EXPECT_NE(search_human(r, false).find("2022-12-06 17:35 WIB · ANTARA"), std::string::npos) << search_human(r, false);
    EXPECT_NE(search_json(r).find("\"date\":\"2022-12-06T17:35:00+07:00\""), std::string::npos);  // JSON keeps ISO 8601
}

TEST_F(SearchFeed, HumanOutputReadsAtAGlance) {
    struct Row { const char* query; bool color; std::vector<std::string> want; };
    const Row rows[] = {
        {"Azerbaijan", false, {"1. Kaukasus", "2024-03-20 · Uji", "results (", " ms) for: azerbaijan"}},
        {"Azerbaijan", true, {"\x1b[1mKaukasus", "\x1b[2m2024-03-20 · Uji", "\x1b[1;31mAzerbaijan\x1b[0m"}},
        {"Azebaijan", false, {"Did you mean: Azerbaijan\n"}},
        {"menlu", false, {"for: menlu OR \"menteri luar negeri\""}},
        {"zzzzqqqq", false, {"No results for zzzzqqqq.", "0 results"}},
    };
    for (const auto& r : rows) {
        const std::string out = search_human(find(r.query), r.color);
        for (const auto& w : r.want) EXPECT_NE(out.find(w), std::string::npos) << r.query << " wants " << w << " in\n" << out;
        if (!r.color) EXPECT_EQ(out.find('\x1b'), std::string::npos) << r.query;
    }
}

TEST_F(SearchFeed, SynonymFilesComeFromTheEnvironmentOrTheOption) {
    dir_->write("syn.txt", "# extra\nbom = Azerbaijan Armenia\n");
    dir_->write("bad.txt", "bom Azerbaijan\n");
    struct Row { std::string env; std::string option; bool ok; std::string parsed; };
    const Row rows[] = {
        {"", "", true, "bom"},
        {*dir_ / "syn.txt", "", true, "bom OR \"azerbaijan armenia\""},
        {"", *dir_ / "syn.txt", true, "bom OR \"azerbaijan armenia\""},
        {*dir_ / "bad.txt", "", false, "bad.txt:1:"},
        {"", *dir_ / "bad.txt", false, "bad.txt:1:"},
        {*dir_ / "missing.txt", "", false, "cannot read synonyms file"},
    };
    for (const auto& r : rows) {
        if (r.env.empty()) ::unsetenv("CARI_SYNONYMS");
        else ::setenv("CARI_SYNONYMS", r.env.c_str(), 1);
        try {
            Searcher s({*dir_ / "db"});
            if (!r.option.empty()) s.add_synonyms(r.option);
            EXPECT_TRUE(r.ok) << r.env << r.option;
            EXPECT_EQ(s.search("bom", {}).parsed.parsed, r.parsed);
            // The built-in table is still there.
            EXPECT_EQ(s.search("KPK", {}).parsed.parsed, "kpk OR \"komisi pemberantasan korupsi\"");
        } catch (const std::runtime_error& e) {
            EXPECT_FALSE(r.ok) << e.what();
            EXPECT_NE(std::string(e.what()).find(r.parsed), std::string::npos) << e.what();
        }
    }
    ::unsetenv("CARI_SYNONYMS");
}

TEST_F(SearchFeed, TheProgramReportsSynonymFileErrorsAndSuggestions) {
    dir_->write("bad2.txt", "=AS\n");
    struct Row { std::string args; int code; std::string out; std::string err; };
    const Row rows[] = {
        {"--json Azebaijan", 1, "\"suggestion\":\"Azerbaijan\"", ""},
        {"--json Azerbaijan", 0, "\"suggestion\":null", ""},
        {"--color never Azebaijan", 1, "Did you mean: Azerbaijan", ""},
        {"--synonyms " + (*dir_ / "bad2.txt") + " banjir", 2, "", "bad2.txt:1: expected 'abbreviation = expansion'"},
        {"--synonyms " + (*dir_ / "nope.txt") + " banjir", 2, "", "cannot read synonyms file"},
        {"--json -- -KPK korupsi", 1, "\"parsed\":\"korupsi -(kpk OR", ""},   // its only match is excluded
    };
    for (const auto& r : rows) {
        const auto res = run(bin("cari-search") + " --db " + quote(*dir_ / "db") + " " + r.args);
        EXPECT_EQ(res.code, r.code) << r.args << "\n" << res.err;
        EXPECT_NE(res.out.find(r.out), std::string::npos) << r.args << "\n" << res.out;
        EXPECT_NE(res.err.find(r.err), std::string::npos) << r.args << "\n" << res.err;
    }
}

TEST(ShingleSimilarity, MeasuresSharedText) {
    const std::string a =
        "Kementerian Kesehatan mencatat 35.412 kasus demam berdarah dengue di Indonesia sejak awal tahun hingga "
        "pekan ke-11 dengan 287 kasus kematian, kata direktur pencegahan penyakit menular di Jakarta.";
    struct Row { std::string b; double lo, hi; };
    const Row rows[] = {
        {a, 1.0, 1.0},
        {a + " Warga diminta menguras bak mandi.", 0.7, 0.99},                 // a sentence added
        {"Harga beras di pasar induk naik dua kali dalam sepekan menurut pedagang.", 0.0, 0.0},
        {"", 0.0, 0.0},
    };
    const auto& an = *Analyzer::default_instance();
    for (const auto& r : rows) {
        const double j = shingle_similarity(a, r.b, an);
        EXPECT_GE(j, r.lo) << r.b;
        EXPECT_LE(j, r.hi) << r.b;
    }
}

// A story republished many times (60 copies, more than the first batch of
// candidates) still leaves a full page: one hit carrying its copies, then the
// other stories. Each copy's id comes from its value slot.
TEST(Collapse, AStoryRepublishedManyTimesLeavesAFullPage) {
    TempDir dir;
    std::string feed;
    const std::string story = "Banjir, banjir dan banjir lagi. Banjir bandang melanda desa di lereng gunung setelah hujan deras semalaman, "
                              "puluhan rumah rusak dan warga mengungsi ke balai desa. " + kFiller + kFiller + kFiller;
    // (one paragraph over 400 bytes: shorter ones repeated in this many
    // documents of a batch would count as page template)
    for (int i = 0; i < 60; ++i) feed += feed_line("copy" + std::to_string(i), "Banjir bandang", story) + "\n";
    const char* others[] = {"sungai", "sekolah", "pasar", "jalan", "kebun", "sawah", "jembatan", "masjid",
                            "kantor", "stasiun", "terminal", "pelabuhan"};
    // The other stories: their own words in their own order (not near-duplicates of each other).
    std::vector<std::string> words = {"petugas", "pompa", "warga", "relawan", "perahu", "karet", "dapur", "umum",
                                      "bantuan", "beras", "selimut", "obat", "tenda", "listrik", "padam", "arus",
                                      "deras", "tanggul", "jebol", "lumpur", "sampah", "saluran", "got", "camat",
                                      "lurah", "bupati", "posko", "evakuasi", "lansia", "balita", "ternak", "sapi"};
    std::mt19937 rng(7);
    int n = 0;
    for (const char* o : others) {
        std::shuffle(words.begin(), words.end(), rng);
        std::string text = std::string("Air banjir menggenangi ") + o + ".";
        for (const auto& w : words) text += " " + w;
        feed += feed_line("other" + std::to_string(n++), std::string("Genangan di ") + o, text + ".") + "\n";
    }
    dir.write("feed.jsonl", feed);
    IndexOptions io;
    io.db = dir / "db";
    io.create = true;
    io.jobs = 1;
    (void)index_paths({dir / "feed.jsonl"}, io);

    Searcher s({dir / "db"});
    SearchOptions o;
    const SearchResult r = s.search("banjir", o);
    ASSERT_EQ(r.hits.size(), 10u);
    std::size_t copies = 0;
    for (const auto& h : r.hits) {
        if (h.doc.id.rfind("copy", 0) != 0) continue;
        ++copies;
        EXPECT_EQ(h.duplicate_ids.size(), 59u);
        for (const auto& id : h.duplicate_ids) EXPECT_EQ(id.rfind("copy", 0), 0u) << id;
    }
    EXPECT_EQ(copies, 1u);
    o.collapse = false;
    EXPECT_EQ(s.search("banjir", o).hits.size(), 10u);
}

// Folding never loses a document: with collapse on, the hits are the
// no-collapse ranking in the same order with the folded copies taken out, and
// every document ranked above the last hit is a hit or one of its duplicates.
// (Xapian 1.4.22's own collapse key left documents out; Cari does not use it.)
TEST_F(SampleCorpus, FoldingKeepsTheRankingAndLosesNothing) {
    Searcher s({*dir_ / "db"});
    for (const char* q : {"banjir", "warga", "demam berdarah", "kasus DBD Kemenkes", "pemerintah daerah", "Lavrov",
                          "perjanjian damai", "jalan rusak warga"}) {
        SearchOptions on, off;
        on.limit = 5;
        off.collapse = false;
        off.limit = 100;
        const auto folded = s.search(q, on);
        const auto all = s.search(q, off);
        std::vector<std::string> order;
        for (const auto& h : all.hits) order.push_back(h.doc.id);
        std::size_t last = 0;
        for (const auto& h : folded.hits) {
            const auto at = std::find(order.begin(), order.end(), h.doc.id);
            ASSERT_NE(at, order.end()) << q << ": " << h.doc.id;
            const auto pos = static_cast<std::size_t>(at - order.begin());
            EXPECT_GE(pos + 1, last + 1) << q;  // the same relative order
            last = pos;
        }
        std::set<std::string> covered;
        for (const auto& h : folded.hits) {
            covered.insert(h.doc.id);
            covered.insert(h.duplicate_ids.begin(), h.duplicate_ids.end());
        }
        if (folded.hits.size() == on.limit)
            for (std::size_t i = 0; i <= last; ++i) EXPECT_TRUE(covered.count(order[i])) << q << ": lost " << order[i];
        else
            for (const auto& id : order) EXPECT_TRUE(covered.count(id)) << q << ": lost " << id;
    }
}
