#include "dates.h"

#include <array>
#include <cstdio>
#include <vector>

namespace cari {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool equals_lower(std::string_view w, std::string_view lower_word) {
    if (w.size() != lower_word.size()) return false;
    for (std::size_t i = 0; i < w.size(); ++i)
        if (lower(w[i]) != lower_word[i]) return false;
    return true;
}

struct Tok {
    enum Kind { Num, Word, Punct } kind;
    std::size_t b, e;    // byte span
    int value = 0;       // numbers (capped), month number for words
};

std::vector<Tok> tokenize(std::string_view s) {
    std::vector<Tok> out;
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        if (is_digit(c)) {
            std::size_t j = i;
            long v = 0;
            while (j < s.size() && is_digit(s[j])) {
                if (v < 100000000) v = v * 10 + (s[j] - '0');
                ++j;
            }
            out.push_back({Tok::Num, i, j, static_cast<int>(v)});
            i = j;
        } else if (is_alpha(c)) {
            std::size_t j = i;
            while (j < s.size() && is_alpha(s[j])) ++j;
            out.push_back({Tok::Word, i, j, 0});
            i = j;
        } else if (c == ' ' || c == '\t') {
            ++i;
        } else {
            // one token per character (multi-byte characters count as one)
            std::size_t j = i + 1;
            while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
            out.push_back({Tok::Punct, i, j, 0});
            i = j;
        }
    }
    return out;
}

