// The root lexicon of the Indonesian stemmer: a hunspell dictionary (.dic,
// and its .aff beside it when present) read once into a compact hash table.
// Lookups take a string_view and never allocate.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cari {

class Lexicon {
public:
    // What the hunspell affix flags of a root allow. Prefix bits name the
    // outermost prefix family; suffix bits the first suffix after the root.
    enum Allow : std::uint32_t {
        kPreBer = 1u << 0, kPreDi = 1u << 1, kPreKe = 1u << 2, kPreMe = 1u << 3, kPrePe = 1u << 4,
        kPrePer = 1u << 5, kPreSe = 1u << 6, kPreTer = 1u << 7, kPreKu = 1u << 8,
        kSufI = 1u << 12, kSufKan = 1u << 13, kSufAn = 1u << 14, kSufParticle = 1u << 15,
        kSufPossessive = 1u << 16,
        kPrefixMask = 0xFFFu,
        kBound = 1u << 20,  // hunspell NEEDAFFIX: a bound stem, never a word alone (ketahu, bebastugas)
        kSeNya = 1u << 21,  // the circumfix se-...-nya (sepenuhnya, sebaiknya)
    };

    // One hunspell PFX line: strip, add, condition on the root, family (kPre*).
    struct PrefixRule {
        std::string strip, add, cond;  // cond: ".", "r", "[^r]", "p[^l^r]"
        std::uint32_t family = 0;
        std::string cont;  // continuation flags
    };

    Lexicon() = default;
    // Reads a hunspell .dic (first line: count; then root[/flags]); the .aff
    // next to it, when readable, gives the meaning of the flags. Throws
    // std::runtime_error naming the file when the .dic cannot be read.
    static Lexicon load_hunspell(const std::string& dic_path);
    // A lexicon from plain roots (tests, extra roots); no affix information.
    // nflags: how many affix classes the root takes (a measure of how productive it is).
    // flags: the entry's raw hunspell flags (two characters each), for generating_prefix.
    void add(std::string_view root, std::uint32_t allow = 0, std::uint32_t nflags = 0, std::uint32_t combos = 0,
             std::string_view flags = {});

    // True when the flags of root allow the outer prefix family pre (one
    // kPre* bit or 0) with the derivational suffix der (one kSuf* bit or 0):
    // each on its own, or together as a circumfix.
    [[nodiscard]] bool licenses(std::string_view root, std::uint32_t pre, std::uint32_t der) const noexcept;
    // True when root takes the suffix der (one kSuf* bit) at all: alone or in a circumfix.
    [[nodiscard]] bool takes_suffix(std::string_view root, std::uint32_t der) const noexcept;
    // The circumfix bit of one prefix family and one derivational suffix.
    [[nodiscard]] static std::uint32_t combo(std::uint32_t pre, std::uint32_t der) noexcept;

    [[nodiscard]] bool contains(std::string_view w) const noexcept { return find(w) != kNone; }
    // The affix bits of w (0 when unknown or when the lexicon has no .aff).
    [[nodiscard]] std::uint32_t allow(std::string_view w) const noexcept {
        const std::uint32_t i = find(w);
        return i == kNone ? 0 : entries_[i].allow;
    }
    // How many hunspell affix flags w carries; 0 for a lexicalised form listed whole.
    [[nodiscard]] std::uint32_t nflags(std::string_view w) const noexcept {
        const std::uint32_t i = find(w);
        return i == kNone ? 0 : entries_[i].nflags;
    }
    [[nodiscard]] bool bound(std::string_view w) const noexcept { return (allow(w) & kBound) != 0; }
    // The prefix family (kPre* bits) of the hunspell prefix rule of one of
    // root's own flags that turns root into word exactly -- the right
    // allomorph under the rule's condition (luang -> peluang, siar -> penyiar,
    // never pesiar) -- and 0 when none does. Circumfix halves (per-...-an)
    // do not count: they never stand alone.
    [[nodiscard]] std::uint32_t generating_prefix(std::string_view root, std::string_view word) const;
    [[nodiscard]] bool has_affix_info() const noexcept { return has_affix_info_; }
    [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

private:
    static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
    struct Entry {
        std::uint32_t off = 0;
        std::uint32_t len = 0;
        std::uint32_t allow = 0;
        std::uint32_t nflags = 0;
        std::uint32_t combos = 0;
        std::uint32_t hash = 0;
    };
    [[nodiscard]] std::uint32_t find(std::string_view w) const noexcept;
    void rehash(std::size_t slots);

    std::string arena_;
    std::string flags_;  // the flags of every entry, two characters each
    struct FlagRef {
        std::uint32_t off = 0, len = 0;
    };
    std::vector<FlagRef> flag_refs_;  // per entry (kept out of Entry: lookups stay compact)
    // Standalone prefix rules by flag (two characters packed into 16 bits).
    std::unordered_map<std::uint16_t, std::vector<PrefixRule>> prefix_rules_;
    std::vector<Entry> entries_;
    std::vector<std::uint32_t> slots_;  // open addressing, kNone = empty
    bool has_affix_info_ = false;
};

} // namespace cari
