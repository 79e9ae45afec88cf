// Robustness of the programs as a batch job runs them (issue 5): bad input is
// named and skipped while the rest of the batch goes on; files that vanish or
// turn into pipes mid-run; a full disk; a second writer; queries that try to
// make the searcher work without bound. Everything runs the real programs.
#include "analyzer.h"
#include "json.h"
#include "query.h"
#include "readers.h"
#include "test_util.h"

#include <xapian.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <sstream>
#include <sys/mount.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cari::test;

namespace {

const std::string kBody3 =
    "Petani kopi di lereng gunung memanen lebih awal karena musim kemarau yang panjang membuat buah cepat "
    "matang, sementara harga di tingkat pengepul justru turun dibanding tahun lalu.";

std::string feed_line(const std::string& id, const std::string& title, const std::string& body) {
    return "{\"id\":\"" + id + "\",\"title\":\"" + title + "\",\"text\":\"" + body + "\"}";
}

std::size_t doc_count(const std::string& db) { return Xapian::Database(db).get_doccount(); }

bool has_id(const std::string& db, const std::string& id) {
    return Xapian::Database(db).term_exists("Q" + id);
}

RunResult update(const std::string& db, const std::string& args) {
    return run(bin("cari-index") + " update --db " + quote(db) + " " + args);
}

// The stderr line that names path (and line, when given), or "" when none does.
std::string line_naming(const std::string& err, const std::string& path, std::size_t line = 0) {
    const std::string want = "cari-index: " + path + (line ? ":" + std::to_string(line) : "") + ": ";
    std::istringstream in(err);
    std::string l;
    while (std::getline(in, l))
        if (l.rfind(want, 0) == 0) return l;
    return "";
}

std::vector<cari::json::Value> search_json(const std::string& db, const std::string& query) {
    const auto r = run(bin("cari-search") + " --json --no-collapse --db " + quote(db) + " " + quote(query));
    EXPECT_TRUE(r.code == 0 || r.code == 1) << query << "\n" << r.err;
    std::vector<cari::json::Value> v;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) v.push_back(cari::json::parse(line));
    return v;
}

std::size_t hits_for(const std::string& db, const std::string& query) {
    const auto v = search_json(db, query);
    if (v.size() != 1 || !v[0].find("hits")) return 0;
    return v[0].find("hits")->arr.size();
}

std::string binary_bytes(std::size_t n, unsigned seed) {
    std::string s = "\x89PNG\r\n\x1a\n";
    std::minstd_rand rng(seed);
    while (s.size() < n) s.push_back(static_cast<char>(rng() & 0xff));
    return s;
}

// The exit status of a shell command line, and whether it died of a signal.
bool died_of_signal(const RunResult& r) { return r.code < 0 || r.code >= 128; }

// True when some process holds a write lock on the index's flintlock (asked
// with F_GETLK, which takes no lock itself and sees OFD locks too).
bool index_locked(const std::string& db) {
    const int fd = ::open((db + "/flintlock").c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return false;
    struct flock fl {};
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    const bool locked = ::fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    ::close(fd);
    return locked;
}

} // namespace

