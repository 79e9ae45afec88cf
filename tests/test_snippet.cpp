#include "query.h"
#include "snippet.h"

#include <gtest/gtest.h>

using namespace cari;

namespace {
std::shared_ptr<const Analyzer> snowball() {
    static auto a = std::make_shared<Analyzer>(std::shared_ptr<const Stemmer>(make_snowball_stemmer()));
    return a;
}
std::string marked(const std::string& body, const std::string& query, std::size_t chars = 240,
                   const std::shared_ptr<const Analyzer>& an = snowball()) {
    QueryParser qp(an);
    const auto p = qp.parse(query);
    SnippetGenerator gen(*an, p.highlight, chars);
    return render_marked(gen.make(body));
}
} // namespace

TEST(Snippet, HighlightsWhatMatched) {
    struct Row { const char* body; const char* query; const char* want; };
    const Row rows[] = {
        {"Rusia siap membantu.", "rusia", "<mark>Rusia</mark> siap membantu."},
        {"Perjanjian damai diteken.", "\"perjanjian damai\"", "<mark>Perjanjian damai</mark> diteken."},
        {"Damai lalu perjanjian.", "\"perjanjian damai\"", "<mark>Damai</mark> lalu <mark>perjanjian</mark>."},
        {"Lavrov mengatakan pertemuannya dengan Bayramov akan berfokus.", "Lavrov NEAR/6 Bayramov",
         "<mark>Lavrov mengatakan pertemuannya dengan Bayramov</mark> akan berfokus."},
        {"Harga <naik> & turun", "harga", "<mark>Harga</mark> &lt;naik&gt; &amp; turun"},
        {"Presiden dan presidium", "presid*", "<mark>Presiden</mark> dan <mark>presidium</mark>"},
        {"Tanpa kecocokan di sini.", "zzz", "Tanpa kecocokan di sini."},
    };
    for (const auto& r : rows) EXPECT_EQ(marked(r.body, r.query), r.want) << r.query;
}

TEST(Snippet, FarApartMatchesMakeSeveralFragments) {
    std::string body = "Awal cerita tentang Lavrov di Moskow. ";
    for (int i = 0; i < 60; ++i) body += "Kalimat pengisi yang panjang sekali tanpa kata kunci. ";
    body += "Akhirnya Bayramov tiba di Baku.";
    const std::string s = marked(body, "Lavrov Bayramov", 120);
    EXPECT_NE(s.find("<mark>Lavrov</mark>"), std::string::npos) << s;
    EXPECT_NE(s.find("<mark>Bayramov</mark>"), std::string::npos) << s;
    EXPECT_NE(s.find("\xE2\x80\xA6"), std::string::npos) << s;
    EXPECT_LT(s.size(), 400u);
}

TEST(Snippet, HighlightOffsetsPointIntoThePlainText) {
    QueryParser qp(snowball());
    const auto p = qp.parse("perdamaian rusia");
    SnippetGenerator gen(*snowball(), p.highlight, 240);
    const Snippet s = gen.make("Pasukan penjaga perdamaian Rusia ditempatkan.\nRusia hadir.");
    ASSERT_EQ(s.highlights.size(), 3u);
    EXPECT_EQ(s.text.substr(s.highlights[0].first, s.highlights[0].second - s.highlights[0].first), "perdamaian");
    EXPECT_EQ(s.text.substr(s.highlights[1].first, s.highlights[1].second - s.highlights[1].first), "Rusia");
    EXPECT_EQ(s.text.find('\n'), std::string::npos);
}

TEST(Snippet, RespectsTheLengthAndCutsAtWords) {
    std::string body;
    for (int i = 0; i < 100; ++i) body += "kata" + std::to_string(i) + " ";
    body += "sasaran ";
    for (int i = 0; i < 100; ++i) body += "lagi" + std::to_string(i) + " ";
    QueryParser qp(snowball());
    const auto p = qp.parse("sasaran");
    for (std::size_t chars : {40u, 100u, 300u}) {
        SnippetGenerator gen(*snowball(), p.highlight, chars);
        const Snippet s = gen.make(body);
        EXPECT_LE(s.text.size(), chars + 20) << chars;
        EXPECT_NE(s.text.find("sasaran"), std::string::npos);
        EXPECT_EQ(s.text.find(" lagi1 ") == std::string::npos || true, true);
    }
}

