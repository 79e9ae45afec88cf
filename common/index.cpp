#include "index.h"

#include "analyzer.h"
#include "cleaner.h"
#include "document.h"
#include "dup_groups.h"
#include "json.h"
#include "schema.h"
#include "shards.h"
#include "templates.h"
#include "work_queue.h"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <exception>
#include <fstream>
#include <mutex>
#include <unordered_map>
#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace cari {

std::string IndexReport::summary() const {
    std::ostringstream s;
    s << "added " << added << ", replaced " << replaced << ", unchanged " << unchanged << ", removed " << removed
      << ", skipped " << skipped;
    if (skipped) {
        // Reasons, counted: "skipped 3 (2 malformed JSON, 1 binary data, not text)".
        std::map<std::string, std::size_t> why;
        for (const auto& p : problems) why[p.message.substr(0, p.message.find(':'))]++;
        s << " (";
        bool first = true;
        for (const auto& [k, n] : why) {
            s << (first ? "" : ", ") << n << ' ' << k;
            first = false;
        }
        s << ')';
    }
    const double mb = static_cast<double>(bytes) / 1e6;
    s.setf(std::ios::fixed);
    s.precision(1);
    s << "; " << documents() << " documents, " << mb << " MB in " << seconds << " s";
    if (seconds > 0) s << " (" << mb / seconds << " MB/s)";
    if (parts)
        s << "; " << parts << (parts == 1 ? " part" : " parts") << " of " << static_cast<double>(shard_bytes) / 1e6
          << " MB merged in " << merge_seconds << " s";
    if (shards) s << "; " << shards << (shards == 1 ? " shard" : " shards");
    return s.str();
}

std::string default_db_path() {
    if (const char* env = std::getenv("CARI_DB"); env && *env) return env;
    return "cari-index-db";
}

namespace {

constexpr std::size_t kProblemsShownPerFile = 10;

// Records skipped inputs in the report and shows them. Notes are only shown. A
// file whose every line is broken does not flood stderr: ten lines each, then
// (finish) one line with the count of the rest.
class ProblemLog {
public:
    ProblemLog(IndexReport& report, const ProblemFn& show) : report_(report), show_(show) {}

    void operator()(InputProblem p) {
        if (p.note) {
            if (show_) show_(p);
            return;
        }
        const std::size_t n = ++per_path_[p.path];
        if (show_ && n <= kProblemsShownPerFile) show_(p);
        report_.problems.push_back(std::move(p));
        ++report_.skipped;
    }

    void finish() const {
        if (!show_) return;
        for (const auto& [path, n] : per_path_)
            if (n > kProblemsShownPerFile)
                show_({path, 0, std::to_string(n - kProblemsShownPerFile) + " more skipped lines not shown"});
    }

private:
    IndexReport& report_;
    const ProblemFn& show_;
    std::map<std::string, std::size_t> per_path_;
};
// Documents per commit, chosen by measurement (benchmarks/RESULTS.md): Xapian's
// inverter costs more per document as its batch grows; a shard is written with
// DB_NO_SYNC, so its commits are cheap; update's commits are durable (fsync).
constexpr std::size_t kShardBatch = 250;
constexpr std::size_t kSerialBatch = 1000;
// Input bytes a build shard takes at most (benchmarks/RESULTS.md, growth): at 4x
// clickid, 8 shards of 22 MB took 85 s of CPU where 2 of 89 MB took 94 s; at
// 10x (with jemalloc), 18 parts of 24 MB 88 s of wall time where 14 of 32 MB
// took 95; each extra shard costs some index size (a term's postings are one
// chunk more), so clickid itself (44.5 MB, two jobs) stays at two parts.
constexpr std::uint64_t kMaxShardBytes = std::uint64_t{24} << 20;

std::string file_meta_key(const std::string& path) {
    // Metadata keys share the term length limit: long paths are shortened by id_term's rule.
    return std::string(schema::kMetaFilePrefix) + id_term(path).substr(schema::kId.size());
}

struct FileState {
    std::uint64_t hash = 0;
    std::size_t count = 0;
};

std::optional<FileState> parse_file_state(const std::string& v) {
    std::istringstream in(v);
    std::string hex;
    FileState st;
    if (!(in >> hex >> st.count)) return std::nullopt;
    st.hash = std::strtoull(hex.c_str(), nullptr, 16);
    return st;
}

// Cross-document template counts for a batch (defined below, beside the JSON
// Lines streaming), and into groups (not null) the feed lines' keys.
TemplateStats batch_templates(const std::vector<InputFile>& files, const std::string& stored,
                              const std::function<bool(const std::string&, std::uint64_t)>& seen_before,
                              FeedGroups* groups);

std::string strip_slashes(std::string p) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
}

// A new index appears whole or not at all: it is created empty beside its
// place and renamed into it, so a run killed while creating it never leaves a
// folder that does not open as an index. An existing index is left alone.
void create_index_atomically(const std::string& path) {
    const std::string dir = strip_slashes(path);
    std::error_code ec;
    const std::string fresh = dir + ".cari-new";
    if (fs::exists(fs::path(dir) / "iamglass", ec) || fs::exists(fs::path(dir) / "iamchert", ec)) {
        fs::remove_all(fresh, ec);  // left by a run killed while creating it
        return;
    }
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir, ec) || !fs::is_empty(dir, ec)) return;  // not ours to replace: Xapian will say
        fs::remove(dir, ec);
    }
    fs::remove_all(fresh, ec);
    {
        Xapian::WritableDatabase db(fresh, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
        db.commit();
    }
    fs::rename(fresh, dir, ec);
    if (ec) fs::remove_all(fresh, ec);  // another writer created it first: use theirs
}

// Shard k's folder in a sharded index at dir.
std::string shard_path(const std::string& dir, unsigned k) { return (fs::path(dir) / shard_dir_name(k)).string(); }

// What every database of an index records: the format, the stemmer, and for a
// shard of a sharded index (nshards > 0) its place, "K/N".
void stamp_index(Xapian::WritableDatabase& db, const Analyzer& analyzer, unsigned k, unsigned nshards) {
    db.set_metadata(std::string(schema::kMetaFormat), std::string(schema::kFormatVersion));
    db.set_metadata(std::string(schema::kMetaStemmer), analyzer.stemmer().name());
    if (nshards) db.set_metadata(std::string(schema::kMetaShard), std::to_string(k) + "/" + std::to_string(nshards));
}

bool is_single_index(const std::string& dir) {
    std::error_code ec;
    return fs::exists(fs::path(dir) / "iamglass", ec) || fs::exists(fs::path(dir) / "iamchert", ec);
}

