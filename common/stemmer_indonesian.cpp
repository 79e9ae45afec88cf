// Cari's Indonesian stemmer: confix stripping with a root lexicon, in the
// family of Nazief & Adriani (1996), Confix Stripping (Asian et al. 2007) and
// Enhanced Confix Stripping (Arifin et al. 2009). Cari's own formulation:
//
//  1. A word of the lexicon is its own root (menteri, berita, mereka), unless
//     it is a root plus a particle its flags allow (apakah = apa + kah) or a
//     bare function word plus pun (meskipun), or an entry hunspell lists
//     whole without affix flags that a licensed suffix explains (belikan,
//     besaran), or a -kan/-i verb listed beside a more productive base
//     (bicarakan -> bicara), or a ber-/pe-/per- entry that hunspell's own
//     prefix rule generates from a more productive root (peluang -> luang,
//     berlaku -> laku, perhati -> hati). Entries hunspell marks as bound
//     (NEEDAFFIX: mengerti, listed for dimengerti) are analysed like any word.
//     se-X-nya goes to X when X's flags take that circumfix (sepenuhnya).
//  2. Otherwise every analysis  [prefix{0,3}] root [-i|-kan|-an] [-ku|-mu|-nya]
//     [-lah|-kah|-tah|-pun]  whose root is in the lexicon is listed, in the
//     order confix stripping tries them: suffixes alone first, then prefixes
//     on the fully stripped body, then with suffixes restored one by one.
//     Prefixes undo their sound changes (meN-/peN- nasal assimilation,
//     ber-/ter-/per- before r, menge-/penge- before one-syllable roots,
//     bel-ajar), and pairs Indonesian does not combine (ber-i, di-an, ke-i,
//     ke-kan, me-an, se-i, se-kan, ter-an) are skipped.
//  3. The hunspell affix flags decide: among the analyses whose root allows
//     that outer prefix and that suffix (alone or as a circumfix), the one
//     with the fewest affixes, first in stripping order, and among
//     sound-change alternatives the most productive root (mengalahkan: kalah,
//     not alah). Bound stems (NEEDAFFIX: ketahu) give way to the root inside.
//  4. When no analysis is licensed (the flags are incomplete), the one with the
//     fewest affixes, unless it is weak -- a rare allomorph (te-heran), bare
//     ke- or se- (Kediri, Selasa), -i on a root that never takes it (Bekasi)
//     -- or its root is a short word found by chance (ase-an, Ber-lin).
//  5. Then informal forms (nerima, mukul, ngegas: the meN- form without me-;
//     -in for -kan; nyimpen = simpan, temenan = teman-an; the passive
//     ketipu = tertipu) and learned suffixes (-isasi, -isme,
//     -alis) and partial reduplication (lelembut). Otherwise the word stays
//     whole: names and foreign words are not cut to non-roots.
//
// Of the infixes only -in- is undone, and only in a lexicon entry hunspell
// barely inflects whose base is a productive root (kinerja -> kerja). -el-,
// -em- and -er- form a closed, lexicalised set, and undoing them turns more
// real words into wrong roots than it helps (seminar -> sinar, melati -> mati,
// beruang -> buang, kelapa -> kapa).
#include "lexicon.h"
#include "stemmer.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef CARI_DEFAULT_DICT
#define CARI_DEFAULT_DICT "/usr/share/hunspell/id_ID.dic"
#endif

namespace cari {

namespace {

using sv = std::string_view;

enum class Pre : std::uint8_t { None, Di, Ke, Se, Ber, Ter, Me, Pe, Per, Ku };
enum class Der : std::uint8_t { None, I, Kan, An };

bool vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }
// Affixes are a few letters: a plain loop beats a call to memcmp.
bool same(const char* a, const char* b, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i]) return false;
    return true;
}
bool starts(sv s, sv p) { return s.size() >= p.size() && same(s.data(), p.data(), p.size()); }
bool ends(sv s, sv p) { return s.size() >= p.size() && same(s.data() + s.size() - p.size(), p.data(), p.size()); }

std::uint32_t pre_bit(Pre p) {
    switch (p) {
    case Pre::Di: return Lexicon::kPreDi;
    case Pre::Ke: return Lexicon::kPreKe;
    case Pre::Se: return Lexicon::kPreSe;
    case Pre::Ber: return Lexicon::kPreBer;
    case Pre::Ter: return Lexicon::kPreTer;
    case Pre::Me: return Lexicon::kPreMe;
    case Pre::Pe: return Lexicon::kPrePe;
    case Pre::Per: return Lexicon::kPrePer;
    case Pre::Ku: return Lexicon::kPreKu;
    case Pre::None: break;
    }
    return 0;
}

