// Analysis throughput on real news text: the title and text fields of
// $CARI_SHARED/corpus/clickid/clickid_articles.jsonl (default ../shared beside
// the source tree; CARI_BENCH_DOCS limits the number of articles read).
//
//   build/bin/bench_analysis --benchmark_filter=Chain
//
// Tokenizer: the Analyzer with the identity stemmer (scan, NFKC fold, tokens).
// Stemmer:   Cari's stemmer on every distinct word, uncached (the cost of a miss).
// Chain:     the default Analyzer (tokens + cached stems), what indexing pays.
#include "analyzer.h"
#include "json.h"
#include "stemmer.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <unordered_set>
#include <vector>

namespace {

#ifndef CARI_SOURCE_DIR
#define CARI_SOURCE_DIR "."
#endif

std::filesystem::path corpus_path() {
    if (const char* e = std::getenv("CARI_SHARED"); e && *e)
        return std::filesystem::path(e) / "corpus/clickid/clickid_articles.jsonl";
    for (const char* base : {CARI_SOURCE_DIR "/../shared", "../shared", "../../shared"}) {
        auto p = std::filesystem::path(base) / "corpus/clickid/clickid_articles.jsonl";
        if (std::filesystem::exists(p)) return p;
    }
    return std::filesystem::path("../shared/corpus/clickid/clickid_articles.jsonl");
}

// The texts (title and text of each article), read once.
const std::vector<std::string>& texts() {
    static const std::vector<std::string> docs = [] {
        std::vector<std::string> out;
        const auto path = corpus_path();
        std::ifstream in(path);
        if (!in) {
            std::cerr << "bench_analysis: cannot read " << path << " (set CARI_SHARED)\n";
            return out;
        }
        std::size_t limit = 0;
        if (const char* e = std::getenv("CARI_BENCH_DOCS")) limit = std::strtoul(e, nullptr, 10);
        std::string line;
        while (std::getline(in, line)) {  // JSON Lines split on \n only
            if (line.empty()) continue;
            try {
                const auto v = cari::json::parse(line);
                for (const char* f : {"title", "text"})
                    if (const auto* x = v.find(f); x && !x->str.empty()) out.push_back(x->str);
            } catch (const std::exception&) {
                continue;
            }
            if (limit && out.size() >= 2 * limit) break;
        }
        return out;
    }();
    return docs;
}

std::size_t total_bytes() {
    std::size_t n = 0;
    for (const auto& t : texts()) n += t.size();
    return n;
}

void run_analyzer(benchmark::State& state, const cari::Analyzer& a) {
    const auto& docs = texts();
    if (docs.empty()) {
        state.SkipWithError("clickid corpus not found");
        return;
    }
    std::vector<cari::Token> toks;
    std::size_t ntok = 0;
    for (auto _ : state) {
        for (const auto& d : docs) {
            toks.clear();
            a.analyze(d, toks);
            ntok += toks.size();
            benchmark::DoNotOptimize(toks.data());
        }
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total_bytes()));
    state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(ntok), benchmark::Counter::kIsRate);
}

void BM_Tokenizer(benchmark::State& state) {
    static const cari::Analyzer a(std::shared_ptr<const cari::Stemmer>(cari::make_stemmer("none")));
    run_analyzer(state, a);
}

void BM_Chain(benchmark::State& state) {
    static const cari::Analyzer a(std::shared_ptr<const cari::Stemmer>(cari::make_stemmer("cari")));
    run_analyzer(state, a);
}

void BM_ChainSnowball(benchmark::State& state) {
    static const cari::Analyzer a(std::shared_ptr<const cari::Stemmer>(cari::make_stemmer("snowball")));
    run_analyzer(state, a);
}

// Every distinct normalised word of the corpus, stemmed without a cache.
void BM_Stemmer(benchmark::State& state) {
    static const std::vector<std::string> words = [] {
        const cari::Analyzer a(std::shared_ptr<const cari::Stemmer>(cari::make_stemmer("none")));
        std::unordered_set<std::string> seen;
        std::vector<std::string> out;
        std::vector<cari::Token> toks;
        for (const auto& d : texts()) {
            toks.clear();
            a.analyze(d, toks);
            for (auto& t : toks)
                if (seen.insert(t.norm).second) out.push_back(t.norm);
        }
        return out;
    }();
    if (words.empty()) {
        state.SkipWithError("clickid corpus not found");
        return;
    }
    static const auto stemmer = cari::make_stemmer("cari");
    std::size_t bytes = 0;
    for (const auto& w : words) bytes += w.size();
    for (auto _ : state)
        for (const auto& w : words) benchmark::DoNotOptimize(stemmer->stem(w));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * words.size()));
    state.counters["distinct_words"] = static_cast<double>(words.size());
}

// Start-up: reading the hunspell lexicon.
void BM_LoadLexicon(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(cari::make_indonesian_stemmer());
}

BENCHMARK(BM_Tokenizer)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Stemmer)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Chain)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_ChainSnowball)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_LoadLexicon)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
