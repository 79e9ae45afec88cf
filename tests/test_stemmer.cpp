// The Indonesian stemmer: rules word by word, the lexicon, and accuracy on
// the gold sets in $CARI_SHARED/stemming.
#include "lexicon.h"
#include "stemmer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <string>
#include <vector>

namespace {

const cari::Stemmer& stemmer() {
    static const auto s = cari::make_indonesian_stemmer();
    return *s;
}

struct Row {
    const char* input;
    const char* expected;
};

void check(const std::vector<Row>& rows) {
    for (const Row& r : rows) EXPECT_EQ(stemmer().stem(r.input), r.expected) << "stem(" << r.input << ")";
}

TEST(Stemmer, Name) { EXPECT_EQ(stemmer().name(), "cari"); }

TEST(Stemmer, Suffixes) {
    check({
        {"hancurlah", "hancur"}, {"benarkah", "benar"}, {"apatah", "apa"},     // particles
        {"bukumu", "buku"},      {"rumahku", "rumah"},  {"tanahnya", "tanah"}, // possessives
        {"jauhi", "jauh"},       {"hindari", "hindar"},
        {"bantuan", "bantu"},    {"amankan", "aman"},   {"berikan", "beri"},   // derivational
        {"bukunyakah", "buku"},  {"apakah", "apa"},
        {"meskipun", "meski"},   {"walaupun", "walau"}, {"kalaupun", "kalau"}, // bare function word + pun
        {"maupun", "maupun"},                                                  // mau takes no particle
    });
}

TEST(Stemmer, PrefixesAndSoundChanges) {
    check({
        {"menengahi", "tengah"},      {"memiliki", "milik"},     {"menyatakan", "nyata"},
        {"mengatakan", "kata"},       {"dikatakan", "kata"},     {"penyelesaian", "selesai"},
        {"memperebutkan", "rebut"},   {"mempelajari", "ajar"},   {"belajar", "ajar"},
        {"bekerja", "kerja"},         {"berantai", "rantai"},    {"terbaca", "baca"},
        {"pembangunan", "bangun"},    {"pengetahuan", "tahu"},   {"mengebom", "bom"},
        {"menyapu", "sapu"},          {"memukul", "pukul"},      {"menilai", "nilai"},
        {"keberhasilan", "hasil"},    {"diperkenalkan", "kenal"}, {"mengalahkan", "kalah"},
        {"memakan", "makan"},         {"pemerintahan", "perintah"}, {"kaubaca", "baca"},
        {"kuambil", "ambil"},         {"belikan", "beli"},       {"dimulai", "mulai"},
        {"diketahui", "tahu"},        {"menikah", "nikah"},      {"sebenarnya", "benar"},
        {"seseorang", "orang"},       {"membicarakan", "bicara"}, {"terabai", "abai"},
        {"mengerti", "erti"},         {"merata", "rata"},        {"pemrosesan", "proses"},     {"ketidakpastian", "pasti"}, {"ketidaknyamanannya", "nyaman"},
    });
}

TEST(Stemmer, RootsThatLookAffixedStayWhole) {
    check({
        {"menteri", "menteri"}, {"berita", "berita"}, {"mereka", "mereka"},   {"masalah", "masalah"},
        {"ketika", "ketika"},   {"kemudian", "kemudian"}, {"segera", "segera"}, {"pendidik", "didik"},
        {"maupun", "maupun"},   {"majalah", "majalah"}, {"kepada", "kepada"},   {"selaras", "selaras"},
        {"permata", "permata"}, {"pendekar", "pendekar"}, {"seminar", "seminar"}, {"kinetik", "kinetik"},
        {"memori", "memori"},   {"pepaya", "pepaya"},   {"tetikus", "tetikus"}, {"rerata", "rata"},
        {"kinerja", "kerja"},   {"melati", "melati"},   {"beruang", "beruang"}, {"lemari", "lemari"},
    });
}

// A lexicon entry that hunspell's own ber-/pe-/per- rules generate from a more
// productive root gives way to that root; lexicalised se-/ter-/me-/ke- entries,
// bare entries and ambiguous per-V/ber-V/ter-V entries stay whole.
TEST(Stemmer, AffixedEntriesGiveWayToTheirRoot) {
    check({
        {"peluang", "luang"},     {"berpeluang", "luang"},  {"berlaku", "laku"},     {"berlakunya", "laku"},
        {"perhatian", "hati"},    {"memperhatikan", "hati"}, {"diperhatikan", "hati"},
        {"terlalu", "terlalu"},   {"setara", "setara"},     {"sesuatu", "sesuatu"},  {"kerangka", "kerangka"},
        {"perdana", "perdana"},   {"perangkat", "perangkat"}, {"melarat", "melarat"},
    });
}

// se-X-nya on a root that takes the se-...-nya circumfix, unless se-X is a
// word with affixes of its own.
TEST(Stemmer, SeNyaCircumfix) {
    check({
        {"sepenuhnya", "penuh"}, {"selayaknya", "layak"}, {"sebenarnya", "benar"},
        {"seragamnya", "seragam"}, {"sekiranya", "sekira"},
    });
}

TEST(Stemmer, UnknownWordsAreNotMangled) {
    check({
        {"jokowi", "jokowi"},   {"kalimantan", "kalimantan"}, {"asean", "asean"}, {"google", "google"},
        {"karabakh", "karabakh"}, {"2019", "2019"}, {"covid19", "covid19"}, {"abc", "abc"},
        // Place and person names that look affixed: analyses the lexicon does not allow are not trusted.
        {"dicek", "cek"},         {"dibom", "bom"},       {"dian", "dian"},       // di- on a short productive root
        {"bekasi", "bekasi"},     {"kediri", "kediri"},   {"teheran", "teheran"}, {"semarang", "semarang"},
        {"temanggung", "temanggung"}, {"megawati", "megawati"}, {"setiawan", "setiawan"}, {"berlin", "berlin"},
        {"jokowinya", "jokowi"},  {"abdullah", "abdullah"}, {"kenya", "kenya"},  {"maluku", "maluku"},
        {"helmi", "helmi"},
        {"selasa", "selasa"},     {"makkah", "makkah"},   {"stefan", "stefan"},   {"series", "series"},
    });
}

TEST(Stemmer, OrdinalsAndLearnedSuffixes) {
    check({
        {"kedua", "kedua"},       {"ketiganya", "ketiga"},  {"idealisme", "ideal"},
        {"modernisasi", "modernisasi"},  // hunspell lists it with its own affixes: a word of its own
        {"sosialis", "sosial"},   {"kapitalisme", "kapital"},
        {"budayawan", "budayawan"},  // -wan/-wati are left alone: Setiawan, Megawati are names
    });
}

TEST(Stemmer, Reduplication) {
    check({
        {"negara-negara", "negara"}, {"prinsip-prinsip", "prinsip"}, {"langkah-langkah", "langkah"},
        {"rekan-rekan", "rekan"},    {"meniru-nirukan", "tiru"},     {"besar-besaran", "besar"},
        {"bermain-main", "main"},    {"kuasa-mu", "kuasa"},          {"terus-menerus", "terus"},
        {"kehati-hatian", "hati"},   {"sebaik-baiknya", "baik"},     {"kemerah-merahan", "merah"},
        {"masing-masing", "masing-masing"},  // only ever doubled: a word of its own
    });
    EXPECT_EQ(stemmer().reduplication("negara", "negara"), "negara");
    EXPECT_EQ(stemmer().reduplication("anak", "anaknya"), "anak");
    EXPECT_EQ(stemmer().reduplication("azerbaijan", "armenia"), std::nullopt);
    EXPECT_EQ(stemmer().reduplication("nagorno", "karabakh"), std::nullopt);
    EXPECT_EQ(stemmer().reduplication("", "x"), std::nullopt);
    // A compound that is not a reduplication keeps its parts, each stemmed.
    EXPECT_EQ(stemmer().stem("azerbaijan-armenia"), "azerbaijan-armenia");
}

TEST(Stemmer, Informal) {
    check({
        {"nerima", "terima"}, {"mukul", "pukul"}, {"ngambil", "ambil"}, {"nyari", "cari"},
        {"ngegas", "gas"},    {"betulin", "betul"}, {"nyimpen", "simpan"},
        {"ngawin", "kawin"},    {"mukulin", "pukul"},  // a nasal form ending -in that is not the -in suffix; -in
        {"bayeran", "bayar"},   {"dengeran", "dengar"}, // -an on a root said with e for its last a
        {"gambaran", "gambar"}, {"sepekan", "sepekan"}, // formal first: e for a only when nothing formal fits
        {"benerin", "benar"},
        {"kebawa", "bawa"},     {"kebuka", "buka"},     {"ketangkep", "tangkap"}, // informal ke- = ter-
        {"kediri", "kediri"},                                                       // diri is no such verb
        {"motret", "potret"},   {"mancing", "pancing"}, {"minjem", "pinjam"}, {"ngopi", "kopi"},
        // m + vowel read as meN- + p only on a root the lexicon lets take meN-:
        // a root without affix flags is no reading of a word the lexicon lacks.
        {"market", "market"},   {"mike", "mike"},       {"mulan", "mulan"},  {"manuel", "manuel"},
        {"masal", "masal"},     {"mortal", "mortal"},
    });
}

TEST(Stemmer, AnyInputGivesANonEmptyStem) {
    // Letters, hyphens and affix-like pieces in random order: never an empty
    // stem, never longer than the word, never a crash.
    const std::string pieces[] = {"me", "ng", "ny", "per", "ber", "di", "ke", "se", "kan", "an", "i", "nya",
                                  "lah", "-", "a", "e", "k", "t", "r", "--", "pun", "ku"};
    std::uint32_t x = 12345;
    for (int n = 0; n < 20000; ++n) {
        std::string w;
        const int len = 1 + static_cast<int>(x % 9);
        for (int k = 0; k < len; ++k) {
            x = x * 1103515245u + 12345u;
            w += pieces[(x >> 16) % std::size(pieces)];
        }
        const std::string st = stemmer().stem(w);
        ASSERT_FALSE(st.empty()) << w;
        ASSERT_LE(st.size(), w.size() + 6) << w;  // + "tetapi"-style restorations at most
    }
    EXPECT_EQ(stemmer().stem("-nya"), "-nya");
    EXPECT_EQ(stemmer().stem("-----"), "-----");
}

TEST(Stemmer, ThreadSafeConstCalls) {
    std::vector<std::string> a(4), b(4);
    std::vector<std::thread> ts;
    for (int i = 0; i < 4; ++i)
        ts.emplace_back([&, i] {
            for (int k = 0; k < 200; ++k) {
                a[static_cast<std::size_t>(i)] = stemmer().stem("penyelesaian");
                b[static_cast<std::size_t>(i)] = stemmer().stem("memperebutkan");
            }
        });
    for (auto& t : ts) t.join();
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(a[static_cast<std::size_t>(i)], "selesai");
        EXPECT_EQ(b[static_cast<std::size_t>(i)], "rebut");
    }
}