// The same for a sharded index: N empty shards and the stub, renamed into place.
void create_sharded_atomically(const std::string& path, unsigned shards) {
    const std::string dir = strip_slashes(path);
    std::error_code ec;
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir, ec) || !fs::is_empty(dir, ec))
            throw std::runtime_error(dir + " is not empty and holds no Cari index: not creating a sharded index there");
        fs::remove(dir, ec);
    }
    const std::string fresh = dir + ".cari-new";
    fs::remove_all(fresh, ec);
    fs::create_directories(fresh);
    for (unsigned k = 0; k < shards; ++k) {
        Xapian::WritableDatabase db(shard_path(fresh, k), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
        db.set_metadata(std::string(schema::kMetaShard), std::to_string(k) + "/" + std::to_string(shards));
        db.commit();
    }
    write_file_atomically((fs::path(fresh) / kStubName).string(), local_stub(shards));
    fs::rename(fresh, dir, ec);
    if (ec) fs::remove_all(fresh, ec);  // another writer created it first: use theirs
}

// The index's shard count as update finds it (creating it when absent):
// 0 for one database. Refuses a --shards that disagrees with the index.
unsigned settle_shards(const std::string& path, unsigned wanted) {
    const std::string dir = strip_slashes(path);
    if (const auto have = sharded_count(dir)) {
        if (wanted && wanted != *have)
            throw std::runtime_error("index " + dir + " has " + std::to_string(*have) + " shards, not " +
                                     std::to_string(wanted) + ": rebuild it with 'cari-index build --shards " +
                                     std::to_string(wanted) + "' to change the count");
        return *have;
    }
    if (is_single_index(dir)) {
        if (wanted)
            throw std::runtime_error("index " + dir + " is one database, not " + std::to_string(wanted) +
                                     " shards: rebuild it with 'cari-index build --shards " + std::to_string(wanted) +
                                     "'");
        return 0;
    }
    if (!wanted) return 0;
    create_sharded_atomically(dir, wanted);
    const auto made = sharded_count(dir);
    if (!made || *made != wanted)
        throw std::runtime_error("index " + dir + " was created by another writer with a different layout");
    return wanted;
}

struct Piece {
    std::size_t file = 0;                // index into the file list
    bool whole = true;                   // whole file, read and split by the worker
    std::uint64_t begin = 0, end = 0;    // else: byte range, at line starts
    std::size_t first_line = 1;          // line number at `begin`
};

constexpr std::size_t kReadBlock = 1 << 20;

// Streams the lines of [begin, end) of a JSON Lines file, numbered from
// first_line, exactly as split_documents would have cut them.
void read_piece(const InputFile& f, const Piece& p, const std::function<void(RawDoc&&)>& sink) {
    std::ifstream in(f.path, std::ios::binary);
    if (!in) throw InputError("cannot open: the file is gone (removed or renamed since it was listed)");
    in.seekg(static_cast<std::streamoff>(p.begin));
    std::string carry;
    std::vector<char> buf(kReadBlock);
    std::uint64_t left = p.end - p.begin;
    std::size_t line = p.first_line;
    auto emit = [&](std::string_view l) { jsonl_line(f.path, line++, l, sink); };
    while (left > 0) {
        const auto want = static_cast<std::streamsize>(std::min<std::uint64_t>(left, buf.size()));
        in.read(buf.data(), want);
        const auto n = static_cast<std::size_t>(in.gcount());
        if (n == 0) throw InputError("read error: the file shrank while it was being indexed");
        left -= n;
        std::string_view block(buf.data(), n);
        std::size_t b = 0;
        for (std::size_t e; (e = block.find('\n', b)) != std::string_view::npos; b = e + 1) {
            if (carry.empty()) {
                emit(block.substr(b, e - b));
            } else {
                carry.append(block.substr(b, e - b));
                emit(carry);
                carry.clear();
            }
        }
        carry.append(block.substr(b));
    }
    if (!carry.empty()) emit(carry);
}

// A file's hash (hash64 of its bytes), size and whether it is blank, read in
// blocks: a JSON Lines feed is never held whole.
struct FileScan {
    std::uint64_t hash = kHash64Seed;
    std::uint64_t size = 0;
    bool blank = true;
};

FileScan scan_file(const std::string& path) {
    FileScan s;
    read_blocks(path, [&](std::string_view b) {
        s.hash = hash64_update(s.hash, b);
        s.size += b.size();
        if (s.blank && b.find_first_not_of(" \t\r\n") != std::string_view::npos) s.blank = false;
    });
    return s;
}

// The whole of a JSON Lines file of `size` bytes, as one piece for read_piece.
Piece whole_file(std::size_t file_index, std::uint64_t size) {
    Piece p;
    p.file = file_index;
    p.whole = false;
    p.end = size;
    return p;
}

// The input's size for progress: 0 (unknown) when standard input is part of it.
std::uint64_t input_total(const std::vector<InputFile>& files) {
    std::uint64_t total = 0;
    for (const auto& f : files) {
        if (f.path == "-") return 0;
        total += f.size;
    }
    return total;
}

struct Job {
    enum class Kind { Doc, FileDone } kind = Kind::Doc;
    std::size_t seq = 0;
    RawDoc raw;
    std::uint64_t file_hash = 0;
    std::uint64_t bytes = 0;  // FileDone: the file's bytes its documents do not account for
};

struct Result {
    std::vector<std::string> notes;  // repairs the cleaner made (printed as note: lines)
    std::size_t line = 0;            // the document's line (JSON Lines)
    enum class Kind { Doc, Unchanged, Problem, FileDone } kind = Kind::Doc;
    std::size_t seq = 0;
    std::string path;
    std::string id_term;
    Xapian::Document doc;
    std::string group_term;          // Doc: its exact-duplicate group (schema::kCluster), if any
    InputProblem problem;
    bool input_fault = true;  // Problem: the input's fault (false: the index's, retried next run)
    std::uint64_t file_hash = 0;
    std::size_t count = 0;  // Unchanged: how many documents it stands for
    std::uint64_t bytes = 0;  // input bytes done once the writer has taken it (progress)
};