std::uint32_t der_bit(Der d) {
    switch (d) {
    case Der::I: return Lexicon::kSufI;
    case Der::Kan: return Lexicon::kSufKan;
    case Der::An: return Lexicon::kSufAn;
    case Der::None: break;
    }
    return 0;
}

// Prefix-suffix pairs that do not form an Indonesian confix.
bool disallowed(Pre p, Der d) {
    switch (p) {
    case Pre::Ber: return d == Der::I;
    case Pre::Di: return d == Der::An;
    case Pre::Ke: return d == Der::I || d == Der::Kan;
    case Pre::Me: return d == Der::An;
    case Pre::Se: return d == Der::I || d == Der::Kan;
    case Pre::Ter: return d == Der::An;
    default: return false;
    }
}

struct Alt {
    std::string rest;
    Pre pre;
    bool rare = false;  // a rare allomorph (te-percaya, be-kerja): trusted only when the lexicon allows it
};

// One prefix off the front of w, with every sound change undone, most likely first.
void strip_prefix(sv w, std::vector<Alt>& out, bool informal) {
    auto add = [&](std::string s, Pre p) {
        if (s.size() >= 3) out.push_back({std::move(s), p});
    };
    auto str = [](sv s) { return std::string(s); };
    const std::size_t n = w.size();
    if (n < 5) return;
    if (starts(w, "di")) add(str(w.substr(2)), Pre::Di);
    if (starts(w, "ke")) add(str(w.substr(2)), Pre::Ke);
    if (starts(w, "sese")) add(str(w.substr(4)), Pre::Se);  // seseorang, sesekali
    if (starts(w, "se")) add(str(w.substr(2)), Pre::Se);
    if (starts(w, "kau")) add(str(w.substr(3)), Pre::Ku);
    else if (starts(w, "ku")) add(str(w.substr(2)), Pre::Ku);

    // ber-, ter-: "r" may be the root's (berantai = ber + antai | be + rantai).
    for (const auto& [p3, tag] : {std::pair<sv, Pre>{"ber", Pre::Ber}, {"ter", Pre::Ter}}) {
        if (starts(w, p3) && n > 3) {
            const sv r = w.substr(3);
            if (vowel(r[0])) {
                add(str(r), tag);
                add("r" + str(r), tag);
            } else if (r[0] != 'r') {
                add(str(r), tag);
            }
        } else if (starts(w, p3.substr(0, 2)) && n > 4 && !vowel(w[2]) && w[2] != 'r' && w[3] == 'e' &&
                   w[4] == 'r') {
            const std::size_t before = out.size();
            add(str(w.substr(2)), tag);  // be-kerja, te-percaya
            if (out.size() > before) out.back().rare = true;
        }
    }
    if (starts(w, "belajar")) add(str(w.substr(3)), Pre::Ber);

    if (starts(w, "me")) {
        if (starts(w, "meng")) {
            const sv r = w.substr(4);
            const char c = r[0];
            if (c == 'g' || c == 'h' || c == 'q' || c == 'k') add(str(r), Pre::Me);
            if (vowel(c)) {
                add(str(r), Pre::Me);
                add("k" + str(r), Pre::Me);
            }
            if (starts(r, "e")) add(str(r.substr(1)), Pre::Me);  // menge-bom
        } else if (starts(w, "meny")) {
            const sv r = w.substr(4);
            if (vowel(r[0])) {
                add("s" + str(r), Pre::Me);
                add("ny" + str(r), Pre::Me);
                if (informal) add("c" + str(r), Pre::Me);  // nyari = mencari
            }
        } else if (starts(w, "men")) {
            const sv r = w.substr(3);
            const char c = r[0];
            if (c == 'c' || c == 'd' || c == 'j' || c == 'z' || c == 's' || c == 't') add(str(r), Pre::Me);
            if (vowel(c)) {
                add("t" + str(r), Pre::Me);
                add("n" + str(r), Pre::Me);
            }
        } else if (starts(w, "mem")) {
            const sv r = w.substr(3);
            const char c = r[0];
            if (c == 'b' || c == 'f' || c == 'v' || c == 'p') add(str(r), Pre::Me);
            if (vowel(c) || (c == 'r' && r.size() > 1 && vowel(r[1]))) {  // mem-rosesan: p-roses
                add("p" + str(r), Pre::Me);
                add("m" + str(r), Pre::Me);
            }
        }
        const char c = w[2];
        if (c == 'l' || c == 'r' || c == 'w' || c == 'y' || c == 'm' || c == 'n') add(str(w.substr(2)), Pre::Me);
    }

    if (starts(w, "pe")) {
        if (starts(w, "peng")) {
            const sv r = w.substr(4);
            const char c = r[0];
            if (c == 'g' || c == 'h' || c == 'q' || c == 'k') add(str(r), Pre::Pe);
            if (vowel(c)) {
                add(str(r), Pre::Pe);
                add("k" + str(r), Pre::Pe);
            }
            if (starts(r, "e")) add(str(r.substr(1)), Pre::Pe);
        } else if (starts(w, "peny")) {
            const sv r = w.substr(4);
            if (vowel(r[0])) {
                add("s" + str(r), Pre::Pe);
                add("ny" + str(r), Pre::Pe);
            }
        } else if (starts(w, "pen")) {
            const sv r = w.substr(3);
            const char c = r[0];
            if (c == 'c' || c == 'd' || c == 'j' || c == 'z' || c == 's' || c == 't') add(str(r), Pre::Pe);
            if (vowel(c)) {
                add("t" + str(r), Pre::Pe);
                add("n" + str(r), Pre::Pe);
            }
        } else if (starts(w, "pem")) {
            const sv r = w.substr(3);
            const char c = r[0];
            if (c == 'b' || c == 'f' || c == 'v' || c == 'p') add(str(r), Pre::Pe);
            if (vowel(c) || (c == 'r' && r.size() > 1 && vowel(r[1]))) {  // pem-rosesan: p-roses
                add("p" + str(r), Pre::Pe);
                add("m" + str(r), Pre::Pe);
            }
        } else if (starts(w, "per")) {
            const sv r = w.substr(3);
            if (vowel(r[0])) {
                add(str(r), Pre::Per);
                add("r" + str(r), Pre::Pe);
            } else if (r[0] != 'r') {
                add(str(r), Pre::Per);
            }
        }
        if (starts(w, "pelajar")) add(str(w.substr(3)), Pre::Pe);
        const char c = w[2];
        if (!vowel(c) && c != 'r' && !starts(w, "peng") && !starts(w, "peny") &&
            !((c == 'n' || c == 'm') && !vowel(w[3])))
            add(str(w.substr(2)), Pre::Pe);  // pe-dagang, pe-kerja, pe-lari, pe-minat
    }
}

