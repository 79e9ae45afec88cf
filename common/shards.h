// Sharded indexes: the folder layout, Xapian stub files, routing documents to
// shards, and opening local or remote (xapian-tcpsrv) shards with bounded timeouts.
//
// A sharded index is a folder holding shard-0 ... shard-(N-1), each a glass
// database, and a stub file named XAPIANDB (Xapian's own format, one
// "auto shard-K" line a shard), so Xapian and every Cari program open the
// folder as one database. A document lives in shard hash64(id term) % N.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cari {

inline constexpr std::string_view kStubName = "XAPIANDB";

// One database to search: a local path (index folder) or a remote shard.
struct ShardRef {
    std::string name;   // as shown to the user: the path, or tcp://HOST:PORT
    std::string path;   // local: the folder
    std::string host;   // remote: host and port
    unsigned port = 0;
    [[nodiscard]] bool remote() const { return port != 0; }
};

// Timeouts for remote shards, in milliseconds: connecting, and any one
// operation (a search, fetching a document). $CARI_REMOTE_TIMEOUT_MS sets both
// (default: connect 2000, operation 5000).
struct RemoteTimeouts {
    unsigned connect_ms = 2000;
    unsigned op_ms = 5000;
    [[nodiscard]] static RemoteTimeouts from_env();
};

// A shard that cannot be reached: one line naming it.
class ShardDown : public std::runtime_error {
public:
    ShardDown(std::vector<std::string> shards, const std::string& what)
        : std::runtime_error(what), shards_(std::move(shards)) {}
    [[nodiscard]] const std::vector<std::string>& shards() const { return shards_; }

private:
    std::vector<std::string> shards_;
};

// What one --db argument stands for, in order: "tcp://HOST:PORT" is a remote
// shard; a folder holding a stub file XAPIANDB, or a stub file itself, is each
// of its lines ("auto PATH", "glass PATH", "chert PATH" relative to the stub's
// folder, "remote HOST:PORT"; '#' comments and blank lines skipped, nested
// stubs expanded); anything else is one local database. Throws
// std::runtime_error naming the file and line for a line it cannot read.
[[nodiscard]] std::vector<ShardRef> expand_db_arg(const std::string& arg);

// Opens one shard (a remote one with the timeouts). Xapian errors propagate.
[[nodiscard]] Xapian::Database open_shard(const ShardRef& s, const RemoteTimeouts& t);

// The shard of a document, from its id term: stable across runs and machines.
[[nodiscard]] unsigned shard_of(std::string_view id_term, unsigned shards) noexcept;

// Sharded index folders.
[[nodiscard]] std::string shard_dir_name(unsigned k);  // "shard-K"
// The shard count of the sharded index at `dir`, or nullopt when `dir` is not one.
[[nodiscard]] std::optional<unsigned> sharded_count(const std::string& dir);
// The stub text for local shards ("auto shard-K" lines).
[[nodiscard]] std::string local_stub(unsigned shards);
// Writes `text` to `path` atomically (temporary file, fsync, rename).
void write_file_atomically(const std::string& path, const std::string& text);

} // namespace cari
