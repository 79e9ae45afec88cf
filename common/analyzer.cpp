#include "analyzer.h"

#include "utf8.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <new>
#include <unordered_map>
#include <utility>

#include <sys/mman.h>

namespace cari {

namespace {

enum class Cls : std::uint8_t { Sep, Word, Apos, Hyphen, NumSep };

// Classes of the ASCII bytes; others are decoded and asked of ICU.
constexpr std::array<Cls, 128> kAscii = [] {
    std::array<Cls, 128> t{};
    for (int c = 0; c < 128; ++c) {
        Cls k = Cls::Sep;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) k = Cls::Word;
        else if (c == '\'') k = Cls::Apos;
        else if (c == '-') k = Cls::Hyphen;
        else if (c == '.' || c == ',') k = Cls::NumSep;
        t[static_cast<std::size_t>(c)] = k;
    }
    return t;
}();

bool is_word_cp(char32_t c) {
    if (c == 0xFFFD) return false;
    const auto t = u_charType(static_cast<UChar32>(c));
    return u_isalnum(static_cast<UChar32>(c)) || t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK ||
           t == U_ENCLOSING_MARK;
}

bool is_apos(char32_t c) { return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC; }

Cls classify(char32_t c) {
    if (c < 0x80) return kAscii[c];
    if (is_word_cp(c)) return Cls::Word;
    if (is_apos(c)) return Cls::Apos;
    if (c == 0x2010 || c == 0x2011) return Cls::Hyphen;
    return Cls::Sep;
}

// The code point at text[i] with its class; ASCII without decoding.
inline char32_t next_cp(std::string_view text, std::size_t i, std::size_t& len, Cls& k) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
        len = 1;
        k = kAscii[b];
        return b;
    }
    const char32_t c = utf8::decode(text, i, len);
    k = classify(c);
    return c;
}

bool is_digit_cp(char32_t c) { return c >= '0' && c <= '9'; }
bool is_letter_cp(char32_t c) { return c >= 0x80 ? u_isalpha(static_cast<UChar32>(c)) : ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

bool ascii_digit(char c) { return c >= '0' && c <= '9'; }

// A '.' inside a word that is kept: between digits, unless it groups thousands
// (a dot before exactly three digits, as Indonesian writes 2.000.000).
// "10.30" (a time) and "1.5" keep it; "2.000" and "U.S." lose it.
bool decimal_dot(std::string_view w, std::size_t i) {
    if (i == 0 || i + 1 >= w.size() || !ascii_digit(w[i - 1]) || !ascii_digit(w[i + 1])) return false;
    std::size_t n = 0;
    while (i + 1 + n < w.size() && ascii_digit(w[i + 1 + n])) ++n;
    return n != 3;
}

// NFKC + case folding; ASCII takes a fast path. Apostrophes and grouping dots
// are removed so "Ma’ruf" = "maruf", "2.000" = "2000" and "U.S." = "us".
std::string fold(std::string_view w) {
    std::string out(w.size(), '\0');
    {
        char* o = out.data();
        std::size_t i = 0;
        for (; i < w.size(); ++i) {
            const char ch = w[i];
            if (static_cast<unsigned char>(ch) >= 0x80) break;
            if (ch == '\'' || (ch == '.' && !decimal_dot(w, i))) continue;
            *o++ = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch + 32) : ch;
        }
        if (i == w.size()) {
            out.resize(static_cast<std::size_t>(o - out.data()));
            return out;
        }
        out.clear();
    }
    UErrorCode err = U_ZERO_ERROR;
    static const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(err);
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(w.data(), static_cast<int32_t>(w.size())));
    icu::UnicodeString n;
    err = U_ZERO_ERROR;
    if (nfkc_cf) nfkc_cf->normalize(u, n, err);
    if (!nfkc_cf || U_FAILURE(err)) n = u.foldCase();
    std::string tmp;
    n.toUTF8String(tmp);
    for (std::size_t i = 0; i < tmp.size();) {
        std::size_t len;
        const char32_t c = utf8::decode(tmp, i, len);
        if (!(is_apos(c) || (c == '.' && !decimal_dot(tmp, i)))) out.append(tmp, i, len);
        i += len;
    }
    return out;
}

