// Progress of a build or update: the line a terminal shows, what the indexer
// reports while it runs, and cari-index drawing it only on a terminal.
#include "index.h"
#include "progress.h"
#include "test_util.h"

#include <cerrno>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <vector>

using namespace cari;
using namespace cari::test;

TEST(Progress, HumanDurations) {
    const struct {
        double seconds;
        const char* want;
    } cases[] = {
        {0, "0 s"},         {-3, "0 s"},           {0.2, "1 s"},           {7, "7 s"},
        {59.5, "1 min 00 s"},    {60, "1 min 00 s"},    {185, "3 min 05 s"},    {3599, "59 min 59 s"},
        {3600, "1 h 00 min"}, {3840, "1 h 04 min"}, {90000, "25 h 00 min"},
    };
    for (const auto& c : cases) EXPECT_EQ(human_duration(c.seconds), c.want) << c.seconds;
}

TEST(Progress, LineShowsShareRateAndEta) {
    using P = Progress::Phase;
    const struct {
        Progress p;
        double seconds;
        const char* want;
    } cases[] = {
        // A quarter of 40 MB in 2 s: 5 MB/s, 30 MB to go.
        {{1000, 10'000'000, 40'000'000}, 2.0, "1000 documents, 10.0 of 40.0 MB (25%), 5.0 MB/s, 500 docs/s, ETA 6 s"},
        {{250, 1'000'000, 600'000'000}, 1.0, "250 documents, 1.0 of 600.0 MB (0%), 1.0 MB/s, 250 docs/s, ETA 9 min 59 s"},
        // Under a second: no guess yet.
        {{10, 100'000, 40'000'000}, 0.5, "10 documents, 0.1 of 40.0 MB (0%), 0.2 MB/s, 20 docs/s"},
        // Nothing read yet: no rate, no guess.
        {{0, 0, 40'000'000}, 0.0, "0 documents, 0.0 of 40.0 MB (0%)"},
        // Done, or the files grew since they were listed: no ETA, never over 100%.
        {{21940, 44'500'000, 44'500'000}, 8.0, "21940 documents, 44.5 of 44.5 MB (100%), 5.6 MB/s, 2742 docs/s"},
        {{5, 2'000'000, 1'000'000}, 2.0, "5 documents, 2.0 of 1.0 MB (100%), 1.0 MB/s, 2 docs/s"},
        // Standard input: the total is unknown.
        {{300, 3'000'000, 0}, 3.0, "300 documents, 3.0 MB, 1.0 MB/s, 100 docs/s"},
        {{21940, 44'500'000, 44'500'000, P::Merging, 2}, 8.0, "21940 documents, 44.5 MB, merging 2 parts"},
        {{3, 1000, 1000, P::Merging, 1}, 1.0, "3 documents, 0.0 MB, merging 1 part"},
    };
    for (const auto& c : cases) EXPECT_EQ(progress_line(c.p, c.seconds), c.want);
}

namespace {

// Input of n short articles as JSON Lines, and its size in bytes.
std::string feed(int n) {
    std::string s;
    for (int i = 0; i < n; ++i)
        s += R"({"id": "a)" + std::to_string(i) + R"(", "title": "Banjir di kota )" + std::to_string(i) +
             R"(", "text": ")" + kBody1 + " " + kBody2 + "\"}\n\n";
    return s;
}

std::vector<Progress> index_recording(const std::vector<std::string>& paths, IndexOptions o) {
    std::vector<Progress> seen;
    (void)index_paths(paths, o, {}, [&](const Progress& p) { seen.push_back(p); });
    return seen;
}

// Bytes never go back, and the last report is the whole input with every document.
void expect_complete(const std::vector<Progress>& seen, std::uint64_t total, std::size_t docs) {
    ASSERT_FALSE(seen.empty());
    for (std::size_t i = 1; i < seen.size(); ++i) {
        EXPECT_GE(seen[i].bytes, seen[i - 1].bytes) << i;
        EXPECT_EQ(seen[i].total, total) << i;
    }
    EXPECT_EQ(seen.back().phase, Progress::Phase::Indexing);
    EXPECT_EQ(seen.back().bytes, total);
    EXPECT_EQ(seen.back().documents, docs);
}

} // namespace

TEST(Progress, BuildReportsTheWholeInputAndItsMerge) {
    TempDir t;
    const std::string a = feed(300), b = feed(40);
    t.write("in/a.jsonl", a);
    t.write("in/b.jsonl", b.substr(0, b.size() / 2));  // cut inside a line: one malformed line
    t.write("in/c.txt", article_txt("Banjir bandang", kBody1));
    const std::uint64_t total = a.size() + b.size() / 2 + fs::file_size(t.path() / "in/c.txt");
    IndexOptions o;
    o.db = t / "db";
    o.create = true;
    o.parts = 4;  // the feed is cut into pieces, written in parallel and merged
    const auto seen = index_recording({t / "in"}, o);
    expect_complete(seen, total, 300 + 20 + 1);
    bool merging = false;
    for (const auto& p : seen) merging |= p.phase == Progress::Phase::Merging && p.parts >= 2;
    EXPECT_TRUE(merging);
}

TEST(Progress, UpdateCountsUnchangedFilesAsDone) {
    TempDir t;
    const std::string a = feed(120);
    t.write("in/a.jsonl", a);
    t.write("in/c.txt", article_txt("Banjir bandang", kBody1));
    const std::uint64_t total = a.size() + fs::file_size(t.path() / "in/c.txt");
    IndexOptions o;
    o.db = t / "db";
    expect_complete(index_recording({t / "in"}, o), total, 121);
    // Nothing changed: every byte is done without being indexed again.
    expect_complete(index_recording({t / "in"}, o), total, 121);
}

namespace {

// Runs a command under a pseudo-terminal: what it wrote there (stdout and
// stderr together) and its exit code.
RunResult run_on_terminal(const std::string& cmd) {
    RunResult r;
    int master = -1;
    const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
    if (pid < 0) {
        r.err = std::string("forkpty: ") + std::strerror(errno);
        return r;
    }
    if (pid == 0) {
        ::setenv("TERM", "xterm", 1);
        ::execl("/bin/bash", "bash", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    char buf[4096];
    while (true) {
        pollfd pfd{master, POLLIN, 0};
        if (::poll(&pfd, 1, 60'000) <= 0) break;  // a minute of silence: give up
        const ssize_t n = ::read(master, buf, sizeof buf);
        if (n <= 0) break;  // EIO once the child has closed the terminal
        r.out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(master);
    int st = 0;
    ::waitpid(pid, &st, 0);
    r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

} // namespace

TEST(ProgressEndToEnd, DrawnOnATerminalOnly) {
    TempDir t;
    t.write("feed.jsonl", feed(400));
    const std::string cd = "cd " + quote(t.path().string()) + " && ";
    const auto tty = run_on_terminal(cd + bin("cari-index") + " build --db db feed.jsonl");
    ASSERT_EQ(tty.code, 0) << tty.out;
    // The line is drawn in place and cleared before the summary.
    EXPECT_NE(tty.out.find("\r\x1b[K"), std::string::npos) << tty.out;
    EXPECT_NE(tty.out.find(" documents, "), std::string::npos) << tty.out;
    EXPECT_NE(tty.out.find(" MB ("), std::string::npos) << tty.out;  // "x of y MB (z%)"
    EXPECT_NE(tty.out.find("\r\x1b[Kcari-index: added 400,"), std::string::npos) << tty.out;

    const auto quiet = run_on_terminal(cd + bin("cari-index") + " build --quiet --db db feed.jsonl");
    ASSERT_EQ(quiet.code, 0) << quiet.out;
    EXPECT_EQ(quiet.out, "");

    // stderr to a file: the summary only.
    const auto piped = run(cd + bin("cari-index") + " update --db db feed.jsonl");
    ASSERT_EQ(piped.code, 0) << piped.err;
    EXPECT_EQ(piped.err.find('\r'), std::string::npos) << piped.err;
    EXPECT_EQ(piped.err.rfind("cari-index: added 0, replaced 0, unchanged 400,", 0), 0u) << piped.err;
}

TEST(ProgressEndToEnd, StandardInputHasNoTotal) {
    std::vector<InputProblem> problems;
    const auto files = list_inputs({"-"}, Format::Auto, problems);
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].size, 0u);

    TempDir t;
    t.write("feed.jsonl", feed(50));
    const auto tty = run_on_terminal("cd " + quote(t.path().string()) + " && " + bin("cari-index") +
                                     " build --db db - < feed.jsonl");
    ASSERT_EQ(tty.code, 0) << tty.out;
    EXPECT_NE(tty.out.find(" documents, "), std::string::npos) << tty.out;
    EXPECT_EQ(tty.out.find(" MB ("), std::string::npos) << tty.out;  // no share of an unknown total
    EXPECT_EQ(tty.out.find("ETA"), std::string::npos) << tty.out;
}