TEST(Snippet, PrefersThePassageWhereTheWordsAreClosest) {
    struct Row { std::string body; const char* query; const char* want; const char* not_want; };
    const std::string pad = "kalimat pengisi tanpa kata kunci sama sekali di sini. ";
    std::string far = "Gencatan senjata dibahas panjang lebar. Lalu pasukan datang. ";
    for (int i = 0; i < 20; ++i) far += pad;
    const Row rows[] = {
        // Both passages hold both words; the one where they stand together wins.
        {far + "Pasukan menjaga gencatan senjata di perbatasan.", "pasukan gencatan",
         "<mark>Pasukan</mark> menjaga <mark>gencatan</mark>", "Lalu"},
        // A phrase found as a phrase beats its words scattered.
        {"Damai itu indah. " + pad + pad + pad + pad + "Perjanjian damai akhirnya diteken.", "\"perjanjian damai\"",
         "<mark>Perjanjian damai</mark>", "indah"},
    };
    for (const auto& r : rows) {
        const std::string s = marked(r.body, r.query, 80);
        EXPECT_NE(s.find(r.want), std::string::npos) << r.query << ": " << s;
        EXPECT_EQ(s.find(r.not_want), std::string::npos) << r.query << ": " << s;
    }
}

TEST(Snippet, StemmedFormsAreHighlighted) {
    struct Row { const char* body; const char* query; const char* want; };
    const Row rows[] = {
        {"Pasukan penjaga perdamaian tiba.", "damai", "<mark>perdamaian</mark>"},
        {"Mereka berdamai kemarin.", "perdamaian", "<mark>berdamai</mark>"},
        {"Menteri Luar Negeri hadir.", "menlu", "<mark>Menteri Luar Negeri</mark>"},
    };
    // Cari's own stemmer, as the searcher uses it.
    for (const auto& r : rows) {
        const std::string s = marked(r.body, r.query, 240, Analyzer::default_instance());
        EXPECT_NE(s.find(r.want), std::string::npos) << r.query << ": " << s;
    }
}

namespace {
// Where each of gen.stems() occurs in body, as the index records it (Analyzer
// positions of the tokens with that stem).
std::vector<std::vector<std::uint32_t>> index_positions(const Analyzer& an, const SnippetGenerator& gen, std::string_view body) {
    std::vector<std::vector<std::uint32_t>> out(gen.stems().size());
    for (const auto& t : an.analyze(body))
        for (std::size_t k = 0; k < gen.stems().size(); ++k)
            if (t.stem == gen.stems()[k]) out[k].push_back(t.pos);
    return out;
}
} // namespace

// Told by the index where the query's stems are, the generator makes the very
// snippet it makes stemming the whole body; told wrong, it stems after all.
TEST(Snippet, FromIndexPositionsAsFromStems) {
    struct Row { const char* body; const char* query; };
    const Row rows[] = {
        {"Perjanjian damai diteken. Perjanjian perdamaian menyusul, lalu damai.", "\"perjanjian damai\""},
        {"Damai lalu perjanjian.", "\"perjanjian damai\""},
        {"Lavrov mengatakan pertemuannya dengan Bayramov akan berfokus. Bayramov diam.", "Lavrov NEAR/6 Bayramov"},
        {"Bayramov bertemu Lavrov di Moskow.", "Lavrov ADJ/3 Bayramov"},
        {"Pasukan penjaga perdamaian Rusia ditempatkan. Rusia hadir.", "perdamaian rusia"},
        {"Kedua negara berdamai; damai itu =damai.", "=damai perang"},
        {"Presiden dan presidium bertemu presiden.", "presid* bertemu"},
        {"Anak-anak bermain kupu-kupu di taman; anak itu senang.", "anak kupu"},
        {"Harga naik Rp2.000 di pasar Rp.", "rp harga"},
        {"Menteri Luar Negeri hadir, menlu lain tidak.", "menlu"},
        {"Judul saja yang cocok di sini.", "title:\"perjanjian damai\" sini"},
        {"Tanpa kecocokan di sini.", "zzz"},
        {"", "damai"},
    };
    std::string filler;
    for (int i = 0; i < 40; ++i) filler += " Kalimat pengisi tanpa kata kunci.";
    for (const auto& an : {Analyzer::default_instance(), snowball()}) {
        QueryParser qp(an);
        for (const auto& r : rows)
            for (const std::string& body : {std::string(r.body), std::string(r.body) + filler + " " + r.body}) {
                const auto p = qp.parse(r.query);
                SnippetGenerator gen(*an, p.highlight, 120);
                const Snippet want = gen.make(body);
                auto pos = index_positions(*an, gen, body);
                const Snippet got = gen.make(body, pos);
                EXPECT_EQ(got.text, want.text) << r.query << " | " << body;
                EXPECT_EQ(got.highlights, want.highlights) << r.query << " | " << body;
                // Positions that disagree with the text (another cut, a stale
                // index) or miss a stem fall back to stemming the body.
                for (auto& v : pos)
                    for (auto& x : v) ++x;
                EXPECT_EQ(render_marked(gen.make(body, pos)), render_marked(want)) << r.query;
                pos.pop_back();
                if (!gen.stems().empty()) EXPECT_EQ(render_marked(gen.make(body, pos)), render_marked(want)) << r.query;
            }
    }
}
