#include "query.h"
#include "schema.h"

#include <gtest/gtest.h>

#include <sstream>
#include <tuple>

using namespace cari;

namespace {
std::shared_ptr<const Analyzer> plain() {
    static auto a = std::make_shared<Analyzer>(std::shared_ptr<const Stemmer>(make_stemmer("none")));
    return a;
}
} // namespace

TEST(QueryParser, UnderstandsTheLanguage) {
    struct Row { const char* query; const char* parsed; };
    const Row rows[] = {
        {"lavrov", "lavrov"},
        {"Rusia Armenia", "rusia armenia"},
        {"yang dan Rusia", "rusia"},                         // stop words dropped beside content words
        {"yang dan", "yang dan"},                            // ... but kept when they are all there is
        {"\"perjanjian damai\"", "\"perjanjian damai\""},
        {"Lavrov NEAR/6 Bayramov", "lavrov NEAR/6 bayramov"},
        {"Lavrov ADJ/3 Bayramov", "lavrov ADJ/3 bayramov"},
        {"Lavrov NEAR Bayramov", "lavrov NEAR/10 bayramov"},
        {"rusia AND armenia", "rusia AND armenia"},
        {"rusia OR armenia", "rusia OR armenia"},
        {"rusia NOT armenia", "rusia -armenia"},
        {"rusia -armenia +damai", "rusia +damai -armenia"},
        {"(rusia OR moskow) damai", "(rusia OR moskow) damai"},
        {"damai -(rusia OR moskow)", "damai -(rusia OR moskow)"},       // a sign before a group
        {"damai +(rusia OR moskow)", "damai +(rusia OR moskow)"},
        {"title:(rusia OR moskow)", "title:rusia OR title:moskow"},     // a field before a group
        {"lavrov NEAR/5 (bayramov OR pashinyan)", "lavrov NEAR/5 (bayramov OR pashinyan)"},  // alternatives
        {"(lavrov OR \"sergei lavrov\") ADJ/3 bayramov", "(lavrov OR \"sergei lavrov\") ADJ/3 bayramov"},
        {"lavrov NEAR/5 (bayramov)", "lavrov NEAR/5 bayramov"},
        {"damai -lavrov NEAR/5 bayramov", "damai -(lavrov NEAR/5 bayramov)"},    // the sign is the pair's
        {"lavrov NEAR/5 -bayramov", "lavrov -bayramov"},                          // an excluded side: NOT
        {"\"lavrov bayramov\"~3", "\"lavrov bayramov\"~3"},                      // a proximity phrase
        {"-title:\"lavrov bayramov\"~3 damai", "damai -title:\"lavrov bayramov\"~3"},
        {"\"lavrov bayramov\"~3x", "\"lavrov bayramov\" 3x"},                     // not a distance
        {"damai source:(antara OR kompas)", "damai (source:antara OR source:kompas)"},
        {"damai date:(2021 OR 2023)", "damai (date:2021 OR date:2023)"},
        {"-title:(rusia moskow) damai", "damai -(title:rusia title:moskow)"},
        {"title:damai", "title:damai"},
        {"title:\"perjanjian damai\"", "title:\"perjanjian damai\""},
        {"source:ANTARA damai", "damai source:antara"},
        {"date:2021 damai", "damai date:2021"},
        {"date:2021-05-01..2021-05-31", "date:2021-05-01..2021-05-31"},
        {"date:2024-2-29", "date:2024-2-29"},                  // one-digit month and day; a leap day
        {"date:2021-05-31..2021-05-01", "date:2021-05-01..2021-05-31"},  // reversed: read in order
        {"date:2022..2021-06", "date:2021-06..2022"},
        {"date:2021..2021-06", "date:2021..2021-06"},                    // not reversed: all 2021 up to June
        {"rusia NEAR/0 armenia", "rusia NEAR/1 armenia"},
        {"presid*", "presid*"},
        {"=damai", "=damai"},
        {"Azerbaijan-Armenia", "\"azerbaijan armenia\""},
        {"Ma\xE2\x80\x99ruf", "maruf"},
    };
    QueryParser qp(plain());
    for (const auto& r : rows) {
        const auto p = qp.parse(r.query);
        EXPECT_EQ(p.parsed, r.parsed) << r.query;
        EXPECT_FALSE(p.query.empty()) << r.query;
    }
}

