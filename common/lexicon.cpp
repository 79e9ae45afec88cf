#include "lexicon.h"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

namespace cari {

namespace {

std::uint32_t hash_sv(std::string_view s) noexcept {
    std::uint32_t h = 2166136261u;  // FNV-1a
    for (unsigned char c : s) h = (h ^ c) * 16777619u;
    return h;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
}

bool starts(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The family of a prefix the .aff adds ("meng" -> me, "ber" -> ber).
std::uint32_t prefix_bits(std::string_view add) {
    if (starts(add, "me")) return Lexicon::kPreMe;
    if (starts(add, "di")) return Lexicon::kPreDi;
    if (starts(add, "ke")) return Lexicon::kPreKe;
    if (starts(add, "ku") || starts(add, "kau")) return Lexicon::kPreKu;
    if (starts(add, "se")) return Lexicon::kPreSe;
    if (starts(add, "te")) return Lexicon::kPreTer;
    if (starts(add, "be")) return Lexicon::kPreBer;
    if (starts(add, "per")) return Lexicon::kPrePer | Lexicon::kPrePe;
    if (starts(add, "pe")) return Lexicon::kPrePe;
    return 0;
}

std::uint32_t suffix_bits(std::string_view add) {
    if (starts(add, "kan")) return Lexicon::kSufKan;
    if (starts(add, "an")) return Lexicon::kSufAn;
    if (starts(add, "i")) return Lexicon::kSufI;
    if (starts(add, "lah") || starts(add, "kah") || starts(add, "tah") || starts(add, "pun"))
        return Lexicon::kSufParticle;
    if (starts(add, "ku") || starts(add, "mu") || starts(add, "nya")) return Lexicon::kSufPossessive;
    return 0;
}

struct FlagInfo {
    std::uint32_t allow = 0;   // affixes the flag adds on its own
    std::uint32_t combos = 0;  // circumfixes (prefix x suffix) it adds
};

// Flag -> what it licenses, from the PFX/SFX entries of a hunspell .aff
// ("FLAG long": two-character flags, the only kind hunspell-id uses). A
// suffix whose continuation carries the CIRCUMFIX flag (kan/M1nlA1) is valid
// only together with the prefixes of its continuation: a combination, not a
// suffix of its own.
std::uint16_t pack(std::string_view flag) {
    return static_cast<std::uint16_t>((static_cast<unsigned char>(flag[0]) << 8) | static_cast<unsigned char>(flag[1]));
}

std::unordered_map<std::string, FlagInfo> read_aff(const std::string& path, bool& ok,
                                                   std::unordered_map<std::string, std::vector<Lexicon::PrefixRule>>& rules) {
    struct Raw {
        bool prefix = false;
        std::uint32_t bits = 0;
        std::string cont;
    };
    std::unordered_map<std::string, Raw> raw;
    std::string circumfix, needaffix;
    std::ifstream in(path);
    ok = static_cast<bool>(in);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::string kind, flag, strip, add, cond;
        if (!(ls >> kind >> flag)) continue;
        if (kind == "CIRCUMFIX") { circumfix = flag; continue; }
        if (kind == "NEEDAFFIX") { needaffix = flag; continue; }
        if (!(ls >> strip >> add)) continue;
        if (kind != "PFX" && kind != "SFX") continue;
        if ((strip == "Y" || strip == "N") && !add.empty() && add[0] >= '0' && add[0] <= '9') continue;  // header
        Raw& r = raw[flag];
        r.prefix = kind == "PFX";
        const std::size_t slash = add.find('/');
        if (slash != std::string::npos) r.cont += add.substr(slash + 1);
        std::string a = lower_ascii(add.substr(0, slash));
        while (!a.empty() && a[0] == '-') a.erase(0, 1);
        if (r.prefix && flag.size() == 2 && (ls >> cond))
            rules[flag].push_back({strip == "0" ? std::string() : lower_ascii(strip), a == "0" ? std::string() : a,
                                   cond, 0, slash != std::string::npos ? add.substr(slash + 1) : std::string()});
        if (a == "0") continue;
        r.bits |= r.prefix ? prefix_bits(a) : suffix_bits(a);
    }
    auto has_flag = [](const std::string& cont, const std::string& f) {
        for (std::size_t i = 0; i + 2 <= cont.size(); i += 2)
            if (cont.compare(i, 2, f) == 0) return true;
        return false;
    };
    std::unordered_map<std::string, FlagInfo> out;
    for (const auto& [flag, r] : raw) {
        FlagInfo& fi = out[flag];
        const bool circ = !circumfix.empty() && has_flag(r.cont, circumfix);
        if (r.prefix) {
            if (!circ) fi.allow |= r.bits;  // a circumfix's first half is never alone
            continue;
        }
        if (!circ) {
            fi.allow |= r.bits;
            continue;
        }
        for (std::size_t i = 0; i + 2 <= r.cont.size(); i += 2) {
            auto it = raw.find(r.cont.substr(i, 2));
            if (it == raw.end() || !it->second.prefix) continue;
            for (std::uint32_t p = 1; p <= Lexicon::kPrefixMask; p <<= 1)
                if (it->second.bits & p) fi.combos |= Lexicon::combo(p, r.bits);
            if ((r.bits & Lexicon::kSufPossessive) && it->second.bits == Lexicon::kPreSe) fi.allow |= Lexicon::kSeNya;
        }
    }
    if (!needaffix.empty()) out[needaffix].allow |= Lexicon::kBound;
    // Circumfix halves (per/A1) never stand alone.
    for (auto& [flag, rs] : rules) {
        std::erase_if(rs, [&](const Lexicon::PrefixRule& x) { return !circumfix.empty() && has_flag(x.cont, circumfix); });
        for (auto& x : rs) x.family = prefix_bits(x.add);
    }
    return out;
}

} // namespace

Lexicon Lexicon::load_hunspell(const std::string& dic_path) {
    std::ifstream in(dic_path);
    if (!in) throw std::runtime_error("cannot read the root lexicon '" + dic_path + "'");
    std::unordered_map<std::string, FlagInfo> flags;
    std::unordered_map<std::string, std::vector<PrefixRule>> rules;
    bool have_aff = false;
    if (dic_path.size() > 4 && dic_path.compare(dic_path.size() - 4, 4, ".dic") == 0)
        flags = read_aff(dic_path.substr(0, dic_path.size() - 4) + ".aff", have_aff, rules);

    Lexicon lex;
    for (auto& [flag, rs] : rules)
        if (!rs.empty()) lex.prefix_rules_[pack(flag)] = std::move(rs);
    lex.has_affix_info_ = have_aff;
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (first) {  // the entry count
            first = false;
            if (!line.empty() && line.find_first_not_of("0123456789 ") == std::string::npos) continue;
        }
        const std::size_t ws = line.find_first_of(" \t");
        std::string_view entry(line.data(), ws == std::string::npos ? line.size() : ws);
        const std::size_t slash = entry.find('/');
        const std::string_view word = entry.substr(0, slash);
        if (word.empty()) continue;
        std::uint32_t allow = 0;
        std::uint32_t combos = 0;
        std::uint32_t nflags = 0;
        std::string_view fl;
        if (slash != std::string_view::npos) {
            fl = entry.substr(slash + 1);
            for (std::size_t i = 0; i + 2 <= fl.size(); i += 2) {
                auto it = flags.find(std::string(fl.substr(i, 2)));
                if (it != flags.end()) {
                    allow |= it->second.allow;
                    combos |= it->second.combos;
                }
                ++nflags;
            }
        }
        lex.add(lower_ascii(word), allow, nflags, combos, fl);
    }
    if (lex.size() == 0) throw std::runtime_error("the root lexicon '" + dic_path + "' holds no entries");
    return lex;
}

