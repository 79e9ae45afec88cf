// Reading many documents, or a part of the vocabulary, from xapian-tcpsrv
// shards in one wave.
//
// Xapian 1.4's remote backend reads a document in a round trip of its own
// (RemoteDatabase::open_document sends MSG_DOCUMENT and waits for the reply;
// MSet::fetch is only a hint, which the remote backend ignores), so the ten
// documents of a page cost ten round trips one after the other, each waking
// a server. RemoteReader keeps one more connection to each served shard and
// speaks the same documented protocol on it (docs/remote_protocol.rst of
// xapian-core: MSG_DOCUMENT, REPLY_DOCDATA, REPLY_VALUE..., REPLY_DONE), but
// writes every request of a call before reading any reply: one round trip per
// call, all shards at once. The same for the vocabulary under a prefix
// (MSG_ALLTERMS), which Xapian lists one shard after the other.
//
// It only ever answers with what the server sent, and steps aside (nullopt:
// read the document through Xapian as before) whenever it is not sure the
// answer is the one Xapian's own connection would give: a server speaking
// another protocol version, a side connection whose database statistics
// (document count, last docid, total length, bounds, UUID) differ from those
// of Xapian's connection (the shard changed between the two connects), an
// exception from the server (a document deleted since), or any broken
// connection. A shard that stops answering within the operation timeout is a
// Xapian::NetworkError, as it would be through Xapian.
#pragma once

#include "shards.h"

#include <xapian.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cari {

struct RemoteDoc {
    std::string data;                             // Document::get_data()
    std::map<Xapian::valueno, std::string> values;  // every value slot set
};

class RemoteReader {
public:
    RemoteReader();
    ~RemoteReader();
    RemoteReader(const RemoteReader&) = delete;
    RemoteReader& operator=(const RemoteReader&) = delete;

    // The sub-databases of the database searched, in the order they were
    // added to it, each with the Database it was opened as (its statistics
    // are compared with the side connection's; nothing is sent through it).
    // Connects to each remote one. Never throws: a shard that cannot be
    // reached this way is read through Xapian.
    void open(const std::vector<ShardRef>& shards, const std::vector<Xapian::Database>& dbs, const RemoteTimeouts& t);
    // Drops every side connection (after Database::reopen: the next read
    // connects again and compares statistics with the reopened database).
    void close();

    // Reads the documents with these docids of the combined database (in its
    // numbering: sub-database (did - 1) % n, document (did - 1) / n + 1) from
    // their remote shards, and hands each to sink(index in dids, document) as
    // soon as it has come, in any order, so the caller works on it while other
    // shards still answer. The documents of local shards, and any the reader
    // leaves to Xapian, are not handed over. Throws Xapian::NetworkError when a
    // shard does not answer within the timeout, and what the sink throws.
    using Sink = std::function<void(std::size_t, RemoteDoc&&)>;
    void read(const std::vector<Xapian::docid>& dids, const Sink& sink);
    // The same, collected: nullopt for those not handed over.
    [[nodiscard]] std::vector<std::optional<RemoteDoc>> read(const std::vector<Xapian::docid>& dids);

    // The terms starting with prefix in the combined database, in term order,
    // each with its document frequency summed over the shards: what
    // Database::allterms_begin(prefix) lists, every remote shard asked at
    // once (a server sends each term as a message of its own: a few
    // microseconds each, so a list of thousands takes milliseconds per shard).
    // nullopt when a remote shard could not be asked this way: list through
    // Xapian. Throws Xapian::NetworkError when a shard does not answer within
    // the timeout.
    using Term = std::pair<std::string, Xapian::doccount>;
    [[nodiscard]] std::optional<std::vector<Term>> allterms(const std::string& prefix);

    // How many documents came through side connections (tests).
    [[nodiscard]] std::size_t documents_read() const { return read_; }

private:
    struct Conn;  // remote_reader.cpp
    std::vector<std::unique_ptr<Conn>> conns_;
    RemoteTimeouts timeouts_;
    std::size_t read_ = 0;

    enum { kConnected, kRefused, kTimedOut };
    int connect(Conn& c) const;
    // Connects c when it is not (and was not given up); throws on a timeout.
    bool ready(Conn& c) const;
};

} // namespace cari