TEST(RobustInput, EveryBadFileIsNamedAndTheRestOfTheBatchIsIndexed) {
    TempDir t;
    t.write("in/a-good.txt", article_txt("Banjir merendam ribuan rumah warga", kBody1));
    t.write("in/b-empty.txt", "");
    t.write("in/c-blank.txt", "  \n\r\n\t\n");
    t.write("in/d-binary.txt", binary_bytes(8192, 1));
    t.write("in/e-elf.html", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16) + binary_bytes(4096, 2));
    t.write("in/f-feed.jsonl", feed_line("f1", "Satu", kBody2) + "\n" +
                                   "{\"id\": \"f2\", \"title\": broken\n" +            // line 2: malformed
                                   "\n" +                                             // line 3: blank, ignored
                                   "[\"not\", \"an\", \"object\"]\n" +               // line 4
                                   feed_line("f5", "Lima", kBody3) + "\n" +
                                   "{\"id\":\"f6\",\"title\":\"Terpotong\",\"text\":\"" + kBody1.substr(0, 40));  // 6: cut off
    t.write("in/g-good.txt", article_txt("Petani kopi memanen lebih awal", kBody3));
    const std::string db = t / "db";
    const auto r = update(db, quote(t / "in"));
    ASSERT_FALSE(died_of_signal(r)) << r.err;
    EXPECT_EQ(r.code, 1) << r.err;  // something was skipped
    for (const char* f : {"b-empty.txt", "c-blank.txt", "d-binary.txt", "e-elf.html"})
        EXPECT_NE(line_naming(r.err, t / ("in/" + std::string(f))), "") << f << " not named in:\n" << r.err;
    for (std::size_t line : {2u, 4u, 6u})
        EXPECT_NE(line_naming(r.err, t / "in/f-feed.jsonl", line), "") << "line " << line << " not named in:\n" << r.err;
    EXPECT_EQ(line_naming(r.err, t / "in/f-feed.jsonl", 1), "") << r.err;
    EXPECT_NE(r.err.find("skipped 7"), std::string::npos) << r.err;
    EXPECT_EQ(doc_count(db), 4u);  // a-good, g-good, f1, f5
    for (const char* id : {"f1", "f5"}) EXPECT_TRUE(has_id(db, id)) << id;
    EXPECT_EQ(hits_for(db, "kopi"), 2u);
    EXPECT_GE(hits_for(db, "banjir"), 1u);
}

// A whole article saved as Windows-1252 / Latin-1 by a scraper.
std::string latin1_article() {
    return article_txt("Kafe \x93tradisional\x94 di Bandung \x96 ramai pengunjung",
                       "Pengunjung kafe menikmati kopi tubruk dan pisang goreng, caf\xe9 ini buka sejak "
                       "pagi hingga malam dengan harga terjangkau bagi mahasiswa di sekitar kampus.");
}

TEST(RobustInput, InvalidUtf8AndLatin1TextAreIndexedNotLost) {
    TempDir t;
    // Stray bytes and truncated sequences inside otherwise good UTF-8.
    t.write("in/bad-utf8.txt", article_txt("Judul \xff\xfe rusak tentang banjir", kBody1 + " Banjir \xc3 bandang \xe2\x82 datang \xed\xa0\x80 lagi."));
    t.write("in/latin1.txt", latin1_article());
    const std::string db = t / "db";
    const auto r = update(db, quote(t / "in"));
    ASSERT_FALSE(died_of_signal(r)) << r.err;
    EXPECT_EQ(doc_count(db), 2u) << r.err;
    EXPECT_EQ(hits_for(db, "bandang"), 1u);
    EXPECT_EQ(hits_for(db, "tubruk"), 1u);
    // What is stored is valid UTF-8 whatever came in: JSON output parses, the
    // snippet carries no raw Latin-1 byte.
    const auto v = search_json(db, "tubruk");
    ASSERT_EQ(v.size(), 1u);
    const std::string snippet = v[0].find("hits")->arr.at(0).find("snippet")->text();
    EXPECT_NE(snippet.find("tubruk"), std::string::npos) << snippet;
}

// Repairing bad bytes keeps the article, but silently losing characters is not
// telling the user: invalid UTF-8 must be named (a note will do), and text in
// another encoding (Windows-1252 / Latin-1, common from old scrapers) must be
// decoded or named.
TEST(RobustInput, InvalidUtf8AndOtherEncodingsAreNamedOrDecoded) {
    TempDir t;
    t.write("in/bad-utf8.txt", article_txt("Judul rusak tentang banjir", kBody1 + " Banjir \xc3 bandang \xe2\x82 datang lagi."));
    t.write("in/latin1.txt", latin1_article());
    const std::string db = t / "db";
    const auto r = update(db, quote(t / "in"));
    ASSERT_FALSE(died_of_signal(r)) << r.err;
    auto named = [&](const std::string& path) {
        return !line_naming(r.err, path).empty() || !line_naming(r.err, "note: " + path).empty();
    };
    EXPECT_TRUE(named(t / "in/bad-utf8.txt")) << "invalid UTF-8 replaced without a word:\n" << r.err;
    const bool decoded = hits_for(db, "caf\xc3\xa9") == 1;  // "café" as UTF-8
    EXPECT_TRUE(decoded || named(t / "in/latin1.txt")) << "Latin-1 text neither decoded nor named:\n" << r.err;
}

