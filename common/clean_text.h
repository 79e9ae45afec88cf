// Text repair shared by every input format of the cleaner: mojibake, Unicode
// NFC, odd spaces and invisible characters.
#pragma once

#include <string>
#include <string_view>

namespace cari::cleaning {

// Whole-document repair of valid UTF-8: undoes mojibake where unambiguous
// (see mojibake.h) and puts the text in Unicode NFC.
[[nodiscard]] std::string repair_text(std::string_view s);

// One line made tidy: no-break and other wide spaces become ' ', tabs too;
// zero-width characters, soft hyphens and direction marks go; runs of spaces
// fold to one; the ends are trimmed. A line of U+00A0 only becomes "".
[[nodiscard]] std::string tidy_line(std::string_view s);

// Appends tidy_line(s) to out (no allocation when out has room).
void append_tidy(std::string& out, std::string_view s);

} // namespace cari::cleaning