TEST(QueryParser, TypedQuestionsAndJunkNeverFail) {
    const char* rows[] = {
        "Siapa utusan Rusia untuk normalisasi hubungan Azerbaijan-Armenia?",
        "\"unclosed phrase", "((rusia", "rusia))", "AND", "OR OR", "NOT", "NEAR/5", "a NEAR/", "-", "+", "\"\"",
        "()", "title:", "date:", "date:abc", "date:..", "*", "=", "???", "\xFF\xFE", "NEAR/99999999999999999999 x",
        "a NEAR/3 (b OR c)", "source:", "\"a\" NEAR/2 \"b c\"",
    };
    QueryParser qp(plain());
    for (const char* q : rows) EXPECT_NO_THROW((void)qp.parse(q)) << q;
    EXPECT_FALSE(qp.parse(rows[0]).query.empty());
    EXPECT_TRUE(qp.parse("???").query.empty());
}

TEST(QueryParser, NotesWhatItIgnoredOrBounded) {
    struct Row { const char* query; const char* note; };
    const Row rows[] = {
        {"\"unclosed", "unclosed quote ignored"},
        {"rusia)", "unmatched ')' ignored"},
        {"(rusia", "unclosed '(' closed at the end"},
        {"a NEAR/100000 b", "distance 100000 capped at 1000"},
        {"date:kemarin", "date not understood: kemarin"},
        {"damai date:2021-13", "date not understood: 2021-13"},        // no such month
        {"damai date:2023-02-29", "date not understood: 2023-02-29"},  // no such day
        {"damai date:2021-00", "date not understood: 2021-00"},
        {"damai date:2021-05-001", "date not understood: 2021-05-001"},
        {"damai date:2021..2021-04-31", "date range not understood: 2021..2021-04-31"},
        {"damai date:2021-05-31..2021-05-01", "date range reversed: read as 2021-05-01..2021-05-31"},
        {"title:=damai", "title: does not apply to =damai: searched in title and text"},
        {"title:(presid* OR damai)", "title: does not apply to presid*: searched in title and text"},
        {"lavrov NEAR/5 -bayramov", "NEAR before an excluded word read as NOT"},
        {"\"lavrov bayramov\"~5000", "distance 5000 capped at 1000"},
        {"lavrov NEAR/5 (bayramov pashinyan)", "NEAR between groups treated as AND"},
        {"rusia NEAR/0 armenia", "distance 0 read as 1"},
        {"((((((((((((((((((((((((((((((((((rusia))))))))))))))))))))))))))))))))))", "parentheses nested deeper than 32 ignored"},
    };
    QueryParser qp(plain());
    for (const auto& r : rows) {
        const auto p = qp.parse(r.query);
        ASSERT_FALSE(p.notes.empty()) << r.query;
        EXPECT_EQ(p.notes[0], r.note) << r.query;
    }
}

TEST(QueryParser, LongQueriesAreBounded) {
    std::string q;
    for (int i = 0; i < 5000; ++i) q += "kata" + std::to_string(i) + " ";
    QueryParser qp(plain());
    const auto p = qp.parse(q);
    EXPECT_LE(p.words.size(), QueryLimits{}.max_terms);
    EXPECT_FALSE(p.notes.empty());
}

// An expansion typed out across the word limit is read word by word, as
// without the table: the words that fit are kept, once each.
TEST(QueryParser, TypedExpansionAtTheWordLimit) {
    std::string q;
    const std::size_t limit = QueryLimits{}.max_terms;
    for (std::size_t i = 0; i + 2 < limit; ++i) q += "kata" + std::to_string(i) + " ";
    QueryParser qp(plain());
    const auto p = qp.parse(q + "menteri luar negeri");
    ASSERT_EQ(p.words.size(), limit);
    EXPECT_EQ(p.words[limit - 2], "menteri");
    EXPECT_EQ(p.words[limit - 1], "luar");
    EXPECT_EQ(p.parsed.find("menlu"), std::string::npos) << p.parsed;
    EXPECT_NE(p.parsed.find("menteri luar"), std::string::npos) << p.parsed;
    // Its alternative ("menlu") counts as a word too: with two fewer words, all fit.
    const std::string shorter = q.substr(0, q.rfind("kata", q.rfind("kata") - 1));
    const auto fits = qp.parse(shorter + "menteri luar negeri");
    EXPECT_NE(fits.parsed.find("(menteri luar negeri OR menlu)"), std::string::npos) << fits.parsed;
}