TEST(RobustInput, DeeplyNestedHtmlIsBoundedAndDoesNotCrash) {
    TempDir t;
    std::string page = "<html><head><title>Halaman bersarang</title></head><body><p>" + kBody1 + "</p>";
    page.reserve(200000 * 11 + 1000);
    for (int i = 0; i < 200000; ++i) page += "<div>";
    page += "<p>" + kBody2 + "</p>";
    for (int i = 0; i < 200000; ++i) page += "</div>";
    page += "</body></html>";
    t.write("in/nested.html", page);
    std::string bold = "<html><body><p>" + kBody3 + "</p>";
    for (int i = 0; i < 200000; ++i) bold += "<b>";
    bold += "kata";
    t.write("in/unclosed.html", bold);
    t.write("in/good.txt", article_txt("Banjir merendam ribuan rumah warga", kBody1));
    const std::string db = t / "db";
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = update(db, quote(t / "in"));
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_FALSE(died_of_signal(r)) << "exit " << r.code << "\n" << r.err;
    EXPECT_LT(s, 60.0);
    // Each page is either indexed or named as skipped: never silently lost.
    const std::size_t n = doc_count(db);
    const std::size_t named = !line_naming(r.err, t / "in/nested.html").empty() + !line_naming(r.err, t / "in/unclosed.html").empty();
    EXPECT_EQ(n + named, 3u) << r.err;
    EXPECT_EQ(r.code, named ? 1 : 0) << r.err;
    EXPECT_GE(hits_for(db, "kemarau"), 1u);  // the top paragraph of unclosed.html
}

TEST(RobustInput, FiftyMegabyteSingleLine) {
    TempDir t;
    // One line of 50 MB: in a text file and as one JSON Lines record.
    std::string words;
    words.reserve(50u << 20);
    std::minstd_rand rng(7);
    const char* vocab[] = {"banjir", "rumah", "warga", "sungai", "posko", "dapur", "umum", "kecamatan", "evakuasi",
                           "bencana", "daerah", "provinsi", "hujan", "deras", "jembatan", "putus"};
    std::size_t k = 0;
    while (words.size() < (50u << 20)) {
        words += vocab[rng() % 16];
        words += (++k % 1000 == 0) ? "x" + std::to_string(k) + " " : " ";
    }
    t.write("in/huge.txt", words);
    t.write("in/huge.jsonl", "{\"id\":\"huge\",\"title\":\"Baris raksasa\",\"text\":\"" + words + "\"}\n" +
                                 feed_line("small", "Kecil", kBody3) + "\n");
    t.write("in/good.txt", article_txt("Warga mengungsi ke posko kecamatan", kBody2));
    words.clear();
    words.shrink_to_fit();
    const std::string db = t / "db";
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = update(db, "--jobs 2 " + quote(t / "in"));
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_FALSE(died_of_signal(r)) << "exit " << r.code << "\n" << r.err;
    EXPECT_LT(s, 300.0);
    const std::size_t n = doc_count(db);
    const std::size_t named = !line_naming(r.err, t / "in/huge.txt").empty() + !line_naming(r.err, t / "in/huge.jsonl", 1).empty();
    EXPECT_EQ(n + named, 4u) << r.err;
    EXPECT_TRUE(has_id(db, "small"));
    EXPECT_GE(hits_for(db, "kemarau"), 1u);
    EXPECT_GE(hits_for(db, "pengungsian"), 1u);
}

// A pipe in a folder, or a path that turns into one, must never block the
// indexer (which holds the index lock) nor be silently dropped.
TEST(RobustInput, FifosAreRefusedNotWaitedOn) {
    TempDir t;
    t.write("in/good.txt", article_txt("Banjir merendam ribuan rumah warga", kBody1));
    ASSERT_EQ(::mkfifo((t / "in/pipe.txt").c_str(), 0644), 0);
    ASSERT_EQ(::mkfifo((t / "named.jsonl").c_str(), 0644), 0);
    const std::string db = t / "db";
    const auto r = run("timeout -s KILL 60 " + bin("cari-index") + " update --db " + quote(db) + " " + quote(t / "in") +
                       " " + quote(t / "named.jsonl"));
    ASSERT_NE(r.code, 137) << "the indexer blocked on a FIFO";
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_NE(line_naming(r.err, "note: " + (t / "in/pipe.txt")).size() + line_naming(r.err, t / "in/pipe.txt").size(), 0u)
        << r.err;
    const std::string named = line_naming(r.err, t / "named.jsonl");
    EXPECT_NE(named.find("not a regular file"), std::string::npos) << r.err;
    EXPECT_EQ(doc_count(db), 1u);
}

