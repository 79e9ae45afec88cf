// Fuzz target: the HTML reader (libxml2 parse, block walk, noise removal)
// through cari::clean with Format::Html.
#include "cleaner.h"
#include "fuzz_util.h"
#include "utf8.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cari::RawDoc raw;
    raw.path = "fuzz.html";
    raw.format = cari::Format::Html;
    raw.bytes.assign(reinterpret_cast<const char*>(data), size);
    try {
        const cari::Article a = cari::clean(raw);
        CARI_FUZZ_CHECK(!a.id.empty());
        CARI_FUZZ_CHECK(cari::utf8::valid(a.title));
        for (const auto& p : a.paragraphs) CARI_FUZZ_CHECK(cari::utf8::valid(p));
    } catch (const cari::InputError&) {
    }
    return 0;
}