bool valid_ymd(int y, int m, int d) {
    return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

std::string ymd(int y, int m, int d) {
    char buf[32];  // (room for any int, though callers pass valid dates)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}

// Parses "HH:MM[:SS] [am|pm] [zone]" (or "HH.MM zone") from token k; on success
// sets the time and offset and returns the token after it.
struct Time {
    int h = 0, m = 0, s = 0;
    int offset_min = 7 * 60;
    bool zone = false;
};

// Indonesia's time zones, read in dates and written back for display.
struct Zone {
    std::string_view lower, name, offset;
    int offset_min;
};
constexpr Zone kZones[] = {
    {"wib", "WIB", "+07:00", 7 * 60},
    {"wita", "WITA", "+08:00", 8 * 60},
    {"wit", "WIT", "+09:00", 9 * 60},
};

std::size_t parse_zone(std::string_view s, const std::vector<Tok>& t, std::size_t k, Time& tm) {
    if (k >= t.size() || t[k].kind != Tok::Word) return k;
    const std::string_view w = s.substr(t[k].b, t[k].e - t[k].b);
    for (const Zone& z : kZones)
        if (equals_lower(w, z.lower)) {
            tm.offset_min = z.offset_min;
            tm.zone = true;
            return k + 1;
        }
    if (equals_lower(w, "z") && t[k].b == t[k - 1].e) { tm.offset_min = 0; tm.zone = true; return k + 1; }
    if (equals_lower(w, "utc") || equals_lower(w, "gmt")) {
        tm.offset_min = 0;
        tm.zone = true;
        // "GMT+7", "UTC+07:00"
        if (k + 2 < t.size() && t[k + 1].kind == Tok::Punct && (s[t[k + 1].b] == '+' || s[t[k + 1].b] == '-') &&
            t[k + 2].kind == Tok::Num && t[k + 2].value <= 14) {
            const int sign = s[t[k + 1].b] == '-' ? -1 : 1;
            int mins = t[k + 2].value * 60;
            std::size_t next = k + 3;
            if (next + 1 < t.size() && s[t[next].b] == ':' && t[next + 1].kind == Tok::Num) {
                mins += t[next + 1].value;
                next += 2;
            }
            tm.offset_min = sign * mins;
            return next;
        }
        return k + 1;
    }
    return k;
}

std::size_t parse_time(std::string_view s, const std::vector<Tok>& t, std::size_t k, Time& tm, bool& ok) {
    ok = false;
    if (k + 2 >= t.size() || t[k].kind != Tok::Num || t[k].e - t[k].b > 2) return k;
    const char sep = s[t[k + 1].b];
    if (t[k + 1].kind != Tok::Punct || (sep != ':' && sep != '.')) return k;
    if (t[k + 2].kind != Tok::Num || t[k + 2].e - t[k + 2].b != 2) return k;
    Time x;
    x.h = t[k].value;
    x.m = t[k + 2].value;
    std::size_t j = k + 3;
    if (j + 1 < t.size() && t[j].kind == Tok::Punct && s[t[j].b] == sep && t[j + 1].kind == Tok::Num &&
        t[j + 1].e - t[j + 1].b == 2) {
        x.s = t[j + 1].value;
        j += 2;
    }
    if (j < t.size() && t[j].kind == Tok::Word) {
        const std::string_view w = s.substr(t[j].b, t[j].e - t[j].b);
        if (equals_lower(w, "pm") || equals_lower(w, "am")) {
            if (x.h > 12) return k;
            if (equals_lower(w, "pm") && x.h < 12) x.h += 12;
            if (equals_lower(w, "am") && x.h == 12) x.h = 0;
            ++j;
        }
    }
    j = parse_zone(s, t, j, x);
    // "17.35" alone is as likely a number as a time: require a zone after a dot.
    if (sep == '.' && !x.zone) return k;
    if (x.h > 23 || x.m > 59 || x.s > 59) return k;
    tm = x;
    ok = true;
    return j;
}

// Numeric offset right after an ISO time: "+07:00", "+0700", "-05".
std::size_t parse_iso_offset(std::string_view s, const std::vector<Tok>& t, std::size_t k, Time& tm) {
    if (k + 1 < t.size() && t[k].kind == Tok::Punct && (s[t[k].b] == '+' || s[t[k].b] == '-') &&
        t[k].b == t[k - 1].e && t[k + 1].kind == Tok::Num) {
        const int sign = s[t[k].b] == '-' ? -1 : 1;
        const std::size_t digits = t[k + 1].e - t[k + 1].b;
        int mins = -1;
        std::size_t next = k + 2;
        if (digits == 4) mins = (t[k + 1].value / 100) * 60 + t[k + 1].value % 100;
        else if (digits == 2) {
            mins = t[k + 1].value * 60;
            if (next + 1 < t.size() && s[t[next].b] == ':' && t[next + 1].kind == Tok::Num) {
                mins += t[next + 1].value;
                next += 2;
            }
        }
        if (mins >= 0 && mins <= 14 * 60) {
            tm.offset_min = sign * mins;
            tm.zone = true;
            return next;
        }
    }
    if (k < t.size() && t[k].kind == Tok::Word && t[k].b == t[k - 1].e && equals_lower(s.substr(t[k].b, 1), "z") &&
        t[k].e - t[k].b == 1) {
        tm.offset_min = 0;
        tm.zone = true;
        return k + 1;
    }
    return parse_zone(s, t, k, tm);
}

std::string with_time(const std::string& date, const Time& tm) {
    char buf[40];
    const int off = tm.offset_min < 0 ? -tm.offset_min : tm.offset_min;
    std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d%c%02d:%02d", tm.h, tm.m, tm.s, tm.offset_min < 0 ? '-' : '+',
                  off / 60, off % 60);
    return date + buf;
}

bool is_sep(std::string_view s, const Tok& t) {
    if (t.kind == Tok::Word) {
        const std::string_view w = s.substr(t.b, t.e - t.b);
        return equals_lower(w, "pukul") || equals_lower(w, "jam") || equals_lower(w, "at") || equals_lower(w, "pkl");
    }
    if (t.kind != Tok::Punct) return false;
    const std::string_view p = s.substr(t.b, t.e - t.b);
    return p == "," || p == "|" || p == "-" || p == "/" || p == "\xE2\x80\x93" || p == "\xE2\x80\x94" ||
           p == "\xC2\xB7" || p == "\xE2\x80\xA2" || p == "(" || p == ")" || p == "." || p == "\xE2\x80\x94";
}

// After a date ending at token j: an optional time (possibly after separators).
void attach_time(std::string_view s, const std::vector<Tok>& t, std::size_t j, DateMatch& m, int y, int mo, int d) {
    std::size_t k = j;
    for (int skip = 0; skip < 3 && k < t.size() && is_sep(s, t[k]); ++skip) ++k;
    Time tm;
    bool ok = false;
    const std::size_t after = parse_time(s, t, k, tm, ok);
    m.iso = ymd(y, mo, d);
    if (ok) {
        m.iso = with_time(m.iso, tm);
        m.has_time = true;
        m.end = t[after - 1].e;
    }
}

} // namespace

