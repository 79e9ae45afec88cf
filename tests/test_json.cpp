#include "json.h"
#include "utf8.h"

#include <gtest/gtest.h>

using namespace cari;

TEST(Json, ParsesFieldsOfAFeedLine) {
    const auto v = json::parse(R"({"id": 12, "title": "Rusia \"siap\"", "tags": ["a", null], "ok": true, "x": {"y": -1.5e3}})");
    ASSERT_EQ(v.type, json::Value::Type::Object);
    EXPECT_EQ(v.find("id")->text(), "12");
    EXPECT_EQ(v.find("title")->text(), "Rusia \"siap\"");
    EXPECT_EQ(v.find("tags")->arr.size(), 2u);
    EXPECT_EQ(v.find("ok")->text(), "true");
    EXPECT_EQ(v.find("x")->find("y")->text(), "-1.5e3");
    EXPECT_EQ(v.find("missing"), nullptr);
}

TEST(Json, DecodesEscapesAndSurrogates) {
    struct Row { const char* in; const char* want; };
    const Row rows[] = {
        {R"("a\nb")", "a\nb"},
        {R"("\u00e9")", "\xC3\xA9"},
        {R"("\ud83d\ude00")", "\xF0\x9F\x98\x80"},
        {R"("\ud83d")", "\xEF\xBF\xBD"},          // lone surrogate -> U+FFFD
        {"\"\xE2\x80\xA8\"", "\xE2\x80\xA8"},     // U+2028 inside a string stays
    };
    for (const auto& r : rows) EXPECT_EQ(json::parse(r.in).str, r.want) << r.in;
}

TEST(Json, RejectsMalformedWithAnOffset) {
    const char* bad[] = {"{", "{\"a\" 1}", "[1,]", "\"abc", "{\"a\":1} x", "tru", "", "{\"a\":\"\\x\"}"};
    for (const char* b : bad) EXPECT_THROW((void)json::parse(b), json::ParseError) << b;
}

TEST(Json, DeepNestingIsAnErrorNotACrash) {
    std::string deep(100000, '[');
    EXPECT_THROW((void)json::parse(deep), json::ParseError);
}

TEST(Json, WritesEscapedStrings) {
    EXPECT_EQ(json::quote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
}

TEST(Utf8, RepairsInvalidBytes) {
    struct Row { std::string in, want; };
    const Row rows[] = {
        {"plain", "plain"},
        {"caf\xC3\xA9", "caf\xC3\xA9"},
        {"bad\xFFx", "bad\xEF\xBF\xBDx"},
        {"trunc\xE2\x80", "trunc\xEF\xBF\xBD\xEF\xBF\xBD"},
        {std::string("nul\0x", 5), "nulx"},
        {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"},   // overlong
    };
    for (const auto& r : rows) {
        EXPECT_EQ(utf8::repair(r.in), r.want);
        EXPECT_TRUE(utf8::valid(utf8::repair(r.in)));
    }
}

TEST(Utf8, BinaryRatio) {
    EXPECT_EQ(utf8::binary_ratio("teks biasa\n"), 0.0);
    EXPECT_GT(utf8::binary_ratio(std::string("\0\0\0\x01\x02z", 6)), 0.5);
}
