// The unit that flows through Cari: raw input in, a cleaned article out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cari {

enum class Format { Auto, Text, Html, Jsonl };

// One document's raw input, as a reader produced it.
struct RawDoc {
    std::string path;        // file it came from ("-" for stdin)
    std::size_t line = 0;    // 1-based line for JSON Lines, 0 for whole files
    Format format = Format::Text;
    std::string bytes;       // the raw bytes (whole file, or one JSON line)
};

// A line the cleaner removed, and why (shown by `cari-index clean --json`).
struct DroppedLine {
    std::size_t line = 0;    // 1-based line in the input (block number for HTML)
    std::string text;
    std::string reason;      // short tag: "menu", "related-link", "duplicate", ...
};

// A cleaned article: metadata and the body paragraphs, ready for analysis.
struct Article {
    std::string id;          // stable id: JSONL id, else canonical URL, else path
    std::string path;
    std::size_t line = 0;
    std::string url;
    std::string title;
    std::string date;        // ISO 8601 with offset ("2022-12-06T17:35:00+07:00"), or empty
    std::string source;
    std::string author;
    std::vector<std::string> paragraphs;   // body, each paragraph once
    std::vector<DroppedLine> dropped;
    // What the cleaner had to repair and the user should hear about
    // ("invalid UTF-8: 3 bytes replaced with U+FFFD", "decoded as Windows-1252").
    std::vector<std::string> notes;
    // A feed line: the hash of the fields it was cleaned from, all but id and
    // URL (lines with equal signatures are exact duplicates); 0 for files.
    std::uint64_t feed_signature = 0;

    // The body as stored and snippeted: paragraphs joined by '\n'.
    [[nodiscard]] std::string body() const;
};

} // namespace cari

#include <stdexcept>

namespace cari {

// Input that cannot be turned into an article (binary file, malformed JSON
// line, ...). The message names no file: the caller adds "path:line: ".
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

} // namespace cari
