#include "shards.h"

#include "document.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <fcntl.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace cari {

RemoteTimeouts RemoteTimeouts::from_env() {
    RemoteTimeouts t;
    if (const char* env = std::getenv("CARI_REMOTE_TIMEOUT_MS"); env && *env) {
        char* end = nullptr;
        const unsigned long v = std::strtoul(env, &end, 10);
        if (end && *end == '\0' && v > 0 && v <= 600000) t.connect_ms = t.op_ms = static_cast<unsigned>(v);
    }
    return t;
}

namespace {

bool parse_host_port(std::string_view hp, ShardRef& out) {
    const auto colon = hp.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 >= hp.size()) return false;
    const std::string port(hp.substr(colon + 1));
    if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5) return false;
    const unsigned long p = std::strtoul(port.c_str(), nullptr, 10);
    if (p == 0 || p > 65535) return false;
    out.host = std::string(hp.substr(0, colon));
    out.port = static_cast<unsigned>(p);
    out.name = "tcp://" + out.host + ":" + port;
    return true;
}

bool is_stub_file(const fs::path& p) {
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) return false;
    // Xapian's own databases are folders; a small text file is a stub.
    return fs::file_size(p, ec) < (1 << 20);
}

void expand(const std::string& arg, std::vector<ShardRef>& out, int depth) {
    if (depth > 8) throw std::runtime_error(arg + ": stub files nest too deep");
    if (arg.starts_with("tcp://")) {
        ShardRef s;
        if (!parse_host_port(std::string_view(arg).substr(6), s))
            throw std::runtime_error("bad remote shard '" + arg + "': expected tcp://HOST:PORT");
        out.push_back(std::move(s));
        return;
    }
    std::error_code ec;
    fs::path stub;
    if (fs::is_directory(arg, ec) && fs::exists(fs::path(arg) / kStubName, ec)) stub = fs::path(arg) / kStubName;
    else if (is_stub_file(arg)) stub = arg;
    if (stub.empty()) {
        ShardRef s;
        s.name = s.path = arg;
        out.push_back(std::move(s));
        return;
    }
    std::ifstream in(stub);
    if (!in) throw std::runtime_error("cannot read stub file " + stub.string());
    const fs::path base = stub.parent_path();
    std::string line;
    for (std::size_t n = 1; std::getline(in, line); ++n) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
        const auto b = line.find_first_not_of(" \t");
        if (b == std::string::npos || line[b] == '#') continue;
        line.erase(0, b);
        const auto sp = line.find_first_of(" \t");
        const std::string kind = line.substr(0, sp);
        std::string rest = sp == std::string::npos ? "" : line.substr(line.find_first_not_of(" \t", sp));
        const std::string where = stub.string() + ":" + std::to_string(n);
        if (kind == "auto" || kind == "glass" || kind == "chert") {
            if (rest.empty()) throw std::runtime_error(where + ": no path after '" + kind + "'");
            const fs::path p = fs::path(rest).is_absolute() ? fs::path(rest) : base / rest;
            expand(p.lexically_normal().string(), out, depth + 1);
        } else if (kind == "remote") {
            ShardRef s;
            if (rest.starts_with(":") || !parse_host_port(rest, s))
                throw std::runtime_error(where + ": expected 'remote HOST:PORT' (Cari opens TCP shards only)");
            out.push_back(std::move(s));
        } else {
            throw std::runtime_error(where + ": unknown stub line '" + line + "'");
        }
    }
}

} // namespace

std::vector<ShardRef> expand_db_arg(const std::string& arg) {
    std::vector<ShardRef> out;
    expand(arg, out, 0);
    return out;
}

Xapian::Database open_shard(const ShardRef& s, const RemoteTimeouts& t) {
    if (s.remote()) return Xapian::Remote::open(s.host, s.port, t.op_ms, t.connect_ms);
    return Xapian::Database(s.path);
}

unsigned shard_of(std::string_view id_term, unsigned shards) noexcept {
    if (shards <= 1) return 0;
    return static_cast<unsigned>(hash64(id_term) % shards);
}

std::string shard_dir_name(unsigned k) { return "shard-" + std::to_string(k); }

std::optional<unsigned> sharded_count(const std::string& dir) {
    std::error_code ec;
    const fs::path stub = fs::path(dir) / kStubName;
    if (!fs::is_regular_file(stub, ec)) return std::nullopt;
    std::ifstream in(stub);
    std::string line;
    unsigned n = 0;
    while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#') continue;
        if (line != "auto " + shard_dir_name(n)) return std::nullopt;  // not a layout Cari wrote
        ++n;
    }
    if (n == 0) return std::nullopt;
    return n;
}

std::string local_stub(unsigned shards) {
    std::string s = "# Cari sharded index: one line a shard (Xapian stub format)\n";
    for (unsigned k = 0; k < shards; ++k) s += "auto " + shard_dir_name(k) + "\n";
    return s;
}

void write_file_atomically(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) throw std::runtime_error("cannot write " + tmp);
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
        if (w <= 0) {
            ::close(fd);
            ::unlink(tmp.c_str());
            throw std::runtime_error("cannot write " + tmp);
        }
        done += static_cast<std::size_t>(w);
    }
    ::fsync(fd);
    ::close(fd);
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot rename " + tmp + " to " + path);
    }
}

} // namespace cari
