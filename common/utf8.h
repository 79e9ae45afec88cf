// Small UTF-8 helpers shared by every stage.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cari::utf8 {

// Decodes the code point at s[i]; sets len to the bytes used. Invalid or
// truncated sequences decode as U+FFFD with len 1, so callers always advance.
[[nodiscard]] char32_t decode(std::string_view s, std::size_t i, std::size_t& len) noexcept;

// Appends c as UTF-8.
void append(std::string& out, char32_t c);

// True when s is valid UTF-8 (no overlongs, no surrogates).
[[nodiscard]] bool valid(std::string_view s) noexcept;

// Returns s with every invalid byte replaced by U+FFFD; NUL bytes and C0
// controls other than tab/newline are dropped. Valid input is returned as is.
[[nodiscard]] std::string repair(std::string_view s);

// Share of bytes that look binary (NUL or C0 controls other than \t\n\r\f).
[[nodiscard]] double binary_ratio(std::string_view s) noexcept;

} // namespace cari::utf8
