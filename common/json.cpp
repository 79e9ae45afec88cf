#include "json.h"

#include "utf8.h"

#include <cstdio>

namespace cari::json {

const Value* Value::find(std::string_view key) const {
    for (const auto& [k, v] : obj)
        if (k == key) return &v;
    return nullptr;
}

std::string Value::text() const {
    if (type == Type::String || type == Type::Number) return str;
    if (type == Type::Bool) return b ? "true" : "false";
    return {};
}

namespace {

constexpr int kMaxDepth = 512;

class Parser {
public:
    explicit Parser(std::string_view t) : s_(t) {}

    Value run() {
        Value v = value(0);
        skip_ws();
        if (i_ != s_.size()) fail("unexpected text after the JSON value");
        return v;
    }

private:
    std::string_view s_;
    std::size_t i_ = 0;

    [[noreturn]] void fail(const std::string& msg) const { throw ParseError(msg, i_); }

    void skip_ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
            ++i_;
    }

    bool literal(std::string_view word) {
        if (s_.substr(i_, word.size()) == word) { i_ += word.size(); return true; }
        return false;
    }

    Value value(int depth) {
        if (depth > kMaxDepth) fail("JSON nested too deeply");
        skip_ws();
        if (i_ >= s_.size()) fail("unexpected end of JSON");
        Value v;
        const char c = s_[i_];
        if (c == '{') {
            v.type = Value::Type::Object;
            ++i_;
            skip_ws();
            if (i_ < s_.size() && s_[i_] == '}') { ++i_; return v; }
            for (;;) {
                skip_ws();
                if (i_ >= s_.size() || s_[i_] != '"') fail("expected a string key");
                std::string key = string();
                skip_ws();
                if (i_ >= s_.size() || s_[i_] != ':') fail("expected ':'");
                ++i_;
                v.obj.emplace_back(std::move(key), value(depth + 1));
                skip_ws();
                if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
                if (i_ < s_.size() && s_[i_] == '}') { ++i_; return v; }
                fail("expected ',' or '}'");
            }
        }
        if (c == '[') {
            v.type = Value::Type::Array;
            ++i_;
            skip_ws();
            if (i_ < s_.size() && s_[i_] == ']') { ++i_; return v; }
            for (;;) {
                v.arr.push_back(value(depth + 1));
                skip_ws();
                if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
                if (i_ < s_.size() && s_[i_] == ']') { ++i_; return v; }
                fail("expected ',' or ']'");
            }
        }
        if (c == '"') {
            v.type = Value::Type::String;
            v.str = string();
            return v;
        }
        if (literal("true")) { v.type = Value::Type::Bool; v.b = true; return v; }
        if (literal("false")) { v.type = Value::Type::Bool; return v; }
        if (literal("null")) return v;
        if (c == '-' || (c >= '0' && c <= '9')) {
            const std::size_t start = i_;
            ++i_;
            while (i_ < s_.size() && ((s_[i_] >= '0' && s_[i_] <= '9') || s_[i_] == '.' ||
                                      s_[i_] == 'e' || s_[i_] == 'E' || s_[i_] == '+' || s_[i_] == '-'))
                ++i_;
            v.type = Value::Type::Number;
            v.str = std::string(s_.substr(start, i_ - start));
            return v;
        }
        fail("unexpected character");
    }

    unsigned hex4() {
        if (i_ + 4 > s_.size()) fail("truncated \\u escape");
        unsigned v = 0;
        for (int k = 0; k < 4; ++k) {
            const char h = s_[i_++];
            v <<= 4;
            if (h >= '0' && h <= '9') v |= static_cast<unsigned>(h - '0');
            else if (h >= 'a' && h <= 'f') v |= static_cast<unsigned>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') v |= static_cast<unsigned>(h - 'A' + 10);
            else fail("bad \\u escape");
        }
        return v;
    }

    std::string string() {
        ++i_;  // opening quote
        std::string out;
        for (;;) {
            // Copy the run of plain bytes in one go.
            const std::size_t start = i_;
            while (i_ < s_.size() && s_[i_] != '"' && s_[i_] != '\\') ++i_;
            out.append(s_.substr(start, i_ - start));
            if (i_ >= s_.size()) fail("unterminated string");
            if (s_[i_] == '"') { ++i_; return out; }
            ++i_;  // backslash
            if (i_ >= s_.size()) fail("unterminated escape");
            const char e = s_[i_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    char32_t c = hex4();
                    if (c >= 0xD800 && c <= 0xDBFF && i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
                        i_ += 2;
                        const unsigned lo = hex4();
                        if (lo >= 0xDC00 && lo <= 0xDFFF) c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                        else c = 0xFFFD;
                    } else if (c >= 0xD800 && c <= 0xDFFF) {
                        c = 0xFFFD;
                    }
                    utf8::append(out, c);
                    break;
                }
                default: fail("bad escape");
            }
        }
    }
};

} // namespace

Value parse(std::string_view text) { return Parser(text).run(); }

void write_string(std::string& out, std::string_view s) {
    out += '"';
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += ch;
                }
        }
    }
    out += '"';
}

std::string quote(std::string_view s) {
    std::string out;
    write_string(out, s);
    return out;
}

} // namespace cari::json
