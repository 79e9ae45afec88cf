#include "document.h"

#include "abbreviations.h"
#include "schema.h"

#include <array>
#include <bit>
#include <cstdio>
#include <stdexcept>

namespace cari {

namespace {

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

std::uint64_t get_varint(std::string_view s, std::size_t& i) {
    std::uint64_t v = 0;
    for (int shift = 0; i < s.size() && shift < 64; shift += 7) {
        const auto b = static_cast<unsigned char>(s[i++]);
        v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
        if (!(b & 0x80)) return v;
    }
    throw std::runtime_error("corrupt document data");
}

void put_str(std::string& out, std::string_view s) {
    put_varint(out, s.size());
    out.append(s);
}

std::string get_str(std::string_view s, std::size_t& i) {
    const std::uint64_t n = get_varint(s, i);
    if (n > s.size() - i) throw std::runtime_error("corrupt document data");
    std::string v(s.substr(i, n));
    i += n;
    return v;
}


std::string key_term(std::string_view prefix, std::string_view key) {
    std::string t(prefix);
    if (prefix.size() + key.size() <= schema::kMaxTerm) return t.append(key);
    t.append(key.substr(0, 200));
    t += '#';
    return t.append(hex64(hash64(key)));
}

} // namespace

std::string StoredDoc::serialize() const {
    std::string out;
    out += '\x01';  // record version
    for (const std::string* f : {&id, &path, &url, &title, &date, &source, &author, &body}) put_str(out, *f);
    put_varint(out, line);
    if (!group.empty()) {  // (optional: older records end with the line)
        put_varint(out, group.size());
        for (const auto& g : group) put_str(out, g);
    }
    return out;
}

StoredDoc StoredDoc::deserialize(std::string_view data) {
    StoredDoc d;
    if (data.empty() || data[0] != '\x01') throw std::runtime_error("document data of an unknown version");
    std::size_t i = 1;
    for (std::string* f : {&d.id, &d.path, &d.url, &d.title, &d.date, &d.source, &d.author, &d.body})
        *f = get_str(data, i);
    d.line = get_varint(data, i);
    if (i < data.size()) {
        const std::uint64_t n = get_varint(data, i);
        if (n > data.size() - i) throw std::runtime_error("corrupt document data");
        d.group.reserve(n);
        for (std::uint64_t k = 0; k < n; ++k) d.group.push_back(get_str(data, i));
    }
    return d;
}

std::uint64_t hash64_update(std::uint64_t h, std::string_view s) noexcept {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    return h;
}

std::uint64_t hash64(std::string_view s) noexcept { return hash64_update(kHash64Seed, s); }

std::string hex64(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

std::uint64_t simhash(const std::vector<Token>& toks) {
    // Bit b of the result is set when more shingle hashes have bit b set than
    // not. The ones are counted 8 bits at a time: lane k of ones8[j] counts
    // bit 8k+j, folded into the wide counters before a byte lane can overflow.
    std::array<std::uint32_t, 64> ones{};
    std::array<std::uint64_t, 8> ones8{};
    unsigned pending = 0;
    auto fold = [&] {
        for (int j = 0; j < 8; ++j) {
            for (int k = 0; k < 8; ++k) ones[8 * k + j] += (ones8[j] >> (8 * k)) & 0xFF;
            ones8[j] = 0;
        }
        pending = 0;
    };
    std::uint64_t prev2 = 0, prev1 = 0;
    std::size_t n = 0, shingles = 0;
    for (const auto& t : toks) {
        if (t.stop) continue;
        const std::uint64_t h = hash64(t.stem);
        if (n >= 2) {
            // splitmix64 of the shingle's combined hash spreads the bits.
            std::uint64_t x = prev2 * 0x9E3779B97F4A7C15ULL ^ prev1 * 0xC2B2AE3D27D4EB4FULL ^ h;
            x ^= x >> 30; x *= 0xBF58476D1CE4E5B9ULL; x ^= x >> 27; x *= 0x94D049BB133111EBULL; x ^= x >> 31;
            for (int j = 0; j < 8; ++j) ones8[j] += (x >> j) & 0x0101010101010101ULL;
            ++shingles;
            if (++pending == 255) fold();
        }
        prev2 = prev1;
        prev1 = h;
        ++n;
    }
    fold();
    std::uint64_t out = 0;
    for (int b = 0; b < 64; ++b)
        if (2 * static_cast<std::uint64_t>(ones[b]) > shingles) out |= 1ULL << b;
    return out;
}

int hamming(std::uint64_t a, std::uint64_t b) noexcept { return std::popcount(a ^ b); }

std::string id_term(std::string_view id) { return key_term(schema::kId, id); }
std::string file_term(std::string_view path) { return key_term(schema::kFile, path); }
std::string raw_hash_term(std::uint64_t h) { return std::string(schema::kRawHash) + hex64(h); }

std::string date_key(std::string_view iso) {
    // Accepts YYYY-MM-DD with an optional THH:MM.
    auto digits = [&](std::size_t b, std::size_t n) {
        if (iso.size() < b + n) return false;
        for (std::size_t i = b; i < b + n; ++i)
            if (iso[i] < '0' || iso[i] > '9') return false;
        return true;
    };
    if (!(digits(0, 4) && iso.size() >= 10 && iso[4] == '-' && digits(5, 2) && iso[7] == '-' && digits(8, 2)))
        return {};
    std::string k;
    k.append(iso.substr(0, 4)).append(iso.substr(5, 2)).append(iso.substr(8, 2));
    if (iso.size() >= 16 && iso[10] == 'T' && digits(11, 2) && iso[13] == ':' && digits(14, 2))
        k.append(iso.substr(11, 2)).append(iso.substr(14, 2));
    else
        k.append("0000");
    return k;
}

namespace {
std::string be64(std::uint64_t v) {
    std::string s(8, '\0');
    for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((v >> (56 - 8 * i)) & 0xFF);
    return s;
}
} // namespace

std::uint64_t be64_value(std::string_view v) noexcept {
    std::uint64_t h = 0;
    for (unsigned char c : v) h = (h << 8) | c;
    return h;
}

std::uint64_t hash_fields(std::initializer_list<std::string_view> fields) noexcept {
    std::uint64_t h = kHash64Seed;
    for (const std::string_view f : fields) {
        const std::uint64_t n = f.size();
        h = hash64_update(hash64_update(h, f), std::string_view(reinterpret_cast<const char*>(&n), sizeof n));
    }
    return h;
}

std::uint64_t content_signature(const Article& a) {
    const std::string body = a.body();
    return hash_fields({a.title, a.date, a.source, a.author, body});
}

std::string cluster_term(std::uint64_t content) { return std::string(schema::kCluster) + hex64(content); }

IdValue parse_id_value(std::string_view v) {
    // (ids hold no NUL, so the separator's place tells the forms apart)
    if (v.size() >= 17 && v[v.size() - 17] == '\0')
        return {v.substr(0, v.size() - 17), be64_value(v.substr(v.size() - 16, 8)), be64_value(v.substr(v.size() - 8))};
    if (v.size() >= 9 && v[v.size() - 9] == '\0') return {v.substr(0, v.size() - 9), be64_value(v.substr(v.size() - 8)), 0};
    return {v, 0, 0};
}

Xapian::Document make_document(const Article& a, const Analyzer& analyzer, std::uint64_t raw_hash,
                               std::uint64_t* simhash_out, const Duplicate* dup) {
    using namespace schema;
    Xapian::Document doc;
    std::vector<Token> toks;

    // Prefixed terms are built in reused buffers: one allocation per document, not per word.
    std::string exact(kExact), title(kTitle);
    auto set_exact = [&](const std::string& norm) {
        exact.resize(kExact.size());
        exact += norm;
    };

    // Title: stems (weighted) and S-prefixed stems, positions from 0.
    analyzer.analyze(a.title, toks, 0);
    for (const auto& t : toks) {
        if (kExact.size() + t.norm.size() > kMaxTerm || kTitle.size() + t.stem.size() > kMaxTerm) continue;
        doc.add_posting(t.stem, t.pos + 1, kTitleWdf);
        title.resize(kTitle.size());
        title += t.stem;
        doc.add_posting(title, t.pos + 1);
        set_exact(t.norm);
        doc.add_term(exact);
    }
    // Body: stems with positions after a gap, exact forms without positions.
    toks.clear();
    const std::string body = a.body();
    analyzer.analyze(body, toks, kBodyStart);
    for (const auto& t : toks) {
        if (kExact.size() + t.norm.size() > kMaxTerm || t.stem.size() > kMaxTerm) continue;
        doc.add_posting(t.stem, t.pos);
        set_exact(t.norm);
        doc.add_term(exact);
    }
    const std::uint64_t sh = simhash(toks);
    if (simhash_out) *simhash_out = sh;
    // Abbreviations the body defines ("Badan Pusat Statistik (BPS)").
    for (const auto& d : find_abbreviations(body, toks))
        if (auto term = abbreviation_term(d); !term.empty()) doc.add_boolean_term(term);

    // Source and author words, lower-case, for source: and author:.
    std::vector<Token> ftoks;
    analyzer.analyze(a.source, ftoks);
    for (const auto& t : ftoks) doc.add_boolean_term(key_term(kSource, t.norm));
    ftoks.clear();
    analyzer.analyze(a.author, ftoks);
    for (const auto& t : ftoks) doc.add_boolean_term(key_term(kAuthor, t.norm));

    const std::string dk = date_key(a.date);
    if (!dk.empty()) {
        doc.add_value(kDateSlot, dk);
        doc.add_boolean_term(std::string(kYear) + dk.substr(0, 4));
        doc.add_boolean_term(std::string(kMonth) + dk.substr(0, 6));
        doc.add_boolean_term(std::string(kDay) + dk.substr(0, 8));
    }
    doc.add_boolean_term(id_term(a.id));
    doc.add_boolean_term(key_term(kFile, a.path));
    doc.add_boolean_term(raw_hash_term(raw_hash));
    std::string idv = a.id;  // (ids hold no NUL: readers drop them)
    if (sh != 0) {  // (no body, no hash: such documents are never duplicates)
        const std::string shv = be64(sh);
        doc.add_value(kSimHashSlot, shv);
        idv.append(1, '\0').append(shv);
        if (dup) {
            doc.add_boolean_term(cluster_term(dup->content));
            idv.append(be64(dup->content));
        }
    }
    doc.add_boolean_term(std::string(sh != 0 && dup && !dup->head ? kNotHead : kHead));
    doc.add_value(kIdSlot, idv);
    // No SimHash terms: band terms (four nearly unique terms a document) cost
    // 2 MB of the compacted clickid index and about 5% of the build time, and
    // nothing searched them (benchmarks/RESULTS.md).

    StoredDoc sd{a.id, a.path, a.url, a.title, a.date, a.source, a.author, body, a.line, {}};
    if (sh != 0 && dup && dup->head) sd.group = dup->others;
    doc.set_data(sd.serialize());
    return doc;
}

} // namespace cari
