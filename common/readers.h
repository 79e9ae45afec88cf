// Readers: turn the paths a user names (files, folders, "-") into raw
// documents, one per .txt/.html file and one per JSON line.
#pragma once

#include "article.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cari {

// A problem with one input, reported and skipped; the batch goes on.
struct InputProblem {
    std::string path;
    std::size_t line = 0;    // 0: the whole file
    std::string message;
    bool note = false;       // informational (a file of unknown type in a folder): not a failure
    [[nodiscard]] std::string to_string() const;  // "path:line: message"
};

struct InputFile {
    std::string path;
    Format format = Format::Auto;
    std::uint64_t size = 0;  // bytes when listed (0: unknown, e.g. standard input)
};

// Expands paths (folders recursively, sorted) into the files to read. Files with
// unknown extensions inside folders are skipped with a note (a problem of kind
// "skipped"); a path named directly is read with `forced` or its extension's format.
[[nodiscard]] std::vector<InputFile> list_inputs(const std::vector<std::string>& paths, Format forced,
                                                 std::vector<InputProblem>& problems);

// Reads one file whole ("-": stdin). Throws InputError (a message naming no
// path) when it cannot be opened or read, is gone, or is not a regular file
// (a FIFO or device could block the indexer, and its lock, forever).
[[nodiscard]] std::string read_file(const std::string& path);

// Reads a regular file in blocks of up to 64 KiB, in order, without holding it
// whole; throws InputError as read_file does (standard input is not read this way).
void read_blocks(const std::string& path, const std::function<void(std::string_view)>& block);

// Splits a file's bytes into raw documents (JSON Lines: one per non-blank line,
// split on '\n' only). Calls sink for each.
void split_documents(const InputFile& file, std::string&& bytes, const std::function<void(RawDoc&&)>& sink);

// One line of a JSON Lines file (numbered from 1) as a raw document: a trailing
// '\r' is cut and a blank line gives none. split_documents and the streaming
// readers cut lines alike through it.
void jsonl_line(const std::string& path, std::size_t line, std::string_view text,
                const std::function<void(RawDoc&&)>& sink);

} // namespace cari