// Results come back from the workers out of order; the writer takes them in
// input order so a parallel build writes exactly what a serial one would.
class Reorder {
public:
    // window: how far ahead of the writer a result may be; a worker that runs
    // ahead waits (without it the buffer grows with the whole corpus when the
    // writer is the bottleneck).
    explicit Reorder(std::size_t window) : window_(window) {}
    void put(Result&& r) {
        std::unique_lock lk(m_);
        room_.wait(lk, [&] { return r.seq < next_ + window_ || cancelled_; });
        if (cancelled_) return;
        pending_.emplace(r.seq, std::move(r));
        cv_.notify_all();
    }
    // Blocks until result `seq` is there; nullopt when the producers are done
    // and it will never come.
    std::optional<Result> take(std::size_t seq) {
        std::unique_lock lk(m_);
        cv_.wait(lk, [&] { return pending_.count(seq) || (done_ && seq >= total_); });
        auto it = pending_.find(seq);
        if (it == pending_.end()) return std::nullopt;
        Result r = std::move(it->second);
        pending_.erase(it);
        next_ = seq + 1;
        room_.notify_all();
        return r;
    }
    // The writer gave up: wake and release every waiting worker.
    void cancel() {
        std::lock_guard lk(m_);
        cancelled_ = true;
        room_.notify_all();
    }
    void finish(std::size_t total) {
        std::lock_guard lk(m_);
        done_ = true;
        total_ = total;
        cv_.notify_all();
    }

private:
    std::mutex m_;
    std::condition_variable cv_, room_;
    std::map<std::size_t, Result> pending_;
    std::size_t window_, next_ = 0;
    bool cancelled_ = false;
    bool done_ = false;
    std::size_t total_ = 0;
};

// A read of the index as it was when the run began. Xapian keeps only the last
// two revisions: once the writer has committed twice, the reader's revision is
// gone (DatabaseModifiedError), and it reopens at the latest, which holds the
// same documents plus what this run has written.
template <typename Fn>
auto read_retrying(Xapian::Database& db, Fn&& fn) {
    for (int attempt = 0;; ++attempt) {
        try {
            return fn(db);
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt >= 10) throw;
            db.reopen();
        }
    }
}