bool first_only(Pre p) { return p == Pre::Me || p == Pre::Di || p == Pre::Ku; }

struct Cand {
    std::string root;
    Pre pre;   // outermost prefix
    Der der;
    int group = 0;  // same group = the same cut, differing only in the sound change undone
    int naff = 0;   // prefixes + derivational suffix removed
    bool weak = false;  // an analysis names and chance letter sequences produce: only if licensed
};

// Words that take no affixes however they look: pronouns and function words
// whose letters mimic an affixed verb (mereka = me + reka).
bool closed_class(sv w) {
    static constexpr std::array<sv, 12> words = {"mereka", "kami", "kita", "kamu", "beliau", "dia",
                                                 "kalian", "sendiri", "semua", "para", "bagi", "tetapi"};
    for (sv x : words)
        if (x == w) return true;
    return false;
}

bool numeral(sv w) {
    static constexpr std::array<sv, 14> words = {"satu", "dua", "tiga", "empat", "lima", "enam", "tujuh",
                                                 "delapan", "sembilan", "sepuluh", "sebelas", "seratus",
                                                 "seribu", "sejuta"};
    for (sv x : words)
        if (x == w) return true;
    return false;
}

bool clitic(sv w) {
    return w == "ku" || w == "mu" || w == "nya" || w == "lah" || w == "kah" || w == "pun";
}

constexpr int kParticleOnly = 50;  // the group of "root + particle" analyses
constexpr int kKuMuOnly = 49;      // the group of "root + -ku/-mu" analyses

class IndonesianStemmer final : public Stemmer {
public:
    explicit IndonesianStemmer(Lexicon lex) : lex_(std::move(lex)) {}

    [[nodiscard]] std::string stem(sv word) const override {
        if (word.find('-') != sv::npos) return stem_hyphenated(word);
        return stem_word(word);
    }

    [[nodiscard]] std::optional<std::string> reduplication(sv a, sv b) const override {
        if (a.empty() || b.empty()) return std::nullopt;
        std::string ra = stem_word(a);
        if (a == b) {
            // masing-masing, kupu-kupu: listed only doubled, a word of its own.
            if (!lex_.contains(a) && lex_.contains(std::string(a) + "-" + std::string(b)))
                return std::string(a) + "-" + std::string(b);
            return ra;
        }
        if (clitic(b)) return ra;  // Kuasa-Mu
        // A confix around the doubled part: kehati-hatian, sebaik-baiknya,
        // kemerah-merahan, berancang-ancang. The core ends a and starts b.
        for (std::size_t n = std::min(a.size(), b.size()); n >= 3; --n) {
            if (a.substr(a.size() - n) != b.substr(0, n)) continue;
            const std::string core(b.substr(0, n));
            const std::string whole = std::string(a) + std::string(b.substr(n));
            const std::string r = stem_word(whole);
            if (r == core || r == stem_word(core) || (n == b.size() && r == ra)) return r;
            break;
        }
        std::string rb = stem_word(b);
        if (ra == rb || ra == b) return ra;
        if (rb == a) return rb;
        // besar-besaran, habis-habisan: the second part is the first with a suffix.
        if (starts(b, a)) {
            const sv rest = b.substr(a.size());
            if (rest == "an" || rest == "nya" || rest == "kan" || rest == "i") return ra;
        }
        // meniru-nirukan, tarik-menarik: the second part repeats the first
        // with the nasal of meN-.
        if (!starts(b, "me") && !starts(b, "pe") && stem_word("me" + std::string(b)) == ra) return ra;
        return std::nullopt;
    }