struct SvHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// A bounded per-thread memo of word -> (stem, stop word): news vocabulary
// repeats heavily. Open addressing over one cache line a word (the word and
// its stem inline), so a lookup costs one memory access where a node-based
// map cost two or three: with a vocabulary of 100k words, those misses were
// most of the snippet generator's time (perf, benchmarks/RESULTS.md).
// Words or stems longer than a slot holds are stemmed each time (rare).
class StemCache {
public:
    struct Entry {
        std::string_view stem;  // valid until the next get()
        bool stop;
    };

    Entry get(std::uint64_t owner, const Stemmer& s, std::string_view norm) {
        if (owner_ != owner) reset(owner);
        if (norm.size() > kMax) return uncached(s, norm);
        const std::uint64_t h = hash(norm);
        const auto tag = static_cast<std::uint32_t>(h >> 32) | 1u;  // never 0: 0 marks an empty slot
        std::size_t i = static_cast<std::size_t>(h) & mask_;
        for (;; i = (i + 1) & mask_) {
            Slot& sl = slots_[i];
            if (sl.tag == 0) break;
            if (sl.tag == tag && sl.klen == norm.size() && std::memcmp(sl.key, norm.data(), norm.size()) == 0)
                return {std::string_view(sl.stem, sl.slen), sl.stop != 0};
        }
        const std::string stem = s.stem(norm);
        const bool stop = is_stopword(norm);
        if (stem.size() > kMax) {
            long_stem_ = stem;
            return {long_stem_, stop};
        }
        if ((used_ + 1) * 10 > slots_.size() * 7) {
            if (slots_.size() >= kMaxSlots) {
                slots_.clear();
                used_ = 0;
            } else {
                grow(slots_.size() * 2);
            }
            i = static_cast<std::size_t>(h) & mask_;
            while (slots_[i].tag != 0) i = (i + 1) & mask_;
        }
        Slot& sl = slots_[i];
        sl.tag = tag;
        sl.klen = static_cast<std::uint8_t>(norm.size());
        sl.slen = static_cast<std::uint8_t>(stem.size());
        sl.stop = stop ? 1 : 0;
        std::memcpy(sl.key, norm.data(), norm.size());
        std::memcpy(sl.stem, stem.data(), stem.size());
        ++used_;
        return {std::string_view(sl.stem, sl.slen), stop};
    }

    // The memo at its largest at once, its memory touched, so no later get()
    // grows it or takes a page fault.
    void reserve(std::uint64_t owner) {
        if (owner_ != owner) reset(owner);
        if (slots_.size() < kMaxSlots) grow(kMaxSlots);
        slots_.touch();
    }

    // A hyphenated pair "a-b": its reduplication root, or nullopt for a compound.
    const std::optional<std::string>& pair(std::uint64_t owner, const Stemmer& s, const std::string& a,
                                           const std::string& b) {
        if (owner_ != owner) reset(owner);
        key_.assign(a).append(1, '-').append(b);
        auto it = pairs_.find(std::string_view(key_));
        if (it != pairs_.end()) return it->second;
        if (pairs_.size() > 100000) pairs_.clear();
        return pairs_.emplace(key_, s.reduplication(a, b)).first->second;
    }

private:
    static constexpr std::size_t kMax = 27;                // bytes of a word or stem held inline
    static constexpr std::size_t kMinSlots = 1u << 12;     // 256 KiB
    static constexpr std::size_t kMaxSlots = 1u << 18;     // 16 MiB; full, it starts again empty
    struct alignas(64) Slot {
        std::uint32_t tag = 0;
        std::uint8_t klen = 0, slen = 0, stop = 0;
        char key[kMax];
        char stem[kMax];
    };
    static_assert(sizeof(Slot) == 64);

