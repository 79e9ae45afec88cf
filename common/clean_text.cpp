#include "clean_text.h"

#include "mojibake.h"
#include "utf8.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

namespace cari::cleaning {

namespace {

std::string to_nfc(std::string_view s) {
    // Pure ASCII (most of a news page) is always NFC.
    bool ascii = true;
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) { ascii = false; break; }
    if (ascii) return std::string(s);
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
    if (U_FAILURE(err)) return std::string(s);
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
    if (nfc->quickCheck(u, err) == UNORM_YES && U_SUCCESS(err)) return std::string(s);
    err = U_ZERO_ERROR;
    const icu::UnicodeString n = nfc->normalize(u, err);
    if (U_FAILURE(err)) return std::string(s);
    std::string out;
    n.toUTF8String(out);
    return out;
}

} // namespace

std::string repair_text(std::string_view s) {
    if (may_have_mojibake(s)) return to_nfc(repair_mojibake(s));
    return to_nfc(s);
}

void append_tidy(std::string& out, std::string_view s) {
    const std::size_t start = out.size();
    bool space = true;  // drop leading spaces
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b > 0x20 && b < 0x80) {
            // a run of printable ASCII goes in one piece
            // (single spaces between printable characters belong to the run)
            auto printable = [](char ch) {
                const auto u = static_cast<unsigned char>(ch);
                return u > 0x20 && u < 0x80;
            };
            std::size_t j = i + 1;
            const std::size_t n = s.size();
            while (j < n && (printable(s[j]) || (s[j] == ' ' && j + 1 < n && printable(s[j + 1])))) ++j;
            out.append(s.data() + i, j - i);
            space = false;
            i = j;
            continue;
        }
        if (b < 0x80) {
            ++i;
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '\f' || b == '\v') {
                if (!space) out += ' ';
                space = true;
            } else {
                out += static_cast<char>(b);
                space = false;
            }
            continue;
        }
        std::size_t len;
        const char32_t c = utf8::decode(s, i, len);
        const bool is_space = c == 0xA0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F ||
                              c == 0x3000 || c == 0x1680 || c == 0x2028 || c == 0x2029 || c == 0x85;
        const bool invisible = (c >= 0x200B && c <= 0x200F) || c == 0xFEFF || c == 0xAD || c == 0x2060 ||
                               (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
        if (is_space) {
            if (!space) out += ' ';
            space = true;
        } else if (!invisible) {
            out.append(s.substr(i, len));
            space = false;
        }
        i += len;
    }
    while (out.size() > start && out.back() == ' ') out.pop_back();
}

std::string tidy_line(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    append_tidy(out, s);
    return out;
}

} // namespace cari::cleaning
