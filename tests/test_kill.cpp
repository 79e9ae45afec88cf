// SIGKILL during `cari-index update` (issue 5): a batch job may be killed at
// any moment. After every kill the index must open, answer searches and hold
// every document it held before the killed run; a final update must complete
// to exactly what an uninterrupted build gives. Kills land both while
// documents are being added and while all of them are being replaced.
//
// A slice of ../shared/corpus/clickid keeps CI time reasonable:
// $CARI_KILL_LINES lines (default 3000) and $CARI_KILLS kills per phase
// (default 3). benchmarks/robustness/kill_test.py runs the whole corpus.
#include "test_util.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <set>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

using namespace cari::test;

namespace {

std::size_t env_or(const char* name, std::size_t dflt) {
    const char* v = std::getenv(name);
    return v && *v ? static_cast<std::size_t>(std::stoul(v)) : dflt;
}

// Starts a program with stdout and stderr to a file; returns its pid.
pid_t spawn(const std::vector<std::string>& argv, const std::string& log) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 ? pid : -1;
}

// Every document id (Q term) in the index.
std::set<std::string> ids_of(const std::string& db) {
    std::set<std::string> ids;
    Xapian::Database x(db);
    for (auto t = x.allterms_begin("Q"); t != x.allterms_end("Q"); ++t) ids.insert(*t);
    return ids;
}

std::vector<std::string> read_lines(const std::string& path, std::size_t n) {
    std::ifstream in(path, std::ios::binary);
    std::vector<std::string> lines;
    std::string l;
    while (lines.size() < n && std::getline(in, l)) lines.push_back(l);  // split on '\n' only
    return lines;
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
    std::ofstream out(path, std::ios::binary);
    for (const auto& l : lines) out << l << '\n';
}

// The same articles, every title changed: an update replaces every document.
std::vector<std::string> revised(std::vector<std::string> lines) {
    for (auto& l : lines)
        if (auto p = l.find("\"title\": \""); p != std::string::npos) l.insert(p + 10, "(Revisi) ");
    return lines;
}

struct KillOutcome {
    bool killed = false;       // false: the run ended before the kill
    double at_seconds = 0;
};

