// SimHash distances of near-duplicate article pairs against unrelated pairs,
// to choose SearchOptions::duplicate_bits. Reads a JSON Lines feed (title,
// text), analyses each text as the indexer does and hashes it with
// cari::simhash. Pairs are found by shingle overlap: documents sharing at
// least two of their eight smallest 3-stem shingle hashes are compared
// exactly (Jaccard of shingle sets); random pairs give the unrelated side.
// Built and run by benchmarks/ranking/run.sh --dups.
#include "analyzer.h"
#include "document.h"
#include "json.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <unordered_map>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: dup_distances FEED.jsonl\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string all = ss.str();
    const auto analyzer = cari::Analyzer::default_instance();
    struct Doc { std::uint64_t sh; std::vector<std::uint64_t> shingles; };
    std::vector<Doc> docs;
    std::size_t b = 0;
    while (b < all.size()) {
        std::size_t e = all.find('\n', b);  // JSON Lines split on '\n' only
        if (e == std::string::npos) e = all.size();
        const std::string_view line(all.data() + b, e - b);
        b = e + 1;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        cari::json::Value v;
        try { v = cari::json::parse(line); } catch (...) { continue; }
        const auto* t = v.find("text");
        if (!t) continue;
        const auto toks = analyzer->analyze(t->text());
        Doc d;
        d.sh = cari::simhash(toks);
        std::uint64_t p2 = 0, p1 = 0;
        std::size_t n = 0;
        for (const auto& tok : toks) {
            if (tok.stop) continue;
            const std::uint64_t h = cari::hash64(tok.stem);
            if (n++ >= 2) d.shingles.push_back(p2 * 31 + p1 * 7 + h);
            p2 = p1;
            p1 = h;
        }
        std::sort(d.shingles.begin(), d.shingles.end());
        d.shingles.erase(std::unique(d.shingles.begin(), d.shingles.end()), d.shingles.end());
        if (d.shingles.size() >= 20) docs.push_back(std::move(d));
    }
    auto jaccard = [&](const Doc& x, const Doc& y) {
        std::size_t i = 0, j = 0, common = 0;
        while (i < x.shingles.size() && j < y.shingles.size()) {
            if (x.shingles[i] == y.shingles[j]) { ++common; ++i; ++j; }
            else if (x.shingles[i] < y.shingles[j]) ++i;
            else ++j;
        }
        return static_cast<double>(common) / static_cast<double>(x.shingles.size() + y.shingles.size() - common);
    };
    // Candidate pairs from bottom-8 sketches (hash of the shingle hash spreads them).
    auto mix = [](std::uint64_t x) {
        x ^= x >> 30; x *= 0xBF58476D1CE4E5B9ULL; x ^= x >> 27; x *= 0x94D049BB133111EBULL; return x ^ (x >> 31);
    };
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> by_min;
    for (std::uint32_t i = 0; i < docs.size(); ++i) {
        std::vector<std::uint64_t> m;
        for (auto s : docs[i].shingles) m.push_back(mix(s));
        std::partial_sort(m.begin(), m.begin() + 8, m.end());
        for (int k = 0; k < 8; ++k) by_min[m[k]].push_back(i);
    }
    std::map<std::pair<std::uint32_t, std::uint32_t>, int> shared;
    for (const auto& [h, ids] : by_min)
        if (ids.size() > 1 && ids.size() < 200)
            for (std::size_t a = 0; a < ids.size(); ++a)
                for (std::size_t c = a + 1; c < ids.size(); ++c) ++shared[{ids[a], ids[c]}];
    // Histograms of Hamming distance (0..64) by Jaccard band.
    const double bands[] = {0.9, 0.7, 0.5, 0.3};
    const char* names[] = {">=0.9", "0.7-0.9", "0.5-0.7", "0.3-0.5", "random"};
    std::vector<std::vector<std::size_t>> hist(5, std::vector<std::size_t>(65, 0));
    for (const auto& [pr, n] : shared) {
        if (n < 2) continue;
        const double jc = jaccard(docs[pr.first], docs[pr.second]);
        int band = 4;
        for (int k = 0; k < 4; ++k)
            if (jc >= bands[k]) { band = k; break; }
        if (band == 4) continue;
        ++hist[band][cari::hamming(docs[pr.first].sh, docs[pr.second].sh)];
    }
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, docs.size() - 1);
    for (int k = 0; k < 200000; ++k) {
        const std::size_t x = pick(rng), y = pick(rng);
        if (x != y) ++hist[4][cari::hamming(docs[x].sh, docs[y].sh)];
    }
    std::printf("documents: %zu\n", docs.size());
    std::printf("%-8s %8s", "jaccard", "pairs");
    for (int t = 0; t <= 20; t += (t < 12 ? 1 : 2)) std::printf(" <=%-5d", t);
    std::printf("  (share of pairs within t bits)\n");
    for (int k = 0; k < 5; ++k) {
        std::size_t total = 0;
        for (auto c : hist[k]) total += c;
        std::printf("%-8s %8zu", names[k], total);
        std::size_t cum = 0;
        for (int t = 0, prev = -1; t <= 20; prev = t, t += (t < 12 ? 1 : 2)) {
            for (int u = prev + 1; u < t; ++u) cum += hist[k][u];
            cum += hist[k][t];
            std::printf(" %6.4f", total ? static_cast<double>(cum) / static_cast<double>(total) : 0.0);
        }
        std::printf("\n");
    }
    return 0;
}
