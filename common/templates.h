// Cross-document template detection: lines that recur across many documents
// of a batch are page template (menus, footers), not article text.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>

namespace cari {

class TemplateStats {
public:
    // Fingerprint of a line after whitespace and case are folded.
    [[nodiscard]] static std::uint64_t fingerprint(std::string_view line);

    void add(std::uint64_t fp, std::uint32_t n = 1) { counts_[fp] += n; }
    [[nodiscard]] std::uint32_t count(std::uint64_t fp) const {
        auto it = counts_.find(fp);
        return it == counts_.end() ? 0 : it->second;
    }
    [[nodiscard]] std::uint32_t documents() const { return documents_; }
    void add_documents(std::uint32_t n) { documents_ += n; }
    [[nodiscard]] const std::unordered_map<std::uint64_t, std::uint32_t>& counts() const { return counts_; }

private:
    std::unordered_map<std::uint64_t, std::uint32_t> counts_;
    std::uint32_t documents_ = 0;
};

} // namespace cari