TEST(QueryParser, HighlightSpecFollowsTheQuery) {
    QueryParser qp(plain());
    const auto p = qp.parse("\"perjanjian damai\" Lavrov NEAR/6 Bayramov rusia");
    ASSERT_EQ(p.highlight.phrases.size(), 1u);
    EXPECT_EQ(p.highlight.phrases[0], (std::vector<std::string>{"perjanjian", "damai"}));
    ASSERT_EQ(p.highlight.nears.size(), 1u);
    EXPECT_EQ(p.highlight.nears[0].distance, 6u);
    EXPECT_TRUE(p.highlight.stems.count("rusia"));
    EXPECT_FALSE(p.highlight.stems.count("lavrov"));  // highlighted as part of the pair
}

TEST(QueryParser, QuestionWordsLeaveTheBag) {
    struct Row { const char* query; const char* parsed; };
    const Row rows[] = {
        {"Siapakah pendiri JMI?", "pendiri jmi"},
        {"Berapakah jumlah korban banjir", "jumlah korban banjir"},
        {"Kapankah gempa terjadi?", "gempa terjadi"},
        {"Dimanakah letak Sebangau", "letak sebangau"},
        {"Bagaimanakah nasib pengungsi", "nasib pengungsi"},
        {"kenapa harga naik", "harga naik"},
        {"siapakah", "siapakah"},                 // alone, it is the query
        {"apa itu", "apa itu"},
    };
    QueryParser qp(plain());
    qp.synonyms = nullptr;
    for (const auto& r : rows) EXPECT_EQ(qp.parse(r.query).parsed, r.parsed) << r.query;
}

TEST(QueryParser, AbbreviationsExpandAndShowInParsed) {
    struct Row { const char* query; const char* parsed; };
    const Row rows[] = {
        {"menlu Rusia", "(menlu OR \"menteri luar negeri\") rusia"},
        {"Menlu", "menlu OR \"menteri luar negeri\""},
        {"sidang DK PBB", "sidang (\"dk pbb\" OR \"dewan keamanan pbb\" OR \"dewan keamanan perserikatan bangsa\")"},
        {"PBB", "pbb OR \"perserikatan bangsa\""},
        {"Presiden AS", "presiden (as OR \"amerika serikat\")"},
        {"presiden as", "presiden as"},           // lower-case "as" is the word, not the country
        {"As", "as"},
        {"KPK", "kpk OR \"komisi pemberantasan korupsi\""},
        {"Polri", "polri OR \"kepolisian negara republik indonesia\""},
        {"TNI", "tni OR \"tentara nasional indonesia\""},
        {"Kemlu", "kemlu OR \"kementerian luar negeri\""},
        {"BIN", "bin OR \"badan intelijen negara\""},
        {"Muhammad bin Salman", "muhammad bin salman"},   // lower-case "bin" is the word
        {"HUT RI", "(hut OR \"hari ulang tahun\") (ri OR \"republik indonesia\")"},
        {"PKS", "pks OR \"partai keadilan sejahtera\""},
        {"-KPK korupsi", "korupsi -(kpk OR \"komisi pemberantasan korupsi\")"},
        {"title:KPK", "title:kpk"},                // fields are taken as typed
        {"=KPK", "=kpk"},
        {"KPK*", "kpk*"},
        {"Kemlu NEAR/3 Rusia", "(kemlu OR \"kementerian luar negeri\") NEAR/3 rusia"},
        {"menlu ADJ/2 AS", "(menlu OR \"menteri luar negeri\") ADJ/2 (as OR \"amerika serikat\")"},
        // Both ways: an expansion typed out stays a bag of words, each also found as the key.
        {"menteri luar negeri Rusia", "(menteri luar negeri OR menlu) rusia"},
        {"Rusia Menteri Luar Negeri", "rusia (menteri luar negeri OR menlu)"},
        {"Komisi Pemberantasan Korupsi", "(komisi pemberantasan korupsi OR kpk)"},
        {"kementerian luar negeri", "(kementerian luar negeri OR kemlu OR kemenlu)"},
        {"Dewan Keamanan PBB",
         "(dewan keamanan pbb OR \"dk pbb\" OR \"dewan keamanan perserikatan bangsa\")"},
        {"Amerika Serikat", "amerika serikat"},   // "AS" is a word in lower case: not added
        {"menteri luar negeri NEAR/3 Rusia", "menteri luar negeri NEAR/3 rusia"},
        {"Rusia NEAR/3 menteri luar negeri", "rusia NEAR/3 menteri luar negeri"},
        {"+menteri luar negeri", "luar negeri +menteri"},
    };
    QueryParser qp(plain());
    for (const auto& r : rows) {
        const auto p = qp.parse(r.query);
        EXPECT_EQ(p.parsed, r.parsed) << r.query;
        EXPECT_FALSE(p.query.empty()) << r.query;
    }
    // Neither an abbreviation the table knows nor its expansions are
    // spell-checked; the typed words of an expansion are.
    EXPECT_EQ(qp.parse("menlu Rusia").words, (std::vector<std::string>{"rusia"}));
    EXPECT_EQ(qp.parse("menteri luar negeri Rusia").words,
              (std::vector<std::string>{"menteri", "luar", "negeri", "rusia"}));
}

