// Prints the tokens the shared Analyzer makes of each input line, for the
// error analysis of benchmarks/ranking/analyze.py (which then sees words,
// roots and stop words exactly as the indexer and the query parser do).
// Input: "id<TAB>text" a line. Output: "id<TAB>norm|stem|stop|pos norm|stem|stop|pos ..." a line.
// Built by benchmarks/ranking/analyze.py against build/libcari_common.a.
#include "analyzer.h"

#include <iostream>
#include <string>

int main() {
    std::ios::sync_with_stdio(false);
    const auto analyzer = cari::Analyzer::default_instance();
    std::string line;
    while (std::getline(std::cin, line)) {
        const auto tab = line.find('\t');
        if (tab == std::string::npos) continue;
        std::cout << line.substr(0, tab) << '\t';
        bool first = true;
        for (const cari::Token& t : analyzer->analyze(std::string_view(line).substr(tab + 1))) {
            if (!first) std::cout << ' ';
            first = false;
            std::cout << t.norm << '|' << t.stem << '|' << (t.stop ? 1 : 0) << '|' << t.pos;
        }
        std::cout << '\n';
    }
}
