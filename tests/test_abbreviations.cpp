#include "abbreviations.h"
#include "analyzer.h"
#include "query.h"
#include "synonyms.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace cari;

namespace {
const Analyzer& analyzer() { return *Analyzer::default_instance(); }

std::string defs(const std::string& text) {
    std::string out;
    for (const auto& d : find_abbreviations(text, analyzer().analyze(text))) {
        if (!out.empty()) out += "; ";
        out += d.abbr + " = " + d.expansion;
    }
    return out;
}
} // namespace

TEST(Abbreviations, FindsTheLongFormBeforeTheParentheses) {
    struct Row { const char* text; const char* defs; };
    const Row rows[] = {
        {"Menurut Badan Pusat Statistik (BPS), inflasi naik.", "BPS = badan pusat statistik"},
        // the shortest run of words that spells it, from the first letter of a word
        {"Kepala Lembaga Ilmu Pengetahuan Indonesia (LIPI) hadir.", "LIPI = lembaga ilmu pengetahuan indonesia"},
        {"Pihak Kebun Raya Cibodas (KRC) menyatakan", "KRC = kebun raya cibodas"},
        // function words lend no letter, other words need one of theirs
        {"Badan Pengkajian dan Penerapan Teknologi (BPPT)", "BPPT = badan pengkajian dan penerapan teknologi"},
        {"program Eyes in the Sky (EiS) dimulai", "EiS = eyes in the sky"},
        {"Fraksi Partai Golkar (F-PG) menolak", "F-PG = fraksi partai golkar"},
        // a letter from inside a word (takeoff)
        {"batas maximum takeoff weight (MTOW) pesawat", "MTOW = maximum takeoff weight"},
        // each definition once, in order
        {"Bank Indonesia (BI) dan Bank Indonesia (BI) serta Bursa Efek Jakarta (BEJ).",
         "BI = bank indonesia; BEJ = bursa efek jakarta"},
        // nothing: another language's abbreviation, a run that crosses a comma,
        // a word in parentheses, a number, one capital, too long, no long form
        {"Kepala Badan Tenaga Atom Internasional (IAEA) mendesak", ""},
        {"Bank, Indonesia (BI)", ""},
        {"pesawat (Boeing) itu", ""},
        {"sebanyak 20 orang (80) tewas", ""},
        {"kata Polri (Polri) kemarin", ""},
        {"Pusat Studi Energi Nasional Indonesia Raya (PSENIRAYAXYZ)", ""},
        {"(BPS) menyebutkan", ""},
        {"ia melakukan pertemuan dengan Kepala Dana Moneter Internasional (IMF)", ""},
        {"unclosed (BPS", ""},
        {"", ""},
    };
    for (const auto& r : rows) EXPECT_EQ(defs(r.text), r.defs) << r.text;
    // Each '(' looks at most an abbreviation's length ahead for its ')': a
    // megabyte of them (a ')' only at the end) is read once, not once per '('.
    EXPECT_EQ(defs(std::string(1 << 20, '(') + "BPS)"), "");
    EXPECT_EQ(defs("Badan Pusat Statistik " + std::string(1 << 20, '(') + "(BPS)"), "");
}

TEST(Abbreviations, TermsRoundTrip) {
    const AbbreviationDef d{"BPS", "badan pusat statistik"};
    const std::string t = abbreviation_term(d);
    EXPECT_EQ(t, "XBBPS\tbadan pusat statistik");
    EXPECT_EQ(parse_abbreviation_term(std::string_view(t).substr(2)), d);
    EXPECT_TRUE(parse_abbreviation_term("no tab").abbr.empty());
    EXPECT_TRUE(parse_abbreviation_term("\tx").abbr.empty());
    EXPECT_TRUE(parse_abbreviation_term("X\t").abbr.empty());
    EXPECT_TRUE(abbreviation_term({"ABC", std::string(300, 'a')}).empty());  // longer than a term may be
}

TEST(Abbreviations, SomeAreWordsInLowerCase) {
    struct Row { const char* abbr; bool word; };
    const Row rows[] = {
        {"KRC", false}, {"BPS", false}, {"F-PG", false}, {"EiS", false},
        {"API", true},   // api, fire: a root
        {"DAS", true},   // das: a root too
        {"AS", true},    // two letters
        {"UI", true},
        {"YANG", true},  // a stop word
    };
    for (const auto& r : rows) EXPECT_EQ(abbreviation_is_word(r.abbr, analyzer().stemmer()), r.word) << r.abbr;
}

