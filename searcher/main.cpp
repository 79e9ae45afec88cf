// cari-search: ranked search over a Cari index, on a terminal or as JSON Lines.
// Thin: parse options, call the library, print, map outcomes to exit codes.
#include "index.h"
#include "output.h"
#include "search.h"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace {

// Writes to stdout; a closed pipe (`| head`) ends the program quietly.
void emit(const std::string& s, int code_if_closed) {
    if (std::fwrite(s.data(), 1, s.size(), stdout) != s.size() || std::fflush(stdout) != 0) {
        if (errno == EPIPE) std::_Exit(code_if_closed);
        std::fprintf(stderr, "cari-search: cannot write output: %s\n", std::strerror(errno));
        std::_Exit(2);
    }
}

bool use_color(const std::string& mode) {
    if (mode == "always") return true;
    if (mode == "never") return false;
    const char* no_color = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    return isatty(STDOUT_FILENO) && !(no_color && *no_color) && !(term && std::string(term) == "dumb");
}

} // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    CLI::App app{"cari-search: search a Cari index of Indonesian news"};
    std::vector<std::string> dbs;
    std::size_t limit = 10, offset = 0, snippet_chars = 240;
    bool as_json = false, no_collapse = false, allow_partial = false, exact_total = false;
    std::string color = "auto", sort = "relevance", batch, synonyms;
    std::vector<std::string> words;
    app.add_option("--db", dbs,
                   "index folder, sharded index folder, stub file or tcp://HOST:PORT (repeat to search several as "
                   "one; default $CARI_DB or ./cari-index-db)")
        ->allow_extra_args(false);
    app.add_flag("--allow-partial", allow_partial,
                 "when a remote shard does not answer, search the others and mark the results partial");
    app.add_option("--limit,-n", limit, "hits to show")->check(CLI::Range(0, 10000));
    app.add_option("--offset", offset, "hits to skip (paging)")->check(CLI::Range(0, 1000000));
    app.add_flag("--json", as_json, "one JSON object a line per query");
    app.add_option("--color", color, "colour the output")->check(CLI::IsMember({"auto", "always", "never"}));
    app.add_option("--sort", sort, "order of hits")->check(CLI::IsMember({"relevance", "date"}));
    app.add_option("--snippet-chars", snippet_chars, "snippet length in characters")->check(CLI::Range(20, 5000));
    app.add_flag("--no-collapse", no_collapse, "show near-duplicate copies of a story as separate hits");
    app.add_flag("--exact-total", exact_total,
                 "count every match (the total is otherwise an estimate when many documents match; slower)");
    app.add_option("--synonyms", synonyms,
                   "extra abbreviations, one 'abbr = expansion' a line (added to the built-in table and $CARI_SYNONYMS)");
    app.add_option("--batch", batch, "read one query a line from FILE (- for stdin)");
    app.add_option("query", words, "the query (words, \"phrases\", NEAR/n, AND, OR, NOT, fields)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        // "cari-search -banjir": an excluded word first reads as an option
        if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr)
            for (const std::string& arg : app.remaining())
                if (arg.size() > 1 && arg[0] == '-' && arg[1] != '-') {
                    std::cerr << "cari-search: '" << arg
                              << "' reads as an option; a query with an excluded word goes after '--' "
                                 "(cari-search -- banjir -jakarta) or in quotes ('banjir -jakarta')\n";
                    break;
                }
        return 2;
    }
    if (dbs.empty()) dbs.push_back(cari::default_db_path());
    if (batch.empty() && words.empty()) {
        std::cerr << "cari-search: no query given (try: cari-search --db DIR \"perjanjian damai\")\n";
        return 2;
    }
    cari::SearchOptions opts;
    opts.limit = limit;
    opts.offset = offset;
    opts.collapse = !no_collapse;
    opts.sort_by_date = sort == "date";
    opts.snippet_chars = snippet_chars;
    opts.exact_total = exact_total;
    const bool colored = !as_json && use_color(color);
    try {
        cari::Searcher searcher(dbs, nullptr, allow_partial);
        if (!synonyms.empty()) searcher.add_synonyms(synonyms);
        bool any_hits = false;
        std::vector<std::string> warned;  // the missing shards last named on stderr
        auto run_one = [&](const std::string& q) {
            const cari::SearchResult r = searcher.search(q, opts);
            // With --limit 0 (a count), matches are what was asked for.
            any_hits = any_hits || !r.hits.empty() || (opts.limit == 0 && r.total > 0);
            if (r.partial && r.missing_shards != warned) {
                std::string names;
                for (const auto& m : r.missing_shards) names += (names.empty() ? "" : ", ") + m;
                std::cerr << "cari-search: partial results: not answering: " << names << '\n';
                warned = r.missing_shards;
            }
            emit(as_json ? cari::search_json(r) + "\n" : cari::search_human(r, colored, opts.limit == 0), any_hits ? 0 : 1);
        };
        if (!batch.empty()) {
            std::ifstream file;
            if (batch != "-") {
                file.open(batch);
                if (!file) {
                    std::cerr << "cari-search: cannot read " << batch << ": " << std::strerror(errno) << '\n';
                    return 2;
                }
            }
            std::istream& in = batch == "-" ? std::cin : file;
            std::string line;
            while (std::getline(in, line)) {
                if (!line.empty() && line.back() == '\r') line.pop_back();
                if (line.find_first_not_of(" \t") == std::string::npos) continue;
                run_one(line);
            }
        } else {
            std::string q;
            for (const auto& w : words) q += (q.empty() ? "" : " ") + w;
            run_one(q);
        }
        return any_hits ? 0 : 1;
    } catch (const cari::ShardDown& e) {
        std::cerr << "cari-search: " << e.what() << '\n';
        return 3;
    } catch (const Xapian::Error& e) {
        std::cerr << "cari-search: " << e.get_description() << '\n';
    } catch (const std::exception& e) {
        std::cerr << "cari-search: " << e.what() << '\n';
    }
    return 2;
}