// Files listed when the run began, then removed, replaced by a FIFO or made
// unreadable before the indexer reaches them. Standard input goes first and
// holds the producer until the files have been changed, so the order is sure.
TEST(RobustInput, FilesThatVanishOrChangeMidRunAreNamed) {
    TempDir t;
    t.write("in/a.txt", article_txt("Banjir merendam ribuan rumah warga", kBody1));
    t.write("in/b-vanishes.txt", article_txt("Warga mengungsi ke posko kecamatan", kBody2));
    t.write("in/c-becomes-fifo.txt", article_txt("Petani kopi memanen lebih awal", kBody3));
    t.write("in/d-unreadable.txt", article_txt("Harga beras naik menjelang hari raya",
                                               "Pedagang pasar mengeluhkan pasokan beras yang berkurang sejak awal bulan, "
                                               "sementara pembeli mulai mengurangi belanja harian mereka di pasar tradisional."));
    t.write("in/e.txt", article_txt("Jembatan putus diterjang arus sungai", kBody2 + " Jembatan gantung putus."));
    const std::string db = t / "db";
    const bool root = ::geteuid() == 0;
    // The index folder is new, so its flintlock appears when the writer opens
    // it, after the inputs were listed and before standard input is read.
    const std::string script =
        "( for i in $(seq 600); do [ -e " + quote(db + "/flintlock") + " ] && break; sleep 0.05; done; "
        "rm " + quote(t / "in/b-vanishes.txt") + "; "
        "rm " + quote(t / "in/c-becomes-fifo.txt") + " && mkfifo " + quote(t / "in/c-becomes-fifo.txt") + "; "
        "chmod 000 " + quote(t / "in/d-unreadable.txt") + "; "
        "echo " + quote(feed_line("stdin1", "Dari pipa", kBody3)) + " ) | "
        "timeout -s KILL 60 " + bin("cari-index") + " update --db " + quote(db) + " - " + quote(t / "in");
    const auto r = run(script);
    ASSERT_NE(r.code, 137) << "the indexer blocked";
    EXPECT_EQ(r.code, 1) << r.err;
    const std::string gone = line_naming(r.err, t / "in/b-vanishes.txt");
    EXPECT_NE(gone.find("gone"), std::string::npos) << r.err;
    EXPECT_NE(line_naming(r.err, t / "in/c-becomes-fifo.txt").find("not a regular file"), std::string::npos) << r.err;
    EXPECT_TRUE(has_id(db, "stdin1"));
    if (root) {
        // root reads a mode-000 file anyway: it is indexed, nothing to name.
        EXPECT_EQ(line_naming(r.err, t / "in/d-unreadable.txt"), "") << r.err;
        EXPECT_EQ(doc_count(db), 4u) << r.err;
    } else {
        EXPECT_NE(line_naming(r.err, t / "in/d-unreadable.txt").find("Permission denied"), std::string::npos) << r.err;
        EXPECT_EQ(doc_count(db), 3u) << r.err;
    }
    ::chmod((t / "in/d-unreadable.txt").c_str(), 0644);
    if (root) std::cout << "[ NOTE     ] running as root: mode 000 does not stop root reading, checked as readable\n";
}

// A real read error (EIO), which root cannot bypass: offset 0 of a process's
// own memory file is unmapped.
TEST(RobustInput, ReadErrorsAreInputErrors) {
    try {
        (void)cari::read_file("/proc/self/mem");
        FAIL() << "no error reading /proc/self/mem";
    } catch (const cari::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("read error"), std::string::npos) << e.what();
    }
    TempDir t;
    try {
        (void)cari::read_file(t.path().string());
        FAIL() << "a folder was read as a file";
    } catch (const cari::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("folder"), std::string::npos) << e.what();
    }
    t.write("x.txt", "isi");
    std::filesystem::remove(t / "x.txt");
    EXPECT_THROW((void)cari::read_file(t / "x.txt"), cari::InputError);
}

