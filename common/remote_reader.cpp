#include "remote_reader.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace cari {

namespace {

// The remote protocol of Xapian 1.4 (major version 39; xapian-core's
// docs/remote_protocol.rst describes the messages, common/remoteprotocol.h
// numbers them). Another major version: the side connection is not used.
constexpr int kProtocolMajor = 39;
constexpr char kMsgAllTerms = 0, kMsgDocument = 2;
// (REPLY_EXCEPTION, 1, and anything unexpected: the reply is not used.)
constexpr int kReplyUpdate = 0, kReplyDone = 2, kReplyAllTerms = 3, kReplyDocData = 5, kReplyValue = 16;
// A reply larger than this is not a document Cari wrote: read it through Xapian.
constexpr std::uint64_t kMaxMessage = std::uint64_t(1) << 31;

// Lengths and integers: one byte below 255, else 0xff and 7-bit groups of
// (n - 255), least significant first, the last one with its top bit set.
void put_length(std::string& out, std::uint64_t n) {
    if (n < 255) {
        out += static_cast<char>(n);
        return;
    }
    out += '\xff';
    n -= 255;
    for (;;) {
        const auto b = static_cast<unsigned char>(n & 0x7f);
        n >>= 7;
        if (n == 0) {
            out += static_cast<char>(b | 0x80);
            return;
        }
        out += static_cast<char>(b);
    }
}

bool get_length(const char*& p, const char* end, std::uint64_t& n) {
    if (p == end) return false;
    auto c = static_cast<unsigned char>(*p++);
    if (c != 0xff) {
        n = c;
        return true;
    }
    std::uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
        if (p == end || shift > 56) return false;
        c = static_cast<unsigned char>(*p++);
        v |= std::uint64_t(c & 0x7f) << shift;
        if (c & 0x80) break;
    }
    n = v + 255;
    return true;
}

enum class Io { Ok, Closed, Timeout };

// Waits for fd to become ready for `events` for at most ms milliseconds.
Io wait_for(int fd, short events, unsigned ms) {
    pollfd p{fd, events, 0};
    for (;;) {
        const int r = ::poll(&p, 1, static_cast<int>(ms));
        if (r > 0) return Io::Ok;  // readable, writable, or an error the next call reports
        if (r == 0) return Io::Timeout;
        if (errno != EINTR) return Io::Closed;
    }
}

} // namespace

struct RemoteReader::Conn {
    ShardRef ref;
    Xapian::Database db;
    int fd = -1;
    bool gave_up = false;  // the handshake failed: not tried again until close()
    std::string in;      // bytes received and not yet taken
    std::size_t at = 0;  // where the next message starts in `in`

    void drop() {
        if (fd >= 0) ::close(fd);
        fd = -1;
        in.clear();
        at = 0;
    }

    Io send_all(const std::string& s, unsigned ms) {
        std::size_t done = 0;
        while (done < s.size()) {
            const ssize_t w = ::send(fd, s.data() + done, s.size() - done, MSG_NOSIGNAL);
            if (w > 0) {
                done += static_cast<std::size_t>(w);
            } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                if (const Io r = wait_for(fd, POLLOUT, ms); r != Io::Ok) return r;
            } else if (w < 0 && errno == EINTR) {
                continue;
            } else {
                return Io::Closed;
            }
        }
        return Io::Ok;
    }

    // Takes the next whole message out of what was received, if there is one.
    enum class Got { Message, NeedMore, Bad };
    Got take(int& type, std::string& body) {
        const char* p = in.data() + at;
        const char* end = in.data() + in.size();
        if (p == end) return Got::NeedMore;
        const char* q = p + 1;
        std::uint64_t len = 0;
        if (!get_length(q, end, len)) return end - q > 10 ? Got::Bad : Got::NeedMore;
        if (len > kMaxMessage) return Got::Bad;
        if (static_cast<std::uint64_t>(end - q) < len) return Got::NeedMore;
        type = static_cast<unsigned char>(*p);
        body.assign(q, static_cast<std::size_t>(len));
        at = static_cast<std::size_t>(q - in.data()) + static_cast<std::size_t>(len);
        if (at == in.size()) {
            in.clear();
            at = 0;
        }
        return Got::Message;
    }

    // Receives what the socket holds (Ok), nothing yet (Timeout: would block), or Closed.
    Io fill() {
        if (at > 0) {
            in.erase(0, at);
            at = 0;
        }
        char buf[65536];
        for (;;) {
            const ssize_t r = ::recv(fd, buf, sizeof buf, 0);
            if (r > 0) {
                in.append(buf, static_cast<std::size_t>(r));
                return Io::Ok;
            }
            if (r < 0 && errno == EINTR) continue;
            if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Io::Timeout;
            return Io::Closed;
        }
    }

    // The next message, waiting for it at most ms milliseconds at a time.
    Io next(int& type, std::string& body, unsigned ms) {
        for (;;) {
            const Got g = take(type, body);
            if (g == Got::Message) return Io::Ok;
            if (g == Got::Bad) return Io::Closed;
            const Io r = fill();
            if (r == Io::Closed) return r;
            if (r == Io::Timeout)
                if (const Io w = wait_for(fd, POLLIN, ms); w != Io::Ok) return w;
        }
    }
};