bool is_day_name(std::string_view w) {
    static constexpr std::array<std::string_view, 16> days = {
        "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "ahad",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "jum'at"};
    for (auto d : days)
        if (equals_lower(w, d)) return true;
    static constexpr std::array<std::string_view, 7> abbr = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (auto d : abbr)
        if (equals_lower(w, d)) return true;
    return false;
}

int month_number(std::string_view w) {
    struct M {
        std::string_view name;
        int n;
    };
    static constexpr std::array<M, 44> months = {{
        {"januari", 1}, {"january", 1}, {"jan", 1}, {"februari", 2}, {"february", 2}, {"pebruari", 2}, {"feb", 2},
        {"peb", 2}, {"maret", 3}, {"march", 3}, {"mar", 3}, {"april", 4}, {"apr", 4}, {"mei", 5}, {"may", 5},
        {"juni", 6}, {"june", 6}, {"jun", 6}, {"juli", 7}, {"july", 7}, {"jul", 7}, {"agustus", 8},
        {"august", 8}, {"agu", 8}, {"agt", 8}, {"ags", 8}, {"aug", 8}, {"september", 9}, {"sept", 9},
        {"sep", 9}, {"oktober", 10}, {"october", 10}, {"okt", 10}, {"oct", 10}, {"november", 11},
        {"nopember", 11}, {"nov", 11}, {"nop", 11}, {"desember", 12}, {"december", 12}, {"des", 12},
        {"dec", 12}, {"agust", 8}, {"febr", 2},
    }};
    if (w.size() < 3 || w.size() > 9) return 0;
    for (const auto& m : months)
        if (equals_lower(w, m.name)) return m.n;
    return 0;
}

DateMatch find_date(std::string_view s) {
    DateMatch m;
    const auto t = tokenize(s);
    auto text = [&](std::size_t k) { return s.substr(t[k].b, t[k].e - t[k].b); };
    auto punct = [&](std::size_t k, char c) { return k < t.size() && t[k].kind == Tok::Punct && s[t[k].b] == c; };
    auto year_of = [&](std::size_t k) -> int {
        if (k >= t.size() || t[k].kind != Tok::Num) return -1;
        const std::size_t n = t[k].e - t[k].b;
        if (n == 4) return t[k].value;
        if (n == 2) return 2000 + t[k].value;
        return -1;
    };
    for (std::size_t k = 0; k < t.size(); ++k) {
        // ISO: 2019-09-10[T| ]10:00[:00][offset]
        if (t[k].kind == Tok::Num && t[k].e - t[k].b == 4 && punct(k + 1, '-') && k + 4 < t.size() &&
            t[k + 2].kind == Tok::Num && t[k + 2].e - t[k + 2].b == 2 && punct(k + 3, '-') &&
            t[k + 4].kind == Tok::Num && t[k + 4].e - t[k + 4].b == 2) {
            const int y = t[k].value, mo = t[k + 2].value, d = t[k + 4].value;
            if (valid_ymd(y, mo, d)) {
                m.begin = t[k].b;
                m.end = t[k + 4].e;
                m.iso = ymd(y, mo, d);
                std::size_t j = k + 5;
                // "T10:00" tokenises as Word "T10"? No: letters and digits are separate tokens.
                if (j < t.size() && t[j].kind == Tok::Word && equals_lower(text(j), "t") && t[j].b == t[k + 4].e) ++j;
                if (j + 2 < t.size() && t[j].kind == Tok::Num && punct(j + 1, ':') && t[j + 2].kind == Tok::Num) {
                    Time tm;
                    tm.h = t[j].value;
                    tm.m = t[j + 2].value;
                    std::size_t n = j + 3;
                    if (punct(n, ':') && n + 1 < t.size() && t[n + 1].kind == Tok::Num) {
                        tm.s = t[n + 1].value;
                        n += 2;
                    }
                    if (punct(n, '.') && n + 1 < t.size() && t[n + 1].kind == Tok::Num && t[n].b == t[n - 1].e)
                        n += 2;  // fractions of a second
                    n = parse_iso_offset(s, t, n, tm);
                    if (tm.h <= 23 && tm.m <= 59 && tm.s <= 60) {
                        m.iso = with_time(m.iso, tm);
                        m.has_time = true;
                        m.end = t[n - 1].e;
                    }
                }
                return m;
            }
        }
        // D Month YYYY, D-Mon-YY
        if (t[k].kind == Tok::Num && t[k].e - t[k].b <= 2) {
            std::size_t j = k + 1;
            const bool dashed = punct(j, '-');
            if (dashed) ++j;
            if (j < t.size() && t[j].kind == Tok::Word) {
                const int mo = month_number(text(j));
                std::size_t yk = j + 1;
                if (dashed && punct(yk, '-')) ++yk;
                else if (dashed) yk = t.size();
                else if (punct(yk, ',')) ++yk;
                const int y = year_of(yk);
                const bool two_digit_ok = dashed || (yk < t.size() && t[yk].e - t[yk].b == 4);
                if (mo && y > 0 && two_digit_ok && valid_ymd(y, mo, t[k].value)) {
                    m.begin = t[k].b;
                    m.end = t[yk].e;
                    attach_time(s, t, yk + 1, m, y, mo, t[k].value);
                    return m;
                }
            }
        }
        // Month D, YYYY
        if (t[k].kind == Tok::Word && k + 1 < t.size() && t[k + 1].kind == Tok::Num && t[k + 1].e - t[k + 1].b <= 2) {
            const int mo = month_number(text(k));
            std::size_t yk = k + 2;
            if (punct(yk, ',')) ++yk;
            if (mo && yk < t.size() && t[yk].kind == Tok::Num && t[yk].e - t[yk].b == 4 &&
                valid_ymd(t[yk].value, mo, t[k + 1].value)) {
                m.begin = t[k].b;
                m.end = t[yk].e;
                attach_time(s, t, yk + 1, m, t[yk].value, mo, t[k + 1].value);
                return m;
            }
        }
        // DD/MM/YYYY (day first, as Indonesian writes it), also with '-' or '.'
        if (t[k].kind == Tok::Num && t[k].e - t[k].b <= 2 && k + 4 < t.size() && t[k + 1].kind == Tok::Punct &&
            (s[t[k + 1].b] == '/' || s[t[k + 1].b] == '-' || s[t[k + 1].b] == '.') && t[k + 2].kind == Tok::Num &&
            t[k + 2].e - t[k + 2].b <= 2 && t[k + 3].kind == Tok::Punct && s[t[k + 3].b] == s[t[k + 1].b] &&
            t[k + 4].kind == Tok::Num && t[k + 4].e - t[k + 4].b == 4 && t[k + 1].b == t[k].e &&
            t[k + 3].e == t[k + 4].b) {
            int d = t[k].value, mo = t[k + 2].value;
            const int y = t[k + 4].value;
            if (mo > 12 && d <= 12) std::swap(d, mo);  // unmistakably month first
            if (valid_ymd(y, mo, d)) {
                m.begin = t[k].b;
                m.end = t[k + 4].e;
                attach_time(s, t, k + 5, m, y, mo, d);
                return m;
            }
        }
    }
    return m;
}

std::string parse_date_field(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    bool all_digits = !s.empty();
    for (char c : s) all_digits = all_digits && is_digit(c);
    if (all_digits && s.size() <= 10) {
        const long v = std::stol(std::string(s));
        long days = -1;
        if (v >= 20000 && v <= 80000) days = v - 25569;        // Excel serial: day 25569 is 1970-01-01
        else if (v >= 315532800 && v <= 4102444800L) days = v / 86400;  // Unix seconds, 1980..2100
        if (days >= 0 || (v >= 20000 && v <= 80000)) {
            // civil-from-days (Howard Hinnant's algorithm)
            long z = days + 719468;
            const long era = (z >= 0 ? z : z - 146096) / 146097;
            const long doe = z - era * 146097;
            const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
            const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            const long mp = (5 * doy + 2) / 153;
            const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
            const int mo = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
            const int y = static_cast<int>(yoe + era * 400 + (mo <= 2 ? 1 : 0));
            if (valid_ymd(y, mo, d)) return ymd(y, mo, d);
        }
        return {};
    }
    return find_date(s).iso;
}

int days_in_month(int y, int m) {
    static constexpr std::array<int, 12> d = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[static_cast<std::size_t>(m - 1)];
}

std::string display_date(const std::string& iso) {
    // YYYY-MM-DDTHH:MM[:SS][.fff](Z|+HH:MM|-HH:MM)
    if (iso.size() < 16 || iso[10] != 'T' || iso[13] != ':') return iso;
    std::size_t zone = 16;
    if (zone < iso.size() && iso[zone] == ':') zone += 3;  // seconds
    if (zone < iso.size() && iso[zone] == '.')
        while (++zone < iso.size() && iso[zone] >= '0' && iso[zone] <= '9') {}
    const std::string_view offset = std::string_view(iso).substr(std::min(zone, iso.size()));
    std::string_view name;
    for (const Zone& z : kZones)
        if (offset == z.offset) name = z.name;
    if (offset == "Z" || offset == "+00:00") name = "UTC";
    else if (name.empty() && offset.size() == 6 && (offset[0] == '+' || offset[0] == '-') && offset[3] == ':')
        name = offset;
    else if (name.empty() && !offset.empty()) return iso;
    std::string out = iso.substr(0, 10) + ' ' + iso.substr(11, 5);
    if (!name.empty()) out.append(1, ' ').append(name);
    return out;
}

} // namespace cari