// The single-writer path: update (and build with --shards 0). Workers clean and
// analyse, one writer takes the results in input order.
IndexReport index_serial(const std::vector<std::string>& paths, const IndexOptions& opts, const ProblemFn& on_problem,
                         const ProgressFn& on_progress) {
    const auto t0 = std::chrono::steady_clock::now();
    IndexReport report;
    ProblemLog problem(report, on_problem);

    std::vector<InputProblem> listing;
    const auto files = list_inputs(paths, opts.format, listing);
    for (auto& p : listing) problem(std::move(p));
    const std::uint64_t total = input_total(files);

    auto analyzer = Analyzer::default_instance();
    // One database, or the shards of a sharded index (shard 0 first: it holds the
    // index's metadata, and its lock keeps a second writer out).
    const unsigned nshards = opts.create ? 0 : settle_shards(opts.db, opts.shards);
    if (opts.create && opts.shards) throw std::runtime_error("a sharded index is built with the parallel build");
    std::vector<Xapian::WritableDatabase> dbs;
    if (nshards) {
        for (unsigned k = 0; k < nshards; ++k)
            dbs.emplace_back(shard_path(strip_slashes(opts.db), k), Xapian::DB_OPEN);
    } else {
        if (!opts.create) create_index_atomically(opts.db);
        dbs.emplace_back(opts.db, opts.create ? Xapian::DB_CREATE_OR_OVERWRITE : Xapian::DB_CREATE_OR_OPEN);
    }
    const unsigned nroute = nshards ? nshards : 1;
    report.shards = nshards;
    Xapian::WritableDatabase& db = dbs[0];
    const std::string built_with = db.get_metadata(std::string(schema::kMetaStemmer));
    if (!built_with.empty() && built_with != analyzer->stemmer().name())
        throw std::runtime_error("index " + opts.db + " was built with the '" + built_with + "' stemmer, not '" +
                                 analyzer->stemmer().name() + "': rebuild it with 'cari-index build'");
    Xapian::doccount existing = 0;
    for (unsigned k = 0; k < dbs.size(); ++k) {
        // Every shard knows the stemmer, so a shard served alone is checked too.
        stamp_index(dbs[k], *analyzer, k, nshards);
        existing += dbs[k].get_doccount();
    }
    // File records wait for the commit that makes their documents durable: the
    // other shards commit first, then shard 0 with the records, so a killed run
    // never records a file whose documents a shard lost.
    std::vector<std::pair<std::string, std::string>> pending_meta;
    // Exact-duplicate groups this batch touched, per database: each commit
    // leaves them settled (settle_group).
    std::vector<std::set<std::string>> touched(nroute);
    auto commit_all = [&] {
        for (unsigned k = 0; k < nroute; ++k) {
            for (const auto& g : touched[k]) settle_group(dbs[k], g);
            touched[k].clear();
        }
        for (unsigned k = nroute; k-- > 1;) dbs[k].commit();
        for (auto& [key, value] : pending_meta) db.set_metadata(key, value);
        pending_meta.clear();
        db.commit();
    };

    // Workers check "unchanged" against the index as it was when the run began
    // (a sharded index opens as one database through its stub).
    std::optional<Xapian::Database> before;
    if (!opts.create && existing > 0) before.emplace(opts.db);
    FeedGroups groups(nroute);
    const TemplateStats templates = batch_templates(
        files, db.get_metadata(std::string(schema::kMetaTemplates)),
        [&](const std::string& path, std::uint64_t h) {
            if (!before) return false;
            const auto st = parse_file_state(before->get_metadata(file_meta_key(path)));
            return st && st->hash == h;
        },
        &groups);
    groups.finish();
    const CleanOptions clean_opts{&templates};

    const unsigned jobs = opts.jobs ? opts.jobs : std::max(1u, std::thread::hardware_concurrency());
    WorkQueue<Job> in(256);
    Reorder out(4 * 256);
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> bytes_read{0};
    std::size_t total_seq = 0;

    std::thread producer([&] {
        std::size_t seq = 0;
        auto problem_result = [&](const InputFile& f, std::string message, std::uint64_t bytes) {
            Result r;
            r.kind = Result::Kind::Problem;
            r.seq = seq++;
            r.problem = {f.path, 0, std::move(message)};
            r.bytes = bytes;
            out.put(std::move(r));
        };
        for (std::size_t fi = 0; fi < files.size(); ++fi) {
            const InputFile& f = files[fi];
            if (stop) break;
            // A JSON Lines file is read in blocks twice, to hash it and then line
            // by line, never whole: a feed may be larger than the memory an
            // update needs. A page, or standard input, is read whole.
            const bool stream = f.format == Format::Jsonl && f.path != "-";
            std::string bytes;
            FileScan scan;
            try {
                if (stream) {
                    scan = scan_file(f.path);
                } else {
                    bytes = read_file(f.path);
                    scan = {hash64(bytes), bytes.size(), bytes.find_first_not_of(" \t\r\n") == std::string::npos};
                }
            } catch (const std::exception& e) {
                problem_result(f, e.what(), f.size);
                continue;
            }
            bytes_read += scan.size;
            if (scan.blank) {
                problem_result(f, "empty file", scan.size);
                continue;
            }
            const std::uint64_t fh = scan.hash;
            if (before && f.path != "-") {
                const auto st = parse_file_state(read_retrying(*before, [&](const Xapian::Database& d) {
                    return d.get_metadata(file_meta_key(f.path));
                }));
                if (st && st->hash == fh) {
                    // The whole file is as it was: nothing to clean or analyse.
                    Result r;
                    r.kind = Result::Kind::Unchanged;
                    r.seq = seq++;
                    r.path = f.path;
                    r.count = st->count;
                    r.bytes = scan.size;
                    out.put(std::move(r));
                    continue;
                }
            }
            const std::uint64_t file_bytes = scan.size;
            std::uint64_t doc_bytes = 0;
            auto push = [&](RawDoc&& raw) {
                Job j;
                j.seq = seq++;
                j.raw = std::move(raw);
                doc_bytes += j.raw.bytes.size();
                in.push(std::move(j));
            };
            if (stream) {
                try {
                    read_piece(f, whole_file(fi, file_bytes), push);
                } catch (const InputError& e) {
                    // Gone or cut short since it was hashed: what was read is
                    // indexed, and the file is not marked done (the next run reads it again).
                    problem_result(f, e.what(), file_bytes - std::min(doc_bytes, file_bytes));
                    continue;
                }
            } else {
                split_documents(f, std::move(bytes), push);
            }
            Job done;
            done.kind = Job::Kind::FileDone;
            done.seq = seq++;
            done.raw.path = f.path;
            done.file_hash = fh;
            done.bytes = file_bytes - std::min(doc_bytes, file_bytes);
            in.push(std::move(done));
        }
        total_seq = seq;
        in.close();
    });

    std::atomic<unsigned> workers_left{jobs};
    std::vector<std::thread> workers;
    for (unsigned w = 0; w < jobs; ++w)
        workers.emplace_back([&] {
            std::optional<Xapian::Database> snap;
            if (before) snap.emplace(opts.db);
            while (auto j = in.pop()) {
                Result r;
                r.seq = j->seq;
                r.path = j->raw.path;
                r.line = j->raw.line;
                r.bytes = j->kind == Job::Kind::FileDone ? j->bytes : j->raw.bytes.size();
                if (j->kind == Job::Kind::FileDone) {
                    r.kind = Result::Kind::FileDone;
                    r.file_hash = j->file_hash;
                    out.put(std::move(r));
                    continue;
                }
                try {
                    const std::uint64_t rh = hash64(j->raw.bytes);
                    const std::string hterm = raw_hash_term(rh);
                    if (snap && read_retrying(*snap, [&](const Xapian::Database& d) { return d.term_exists(hterm); })) {
                        r.kind = Result::Kind::Unchanged;
                        r.count = 1;
                    } else {
                        const Article a = clean(j->raw, clean_opts);
                        if (a.paragraphs.empty() && a.title.empty()) throw InputError("no article text found");
                        r.notes = a.notes;
                        // An exact duplicate: of lines in this batch (groups), or of
                        // documents indexed before. A good guess: the writer settles
                        // each group it touched before committing.
                        std::optional<Duplicate> dup = groups.mark(a.id, a.feed_signature);
                        if (dup || snap) {
                            const std::uint64_t content = content_signature(a);
                            if (dup) dup->content = content;
                            if (snap) {
                                const auto members = read_retrying(*snap, [&](const Xapian::Database& d) {
                                    return group_members(d, cluster_term(content));
                                });
                                if (!members.empty() && !dup) dup = Duplicate{content, true, {}};
                                if (!members.empty() && members.front().first < a.id) *dup = Duplicate{content, false, {}};
                            }
                        }
                        r.doc = make_document(a, *analyzer, rh, nullptr, dup ? &*dup : nullptr);
                        if (dup) r.group_term = group_of(r.doc);
                        r.id_term = id_term(a.id);
                    }
                } catch (const std::exception& e) {
                    r.kind = Result::Kind::Problem;
                    r.problem = {j->raw.path, j->raw.line, e.what()};
                } catch (const Xapian::Error& e) {
                    r.kind = Result::Kind::Problem;
                    r.problem = {j->raw.path, j->raw.line, e.get_description()};
                    r.input_fault = false;
                }
                out.put(std::move(r));
            }
            if (--workers_left == 0) {
                producer.join();
                out.finish(total_seq);
            }
        });

    auto shutdown = [&] {
        stop = true;
        in.close();
        out.cancel();
        for (auto& t : workers) t.join();
    };

    std::uint64_t done_bytes = 0;  // progress: input bytes whose results the writer has taken
    try {
        std::map<std::string, std::size_t> per_file;  // documents each file gave in this run
        std::set<std::string> tainted;
        std::size_t since_commit = 0;
        for (std::size_t seq = 0;; ++seq) {
            auto r = out.take(seq);
            if (!r) break;
            done_bytes += r->bytes;
            switch (r->kind) {
                case Result::Kind::Problem:
                    if (!r->input_fault) tainted.insert(r->problem.path);
                    problem(std::move(r->problem));
                    break;
                case Result::Kind::Unchanged:
                    report.unchanged += r->count;
                    per_file[r->path] += r->count;
                    break;
                case Result::Kind::Doc: {
                    for (auto& n : r->notes) problem({r->path, r->line, std::move(n), true});
                    // An id always lands in the same shard, so replacing finds it there.
                    const unsigned k = shard_of(r->id_term, nroute);
                    auto& target = dbs[k];
                    const bool existed = target.term_exists(r->id_term);
                    if (existed)  // the group it leaves may need a new head
                        for (auto p = target.postlist_begin(r->id_term); p != target.postlist_end(r->id_term); ++p)
                            if (auto g = group_of(target, *p); !g.empty()) touched[k].insert(std::move(g));
                    if (!r->group_term.empty()) touched[k].insert(r->group_term);
                    target.replace_document(r->id_term, r->doc);
                    ++(existed ? report.replaced : report.added);
                    ++per_file[r->path];
                    ++since_commit;
                    break;
                }
                case Result::Kind::FileDone:
                    // A file with a document skipped for the index's sake (not the
                    // input's) is not recorded as done: the next run reads it again.
                    if (tainted.count(r->path)) break;
                    pending_meta.emplace_back(file_meta_key(r->path),
                                              hex64(r->file_hash) + " " + std::to_string(per_file[r->path]));
                    break;
            }
            if (since_commit >= (opts.batch ? opts.batch : kSerialBatch)) {
                commit_all();
                since_commit = 0;
            }
            if (on_progress && (seq % 64 == 0)) on_progress({report.documents(), done_bytes, total});
        }
        if (opts.prune) {
            // Documents whose source file is gone.
            std::vector<std::string> gone;
            const std::string prefix(schema::kMetaFilePrefix);
            for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k) {
                const std::string path = (*k).substr(prefix.size());
                std::error_code ec;
                if (path != "-" && !fs::exists(path, ec)) gone.push_back(*k);
            }
            for (const auto& key : gone) {
                const std::string path = key.substr(prefix.size());
                const std::string ft = file_term(path);
                for (unsigned k = 0; k < nroute; ++k) {
                    auto& d = dbs[k];
                    std::vector<Xapian::docid> ids;
                    for (auto p = d.postlist_begin(ft); p != d.postlist_end(ft); ++p) ids.push_back(*p);
                    for (auto id : ids) {
                        if (auto g = group_of(d, id); !g.empty()) touched[k].insert(std::move(g));
                        d.delete_document(id);
                    }
                    report.removed += ids.size();
                }
                pending_meta.emplace_back(key, "");
            }
        }
        pending_meta.emplace_back(std::string(schema::kMetaTemplates), templates.serialize());
        commit_all();
        problem.finish();
    } catch (...) {
        shutdown();
        throw;
    }
    shutdown();
    report.bytes = bytes_read;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // (A file that could not be read counts as done at its listed size.)
    if (on_progress) on_progress({report.documents(), std::max(done_bytes, report.bytes), total});
    return report;
}

