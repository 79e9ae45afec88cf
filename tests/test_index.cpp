// The index writer: stable ids, update semantics, bad input, document layout.
#include "cleaner.h"
#include "document.h"
#include "index.h"
#include "schema.h"
#include "search.h"
#include "test_util.h"

#include <xapian.h>

using namespace cari;
using cari::test::article_txt;
using cari::test::kBody1;
using cari::test::kBody2;
using cari::test::TempDir;

namespace {

IndexReport index(const TempDir& t, std::vector<std::string> paths, bool create, bool prune = false) {
    IndexOptions o;
    o.db = t / "db";
    o.create = create;
    o.prune = prune;
    o.jobs = 2;
    return index_paths(paths, o);
}

} // namespace

TEST(Index, BuildThenUpdateAddsReplacesSkipsAndPrunes) {
    TempDir t;
    t.write("in/a.txt", article_txt("Banjir merendam ribuan rumah warga", kBody1));
    t.write("in/b.txt", article_txt("Warga mengungsi ke posko kecamatan", kBody2));
    t.write("in/feed.jsonl",
            "{\"id\":\"f1\",\"title\":\"Satu\",\"text\":\"" + kBody1 + "\"}\n"
            "{\"id\":\"f2\",\"title\":\"Dua\",\"text\":\"" + kBody2 + "\"}\n");
    auto r = index(t, {t / "in"}, true);
    EXPECT_EQ(r.added, 4u);
    EXPECT_EQ(r.skipped, 0u);

    // Same input again: nothing to do.
    r = index(t, {t / "in"}, false);
    EXPECT_EQ(r.added, 0u);
    EXPECT_EQ(r.replaced, 0u);
    EXPECT_EQ(r.unchanged, 4u);

    // One file changed, one feed line changed, one line added, one file gone.
    t.write("in/a.txt", article_txt("Banjir merendam ribuan rumah warga", kBody1 + " Air mulai surut pada Rabu."));
    t.write("in/feed.jsonl",
            "{\"id\":\"f1\",\"title\":\"Satu\",\"text\":\"" + kBody1 + "\"}\n"
            "{\"id\":\"f2\",\"title\":\"Dua diperbarui\",\"text\":\"" + kBody2 + "\"}\n"
            "{\"id\":\"f3\",\"title\":\"Tiga\",\"text\":\"" + kBody2 + " Tambahan.\"}\n");
    std::filesystem::remove(t / "in/b.txt");
    r = index(t, {t / "in"}, false, true);
    EXPECT_EQ(r.added, 1u);      // f3
    EXPECT_EQ(r.replaced, 2u);   // a.txt, f2
    EXPECT_EQ(r.unchanged, 1u);  // f1
    EXPECT_EQ(r.removed, 1u);    // b.txt
    EXPECT_EQ(Xapian::Database(t / "db").get_doccount(), 4u);
    EXPECT_EQ(index_stats(t / "db").files, 2u);
}

TEST(Index, BadInputIsNamedAndTheRestGoesOn) {
    TempDir t;
    t.write("in/good.txt", article_txt("Banjir merendam ribuan rumah warga", kBody1));
    t.write("in/empty.txt", "");
    t.write("in/binary.txt", std::string("\x7f" "ELF\0\0\0\0\x01\x02\x03\0\0\0\0\0\0\0\0\0", 20));
    t.write("in/bad-utf8.txt", article_txt("Judul \xff\xfe rusak", kBody2 + "\xc3"));
    t.write("in/feed.jsonl", "{\"id\":\"ok\",\"title\":\"Baik\",\"text\":\"" + kBody2 + "\"}\n{\"id\": broken\n");
    std::vector<InputProblem> seen;
    IndexOptions o;
    o.db = t / "db";
    o.create = true;
    const auto r = index_paths({t / "in", t / "missing.txt"}, o, [&](const InputProblem& p) { seen.push_back(p); });
    EXPECT_EQ(r.added, 3u);  // good.txt, bad-utf8.txt (repaired), feed line 1; empty.txt is skipped
    bool json_line = false, binary = false, missing = false;
    for (const auto& p : seen) {
        if (p.path.ends_with("feed.jsonl") && p.line == 2) json_line = true;
        if (p.path.ends_with("binary.txt")) binary = true;
        if (p.path.ends_with("missing.txt")) missing = true;
    }
    EXPECT_TRUE(json_line);
    EXPECT_TRUE(binary);
    EXPECT_TRUE(missing);
    EXPECT_EQ(r.skipped, 4u);  // empty, binary, feed line 2, missing
}

