// The cleaner turns one raw document into an Article: it removes page noise
// (menus, ads, related links, comment boxes, bylines...), repairs the text and
// pulls out title, date, source, author and URL.
#pragma once

#include "article.h"

#include <string_view>

namespace cari {

class TemplateStats;  // cross-document line fingerprints (see templates.h)

struct CleanOptions {
    // Line fingerprints counted over the batch (and earlier batches); lines that
    // recur across many documents are template. May be null.
    const TemplateStats* templates = nullptr;
};

// Cleans one document of raw.format (Auto is resolved from the path).
// Throws InputError when the input cannot be read as that format.
[[nodiscard]] Article clean(const RawDoc& raw, const CleanOptions& opts = {});

// The format a path implies by its extension (.txt, .html/.htm, .jsonl/.json),
// Format::Auto when unknown.
[[nodiscard]] Format format_from_path(std::string_view path);

} // namespace cari
