#include "templates.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <vector>

namespace cari {

std::uint64_t TemplateStats::fingerprint(std::string_view line) {
    // FNV-1a over the line with ASCII case and runs of white space folded.
    std::uint64_t h = 1469598103934665603ULL;
    bool space = true;
    for (unsigned char c : line) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = true;
            continue;
        }
        if (space) {
            h = (h ^ ' ') * 1099511628211ULL;
            space = false;
        }
        if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
        h = (h ^ c) * 1099511628211ULL;
    }
    return h;
}

void TemplateStats::merge(const TemplateStats& other) {
    for (const auto& [fp, n] : other.counts_) counts_[fp] += n;
    documents_ += other.documents_;
}

std::string TemplateStats::serialize() const {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> rows;
    for (const auto& [fp, n] : counts_)
        if (n >= 2) rows.emplace_back(fp, n);
    std::sort(rows.begin(), rows.end());  // stable output for equal stats
    std::string out = "cari-templates 1\n";
    out += "documents " + std::to_string(documents_) + "\n";
    char buf[48];
    for (const auto& [fp, n] : rows) {
        const int len = std::snprintf(buf, sizeof buf, "%016llx %u\n", static_cast<unsigned long long>(fp), n);
        out.append(buf, static_cast<std::size_t>(len));
    }
    return out;
}

TemplateStats TemplateStats::deserialize(std::string_view text) {
    TemplateStats t;
    auto next_line = [&](std::string_view& line) {
        if (text.empty()) return false;
        const auto e = text.find('\n');
        line = text.substr(0, e);
        text = e == std::string_view::npos ? std::string_view() : text.substr(e + 1);
        return true;
    };
    std::string_view line;
    if (!next_line(line) || line != "cari-templates 1") throw InputError("template stats: unknown format");
    if (!next_line(line) || line.substr(0, 10) != "documents ")
        throw InputError("template stats: missing document count");
    {
        const auto v = line.substr(10);
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), t.documents_);
        if (ec != std::errc() || p != v.data() + v.size()) throw InputError("template stats: bad document count");
    }
    std::size_t n = 2;
    while (next_line(line)) {
        ++n;
        if (line.empty()) continue;
        const auto sp = line.find(' ');
        std::uint64_t fp = 0;
        std::uint32_t c = 0;
        if (sp == std::string_view::npos) throw InputError("template stats: bad line " + std::to_string(n));
        auto [p1, e1] = std::from_chars(line.data(), line.data() + sp, fp, 16);
        auto [p2, e2] = std::from_chars(line.data() + sp + 1, line.data() + line.size(), c);
        if (e1 != std::errc() || e2 != std::errc() || p1 != line.data() + sp || p2 != line.data() + line.size())
            throw InputError("template stats: bad line " + std::to_string(n));
        t.counts_[fp] += c;
    }
    return t;
}

} // namespace cari