RemoteReader::RemoteReader() = default;
RemoteReader::~RemoteReader() { close(); }

void RemoteReader::close() {
    for (auto& c : conns_) {
        c->drop();
        c->gave_up = false;
    }
}

void RemoteReader::open(const std::vector<ShardRef>& shards, const std::vector<Xapian::Database>& dbs,
                           const RemoteTimeouts& t) {
    close();
    conns_.clear();
    timeouts_ = t;
    if (shards.size() != dbs.size()) return;
    for (std::size_t k = 0; k < shards.size(); ++k) {
        // Each sub-database one shard: the docid arithmetic of read() holds.
        if (dbs[k].size() != 1) {
            conns_.clear();
            return;
        }
        auto c = std::make_unique<Conn>();
        c->ref = shards[k];
        c->db = dbs[k];
        conns_.push_back(std::move(c));
    }
    for (auto& c : conns_)
        if (c->ref.remote()) (void)connect(*c);
}

// Connects, reads the server's greeting and keeps the connection only when
// it speaks protocol 39 and describes the database exactly as Xapian's own
// connection to the same shard does (the same revision, in practice).
// Timeout: the server accepted but did not greet in time.
int RemoteReader::connect(Conn& c) const {
    c.drop();
    c.gave_up = true;  // until the handshake succeeds
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (::getaddrinfo(c.ref.host.c_str(), std::to_string(c.ref.port).c_str(), &hints, &res) != 0) return kRefused;
    for (addrinfo* a = res; a && c.fd < 0; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        bool ok = ::connect(fd, a->ai_addr, a->ai_addrlen) == 0;
        if (!ok && errno == EINPROGRESS && wait_for(fd, POLLOUT, timeouts_.connect_ms) == Io::Ok) {
            int err = 0;
            socklen_t len = sizeof err;
            ok = ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
        }
        if (!ok) {
            ::close(fd);
            continue;
        }
        const int one = 1;
        (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c.fd = fd;
    }
    ::freeaddrinfo(res);
    if (c.fd < 0) return kRefused;

    int type = -1;
    std::string g;
    const Io r = c.next(type, g, timeouts_.op_ms);
    if (r != Io::Ok || type != kReplyUpdate || g.size() < 3 || static_cast<unsigned char>(g[0]) != kProtocolMajor) {
        c.drop();
        return r == Io::Timeout ? kTimedOut : kRefused;
    }
    // REPLY_UPDATE: major, minor, I<doccount> I<lastdocid - doccount>
    // I<doclen lower bound> I<upper - lower> B<has positions> I<total length> <UUID>.
    const char* p = g.data() + 2;
    const char* end = g.data() + g.size();
    std::uint64_t doccount = 0, last = 0, lo = 0, span = 0, total = 0;
    bool same = get_length(p, end, doccount) && get_length(p, end, last) && get_length(p, end, lo) &&
                get_length(p, end, span) && p != end;
    const bool positions = same && *p++ == '1';
    same = same && get_length(p, end, total);
    try {
        same = same && doccount == c.db.get_doccount() && last + doccount == c.db.get_lastdocid() &&
               lo == c.db.get_doclength_lower_bound() && lo + span == c.db.get_doclength_upper_bound() &&
               positions == c.db.has_positions() && total == c.db.get_total_length() &&
               std::string(p, end) == c.db.get_uuid();
    } catch (const Xapian::Error&) {
        same = false;
    }
    if (!same) {
        c.drop();
        return kRefused;
    }
    c.gave_up = false;
    return kConnected;
}

// A connection dropped earlier (the server's idle timeout, a refused
// document) is made again, and compared again; one whose handshake failed is
// not, until close() (the database was reopened).
bool RemoteReader::ready(Conn& c) const {
    if (c.fd >= 0) return true;
    const int r = c.gave_up ? kRefused : connect(c);
    if (r == kTimedOut) throw Xapian::NetworkError("Timeout expired while trying to read", c.ref.name);
    return r == kConnected;
}

std::optional<std::vector<RemoteReader::Term>> RemoteReader::allterms(const std::string& prefix) {
    const std::size_t n = conns_.size();
    if (n == 0) return std::nullopt;
    std::vector<std::vector<Term>> lists(n);
    std::vector<std::size_t> asked;  // remote shards, asked
    auto give_up = [&] {
        for (const std::size_t k : asked) conns_[k]->drop();
    };
    try {
        for (std::size_t k = 0; k < n; ++k) {
            Conn& c = *conns_[k];
            if (!c.ref.remote()) continue;
            if (!ready(c)) {
                give_up();
                return std::nullopt;
            }
            std::string req(1, kMsgAllTerms);
            put_length(req, prefix.size());
            req += prefix;
            asked.push_back(k);
            const Io w = c.send_all(req, timeouts_.op_ms);
            if (w == Io::Timeout) throw Xapian::NetworkError("Timeout expired while trying to write", c.ref.name);
            if (w != Io::Ok) {
                give_up();
                return std::nullopt;
            }
        }
        // Local shards while the servers work.
        for (std::size_t k = 0; k < n; ++k) {
            if (conns_[k]->ref.remote()) continue;
            const Xapian::Database& db = conns_[k]->db;
            for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it)
                lists[k].emplace_back(*it, it.get_termfreq());
        }
        // REPLY_ALLTERMS I<termfreq> <length of the prefix shared with the
        // previous term (the first: with the prefix asked)> <the rest>, ...,
        // then REPLY_DONE; from whichever shard has sent some.
        std::vector<std::size_t> pending = asked;
        std::vector<std::string> prev(n, prefix);
        while (!pending.empty()) {
            std::vector<pollfd> fds;
            for (const std::size_t k : pending) fds.push_back({conns_[k]->fd, POLLIN, 0});
            const int got = ::poll(fds.data(), fds.size(), static_cast<int>(timeouts_.op_ms));
            if (got < 0 && errno == EINTR) continue;
            if (got == 0) throw Xapian::NetworkError("Timeout expired while trying to read", conns_[pending[0]]->ref.name);
            std::vector<std::size_t> still;
            for (std::size_t i = 0; i < pending.size(); ++i) {
                const std::size_t k = pending[i];
                Conn& c = *conns_[k];
                bool done = false, bad = false;
                if (got > 0 && fds[i].revents != 0) {
                    const Io f = c.fill();
                    bad = f == Io::Closed;
                    int type = -1;
                    std::string body;
                    while (!bad && !done) {
                        const auto g = c.take(type, body);
                        if (g == Conn::Got::NeedMore) break;
                        if (g == Conn::Got::Message && type == kReplyDone) {
                            done = true;
                        } else if (g == Conn::Got::Message && type == kReplyAllTerms) {
                            const char* p = body.data();
                            const char* end = p + body.size();
                            std::uint64_t freq = 0;
                            if (!get_length(p, end, freq) || p == end) {
                                bad = true;
                                break;
                            }
                            const auto reuse = static_cast<unsigned char>(*p++);
                            if (reuse > prev[k].size()) {
                                bad = true;
                                break;
                            }
                            prev[k].resize(reuse);
                            prev[k].append(p, end);
                            lists[k].emplace_back(prev[k], static_cast<Xapian::doccount>(freq));
                        } else {
                            bad = true;  // an exception, or not a reply to this
                        }
                    }
                }
                if (bad) {
                    give_up();
                    return std::nullopt;
                }
                if (!done) still.push_back(k);
            }
            pending = std::move(still);
        }
    } catch (...) {
        give_up();
        throw;
    }
    // Merged in term order, the frequencies of a term in several shards summed.
    std::vector<Term> out;
    std::vector<std::size_t> at(n, 0);
    for (;;) {
        const std::string* least = nullptr;
        for (std::size_t k = 0; k < n; ++k)
            if (at[k] < lists[k].size() && (!least || lists[k][at[k]].first < *least)) least = &lists[k][at[k]].first;
        if (!least) break;
        Term t{*least, 0};
        for (std::size_t k = 0; k < n; ++k)
            if (at[k] < lists[k].size() && lists[k][at[k]].first == t.first) t.second += lists[k][at[k]++].second;
        out.push_back(std::move(t));
    }
    return out;
}

