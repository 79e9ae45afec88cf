// A small JSON reader and writer: enough for JSON Lines feeds and Cari's own
// output. Strict on structure, lenient on nothing; errors carry a byte offset.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace cari::json {

struct Value;
using Array = std::vector<Value>;
using Object = std::vector<std::pair<std::string, Value>>;

struct Value {
    // null, bool, number (kept as its text so ids like 0012 survive), string, array, object
    enum class Type { Null, Bool, Number, String, Array, Object } type = Type::Null;
    bool b = false;
    std::string str;       // string contents, or the number's literal text
    Array arr;
    Object obj;

    // Declared here, defaulted below where Value is complete: clang 14 with
    // libstdc++ 12 rejects the implicit ones (a vector of the incomplete Value).
    Value();
    Value(const Value&);
    Value(Value&&) noexcept;
    Value& operator=(const Value&);
    Value& operator=(Value&&) noexcept;
    ~Value();

    [[nodiscard]] const Value* find(std::string_view key) const;
    // The value as text: strings as they are, numbers as written, others empty.
    [[nodiscard]] std::string text() const;
};

inline Value::Value() = default;
inline Value::Value(const Value&) = default;
inline Value::Value(Value&&) noexcept = default;
inline Value& Value::operator=(const Value&) = default;
inline Value& Value::operator=(Value&&) noexcept = default;
inline Value::~Value() = default;

struct ParseError : std::runtime_error {
    std::size_t offset;
    ParseError(const std::string& what, std::size_t off) : std::runtime_error(what), offset(off) {}
};

// Parses one JSON value; trailing non-space is an error. Nesting deeper than
// 512 levels is an error, not a stack overflow.
[[nodiscard]] Value parse(std::string_view text);

// Appends s as a JSON string literal (with quotes). Invalid UTF-8 must be
// repaired before; control characters are escaped.
void write_string(std::string& out, std::string_view s);
[[nodiscard]] std::string quote(std::string_view s);

} // namespace cari::json