namespace {

// A filesystem of `kb` KiB for the index: a tmpfs mount when we may mount one
// (root), else nothing (the caller falls back to RLIMIT_FSIZE).
class SmallDisk {
public:
    SmallDisk(const TempDir& t, std::size_t kb) : path_(t / "disk") {
        std::filesystem::create_directories(path_);
        const std::string opts = "size=" + std::to_string(kb) + "k";
        mounted_ = ::mount("tmpfs", path_.c_str(), "tmpfs", 0, opts.c_str()) == 0;
    }
    ~SmallDisk() {
        if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
    }
    [[nodiscard]] bool mounted() const { return mounted_; }
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::string path_;
    bool mounted_ = false;
};

std::string many_articles(int from, int to) {
    std::string s;
    for (int i = from; i < to; ++i)
        s += feed_line("n" + std::to_string(i), "Berita nomor " + std::to_string(i),
                       kBody1 + " Nomor " + std::to_string(i) + " " + kBody2 + " " + kBody3) + "\n";
    return s;
}

} // namespace

TEST(RobustDisk, FullDiskIsAClearErrorAndTheIndexStaysAtItsLastCommit) {
    TempDir t;
    t.write("first.jsonl", many_articles(0, 50));
    t.write("more.jsonl", many_articles(50, 20000));
    SmallDisk disk(t, 3 * 1024);
    std::string db, limit;
    if (disk.mounted()) {
        db = disk.path() + "/db";
    } else {
        // No tmpfs: a file size limit (EFBIG rather than ENOSPC, same path in Xapian).
        db = t / "db";
        limit = "trap '' XFSZ; ulimit -f 3072; ";
        std::cout << "[ NOTE     ] cannot mount a tmpfs: simulating a full disk with ulimit -f\n";
    }
    auto r = run(limit + bin("cari-index") + " update --db " + quote(db) + " " + quote(t / "first.jsonl"));
    ASSERT_EQ(r.code, 0) << r.err;
    ASSERT_EQ(doc_count(db), 50u);
    r = run(limit + bin("cari-index") + " update --batch 100 --db " + quote(db) + " " + quote(t / "more.jsonl"));
    ASSERT_FALSE(died_of_signal(r)) << "exit " << r.code << "\n" << r.err;
    EXPECT_EQ(r.code, 2) << r.err;
    if (disk.mounted()) {
        EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
    } else {
        EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;
    }
    EXPECT_LT(std::count(r.err.begin(), r.err.end(), '\n'), 5) << "not one clear error:\n" << r.err;
    // The index opens, holds what it held, and answers.
    std::size_t n = 0;
    ASSERT_NO_THROW(n = doc_count(db));
    EXPECT_GE(n, 50u);
    EXPECT_LT(n, 19950u);  // the disk really filled before the end
    for (const char* id : {"n0", "n25", "n49"}) EXPECT_TRUE(has_id(db, id)) << id;
    EXPECT_GE(hits_for(db, "kemarau"), 1u);
    // Every document the index reports is readable.
    Xapian::Database x(db);
    for (Xapian::PostingIterator p = x.postlist_begin(""); p != x.postlist_end(""); ++p)
        ASSERT_NO_THROW((void)x.get_document(*p).get_data());
}

TEST(RobustConcurrency, SecondWriterIsRefusedWithTheLockNamedAndSearchesGoOn) {
    TempDir t;
    t.write("a.txt", article_txt("Banjir merendam ribuan rumah warga", kBody1));
    const std::string db = t / "db";
    ASSERT_EQ(update(db, quote(t / "a.txt")).code, 0);
    // The first writer reads standard input, so it holds the lock until we end it.
    const std::string fifo = t / "stdin.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string first = bin("cari-index") + " update --db " + quote(db) + " - <" + quote(fifo) + " >" +
                              quote(t / "first.err") + " 2>&1 & echo $!";
    const auto started = run(first);
    ASSERT_EQ(started.code, 0);
    // Open the FIFO for writing (this unblocks the first writer's open of stdin).
    std::FILE* w = std::fopen(fifo.c_str(), "w");
    ASSERT_NE(w, nullptr);
    // Once the first writer holds the lock, a second one is refused.
    bool locked = false;
    for (int i = 0; i < 600 && !(locked = index_locked(db)); ++i) ::usleep(50000);
    ASSERT_TRUE(locked) << "the first writer never took the lock: " << slurp(t.path() / "first.err");
    const RunResult second = update(db, quote(t / "a.txt"));
    EXPECT_EQ(second.code, 2) << second.err;
    EXPECT_NE(second.err.find("is locked by another writer (" + db + "/flintlock)"), std::string::npos) << second.err;
    // Readers are not blocked by the writer.
    EXPECT_EQ(hits_for(db, "banjir"), 1u);
    std::fputs((feed_line("p1", "Dari pipa", kBody3) + "\n").c_str(), w);
    std::fclose(w);
    // The first writer finishes normally.
    const pid_t pid = std::stoi(started.out);
    for (int i = 0; i < 600 && ::kill(pid, 0) == 0; ++i) ::usleep(50000);
    EXPECT_TRUE(has_id(db, "p1")) << slurp(t.path() / "first.err");
    EXPECT_EQ(doc_count(db), 2u);
}

