// Shared by the fuzz targets: one Analyzer for the whole run, and a check
// that aborts (a crash libFuzzer records) when an invariant does not hold.
#pragma once

#include "analyzer.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace cari::fuzz {

inline std::shared_ptr<const Analyzer> analyzer() {
    // The stemmer's lexicon is loaded once; $CARI_STEMMER may pick another stemmer.
    static const std::shared_ptr<const Analyzer> a = Analyzer::default_instance();
    return a;
}

#define CARI_FUZZ_CHECK(cond)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);      \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

} // namespace cari::fuzz
