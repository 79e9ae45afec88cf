#include "templates.h"

namespace cari {

std::uint64_t TemplateStats::fingerprint(std::string_view line) {
    // FNV-1a over the line with ASCII case and runs of white space folded.
    std::uint64_t h = 1469598103934665603ULL;
    bool space = true;
    for (unsigned char c : line) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = true;
            continue;
        }
        if (space) {
            h = (h ^ ' ') * 1099511628211ULL;
            space = false;
        }
        if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
        h = (h ^ c) * 1099511628211ULL;
    }
    return h;
}

} // namespace cari