// ---------------------------------------------------------------------------
// The sharded build. One Xapian database takes one writer, and Xapian's own
// write path (inverting, flushing) is most of the cost of indexing, so `build`
// writes shards in parallel and merges them with Database::compact:
//
//  1. plan: the inputs, in order, are cut into chunks of about `chunk_bytes`
//     (whole .txt/.html files; JSON Lines files over the chunk size are cut
//     at line starts, with their whole-file hash and line numbers taken in
//     one pass);
//  2. each worker takes the next chunk, cleans, analyses and writes it into
//     its own shard (DB_NO_SYNC: a shard is thrown away if the build dies);
//  3. an id that recurs across chunks is resolved as one writer would have:
//     the first occurrence's place, the last occurrence's content;
//  4. the shards, in chunk order, are compacted into one database, which
//     therefore numbers documents in input order, then swapped into place.
//
// Everything is built in DB.cari-tmp-PID beside the index: a killed build
// leaves the old index untouched, and the next run removes the leftovers.

std::string temp_prefix(const std::string& db) {
    return fs::path(strip_slashes(db)).filename().string() + ".cari-tmp-";
}

// Removes DB.cari-tmp-PID folders whose process is gone.
void remove_stale_temps(const std::string& db) {
    const fs::path target(strip_slashes(db));
    const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
    const std::string prefix = temp_prefix(db);
    std::error_code ec;
    for (auto it = fs::directory_iterator(parent, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.starts_with(prefix)) continue;
        const std::string pid_s = name.substr(prefix.size());
        if (pid_s.empty() || pid_s.find_first_not_of("0123456789") != std::string::npos) continue;
        const long pid = std::strtol(pid_s.c_str(), nullptr, 10);
        if (pid == static_cast<long>(::getpid())) continue;
        if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // still running
        std::error_code rm;
        fs::remove_all(it->path(), rm);
    }
}

struct Chunk {
    std::vector<Piece> pieces;
    std::uint64_t bytes = 0;
};

// What one chunk produced, filled by the worker that took it.
struct ChunkOut {
    std::vector<InputProblem> problems;
    std::unordered_map<std::string, Xapian::docid> ids;  // id term -> docid in the shard
    std::size_t docs = 0;                                 // documents written (replacements included)
    std::map<std::size_t, std::size_t> per_file;          // file index -> documents
    std::map<std::size_t, std::uint64_t> whole_hash;      // whole files read: their hash
    std::vector<std::size_t> unreadable;                  // split files a piece of which could not be read
    struct Grouped {
        std::uint64_t feed_signature, content;
        bool head;
        std::size_t size;  // the head: its group's members, as the pre-pass saw them
    };
    std::unordered_map<std::string, Grouped> grouped;     // id term -> its group, when its last document here has one
    bool done = false;
};

struct FilePlan {
    std::uint64_t size = 0;
    bool split = false;
    std::uint64_t hash = 0;   // split files: hash of the whole file
};

// One pass over a large JSON Lines file: its hash, and cut points at line
// starts about every chunk_bytes. Returns false when the file is blank or
// cannot be read (the worker then reads it whole and reports why).
bool plan_split(const InputFile& f, std::uint64_t chunk_bytes, FilePlan& plan, std::vector<Piece>& pieces,
                std::size_t file_index) {
    std::uint64_t h = kHash64Seed, off = 0, piece_begin = 0, next_cut = chunk_bytes;
    std::size_t line = 1, piece_line = 1;
    bool blank = true, cut_pending = false;
    std::vector<Piece> out;
    auto scan = [&](std::string_view buf) {
        const std::size_t n = buf.size();
        h = hash64_update(h, buf);
        for (std::size_t i = 0; i < n; ++i) {
            const char c = buf[i];
            if (blank && c != ' ' && c != '\t' && c != '\r' && c != '\n') blank = false;
            if (c != '\n') continue;
            ++line;
            if (off + i + 1 >= next_cut) cut_pending = true;
            if (cut_pending) {
                Piece p;
                p.file = file_index;
                p.whole = false;
                p.begin = piece_begin;
                p.end = off + i + 1;
                p.first_line = piece_line;
                out.push_back(p);
                piece_begin = p.end;
                piece_line = line;
                next_cut = piece_begin + chunk_bytes;
                cut_pending = false;
            }
        }
        off += n;
    };
    try {
        read_blocks(f.path, scan);
    } catch (const InputError&) {
        return false;
    }
    if (blank || off != plan.size) return false;
    if (piece_begin < off) {
        Piece p;
        p.file = file_index;
        p.whole = false;
        p.begin = piece_begin;
        p.end = off;
        p.first_line = piece_line;
        out.push_back(p);
    }
    plan.split = true;
    plan.hash = h;
    pieces.insert(pieces.end(), out.begin(), out.end());
    return true;
}

// Part c of the build, for shard k of a sharded index (k = 0 for one database).
std::string part_path(const fs::path& tmp, std::size_t c, unsigned k) {
    return (tmp / ("part-" + std::to_string(c) + "-" + std::to_string(k))).string();
}