TEST(RobustQuery, HostileQueriesAreBoundedWithANote) {
    TempDir t;
    std::string feed;
    // Many distinct words with a common prefix, for wildcards to expand.
    for (int i = 0; i < 300; ++i)
        feed += feed_line("w" + std::to_string(i), "Kata " + std::to_string(i),
                          kBody1 + " kata" + std::to_string(i) + " katb" + std::to_string(i * 7)) + "\n";
    t.write("w.jsonl", feed);
    const std::string db = t / "db";
    ASSERT_EQ(update(db, quote(t / "w.jsonl")).code, 0);

    struct Case {
        std::string query;
        std::string note;  // a note that must be there ("" : any answer, bounded)
    };
    std::string long_query;
    for (int i = 0; i < 20000; ++i) long_query += "banjir" + std::to_string(i % 97) + " ";
    std::string many_near = "banjir";
    for (int i = 0; i < 500; ++i) many_near += " NEAR/999999999 rumah";
    std::string deep;
    for (int i = 0; i < 5000; ++i) deep += "(";
    deep += "banjir";
    std::string wild;
    for (int i = 0; i < 200; ++i) wild += "ka* ";
    const Case cases[] = {
        {long_query, "query cut"},
        {"banjir NEAR/4294967296 rumah", "capped"},
        {"banjir NEAR/999999999999999999999999 rumah", ""},
        {"banjir ADJ/100000 rumah", "capped"},
        {many_near, ""},
        {deep, ""},
        {wild, ""},
        {"ka*", ""},
        {"k*", "prefix too short"},
        {"*", ""},
        {"\"" + long_query.substr(0, 3000) + "\"", ""},
        {"date:0000-00-00..9999-99-99 title:* source:* =*", ""},
    };
    for (const auto& c : cases) {
        // Through --batch: a query longer than 128 KiB cannot be one argument.
        t.write("q.txt", c.query + "\n");
        const auto t0 = std::chrono::steady_clock::now();
        const auto r = run("timeout -s KILL 30 " + bin("cari-search") + " --json --db " + quote(db) + " --batch " +
                           quote(t / "q.txt"));
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const std::string shown = c.query.substr(0, 60);
        ASSERT_TRUE(r.code == 0 || r.code == 1) << shown << ": exit " << r.code << "\n" << r.err;
        EXPECT_LT(s, 10.0) << shown;
        cari::json::Value v;
        ASSERT_NO_THROW(v = cari::json::parse(r.out.substr(0, r.out.find('\n')))) << shown;
        if (!c.note.empty()) {
            std::string notes;
            if (const auto* n = v.find("notes"))
                for (const auto& x : n->arr) notes += x.text() + "; ";
            EXPECT_NE(notes.find(c.note), std::string::npos) << shown << ": notes: " << notes;
        }
    }
}

// A prefix that matches more words than QueryLimits::max_expansion is cut to
// the most frequent ones; the user must be told, as for every other bound.
TEST(RobustQuery, WildcardExpansionBeyondTheLimitIsNoted) {
    TempDir t;
    std::string feed;
    for (int i = 0; i < 300; ++i)
        feed += feed_line("w" + std::to_string(i), "Kata " + std::to_string(i), kBody1 + " kata" + std::to_string(i)) + "\n";
    t.write("w.jsonl", feed);
    const std::string db = t / "db";
    ASSERT_EQ(update(db, quote(t / "w.jsonl")).code, 0);
    const auto v = search_json(db, "kata*");
    ASSERT_EQ(v.size(), 1u);
    std::string notes;
    if (const auto* n = v[0].find("notes"))
        for (const auto& x : n->arr) notes += x.text() + "; ";
    EXPECT_NE(notes.find("kata*"), std::string::npos) << "no note about the bounded expansion; notes: " << notes;
}

