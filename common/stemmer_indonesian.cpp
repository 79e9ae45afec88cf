// PLACEHOLDER until the dictionary stemmer lands (issue 8): Snowball.
#include "stemmer.h"

namespace cari {

std::unique_ptr<Stemmer> make_indonesian_stemmer(const std::string&) { return make_snowball_stemmer(); }

} // namespace cari