TEST(QueryParser, SynonymFilesExtendTheTable) {
    Synonyms s;
    std::istringstream in("# comment\nbom = ledakan   # trailing comment\n=IT = teknologi informasi\n\nbom = peledak\n");
    s.load(in, "test");
    QueryParser qp(plain());
    qp.synonyms = std::make_shared<const Synonyms>(s);
    EXPECT_EQ(qp.parse("bom Bali").parsed, "(bom OR ledakan OR peledak) bali");
    EXPECT_EQ(qp.parse("IT").parsed, "it OR \"teknologi informasi\"");
    EXPECT_EQ(qp.parse("it").parsed, "it");
    // An expansion finds its key and the key's other expansions.
    EXPECT_EQ(qp.parse("ledakan Bali").parsed, "(ledakan OR bom OR peledak) bali");
    EXPECT_EQ(qp.parse("teknologi informasi").parsed, "teknologi informasi");  // exact-case key
    const char* bad[] = {"no separator here", " = expansion only", "key = "};
    for (const char* b : bad) {
        Synonyms t;
        std::istringstream bin(b);
        EXPECT_THROW(t.load(bin, "bad"), std::runtime_error) << b;
    }
    try {
        Synonyms t;
        std::istringstream bin("ok = fine\nbroken line\n");
        t.load(bin, "file.txt");
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("file.txt:2:", 0), 0u) << e.what();
    }
}

TEST(QueryParser, DeepNestingIsFlattenedNotRecursed) {
    struct Row { std::string open; std::size_t depth; };
    const Row rows[] = {{"(", 2000}, {"NOT (", 800}, {"\"(", 1000}, {"a OR (", 600}};
    QueryParser qp(plain());
    for (const auto& r : rows) {
        std::string q;
        for (std::size_t i = 0; i < r.depth; ++i) q += r.open;
        q += "banjir";
        const auto p = qp.parse(q);
        std::string notes;
        for (const auto& n : p.notes) notes += n + "; ";
        EXPECT_NE(notes.find("nested deeper than 32"), std::string::npos) << r.open << ": " << notes;
        // Kept pairs: at most 32 levels of '(' in the parsed form.
        std::size_t depth = 0, most = 0;
        for (char c : p.parsed) {
            if (c == '(') most = std::max(most, ++depth);
            if (c == ')' && depth) --depth;
        }
        EXPECT_LE(most, 40u) << r.open;
    }
    // Within the limit nothing changes.
    EXPECT_EQ(qp.parse("((rusia OR moskow)) damai").parsed, "(rusia OR moskow) damai");
}

