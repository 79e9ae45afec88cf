// Building and updating an index: inputs -> raw documents -> cleaned articles
// -> analysed Xapian documents, committed in batches.
#pragma once

#include "article.h"
#include "progress.h"
#include "readers.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cari {

struct IndexOptions {
    std::string db;
    bool create = false;          // build: a new index (an existing one is replaced)
    bool prune = false;           // update: remove documents whose source file is gone
    Format format = Format::Auto;
    unsigned jobs = 0;            // worker threads; 0: all cores
    std::size_t batch = 0;        // documents per commit (each commit is atomic); 0: the default
                                  // (build: 250 a shard, update: 1000)
    // build: write parts in parallel and merge them (false: one writer, as update).
    bool sharded = true;
    unsigned parts = 0;            // build: parts written in parallel (input cut in this many even
                                   // parts); 0: one per job, more when a part would pass 24 MB of input
    // User-visible shards (shards.h): 0 keeps one database (update: whatever the
    // index has). N > 0: a folder of N shard databases and a stub file; a document
    // goes to shard_of(id term, N). update refuses an N the index does not have.
    unsigned shards = 0;
};

struct IndexReport {
    std::size_t added = 0, replaced = 0, unchanged = 0, removed = 0, skipped = 0;
    std::uint64_t bytes = 0;      // raw input bytes read
    double seconds = 0;
    std::size_t parts = 0;        // build: parts written in parallel and merged
    std::size_t shards = 0;       // the index's shards (0: one database)
    double merge_seconds = 0;     // build: time to merge them into the index
    std::uint64_t shard_bytes = 0; // build: the parts' size on disk before the merge
    std::vector<InputProblem> problems;   // every skipped input, with its reason

    [[nodiscard]] std::size_t documents() const { return added + replaced + unchanged; }
    [[nodiscard]] std::string summary() const;  // one line for stderr
};

// Called for each problem as it happens (the report keeps them too).
using ProblemFn = std::function<void(const InputProblem&)>;

// Indexes paths into opts.db. Throws std::runtime_error (or Xapian::Error) on
// fatal errors: the index cannot be opened or written, the disk is full. What
// was committed before stays intact.
IndexReport index_paths(const std::vector<std::string>& paths, const IndexOptions& opts,
                        const ProblemFn& on_problem = {}, const ProgressFn& on_progress = {});

struct ShardStatsInfo {
    std::string name;             // shard-K
    std::size_t documents = 0;
    std::uint64_t disk_bytes = 0;
};

struct IndexStatsInfo {
    std::vector<ShardStatsInfo> shards;  // a sharded index: each shard (empty: one database)
    std::size_t documents = 0;
    std::size_t terms = 0;
    std::size_t files = 0;
    double avg_length = 0;
    std::string stemmer;
    std::uint64_t disk_bytes = 0;
};
[[nodiscard]] IndexStatsInfo index_stats(const std::string& db);
[[nodiscard]] std::string stats_json(const IndexStatsInfo& s);

// Compacts each shard of the index (or the one database) in turn: a compacted
// copy is written beside it under the shard's write lock, then renamed into
// place. Returns one line per shard: "NAME: BEFORE -> AFTER bytes".
std::vector<std::string> compact_index(const std::string& db);

// The index location when --db is not given: $CARI_DB, else ./cari-index-db.
[[nodiscard]] std::string default_db_path();

} // namespace cari
