// Dates as Indonesian news pages write them -> ISO 8601.
#include "dates.h"

#include <gtest/gtest.h>

#include <string>

namespace {

struct Row {
    const char* input;
    const char* expected;  // "" = no date
};

const Row kFindDate[] = {
    {"Selasa 06 Dec 2022 17:35 WIB", "2022-12-06T17:35:00+07:00"},
    {"KAMIS, 06 MEI 2021 | 10:12 WIB | LAPORAN: SARAH MEILIANA GUNAWAN", "2021-05-06T10:12:00+07:00"},
    {"Rabu, 01 Mei 2024 | 08:43", "2024-05-01T08:43:00+07:00"},
    {"Sabtu, 27 April 2024 | 17:17", "2024-04-27T17:17:00+07:00"},
    {"31 Juli 2019", "2019-07-31"},
    {"Senin, 5 Agustus 2019 pukul 14.30 WITA", "2019-08-05T14:30:00+08:00"},
    {"Jumat, 9 Agt 2019 20:00 WIT", "2019-08-09T20:00:00+09:00"},
    {"2019-09-10T08:00:00Z", "2019-09-10T08:00:00+00:00"},
    {"2022-12-06T17:35:00+07:00", "2022-12-06T17:35:00+07:00"},
    {"2021-05-06 10:12:33", "2021-05-06T10:12:33+07:00"},
    {"2021-05-06", "2021-05-06"},
    {"published 2019-11-19T06:56:00.000-05:00", "2019-11-19T06:56:00-05:00"},
    {"Sep 10, 2019", "2019-09-10"},
    {"November 19, 2019 6:56 AM", "2019-11-19T06:56:00+07:00"},
    {"Juli 25, 2019", "2019-07-25"},
    {"10-Sep-19", "2019-09-10"},
    {"13/09/2019", "2019-09-13"},
    {"06/05/2021 10:00 WIB", "2021-05-06T10:00:00+07:00"},
    {"Updated 12 Desember 2020, 09:15 GMT+7", "2020-12-12T09:15:00+07:00"},
    {"pada Senin (5/12/2022).", "2022-12-05"},
    // not dates
    {"bertemu pada 25 Mei mendatang", ""},
    {"31 Februari 2019", ""},
    {"harga naik 17.35 persen", ""},
    {"", ""},
};

TEST(Dates, FindDate) {
    for (const auto& r : kFindDate) EXPECT_EQ(cari::find_date(r.input).iso, r.expected) << r.input;
}

TEST(Dates, SpanCoversTheMatch) {
    const std::string s = "KAMIS, 06 MEI 2021 | 10:12 WIB | LAPORAN: X";
    const auto m = cari::find_date(s);
    EXPECT_EQ(s.substr(m.begin, m.end - m.begin), "06 MEI 2021 | 10:12 WIB");
    EXPECT_TRUE(m.has_time);
}

const Row kFields[] = {
    {"43718", "2019-09-10"},          // Excel serial day
    {"43466", "2019-01-01"},
    {"1568073600", "2019-09-10"},     // Unix seconds
    {"31 Juli 2019", "2019-07-31"},
    {"Sep 10, 2019", "2019-09-10"},
    {" 2019-09-10 ", "2019-09-10"},
    {"12", ""},
    {"kemarin", ""},
};

TEST(Dates, Fields) {
    for (const auto& r : kFields) EXPECT_EQ(cari::parse_date_field(r.input), r.expected) << r.input;
}

TEST(Dates, Names) {
    EXPECT_EQ(cari::month_number("Mei"), 5);
    EXPECT_EQ(cari::month_number("AGUSTUS"), 8);
    EXPECT_EQ(cari::month_number("Dec"), 12);
    EXPECT_EQ(cari::month_number("Rusia"), 0);
    EXPECT_TRUE(cari::is_day_name("KAMIS"));
    EXPECT_TRUE(cari::is_day_name("Monday"));
    EXPECT_FALSE(cari::is_day_name("Moskow"));
}

} // namespace

TEST(Dates, DisplayedAsReadersWriteThem) {
    struct Row { const char* stored; const char* shown; };
    const Row rows[] = {
        {"2022-12-06T17:35:00+07:00", "2022-12-06 17:35 WIB"},
        {"2023-03-09T18:27:00+08:00", "2023-03-09 18:27 WITA"},
        {"2023-03-09T08:05+09:00", "2023-03-09 08:05 WIT"},
        {"2024-01-08T06:30:00Z", "2024-01-08 06:30 UTC"},
        {"2024-01-08T06:30:00.250+00:00", "2024-01-08 06:30 UTC"},
        {"2024-01-08T06:30:00+05:30", "2024-01-08 06:30 +05:30"},
        {"2024-01-08T06:30:00", "2024-01-08 06:30"},
        {"2024-03-20", "2024-03-20"},
        {"2024-03-20T06:30:00 nonsense", "2024-03-20T06:30:00 nonsense"},
        {"", ""},
    };
    for (const auto& row : rows) EXPECT_EQ(cari::display_date(row.stored), row.shown) << row.stored;
    // What find_date reads comes back in the reader's words.
    const Row read[] = {
        {"Selasa 06 Dec 2022 17:35 WIB", "2022-12-06 17:35 WIB"},
        {"Kamis, 9 Maret 2023 18:27 WITA", "2023-03-09 18:27 WITA"},
        {"1 Mei 2024 08:05 WIT", "2024-05-01 08:05 WIT"},
    };
    for (const auto& row : read) EXPECT_EQ(cari::display_date(cari::find_date(row.stored).iso), row.shown) << row.stored;
}
