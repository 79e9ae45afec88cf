// Stemmer base behaviour, the Snowball baseline and the factory.
#include "stemmer.h"

#include <xapian.h>

#include <stdexcept>

namespace cari {

std::optional<std::string> Stemmer::reduplication(std::string_view a, std::string_view b) const {
    if (a.empty() || b.empty()) return std::nullopt;
    std::string sa = stem(a);
    if (a == b || sa == stem(b)) return sa;
    return std::nullopt;
}

namespace {

class SnowballStemmer final : public Stemmer {
public:
    [[nodiscard]] std::string stem(std::string_view word) const override {
        // Xapian::Stem is not documented as thread-safe: one per thread.
        thread_local Xapian::Stem s("indonesian");
        return s(std::string(word));
    }
    [[nodiscard]] std::string name() const override { return "snowball"; }
};

class IdentityStemmer final : public Stemmer {
public:
    [[nodiscard]] std::string stem(std::string_view word) const override { return std::string(word); }
    [[nodiscard]] std::string name() const override { return "none"; }
};

} // namespace

std::unique_ptr<Stemmer> make_snowball_stemmer() { return std::make_unique<SnowballStemmer>(); }

std::unique_ptr<Stemmer> make_stemmer(std::string_view name) {
    if (name.empty() || name == "cari") return make_indonesian_stemmer();
    if (name == "snowball") return make_snowball_stemmer();
    if (name == "none") return std::make_unique<IdentityStemmer>();
    throw std::invalid_argument("unknown stemmer '" + std::string(name) + "' (cari, snowball, none)");
}

} // namespace cari
