#include "progress.h"

#include <cmath>
#include <cstdio>

namespace cari {

std::string human_duration(double seconds) {
    const long s = seconds <= 0 ? 0 : std::lround(std::ceil(seconds));
    char buf[48];
    if (s < 60) std::snprintf(buf, sizeof buf, "%ld s", s);
    else if (s < 3600) std::snprintf(buf, sizeof buf, "%ld min %02ld s", s / 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%ld h %02ld min", s / 3600, (s % 3600) / 60);
    return buf;
}

std::string progress_line(const Progress& p, double seconds) {
    const double mb = static_cast<double>(p.bytes) / 1e6;
    char buf[160];
    if (p.phase == Progress::Phase::Merging) {
        std::snprintf(buf, sizeof buf, "%zu documents, %.1f MB, merging %zu %s", p.documents, mb, p.parts,
                      p.parts == 1 ? "part" : "parts");
        return buf;
    }
    std::string line;
    if (p.total > 0) {
        const double total_mb = static_cast<double>(p.total) / 1e6;
        const double share = p.bytes >= p.total ? 100.0 : 100.0 * static_cast<double>(p.bytes) / static_cast<double>(p.total);
        std::snprintf(buf, sizeof buf, "%zu documents, %.1f of %.1f MB (%.0f%%)", p.documents, mb, total_mb, share);
    } else {
        std::snprintf(buf, sizeof buf, "%zu documents, %.1f MB", p.documents, mb);
    }
    line = buf;
    if (seconds > 0) {
        std::snprintf(buf, sizeof buf, ", %.1f MB/s, %.0f docs/s", mb / seconds, static_cast<double>(p.documents) / seconds);
        line += buf;
    }
    // The rest at the rate so far: a second of measurement before the first guess.
    if (p.total > 0 && p.bytes > 0 && p.bytes < p.total && seconds >= 1.0) {
        const double rate = static_cast<double>(p.bytes) / seconds;
        line += ", ETA " + human_duration(static_cast<double>(p.total - p.bytes) / rate);
    }
    return line;
}

} // namespace cari
