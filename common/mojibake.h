// Repairs text that was UTF-8, decoded as a single-byte code page (Mac Roman,
// Windows-1252 or Latin-1) and encoded as UTF-8 again: "‚Äì" -> "–" (Mac Roman),
// "â€“" -> "–" (cp1252), "Ã©" -> "é" (Latin-1).
#pragma once

#include <string>
#include <string_view>

namespace cari {

// Returns true when s may carry mojibake (a cheap byte scan; false means
// repair_mojibake would return s unchanged).
[[nodiscard]] bool may_have_mojibake(std::string_view s) noexcept;

// Replaces every run of characters that, mapped back to bytes through one code
// page, forms exactly one valid multi-byte UTF-8 sequence of a non-ASCII,
// non-control code point. A run is replaced only when the reading is
// unambiguous: both code pages agree, or only one of them yields valid UTF-8.
// s must be valid UTF-8.
[[nodiscard]] std::string repair_mojibake(std::string_view s);

// Decodes bytes as Windows-1252 (Latin-1 with the 0x80..0x9F punctuation of
// Windows), the usual encoding of old scrapers' non-UTF-8 output.
[[nodiscard]] std::string decode_cp1252(std::string_view bytes);

} // namespace cari
