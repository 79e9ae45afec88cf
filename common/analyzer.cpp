#include "analyzer.h"

#include "utf8.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

namespace cari {

namespace {

enum class Cls { Sep, Word, Apos, Hyphen, NumSep };

bool is_word_cp(char32_t c) {
    if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (c == 0xFFFD) return false;
    const auto t = u_charType(static_cast<UChar32>(c));
    return u_isalnum(static_cast<UChar32>(c)) || t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK ||
           t == U_ENCLOSING_MARK;
}

bool is_digit_cp(char32_t c) { return c >= '0' && c <= '9'; }

Cls classify(char32_t c) {
    if (is_word_cp(c)) return Cls::Word;
    if (c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC) return Cls::Apos;
    if (c == '-' || c == 0x2010 || c == 0x2011) return Cls::Hyphen;
    if (c == '.' || c == ',') return Cls::NumSep;
    return Cls::Sep;
}

// NFKC + case folding; ASCII takes a fast path. Apostrophes and thousands dots are removed
// so "Ma’ruf" = "maruf" and "2.000" = "2000".
std::string fold(std::string_view w) {
    std::string out;
    out.reserve(w.size());
    bool ascii = true;
    for (char ch : w)
        if (static_cast<unsigned char>(ch) >= 0x80) { ascii = false; break; }
    if (ascii) {
        for (char ch : w) {
            if (ch == '\'' || ch == '.') continue;
            out += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch + 32) : ch;
        }
        return out;
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
        if (!(c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == '.')) out.append(tmp, i, len);
        i += len;
    }
    return out;
}

// A bounded per-thread memo of word -> stem: news vocabulary repeats heavily.
class StemCache {
public:
    const std::string& get(const Stemmer& s, const std::string& norm) {
        if (owner_ != &s) { map_.clear(); owner_ = &s; }
        auto it = map_.find(norm);
        if (it != map_.end()) return it->second;
        if (map_.size() > 500000) map_.clear();
        return map_.emplace(norm, s.stem(norm)).first->second;
    }

private:
    const Stemmer* owner_ = nullptr;
    std::unordered_map<std::string, std::string> map_;
};

thread_local StemCache t_cache;

} // namespace

Analyzer::Analyzer(std::shared_ptr<const Stemmer> stemmer) : stemmer_(std::move(stemmer)) {}

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

std::uint32_t Analyzer::analyze(std::string_view text, std::vector<Token>& out, std::uint32_t pos) const {
    const std::size_t n = text.size();
    std::size_t i = 0;
    // A word: runs of word characters joined by single apostrophes (letters
    // on both sides), hyphens (word characters on both sides) and, between digits, '.' or ','.
    while (i < n) {
        std::size_t len;
        char32_t c = utf8::decode(text, i, len);
        if (classify(c) != Cls::Word) { i += len; continue; }
        const std::size_t start = i;
        std::vector<std::pair<std::size_t, std::size_t>> parts;  // hyphen-separated parts
        std::size_t part_start = i;
        char32_t prev = c;
        i += len;
        for (;;) {
            if (i >= n) break;
            c = utf8::decode(text, i, len);
            const Cls k = classify(c);
            if (k == Cls::Word) { prev = c; i += len; continue; }
            if (k == Cls::Sep || i + len >= n) break;
            std::size_t len2;
            const char32_t next = utf8::decode(text, i + len, len2);
            if (classify(next) != Cls::Word) break;
            if (k == Cls::NumSep) {
                if (!(is_digit_cp(prev) && is_digit_cp(next))) break;
            } else if (k == Cls::Apos) {
                if (is_digit_cp(prev) || is_digit_cp(next)) break;
            } else if (k == Cls::Hyphen) {
                parts.emplace_back(part_start, i);
                part_start = i + len;
            }
            prev = next;
            i += len + len2;
        }
        parts.emplace_back(part_start, i);

        auto emit = [&](std::size_t b, std::size_t e, std::string norm, std::string stem) {
            Token t;
            t.stop = is_stopword(norm);
            t.norm = std::move(norm);
            t.stem = std::move(stem);
            t.start = static_cast<std::uint32_t>(b);
            t.end = static_cast<std::uint32_t>(e);
            t.pos = pos++;
            out.push_back(std::move(t));
        };
        if (parts.size() == 2) {
            std::string a = fold(text.substr(parts[0].first, parts[0].second - parts[0].first));
            std::string b = fold(text.substr(parts[1].first, parts[1].second - parts[1].first));
            if (auto root = stemmer_->reduplication(a, b)) {
                emit(start, i, a == b ? a : a + "-" + b, std::move(*root));
                continue;
            }
        }
        for (const auto& [b, e] : parts) {
            std::string norm = fold(text.substr(b, e - b));
            if (norm.empty()) continue;
            std::string stem = t_cache.get(*stemmer_, norm);
            emit(b, e, std::move(norm), std::move(stem));
        }
    }
    return pos;
}

bool is_stopword(std::string_view norm) {
    // Function words of Indonesian news prose: conjunctions, prepositions,
    // pronouns, particles, auxiliaries. Cari's own list.
    static const std::unordered_set<std::string_view> words = {
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
    return words.count(norm) != 0;
}

} // namespace cari