TEST(Index, SameArticleTwiceIsOneDocument) {
    TempDir t;
    t.write("a.jsonl", "{\"id\":\"x1\",\"title\":\"Satu\",\"text\":\"" + kBody1 + "\"}\n"
                       "{\"id\":\"x1\",\"title\":\"Satu lagi\",\"text\":\"" + kBody2 + "\"}\n");
    const auto r = index(t, {t / "a.jsonl"}, true);
    EXPECT_EQ(r.added, 1u);
    EXPECT_EQ(r.replaced, 1u);
    EXPECT_EQ(Xapian::Database(t / "db").get_doccount(), 1u);
}

TEST(Index, DocumentLayoutFollowsTheSchema) {
    Article a;
    a.id = "id-1";
    a.path = "x.txt";
    a.title = "Perjanjian Damai";
    a.date = "2022-12-06T17:35:00+07:00";
    a.source = "ANTARA";
    a.author = "Sarah Meiliana";
    a.paragraphs = {kBody1};
    const auto analyzer = std::make_shared<Analyzer>(std::shared_ptr<const Stemmer>(make_stemmer("none")));
    const Xapian::Document d = make_document(a, *analyzer, 42);
    std::set<std::string> terms;
    for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) terms.insert(*t);
    for (const char* want : {"Qid-1", "Sperjanjian", "Eperjanjian", "perjanjian", "XSantara", "Asarah", "Y2022",
                             "M202212", "D20221206", "XFx.txt"})
        EXPECT_TRUE(terms.count(want)) << want;
    EXPECT_EQ(d.get_value(schema::kDateSlot), "202212061735");
    const StoredDoc s = StoredDoc::deserialize(d.get_data());
    EXPECT_EQ(s.title, "Perjanjian Damai");
    EXPECT_EQ(s.body, kBody1);
    EXPECT_THROW((void)StoredDoc::deserialize("\x01\x7f"), std::runtime_error);
}

TEST(Index, LongWordsAndIdsDoNotBreakXapian) {
    TempDir t;
    const std::string huge_word(5000, 'a');
    const std::string long_id(1000, 'i');
    t.write("a.jsonl", "{\"id\":\"" + long_id + "\",\"title\":\"Judul\",\"text\":\"" + huge_word + " " + kBody1 + "\"}\n");
    const auto r = index(t, {t / "a.jsonl"}, true);
    EXPECT_EQ(r.added, 1u);
    EXPECT_EQ(r.skipped, 0u);
}

TEST(Index, DateKeys) {
    struct Row { const char* iso; const char* key; };
    const Row rows[] = {{"2022-12-06T17:35:00+07:00", "202212061735"}, {"2021-05-06", "202105060000"},
                        {"", ""}, {"kemarin", ""}, {"2021-5-6", ""}};
    for (const auto& r : rows) EXPECT_EQ(date_key(r.iso), r.key) << r.iso;
}

TEST(Index, SimHashSeesNearDuplicates) {
    const auto analyzer = std::make_shared<Analyzer>(std::shared_ptr<const Stemmer>(make_stemmer("none")));
    const std::string a = kBody1 + " " + kBody2;
    const std::string b = kBody1 + " " + kBody2 + " Sumber: ANTARA.";
    const std::string c = "Tim nasional sepak bola menang tiga gol tanpa balas atas lawannya di stadion utama, "
                          "pelatih memuji disiplin pemain bertahan dan penyelesaian akhir para penyerang muda.";
    const auto ha = simhash(analyzer->analyze(a)), hb = simhash(analyzer->analyze(b)), hc = simhash(analyzer->analyze(c));
    EXPECT_LE(hamming(ha, hb), 6);
    EXPECT_GT(hamming(ha, hc), 12);
}

