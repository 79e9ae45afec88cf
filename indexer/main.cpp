// cari-index: build and update indexes, show what would be indexed, stem words.
// Thin: parse options, call the library, print, map outcomes to exit codes.
#include "analyzer.h"
#include "cleaner.h"
#include "index.h"
#include "output.h"
#include "readers.h"

#include <xapian.h>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <unistd.h>
#include <string>
#include <vector>

namespace {

cari::Format parse_format(const std::string& s) {
    if (s == "text") return cari::Format::Text;
    if (s == "html") return cari::Format::Html;
    if (s == "jsonl") return cari::Format::Jsonl;
    return cari::Format::Auto;
}

int run_stem(const std::vector<std::string>& words) {
    auto analyzer = cari::Analyzer::default_instance();
    auto one = [&](const std::string& w) {
        const std::string norm = analyzer->normalize(w);
        std::cout << w << '\t' << analyzer->stem(norm) << '\n';
    };
    if (!words.empty()) {
        for (const auto& w : words) one(w);
    } else {
        std::string line;
        while (std::getline(std::cin, line)) {
            std::size_t b = 0;
            while (b < line.size()) {
                const std::size_t e = std::min(line.find_first_of(" \t\r", b), line.size());
                if (e > b) one(line.substr(b, e - b));
                b = e + 1;
            }
        }
    }
    return 0;
}

int run_clean(const std::vector<std::string>& paths, cari::Format fmt, bool as_json) {
    std::vector<cari::InputProblem> problems;
    const auto files = cari::list_inputs(paths, fmt, problems);
    bool skipped = false;
    for (const auto& p : problems) {
        std::cerr << "cari-index: " << p.to_string() << '\n';
        skipped = skipped || !p.note;
    }
    for (const auto& f : files) {
        std::string bytes;
        try {
            bytes = cari::read_file(f.path);
        } catch (const cari::InputError& e) {
            std::cerr << "cari-index: " << f.path << ": " << e.what() << '\n';
            skipped = true;
            continue;
        }
        cari::split_documents(f, std::move(bytes), [&](cari::RawDoc&& raw) {
            try {
                const cari::Article a = cari::clean(raw);
                for (const auto& n : a.notes)
                    std::cerr << "cari-index: " << cari::InputProblem{raw.path, raw.line, n, true}.to_string() << '\n';
                if (as_json) {
                    std::cout << cari::article_json(a) << '\n';
                } else {
                    std::cout << "== " << a.path << (raw.line ? ":" + std::to_string(raw.line) : "") << '\n'
                              << "title:  " << a.title << '\n'
                              << "date:   " << a.date << '\n'
                              << "source: " << a.source << '\n'
                              << "author: " << a.author << '\n'
                              << "url:    " << a.url << "\n\n"
                              << a.body() << "\n\n";
                }
            } catch (const cari::InputError& e) {
                std::cerr << "cari-index: " << cari::InputProblem{raw.path, raw.line, e.what()}.to_string() << '\n';
                skipped = true;
            }
        });
    }
    return skipped ? 1 : 0;
}

// One line on a terminal, redrawn in place (cari::progress_line): at most four
// times a second, and at once when the build starts merging.
class ProgressLine {
public:
    explicit ProgressLine(bool on) : on_(on), t0_(std::chrono::steady_clock::now()) {}
    void operator()(const cari::Progress& p) {
        if (!on_) return;
        const auto now = std::chrono::steady_clock::now();
        if (now - last_ < std::chrono::milliseconds(250) && p.phase == phase_) return;
        last_ = now;
        phase_ = p.phase;
        const std::string line = cari::progress_line(p, std::chrono::duration<double>(now - t0_).count());
        std::fprintf(stderr, "\r\x1b[K%s", line.c_str());
        drawn_ = true;
    }
    void clear() {
        if (drawn_) std::fprintf(stderr, "\r\x1b[K");
        drawn_ = false;
    }

private:
    bool on_;
    bool drawn_ = false;
    cari::Progress::Phase phase_ = cari::Progress::Phase::Indexing;
    std::chrono::steady_clock::time_point t0_, last_{};
};

int run_index(const std::vector<std::string>& paths, const cari::IndexOptions& opts, bool quiet) {
    ProgressLine progress(!quiet && isatty(STDERR_FILENO));
    const auto report = cari::index_paths(
        paths, opts,
        [&](const cari::InputProblem& p) {
            progress.clear();
            std::cerr << "cari-index: " << p.to_string() << '\n';
        },
        [&](const cari::Progress& p) { progress(p); });
    progress.clear();
    if (!quiet) std::cerr << "cari-index: " << report.summary() << '\n';
    return report.skipped ? 1 : 0;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"cari-index: build and update Cari search indexes of Indonesian news"};
    app.require_subcommand(1);

