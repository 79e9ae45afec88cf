#include "article.h"

namespace cari {

std::string Article::body() const {
    std::string out;
    for (const auto& p : paragraphs) {
        if (!out.empty()) out += '\n';
        out += p;
    }
    return out;
}

} // namespace cari