TEST(Index, LinesRepeatedAcrossTheBatchAreTemplateNotArticle) {
    // A sentence-shaped line on every page of a site: alone it reads like article
    // text (`cari-index clean` of one page keeps it); across a batch of 30 pages it is template.
    const std::string promo =
        "Pembangunan fasilitas umum di kota ini menjadi bagian dari program prioritas pemerintah daerah untuk "
        "meningkatkan kualitas pelayanan publik bagi seluruh lapisan warga kota.";
    const char* topics[] = {"pasar", "sekolah", "jembatan", "pelabuhan", "rumah sakit", "terminal"};
    TempDir t;
    for (int i = 0; i < 30; ++i) {
        const std::string topic = topics[i % 6];
        const std::string body = "Pemerintah kota meresmikan " + topic + " baru nomor " + std::to_string(i) +
                                 " yang dibangun selama dua tahun dengan anggaran daerah, kata wali kota kepada "
                                 "wartawan di lokasi peresmian pada Senin pagi.\n\nSebanyak " + std::to_string(40 + i) +
                                 " warga menyambut baik " + topic + " tersebut karena selama ini mereka harus menempuh perjalanan jauh untuk "
                                 "mendapatkan layanan yang sama di kabupaten tetangga.\n\n" + promo;
        t.write("in/" + std::to_string(100 + i) + ".txt", article_txt("Kota resmikan " + topic + " baru " + std::to_string(i), body));
    }
    const auto r = index(t, {t / "in"}, true);
    ASSERT_EQ(r.added, 30u);
    Xapian::Database db(t / "db");
    EXPECT_FALSE(db.get_metadata(std::string(schema::kMetaTemplates)).empty());
    Searcher s({t / "db"});
    SearchOptions o;
    o.collapse = false;
    EXPECT_EQ(s.search("\"lapisan warga kota\"", o).hits.size(), 0u);
    EXPECT_EQ(s.search("\"menempuh perjalanan jauh\"", o).hits.size(), 10u);

    // The same page cleaned alone keeps the line: the batch made the difference.
    RawDoc raw;
    raw.path = t / "in/100.txt";
    raw.format = Format::Text;
    raw.bytes = cari::test::slurp(raw.path);
    const Article alone = clean(raw);
    EXPECT_NE(alone.body().find("lapisan warga kota"), std::string::npos);
}

TEST(Index, ANewIndexAppearsWholeOrNotAtAll) {
    // What a run killed while creating the index could leave: an empty folder,
    // and a half-made index beside it.
    TempDir t;
    std::filesystem::create_directories(t / "db");
    t.write("db.cari-new/junk", "half written");
    t.write("a.jsonl", "{\"id\":\"x1\",\"title\":\"Satu\",\"text\":\"" + kBody1 + "\"}\n");
    const auto r = index(t, {t / "a.jsonl"}, false);
    EXPECT_EQ(r.added, 1u);
    EXPECT_EQ(Xapian::Database(t / "db").get_doccount(), 1u);
    EXPECT_FALSE(std::filesystem::exists(t / "db.cari-new"));
    // An existing index is never replaced by creation.
    EXPECT_EQ(index(t, {t / "a.jsonl"}, false).unchanged, 1u);
}

// update streams a JSON Lines feed (it is hashed, then read line by line, never
// held whole): CRLF endings, blank lines and a last line without a newline read
// as a build reads them, with the same line numbers in problems.
TEST(Index, UpdateReadsAFeedLineByLineAsTheBuildDoes) {
    TempDir t;
    const std::string feed = "{\"id\":\"f1\",\"title\":\"Satu\",\"text\":\"" + kBody1 + "\"}\r\n"
                             "\r\n"
                             "{\"id\":\"f2\",\"title\":\"Dua\",\"text\":\"" + kBody2 + "\"}\r\n"
                             "   \n"
                             "{\"id\":\"f3\",\"title\":\n"
                             "{\"id\":\"f4\",\"title\":\"Empat\",\"text\":\"" + kBody2 + " Lagi.\"}";
    t.write("feed.jsonl", feed);
    std::vector<InputProblem> built, updated;
    IndexOptions b;
    b.db = t / "built";
    b.create = true;
    const auto rb = index_paths({t / "feed.jsonl"}, b, [&](const InputProblem& p) { built.push_back(p); });
    IndexOptions u;
    u.db = t / "updated";
    const auto ru = index_paths({t / "feed.jsonl"}, u, [&](const InputProblem& p) { updated.push_back(p); });
    EXPECT_EQ(rb.added, 3u);
    EXPECT_EQ(ru.added, 3u);
    EXPECT_EQ(ru.bytes, feed.size());
    ASSERT_EQ(updated.size(), 1u);
    ASSERT_EQ(built.size(), 1u);
    EXPECT_EQ(updated[0].line, 5u);
    EXPECT_EQ(updated[0].to_string(), built[0].to_string());
    for (const std::string id : {"f1", "f2", "f4"})
        EXPECT_TRUE(Xapian::Database(t / "updated").term_exists(std::string(schema::kId) + id)) << id;

    // Unchanged: skipped whole, from its hash alone.
    auto again = index_paths({t / "feed.jsonl"}, u);
    EXPECT_EQ(again.unchanged, 3u);
    EXPECT_EQ(again.added + again.replaced, 0u);
    EXPECT_EQ(again.skipped, 0u);  // the malformed line is not read again: the file is unchanged
    // One line changed: only it is indexed again.
    t.write("feed.jsonl", feed.substr(0, feed.size() - 8) + "Baru.\"}\n");
    again = index_paths({t / "feed.jsonl"}, u);
    EXPECT_EQ(again.replaced, 1u);
    EXPECT_EQ(again.unchanged, 2u);
}
