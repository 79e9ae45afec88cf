// Dates as Indonesian news pages write them, turned into ISO 8601.
//   "Selasa 06 Dec 2022 17:35 WIB"      -> "2022-12-06T17:35:00+07:00"
//   "KAMIS, 06 MEI 2021 | 10:12 WIB"    -> "2021-05-06T10:12:00+07:00"
//   "31 Juli 2019"                      -> "2019-07-31"
//   "2019-09-10T08:00:00Z"              -> "2019-09-10T08:00:00+00:00"
// A time without a zone is taken as WIB (+07:00), the zone of most Indonesian
// newsrooms; WITA is +08:00, WIT +09:00.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cari {

struct DateMatch {
    std::string iso;          // empty: no date found
    std::size_t begin = 0;    // byte span of the match in the input
    std::size_t end = 0;
    bool has_time = false;
};

// Finds the first date (with its time and zone when they follow) in text.
[[nodiscard]] DateMatch find_date(std::string_view text);

// Parses a metadata field: anything find_date reads, an Excel serial day
// number (43718 -> "2019-09-10") or a Unix time in seconds. Empty when unreadable.
[[nodiscard]] std::string parse_date_field(std::string_view text);

// True for an Indonesian or English day name ("Selasa", "kamis", "Monday").
[[nodiscard]] bool is_day_name(std::string_view word);
// 1..12 for a month name or abbreviation in Indonesian or English, else 0.
[[nodiscard]] int month_number(std::string_view word);
// Days in month m (1..12) of year y (Gregorian leap years); 0 for another m.
[[nodiscard]] int days_in_month(int y, int m);

// An ISO 8601 date as a reader takes it in: "2022-12-06T17:35:00+07:00" is
// "2022-12-06 17:35 WIB" (WITA at +08:00, WIT at +09:00, UTC at +00:00, the
// offset itself otherwise); a date without a time, or one of another shape,
// as it is.
[[nodiscard]] std::string display_date(const std::string& iso);

} // namespace cari
