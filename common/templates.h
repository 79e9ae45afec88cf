// Cross-document template detection: lines that recur across many documents
// of a batch are page template (menus, footers), not article text.
//
// The indexer calls collect_template_lines() over every document of a batch
// before cleaning, passes the stats to clean() through CleanOptions, and keeps
// serialize()'s text in the index metadata so later batches start from it.
#pragma once

#include "article.h"

#include <cstdint>
#include <string>
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

    // Adds another batch's counts (e.g. the stored stats of earlier batches).
    void merge(const TemplateStats& other);

    // A compact text form: a header line, the document count, then one
    // "fingerprint count" line (hex, decimal) per line seen in two documents
    // or more; lines seen once are left out to keep the metadata small.
    [[nodiscard]] std::string serialize() const;
    // Reads serialize()'s form; throws InputError when it is not that form.
    [[nodiscard]] static TemplateStats deserialize(std::string_view text);

private:
    std::unordered_map<std::uint64_t, std::uint32_t> counts_;
    std::uint32_t documents_ = 0;
};

// A feed line's id and the signature of the fields it is cleaned from
// (Article::feed_signature); id empty when the line has none.
struct FeedKey {
    std::string id;
    std::uint64_t signature = 0;
};

// Counts the distinct lines of one raw document (text lines, HTML blocks, or
// the paragraphs of a JSON line's text) into stats, and one document.
// Unreadable documents (binary, malformed JSON) count nothing. A JSON line
// also gives its key, when key is not null.
void collect_template_lines(const RawDoc& raw, TemplateStats& stats, FeedKey* key = nullptr);

} // namespace cari