TEST(QueryParser, NearWorksOnEachFormOfAnAbbreviation) {
    QueryParser qp(plain());
    const auto p = qp.parse("Kemlu NEAR/3 Rusia");
    for (const auto& n : p.notes) EXPECT_EQ(n.find("treated as AND"), std::string::npos) << n;
    // One NEAR pair per form: the typed one and the expansion.
    ASSERT_EQ(p.highlight.nears.size(), 2u);
    EXPECT_EQ(p.highlight.nears[0].a, (std::vector<std::string>{"kemlu"}));
    EXPECT_EQ(p.highlight.nears[1].a, (std::vector<std::string>{"kementerian", "luar", "negeri"}));
    EXPECT_EQ(p.highlight.nears[1].b, (std::vector<std::string>{"rusia"}));
    const std::string d = p.query.get_description();
    EXPECT_NE(d.find("NEAR 4"), std::string::npos) << d;   // kemlu, rusia: window 1 + 1 + 3 - 1
    EXPECT_NE(d.find("NEAR 6"), std::string::npos) << d;   // three words + rusia: window 3 + 1 + 3 - 1
}

// A source: or author: word the index lacks in that field is searched as the
// field words starting with it, which QueryParser::field_completions gives;
// a typed prefix asks for all of them, =word for none.
TEST(QueryParser, FieldWordsTheIndexLacksSearchTheirCompletions) {
    QueryParser qp(plain());
    std::vector<std::tuple<std::string, std::string, bool>> asked;
    qp.field_completions = [&](std::string_view prefix, const std::string& w, bool typed_prefix) {
        asked.emplace_back(std::string(prefix), w, typed_prefix);
        if (w == "tribun") return std::vector<std::string>{"tribunnews", "tribunjabar"};
        if (w == "kompas" && typed_prefix) return std::vector<std::string>{"kompas", "kompastv"};
        return std::vector<std::string>{};
    };
    const std::string S(schema::kSource), A(schema::kAuthor);
    struct Row { const char* query; const char* parsed; std::string term; std::size_t notes; };
    const Row rows[] = {
        {"banjir source:tribun", "banjir source:tribun*", S + "tribunnews", 1},
        {"banjir source:kompas", "banjir source:kompas", S + "kompas", 0},
        {"author:tribun", "author:tribun*", A + "tribunjabar", 1},
        {"source:(tribun OR kompas)", "source:tribun* OR source:kompas", S + "tribunjabar", 1},
        {"source:kompas*", "source:kompas*", S + "kompastv", 0},   // a typed prefix: all, no note
        {"source:tribun*", "source:tribun*", S + "tribunjabar", 0},
        {"source:=tribun", "source:tribun", S + "tribun", 0},      // as typed
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(r.query);
        const auto p = qp.parse(r.query);
        EXPECT_EQ(p.parsed, r.parsed);
        EXPECT_NE(p.query.get_description().find(r.term), std::string::npos) << p.query.get_description();
        EXPECT_EQ(p.notes.size(), r.notes);
    }
    EXPECT_NE(std::find(asked.begin(), asked.end(), std::make_tuple(A, std::string("tribun"), false)), asked.end());
    EXPECT_NE(std::find(asked.begin(), asked.end(), std::make_tuple(S, std::string("kompas"), true)), asked.end());
    // More field words than the expansion limit: the most frequent are searched, with a note.
    QueryParser small(plain(), QueryLimits{.max_expansion = 2});
    small.field_completions = [](std::string_view, const std::string&, bool) {
        return std::vector<std::string>{"tribunnews", "tribunjabar", "tribunbali"};
    };
    const auto cut = small.parse("source:tribun*");
    EXPECT_EQ(cut.notes, std::vector<std::string>{
                             "source:tribun* matches more than 2 source words: the most frequent 2 are searched"});
    EXPECT_EQ(cut.query.get_description().find("tribunbali"), std::string::npos) << cut.query.get_description();
    // Without the callback (no index at hand), a word is searched as typed.
    qp.field_completions = nullptr;
    EXPECT_EQ(qp.parse("source:tribun").parsed, "source:tribun");
}