namespace {

// An article with words of its own, so that the index grows like a real one.
std::string numbered_body(int i) {
    std::string s = kBody1 + " " + kBody2 + " " + kBody3;
    for (int j = 0; j < 40; ++j) s += " istilah" + std::to_string(i) + "x" + std::to_string(j);
    return s;
}

} // namespace

// An update that adds many documents to an index that already holds many,
// with several commits on the way. The workers check "unchanged" against the
// index as it was when the run began; once the writer has committed twice,
// Xapian discards that revision and every later lookup throws
// DatabaseModifiedError. No article may be skipped for that.
TEST(RobustUpdate, ALongUpdateOfAnExistingIndexSkipsNothing) {
    TempDir t;
    std::string base, more;
    for (int i = 0; i < 1000; ++i) base += feed_line("b" + std::to_string(i), "Berita " + std::to_string(i), numbered_body(i)) + "\n";
    for (int i = 1000; i < 1600; ++i) more += feed_line("m" + std::to_string(i), "Berita " + std::to_string(i), numbered_body(i)) + "\n";
    t.write("base.jsonl", base);
    t.write("new/more.jsonl", more);
    for (int i = 2000; i < 2300; ++i)
        t.write("new/f" + std::to_string(i) + ".txt", article_txt("Judul berita nomor " + std::to_string(i) + " tentang banjir",
                                                                numbered_body(i)));
    const std::string db = t / "db";
    auto r = update(db, quote(t / "base.jsonl"));
    ASSERT_EQ(r.code, 0) << r.err;
    ASSERT_EQ(doc_count(db), 1000u);
    r = update(db, "--batch 5 " + quote(t / "base.jsonl") + " " + quote(t / "new"));
    ASSERT_FALSE(died_of_signal(r)) << "exit " << r.code << "\n" << r.err.substr(0, 2000);
    EXPECT_EQ(r.code, 0) << r.err.substr(0, 2000);
    EXPECT_EQ(r.err.find("DatabaseModifiedError"), std::string::npos) << r.err.substr(0, 2000);
    EXPECT_EQ(doc_count(db), 1900u);
    for (const char* id : {"b0", "b999", "m1000", "m1599"}) EXPECT_TRUE(has_id(db, id)) << id;
    // Whatever a run skipped for a reason of its own (not of the input) must be
    // retried by the next run: the file may not be recorded as done.
    r = update(db, quote(t / "base.jsonl") + " " + quote(t / "new"));
    EXPECT_EQ(doc_count(db), 1900u) << "a second run did not pick up what the first skipped:\n" << r.err.substr(0, 2000);
}

namespace {

// Parses q on a thread with a 1 MiB stack (a web server's worker may have less
// than the main thread's 8 MiB) in a child process; true when it returned.
bool parses_on_a_small_stack(const std::string& q) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        struct Arg { std::string q; } arg{q};
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, 1u << 20);
        pthread_t th;
        auto body = [](void* p) -> void* {
            const cari::QueryParser parser(cari::Analyzer::default_instance());
            (void)parser.parse(static_cast<Arg*>(p)->q);
            return nullptr;
        };
        if (pthread_create(&th, &attr, body, &arg) != 0) ::_exit(3);
        pthread_join(th, nullptr);
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

} // namespace

// The parser recurses once per '(' (parse_or -> parse_and -> parse_near ->
// parse_primary): 4,000 of them, within the 4,096-byte query limit, must not
// overflow the stack. Nesting needs a bound of its own (noted, like the others).
TEST(RobustQuery, DeeplyNestedParenthesesDoNotOverflowTheStack) {
    for (const std::string open : {"(", "\"(", "NOT ("}) {
        std::string q;
        while (q.size() + open.size() < 4000) q += open;
        q += "banjir";
        EXPECT_TRUE(parses_on_a_small_stack(q)) << "crashed on " << q.size() << " bytes of " << open;
    }
}

