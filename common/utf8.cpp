#include "utf8.h"

namespace cari::utf8 {

char32_t decode(std::string_view s, std::size_t i, std::size_t& len) noexcept {
    const auto b0 = static_cast<unsigned char>(s[i]);
    len = 1;
    if (b0 < 0x80) return b0;
    int need;
    char32_t c;
    char32_t min;
    if ((b0 & 0xE0) == 0xC0) { need = 1; c = b0 & 0x1F; min = 0x80; }
    else if ((b0 & 0xF0) == 0xE0) { need = 2; c = b0 & 0x0F; min = 0x800; }
    else if ((b0 & 0xF8) == 0xF0) { need = 3; c = b0 & 0x07; min = 0x10000; }
    else return 0xFFFD;
    if (i + static_cast<std::size_t>(need) >= s.size()) return 0xFFFD;
    for (int k = 1; k <= need; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0xFFFD;
        c = (c << 6) | (b & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0xFFFD;
    len = static_cast<std::size_t>(need) + 1;
    return c;
}

void append(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

static bool dropped_control(unsigned char b) noexcept {
    return b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f';
}

bool valid(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) { ++i; continue; }
        std::size_t len;
        if (decode(s, i, len) == 0xFFFD && len == 1) return false;
        i += len;
    }
    return true;
}

std::string repair(std::string_view s) {
    bool clean = true;
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            if (dropped_control(b)) { clean = false; break; }
            ++i;
            continue;
        }
        std::size_t len;
        if (decode(s, i, len) == 0xFFFD && len == 1) { clean = false; break; }
        i += len;
    }
    if (clean) return std::string(s);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            if (!dropped_control(b)) out += static_cast<char>(b);
            ++i;
            continue;
        }
        std::size_t len;
        const char32_t c = decode(s, i, len);
        if (c == 0xFFFD && len == 1) append(out, 0xFFFD);
        else out.append(s.substr(i, len));
        i += len;
    }
    return out;
}

double binary_ratio(std::string_view s) noexcept {
    if (s.empty()) return 0.0;
    std::size_t bad = 0;
    for (unsigned char b : s)
        if (b == 0 || dropped_control(b)) ++bad;
    return static_cast<double>(bad) / static_cast<double>(s.size());
}

} // namespace cari::utf8
