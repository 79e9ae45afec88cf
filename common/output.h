// Rendering of Cari's data as JSON Lines (documented in README).
#pragma once

#include "article.h"

#include <string>

namespace cari {

// One `cari-index clean --json` line (without the trailing newline).
[[nodiscard]] std::string article_json(const Article& a);

} // namespace cari