// Found by fuzz_query (-len_control=0, 2026-11-24): each nested group doubles
// the Xapian query the parser builds (a boost or alternative repeats the group
// inside it), so 16 levels of "ab (cd" (112 bytes) give 655,348 leaf terms and
// take 22 s to run on a one-document index, and the 305 bytes below 338,500
// terms and 9.5 s. A query must be bounded in what it builds, not only in its
// bytes, words and nesting.
TEST(RobustQuery, NestedGroupsDoNotBlowUpTheQuery) {
    TempDir t;
    t.write("a.jsonl", feed_line("a1", "Banjir", kBody1) + "\n");
    const std::string db = t / "db";
    ASSERT_EQ(update(db, quote(t / "a.jsonl")).code, 0);
    std::string nested;
    for (int i = 0; i < 16; ++i) nested += " ab (cd";
    const std::string fuzzed(
        "\x98\x20\x64\x28\x61\x74\x65\x3a\x32\x74\x69\x74\x69\x74\x6c\x65\x3a\x62\xfe\x98\x20\x64\x28\x61"
        "\x74\x65\x3a\x32\x30\x32\x31\x74\x06\x28\x28\x4e\xff\x27\x0b\x22\x20\x6e\x6a\x72\x69\x28\x28\x69"
        "\x74\x69\x74\x6c\x65\x3a\x62\xfe\x98\x20\x64\x28\x61\x74\x65\x3a\x32\x74\x69\x74\x69\x74\x6c\x65"
        "\x3a\x62\xfe\x98\x20\x64\x28\x61\x74\x2d\x31\xdf\xbe\xb1\xb5\x20\x51\x64\x6f\x30\x32\x31\x2d\x31"
        "\xdf\xbe\xb1\xb5\x20\x51\x64\x6f\x63\x2d\x72\x72\x63\x65\x65\x3a\x32\x30\x32\x31\x2d\x31\xdf\xbe"
        "\xb1\xb5\x20\x51\x64\x6f\x30\x32\x31\x2d\x31\xdf\xbe\xb1\xb5\x20\x51\x64\x6f\x63\x2d\x72\x72\x63"
        "\x65\x3a\x61\x69\x6e\x93\x6c\x65\x3a\x62\xfe\x98\x20\x62\xfe\x98\x3a\x61\x69\x6e\x93\x6c\x65\x3a"
        "\x62\xfe\x98\x20\x62\xfe\x98\x20\x64\x28\x61\x74\x65\x3a\x32\x30\x32\x31\x2d\x31\xdf\xbe\xb1\xb5"
        "\x20\x28\x20\x64\x28\x61\x74\x65\x3a\x32\x30\x32\x31\x2d\x31\xdf\xbe\xb1\xb5\x20\x28\x73\x6f\x75"
        "\x65\xf2\x72\x63\x65\x3a\x65\x74\x69\x61\x28\xaf\x64\x61\x3a\x73\x6f\x75\x65\x32\x31\x60\x69\x33"
        "\x74\x65\x6d\x20\x70\xf2\x72\x63\x65\x3a\xaf\x61\x69\x64\x28\x61\x74\x65\x70\x65\x3a\x32\x31\x60"
        "\x69\x73\x74\x65\x45\x67\x6f\x6c\x65\x6f\x75\x65\x72\x20\x64\x28\x72\x63\x65\x3a\x61\x6d\x20\x70"
        "\x65\x70\x65\x69\x6e\x93\x6f\x75\x65\x72\x20\x64\x28\x72\x63\x04\x7c",
        305);
    for (const std::string& q : {nested, fuzzed}) {
        t.write("q.txt", q + "\n");
        const auto t0 = std::chrono::steady_clock::now();
        // Killed at 20 s: enough to show the bound is missing without holding CI up.
        const auto r = run("timeout -s KILL 20 " + bin("cari-search") + " --json --db " + quote(db) + " --batch " +
                           quote(t / "q.txt"));
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        EXPECT_TRUE(r.code == 0 || r.code == 1) << "exit " << r.code << " (137: killed after 20 s)\n" << r.err.substr(0, 500);
        EXPECT_LT(s, 5.0) << q.substr(0, 60);
    }
}
