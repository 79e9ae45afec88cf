// Fuzz target: the query parser (cari::QueryParser::parse), then the query run
// against a small in-memory index, the way cari-search does. Malformed queries
// must never be an error (query.h): a Xapian::Error or any other exception
// escaping is a bug, and so is a hang (libFuzzer's -timeout catches those).
#include "document.h"
#include "fuzz_util.h"
#include "query.h"
#include "utf8.h"

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

Xapian::Database make_index() {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    const char* bodies[] = {
        "Banjir merendam ribuan rumah warga di bantaran sungai pada Senin malam.",
        "Presiden meresmikan jalan tol baru yang menghubungkan dua provinsi di Pulau Jawa.",
        "Tim nasional menang tiga gol tanpa balas, pelatih memuji disiplin para pemain muda.",
        "Harga beras naik menjelang hari raya, pedagang pasar mengeluhkan pasokan yang berkurang.",
    };
    int i = 0;
    for (const char* b : bodies) {
        cari::Article a;
        a.id = "doc-" + std::to_string(++i);
        a.path = "fuzz.jsonl";
        a.title = std::string(b).substr(0, 30);
        a.date = "2021-0" + std::to_string(i) + "-15";
        a.source = i % 2 ? "ANTARA" : "Kompas";
        a.paragraphs = {b};
        db.add_document(cari::make_document(a, *cari::fuzz::analyzer(), static_cast<std::uint64_t>(i)));
    }
    db.commit();
    return db;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Xapian::Database db = make_index();
    // source:/author: words complete to the index's field words, as Searcher
    // answers QueryParser::field_completions.
    static const cari::QueryParser parser = [] {
        cari::QueryParser p(cari::fuzz::analyzer());
        p.field_completions = [](std::string_view prefix, const std::string& word, bool typed_prefix) {
            std::vector<std::string> words;
            const std::string term = std::string(prefix) + word;
            for (auto it = db.allterms_begin(term); it != db.allterms_end(term) && words.size() <= 100; ++it) {
                if (*it == term && !typed_prefix) return std::vector<std::string>{};
                words.push_back((*it).substr(prefix.size()));
            }
            return words;
        };
        return p;
    }();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const cari::ParsedQuery q = parser.parse(text);
    CARI_FUZZ_CHECK(cari::utf8::valid(q.parsed));
    if (q.empty()) return 0;
    Xapian::Enquire enq(db);
    enq.set_query(q.query);
    enq.set_weighting_scheme(Xapian::BM25Weight());
    const Xapian::MSet m = enq.get_mset(0, 10);
    CARI_FUZZ_CHECK(m.size() <= 4);
    return 0;
}
