// cari-index: build and update indexes, show what would be indexed, stem words.
// Thin: parse options, call the library, print, map outcomes to exit codes.
#include "analyzer.h"
#include "cleaner.h"
#include "output.h"
#include "readers.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
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
    bool skipped = !problems.empty();
    for (const auto& p : problems) std::cerr << "cari-index: " << p.to_string() << '\n';
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
    } catch (const std::exception& e) {
        std::cerr << "cari-index: " << e.what() << '\n';
        return 2;
    }
    return 2;
}