    [[nodiscard]] std::string name() const override { return "cari"; }
    [[nodiscard]] bool is_root(std::string_view word) const override { return lex_.contains(word); }

private:
    [[nodiscard]] bool root(sv r) const { return r.size() >= 3 && lex_.contains(r); }
    [[nodiscard]] bool licensed(const Cand& c) const {
        // A particle alone (menikah = meni + kah?) only on a root that takes particles.
        if (c.group == kParticleOnly) return (lex_.allow(c.root) & Lexicon::kSufParticle) != 0;
        // -ku/-mu alone (Maluku = malu + ku?) only on a root that takes possessives.
        if (c.group == kKuMuOnly) return (lex_.allow(c.root) & Lexicon::kSufPossessive) != 0;
        if (c.pre == Pre::Per) {  // hunspell lists per- verbs under per-, pe- or ber-
            for (std::uint32_t p : {Lexicon::kPrePer, Lexicon::kPrePe, Lexicon::kPreBer})
                if (lex_.licenses(c.root, p, der_bit(c.der))) return true;
            return false;
        }
        // A bare -kan/-i/-an form (belikan, amankan) is fine when the root
        // takes that suffix in any of its derivations.
        if (c.pre == Pre::None && c.der != Der::None) return lex_.takes_suffix(c.root, der_bit(c.der));
        return lex_.licenses(c.root, pre_bit(c.pre), der_bit(c.der));
    }

    [[nodiscard]] std::string stem_hyphenated(sv word) const {
        const std::size_t last = word.rfind('-');
        if (last != sv::npos && last > 0 && clitic(word.substr(last + 1))) return stem(word.substr(0, last));
        const std::size_t h = word.find('-');
        const sv a = word.substr(0, h), b = word.substr(h + 1);
        if (b.find('-') == sv::npos) {
            if (auto r = reduplication(a, b)) return *r;
        }
        std::string out;
        std::size_t s = 0;
        while (s <= word.size()) {
            std::size_t e = word.find('-', s);
            if (e == sv::npos) e = word.size();
            if (s > 0) out += '-';
            out += stem_word(word.substr(s, e - s));
            s = e + 1;
        }
        return out;
    }

    // The licensed analysis with the fewest affixes, the first in stripping
    // order among equals; among its sound-change alternatives the root with
    // the most affix classes (mengalahkan: kalah, not alah).
    [[nodiscard]] const Cand* choose(const std::vector<Cand>& cands) const {
        // Bound stems (hunspell NEEDAFFIX: ketahu) only when nothing freer is licensed.
        for (bool allow_bound : {false, true}) {
            const Cand* best = nullptr;
            for (const Cand& c : cands) {
                if (!licensed(c) || (!allow_bound && lex_.bound(c.root))) continue;
                if (!best) best = &c;
                else if (c.naff < best->naff) best = &c;  // dimulai: di + mulai, not di + mula + i
                else if (c.group == best->group && lex_.nflags(c.root) > lex_.nflags(best->root)) best = &c;
            }
            if (best && allow_bound)  // the root inside the bound stem: di-ketahu-i -> tahu
                for (const Cand& c : cands)
                    if (c.group == best->group + 1 && c.root.size() < best->root.size() && !lex_.bound(c.root) &&
                        ends(best->root, c.root.substr(1)))
                        return &c;
            if (best) return best;
        }
        return nullptr;
    }

