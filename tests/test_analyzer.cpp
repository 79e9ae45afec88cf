// The Analyzer: tokens, normal forms, stems, byte offsets and positions.
#include "analyzer.h"
#include "stemmer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

namespace {

const cari::Analyzer& analyzer() {
    static const cari::Analyzer a(std::shared_ptr<const cari::Stemmer>(cari::make_indonesian_stemmer()));
    return a;
}

// Tokens as "norm" joined by spaces.
std::string norms(std::string_view text) {
    std::string out;
    for (const auto& t : analyzer().analyze(text)) {
        if (!out.empty()) out += ' ';
        out += t.norm;
    }
    return out;
}

std::string stems(std::string_view text) {
    std::string out;
    for (const auto& t : analyzer().analyze(text)) {
        if (!out.empty()) out += ' ';
        out += t.stem;
    }
    return out;
}

// Tokens as "text[start,end)" joined by '|': what the highlighter would mark.
std::string spans(std::string_view text) {
    std::string out;
    for (const auto& t : analyzer().analyze(text)) {
        if (!out.empty()) out += '|';
        out += text.substr(t.start, t.end - t.start);
    }
    return out;
}

struct Row {
    const char* input;
    const char* expected;
};

TEST(Analyzer, Words) {
    const Row rows[] = {
        {"Presiden Joko Widodo", "presiden joko widodo"},
        {"  spasi\t\nganda  ", "spasi ganda"},
        {"kata, tanda; baca! (kurung) \"kutip\"", "kata tanda baca kurung kutip"},
        {"dan/atau", "dan atau"},
        {"50% naik", "50 naik"},
        {"", ""},
        {"...", ""},
    };
    for (const Row& r : rows) EXPECT_EQ(norms(r.input), r.expected) << r.input;
}

TEST(Analyzer, Numbers) {
    const Row rows[] = {
        {"Rp 2.000.000", "rp 2000000"},  // thousands dots
        {"2,5 persen", "2,5 persen"},      // decimal comma
        {"tahun 1992-1994", "tahun 1992 1994"},
        {"25 Mei 2019", "25 mei 2019"},
        {"pukul 10.30 WIB.", "pukul 10.30 wib"},  // a time keeps its dot
        {"naik 1.5 persen", "naik 1.5 persen"},
        {"Rp2.000 dan Rp2,5 triliun", "rp 2000 dan rp 2,5 triliun"},
        {"RP 10.000.000", "rp 10000000"},
        {"G20 dan B737", "g20 dan b737"},
        {"Rpm", "rpm"},
        {"Covid-19", "covid 19"},
        {"akhir 2019.", "akhir 2019"},
    };
    for (const Row& r : rows) EXPECT_EQ(norms(r.input), r.expected) << r.input;
}

TEST(Analyzer, AbbreviationsAndDomains) {
    const Row rows[] = {
        {"PBB", "pbb"},
        {"DK PBB dan OSCE", "dk pbb dan osce"},
        {"U.S.A. dan B.J. Habibie", "usa dan bj habibie"},
        {"REPUBLIKA.CO.ID, JAKARTA", "republika co id jakarta"},
        {"Jl. A. Yani", "jl a yani"},
        {"Kompas.com", "kompas com"},
        {"redaksi@kompas.com", "redaksi kompas com"},
        {"https://www.detik.com/berita/123", "https www detik com berita 123"},
    };
    for (const Row& r : rows) EXPECT_EQ(norms(r.input), r.expected) << r.input;
}

TEST(Analyzer, Apostrophes) {
    const Row rows[] = {
        {"Ma’ruf Amin", "maruf amin"},
        {"Ma'ruf", "maruf"},
        {"Jum'at", "jumat"},
        {"'kutip'", "kutip"},
        {"tahun '90", "tahun 90"},
    };
    for (const Row& r : rows) EXPECT_EQ(norms(r.input), r.expected) << r.input;
}

TEST(Analyzer, UnicodeFolding) {
    const Row rows[] = {
        {"ÉCOLE", "école"},
        {"ＰＢＢ", "pbb"},          // full-width
        {"Straße", "strasse"},
        {"ﬁnal", "final"},           // ligature
    };
    for (const Row& r : rows) EXPECT_EQ(norms(r.input), r.expected) << r.input;
    EXPECT_EQ(analyzer().normalize("Ma’ruf"), "maruf");
    EXPECT_EQ(analyzer().normalize("NEGARA"), "negara");
}

TEST(Analyzer, Stems) {
    const Row rows[] = {
        {"Menteri menyatakan penyelesaian", "menteri nyata selesai"},
        {"Mereka memperebutkan berita", "mereka rebut berita"},
        {"negara-negara", "negara"},
        {"Langkah-langkah", "langkah"},
        {"meniru-nirukan", "tiru"},
        {"Azerbaijan-Armenia", "azerbaijan armenia"},
        {"Nagorno-Karabakh", "nagorno karabakh"},
    };
    for (const Row& r : rows) EXPECT_EQ(stems(r.input), r.expected) << r.input;
}

TEST(Analyzer, OffsetsMarkTheWords) {
    const Row rows[] = {
        {"Ma’ruf Amin", "Ma’ruf|Amin"},
        {"negara-negara maju", "negara-negara|maju"},
        {"Azerbaijan-Armenia", "Azerbaijan|Armenia"},
        {"Rp 2.000, naik", "Rp|2.000|naik"},
        {"Rp2.000,- saja", "Rp|2.000|saja"},
        {"U.S.A. kuat", "U.S.A|kuat"},
        {"«Café» — ok", "Café|ok"},
        {"‚Äì mojibake", "Äì|mojibake"},
    };
    for (const Row& r : rows) EXPECT_EQ(spans(r.input), r.expected) << r.input;
}

TEST(Analyzer, Positions) {
    std::vector<cari::Token> out;
    const std::uint32_t next = analyzer().analyze("Azerbaijan-Armenia dan negara-negara", out, 10);
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[0].pos, 10u);  // one position per part of a compound
    EXPECT_EQ(out[1].pos, 11u);
    EXPECT_EQ(out[2].pos, 12u);
    EXPECT_EQ(out[3].pos, 13u);  // a reduplication is one word
    EXPECT_EQ(next, 14u);
    EXPECT_TRUE(out[2].stop);    // dan
    EXPECT_FALSE(out[3].stop);
    // Appends, never clears.
    analyzer().analyze("lagi", out, next);
    ASSERT_EQ(out.size(), 5u);
    EXPECT_EQ(out[4].pos, 14u);
}

