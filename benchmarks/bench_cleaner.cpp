// Cleaner throughput: the whole clickid feed (44 MB of JSON Lines), the five
// seeds (scraped text) and the extraction benchmark's HTML pages.
// Data come from $CARI_SHARED (default: ../shared beside the repo); a
// benchmark whose data are missing reports an error and is skipped.
#include "cleaner.h"
#include "readers.h"
#include "templates.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string shared_dir() {
    if (const char* e = std::getenv("CARI_SHARED"); e && *e) return e;
    // this file is <repo>/benchmarks/bench_cleaner.cpp; shared/ sits beside <repo>
    return (fs::path(__FILE__).parent_path().parent_path().parent_path() / "shared").string();
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct Docs {
    std::vector<cari::RawDoc> docs;
    std::size_t bytes = 0;
};

const Docs& clickid() {
    static const Docs d = [] {
        Docs out;
        const fs::path p = fs::path(shared_dir()) / "corpus/clickid/clickid_articles.jsonl";
        if (!fs::exists(p)) return out;
        cari::InputFile f{p.string(), cari::Format::Jsonl};
        cari::split_documents(f, slurp(p), [&](cari::RawDoc&& r) {
            out.bytes += r.bytes.size();
            out.docs.push_back(std::move(r));
        });
        return out;
    }();
    return d;
}

Docs files(const fs::path& dir, const std::string& ext, cari::Format fmt) {
    Docs out;
    if (!fs::is_directory(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().extension() != ext) continue;
        cari::RawDoc r;
        r.path = e.path().string();
        r.format = fmt;
        r.bytes = slurp(e.path());
        out.bytes += r.bytes.size();
        out.docs.push_back(std::move(r));
    }
    return out;
}

void run(benchmark::State& state, const Docs& d, const char* missing) {
    if (d.docs.empty()) {
        state.SkipWithError(missing);
        return;
    }
    std::size_t paragraphs = 0;
    for (auto _ : state) {
        for (const auto& r : d.docs) {
            try {
                const cari::Article a = cari::clean(r);
                paragraphs += a.paragraphs.size();
            } catch (const cari::InputError&) {
            }
        }
    }
    benchmark::DoNotOptimize(paragraphs);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * d.bytes));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.docs.size()));
}

void BM_CleanClickidJsonl(benchmark::State& state) {
    run(state, clickid(), "clickid not found: set CARI_SHARED");
}
BENCHMARK(BM_CleanClickidJsonl)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_CollectTemplatesClickid(benchmark::State& state) {
    const Docs& d = clickid();
    if (d.docs.empty()) {
        state.SkipWithError("clickid not found: set CARI_SHARED");
        return;
    }
    for (auto _ : state) {
        cari::TemplateStats t;
        for (const auto& r : d.docs) cari::collect_template_lines(r, t);
        benchmark::DoNotOptimize(t.documents());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * d.bytes));
}
BENCHMARK(BM_CollectTemplatesClickid)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_CleanSeedsText(benchmark::State& state) {
    static const Docs d = files(fs::path(shared_dir()) / "seeds", ".txt", cari::Format::Text);
    run(state, d, "seeds not found: set CARI_SHARED");
}
BENCHMARK(BM_CleanSeedsText)->Unit(benchmark::kMicrosecond);

void BM_CleanBenchmarkText(benchmark::State& state) {
    static const Docs d =
        files(fs::path(shared_dir()) / "boilerplate/article-extraction-benchmark/text", ".txt", cari::Format::Text);
    run(state, d, "article-extraction-benchmark not found: set CARI_SHARED");
}
BENCHMARK(BM_CleanBenchmarkText)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