    // Slots in a mapping of their own, zero until written. A table of 2 MiB
    // or more asks for huge pages (THP, madvise), so it is mapped in a few
    // faults where it took one a 4 KiB page: on the 2-core VM, writing 92k
    // slots of a fresh 16 MiB table took 47 ms in 4 KiB pages and 1.3 ms in
    // huge pages, and the query that grew the cache to 16 MiB took 25-32 ms
    // (3.4 ms with huge pages). Where the kernel gives none, it is ordinary memory.
    class Slots {
    public:
        Slots() = default;
        explicit Slots(std::size_t n) {
            const std::size_t bytes = n * sizeof(Slot);
            const bool huge = bytes >= kHuge;
            map_bytes_ = bytes + (huge ? kHuge : 0);
            map_ = ::mmap(nullptr, map_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (map_ == MAP_FAILED) {
                map_ = nullptr;
                throw std::bad_alloc();
            }
            auto at = reinterpret_cast<std::uintptr_t>(map_);
            if (huge) {
                at = (at + kHuge - 1) & ~(kHuge - 1);
                (void)::madvise(reinterpret_cast<void*>(at), bytes, MADV_HUGEPAGE);  // (a hint: ignored where unsupported)
            }
            slots_ = reinterpret_cast<Slot*>(at);  // (zero bytes are empty slots)
            n_ = n;
        }
        Slots(Slots&& o) noexcept { *this = std::move(o); }
        Slots& operator=(Slots&& o) noexcept {
            if (this != &o) {
                release();
                map_ = std::exchange(o.map_, nullptr);
                map_bytes_ = std::exchange(o.map_bytes_, 0);
                slots_ = std::exchange(o.slots_, nullptr);
                n_ = std::exchange(o.n_, 0);
            }
            return *this;
        }
        Slots(const Slots&) = delete;
        Slots& operator=(const Slots&) = delete;
        ~Slots() { release(); }

        [[nodiscard]] std::size_t size() const { return n_; }
        Slot& operator[](std::size_t i) { return slots_[i]; }
        const Slot* begin() const { return slots_; }
        const Slot* end() const { return slots_ + n_; }
        void clear() { std::memset(static_cast<void*>(slots_), 0, n_ * sizeof(Slot)); }
        // Faults every page in now (writing zeros, which mean empty slots).
        void touch() {
            auto* bytes = reinterpret_cast<volatile char*>(slots_);
            for (std::size_t i = 0; i < n_ * sizeof(Slot); i += 4096) bytes[i] = 0;
        }

    private:
        static constexpr std::size_t kHuge = std::size_t{2} << 20;
        void release() {
            if (map_) ::munmap(map_, map_bytes_);
            map_ = nullptr;
        }
        void* map_ = nullptr;
        std::size_t map_bytes_ = 0;
        Slot* slots_ = nullptr;
        std::size_t n_ = 0;
    };

    static std::uint64_t hash(std::string_view s) {
        std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a, then a final mix for the low bits
        for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
        h ^= h >> 29;
        h *= 0xbf58476d1ce4e5b9ull;
        return h ^ (h >> 32);
    }

    Entry uncached(const Stemmer& s, std::string_view norm) {
        long_stem_ = s.stem(norm);
        return {long_stem_, is_stopword(norm)};
    }

    void reset(std::uint64_t owner) {
        slots_ = Slots(kMinSlots);
        mask_ = kMinSlots - 1;
        used_ = 0;
        pairs_.clear();
        owner_ = owner;
    }

    void grow(std::size_t n) {
        Slots old(n);
        std::swap(old, slots_);
        mask_ = slots_.size() - 1;
        for (const Slot& sl : old) {
            if (sl.tag == 0) continue;
            std::size_t i = static_cast<std::size_t>(hash(std::string_view(sl.key, sl.klen))) & mask_;
            while (slots_[i].tag != 0) i = (i + 1) & mask_;
            slots_[i] = sl;
        }
    }

    std::uint64_t owner_ = 0;
    Slots slots_;
    std::size_t mask_ = 0, used_ = 0;
    std::string long_stem_;
    std::unordered_map<std::string, std::optional<std::string>, SvHash, std::equal_to<>> pairs_;
    std::string key_;
};

thread_local StemCache t_cache;

const std::string kRp = "rp";

} // namespace

Analyzer::Analyzer(std::shared_ptr<const Stemmer> stemmer) : stemmer_(std::move(stemmer)) {
    static std::atomic<std::uint64_t> next{1};
    id_ = next++;
}