    // A lexicon entry that hunspell inflects further (peluang/B0: berpeluang;
    // berlaku/Dk: diberlakukan; perhati: memperhatikan) but that one of
    // hunspell's own prefix rules generates from a more productive root (luang
    // takes pe-, laku ber-, hati per-): the deeper root. Only ber-, pe- and
    // per- nouns and verbs: entries with se-, ter-, me- or ke- are lexicalised
    // adverbs and adjectives (sesuatu, setara, terlalu, melarat, kerangka).
    // Kept whole: entries listed bare (pendekar, selaras, permata); entries
    // whose would-be root lacks that prefix rule (menteri: teri has no flags;
    // perdana: dana takes pe- as pendana, not per-; segera: gera takes no
    // se-); and ber-/per-/ter- before a vowel, where the r may be the root's
    // (perangkat: per-angkat or pe-rangkat).
    [[nodiscard]] std::optional<std::string> deeper(sv w) const {
        if (w.size() < 6 || w[1] != 'e' || (w[0] != 'b' && w[0] != 'p')) return std::nullopt;  // ber-, pe-, per- only
        if (!lex_.has_affix_info() || lex_.nflags(w) == 0) return std::nullopt;
        if ((starts(w, "ber") || starts(w, "per") || starts(w, "ter")) && vowel(w[3])) return std::nullopt;
        std::vector<Alt> alts;
        strip_prefix(w, alts, false);
        const Alt* best = nullptr;
        for (const Alt& a : alts) {
            if (a.rare || a.rest.size() < 4 || !root(a.rest) || lex_.bound(a.rest)) continue;
            if (lex_.nflags(a.rest) <= lex_.nflags(w)) continue;
            const std::uint32_t f = lex_.generating_prefix(a.rest, w);
            if (!(f & (Lexicon::kPreBer | Lexicon::kPrePe | Lexicon::kPrePer))) continue;
            if (!best || lex_.nflags(a.rest) > lex_.nflags(best->rest)) best = &a;
        }
        if (!best) return std::nullopt;
        return best->rest;
    }

    // A lexicon entry without affix flags that a licensed suffix explains is a
    // derived form listed whole (belikan, besaran, idealisme): use its root.
    [[nodiscard]] std::string refine(std::string r) const {
        for (int guard = 0; guard < 3; ++guard) {
            if (r == "belajar" || r == "pelajar") return "ajar";  // bel-/pel- before ajar only
            if (!lex_.has_affix_info() || closed_class(r)) return r;
            // A -kan/-i verb listed as an entry (bicarakan) when its base is a
            // more productive root that takes the suffix.
            if (lex_.nflags(r) != 0) {
                for (const auto& [suf, bit] : {std::pair<sv, std::uint32_t>{"kan", Lexicon::kSufKan}, {"i", Lexicon::kSufI}}) {
                    if (!ends(r, suf) || r.size() < suf.size() + 4) continue;
                    const sv base = sv(r).substr(0, r.size() - suf.size());
                    if (root(base) && lex_.nflags(base) > lex_.nflags(r) && lex_.takes_suffix(base, bit))
                        return std::string(base);
                }
            }
            // The infix -in- (kinerja = k-in-erja, kinasih, binawah): an entry
            // hunspell barely inflects, over a productive root.
            if (lex_.nflags(r) <= 1 && r.size() >= 6 && !vowel(r[0]) && r[1] == 'i' && r[2] == 'n') {
                const std::string base = r.substr(0, 1) + r.substr(3);
                if (root(base) && lex_.nflags(base) >= 6) return base;
            }
            if (lex_.nflags(r) != 0) {
                if (auto d = deeper(r)) return *d;  // perhati -> hati
                return r;
            }
            std::vector<Cand> cands;
            analyse(r, cands);
            foreign(r, cands);
            // Only suffixes are undone here: hunspell lists pendekar, permata,
            // bermuda, selaras whole because they are not pe-dekar, per-mata,
            // ber-muda, se-laras. Weak analyses are not trusted here either.
            std::erase_if(cands, [](const Cand& x) { return x.weak || x.pre != Pre::None; });
            const Cand* c = choose(cands);
            if (!c || c->root == r || c->naff == 0) return r;
            r = c->root;
        }
        return r;
    }

