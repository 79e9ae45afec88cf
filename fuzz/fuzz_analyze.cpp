// Fuzz target: the tokenizer, normaliser and stemmer (cari::Analyzer::analyze).
// Checks what the indexer and the snippet generator rely on: offsets inside
// the text and in order, positions that never go back, non-empty valid UTF-8
// forms and stems.
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
    return 0;
}