std::vector<std::optional<RemoteDoc>> RemoteReader::read(const std::vector<Xapian::docid>& dids) {
    std::vector<std::optional<RemoteDoc>> out(dids.size());
    read(dids, [&](std::size_t i, RemoteDoc&& d) { out[i] = std::move(d); });
    return out;
}

void RemoteReader::read(const std::vector<Xapian::docid>& dids, const Sink& sink) {
    const std::size_t n = conns_.size();
    if (n == 0) return;
    // Requests per shard, in order: (index in dids, docid in the shard).
    std::vector<std::vector<std::pair<std::size_t, Xapian::docid>>> asks(n);
    for (std::size_t i = 0; i < dids.size(); ++i) {
        if (dids[i] == 0) continue;
        const std::size_t k = (dids[i] - 1) % n;
        if (conns_[k]->ref.remote()) asks[k].emplace_back(i, static_cast<Xapian::docid>((dids[i] - 1) / n + 1));
    }
    // Every request first, to every shard; then the replies.
    for (std::size_t k = 0; k < n; ++k) {
        Conn& c = *conns_[k];
        if (asks[k].empty()) continue;
        bool ok = false;
        try {
            ok = ready(c);
        } catch (...) {
            for (std::size_t j = 0; j < k; ++j) conns_[j]->drop();  // (replies due on those before)
            throw;
        }
        if (!ok) {
            asks[k].clear();
            continue;
        }
        std::string req;
        for (const auto& [i, did] : asks[k]) {
            std::string body;
            put_length(body, did);
            req += kMsgDocument;
            put_length(req, body.size());
            req += body;
        }
        const Io w = c.send_all(req, timeouts_.op_ms);
        if (w == Io::Timeout) {
            for (std::size_t j = 0; j <= k; ++j) conns_[j]->drop();  // (replies due on those before)
            throw Xapian::NetworkError("Timeout expired while trying to write", c.ref.name);
        }
        if (w != Io::Ok) {
            c.drop();
            asks[k].clear();
        }
    }
    // The replies, from whichever shard has sent some: each document goes to
    // the sink as soon as it is whole, while the other shards still answer.
    struct Reading {
        Conn* c;
        const std::vector<std::pair<std::size_t, Xapian::docid>>* asks;
        std::size_t next = 0;   // the request answered next
        bool in_doc = false;    // its REPLY_DOCDATA came, its values follow
        RemoteDoc doc;
    };
    std::vector<Reading> reading;
    for (std::size_t k = 0; k < n; ++k)
        if (!asks[k].empty()) reading.push_back({conns_[k].get(), &asks[k], 0, false, {}});
    // Takes the whole replies a shard has sent; false when it is done (all
    // answered, or given up: Xapian reads the rest).
    auto consume = [&](Reading& r) {
        int type = -1;
        std::string body;
        for (;;) {
            const auto g = r.c->take(type, body);
            if (g == Conn::Got::NeedMore) return true;
            if (g == Conn::Got::Message && !r.in_doc && type == kReplyDocData) {
                r.doc = {std::move(body), {}};
                r.in_doc = true;
            } else if (g == Conn::Got::Message && r.in_doc && type == kReplyValue) {
                const char* p = body.data();
                const char* end = p + body.size();
                std::uint64_t slot = 0;
                if (!get_length(p, end, slot)) break;
                r.doc.values.emplace(static_cast<Xapian::valueno>(slot), std::string(p, end));
            } else if (g == Conn::Got::Message && r.in_doc && type == kReplyDone) {
                r.in_doc = false;
                ++read_;
                sink((*r.asks)[r.next].first, std::move(r.doc));
                if (++r.next == r.asks->size()) return false;
            } else {
                // An exception (the document is gone: the shard changed), a
                // reply out of order, a malformed one: Xapian reads the rest.
                break;
            }
        }
        r.c->drop();
        return false;
    };
    try {
        while (!reading.empty()) {
            std::vector<pollfd> fds;
            for (const auto& r : reading) fds.push_back({r.c->fd, POLLIN, 0});
            const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(timeouts_.op_ms));
            if (ready < 0 && errno == EINTR) continue;
            if (ready == 0) throw Xapian::NetworkError("Timeout expired while trying to read", reading.front().c->ref.name);
            std::vector<Reading> still;
            for (std::size_t i = 0; i < reading.size(); ++i) {
                Reading& r = reading[i];
                if (ready > 0 && fds[i].revents != 0) {
                    const Io f = r.c->fill();
                    if (f == Io::Closed) {
                        r.c->drop();
                        continue;
                    }
                    if (f == Io::Ok && !consume(r)) continue;
                }
                still.push_back(std::move(r));
            }
            reading = std::move(still);
        }
    } catch (...) {
        // A timeout, or the sink threw: the replies still due would be read
        // as answers to the next requests.
        for (auto& r : reading) r.c->drop();
        throw;
    }
}

} // namespace cari