TEST(Lexicon, MissingFileIsNamed) {
    try {
        (void)cari::make_indonesian_stemmer("/nonexistent/cari/id.dic");
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/cari/id.dic"), std::string::npos) << e.what();
    }
}

TEST(Lexicon, HunspellFlagsLicenseAffixes) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "cari_test_lexicon";
    fs::create_directories(dir);
    {
        std::ofstream aff(dir / "t.aff");
        aff << "FLAG long\nCIRCUMFIX A1\n"
               "PFX M0 Y 1\nPFX M0 0 meng [aeiou]\n"
               "PFX M1 Y 1\nPFX M1 0 meng/A1 [aeiou]\n"
               "SFX Mk Y 1\nSFX Mk 0 kan/M1A1 .\n"
               "SFX a0 Y 1\nSFX a0 0 an .\n";
        std::ofstream dic(dir / "t.dic");
        dic << "3\nambil/M0a0\nakar/Mk\nTOKYO\n";
    }
    const auto lex = cari::Lexicon::load_hunspell((dir / "t.dic").string());
    using L = cari::Lexicon;
    EXPECT_TRUE(lex.has_affix_info());
    EXPECT_EQ(lex.size(), 3u);
    EXPECT_TRUE(lex.contains("tokyo"));  // lower-cased
    EXPECT_TRUE(lex.licenses("ambil", L::kPreMe, 0));
    EXPECT_TRUE(lex.licenses("ambil", L::kPreMe, L::kSufAn));   // prefix and suffix each alone
    EXPECT_FALSE(lex.licenses("ambil", L::kPreMe, L::kSufKan));
    EXPECT_TRUE(lex.licenses("akar", L::kPreMe, L::kSufKan));   // the circumfix
    EXPECT_FALSE(lex.licenses("akar", L::kPreMe, 0));           // its prefix is never alone
    EXPECT_FALSE(lex.licenses("akar", 0, L::kSufKan));
    EXPECT_EQ(lex.nflags("ambil"), 2u);
    EXPECT_EQ(lex.nflags("tokyo"), 0u);
    // The exact prefix rule: meng- before a vowel; never the circumfix half alone.
    EXPECT_EQ(lex.generating_prefix("ambil", "mengambil"), L::kPreMe);
    EXPECT_EQ(lex.generating_prefix("ambil", "meambil"), 0u);
    EXPECT_EQ(lex.generating_prefix("akar", "mengakar"), 0u);
    EXPECT_EQ(lex.generating_prefix("tokyo", "mengtokyo"), 0u);
    fs::remove_all(dir);
}

