#include "index.h"

#include "analyzer.h"
#include "cleaner.h"
#include "document.h"
#include "json.h"
#include "schema.h"
#include "work_queue.h"

#include <xapian.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
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
    return s.str();
}

std::string default_db_path() {
    if (const char* env = std::getenv("CARI_DB"); env && *env) return env;
    return "cari-index-db";
}

namespace {

constexpr std::size_t kProblemsShownPerFile = 10;

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

struct Job {
    enum class Kind { Doc, FileDone } kind = Kind::Doc;
    std::size_t seq = 0;
    RawDoc raw;
    std::uint64_t file_hash = 0;
};

struct Result {
    enum class Kind { Doc, Unchanged, Problem, FileDone } kind = Kind::Doc;
    std::size_t seq = 0;
    std::string path;
    std::string id_term;
    Xapian::Document doc;
    InputProblem problem;
    std::uint64_t file_hash = 0;
    std::size_t count = 0;  // Unchanged: how many documents it stands for
};

// Results come back from the workers out of order; the writer takes them in
// input order so a parallel build writes exactly what a serial one would.
class Reorder {
public:
    void put(Result&& r) {
        std::lock_guard lk(m_);
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
        return r;
    }
    void finish(std::size_t total) {
        std::lock_guard lk(m_);
        done_ = true;
        total_ = total;
        cv_.notify_all();
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    std::map<std::size_t, Result> pending_;
    bool done_ = false;
    std::size_t total_ = 0;
};

} // namespace

IndexReport index_paths(const std::vector<std::string>& paths, const IndexOptions& opts, const ProblemFn& on_problem,
                        const ProgressFn& on_progress) {
    const auto t0 = std::chrono::steady_clock::now();
    IndexReport report;
    std::map<std::string, std::size_t> per_path_problems;
    auto problem = [&](InputProblem p) {
        if (p.note) {
            if (on_problem) on_problem(p);
            return;
        }
        // A file whose every line is broken should not flood stderr: ten lines
        // each, then one line with the count.
        const std::size_t n = ++per_path_problems[p.path];
        if (on_problem && n <= kProblemsShownPerFile) on_problem(p);
        report.problems.push_back(std::move(p));
        ++report.skipped;
    };

    std::vector<InputProblem> listing;
    const auto files = list_inputs(paths, opts.format, listing);
    for (auto& p : listing) problem(std::move(p));

    auto analyzer = Analyzer::default_instance();
    Xapian::WritableDatabase db(opts.db, opts.create ? Xapian::DB_CREATE_OR_OVERWRITE : Xapian::DB_CREATE_OR_OPEN);
    const std::string built_with = db.get_metadata(std::string(schema::kMetaStemmer));
    if (!built_with.empty() && built_with != analyzer->stemmer().name())
        throw std::runtime_error("index " + opts.db + " was built with the '" + built_with + "' stemmer, not '" +
                                 analyzer->stemmer().name() + "': rebuild it with 'cari-index build'");
    db.set_metadata(std::string(schema::kMetaFormat), std::string(schema::kFormatVersion));
    db.set_metadata(std::string(schema::kMetaStemmer), analyzer->stemmer().name());

    // Workers check "unchanged" against the index as it was when the run began.
    std::optional<Xapian::Database> before;
    if (!opts.create && db.get_doccount() > 0) before.emplace(opts.db);

    const unsigned jobs = opts.jobs ? opts.jobs : std::max(1u, std::thread::hardware_concurrency());
    WorkQueue<Job> in(256);
    Reorder out;
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> bytes_read{0};
    std::size_t total_seq = 0;

    std::thread producer([&] {
        std::size_t seq = 0;
        for (const auto& f : files) {
            if (stop) break;
            std::string bytes;
            try {
                bytes = read_file(f.path);
            } catch (const std::exception& e) {
                Result r;
                r.kind = Result::Kind::Problem;
                r.seq = seq++;
                r.problem = {f.path, 0, e.what()};
                out.put(std::move(r));
                continue;
            }
            bytes_read += bytes.size();
            if (bytes.find_first_not_of(" \t\r\n") == std::string::npos) {
                Result r;
                r.kind = Result::Kind::Problem;
                r.seq = seq++;
                r.problem = {f.path, 0, "empty file"};
                out.put(std::move(r));
                continue;
            }
            const std::uint64_t fh = hash64(bytes);
            if (before && f.path != "-") {
                const auto st = parse_file_state(before->get_metadata(file_meta_key(f.path)));
                if (st && st->hash == fh) {
                    // The whole file is as it was: nothing to clean or analyse.
                    Result r;
                    r.kind = Result::Kind::Unchanged;
                    r.seq = seq++;
                    r.path = f.path;
                    r.count = st->count;
                    out.put(std::move(r));
                    continue;
                }
            }
            split_documents(f, std::move(bytes), [&](RawDoc&& raw) {
                Job j;
                j.seq = seq++;
                j.raw = std::move(raw);
                in.push(std::move(j));
            });
            Job done;
            done.kind = Job::Kind::FileDone;
            done.seq = seq++;
            done.raw.path = f.path;
            done.file_hash = fh;
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
                if (j->kind == Job::Kind::FileDone) {
                    r.kind = Result::Kind::FileDone;
                    r.file_hash = j->file_hash;
                    out.put(std::move(r));
                    continue;
                }
                try {
                    const std::uint64_t rh = hash64(j->raw.bytes);
                    if (snap && snap->term_exists(raw_hash_term(rh))) {
                        r.kind = Result::Kind::Unchanged;
                        r.count = 1;
                    } else {
                        const Article a = clean(j->raw);
                        if (a.paragraphs.empty() && a.title.empty()) throw InputError("no article text found");
                        r.doc = make_document(a, *analyzer, rh);
                        r.id_term = id_term(a.id);
                    }
                } catch (const std::exception& e) {
                    r.kind = Result::Kind::Problem;
                    r.problem = {j->raw.path, j->raw.line, e.what()};
                } catch (const Xapian::Error& e) {
                    r.kind = Result::Kind::Problem;
                    r.problem = {j->raw.path, j->raw.line, e.get_description()};
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
        for (auto& t : workers) t.join();
    };

    try {
        std::map<std::string, std::size_t> per_file;  // documents each file gave in this run
        std::size_t since_commit = 0, done_docs = 0;
        for (std::size_t seq = 0;; ++seq) {
            auto r = out.take(seq);
            if (!r) break;
            switch (r->kind) {
                case Result::Kind::Problem:
                    problem(std::move(r->problem));
                    break;
                case Result::Kind::Unchanged:
                    report.unchanged += r->count;
                    per_file[r->path] += r->count;
                    break;
                case Result::Kind::Doc: {
                    const bool existed = db.term_exists(r->id_term);
                    db.replace_document(r->id_term, r->doc);
                    ++(existed ? report.replaced : report.added);
                    ++per_file[r->path];
                    ++since_commit;
                    ++done_docs;
                    break;
                }
                case Result::Kind::FileDone:
                    db.set_metadata(file_meta_key(r->path), hex64(r->file_hash) + " " + std::to_string(per_file[r->path]));
                    break;
            }
            if (since_commit >= opts.batch) {
                db.commit();
                since_commit = 0;
            }
            if (on_progress && (seq % 64 == 0)) on_progress(report.documents(), bytes_read.load());
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
                std::vector<Xapian::docid> ids;
                for (auto p = db.postlist_begin(ft); p != db.postlist_end(ft); ++p) ids.push_back(*p);
                for (auto id : ids) db.delete_document(id);
                report.removed += ids.size();
                db.set_metadata(key, "");
            }
        }
        db.commit();
        if (on_problem)
            for (const auto& [path, n] : per_path_problems)
                if (n > kProblemsShownPerFile)
                    on_problem({path, 0, std::to_string(n - kProblemsShownPerFile) + " more skipped lines not shown"});
    } catch (...) {
        shutdown();
        throw;
    }
    shutdown();
    report.bytes = bytes_read;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (on_progress) on_progress(report.documents(), report.bytes);
    return report;
}

IndexStatsInfo index_stats(const std::string& path) {
    Xapian::Database db(path);
    IndexStatsInfo s;
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
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (it->is_regular_file(ec)) s.disk_bytes += it->file_size(ec);
    return s;
}

std::string stats_json(const IndexStatsInfo& s) {
    std::ostringstream o;
    o << "{\"documents\":" << s.documents << ",\"files\":" << s.files << ",\"terms\":" << s.terms
      << ",\"avg_length\":" << s.avg_length << ",\"stemmer\":" << json::quote(s.stemmer)
      << ",\"disk_bytes\":" << s.disk_bytes << "}";
    return o.str();
}

} // namespace cari