void Lexicon::add(std::string_view root, std::uint32_t allow, std::uint32_t nflags, std::uint32_t combos,
                  std::string_view flags) {
    flags = flags.substr(0, flags.size() & ~std::size_t{1});
    const std::uint32_t existing = find(root);
    if (existing != kNone) {
        Entry& x = entries_[existing];
        x.allow |= allow;
        x.combos |= combos;
        x.nflags += nflags;
        if (!flags.empty()) {  // a second line for the same word: its flags join the first's
            FlagRef& f = flag_refs_[existing];
            const std::string joined = flags_.substr(f.off, f.len) + std::string(flags);
            f.off = static_cast<std::uint32_t>(flags_.size());
            f.len = static_cast<std::uint32_t>(joined.size());
            flags_ += joined;
        }
        return;
    }
    Entry e;
    flag_refs_.push_back({static_cast<std::uint32_t>(flags_.size()), static_cast<std::uint32_t>(flags.size())});
    flags_.append(flags);
    e.off = static_cast<std::uint32_t>(arena_.size());
    e.len = static_cast<std::uint32_t>(root.size());
    e.allow = allow;
    e.nflags = nflags;
    e.combos = combos;
    e.hash = hash_sv(root);
    arena_.append(root);
    entries_.push_back(e);
    if (entries_.size() * 2 > slots_.size()) {
        rehash(slots_.empty() ? 1024 : slots_.size() * 2);
    } else {
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = e.hash & mask;
        while (slots_[i] != kNone) i = (i + 1) & mask;
        slots_[i] = static_cast<std::uint32_t>(entries_.size() - 1);
    }
}