TEST(Lexicon, PlainDictionaryWithoutAffixFileAndCariDict) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "cari_test_plain_dic";
    fs::create_directories(dir);
    {
        std::ofstream dic(dir / "roots.dic");
        dic << "3\nkata\nrumah\ntulis\n";
    }
    const std::string path = (dir / "roots.dic").string();
    const auto s = cari::make_indonesian_stemmer(path);
    EXPECT_EQ(s->stem("mengatakan"), "kata");  // no flags: the first analysis in stripping order
    EXPECT_EQ(s->stem("rumahnya"), "rumah");
    EXPECT_EQ(s->stem("penulis"), "tulis");
    EXPECT_EQ(s->stem("menteri"), "menteri");  // not in this lexicon, no analysis: whole
    // $CARI_DICT is the lexicon when no path is given.
    const char* old = std::getenv("CARI_DICT");
    const std::string saved = old ? old : "";
    ::setenv("CARI_DICT", path.c_str(), 1);
    const auto e = cari::make_indonesian_stemmer();
    EXPECT_EQ(e->stem("berita"), "berita");   // hunspell-id would keep it too, for another reason
    EXPECT_EQ(e->stem("dikatakan"), "kata");
    ::setenv("CARI_DICT", (dir / "missing.dic").string().c_str(), 1);
    EXPECT_THROW((void)cari::make_indonesian_stemmer(), std::runtime_error);
    if (old) ::setenv("CARI_DICT", saved.c_str(), 1);
    else ::unsetenv("CARI_DICT");
    fs::remove_all(dir);
}