TEST(Analyzer, EachAnalyzerKeepsItsOwnStems) {
    // Analyzers with different stemmers, made and dropped on one thread: the
    // per-thread caches must never hand one the other's stems.
    for (int round = 0; round < 3; ++round) {
        const cari::Analyzer none(std::shared_ptr<const cari::Stemmer>(cari::make_stemmer("none")));
        EXPECT_EQ(none.analyze("menyatakan")[0].stem, "menyatakan");
        EXPECT_EQ(analyzer().analyze("menyatakan")[0].stem, "nyata");
        EXPECT_EQ(none.analyze("negara-negara").size(), 1u);  // the base reduplication: a == b
        const cari::Analyzer snow(std::shared_ptr<const cari::Stemmer>(cari::make_stemmer("snowball")));
        EXPECT_EQ(snow.analyze("menyatakan")[0].stem, snow.stem("menyatakan"));
        EXPECT_EQ(none.analyze("menyatakan")[0].stem, "menyatakan");
    }
}

TEST(Analyzer, StopWords) {
    EXPECT_TRUE(cari::is_stopword("yang"));
    EXPECT_TRUE(cari::is_stopword("tidak"));
    EXPECT_FALSE(cari::is_stopword("negara"));
    EXPECT_FALSE(cari::is_stopword(""));
}

// Every token of real text: in bounds, in order, and its text folds to its norm.
void check_invariants(std::string_view text) {
    std::vector<cari::Token> toks;
    analyzer().analyze(text, toks);
    std::uint32_t last_end = 0, pos = 0;
    for (const auto& t : toks) {
        ASSERT_LE(t.start, t.end);
        ASSERT_LE(t.end, text.size());
        ASSERT_GE(t.start, last_end);
        ASSERT_EQ(t.pos, pos++);
        ASSERT_FALSE(t.norm.empty());
        const std::string_view s = text.substr(t.start, t.end - t.start);
        if (t.norm.find('-') == std::string::npos && s.find('-') == std::string_view::npos)
            ASSERT_EQ(analyzer().normalize(s), t.norm) << s;
        last_end = t.end;
    }
    // tokenize() cuts the same tokens, only without stems (a reduplication,
    // one token, keeps the root its cutting needed).
    std::vector<cari::Token> plain;
    ASSERT_EQ(analyzer().tokenize(text, plain, 7), toks.size() + 7);
    ASSERT_EQ(plain.size(), toks.size());
    for (std::size_t i = 0; i < toks.size(); ++i) {
        const auto &a = toks[i], &b = plain[i];
        ASSERT_EQ(b.norm, a.norm);
        ASSERT_EQ(std::tie(b.start, b.end, b.stop), std::tie(a.start, a.end, a.stop)) << a.norm;
        ASSERT_EQ(b.pos, a.pos + 7);
        if (!b.stem.empty()) ASSERT_EQ(b.stem, a.stem) << a.norm;
    }
}

