#include "readers.h"

#include "cleaner.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace cari {

namespace {
// In a folder walk only unambiguous extensions are read: a plain .json file
// there is more likely data of another kind than a feed.
Format folder_format(const std::string& path) {
    const Format f = format_from_path(path);
    if (f == Format::Jsonl && !(path.ends_with(".jsonl") || path.ends_with(".ndjson"))) return Format::Auto;
    return f;
}
} // namespace

std::string InputProblem::to_string() const {
    std::string s = note ? "note: " : "";
    s += path;
    if (line) s.append(1, ':').append(std::to_string(line));
    return s.append(": ").append(message);
}

std::vector<InputFile> list_inputs(const std::vector<std::string>& paths, Format forced,
                                   std::vector<InputProblem>& problems) {
    std::vector<InputFile> out;
    for (const auto& p : paths) {
        if (p == "-") {
            out.push_back({p, forced == Format::Auto ? Format::Jsonl : forced});
            continue;
        }
        std::error_code ec;
        const auto st = fs::status(p, ec);
        if (ec || !fs::exists(st)) {
            problems.push_back({p, 0, "no such file or folder"});
            continue;
        }
        if (fs::is_directory(st)) {
            std::vector<std::pair<std::string, std::uint64_t>> found;  // path, size
            fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
            for (; !ec && it != end; it.increment(ec)) {
                std::error_code e2;
                if (it->is_regular_file(e2)) {
                    const std::uint64_t size = it->file_size(e2);
                    found.emplace_back(it->path().string(), e2 ? 0 : size);
                } else if (it->is_directory(e2)) {
                    // walked (symbolic links to folders are not followed)
                } else if (it->is_symlink(e2) && !fs::exists(it->path(), e2)) {
                    problems.push_back({it->path().string(), 0, "skipped: broken symbolic link", true});
                } else {
                    // FIFOs, sockets, devices: reading one could block or never end.
                    problems.push_back({it->path().string(), 0, "skipped: not a regular file", true});
                }
            }
            if (ec) problems.push_back({p, 0, "cannot walk folder: " + ec.message()});
            std::sort(found.begin(), found.end());
            for (auto& [f, size] : found) {
                const Format fmt = folder_format(f);
                if (forced != Format::Auto) {
                    out.push_back({f, forced, size});
                } else if (fmt == Format::Auto) {
                    problems.push_back({f, 0, "skipped: unknown extension", true});
                } else {
                    out.push_back({f, fmt, size});
                }
            }
            continue;
        }
        Format fmt = forced != Format::Auto ? forced : format_from_path(p);
        if (fmt == Format::Auto) fmt = Format::Text;  // named directly: read as scraped text
        const auto size = fs::file_size(p, ec);
        out.push_back({p, fmt, ec ? 0 : static_cast<std::uint64_t>(size)});
    }
    return out;
}

namespace {

// Reads fd to its end, retrying interrupted reads. Returns errno, 0 on success.
int read_all(int fd, std::string& s, std::size_t expect) {
    if (expect) s.reserve(expect + 1);  // +1: the read that sees the end
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            s.append(buf, static_cast<std::size_t>(n));
            continue;
        }
        if (n == 0) return 0;
        if (errno == EINTR) continue;
        return errno;
    }
}

const char* kind_of(mode_t m) {
    if (S_ISDIR(m)) return "a folder";
    if (S_ISFIFO(m)) return "a FIFO (pipe)";
    if (S_ISSOCK(m)) return "a socket";
    if (S_ISCHR(m) || S_ISBLK(m)) return "a device";
    return "not a regular file";
}

// A regular file opened for reading, closed when it goes.
struct RegularFile {
    int fd = -1;
    std::uint64_t size = 0;
    explicit RegularFile(const std::string& path) {
        // O_NONBLOCK: a path that has become a FIFO since it was listed must not
        // block the indexer (and its lock) forever; it is refused just below.
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
            const int err = errno;
            if (err == ENOENT) throw InputError("cannot open: the file is gone (removed or renamed since it was listed)");
            throw InputError(std::string("cannot open: ") + std::strerror(err));
        }
        struct stat st {};
        if (::fstat(fd, &st) != 0) {
            const int err = errno;
            ::close(fd);
            throw InputError(std::string("cannot stat: ") + std::strerror(err));
        }
        if (!S_ISREG(st.st_mode)) {
            ::close(fd);
            throw InputError(std::string("not a regular file: ") + kind_of(st.st_mode) +
                             " (to index a pipe, give - and feed it on standard input)");
        }
        size = static_cast<std::uint64_t>(st.st_size);
    }
    RegularFile(const RegularFile&) = delete;
    RegularFile& operator=(const RegularFile&) = delete;
    ~RegularFile() { ::close(fd); }
};

} // namespace

std::string read_file(const std::string& path) {
    std::string s;
    if (path == "-") {
        if (const int err = read_all(STDIN_FILENO, s, 0))
            throw InputError(std::string("read error on standard input: ") + std::strerror(err));
        return s;
    }
    const RegularFile f(path);
    if (const int err = read_all(f.fd, s, static_cast<std::size_t>(f.size)))
        throw InputError(std::string("read error: ") + std::strerror(err));
    return s;
}

void read_blocks(const std::string& path, const std::function<void(std::string_view)>& block) {
    const RegularFile f(path);
    std::vector<char> buf(1 << 16);
    for (;;) {
        const ssize_t n = ::read(f.fd, buf.data(), buf.size());
        if (n > 0) {
            block(std::string_view(buf.data(), static_cast<std::size_t>(n)));
            continue;
        }
        if (n == 0) return;
        if (errno == EINTR) continue;
        throw InputError(std::string("read error: ") + std::strerror(errno));
    }
}

void split_documents(const InputFile& file, std::string&& bytes, const std::function<void(RawDoc&&)>& sink) {
    if (file.format != Format::Jsonl) {
        RawDoc d;
        d.path = file.path;
        d.format = file.format;
        d.bytes = std::move(bytes);
        sink(std::move(d));
        return;
    }
    std::size_t line = 0, b = 0;
    const std::string_view all(bytes);
    while (b < all.size()) {
        std::size_t e = all.find('\n', b);
        if (e == std::string_view::npos) e = all.size();
        jsonl_line(file.path, ++line, all.substr(b, e - b), sink);
        b = e + 1;
    }
}

void jsonl_line(const std::string& path, std::size_t line, std::string_view text,
                const std::function<void(RawDoc&&)>& sink) {
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) return;
    RawDoc d;
    d.path = path;
    d.line = line;
    d.format = Format::Jsonl;
    d.bytes = std::string(text);
    sink(std::move(d));
}

} // namespace cari