    std::string format = "auto";
    std::vector<std::string> paths;
    bool as_json = false;
    auto* clean = app.add_subcommand("clean", "show what would be indexed for each document");
    clean->add_option("--format", format, "input format")->check(CLI::IsMember({"auto", "text", "html", "jsonl"}));
    clean->add_flag("--json", as_json, "one JSON object a line");
    clean->add_option("paths", paths, "files, folders, or - for stdin")->required();

    std::string db;
    unsigned jobs = 0;
    bool prune = false, quiet = false;
    std::size_t batch = 0;
    auto* build = app.add_subcommand("build", "index PATHs into a new index (replacing any there)");
    auto* update = app.add_subcommand("update", "add new, replace changed, skip unchanged documents");
    for (auto* sc : {build, update}) {
        sc->add_option("--db", db, "index folder (default $CARI_DB or ./cari-index-db)");
        sc->add_option("--format", format, "input format")->check(CLI::IsMember({"auto", "text", "html", "jsonl"}));
        sc->add_option("--jobs,-j", jobs, "worker threads (default: all cores)")->check(CLI::Range(0u, 256u));
        sc->add_option("--batch", batch, "documents per commit (default: build 250 per shard, update 1000)")
            ->check(CLI::Range(1, 10000000));
        sc->add_flag("--quiet,-q", quiet, "no progress and no summary");
        sc->add_option("paths", paths, "files, folders, or - for stdin")->required();
    }
    unsigned shards = 0, parts = 0;
    build->add_option("--shards", shards,
                      "keep N shard databases (documents routed by a hash of their id) and a stub file; "
                      "default: one database")
        ->check(CLI::Range(1u, 256u));
    update->add_option("--shards", shards, "the index's shard count (refused when it differs; creates N shards "
                                           "when there is no index yet)")
        ->check(CLI::Range(1u, 256u));
    build->add_option("--parts", parts, "parts written in parallel, then merged (default: one per job, more past 24 MB each)")
        ->check(CLI::Range(0u, 1024u));
    update->add_flag("--prune", prune, "remove documents whose source file is gone");
    bool stats_json = false;
    auto* stats = app.add_subcommand("stats", "numbers about an index");
    stats->add_option("--db", db, "index folder (default $CARI_DB or ./cari-index-db)");
    stats->add_flag("--json", stats_json, "as JSON");

    auto* compact = app.add_subcommand("compact", "compact each shard of an index (or the one database) in place");
    compact->add_option("--db", db, "index folder (default $CARI_DB or ./cari-index-db)");

    std::vector<std::string> words;
    auto* stem = app.add_subcommand("stem", "print word<TAB>stem for each word (stdin when none given)");
    stem->add_option("words", words, "words to stem");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }
    try {
        if (*stem) return run_stem(words);
        if (*clean) return run_clean(paths, parse_format(format), as_json);
        if (db.empty()) db = cari::default_db_path();
        if (*build || *update) {
            cari::IndexOptions opts;
            opts.db = db;
            opts.create = static_cast<bool>(*build);
            opts.prune = prune;
            opts.format = parse_format(format);
            opts.jobs = jobs;
            opts.batch = batch;
            opts.shards = shards;
            opts.parts = parts;
            return run_index(paths, opts, quiet);
        }
        if (*stats) {
            const auto s = cari::index_stats(db);
            if (stats_json) std::cout << cari::stats_json(s) << '\n';
            else
                std::cout << "documents  " << s.documents << "\nfiles      " << s.files << "\nterms      " << s.terms
                          << "\navg length " << s.avg_length << "\nstemmer    " << s.stemmer << "\ndisk bytes "
                          << s.disk_bytes << '\n';
            if (!stats_json)
                for (const auto& sh : s.shards)
                    std::cout << sh.name << "    " << sh.documents << " documents, " << sh.disk_bytes << " bytes\n";
            return 0;
        }
        if (*compact) {
            for (const auto& line : cari::compact_index(db)) std::cout << line << '\n';
            return 0;
        }
    } catch (const Xapian::DatabaseLockError& e) {
        std::cerr << "cari-index: index " << db << " is locked by another writer (" << db
                  << "/flintlock); try again when it is done\n";
        return 2;
    } catch (const Xapian::DatabaseOpeningError& e) {
        std::cerr << "cari-index: cannot open index " << db << ": " << e.get_msg() << '\n';
        return 2;
    } catch (const Xapian::Error& e) {
        std::cerr << "cari-index: " << e.get_description() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "cari-index: " << e.what() << '\n';
        return 2;
    }
    return 2;
}