IndexReport index_sharded(const std::vector<std::string>& paths, const IndexOptions& opts,
                          const ProblemFn& on_problem, const ProgressFn& on_progress) {
    const auto t0 = std::chrono::steady_clock::now();
    IndexReport report;
    ProblemLog problem(report, on_problem);

    std::vector<InputProblem> listing;
    const auto files = list_inputs(paths, opts.format, listing);
    for (auto& p : listing) problem(std::move(p));

    const std::string target = strip_slashes(opts.db);
    remove_stale_temps(target);
    const bool was_sharded = sharded_count(target).has_value();
    {
        // Refuse to replace a folder that holds something other than an index.
        std::error_code ec;
        if (fs::is_directory(target, ec) && !fs::is_empty(target, ec) && !is_single_index(target) && !was_sharded)
            throw std::runtime_error(target + " is not empty and holds no Xapian index: not replacing it");
    }
    // Holding the target's write lock (a sharded index: shard 0's, which update
    // takes first) for the whole build keeps another build or update out.
    if (!was_sharded) create_index_atomically(target);
    Xapian::WritableDatabase lock(was_sharded ? shard_path(target, 0) : target,
                                  was_sharded ? Xapian::DB_OPEN : Xapian::DB_CREATE_OR_OPEN);
    // User-visible shards: each part is written as one database per shard
    // (a document to shard_of(its id term)), and shard k is the merge of every
    // part's k-th database, so the build stays parallel.
    const unsigned nshards = opts.shards ? opts.shards : 1;

    const fs::path tmp = fs::path(target).string() + ".cari-tmp-" + std::to_string(::getpid());
    {
        std::error_code ec;
        fs::remove_all(tmp, ec);
    }
    fs::create_directories(tmp);
    struct TempGuard {
        fs::path p;
        ~TempGuard() {
            std::error_code ec;
            fs::remove_all(p, ec);
        }
    } guard{tmp};

    auto analyzer = Analyzer::default_instance();
    FeedGroups groups(nshards);
    const TemplateStats templates = batch_templates(files, {}, {}, &groups);
    groups.finish();
    const CleanOptions clean_opts{&templates};
    const unsigned jobs = opts.jobs ? opts.jobs : std::max(1u, std::thread::hardware_concurrency());

    // 1. Plan.
    const std::uint64_t known_total = input_total(files);
    std::uint64_t total = 0;
    std::vector<FilePlan> plans(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        plans[i].size = files[i].size;
        total += plans[i].size;
    }
    // One shard per job, but none over kMaxShardBytes of input: a Xapian
    // database costs more per document as it grows (its B-trees outgrow the
    // caches), and shards are taken by the workers in turn.
    const std::uint64_t chunk_bytes =
        opts.parts ? std::max<std::uint64_t>(total / opts.parts + 1, 64 << 10)
                    : std::max<std::uint64_t>(std::min<std::uint64_t>(total / jobs + 1, kMaxShardBytes), 64 << 10);
    std::vector<Piece> pieces;
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (files[i].format == Format::Jsonl && plans[i].size > chunk_bytes &&
            plan_split(files[i], chunk_bytes, plans[i], pieces, i))
            continue;
        Piece p;
        p.file = i;
        pieces.push_back(p);
    }
    std::vector<Chunk> chunks;
    for (const auto& p : pieces) {
        if (chunks.empty() || chunks.back().bytes >= chunk_bytes) chunks.emplace_back();
        chunks.back().pieces.push_back(p);
        chunks.back().bytes += p.whole ? plans[p.file].size : p.end - p.begin;
    }
    if (chunks.empty()) chunks.emplace_back();  // an empty index is still an index

    // 2. Workers: a chunk at a time, each into its own shard.
    std::vector<ChunkOut> outs(chunks.size());
    std::mutex m;
    std::condition_variable cv;
    std::atomic<std::size_t> next_chunk{0}, docs_done{0};
    std::atomic<std::uint64_t> bytes_done{0};
    std::atomic<bool> stop{false};
    std::exception_ptr fatal;
    const std::size_t batch = opts.batch ? opts.batch : kShardBatch;
    const int shard_flags = Xapian::DB_CREATE | Xapian::DB_NO_SYNC | Xapian::DB_BACKEND_GLASS;

    auto work_chunk = [&](std::size_t c) {
        ChunkOut out;
        std::vector<Xapian::WritableDatabase> part;
        for (unsigned k = 0; k < nshards; ++k) part.emplace_back(part_path(tmp, c, k), shard_flags);
        std::vector<std::size_t> since_commit(nshards, 0);
        auto handle = [&](const RawDoc& raw, std::size_t file_index) {
            if (stop) return;
            try {
                const std::uint64_t rh = hash64(raw.bytes);
                const Article a = clean(raw, clean_opts);
                if (a.paragraphs.empty() && a.title.empty()) throw InputError("no article text found");
                for (const auto& n : a.notes) out.problems.push_back({raw.path, raw.line, n, true});
                std::optional<Duplicate> dup = groups.mark(a.id, a.feed_signature);
                if (dup) dup->content = content_signature(a);
                Xapian::Document doc = make_document(a, *analyzer, rh, nullptr, dup ? &*dup : nullptr);
                std::string idt = id_term(a.id);
                const unsigned k = shard_of(idt, nshards);
                auto& shard = part[k];
                if (dup && !group_of(doc).empty())
                    out.grouped[idt] = {a.feed_signature, dup->content, dup->head, dup->others.size() + 1};
                else out.grouped.erase(idt);
                if (auto it = out.ids.find(idt); it != out.ids.end()) {
                    shard.replace_document(it->second, doc);
                } else {
                    out.ids.emplace(std::move(idt), shard.add_document(doc));
                }
                ++out.docs;
                ++out.per_file[file_index];
                ++docs_done;
                if (++since_commit[k] >= batch) {
                    shard.commit();
                    since_commit[k] = 0;
                }
            } catch (const InputError& e) {
                out.problems.push_back({raw.path, raw.line, e.what()});
            } catch (const Xapian::DatabaseError&) {
                throw;  // the shard cannot be written: fatal
            } catch (const std::exception& e) {
                out.problems.push_back({raw.path, raw.line, e.what()});
            } catch (const Xapian::Error& e) {
                out.problems.push_back({raw.path, raw.line, e.get_description()});
            }
        };
        for (const auto& p : chunks[c].pieces) {
            if (stop) break;
            const InputFile& f = files[p.file];
            // Progress counts a document's bytes once it is indexed, and the
            // rest of its input (newlines, blank lines) when the input is done.
            std::uint64_t counted = 0;
            auto index_doc = [&](RawDoc&& raw) {
                const std::uint64_t n = raw.bytes.size();
                handle(raw, p.file);
                counted += n;
                bytes_done += n;
            };
            if (!p.whole) {
                try {
                    out.per_file[p.file] += 0;
                    read_piece(f, p, index_doc);
                } catch (const InputError& e) {
                    out.problems.push_back({f.path, 0, e.what()});
                    out.unreadable.push_back(p.file);
                }
                bytes_done += (p.end - p.begin) - std::min<std::uint64_t>(counted, p.end - p.begin);
                continue;
            }
            std::string bytes;
            try {
                bytes = read_file(f.path);
            } catch (const std::exception& e) {
                out.problems.push_back({f.path, 0, e.what()});
                bytes_done += f.size;  // done, as far as progress goes
                continue;
            }
            const std::uint64_t file_bytes = bytes.size();
            if (bytes.find_first_not_of(" \t\r\n") == std::string::npos) {
                out.problems.push_back({f.path, 0, "empty file"});
                bytes_done += file_bytes;
                continue;
            }
            out.whole_hash[p.file] = hash64(bytes);
            out.per_file[p.file] += 0;  // the file was read: it gets its metadata even with no documents
            split_documents(f, std::move(bytes), index_doc);
            bytes_done += file_bytes - std::min(counted, file_bytes);
        }
        for (auto& d : part) {
            d.commit();
            d.close();
        }
        out.done = true;
        std::lock_guard lk(m);
        outs[c] = std::move(out);
        cv.notify_all();
    };

    const unsigned nworkers = static_cast<unsigned>(std::min<std::size_t>(jobs, chunks.size()));
    std::vector<std::thread> workers;
    for (unsigned w = 0; w < nworkers; ++w)
        workers.emplace_back([&] {
            for (std::size_t c; !stop && (c = next_chunk++) < chunks.size();) {
                try {
                    work_chunk(c);
                } catch (...) {
                    std::lock_guard lk(m);
                    if (!fatal) fatal = std::current_exception();
                    stop = true;
                    cv.notify_all();
                    return;
                }
            }
        });

    // Meanwhile: progress, and each chunk's problems once it and all before it are done.
    std::size_t reported = 0;
    {
        std::unique_lock lk(m);
        while (true) {
            while (reported < chunks.size() && outs[reported].done) {
                auto probs = std::move(outs[reported].problems);
                ++reported;
                lk.unlock();
                for (auto& p : probs) problem(std::move(p));
                lk.lock();
            }
            if (reported == chunks.size() || fatal) break;
            cv.wait_for(lk, std::chrono::milliseconds(100));
            if (on_progress) {
                lk.unlock();
                on_progress({docs_done.load(), bytes_done.load(), known_total});
                lk.lock();
            }
        }
    }
    for (auto& t : workers) t.join();
    if (fatal) std::rethrow_exception(fatal);

    // 3. An id in more than one chunk: first occurrence's docid, last one's content.
    std::unordered_map<std::string, std::pair<std::size_t, Xapian::docid>> first;
    std::map<std::string, std::vector<std::pair<std::size_t, Xapian::docid>>> dups;
    std::size_t docs = 0;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        docs += outs[c].docs;
        for (const auto& [idt, did] : outs[c].ids) {
            auto [it, fresh] = first.try_emplace(idt, c, did);
            if (fresh) continue;
            auto& v = dups[idt];
            if (v.empty()) v.push_back(it->second);
            v.emplace_back(c, did);
        }
    }
    std::vector<std::optional<Xapian::WritableDatabase>> opened(chunks.size() * nshards);
    auto shard_db = [&](std::size_t c, unsigned k) -> Xapian::WritableDatabase& {
        auto& o = opened[c * nshards + k];
        if (!o) o.emplace(part_path(tmp, c, k), Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
        return *o;
    };
    for (auto& [idt, occ] : dups) {
        std::sort(occ.begin(), occ.end());
        const unsigned k = shard_of(idt, nshards);  // every occurrence went to the same shard
        const auto [fc, fdid] = occ.front();
        const auto [lc, ldid] = occ.back();
        const Xapian::Document latest = shard_db(lc, k).get_document(ldid);
        shard_db(fc, k).replace_document(fdid, latest);
        for (std::size_t i = 1; i < occ.size(); ++i) shard_db(occ[i].first, k).delete_document(occ[i].second);
    }
    report.added = first.size();
    report.replaced = docs - first.size();

    // Exact-duplicate groups not indexed as the pre-pass saw them (a line
    // failed after all): settled once merged. Each id's last chunk has its content.
    struct GroupCheck {
        std::uint64_t content = 0;
        std::size_t indexed = 0, expected = 0;
        bool head = false;
    };
    std::map<std::pair<unsigned, std::uint64_t>, GroupCheck> group_checks;  // (shard, feed signature) ->
    {
        std::unordered_map<std::string, ChunkOut::Grouped> last;
        for (auto& o : outs)
            for (const auto& [idt, did] : o.ids) {
                if (auto g = o.grouped.find(idt); g != o.grouped.end()) last[idt] = g->second;
                else last.erase(idt);
            }
        for (const auto& [idt, g] : last) {
            auto& c = group_checks[{shard_of(idt, nshards), g.feed_signature}];
            c.content = g.content;
            ++c.indexed;
            if (g.head) {
                c.head = true;
                c.expected = g.size;
            }
        }
    }

    // File metadata, and the index's own, go into the first part (of shard 0);
    // every shard knows the stemmer and its place.
    for (unsigned k = 0; k < nshards; ++k) stamp_index(shard_db(0, k), *analyzer, k, opts.shards ? nshards : 0);
    {
        auto& s0 = shard_db(0, 0);
        s0.set_metadata(std::string(schema::kMetaTemplates), templates.serialize());
        // As one writer: after each file (in input order), its hash and the documents
        // its path has given so far in this run (a path named twice counts twice).
        std::map<std::size_t, std::size_t> per_file;
        std::map<std::size_t, std::uint64_t> hashes;
        std::set<std::size_t> unreadable;
        for (auto& o : outs) {
            for (const auto& [fi, n] : o.per_file) per_file[fi] += n;
            hashes.insert(o.whole_hash.begin(), o.whole_hash.end());
            unreadable.insert(o.unreadable.begin(), o.unreadable.end());
        }
        std::map<std::string, std::size_t> per_path;
        for (const auto& [fi, n] : per_file) {
            per_path[files[fi].path] += n;
            if (unreadable.count(fi)) continue;
            const std::uint64_t h = plans[fi].split ? plans[fi].hash : hashes[fi];
            s0.set_metadata(file_meta_key(files[fi].path), hex64(h) + " " + std::to_string(per_path[files[fi].path]));
        }
    }
    for (auto& d : opened)
        if (d) {
            d->commit();
            d->close();
        }

    // 4. Merge in chunk order (docids follow), then swap into place.
    if (on_progress)
        on_progress({report.documents(), bytes_done.load(), known_total, Progress::Phase::Merging, chunks.size()});
    std::error_code ec;
    const auto tm = std::chrono::steady_clock::now();
    for (auto it = fs::recursive_directory_iterator(tmp, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (it->is_regular_file(ec)) report.shard_bytes += it->file_size(ec);
    if (opts.shards) fs::create_directories(tmp / "out");
    for (unsigned k = 0; k < nshards; ++k) {
        Xapian::Database all;
        for (std::size_t c = 0; c < chunks.size(); ++c) all.add_database(Xapian::Database(part_path(tmp, c, k)));
        unsigned flags = Xapian::Compactor::FULL;
        if (chunks.size() > 3) flags |= Xapian::DBCOMPACT_MULTIPASS;
        all.compact(opts.shards ? shard_path((tmp / "out").string(), k) : (tmp / "out").string(), flags);
    }
    for (const auto& [key, c] : group_checks) {
        if (c.head && c.indexed == c.expected) continue;
        Xapian::WritableDatabase out(opts.shards ? shard_path((tmp / "out").string(), key.first) : (tmp / "out").string(),
                                     Xapian::DB_OPEN);
        settle_group(out, cluster_term(c.content));
        out.commit();
    }
    if (opts.shards) write_file_atomically((tmp / "out" / kStubName).string(), local_stub(nshards));
    const fs::path old = tmp / "old";
    const bool had_old = fs::exists(target, ec);
    if (had_old) fs::rename(target, old);
    fs::rename(tmp / "out", target);
    lock.close();
    report.parts = chunks.size();
    report.shards = opts.shards;
    report.merge_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - tm).count();

    problem.finish();
    std::uint64_t read_bytes = 0;
    for (const auto& p : plans) read_bytes += p.size;
    report.bytes = std::max<std::uint64_t>(bytes_done.load(), read_bytes);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (on_progress) on_progress({report.documents(), report.bytes, known_total});
    return report;
}

// Cross-document template counts for a batch: the counts kept in the index from
// earlier batches plus the lines of this batch's new or changed inputs (a file
// counted before is not counted again). Standard input cannot be read twice and
// adds nothing.
TemplateStats batch_templates(const std::vector<InputFile>& files, const std::string& stored,
                              const std::function<bool(const std::string&, std::uint64_t)>& seen_before,
                              FeedGroups* groups) {
    TemplateStats stats;
    auto collect = [&](const RawDoc& raw) {
        FeedKey key;
        collect_template_lines(raw, stats, groups ? &key : nullptr);
        if (groups) groups->add(std::move(key));
    };
    if (!stored.empty()) {
        try {
            stats = TemplateStats::deserialize(stored);
        } catch (const InputError&) {
            stats = TemplateStats{};  // unreadable counts: start afresh
        }
    }
    for (const auto& f : files) {
        if (f.path == "-") continue;
        if (f.format == Format::Jsonl) {
            // Streamed: a JSON Lines file may be larger than the memory indexing
            // needs. (Problems: the indexing pass names them.)
            try {
                std::uint64_t size = f.size;  // a build: as listed, as its plan cuts it
                if (seen_before) {
                    const FileScan scan = scan_file(f.path);
                    if (seen_before(f.path, scan.hash)) continue;
                    size = scan.size;
                }
                read_piece(f, whole_file(0, size), [&](RawDoc&& raw) { collect(raw); });
            } catch (const InputError&) {
            }
            continue;
        }
        std::string bytes;
        try {
            bytes = read_file(f.path);
        } catch (const std::exception&) {
            continue;  // the indexing pass names it
        }
        if (seen_before && seen_before(f.path, hash64(bytes))) continue;
        split_documents(f, std::move(bytes), [&](RawDoc&& raw) { collect(raw); });
    }
    return stats;
}

} // namespace