// Runs an update and SIGKILLs it after `delay` (unless it ends first).
KillOutcome update_and_kill(const std::string& db, const std::string& feed, double delay, const std::string& log) {
    const pid_t pid = spawn({bin("cari-index"), "update", "--quiet", "--batch", "100", "--db", db, feed}, log);
    EXPECT_GT(pid, 0);
    KillOutcome o;
    const auto t0 = std::chrono::steady_clock::now();
    const auto deadline = t0 + std::chrono::duration<double>(delay);
    int status = 0;
    for (;;) {
        if (::waitpid(pid, &status, WNOHANG) == pid) return o;  // finished first
        if (std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    o.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    o.at_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return o;
}

} // namespace

TEST(Kill, SigkillDuringUpdateNeverLosesADocument) {
    CARI_REQUIRE_SHARED(shared);
    const std::size_t n_lines = env_or("CARI_KILL_LINES", 3000);
    const std::size_t kills_per_phase = env_or("CARI_KILLS", 3);
    TempDir t;
    const auto lines = read_lines(shared + "/corpus/clickid/clickid_articles.jsonl", n_lines);
    ASSERT_EQ(lines.size(), n_lines);
    const std::string feed = t / "feed.jsonl";
    write_lines(feed, lines);

    // The reference: one uninterrupted build, timed to place the kills.
    const auto t0 = std::chrono::steady_clock::now();
    const auto ref_run = run(bin("cari-index") + " build --quiet --batch 100 --db " + quote(t / "ref") + " " + quote(feed));
    const double full_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_TRUE(ref_run.code == 0 || ref_run.code == 1) << ref_run.err;
    const std::set<std::string> ref_ids = ids_of(t / "ref");
    ASSERT_GT(ref_ids.size(), n_lines * 9 / 10);
    const Xapian::doccount ref_revisi = Xapian::Database(t / "ref").get_termfreq("Srevisi");  // 2019: "revisi UU KPK"

    std::mt19937 rng(std::random_device{}());
    const std::string db = t / "db";
    std::size_t kills = 0;
    for (int phase = 0; phase < 2; ++phase) {
        // Phase 0 adds the articles; phase 1 replaces every one of them.
        if (phase == 1) write_lines(feed, revised(lines));
        for (std::size_t k = 0; k < kills_per_phase; ++k) {
            std::set<std::string> before;
            if (std::filesystem::exists(db)) before = ids_of(db);
            std::uniform_real_distribution<double> when(0.02, std::max(0.1, full_seconds * 0.9));
            const double delay = when(rng);
            const auto o = update_and_kill(db, feed, delay, t / "run.log");
            SCOPED_TRACE("phase " + std::to_string(phase) + ", run " + std::to_string(k) + ", kill at " +
                         std::to_string(delay) + " s" + (o.killed ? "" : " (ended before the kill)"));
            kills += o.killed;
            // The index opens and holds every document it held before.
            std::set<std::string> after;
            ASSERT_NO_THROW(after = ids_of(db)) << slurp(t.path() / "run.log");
            EXPECT_GE(after.size(), before.size());
            std::vector<std::string> lost;
            std::set_difference(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(lost));
            EXPECT_TRUE(lost.empty()) << lost.size() << " documents lost, e.g. " << (lost.empty() ? "" : lost[0]);
            EXPECT_EQ(Xapian::Database(db).get_doccount(), after.size());
            // And it answers.
            const auto s = run(bin("cari-search") + " --json --db " + quote(db) + " jakarta");
            EXPECT_TRUE(s.code == 0 || (s.code == 1 && after.empty())) << s.err;
        }
        // A run left alone completes to exactly the reference.
        const auto fin = run(bin("cari-index") + " update --quiet --db " + quote(db) + " " + quote(feed));
        EXPECT_EQ(fin.code, ref_run.code) << fin.err;
        EXPECT_EQ(ids_of(db), ref_ids);
        EXPECT_EQ(Xapian::Database(db).get_doccount(), ref_ids.size());
        // And the content: after phase 1 every title is the revised one ("Srevisi" is
        // the title term of "(Revisi)"), after phase 0 only the reference's own are. A line skipped by a
        // run that then recorded its file as done would keep its old title for good.
        EXPECT_EQ(Xapian::Database(db).get_termfreq("Srevisi"), phase == 1 ? ref_ids.size() : ref_revisi) << fin.err;
    }
    const auto s = run(bin("cari-search") + " --json --db " + quote(db) + " 'title:revisi'");
    EXPECT_EQ(s.code, 0) << s.err;
    // The kills really happened mid-run (an unlucky draw may end a run first).
    EXPECT_GE(kills, kills_per_phase);
    std::cout << "[ NOTE     ] " << kills << " of " << 2 * kills_per_phase << " runs killed; " << ref_ids.size()
              << " documents; an uninterrupted build took " << full_seconds << " s\n";
}

// Searches while an update commits batch after batch: every one answers.
TEST(Kill, SearchesDuringAnUpdateAllAnswer) {
    CARI_REQUIRE_SHARED(shared);
    TempDir t;
    const auto lines = read_lines(shared + "/corpus/clickid/clickid_articles.jsonl", env_or("CARI_KILL_LINES", 3000));
    std::vector<std::string> first(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(lines.size() / 3));
    write_lines(t / "first.jsonl", first);
    write_lines(t / "all.jsonl", lines);
    const std::string db = t / "db";
    ASSERT_LE(run(bin("cari-index") + " build --quiet --db " + quote(db) + " " + quote(t / "first.jsonl")).code, 1);
    const pid_t pid = spawn({bin("cari-index"), "update", "--quiet", "--batch", "50", "--db", db, t / "all.jsonl"},
                            t / "update.log");
    ASSERT_GT(pid, 0);
    std::size_t searches = 0, failures = 0;
    std::string first_failure;
    int status = 0;
    // Queries every state of the index answers with hits (exit 0); exit 1 (no
    // hits) would mean the reader saw an empty index, exit 2 an error.
    const char* queries[] = {"jakarta", "indonesia tahun", "\"di jakarta\"", "presiden NEAR/20 indonesia", "indo*"};
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        const auto r = run(bin("cari-search") + " --json --limit 5 --db " + quote(db) + " " + quote(queries[searches % 5]));
        ++searches;
        if (r.code != 0) {
            ++failures;
            if (first_failure.empty()) first_failure = "exit " + std::to_string(r.code) + ": " + r.err;
        }
    }
    ASSERT_TRUE(WIFEXITED(status)) << slurp(t.path() / "update.log");
    EXPECT_LE(WEXITSTATUS(status), 1) << slurp(t.path() / "update.log");
    EXPECT_GE(searches, 3u);
    EXPECT_EQ(failures, 0u) << first_failure;
    std::cout << "[ NOTE     ] " << searches << " searches during the update, " << failures << " failed\n";
}
