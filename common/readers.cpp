#include "readers.h"

#include "cleaner.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
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
    std::string s = path;
    if (line) s += ":" + std::to_string(line);
    return (note ? "note: " : "") + s + ": " + message;
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
            std::vector<std::string> found;
            fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
            for (; !ec && it != end; it.increment(ec)) {
                std::error_code e2;
                if (it->is_regular_file(e2)) found.push_back(it->path().string());
            }
            if (ec) problems.push_back({p, 0, "cannot walk folder: " + ec.message()});
            std::sort(found.begin(), found.end());
            for (auto& f : found) {
                const Format fmt = folder_format(f);
                if (forced != Format::Auto) {
                    out.push_back({f, forced});
                } else if (fmt == Format::Auto) {
                    problems.push_back({f, 0, "skipped: unknown extension", true});
                } else {
                    out.push_back({f, fmt});
                }
            }
            continue;
        }
        Format fmt = forced != Format::Auto ? forced : format_from_path(p);
        if (fmt == Format::Auto) fmt = Format::Text;  // named directly: read as scraped text
        out.push_back({p, fmt});
    }
    return out;
}

std::string read_file(const std::string& path) {
    if (path == "-") {
        std::string s((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
        return s;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(std::string("cannot open: ") + std::strerror(errno));
    std::string s;
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    if (size > 0) {
        s.resize(static_cast<std::size_t>(size));
        in.seekg(0);
        in.read(s.data(), size);
        s.resize(static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) throw InputError(std::string("read error: ") + std::strerror(errno));
    return s;
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
        ++line;
        std::string_view l = all.substr(b, e - b);
        b = e + 1;
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
        RawDoc d;
        d.path = file.path;
        d.line = line;
        d.format = Format::Jsonl;
        d.bytes = std::string(l);
        sink(std::move(d));
    }
}

} // namespace cari