void Lexicon::rehash(std::size_t n) {
    slots_.assign(n, kNone);
    const std::size_t mask = n - 1;
    for (std::uint32_t k = 0; k < entries_.size(); ++k) {
        std::size_t i = entries_[k].hash & mask;
        while (slots_[i] != kNone) i = (i + 1) & mask;
        slots_[i] = k;
    }
}

std::uint32_t Lexicon::find(std::string_view w) const noexcept {
    if (slots_.empty()) return kNone;
    const std::uint32_t h = hash_sv(w);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const std::uint32_t k = slots_[i];
        if (k == kNone) return kNone;
        const Entry& e = entries_[k];
        if (e.hash == h && e.len == w.size() && std::string_view(arena_.data() + e.off, e.len) == w) return k;
    }
}

namespace {

// Does s start with what the hunspell condition cond describes? Elements: "."
// (any letter), a letter, or a bracket set, "[^...]" negated (hunspell-id
// writes "[^k^m^p]": every "^" inside a set is skipped).
bool condition_matches(std::string_view cond, std::string_view s) {
    std::size_t i = 0, k = 0;
    while (i < cond.size()) {
        if (k >= s.size()) return false;
        const char c = s[k++];
        if (cond[i] == '.') { ++i; continue; }
        if (cond[i] != '[') {
            if (cond[i++] != c) return false;
            continue;
        }
        const std::size_t close = cond.find(']', i);
        if (close == std::string_view::npos) return false;
        std::string_view set = cond.substr(i + 1, close - i - 1);
        i = close + 1;
        const bool neg = !set.empty() && set[0] == '^';
        bool in = false;
        for (char x : set)
            if (x != '^' && x == c) in = true;
        if (in == neg) return false;
    }
    return true;
}

} // namespace

std::uint32_t Lexicon::generating_prefix(std::string_view root, std::string_view word) const {
    const std::uint32_t i = find(root);
    if (i == kNone || prefix_rules_.empty()) return 0;
    const std::string_view fl(flags_.data() + flag_refs_[i].off, flag_refs_[i].len);
    for (std::size_t k = 0; k + 2 <= fl.size(); k += 2) {
        auto it = prefix_rules_.find(pack(fl.substr(k, 2)));
        if (it == prefix_rules_.end()) continue;
        for (const PrefixRule& r : it->second) {
            if (!r.strip.empty() && root.substr(0, r.strip.size()) != r.strip) continue;
            if (!condition_matches(r.cond, root)) continue;
            const std::string_view rest = root.substr(r.strip.size());
            if (word.size() == r.add.size() + rest.size() && word.substr(0, r.add.size()) == r.add &&
                word.substr(r.add.size()) == rest)
                return r.family;
        }
    }
    return 0;
}

std::uint32_t Lexicon::combo(std::uint32_t pre, std::uint32_t der) noexcept {
    int p = 0;
    while (p < 9 && !(pre & (1u << p))) ++p;
    if (p == 9) return 0;
    std::uint32_t out = 0;
    if (der & kSufI) out |= 1u << (p * 3);
    if (der & kSufKan) out |= 1u << (p * 3 + 1);
    if (der & kSufAn) out |= 1u << (p * 3 + 2);
    return out;
}

bool Lexicon::takes_suffix(std::string_view root, std::uint32_t der) const noexcept {
    const std::uint32_t i = find(root);
    if (i == kNone) return false;
    const Entry& e = entries_[i];
    if (e.allow & der) return true;
    std::uint32_t mask = 0;
    for (std::uint32_t p = 1; p <= kPrefixMask; p <<= 1) mask |= combo(p, der);
    return (e.combos & mask) != 0;
}

bool Lexicon::licenses(std::string_view root, std::uint32_t pre, std::uint32_t der) const noexcept {
    const std::uint32_t i = find(root);
    if (i == kNone) return false;
    const Entry& e = entries_[i];
    const bool pre_ok = pre == 0 || (e.allow & pre) == pre;
    if (der == 0) return pre_ok;
    if (pre == 0) return (e.allow & der) == der;
    if (pre_ok && (e.allow & der) == der) return true;  // prefix and suffix each on their own
    return (e.combos & combo(pre, der)) != 0;           // a circumfix
}

} // namespace cari
