// Sharded indexes: N shard databases (local, or served by xapian-tcpsrv on
// loopback) answer exactly as one database holding every document; a shard
// that goes down is named, or left out with allow_partial; update routes each
// document to the same shard; compaction keeps the answers.
#include "index.h"
#include "remote_reader.h"
#include "schema.h"
#include "search.h"
#include "shards.h"
#include "test_util.h"

#include <xapian.h>

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <poll.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

using namespace cari;
using namespace cari::test;

namespace {

IndexReport build(const std::string& db, const std::vector<std::string>& paths, unsigned shards, bool create = true,
                  unsigned jobs = 2) {
    IndexOptions o;
    o.db = db;
    o.create = create;
    o.jobs = jobs;
    o.shards = shards;
    return index_paths(paths, o);
}

unsigned free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

bool port_open(unsigned port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

// One xapian-tcpsrv on 127.0.0.1 in its own process group: kill() takes the
// server and the children serving open connections, as a machine going down would.
class TcpServer {
public:
    explicit TcpServer(const std::string& db) : port_(free_port()) {
        pid_ = ::fork();
        if (pid_ == 0) {
            ::setsid();
            // Its children report dropped connections ("Got exception NetworkError"): not test output.
            const int null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, 1);
            ::dup2(null, 2);
            const std::string port = std::to_string(port_);
            ::execlp("xapian-tcpsrv", "xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port", port.c_str(),
                     db.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        for (int i = 0; i < 200 && !port_open(port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ~TcpServer() { kill(); }
    TcpServer(const TcpServer&) = delete;
    TcpServer& operator=(const TcpServer&) = delete;

    void kill() {
        if (pid_ <= 0) return;
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    void signal(int sig) const {
        if (pid_ > 0) ::kill(-pid_, sig);
    }
    [[nodiscard]] unsigned port() const { return port_; }
    [[nodiscard]] std::string url() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] bool up() const { return port_open(port_); }

private:
    unsigned port_;
    pid_t pid_ = -1;
};

// A relay in front of a served shard that counts what clients ask: per
// connection, the client's turns (each time it sends after the server last
// spoke: one round trip) and its messages by type (Xapian's remote protocol:
// a type byte, the body's length, the body).
class CountingRelay {
public:
    explicit CountingRelay(unsigned upstream) : upstream_(upstream), port_(free_port()) {
        listen_ = ::socket(AF_INET, SOCK_STREAM, 0);
        const int one = 1;
        ::setsockopt(listen_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(static_cast<std::uint16_t>(port_));
        ::bind(listen_, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(listen_, 16);
        thread_ = std::thread([this] { loop(); });
    }
    ~CountingRelay() {
        stop_ = true;
        thread_.join();
        ::close(listen_);
        for (auto& c : conns_) {
            ::close(c.client);
            ::close(c.server);
        }
    }
    CountingRelay(const CountingRelay&) = delete;
    CountingRelay& operator=(const CountingRelay&) = delete;

    [[nodiscard]] std::string url() const { return "tcp://127.0.0.1:" + std::to_string(port_); }

    struct Counts {
        std::size_t turns = 0;
        std::map<int, std::size_t> messages;  // by message type
    };
    // What clients asked since the last take().
    Counts take() {
        std::lock_guard<std::mutex> l(m_);
        Counts c = counts_;
        counts_ = {};
        return c;
    }

private:
    struct Conn {
        int client, server;
        bool server_spoke = true;  // the server greets first
        std::string pending;       // client bytes not yet parsed into messages
    };
    unsigned upstream_, port_;
    int listen_ = -1;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    std::vector<Conn> conns_;  // the relay thread's
    std::mutex m_;
    Counts counts_;

    static int connect_to(unsigned port) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            ::close(fd);
            return -1;
        }
        return fd;
    }
    static bool send_all(int fd, const char* p, std::size_t n) {
        while (n > 0) {
            const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
            if (w <= 0) return false;
            p += w;
            n -= static_cast<std::size_t>(w);
        }
        return true;
    }
    // Counts the whole messages in c.pending.
    void count_messages(Conn& c) {
        for (;;) {
            const char* p = c.pending.data();
            const char* end = p + c.pending.size();
            if (end - p < 2) return;
            const int type = static_cast<unsigned char>(*p++);
            std::size_t len = static_cast<unsigned char>(*p++);
            if (len == 255) {  // 0xff, then 7-bit groups of (length - 255), the last with its top bit set
                std::size_t v = 0;
                int shift = 0;
                for (;;) {
                    if (p == end) return;
                    const auto b = static_cast<unsigned char>(*p++);
                    v |= std::size_t(b & 0x7f) << shift;
                    shift += 7;
                    if (b & 0x80) break;
                }
                len = v + 255;
            }
            if (static_cast<std::size_t>(end - p) < len) return;
            {
                std::lock_guard<std::mutex> l(m_);
                ++counts_.messages[type];
            }
            c.pending.erase(0, static_cast<std::size_t>(p - c.pending.data()) + len);
        }
    }
    void loop() {
        while (!stop_) {
            std::vector<pollfd> fds{{listen_, POLLIN, 0}};
            for (const auto& c : conns_) {
                fds.push_back({c.client, POLLIN, 0});
                fds.push_back({c.server, POLLIN, 0});
            }
            if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
            if (fds[0].revents & POLLIN) {
                const int client = ::accept(listen_, nullptr, nullptr);
                const int server = client >= 0 ? connect_to(upstream_) : -1;
                if (server >= 0) conns_.push_back({client, server});
                else if (client >= 0) ::close(client);
            }
            std::vector<std::size_t> closed;
            for (std::size_t i = 0; i + 1 < fds.size(); ++i) {
                if (!(fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                Conn& c = conns_[i / 2];
                const bool from_client = i % 2 == 0;
                char buf[65536];
                const ssize_t r = ::recv(from_client ? c.client : c.server, buf, sizeof buf, 0);
                if (r <= 0 || !send_all(from_client ? c.server : c.client, buf, static_cast<std::size_t>(r))) {
                    closed.push_back(i / 2);
                    continue;
                }
                if (!from_client) {
                    c.server_spoke = true;
                    continue;
                }
                if (c.server_spoke) {
                    std::lock_guard<std::mutex> l(m_);
                    ++counts_.turns;
                }
                c.server_spoke = false;
                c.pending.append(buf, static_cast<std::size_t>(r));
                count_messages(c);
            }
            for (auto k = closed.rbegin(); k != closed.rend(); ++k) {
                if (k != closed.rbegin() && *k == *(k - 1)) continue;
                ::close(conns_[*k].client);
                ::close(conns_[*k].server);
                conns_.erase(conns_.begin() + static_cast<std::ptrdiff_t>(*k));
            }
        }
    }
};

// Message types of Xapian 1.4's remote protocol (common/remoteprotocol.h).
constexpr int kMsgAllTerms = 0, kMsgDocument = 2, kMsgTermFreq = 4;

bool have_tcpsrv() { return std::system("command -v xapian-tcpsrv >/dev/null 2>&1") == 0; }

#define REQUIRE_TCPSRV()                                                                                   \
    if (!have_tcpsrv()) GTEST_SKIP() << "xapian-tcpsrv not found (Debian package xapian-tools)"

// Everything a user sees of a result but the time and the estimated total
// (Xapian sums each shard's estimate: exact only when every match was counted).
std::string fingerprint(const SearchResult& r) {
    std::ostringstream o;
    o << "suggestion " << r.suggestion.value_or("-") << '\n';
    o << "parsed " << r.parsed.parsed << '\n';
    for (const auto& n : r.parsed.notes) o << "note " << n << '\n';
    for (const auto& h : r.hits) {
        o.precision(12);  // a shard sums a score's parts in its own order: the last bits may differ
        o << h.rank << ' ' << h.doc.id << ' ' << h.score << ' ' << h.snippet.text << " dups";
        for (const auto& d : h.duplicate_ids) o << ' ' << d;
        o << '\n';
    }
    return o.str();
}

const std::vector<std::string> kSeedQueries = {
    "banjir", "banjir bandang", "\"sistem peringatan dini\"", "Hendra NEAR/3 Ratna", "persib AND persija -bangun",
    "title:banjir", "date:2022..2023", "presid*", "=damai", "Siapa gubernur Jabar?", "jakarta", "perjanjian damai",
    "menlu", "Azebaijan", "source:antara", "source:ant", "author:adit", "pemerintah", "warga desa", "gempa OR banjir"};

void expect_same(Searcher& one, Searcher& many, const std::vector<std::string>& queries) {
    for (bool collapse : {true, false})
        for (const auto& q : queries) {
            SCOPED_TRACE(q + (collapse ? "" : " (no collapse)"));
            SearchOptions o;
            o.collapse = collapse;
            const auto a = one.search(q, o);
            const auto b = many.search(q, o);
            EXPECT_EQ(fingerprint(a), fingerprint(b));
            if (a.hits.size() < o.limit) {  // every match listed: exact
                EXPECT_TRUE(a.total_exact && b.total_exact);
                EXPECT_EQ(a.total, b.total);
            }
            if (a.total_exact && b.total_exact) EXPECT_EQ(a.total, b.total);
            EXPECT_FALSE(b.partial);
        }
}

std::string seeds() { return source_dir() + "/corpus/articles"; }

} // namespace

TEST(Shards, StubLinesAndRouting) {
    TempDir t;
    t.write("stub", "# two shards\n\nauto a\nremote 127.0.0.1:4001\nglass /abs/b\n");
    const auto v = expand_db_arg(t / "stub");
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[0].path, t / "a");
    EXPECT_EQ(v[1].name, "tcp://127.0.0.1:4001");
    EXPECT_EQ(v[1].port, 4001u);
    EXPECT_EQ(v[2].path, "/abs/b");
    t.write("bad", "remote :127.0.0.1:4001\n");
    EXPECT_THROW((void)expand_db_arg(t / "bad"), std::runtime_error);
    EXPECT_THROW((void)expand_db_arg("tcp://nohost"), std::runtime_error);
    // The hash is FNV-1a: stable across runs and machines.
    EXPECT_EQ(shard_of("Qabc", 1), 0u);
    EXPECT_EQ(shard_of("Qabc", 3), shard_of("Qabc", 3));
}

TEST(Shards, SeedsShardedAnswerAsOneDatabase) {
    TempDir t;
    build(t / "one", {seeds()}, 0);
    const auto r = build(t / "three", {seeds()}, 3);
    EXPECT_EQ(r.shards, 3u);
    ASSERT_EQ(sharded_count(t / "three").value_or(0), 3u);
    // Xapian itself opens the folder through its stub.
    Xapian::Database x(t / "three");
    EXPECT_EQ(x.get_doccount(), Xapian::Database(t / "one").get_doccount());
    // Every shard holds its documents only, and knows the stemmer and its place.
    for (unsigned k = 0; k < 3; ++k) {
        Xapian::Database s((t.path() / "three" / shard_dir_name(k)).string());
        EXPECT_EQ(s.get_metadata(std::string(schema::kMetaShard)), std::to_string(k) + "/3");
        EXPECT_FALSE(s.get_metadata(std::string(schema::kMetaStemmer)).empty());
        for (auto it = s.allterms_begin("Q"); it != s.allterms_end("Q"); ++it) EXPECT_EQ(shard_of(*it, 3), k) << *it;
    }
    Searcher one({t / "one"});
    Searcher folder({t / "three"});
    expect_same(one, folder, kSeedQueries);
    // The shards named one by one, and a stub file elsewhere.
    Searcher listed({t / "three/shard-0", t / "three/shard-1", t / "three/shard-2"});
    expect_same(one, listed, kSeedQueries);
    t.write("all.stub", "auto three/shard-2\nauto three/shard-0\nauto three/shard-1\n");
    Searcher stub({t / "all.stub"});
    expect_same(one, stub, kSeedQueries);

    const auto st = index_stats(t / "three");
    ASSERT_EQ(st.shards.size(), 3u);
    std::size_t sum = 0;
    for (const auto& s : st.shards) sum += s.documents;
    EXPECT_EQ(sum, st.documents);
    EXPECT_EQ(st.files, index_stats(t / "one").files);
    EXPECT_NE(stats_json(st).find("\"shards\":[{\"name\":\"shard-0\""), std::string::npos);
}

TEST(Shards, RemoteShardsAnswerAsOneDatabaseAndOneGoesDown) {
    REQUIRE_TCPSRV();
    TempDir t;
    build(t / "one", {seeds()}, 0);
    build(t / "three", {seeds()}, 3);
    TcpServer s0(t / "three/shard-0"), s1(t / "three/shard-1"), s2(t / "three/shard-2");
    ASSERT_TRUE(s0.up() && s1.up() && s2.up());
    Searcher one({t / "one"});
    {
        // BM25+, values, collapse, positions, documents, allterms (prefixes, suggestions) over the wire.
        Searcher remote({s0.url(), s1.url(), s2.url()});
        expect_same(one, remote, kSeedQueries);
    }
    t.write("remote.stub", "remote 127.0.0.1:" + std::to_string(s0.port()) + "\nremote 127.0.0.1:" +
                               std::to_string(s1.port()) + "\nremote 127.0.0.1:" + std::to_string(s2.port()) + "\n");
    const std::string search = bin("cari-search") + " --db " + (t / "remote.stub");
    {
        const auto a = run(bin("cari-search") + " --db " + (t / "one") + " --json banjir | sed 's/\"took_ms\":[0-9.]*//'");
        const auto b = run(search + " --json banjir | sed 's/\"took_ms\":[0-9.]*//'");
        EXPECT_EQ(a.out, b.out);
    }

    // Two searchers opened while every shard is up; then shard 1 goes down between queries.
    Searcher strict({t / "remote.stub"});
    Searcher partial({t / "remote.stub"}, nullptr, true);
    EXPECT_FALSE(strict.search("banjir", {}).partial);
    EXPECT_FALSE(partial.search("banjir", {}).partial);
    s1.kill();
    ASSERT_FALSE(s1.up());
    try {
        (void)strict.search("banjir", {});
        ADD_FAILURE() << "no error with a shard down";
    } catch (const ShardDown& e) {
        EXPECT_NE(std::string(e.what()).find(s1.url()), std::string::npos) << e.what();
    }
    const auto p = partial.search("banjir", {});
    EXPECT_TRUE(p.partial);
    EXPECT_EQ(p.missing_shards, std::vector<std::string>{s1.url()});
    EXPECT_FALSE(p.hits.empty());
    for (const auto& h : p.hits) {
        // Only documents of the live shards.
        EXPECT_NE(shard_of(id_term(h.doc.id), 3), 1u) << h.doc.id;
    }

    // The programs: a shard down at open time.
    const auto down = run(search + " banjir");
    EXPECT_EQ(down.code, 3);
    EXPECT_NE(down.err.find("shard " + s1.url() + " is not answering"), std::string::npos) << down.err;
    EXPECT_EQ(std::count(down.err.begin(), down.err.end(), '\n'), 1) << down.err;
    const auto json = run(search + " --allow-partial --json banjir");
    EXPECT_EQ(json.code, 0) << json.err;
    EXPECT_NE(json.out.find("\"partial\":true,\"missing_shards\":[\"" + s1.url() + "\"]}"), std::string::npos)
        << json.out;
    EXPECT_NE(json.err.find("partial results"), std::string::npos);
    const auto human = run(search + " --allow-partial --color never banjir");
    EXPECT_EQ(human.code, 0);
    EXPECT_NE(human.out.find("Partial results: not answering: " + s1.url()), std::string::npos) << human.out;

    // Every shard down: an error even with --allow-partial.
    s0.kill();
    s2.kill();
    EXPECT_EQ(run(search + " --allow-partial banjir").code, 3);
}

TEST(Shards, BatchSearchWhenAShardDiesBetweenQueries) {
    REQUIRE_TCPSRV();
    TempDir t;
    build(t / "three", {seeds()}, 3);
    // A batch read from a pipe: the first query is answered, then shard 2 is killed.
    const std::string fifo = t / "queries";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    for (bool allow : {false, true}) {
        SCOPED_TRACE(allow ? "--allow-partial" : "default");
        TcpServer s0(t / "three/shard-0"), s1(t / "three/shard-1"), s2(t / "three/shard-2");
        ASSERT_TRUE(s0.up() && s1.up() && s2.up());
        RunResult r;
        std::thread searcher([&] {
            r = run(bin("cari-search") + " --json --batch " + fifo + (allow ? " --allow-partial" : "") + " --db " +
                    s0.url() + " --db " + s1.url() + " --db " + s2.url());
        });
        {
            std::ofstream q(fifo);
            q << "banjir\n" << std::flush;
            std::this_thread::sleep_for(std::chrono::milliseconds(1500));
            s2.kill();
            q << "jakarta\n" << std::flush;
        }
        searcher.join();
        const auto lines = std::count(r.out.begin(), r.out.end(), '\n');
        if (!allow) {
            EXPECT_EQ(r.code, 3) << r.err;
            EXPECT_EQ(lines, 1) << r.out;
            EXPECT_NE(r.err.find(s2.url()), std::string::npos) << r.err;
        } else {
            EXPECT_EQ(r.code, 0) << r.err;
            ASSERT_EQ(lines, 2) << r.out;
            const std::string first = r.out.substr(0, r.out.find('\n'));
            EXPECT_EQ(first.find("\"partial\""), std::string::npos) << first;
            EXPECT_NE(r.out.find("\"missing_shards\":[\"" + s2.url() + "\"]"), std::string::npos) << r.out;
        }
    }
}

TEST(Shards, UpdateRoutesToTheSameShard) {
    TempDir t;
    std::string feed;
    for (int i = 0; i < 60; ++i)
        feed += "{\"id\":\"doc" + std::to_string(i) + "\",\"title\":\"Berita nomor " + std::to_string(i) +
                "\",\"date\":\"2023-01-02\",\"source\":\"contoh\",\"text\":\"Warga desa " + std::to_string(i) +
                " melaporkan banjir di jalan raya. Pemerintah daerah mengirim bantuan.\"}\n";
    t.write("feed.jsonl", feed);
    build(t / "three", {t / "feed.jsonl"}, 3);
    build(t / "one", {t / "feed.jsonl"}, 0);
    std::vector<Xapian::doccount> before;
    for (unsigned k = 0; k < 3; ++k) before.push_back(Xapian::Database(t / ("three/shard-" + std::to_string(k))).get_doccount());

    // doc7 changes, doc60 is new; the rest is unchanged.
    std::string changed = feed;
    const std::string old7 = "Berita nomor 7\"";
    changed.replace(changed.find(old7), old7.size(), "Berita nomor 7 diperbarui\"");
    changed += "{\"id\":\"doc60\",\"title\":\"Berita baru\",\"text\":\"Gempa mengguncang kota pada pagi hari.\"}\n";
    t.write("feed.jsonl", changed);
    IndexOptions o;
    o.db = t / "three";
    const auto r = index_paths({t / "feed.jsonl"}, o);
    EXPECT_EQ(r.added, 1u);
    EXPECT_EQ(r.replaced, 1u);
    EXPECT_EQ(r.unchanged, 60u - 1u);
    o.db = t / "one";
    (void)index_paths({t / "feed.jsonl"}, o);
    for (unsigned k = 0; k < 3; ++k) {
        Xapian::Database s(t / ("three/shard-" + std::to_string(k)));
        EXPECT_EQ(s.get_doccount(), before[k] + (shard_of(id_term("doc60"), 3) == k ? 1 : 0)) << k;
        EXPECT_EQ(s.term_exists(id_term("doc7")), shard_of(id_term("doc7"), 3) == k);
    }
    Searcher one({t / "one"}), three({t / "three"});
    expect_same(one, three, {"diperbarui", "banjir", "gempa", "berita nomor"});

    // A second update changes nothing; --shards must agree with the index.
    const auto again = index_paths({t / "feed.jsonl"}, o);
    EXPECT_EQ(again.unchanged, 61u);
    o.db = t / "three";
    o.shards = 2;
    try {
        (void)index_paths({t / "feed.jsonl"}, o);
        ADD_FAILURE() << "update --shards 2 into 3 shards";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("has 3 shards, not 2"), std::string::npos) << e.what();
    }
    const auto cli = run(bin("cari-index") + " update --shards 2 --db " + (t / "one") + " " + (t / "feed.jsonl"));
    EXPECT_EQ(cli.code, 2);
    EXPECT_NE(cli.err.find("is one database, not 2 shards"), std::string::npos) << cli.err;
    // update --shards into a new folder creates the shards.
    o.db = t / "new";
    o.shards = 2;
    const auto fresh = index_paths({t / "feed.jsonl"}, o);
    EXPECT_EQ(fresh.added, 61u);
    EXPECT_EQ(sharded_count(t / "new").value_or(0), 2u);
    Searcher two({t / "new"});
    expect_same(one, two, {"diperbarui", "banjir", "gempa"});

    // compact: each shard in place, same answers.
    const auto lines = compact_index(t / "three");
    EXPECT_EQ(lines.size(), 3u);
    Searcher compacted({t / "three"});
    expect_same(one, compacted, {"diperbarui", "banjir", "gempa", "berita nomor"});
    // stats through the program lists the shards.
    const auto st = run(bin("cari-index") + " stats --db " + (t / "three"));
    EXPECT_EQ(st.code, 0);
    EXPECT_NE(st.out.find("shard-2"), std::string::npos) << st.out;
}

// The clickid check, on its first 3,000 articles and 100 of the benchmark's
// mixed queries (benchmarks/shards/run.sh runs all of it with 1,000).
TEST(Shards, ClickidSubsetSameTopTenOverRemoteAndLocalShards) {
    CARI_REQUIRE_SHARED(shared);
    REQUIRE_TCPSRV();
    TempDir t;
    {
        std::ifstream in(shared + "/corpus/clickid/clickid_articles.jsonl", std::ios::binary);
        ASSERT_TRUE(in) << "clickid corpus missing under " << shared;
        std::ofstream out(t / "sub.jsonl", std::ios::binary);
        std::string line;
        for (int i = 0; i < 3000 && std::getline(in, line); ++i) out << line << '\n';
    }
    const auto mk = run("python3 " + source_dir() + "/benchmarks/make_queries.py " + (t / "sub.jsonl") + " " +
                        (t / "q.txt") + " 100");
    ASSERT_EQ(mk.code, 0) << mk.err;
    build(t / "one", {t / "sub.jsonl"}, 0);
    build(t / "three", {t / "sub.jsonl"}, 3);
    TcpServer s0(t / "three/shard-0"), s1(t / "three/shard-1"), s2(t / "three/shard-2");
    ASSERT_TRUE(s0.up() && s1.up() && s2.up());
    std::vector<std::string> queries;
    {
        std::ifstream q(t / "q.txt");
        for (std::string l; std::getline(q, l);) queries.push_back(l);
    }
    ASSERT_EQ(queries.size(), 100u);
    Searcher one({t / "one"});
    Searcher remote({s0.url(), s1.url(), s2.url()});
    expect_same(one, remote, queries);
    // The same shards opened locally (one matcher over three databases).
    Searcher local({t / "three"});
    expect_same(one, local, queries);

    // Folding near-duplicates over remote shards: a query costs each shard at
    // most four round trips (statistics, match, the documents whose texts the
    // folding may compare, the page), however many candidates it compares,
    // plus the vocabulary for a word rare enough to be a typo.
    CountingRelay r0(s0.port()), r1(s1.port()), r2(s2.port());
    Searcher relayed({r0.url(), r1.url(), r2.url()});
    auto take = [&] {
        CountingRelay::Counts sum;
        for (auto* r : {&r0, &r1, &r2}) {
            const auto c = r->take();
            sum.turns += c.turns;
            for (const auto& [type, n] : c.messages) sum.messages[type] += n;
        }
        return sum;
    };
    (void)take();  // opening
    std::size_t compared = 0;
    for (const auto& q : queries) {
        SCOPED_TRACE(q);
        const auto r = relayed.search(q, {});
        auto c = take();
        EXPECT_LE(c.turns, 4u * 3u + c.messages[kMsgAllTerms]);
        EXPECT_EQ(c.messages[kMsgTermFreq], 0u);
        compared += c.messages[kMsgDocument] > r.hits.size();  // texts read beyond the page's
    }
    EXPECT_GT(compared, 0u) << "no query compared near-duplicate texts: the bound above was not exercised";
}

// The parallel sharded build (several parts, merged per shard) writes each
// shard exactly as update, one writer, would: same documents in the same order.
TEST(Shards, ParallelShardedBuildEqualsOneWriter) {
    TempDir t;
    std::string feed;
    for (int i = 0; i < 800; ++i) {
        const int id = i < 760 ? i : i - 750;  // the last 40 lines repeat ids 10..49 with new text
        feed += "{\"id\":\"n" + std::to_string(id) + "\",\"title\":\"Judul " + std::to_string(i) +
                "\",\"text\":\"Isi berita ke " + std::to_string(i) + " tentang banjir dan gempa di kota " +
                std::to_string(i % 17) + ". Warga diminta waspada. Petugas gabungan dari berbagai instansi sudah dikerahkan "
                "ke lokasi untuk membantu evakuasi warga yang terdampak dan menyalurkan bantuan logistik.\"}\n";
    }
    t.write("feed.jsonl", feed);
    IndexOptions b;
    b.db = t / "built";
    b.create = true;
    b.jobs = 2;
    b.parts = 4;
    b.shards = 3;
    const auto rb = index_paths({t / "feed.jsonl"}, b);
    EXPECT_EQ(rb.parts, 4u);
    IndexOptions u;
    u.db = t / "updated";
    u.shards = 3;
    (void)index_paths({t / "feed.jsonl"}, u);
    for (unsigned k = 0; k < 3; ++k) {
        SCOPED_TRACE("shard " + std::to_string(k));
        Xapian::Database x(t / ("built/shard-" + std::to_string(k))), y(t / ("updated/shard-" + std::to_string(k)));
        ASSERT_EQ(x.get_doccount(), y.get_doccount());
        std::vector<std::string> dx, dy;
        for (auto it = x.postlist_begin(""); it != x.postlist_end(""); ++it) dx.push_back(x.get_document(*it).get_data());
        for (auto it = y.postlist_begin(""); it != y.postlist_end(""); ++it) dy.push_back(y.get_document(*it).get_data());
        EXPECT_EQ(dx, dy);
    }
    Searcher one({t / "built"}), two({t / "updated"});
    expect_same(one, two, {"banjir", "judul 785", "kota 3", "\"isi berita\"", "petugas evakuasi"});
}

// Over remote shards a query costs each shard a fixed number of round trips,
// whatever the page holds: the statistics, the match, the page's documents
// (one pipelined wave), and no term looked up on its own (the suggester's
// frequencies come with the match, NEAR operands included). Only a word rare
// enough to be a typo costs more: the suggester lists the vocabulary sharing
// its first letter (allterms, a round trip per shard).
TEST(Shards, RemoteQueriesTakeThreeRoundTripsPerShard) {
    REQUIRE_TCPSRV();
    TempDir t;
    build(t / "three", {seeds()}, 3);
    TcpServer s0(t / "three/shard-0"), s1(t / "three/shard-1"), s2(t / "three/shard-2");
    ASSERT_TRUE(s0.up() && s1.up() && s2.up());
    CountingRelay r0(s0.port()), r1(s1.port()), r2(s2.port());
    Searcher remote({r0.url(), r1.url(), r2.url()});
    auto take = [&] {
        CountingRelay::Counts sum;
        for (auto* r : {&r0, &r1, &r2}) {
            const auto c = r->take();
            sum.turns += c.turns;
            for (const auto& [type, n] : c.messages) sum.messages[type] += n;
        }
        return sum;
    };
    (void)take();  // opening
    std::size_t pages = 0;
    for (const auto& q : kSeedQueries) {
        if (q.find('*') != std::string::npos) continue;  // a prefix's note lists its words (allterms)
        SCOPED_TRACE(q);
        SearchOptions o;
        o.collapse = false;  // (collapsing may read a candidate's text to compare it with a hit's)
        const auto r = remote.search(q, o);
        auto c = take();
        EXPECT_LE(c.turns, 3u * 3u + c.messages[kMsgAllTerms]);
        EXPECT_EQ(c.messages[kMsgTermFreq], 0u);
        EXPECT_EQ(c.messages[kMsgDocument], r.hits.size());  // each page document read once
        pages += !r.hits.empty();
    }
    EXPECT_GT(pages, 10u);
    // Ten hits from three shards: still one wave of document requests.
    SearchOptions o;
    o.collapse = false;
    const auto r = remote.search("pemerintah", o);
    const auto c = take();
    EXPECT_EQ(r.hits.size(), 10u);
    EXPECT_LE(c.turns, 3u * 3u);
    EXPECT_EQ(c.messages.at(kMsgDocument), 10u);
    EXPECT_EQ(c.messages.count(kMsgAllTerms), 0u);

    // A typo: the vocabulary under its first letter is listed from each shard
    // once, all at once, and kept for the next queries.
    Searcher fresh({r0.url(), r1.url(), r2.url()});
    (void)take();
    EXPECT_EQ(fresh.search("banjr", {}).suggestion.value_or("-"), "banjir");
    const auto first = take();
    EXPECT_EQ(first.messages.at(kMsgAllTerms), 3u);
    EXPECT_LE(first.turns, 3u * 3u + 3u);
    EXPECT_EQ(fresh.search("BANJR", {}).suggestion.value_or("-"), "BANJIR");
    EXPECT_EQ(take().messages.count(kMsgAllTerms), 0u);
}

// RemoteReader answers as Xapian does, and steps aside when its side
// connection does not see the shard as Xapian's connection does.
TEST(Shards, RemoteReaderReadsAsXapianOrStepsAside) {
    REQUIRE_TCPSRV();
    TempDir t;
    build(t / "three", {seeds()}, 3);
    TcpServer s0(t / "three/shard-0"), s1(t / "three/shard-1"), s2(t / "three/shard-2");
    ASSERT_TRUE(s0.up() && s1.up() && s2.up());
    const RemoteTimeouts timeouts;
    // Two remote shards and a local one, as one database.
    std::vector<ShardRef> refs = expand_db_arg(s0.url());
    for (const auto& a : {s1.url(), t / "three/shard-2"}) refs.push_back(expand_db_arg(a).at(0));
    std::vector<Xapian::Database> dbs;
    Xapian::Database all;
    for (const auto& r : refs) {
        dbs.push_back(open_shard(r, timeouts));
        all.add_database(dbs.back());
    }
    RemoteReader reader;
    reader.open(refs, dbs, timeouts);
    std::vector<Xapian::docid> dids;
    for (auto it = all.postlist_begin(""); it != all.postlist_end(""); ++it) dids.push_back(*it);
    dids.push_back(0);  // not a document: left alone
    ASSERT_GT(dids.size(), 10u);
    const auto got = reader.read(dids);
    ASSERT_EQ(got.size(), dids.size());
    std::size_t remote = 0;
    for (std::size_t i = 0; i + 1 < dids.size(); ++i) {
        SCOPED_TRACE(dids[i]);
        const bool local = (dids[i] - 1) % 3 == 2;
        ASSERT_EQ(got[i].has_value(), !local);
        if (local) continue;
        ++remote;
        const Xapian::Document d = all.get_document(dids[i]);
        EXPECT_EQ(got[i]->data, d.get_data());
        std::map<Xapian::valueno, std::string> values;
        for (auto v = d.values_begin(); v != d.values_end(); ++v) values[v.get_valueno()] = *v;
        EXPECT_EQ(got[i]->values, values);
    }
    EXPECT_FALSE(got.back().has_value());
    EXPECT_EQ(reader.documents_read(), remote);
    // Documents go to the sink as they come; when it throws, the replies still
    // due are dropped with their connections, and the next read is whole.
    std::set<std::size_t> seen;
    reader.read(dids, [&](std::size_t i, RemoteDoc&& d) {
        EXPECT_TRUE(seen.insert(i).second);
        EXPECT_EQ(d.data, got[i]->data);
    });
    EXPECT_EQ(seen.size(), remote);
    EXPECT_THROW(reader.read(dids, [](std::size_t, RemoteDoc&&) { throw std::runtime_error("sink"); }),
                 std::runtime_error);
    const auto again = reader.read(dids);
    for (std::size_t i = 0; i < dids.size(); ++i) EXPECT_EQ(again[i].has_value(), got[i].has_value()) << dids[i];
    for (std::size_t i = 0; i < dids.size(); ++i)
        if (again[i]) EXPECT_EQ(again[i]->data, got[i]->data) << dids[i];

    // Term lists: what Xapian lists over the combined database, frequencies summed.
    for (const std::string prefix : {"E", "Eb", "Q", "Ezzzz", ""}) {
        SCOPED_TRACE(prefix);
        std::vector<RemoteReader::Term> want;
        for (auto it = all.allterms_begin(prefix); it != all.allterms_end(prefix); ++it)
            want.emplace_back(*it, it.get_termfreq());
        const auto list = reader.allterms(prefix);
        ASSERT_TRUE(list.has_value());
        EXPECT_EQ(*list, want);
    }

    // Shard 0 changes after Xapian connected to it: a side connection made now
    // sees another database, so the reader leaves shard 0 to Xapian...
    {
        Xapian::WritableDatabase w(t / "three/shard-0");
        Xapian::Document d;
        d.set_data("new");
        d.add_boolean_term(id_term("added-later"));
        w.add_document(d);
        w.commit();
    }
    reader.close();
    const auto after = reader.read({dids[0], dids[1]});
    EXPECT_FALSE(after[0].has_value());  // shard 0
    EXPECT_TRUE(after[1].has_value());   // shard 1
    EXPECT_FALSE(reader.allterms("E").has_value());
    // ... until Xapian reopens it too.
    all.reopen();
    reader.close();
    const auto reopened = reader.read({dids[0]});
    ASSERT_TRUE(reopened[0].has_value());
    EXPECT_EQ(reopened[0]->data, all.get_document(dids[0]).get_data());
    // A document the server no longer has: left to Xapian, which says so.
    const Xapian::docid missing = (all.get_lastdocid() / 3 + 5) * 3 + 1;
    EXPECT_FALSE(reader.read({missing})[0].has_value());
    EXPECT_THROW((void)all.get_document(missing), Xapian::DocNotFoundError);
    // The reader connects again for the next document.
    EXPECT_TRUE(reader.read({dids[0]})[0].has_value());
}

// A shard that hangs (its machine stalls) is waited for only as long as the
// timeout, then named like a dead one.
TEST(Shards, AHungShardTimesOut) {
    REQUIRE_TCPSRV();
    TempDir t;
    build(t / "two", {seeds()}, 2);
    TcpServer s0(t / "two/shard-0"), s1(t / "two/shard-1");
    ASSERT_TRUE(s0.up() && s1.up());
    s1.signal(SIGSTOP);
    const std::string cmd = "CARI_REMOTE_TIMEOUT_MS=1000 " + bin("cari-search") + " --db " + s0.url() + " --db " + s1.url();
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = run(cmd + " banjir");
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(r.code, 3) << r.err;
    EXPECT_NE(r.err.find(s1.url()), std::string::npos) << r.err;
    EXPECT_LT(took, 4.0);
    const auto p = run(cmd + " --allow-partial --json banjir");
    EXPECT_EQ(p.code, 0) << p.err;
    EXPECT_NE(p.out.find("\"partial\":true"), std::string::npos);
    s1.signal(SIGCONT);
}

// scripts/serve-shards.sh: serves each shard on loopback, writes a stub that
// searches as the folder does, and stops every server.
TEST(Shards, ServeShardsScript) {
    REQUIRE_TCPSRV();
    TempDir t;
    build(t / "three", {seeds()}, 3);
    const std::string script = source_dir() + "/scripts/serve-shards.sh";
    const auto start = run(script + " start " + (t / "three") + " " + (t / "remote.stub"));
    ASSERT_EQ(start.code, 0) << start.err << start.out;
    const std::string stub = slurp(t.path() / "remote.stub");
    EXPECT_EQ(std::count(stub.begin(), stub.end(), '\n'), 4) << stub;  // a comment and 3 remote lines
    EXPECT_NE(stub.find("\nremote 127.0.0.1:"), std::string::npos) << stub;
    EXPECT_EQ(run(script + " status " + (t / "remote.stub")).code, 0);
    const std::string strip = " | sed 's/\"took_ms\":[0-9.]*//'";
    const auto local = run(bin("cari-search") + " --json --db " + (t / "three") + " banjir" + strip);
    const auto remote = run(bin("cari-search") + " --json --db " + (t / "remote.stub") + " banjir" + strip);
    EXPECT_EQ(local.out, remote.out);
    EXPECT_FALSE(remote.out.empty());
    // A second start on the same stub is refused; stop ends the servers.
    EXPECT_EQ(run(script + " start " + (t / "three") + " " + (t / "remote.stub")).code, 2);
    const auto stop = run(script + " stop " + (t / "remote.stub"));
    EXPECT_EQ(stop.code, 0) << stop.err;
    EXPECT_EQ(run(bin("cari-search") + " --db " + (t / "remote.stub") + " banjir").code, 3);
}
