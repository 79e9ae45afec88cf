// Helpers shared by the test programs: temporary folders, running the
// programs, finding ../shared.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <sys/wait.h>

namespace cari::test {

namespace fs = std::filesystem;

// A fresh folder under the system temp dir, removed at the end of the test.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = fs::temp_directory_path() / ("cari-test-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    [[nodiscard]] const fs::path& path() const { return path_; }
    [[nodiscard]] std::string operator/(const std::string& name) const { return (path_ / name).string(); }
    void write(const std::string& name, const std::string& content) const {
        fs::create_directories((path_ / name).parent_path());
        std::ofstream(path_ / name, std::ios::binary) << content;
    }

private:
    fs::path path_;
};

struct RunResult {
    int code = -1;
    std::string out;   // stdout
    std::string err;   // stderr
};

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::string quote(const std::string& s) {
    std::string o = "'";
    for (char c : s) {
        if (c == '\'') o += "'\\''";
        else o += c;
    }
    return o + "'";
}

// Runs a bash command line, capturing stdout and stderr separately.
inline RunResult run(const std::string& cmd) {
    TempDir tmp;
    const std::string full = "bash -c " + quote(cmd) + " >" + (tmp / "out") + " 2>" + (tmp / "err") + " </dev/null";
    const int st = std::system(full.c_str());
    RunResult r;
    r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.out = slurp(tmp.path() / "out");
    r.err = slurp(tmp.path() / "err");
    return r;
}

inline std::string bin(const std::string& program) { return std::string(CARI_BIN_DIR) + "/" + program; }
inline std::string source_dir() { return CARI_SOURCE_DIR; }

// ../shared, or $CARI_SHARED; empty when it is not there.
inline std::string shared_dir() {
    const char* env = std::getenv("CARI_SHARED");
    const fs::path p = env && *env ? fs::path(env) : fs::path(CARI_SOURCE_DIR) / ".." / "shared";
    return fs::exists(p / "README.md") ? fs::canonical(p).string() : std::string();
}

#define CARI_REQUIRE_SHARED(dir)                                                                              \
    const std::string dir = ::cari::test::shared_dir();                                                       \
    if (dir.empty())                                                                                          \
        GTEST_SKIP() << "shared data not found: set CARI_SHARED or put it at " CARI_SOURCE_DIR "/../shared"

// A scraped page as the indexer reads it: a menu line, the title, the body
// and an advertisement line, one block a line.
inline std::string article_txt(const std::string& title, const std::string& body) {
    return "Menu Nasional Internasional Ekonomi\n\n" + title + "\n\n" + body + "\n\nAdvertisement\n";
}

// Two article bodies about a flood, for tests that index scraped pages.
inline const std::string kBody1 =
    "Pemerintah provinsi menetapkan status tanggap darurat setelah banjir merendam ribuan rumah warga di "
    "sepanjang bantaran sungai pada Senin malam, kata kepala badan penanggulangan bencana daerah.";
inline const std::string kBody2 =
    "Tim gabungan mengevakuasi warga lanjut usia dan anak-anak ke posko pengungsian yang didirikan di "
    "halaman kantor kecamatan, sementara dapur umum mulai beroperasi sejak Selasa pagi.";

} // namespace cari::test