TEST(Analyzer, TokenizeCutsAsAnalyzeDoes) {
    const char* rows[] = {
        "Perjanjian damai diteken di Baku, Azerbaijan.",
        "anak-anak bermain; kupu-kupu terbang; ramah-tamah; bercita-cita",
        "Harga naik Rp2.000 menjadi Rp2,5 juta (U.S.A. dan PBB).",
        "Ma\u2019ruf Amin: \"Kami tidak tahu\" yang dan di ke dari",
        "Ｔｏｋｙｏ ﬁnal Ⅻ İstanbul ÇAĞ",
    };
    for (const char* r : rows) check_invariants(r);
    std::vector<cari::Token> toks;
    analyzer().tokenize("anak-anak perdamaian", toks);
    ASSERT_EQ(toks.size(), 2u);
    EXPECT_EQ(toks[0].stem, "anak");  // the reduplication's root
    EXPECT_EQ(toks[1].stem, "");      // no stem
}

TEST(Analyzer, StemsToAgreesWithStem) {
    // stems_to() answers through the thread's memo; it must say what stem() says,
    // asked before and after the memo holds the word.
    const struct { const char* norm; const char* stem; bool expected; } rows[] = {
        {"perdamaian", "damai", true}, {"perdamaian", "perdamaian", false}, {"mengatakan", "kata", true},
        {"mengatakan", "atak", false}, {"damai", "damai", true}, {"rumahnya", "rumah", true},
        {"menteri", "menteri", true}, {"", "", true},
    };
    for (int round = 0; round < 2; ++round)
        for (const auto& r : rows) {
            EXPECT_EQ(analyzer().stems_to(r.norm, r.stem), r.expected) << r.norm << " -> " << r.stem;
            EXPECT_EQ(analyzer().stems_to(r.norm, r.stem), analyzer().stem(r.norm) == r.stem) << r.norm;
        }
}

TEST(Analyzer, InvalidUtf8IsSafe) {
    const std::string bad = std::string("ab\xff\xfe" "cd \xe2\x82 ef\xc3") + "-" + "\xe2\x80\x99" + "x";
    check_invariants(bad);
    check_invariants(std::string(1, '\0') + "a-");
    check_invariants("-a- -b'- 'c' 1.-2 ,.,.");
}

TEST(Analyzer, RealTextInvariants) {
    const char* env = std::getenv("CARI_SHARED");
    const std::filesystem::path shared = env && *env ? std::filesystem::path(env)
                                                     : std::filesystem::path(CARI_SOURCE_DIR) / ".." / "shared";
    const auto path = shared / "corpus/clickid/clickid_articles.jsonl";
    std::ifstream in(path);
    if (!in) GTEST_SKIP() << "clickid corpus not found: tried " << path.string() << " (set CARI_SHARED)";
    std::string line;
    for (int n = 0; n < 300 && std::getline(in, line); ++n) check_invariants(line);
}


// The per-thread stem memo: words longer than a cache slot, a vocabulary large
// enough to grow it and to fill it (it then starts again), and the same words
// again afterwards, all stem exactly as the stemmer does without the memo.
TEST(Analyzer, StemMemoAgreesWithTheStemmer) {
    std::string text = "mempertanggungjawabkannya ketidakberdayaannya-ketidakberdayaannya "
                       "pertanggungjawabanpertanggungjawaban memperdamaikan perdamaian ";
    for (int i = 0; i < 200000; ++i) text += "pendamai" + std::to_string(i) + "kan ";
    text += "perdamaian memperdamaikan berdamai";
    const auto toks = analyzer().analyze(text);
    ASSERT_GT(toks.size(), 200000u);
    for (const auto& t : toks) {
        if (t.norm.find('-') != std::string::npos) continue;
        ASSERT_EQ(t.stem, analyzer().stem(t.norm)) << t.norm;
        ASSERT_EQ(t.stop, cari::is_stopword(t.norm)) << t.norm;
    }
    EXPECT_EQ(toks.back().stem, "damai");
}

} // namespace