std::shared_ptr<const Analyzer> Analyzer::default_instance() {
    static std::once_flag once;
    static std::shared_ptr<const Analyzer> inst;
    std::call_once(once, [] {
        const char* env = std::getenv("CARI_STEMMER");
        inst = std::make_shared<Analyzer>(std::shared_ptr<const Stemmer>(make_stemmer(env ? env : "cari")));
    });
    return inst;
}

std::string Analyzer::normalize(std::string_view word) const { return fold(word); }

void Analyzer::reserve_memo() const { t_cache.reserve(id_); }

bool Analyzer::stems_to(std::string_view norm, std::string_view stem) const {
    return t_cache.get(id_, *stemmer_, norm).stem == stem;
}

std::uint32_t Analyzer::analyze(std::string_view text, std::vector<Token>& out, std::uint32_t pos) const {
    return run(text, out, pos, true);
}

std::uint32_t Analyzer::run(std::string_view text, std::vector<Token>& out, std::uint32_t pos, bool stem) const {
    const std::size_t n = text.size();
    std::size_t i = 0;
    out.reserve(out.size() + n / 6 + 1);  // about one word in six bytes of news prose
    // Hyphen-separated parts of the current word (start, end).
    std::vector<std::pair<std::size_t, std::size_t>> parts;
    auto emit = [&](std::size_t b, std::size_t e, std::string norm, std::string stem, bool stop) {
        Token& t = out.emplace_back();
        t.stop = stop;
        t.norm = std::move(norm);
        t.stem = std::move(stem);
        t.start = static_cast<std::uint32_t>(b);
        t.end = static_cast<std::uint32_t>(e);
        t.pos = pos++;
    };
    // A word: runs of word characters joined by single apostrophes (letters
    // on both sides: Ma’ruf), hyphens (word characters on both sides), '.' or
    // ',' between digits (2.000, 2,5), and '.' in an acronym of single letters (U.S.A.).
    while (i < n) {
        std::size_t len;
        Cls k;
        char32_t c = next_cp(text, i, len, k);
        if (k != Cls::Word) { i += len; continue; }
        const std::size_t start = i;
        parts.clear();
        std::size_t part_start = i;
        std::size_t run_chars = 1;  // word characters since the last joiner, for acronyms
        char32_t prev = c;
        i += len;
        while (i < n) {
            c = next_cp(text, i, len, k);
            if (k == Cls::Word) { prev = c; i += len; ++run_chars; continue; }
            if (k == Cls::Sep || i + len >= n) break;
            std::size_t len2;
            Cls k2;
            const char32_t next = next_cp(text, i + len, len2, k2);
            if (k2 != Cls::Word) break;
            if (k == Cls::NumSep) {
                if (is_digit_cp(prev) && is_digit_cp(next)) {
                    // a digit group
                } else if (c == '.' && run_chars == 1 && is_letter_cp(prev) && is_letter_cp(next)) {
                    // U.S.A.: the next run must be one letter too
                    const std::size_t after = i + len + len2;
                    std::size_t len3 = 0;
                    Cls k3 = Cls::Sep;
                    if (after < n) next_cp(text, after, len3, k3);
                    if (k3 == Cls::Word) break;
                } else {
                    break;
                }
            } else if (k == Cls::Apos) {
                if (is_digit_cp(prev) || is_digit_cp(next)) break;
            } else if (k == Cls::Hyphen) {
                parts.emplace_back(part_start, i);
                part_start = i + len;
            }
            run_chars = k == Cls::Apos ? run_chars + 1 : 1;
            prev = next;
            i += len + len2;
        }
        parts.emplace_back(part_start, i);

        if (parts.size() == 2) {
            std::string a = fold(text.substr(parts[0].first, parts[0].second - parts[0].first));
            std::string b = fold(text.substr(parts[1].first, parts[1].second - parts[1].first));
            if (const auto& root = t_cache.pair(id_, *stemmer_, a, b)) {
                std::string norm = a == b ? a : a + "-" + b;
                const bool stop = is_stopword(a) && (a == b || is_stopword(b));
                emit(start, i, std::move(norm), *root, stop);
                continue;
            }
        }
        for (auto [b, e] : parts) {
            // Rp2.000, Rp2,5: the currency and the amount are two words.
            if (e - b > 2 && (text[b] | 0x20) == 'r' && (text[b + 1] | 0x20) == 'p' && ascii_digit(text[b + 2])) {
                if (stem) {
                    const StemCache::Entry rp = t_cache.get(id_, *stemmer_, kRp);
                    emit(b, b + 2, kRp, std::string(rp.stem), rp.stop);
                } else {
                    emit(b, b + 2, kRp, std::string(), is_stopword(kRp));
                }
                b += 2;
            }
            std::string norm = fold(text.substr(b, e - b));
            if (norm.empty()) continue;
            if (!stem) {
                const bool stop = is_stopword(norm);
                emit(b, e, std::move(norm), std::string(), stop);
                continue;
            }
            const StemCache::Entry ce = t_cache.get(id_, *stemmer_, norm);
            emit(b, e, std::move(norm), std::string(ce.stem), ce.stop);
        }
    }
    return pos;
}

