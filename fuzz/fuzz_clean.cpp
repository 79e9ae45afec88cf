// Fuzz target: the text and JSON Lines paths of the cleaner, fed the way the
// indexer feeds them (split_documents, then clean). The first byte picks the
// format. InputError is the documented way to refuse input; anything else that
// escapes, and any sanitizer report, is a bug.
#include "cleaner.h"
#include "fuzz_util.h"
#include "readers.h"
#include "utf8.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const cari::Format fmt = (data[0] & 1) ? cari::Format::Jsonl : cari::Format::Text;
    std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    const cari::InputFile file{fmt == cari::Format::Jsonl ? "fuzz.jsonl" : "fuzz.txt", fmt};
    cari::split_documents(file, std::move(bytes), [](cari::RawDoc&& raw) {
        CARI_FUZZ_CHECK(raw.format != cari::Format::Jsonl || raw.bytes.find('\n') == std::string::npos);
        try {
            const cari::Article a = cari::clean(raw);
            CARI_FUZZ_CHECK(!a.id.empty());
            // Everything the cleaner hands to the index must be valid UTF-8.
            CARI_FUZZ_CHECK(cari::utf8::valid(a.title));
            for (const auto& p : a.paragraphs) CARI_FUZZ_CHECK(cari::utf8::valid(p));
        } catch (const cari::InputError&) {
        }
    });
    return 0;
}