    [[nodiscard]] std::string stem_word(sv w) const {
        if (w.size() < 4) return std::string(w);
        for (char c : w)
            if (c < 'a' || c > 'z') return std::string(w);  // digits, non-ASCII: leave whole
        if (closed_class(w)) return std::string(w);
        if (w == "tapi") return "tetapi";  // the clipped form of tetapi
        // Ordinals stay whole: kedua, ketiganya -> ketiga.
        if (starts(w, "ke")) {
            sv n = w.substr(2);
            if (ends(n, "nya")) n = n.substr(0, n.size() - 3);
            if (numeral(n)) return "ke" + std::string(n);
        }
        // ketidak-X-an: the negated noun of X (ketidakpastian, ketidaksetujuan).
        if (starts(w, "ketidak") && w.size() > 11) {
            sv x = w.substr(7);
            if (ends(x, "nya")) x = x.substr(0, x.size() - 3);
            if (ends(x, "an") && x.size() >= 5) return stem_word(x.substr(0, x.size() - 2));
        }
        // se-X-nya on a root whose flags take that very circumfix (sepenuhnya:
        // penuh), before an entry se-X listed bare (sepenuh) that -nya alone
        // would leave. An entry se-X with flags of its own is a word
        // (seragam/B0: seragamnya is its uniform, not ragam).
        if (starts(w, "se") && ends(w, "nya") && w.size() >= 9) {
            const sv x = w.substr(2, w.size() - 5);
            if (root(x) && (lex_.allow(x) & Lexicon::kSeNya) && lex_.nflags(w.substr(0, w.size() - 3)) == 0)
                return refine(std::string(x));
        }
        // A bound entry (hunspell NEEDAFFIX: mengerti, listed for dimengerti) is
        // analysed like any derived word, and kept whole when nothing fits.
        if (lex_.contains(w) && !lex_.bound(w)) {
            // apakah, bukanlah: a root plus a particle its flags allow. And a
            // bare function word plus pun (meskipun, walaupun: meski and walau
            // carry no flags to allow it); maupun stays, mau takes no particle.
            for (sv p : {sv("lah"), sv("kah"), sv("tah"), sv("pun")})
                if (ends(w, p)) {
                    const sv r = w.substr(0, w.size() - 3);
                    if (root(r) && (lex_.allow(r) & Lexicon::kSufParticle)) return std::string(r);
                    if (p == "pun" && root(r) && lex_.has_affix_info() && lex_.nflags(r) == 0 && lex_.nflags(w) == 0)
                        return std::string(r);
                }
            return refine(std::string(w));
        }
        std::vector<Cand> cands;
        analyse(w, cands);
        if (auto r = pick(w, cands, false)) return refine(*r);
        if (auto r = informal(w, !cands.empty())) return refine(*r);
        cands.clear();
        foreign(w, cands);
        if (auto r = pick(w, cands, false)) return refine(*r);
        // -nya on a word the lexicon lacks (Jokowinya, webnya): the word. Only
        // -nya: -lah would cut Abdullah, -ku Timbuktu.
        if (ends(w, "nya") && w.size() >= 7) return std::string(w.substr(0, w.size() - 3));
        return std::string(w);
    }

    // The root of the best analysis, if any is good enough.
    [[nodiscard]] std::optional<std::string> pick(sv w, const std::vector<Cand>& cands, bool informal_form) const {
        if (cands.empty()) return std::nullopt;
        if (debug_)
            for (const Cand& c : cands)
                std::fprintf(stderr, "  %s: %s pre=%d der=%d group=%d naff=%d weak=%d licensed=%d nflags=%u\n",
                             std::string(w).c_str(), c.root.c_str(), static_cast<int>(c.pre), static_cast<int>(c.der),
                             c.group, c.naff, c.weak ? 1 : 0, licensed(c) ? 1 : 0, lex_.nflags(c.root));
        if (!lex_.has_affix_info()) return cands.front().root;
        if (const Cand* c = choose(cands)) return c->root;
        // No root allows these affixes (hunspell's flags are incomplete): the
        // analysis with the fewest affixes and the most productive root, unless
        // it is weak (names: Kediri, Bekasi) or its root is a short word that
        // stripping uncovers by chance (asean, kebon, Berlin).
        const Cand* c = nullptr;
        for (const Cand& x : cands) {
            if (x.weak && !informal_form) continue;
            if (!c || x.naff < c->naff || (x.naff == c->naff && lex_.nflags(x.root) > lex_.nflags(c->root))) c = &x;
        }
        if (!c) return std::nullopt;
        if (c->root.size() >= 4 || (informal_form && c->pre != Pre::None)) return c->root;
        // A three-letter root after bare di- when hunspell gives it three or
        // more affix classes (dicek, dibom); Dian stays (no root "an").
        if (c->pre == Pre::Di && c->der == Der::None && c->naff == 1 && lex_.nflags(c->root) >= 3) return c->root;
        return std::nullopt;
    }

