// xapian_query_peer: stock Xapian answering the benchmark queries, the peer
// of `cari-search --batch FILE --json`. Over an index built by scriptindex
// (benchmarks/scriptindex/news.script): QueryParser with Stem("indonesian")
// (STEM_SOME, the title: prefix S), Enquire top N, and MSet::snippet of each
// hit's text with SNIPPET_EXHAUSTIVE. Prints one line a query:
// "took_ms<TAB>estimated matches<TAB>query", timing parse + match + snippets.
// Usage: xapian_query_peer DB QUERIES [LIMIT]
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

namespace {

// The `text=` field of scriptindex's document data ("name=value" lines).
std::string field(const std::string& data, const std::string& name) {
    const std::string key = name + "=";
    std::size_t b = data.rfind("\n" + key) != std::string::npos ? data.rfind("\n" + key) + 1 : std::string::npos;
    if (data.compare(0, key.size(), key) == 0) b = 0;
    if (b == std::string::npos) return {};
    b += key.size();
    const std::size_t e = data.find('\n', b);
    return data.substr(b, e == std::string::npos ? std::string::npos : e - b);
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: xapian_query_peer DB QUERIES [LIMIT]\n");
        return 2;
    }
    try {
        Xapian::Database db(argv[1]);
        const Xapian::doccount limit = argc > 3 ? static_cast<Xapian::doccount>(std::stoul(argv[3])) : 10;
        const Xapian::Stem stem("indonesian");
        Xapian::QueryParser qp;
        qp.set_database(db);
        qp.set_stemmer(stem);
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        qp.add_prefix("title", "S");
        Xapian::Enquire enq(db);
        std::ifstream in(argv[2]);
        std::string q;
        std::size_t chars = 0;
        while (std::getline(in, q)) {
            if (q.empty()) continue;
            const auto t0 = std::chrono::steady_clock::now();
            Xapian::Query query;
            try {
                query = qp.parse_query(q, Xapian::QueryParser::FLAG_DEFAULT);
            } catch (const Xapian::QueryParserError&) {
                query = qp.parse_query(q, 0);
            }
            enq.set_query(query);
            const Xapian::MSet mset = enq.get_mset(0, limit);
            for (auto m = mset.begin(); m != mset.end(); ++m) {
                const std::string text = field(m.get_document().get_data(), "text");
                chars += mset.snippet(text, 240, stem, Xapian::MSet::SNIPPET_EXHAUSTIVE).size();
            }
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            std::printf("%.3f\t%u\t%s\n", ms, mset.get_matches_estimated(), q.c_str());
        }
        std::fprintf(stderr, "snippet bytes %zu\n", chars);
    } catch (const Xapian::Error& e) {
        std::fprintf(stderr, "xapian_query_peer: %s\n", e.get_description().c_str());
        return 2;
    }
    return 0;
}