bool is_stopword(std::string_view norm) {
    // Function words of Indonesian news prose: conjunctions, prepositions,
    // pronouns, particles, auxiliaries. Cari's own list.
    static constexpr std::string_view kWords[] = {
        "ada", "adalah", "agar", "akan", "aku", "anda", "antara", "apa", "apakah", "atas", "atau",
        "bagaimana", "bagi", "bahkan", "bahwa", "baik", "banyak", "beberapa", "begitu", "belum",
        "berapa", "bisa", "boleh", "bukan", "dalam", "dan", "dapat", "dari", "daripada", "demikian",
        "dengan", "di", "dia", "dimana", "dirinya", "ia", "ini", "itu", "jadi", "jika", "juga",
        "kalau", "kami", "kamu", "kapan", "karena", "ke", "kepada", "kita", "lagi", "lain", "lalu",
        "maka", "masih", "mana", "masing", "melalui", "mereka", "mengapa", "namun", "nya", "oleh",
        "pada", "para", "pula", "pun", "saat", "saja", "sambil", "sampai", "sangat", "saya", "se",
        "sebagai", "sebelum", "sedang", "sedangkan", "sehingga", "sejak", "semua", "sementara",
        "seperti", "sering", "serta", "setelah", "siapa", "sudah", "supaya", "tanpa", "telah",
        "tentang", "terhadap", "tersebut", "tetapi", "tidak", "untuk", "walaupun", "yaitu",
        "yakni", "yang", "hanya", "harus", "lebih", "paling", "pernah", "selalu", "secara",
        "kah", "lah", "tak", "tapi", "hingga", "menurut", "sebuah", "seorang", "suatu",
    };
    // Asked for every word of a body (the snippet generator), so no hashing:
    // the words grouped by first letter and length, a group holding one to
    // four, compared in full.
    constexpr std::size_t kMaxLen = 15;
    struct Table {
        std::array<std::string_view, std::size(kWords)> words;
        std::array<std::uint8_t, 26 * (kMaxLen + 1) + 1> first{};  // group g: words[first[g], first[g + 1])
    };
    static const Table table = [] {
        Table t;
        auto group = [](std::string_view w) { return static_cast<std::size_t>(w[0] - 'a') * (kMaxLen + 1) + w.size(); };
        std::copy(std::begin(kWords), std::end(kWords), t.words.begin());
        std::sort(t.words.begin(), t.words.end(), [&](std::string_view x, std::string_view y) { return group(x) < group(y); });
        std::size_t w = 0;
        for (std::size_t g = 0; g < t.first.size(); ++g) {
            while (w < t.words.size() && group(t.words[w]) < g) ++w;
            t.first[g] = static_cast<std::uint8_t>(w);
        }
        return t;
    }();
    if (norm.empty() || norm.size() > kMaxLen || norm[0] < 'a' || norm[0] > 'z') return false;
    const std::size_t g = static_cast<std::size_t>(norm[0] - 'a') * (kMaxLen + 1) + norm.size();
    for (std::size_t i = table.first[g]; i < table.first[g + 1]; ++i)
        if (table.words[i] == norm) return true;
    return false;
}

} // namespace cari