    // Informal Jakarta speech: the nasal of meN- without me- (nerima, mukul,
    // ngambil, nyari, ngegas), -in for -kan/-i (betulin, nanyain), and, in such
    // a verb only, the last a of the root said as e (nyimpen = simpan); and
    // -an on such a root (temenan, cepetan) when the word has no formal
    // analysis at all: sepekan is se-pekan, not sepak + an.
    // formal: the word has formal analyses (none good enough).
    [[nodiscard]] std::optional<std::string> informal(sv w, bool formal) const {
        std::string v(w);
        const bool in = ends(v, "in") && v.size() >= 6;
        if (in) v = v.substr(0, v.size() - 2) + "kan";
        std::vector<Cand> cands;
        if (in) {
            analyse(v, cands, true);
            if (auto r = pick(w, cands, true)) return r;
            cands.clear();
        }
        // (Not before -ku/-mu: Maluku is no informal memalu-ku.) The -in
        // reading first, then the word as it is: mimpin is memimpin, not -in.
        for (const std::string& x : {v, std::string(w)}) {
            if (x.empty() || !(x[0] == 'n' || x[0] == 'm') || starts(x, "me") || ends(x, "ku") || ends(x, "mu")) continue;
            cands.clear();
            analyse("me" + x, cands, true);
            // Only what the lexicon allows: Makkah is not a verb.
            // ("nge-" before a one-syllable root is unmistakable: ngegas, ngecat).
            if (const Cand* c = choose(cands)) {
                if (c->root.size() >= 4 || starts(x, "nge")) return c->root;
                return std::nullopt;
            }
            if (x != v) break;  // the second reading: only what the lexicon allows
            // ngegas: gas has no flags. Only after a nasal n- (ng-, ny-, n-):
            // m + vowel read as me-p on a root without flags made names and
            // loanwords of clickid into other words (market: parket, Mike:
            // pike, Mulan: pulan, Manuel: manual; 76 word types).
            if (auto r = pick(w, cands, true); r && lex_.nflags(*r) == 0 && x[0] == 'n') return r;
            if (!in) break;
        }
        // The informal passive ke-X = ter-X (ketipu, kebawa): only on a verb
        // root that takes ter- and, with no suffix, di- or meN- (Kediri stays:
        // diri is a verb only with -kan).
        if (starts(w, "ke") && w.size() >= 6) {
            const std::string x = lookup(w.substr(2), true);
            if (!x.empty() && x.size() >= 4 && lex_.licenses(x, Lexicon::kPreTer, 0) &&
                (lex_.licenses(x, Lexicon::kPreDi, 0) || lex_.licenses(x, Lexicon::kPreMe, 0)))
                return x;
        }
        // -an on a root said with e for its last a (temenan, tukeran): only
        // when the word has no formal analysis at all (sepekan is se-pekan,
        // not sepak-an), only an analysis that needs the e -> a change, and
        // only a licensed one.
        if (ends(w, "an") && !in && !formal && w.size() >= 7) {
            cands.clear();
            analyse(w, cands, true);
            std::erase_if(cands, [&](const Cand& c) { return w.find(c.root) != sv::npos; });
            if (const Cand* c = choose(cands); c && c->root.size() >= 4) return c->root;
        }
        return std::nullopt;
    }

    // Suffixes of learned words and partial reduplication: ideal-isasi,
    // kapital-isme, legal-isir, sosial-is, le-lembut.
    void foreign(sv w, std::vector<Cand>& out) const {
        for (sv suf : {sv("isasi"), sv("isme"), sv("isir")}) {
            if (!ends(w, suf) || w.size() < suf.size() + 4) continue;
            const sv r = w.substr(0, w.size() - suf.size());
            if (root(r)) out.push_back({std::string(r), Pre::None, Der::None, 100, 1});
        }
        if (ends(w, "alis") && w.size() >= 7 && root(w.substr(0, w.size() - 2)))
            out.push_back({std::string(w.substr(0, w.size() - 2)), Pre::None, Der::None, 101, 1});
        // Partial reduplication only onto a productive root (six or more affix
        // classes): rerata, lelembut, but not memori, pepaya, tetikus.
        if (w.size() >= 6 && !vowel(w[0]) && w[1] == 'e' && w[2] == w[0] && root(w.substr(2)) &&
            lex_.nflags(w.substr(2)) >= 6)
            out.push_back({std::string(w.substr(2)), Pre::None, Der::None, 102, 1});
    }

    // Every prefix chain of body whose remainder is a root, outermost prefix first.
    // suffixed: a possessive or derivational suffix came off (se-X-nya is a confix, bare se-X is weak).
    void prefixes(sv body, Der der, int split, std::vector<Cand>& out, bool informal, bool suffixed) const {
        struct Frame {
            std::string w;
            Pre outer;
            std::array<Pre, 3> used;
            int depth;
            bool rare;
        };
        std::vector<Frame> stack;
        stack.push_back({std::string(body), Pre::None, {Pre::None, Pre::None, Pre::None}, 0, false});
        // Depth-first in priority order: children pushed in reverse.
        std::vector<Alt> alts;
        while (!stack.empty()) {
            Frame f = std::move(stack.back());
            stack.pop_back();
            if (std::string r = lookup(f.w, informal); f.depth > 0 && !r.empty()) {
                // Weak: a rare allomorph (Teheran), bare ke- (Kediri) or se- (Selasa).
                const bool weak = f.rare || (f.outer == Pre::Ke && der != Der::An) || (f.outer == Pre::Se && !suffixed);
                out.push_back({r, f.outer, der, split * 4 + f.depth, f.depth + (der != Der::None ? 1 : 0), weak});
                if (!lex_.bound(r)) continue;  // a bound stem (ketahu): a freer root may lie deeper
            }
            if (f.depth == 3) continue;
            alts.clear();
            strip_prefix(f.w, alts, informal);
            for (auto it = alts.rbegin(); it != alts.rend(); ++it) {
                const Pre p = it->pre;
                if (f.depth > 0 && first_only(p)) continue;
                if (f.depth == 0 && disallowed(p, der)) continue;
                bool repeat = false;
                for (int k = 0; k < f.depth; ++k) repeat |= f.used[static_cast<std::size_t>(k)] == p;
                if (repeat) continue;
                Frame g{it->rest, f.depth == 0 ? p : f.outer, f.used, f.depth + 1, f.rare || it->rare};
                g.used[static_cast<std::size_t>(f.depth)] = p;
                stack.push_back(std::move(g));
            }
        }
    }