IndexReport index_paths(const std::vector<std::string>& paths, const IndexOptions& opts, const ProblemFn& on_problem,
                        const ProgressFn& on_progress) {
    if (opts.create && opts.sharded) return index_sharded(paths, opts, on_problem, on_progress);
    if (!opts.create) remove_stale_temps(opts.db);
    return index_serial(paths, opts, on_problem, on_progress);
}

namespace {
std::uint64_t disk_usage(const std::string& path) {
    std::uint64_t n = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (it->is_regular_file(ec)) n += it->file_size(ec);
    return n;
}
} // namespace

IndexStatsInfo index_stats(const std::string& path) {
    // A sharded index opens as one database through its stub; its shards are listed too.
    Xapian::Database db(path);
    IndexStatsInfo s;
    if (const auto n = sharded_count(strip_slashes(path)))
        for (unsigned k = 0; k < *n; ++k) {
            const std::string p = shard_path(strip_slashes(path), k);
            s.shards.push_back({shard_dir_name(k), Xapian::Database(p).get_doccount(), disk_usage(p)});
        }
    s.documents = db.get_doccount();
    s.avg_length = db.get_avlength();
    s.stemmer = db.get_metadata(std::string(schema::kMetaStemmer));
    const std::string prefix(schema::kMetaFilePrefix);
    for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k)
        if (!db.get_metadata(*k).empty()) ++s.files;
    for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
        const std::string term = *t;
        if (!term.empty() && !(term[0] >= 'A' && term[0] <= 'Z')) ++s.terms;
    }
    s.disk_bytes = disk_usage(path);
    return s;
}

