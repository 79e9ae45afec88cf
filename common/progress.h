// Progress of a build or update, as the indexer reports it while it runs, and
// the one line a terminal shows of it (redrawn in place by cari-index).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace cari {

struct Progress {
    enum class Phase : std::uint8_t { Indexing, Merging };
    std::size_t documents = 0;    // documents indexed (or found unchanged) so far
    std::uint64_t bytes = 0;      // input bytes done: their documents are indexed
    std::uint64_t total = 0;      // input bytes in all (0: unknown, e.g. standard input)
    Phase phase = Phase::Indexing;
    std::size_t parts = 0;        // Merging: how many parts the build merges
};

using ProgressFn = std::function<void(const Progress&)>;

// "12,345 documents, 20.1 of 44.5 MB (45%), 5.2 MB/s, 2,710 docs/s, ETA 5 s".
// The share and the ETA need the total; the ETA also needs a second of
// measured rate, and is left out once the input is done. While the parts of a
// build are merged: "21,940 documents, 44.5 MB, merging 2 parts".
[[nodiscard]] std::string progress_line(const Progress& p, double seconds);

// A duration for people: "7 s", "3 min 05 s", "1 h 04 min".
[[nodiscard]] std::string human_duration(double seconds);

} // namespace cari
