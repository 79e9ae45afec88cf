// Fuzz target: the tokenizer, normaliser and stemmer (cari::Analyzer::analyze),
// and the abbreviation finder that reads the same bodies (abbreviations.h).
// Checks what the indexer and the snippet generator rely on: offsets inside
// the text and in order, positions that never go back, non-empty valid UTF-8
// forms and stems; abbreviations taken from the text, long forms of valid
// UTF-8 words, index terms that fit and read back.
#include "abbreviations.h"
#include "fuzz_util.h"
#include "utf8.h"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto an = cari::fuzz::analyzer();
    std::vector<cari::Token> toks;
    const std::uint32_t next = an->analyze(text, toks, 7);
    std::uint32_t last_start = 0, last_pos = 7;
    for (const auto& t : toks) {
        CARI_FUZZ_CHECK(t.start < t.end);
        CARI_FUZZ_CHECK(t.end <= text.size());
        CARI_FUZZ_CHECK(t.start >= last_start);
        CARI_FUZZ_CHECK(t.pos >= last_pos);
        CARI_FUZZ_CHECK(t.pos < next);
        CARI_FUZZ_CHECK(!t.norm.empty());
        CARI_FUZZ_CHECK(cari::utf8::valid(t.norm));
        CARI_FUZZ_CHECK(cari::utf8::valid(t.stem));
        last_start = t.start;
        last_pos = t.pos;
        // The same word normalised alone is what the query side looks up.
        (void)an->normalize(t.norm);
    }
    for (const auto& d : cari::find_abbreviations(text, toks)) {
        CARI_FUZZ_CHECK(d.abbr.size() >= 2 && d.abbr.size() <= 10);
        CARI_FUZZ_CHECK(text.find("(" + d.abbr + ")") != std::string_view::npos);
        CARI_FUZZ_CHECK(!d.expansion.empty() && d.expansion.front() != ' ' && d.expansion.back() != ' ');
        CARI_FUZZ_CHECK(cari::utf8::valid(d.expansion));
        const std::string term = cari::abbreviation_term(d);
        CARI_FUZZ_CHECK(term.size() <= 240);
        if (!term.empty()) CARI_FUZZ_CHECK(cari::parse_abbreviation_term(std::string_view(term).substr(2)) == d);
    }
    return 0;
}