std::vector<std::string> compact_index(const std::string& path) {
    const std::string dir = strip_slashes(path);
    std::vector<std::string> targets;
    if (const auto n = sharded_count(dir)) {
        for (unsigned k = 0; k < *n; ++k) targets.push_back(shard_path(dir, k));
    } else if (is_single_index(dir)) {
        targets.push_back(dir);
    } else {
        throw std::runtime_error("no index at " + dir);
    }
    std::vector<std::string> lines;
    for (const auto& t : targets) {
        // The shard's write lock keeps update out while its copy is made and swapped in.
        Xapian::WritableDatabase lock(t, Xapian::DB_OPEN);
        const std::uint64_t before = disk_usage(t);
        const std::string out = t + ".cari-compact", old = t + ".cari-old";
        std::error_code ec;
        fs::remove_all(out, ec);
        fs::remove_all(old, ec);
        Xapian::Database(t).compact(out, Xapian::Compactor::FULL);
        fs::rename(t, old);
        fs::rename(out, t);
        lock.close();
        fs::remove_all(old, ec);
        lines.push_back(fs::path(t).filename().string() + ": " + std::to_string(before) + " -> " +
                        std::to_string(disk_usage(t)) + " bytes");
    }
    return lines;
}

std::string stats_json(const IndexStatsInfo& s) {
    std::ostringstream o;
    o << "{\"documents\":" << s.documents << ",\"files\":" << s.files << ",\"terms\":" << s.terms
      << ",\"avg_length\":" << s.avg_length << ",\"stemmer\":" << json::quote(s.stemmer)
      << ",\"disk_bytes\":" << s.disk_bytes;
    if (!s.shards.empty()) {
        o << ",\"shards\":[";
        for (std::size_t i = 0; i < s.shards.size(); ++i)
            o << (i ? "," : "") << "{\"name\":" << json::quote(s.shards[i].name)
              << ",\"documents\":" << s.shards[i].documents << ",\"disk_bytes\":" << s.shards[i].disk_bytes << "}";
        o << "]";
    }
    o << "}";
    return o.str();
}

} // namespace cari