TEST(Abbreviations, JoinTheSynonymTableBothWays) {
    Synonyms s(*Synonyms::builtin());
    auto add = [&](const char* abbr, const char* expansion) {
        s.add_defined(abbr, expansion, abbreviation_is_word(abbr, analyzer().stemmer()));
    };
    add("KRC", "kebun raya cibodas");
    add("API", "american petroleum institute");   // "api" is a word: capitals only
    add("AS", "amerika serikat");                 // the built-in entry already has it
    add("F-PG", "fraksi partai golkar");
    QueryParser qp(Analyzer::default_instance());
    qp.synonyms = std::make_shared<const Synonyms>(s);
    EXPECT_EQ(qp.parse("luas KRC").parsed, "luas (krc OR \"kebun raya cibodas\")");
    EXPECT_EQ(qp.parse("luas krc").parsed, "luas (krc OR \"kebun raya cibodas\")");
    EXPECT_EQ(qp.parse("luas Kebun Raya Cibodas").parsed, "luas (kebun raya cibodas OR krc)");
    EXPECT_EQ(qp.parse("API").parsed, "api OR \"american petroleum institute\"");
    EXPECT_EQ(qp.parse("api unggun").parsed, "api unggun");
    EXPECT_EQ(qp.parse("American Petroleum Institute").parsed, "american petroleum institute");
    EXPECT_EQ(qp.parse("Presiden AS").parsed, "presiden (as OR \"amerika serikat\")");
    // A hyphenated abbreviation is more than one word to the parser: found
    // from its long form only.
    EXPECT_EQ(qp.parse("Fraksi Partai Golkar").parsed, "(fraksi partai golkar OR \"f pg\")");
    EXPECT_THROW(s.add_defined("ABC", " ", false), std::invalid_argument);
}

// An abbreviation only indexed texts define, that the archive writes as a
// lower-case word (QueryParser::lower_case_word, which Searcher answers from
// stored texts), expands only when typed in capitals, and typing its long form
// does not add it. A table's entries and other defined ones are left alone.
TEST(Abbreviations, ThoseTheArchiveWritesAsWordsNeedCapitals) {
    Synonyms s(*Synonyms::builtin());
    auto add = [&](const char* abbr, const char* expansion) {
        s.add_defined(abbr, expansion, abbreviation_is_word(abbr, analyzer().stemmer()));
    };
    add("THE", "times higher education");
    add("KRC", "kebun raya cibodas");
    add("KPK", "komisi pemberantasan korupsi");  // the built-in table has it too
    QueryParser qp(Analyzer::default_instance());
    qp.synonyms = std::make_shared<const Synonyms>(s);
    std::vector<std::string> asked;
    qp.lower_case_word = [&](const std::string& w) {
        asked.push_back(w);
        return w == "the" || w == "kpk";
    };
    struct Row { const char* query; const char* parsed; };
    const Row rows[] = {
        {"the", "the"},
        {"The", "the"},
        {"THE", "the OR \"times higher education\""},
        {"Times Higher Education", "times higher education"},
        {"krc", "krc OR \"kebun raya cibodas\""},
        {"Kebun Raya Cibodas", "(kebun raya cibodas OR krc)"},
        {"kpk", "kpk OR \"komisi pemberantasan korupsi\""},
        {"komisi pemberantasan korupsi", "(komisi berantas korupsi OR kpk)"},
    };
    for (const auto& r : rows) EXPECT_EQ(qp.parse(r.query).parsed, r.parsed) << r.query;
    // Only defined abbreviations are asked about, never a table's.
    EXPECT_EQ(std::count(asked.begin(), asked.end(), "kpk"), 0);
    EXPECT_GT(std::count(asked.begin(), asked.end(), "the"), 0);
    // Without the question every defined abbreviation expands in any case.
    qp.lower_case_word = nullptr;
    EXPECT_EQ(qp.parse("the").parsed, "the OR \"times higher education\"");
}
