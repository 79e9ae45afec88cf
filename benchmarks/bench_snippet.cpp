// The snippet generator (common/snippet.h): cost of one snippet over a whole
// article body, by query shape. The bodies are the project's sample articles
// (corpus/articles), cleaned as the indexer cleans them.
#include "analyzer.h"
#include "cleaner.h"
#include "query.h"
#include "readers.h"
#include "snippet.h"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

const std::vector<std::string>& bodies() {
    static const std::vector<std::string> b = [] {
        std::vector<std::string> out;
        std::vector<cari::InputProblem> problems;
        const auto files = cari::list_inputs({std::string(CARI_SOURCE_DIR) + "/corpus/articles"}, cari::Format::Auto, problems);
        for (const auto& f : files) {
            if (f.format == cari::Format::Jsonl) continue;
            cari::split_documents(f, cari::read_file(f.path), [&](cari::RawDoc&& raw) {
                try {
                    out.push_back(cari::clean(raw).body());
                } catch (const std::exception&) {
                }
            });
        }
        return out;
    }();
    return b;
}

void run(benchmark::State& state, const char* query) {
    auto analyzer = cari::Analyzer::default_instance();
    cari::QueryParser qp(analyzer);
    const cari::ParsedQuery pq = qp.parse(query);
    const cari::SnippetGenerator gen(*analyzer, pq.highlight, 240);
    const auto& docs = bodies();
    std::size_t bytes = 0, i = 0;
    for (auto _ : state) {
        const std::string& body = docs[i++ % docs.size()];
        benchmark::DoNotOptimize(gen.make(body));
        bytes += body.size();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.counters["bodies"] = static_cast<double>(docs.size());
}

void BM_SnippetOneWord(benchmark::State& s) { run(s, "banjir"); }
void BM_SnippetTwoWords(benchmark::State& s) { run(s, "warga pemerintah"); }
void BM_SnippetPhrase(benchmark::State& s) { run(s, "\"rumah warga\""); }
void BM_SnippetNear(benchmark::State& s) { run(s, "banjir NEAR/5 warga"); }
void BM_SnippetNoMatch(benchmark::State& s) { run(s, "tidakadasamasekali"); }

// The analysis every snippet starts with, for scale.
void BM_AnalyzeBody(benchmark::State& state) {
    auto analyzer = cari::Analyzer::default_instance();
    const auto& docs = bodies();
    std::size_t bytes = 0, i = 0;
    for (auto _ : state) {
        const std::string& body = docs[i++ % docs.size()];
        benchmark::DoNotOptimize(analyzer->analyze(body));
        bytes += body.size();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

} // namespace

BENCHMARK(BM_SnippetOneWord);
BENCHMARK(BM_SnippetTwoWords);
BENCHMARK(BM_SnippetPhrase);
BENCHMARK(BM_SnippetNear);
BENCHMARK(BM_SnippetNoMatch);
BENCHMARK(BM_AnalyzeBody);

BENCHMARK_MAIN();
