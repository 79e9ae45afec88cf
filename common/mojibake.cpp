#include "mojibake.h"

#include "utf8.h"

#include <array>
#include <cstdint>
#include <vector>

namespace cari {

namespace {

// Code points of bytes 0x80..0xFF in each code page (Unicode's mapping tables).
constexpr std::array<char16_t, 128> kMacRoman = {
    0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1, 0x00E0, 0x00E2, 0x00E4, 0x00E3, 0x00E5,
    0x00E7, 0x00E9, 0x00E8, 0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3, 0x00F2, 0x00F4,
    0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC, 0x2020, 0x00B0, 0x00A2, 0x00A3, 0x00A7, 0x2022, 0x00B6,
    0x00DF, 0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8, 0x221E, 0x00B1, 0x2264, 0x2265,
    0x00A5, 0x00B5, 0x2202, 0x2211, 0x220F, 0x03C0, 0x222B, 0x00AA, 0x00BA, 0x03A9, 0x00E6, 0x00F8, 0x00BF,
    0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB, 0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5,
    0x0152, 0x0153, 0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0x00F7, 0x25CA, 0x00FF, 0x0178, 0x2044,
    0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02, 0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1,
    0x00CB, 0x00C8, 0x00CD, 0x00CE, 0x00CF, 0x00CC, 0x00D3, 0x00D4, 0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9,
    0x0131, 0x02C6, 0x02DC, 0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7};

// Windows-1252; its five unassigned bytes read as the C1 controls (as Latin-1 does).
constexpr std::array<char16_t, 128> kCp1252 = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
    0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122,
    0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178, 0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6,
    0x00A7, 0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF, 0x00B0, 0x00B1, 0x00B2, 0x00B3,
    0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF, 0x00C0,
    0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7, 0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD,
    0x00CE, 0x00CF, 0x00D0, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7, 0x00D8, 0x00D9, 0x00DA,
    0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF, 0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
    0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF, 0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4,
    0x00F5, 0x00F6, 0x00F7, 0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF};

// The byte a code point stands for in a code page, or -1.
int to_byte(const std::array<char16_t, 128>& table, char32_t c) {
    if (c < 0x80) return -1;
    for (int i = 0; i < 128; ++i)
        if (table[static_cast<std::size_t>(i)] == c) return 0x80 + i;
    return -1;
}

// Reverse lookups built once: code point -> byte, per code page, for the
// code points up to U+FFFF (all of both tables).
struct Reverse {
    // Small open table: most lookups are for Latin-1 letters and punctuation.
    std::array<std::int16_t, 0x2200> low{};   // U+0000..U+21FF
    const std::array<char16_t, 128>* table;
    explicit Reverse(const std::array<char16_t, 128>& t) : table(&t) {
        low.fill(-1);
        for (int i = 0; i < 128; ++i)
            if (t[static_cast<std::size_t>(i)] < low.size()) low[t[static_cast<std::size_t>(i)]] = static_cast<std::int16_t>(0x80 + i);
    }
    [[nodiscard]] int operator()(char32_t c) const {
        if (c < 0x80) return -1;
        if (c < low.size()) return low[c];
        return to_byte(*table, c);
    }
};

const Reverse& mac() {
    static const Reverse r(kMacRoman);
    return r;
}
const Reverse& win() {
    static const Reverse r(kCp1252);
    return r;
}

struct Cp {
    char32_t c;
    std::size_t len;  // bytes in the input
};

// Tries to read a mojibake run starting at cps[i] through one code page.
// Returns the number of code points consumed (0: none) and the repaired code point.
std::size_t try_run(const std::vector<Cp>& cps, std::size_t i, const Reverse& rev, char32_t& out) {
    const int b0 = rev(cps[i].c);
    if (b0 < 0xC2 || b0 > 0xF4) return 0;
    const std::size_t need = b0 < 0xE0 ? 1 : b0 < 0xF0 ? 2 : 3;
    if (i + need >= cps.size()) return 0;
    std::string bytes(1, static_cast<char>(b0));
    for (std::size_t k = 1; k <= need; ++k) {
        const int b = rev(cps[i + k].c);
        if (b < 0x80 || b > 0xBF) return 0;
        bytes += static_cast<char>(b);
    }
    std::size_t len;
    const char32_t c = utf8::decode(bytes, 0, len);
    if (len != bytes.size() || c == 0xFFFD || c < 0xA0) return 0;
    // A two-byte run like "Ã©" is ordinary text in some languages; accept it
    // only when it decodes to a Latin letter or common punctuation, the usual
    // damage, or to Arabic (Qur'an verses quoted in Indonesian news: "ŸÖŸéÿßÿ°Ÿè"
    // is "مَاءُ"; text hardly ever has "Ÿ" or "Ù" right before another
    // accented letter or a curly quote), not to a rare symbol.
    if (need == 1 && !(c <= 0x24F || (c >= 0x600 && c <= 0x6FF))) return 0;
    out = c;
    return need + 1;
}

} // namespace

std::string decode_cp1252(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    for (const char ch : bytes) {
        const auto b = static_cast<unsigned char>(ch);
        if (b < 0x80) out += ch;
        else utf8::append(out, kCp1252[b - 0x80]);
    }
    return out;
}

bool may_have_mojibake(std::string_view s) noexcept {
    // Every run begins with a code point mapping to a lead byte 0xC2..0xF4;
    // in both code pages those are non-ASCII letters or symbols, so text
    // without bytes >= 0xC2 followed by another non-ASCII character is clean.
    for (std::size_t i = 0; i + 2 < s.size(); ++i) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b >= 0xC2 && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) {
            // a two- or three-byte character; check the next one is non-ASCII too
            const std::size_t n = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
            if (i + n < s.size() && static_cast<unsigned char>(s[i + n]) >= 0x80) return true;
            i += n - 1;
        }
    }
    return false;
}

std::string repair_mojibake(std::string_view s) {
    if (!may_have_mojibake(s)) return std::string(s);
    std::string out;
    out.reserve(s.size());
    std::vector<Cp> window;  // the code points at i and the three after it
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            // ASCII never starts a run: copy up to the next non-ASCII byte
            std::size_t j = i + 1;
            while (j < s.size() && static_cast<unsigned char>(s[j]) < 0x80) ++j;
            out.append(s.data() + i, j - i);
            i = j;
            continue;
        }
        window.clear();
        for (std::size_t k = i; k < s.size() && window.size() < 4;) {
            std::size_t len;
            const char32_t c = utf8::decode(s, k, len);
            window.push_back({c, len});
            k += len;
        }
        char32_t a = 0, b = 0;
        const std::size_t na = try_run(window, 0, mac(), a);
        const std::size_t nb = try_run(window, 0, win(), b);
        std::size_t n = 0;
        char32_t c = 0;
        if (na && nb) {
            if (na == nb && a == b) { n = na; c = a; }   // both agree
        } else if (na) { n = na; c = a; }
        else if (nb) { n = nb; c = b; }
        if (n) {
            utf8::append(out, c);
            for (std::size_t k = 0; k < n; ++k) i += window[k].len;
            continue;
        }
        out.append(s.substr(i, window[0].len));
        i += window[0].len;
    }
    return out;
}

} // namespace cari