// ---- accuracy on the gold sets ----

std::filesystem::path shared_dir() {
    if (const char* e = std::getenv("CARI_SHARED"); e && *e) return e;
    return std::filesystem::path(CARI_SOURCE_DIR) / ".." / "shared";
}

struct Score {
    double types = 0, tokens = 0;
    std::size_t n = 0;
};

// Share of word types and tokens whose stem equals the gold root (column 2;
// column 3, when numeric, is the token count).
Score score(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string line;
    std::size_t ok = 0, n = 0;
    long tok = 0, ok_tok = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        std::stringstream ss(line);
        for (std::string c; std::getline(ss, c, '\t');) cols.push_back(c);
        if (cols.size() < 2 || cols[0] == "word") continue;
        long t = 1;
        if (cols.size() >= 3 && !cols[2].empty() && cols[2].find_first_not_of("0123456789") == std::string::npos)
            t = std::stol(cols[2]);
        std::string w = cols[0];
        for (char& c : w)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        const bool hit = stemmer().stem(w) == cols[1];
        ++n;
        tok += t;
        ok += hit;
        ok_tok += hit ? t : 0;
    }
    Score s;
    s.n = n;
    if (n) s.types = static_cast<double>(ok) / static_cast<double>(n);
    if (tok) s.tokens = static_cast<double>(ok_tok) / static_cast<double>(tok);
    return s;
}

// Floors a little under what the stemmer measures today (see
// benchmarks/stemming/RESULTS.md): a drop below them is a regression. The
// project's targets are sastrawi >= 98% (met) and ud-csui-pud-dev >= 97% of
// types and >= 98% of tokens (not reached: the remaining errors are listed by
// class in RESULTS.md, most of them lemmas the UD annotators keep derived).
struct Floor {
    const char* file;
    double types, tokens;
};

TEST(StemmerAccuracy, GoldSets) {
    const Floor floors[] = {
        {"sastrawi_pairs.tsv", 0.98, 0},
        {"ud-csui-pud-dev.tsv", 0.945, 0.974},
        {"ud-gsd-only-dev.tsv", 0.91, 0.915},
        {"mpstemmer_informal_60.tsv", 0.85, 0},
    };
    const auto dir = shared_dir() / "stemming";
    if (!std::filesystem::exists(dir / floors[0].file))
        GTEST_SKIP() << "gold sets not found: tried " << (dir / floors[0].file).string()
                     << " (set CARI_SHARED to the shared data folder)";
    for (const Floor& f : floors) {
        const auto path = dir / f.file;
        ASSERT_TRUE(std::filesystem::exists(path)) << path;
        const Score s = score(path);
        ASSERT_GT(s.n, 0u) << path;
        std::cout << "[ accuracy ] " << f.file << ": " << 100 * s.types << "% of " << s.n << " types, "
                  << 100 * s.tokens << "% of tokens\n";
        EXPECT_GE(s.types, f.types) << f.file;
        EXPECT_GE(s.tokens, f.tokens) << f.file;
    }
}

} // namespace