    // r's lexicon form: r itself, or in informal speech with the last a of
    // the root said as e (nyimpen = simpan, cepet = cepat); "" when none.
    [[nodiscard]] std::string lookup(sv r, bool informal) const {
        if (root(r)) return std::string(r);
        if (informal && r.size() >= 4 && !vowel(r.back()) && r[r.size() - 2] == 'e') {
            std::string v(r);
            v[v.size() - 2] = 'a';
            if (root(v)) return v;
        }
        return {};
    }

    void analyse(sv w, std::vector<Cand>& out, bool informal = false) const {
        // Suffix splits: particle, then possessive, then derivational.
        sv s1 = w;
        for (sv p : {sv("lah"), sv("kah"), sv("tah"), sv("pun")})
            if (ends(w, p) && w.size() - 3 >= 3) { s1 = w.substr(0, w.size() - 3); break; }
        sv s2 = s1;
        bool ku_mu = false;
        for (sv p : {sv("nya"), sv("ku"), sv("mu")})
            if (ends(s1, p) && s1.size() - p.size() >= 3) {
                s2 = s1.substr(0, s1.size() - p.size());
                ku_mu = p != "nya";
                break;
            }
        struct Split {
            std::string body;
            Der der;
        };
        std::vector<Split> s3;
        if (ends(s2, "kan") && s2.size() >= 6) {
            s3.push_back({std::string(s2.substr(0, s2.size() - 3)), Der::Kan});
            s3.push_back({std::string(s2.substr(0, s2.size() - 2)), Der::An});
        } else if (ends(s2, "an") && s2.size() >= 5) {
            s3.push_back({std::string(s2.substr(0, s2.size() - 2)), Der::An});
        } else if (ends(s2, "i") && s2.size() >= 4) {
            s3.push_back({std::string(s2.substr(0, s2.size() - 1)), Der::I});
        }
        // Suffixes alone.
        if (std::string r = lookup(s1, informal); s1 != w && !r.empty()) out.push_back({r, Pre::None, Der::None, kParticleOnly});
        if (std::string r = lookup(s2, informal); s2 != s1 && !r.empty())
            out.push_back({r, Pre::None, Der::None, ku_mu ? kKuMuOnly : 51, 0, ku_mu && lex_.nflags(r) > 0});
        int k = 52;
        for (const Split& s : s3)
            if (std::string r = lookup(s.body, informal); !r.empty())  // Bekasi, Helmi: + i only if the root takes -i
                out.push_back({r, Pre::None, s.der, k++, 1, s.der == Der::I});
        // Prefixes on the stripped body, then with suffixes restored.
        int split = 1;
        for (const Split& s : s3) prefixes(s.body, s.der, split++, out, informal, true);
        prefixes(s2, Der::None, split++, out, informal, s2 != s1);
        if (s1 != s2) prefixes(s1, Der::None, split++, out, informal, false);
        if (w != s1) prefixes(w, Der::None, split++, out, informal, false);
    }

    Lexicon lex_;
    bool debug_ = std::getenv("CARI_STEM_DEBUG") != nullptr;  // list the analyses on stderr
};

} // namespace

std::unique_ptr<Stemmer> make_indonesian_stemmer(const std::string& dict_path) {
    std::string path = dict_path;
    if (path.empty()) {
        const char* env = std::getenv("CARI_DICT");
        path = env && *env ? env : CARI_DEFAULT_DICT;
    }
    Lexicon lex = Lexicon::load_hunspell(path);
    // Roots hunspell-id lacks: the verb mulai, the common spelling nafas (= napas), the se- numerals, which are
    // words of their own (sepuluh is not se + puluh in meaning).
    constexpr std::uint32_t any = Lexicon::kPrefixMask | Lexicon::kSufI | Lexicon::kSufKan | Lexicon::kSufAn |
                                  Lexicon::kSufParticle | Lexicon::kSufPossessive;
    for (sv r : {sv("mulai"), sv("nafas"), sv("sepuluh"), sv("sebelas"), sv("seratus"), sv("seribu"), sv("sejuta")})
        if (!lex.contains(r)) lex.add(r, any, 30);  // counted as productive roots
    return std::make_unique<IndonesianStemmer>(std::move(lex));
}

} // namespace cari
