#include "query.h"

#include "dates.h"
#include "document.h"
#include "schema.h"
#include "utf8.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <optional>

namespace cari {

namespace {

struct Lex {
    enum class T { Word, Phrase, LParen, RParen, And, Or, Not, Near, Adj, End } t = T::End;
    std::string text{};
    std::string field{};  // title, source, author, date (lower-case)
    char sign = 0;       // '+', '-' or 0
    unsigned n = 10;     // NEAR/ADJ distance
    std::optional<unsigned> slop{};  // a phrase's "~N" (Lucene's proximity phrase)
};

bool is_quote(char32_t c) { return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E || c == 0x00AB || c == 0x00BB; }
bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x3000; }

// Function words of a typed question: Cari's stop words, their -kah/-lah
// forms (siapakah, berapakah, dimanakah) and interrogatives the list lacks.
bool is_query_stopword(std::string_view norm) {
    if (is_stopword(norm)) return true;
    for (std::string_view suffix : {"kah", "lah"})
        if (norm.size() > suffix.size() + 1 && norm.ends_with(suffix) && is_stopword(norm.substr(0, norm.size() - suffix.size())))
            return true;
    static const std::set<std::string_view> extra = {"kenapa", "bilamana", "darimana", "kemana", "manakala"};
    return extra.count(norm) != 0;
}

bool known_field(std::string_view f) { return f == "title" || f == "source" || f == "author" || f == "date"; }

std::string lower(std::string_view s) {
    std::string o(s);
    for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return o;
}

bool parse_distance(std::string_view s, unsigned& n) {
    if (s.empty()) return false;
    unsigned v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc::result_out_of_range && p == s.data() + s.size()) { n = ~0u; return true; }
    if (ec != std::errc() || p != s.data() + s.size()) return false;
    n = v;
    return true;
}

std::vector<Lex> lex(std::string_view s, std::vector<std::string>& notes, std::size_t max_depth) {
    std::vector<Lex> out;
    std::size_t i = 0;
    auto peek = [&](std::size_t at, std::size_t& len) { return utf8::decode(s, at, len); };
    // Reads a quoted phrase starting after the opening quote; false when unclosed.
    auto read_quoted = [&](std::size_t from, std::string& text, std::size_t& after) {
        std::size_t j = from;
        while (j < s.size()) {
            std::size_t len;
            const char32_t c = peek(j, len);
            if (is_quote(c)) {
                text = std::string(s.substr(from, j - from));
                after = j + len;
                return true;
            }
            j += len;
        }
        return false;
    };
    // "a b"~N, as Lucene and Elasticsearch write a phrase whose words may stand apart.
    auto read_slop = [&](Lex& l, std::size_t& at) {
        if (at >= s.size() || s[at] != '~') return;
        std::size_t j = at + 1, len;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
        if (j == at + 1) return;
        if (j < s.size() && !is_space(peek(j, len)) && s[j] != ')') return;  // ~3x: not a distance
        unsigned n = 0;
        if (parse_distance(s.substr(at + 1, j - at - 1), n)) {
            l.slop = n;
            at = j;
        }
    };
    while (i < s.size()) {
        std::size_t len;
        char32_t c = peek(i, len);
        if (is_space(c)) { i += len; continue; }
        if (c == '(') { out.push_back({Lex::T::LParen}); i += len; continue; }
        if (c == ')') { out.push_back({Lex::T::RParen}); i += len; continue; }
        if (is_quote(c)) {
            Lex l{Lex::T::Phrase};
            std::size_t after;
            if (read_quoted(i + len, l.text, after)) {
                read_slop(l, after);
                out.push_back(std::move(l));
                i = after;
            } else {
                notes.push_back("unclosed quote ignored");
                i += len;
            }
            continue;
        }
        // A chunk: up to white space, a parenthesis or a quote.
        const std::size_t b = i;
        while (i < s.size()) {
            c = peek(i, len);
            if (is_space(c) || c == '(' || c == ')' || is_quote(c)) break;
            i += len;
        }
        std::string_view chunk = s.substr(b, i - b);
        if (chunk == "AND" || chunk == "&&") { out.push_back({Lex::T::And}); continue; }
        if (chunk == "OR" || chunk == "||") { out.push_back({Lex::T::Or}); continue; }
        if (chunk == "NOT") { out.push_back({Lex::T::Not}); continue; }
        if (chunk.starts_with("NEAR") || chunk.starts_with("ADJ")) {
            const bool near = chunk.starts_with("NEAR");
            std::string_view rest = chunk.substr(near ? 4 : 3);
            Lex l{near ? Lex::T::Near : Lex::T::Adj};
            if (rest.empty() || (rest[0] == '/' && parse_distance(rest.substr(1), l.n))) {
                out.push_back(std::move(l));
                continue;
            }
        }
        Lex l{Lex::T::Word};
        if (chunk.size() > 1 && (chunk[0] == '+' || chunk[0] == '-')) {
            l.sign = chunk[0];
            chunk.remove_prefix(1);
        } else if ((chunk == "+" || chunk == "-") && i < s.size() && (is_quote(peek(i, len)) || s[i] == '(')) {
            l.sign = chunk[0];
            chunk = {};
        }
        if (const auto colon = chunk.find(':'); colon != std::string_view::npos && colon > 0) {
            const std::string f = lower(chunk.substr(0, colon));
            if (known_field(f)) {
                l.field = f;
                chunk.remove_prefix(colon + 1);
            }
        }
        if (chunk.empty() && i < s.size() && s[i] == '(') {
            // sign or field before a group: -(a OR b), title:(a OR b)
            l.t = Lex::T::LParen;
            out.push_back(std::move(l));
            ++i;
            continue;
        }
        if (chunk.empty() && i < s.size() && is_quote(peek(i, len))) {
            // sign or field before a quoted phrase: -"a b", title:"a b"
            std::size_t after;
            std::string text;
            if (read_quoted(i + len, text, after)) {
                l.t = Lex::T::Phrase;
                l.text = std::move(text);
                read_slop(l, after);
                out.push_back(std::move(l));
                i = after;
                continue;
            }
        }
        l.text = std::string(chunk);
        if (!l.text.empty()) out.push_back(std::move(l));
    }
    // Balance parentheses: drop a ')' with nothing open, close what is left open.
    // Pairs nested deeper than max_depth are dropped (their contents stay).
    std::vector<bool> open;  // per open '(': kept?
    std::size_t kept_depth = 0;
    bool flattened = false;
    std::vector<Lex> bal;
    for (auto& l : out) {
        if (l.t == Lex::T::LParen) {
            const bool keep = kept_depth < max_depth;
            open.push_back(keep);
            if (!keep) { flattened = true; continue; }
            ++kept_depth;
        }
        if (l.t == Lex::T::RParen) {
            if (open.empty()) { notes.push_back("unmatched ')' ignored"); continue; }
            const bool kept = open.back();
            open.pop_back();
            if (!kept) continue;
            --kept_depth;
        }
        bal.push_back(std::move(l));
    }
    if (flattened) notes.push_back("parentheses nested deeper than " + std::to_string(max_depth) + " ignored");
    if (!open.empty()) notes.push_back("unclosed '(' closed at the end");
    while (kept_depth-- > 0) bal.push_back({Lex::T::RParen});
    bal.push_back({Lex::T::End});
    return bal;
}

// One parsed piece of a query.
struct Operand {
    Xapian::Query q;
    std::string desc;
    std::vector<std::string> positional;   // terms usable in NEAR/ADJ (stems, in order)
    bool filter = false;                   // boolean only (source:, date:, ...)
    bool stop = false;                     // a lone stop word
    bool grouped = false;                  // a parenthesised group
    char sign = 0;
    Xapian::Query every;                   // a bag's words all present (ranks first), or empty
    Xapian::Query plain;                   // q without the all-words part (when every is set)
    std::vector<std::vector<std::string>> alts;  // an abbreviation: positional terms of each form
    [[nodiscard]] bool empty() const { return q.empty(); }
};

Xapian::Query combine(Xapian::Query::op op, const std::vector<Xapian::Query>& qs) {
    std::vector<Xapian::Query> nonempty;
    for (const auto& q : qs)
        if (!q.empty()) nonempty.push_back(q);
    if (nonempty.empty()) return {};
    if (nonempty.size() == 1) return nonempty[0];
    return Xapian::Query(op, nonempty.begin(), nonempty.end());
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
    std::string o;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) o += sep;
        o += v[i];
    }
    return o;
}

// The most NEAR/ADJ pairs one operator expands to (alternatives of each side multiplied).
constexpr std::size_t kMaxAlternatives = 16;

class Parser {
public:
    Parser(const Analyzer& a, const QueryLimits& lim, const QueryParser& qp, std::vector<Lex> toks, ParsedQuery& out)
        : an_(a), lim_(lim), qp_(qp), toks_(std::move(toks)), out_(out) {}

    Operand run() {
        Operand o = parse_or();
        while (cur().t != Lex::T::End) {  // leftovers (cannot happen after balancing, but never loop)
            ++pos_;
        }
        return o;
    }

private:
    const Analyzer& an_;
    const QueryLimits& lim_;
    const QueryParser& qp_;
    std::vector<Lex> toks_;
    ParsedQuery& out_;
    std::size_t pos_ = 0;
    std::size_t words_ = 0;
    std::vector<Operand> pending_;  // bag words parse_primary read beyond its operand
    std::string field_;              // the field of the group being read (title:(a OR b)), or empty

    const Lex& cur() const { return toks_[pos_]; }

    // A NEAR/ADJ distance or a phrase's ~N, bounded (noted when it was more).
    unsigned capped_distance(unsigned n) {
        if (n <= lim_.max_distance) return n;
        out_.notes.push_back("distance " + std::to_string(n) + " capped at " + std::to_string(lim_.max_distance));
        return lim_.max_distance;
    }

    Operand parse_or() {
        std::vector<Operand> parts;
        parts.push_back(parse_and());
        while (cur().t == Lex::T::Or) {
            ++pos_;
            parts.push_back(parse_and());
        }
        std::vector<Operand> kept;
        for (auto& p : parts)
            if (!p.empty()) kept.push_back(std::move(p));
        if (kept.size() == 1) return std::move(kept[0]);
        Operand o;
        std::vector<Xapian::Query> qs;
        std::vector<std::string> ds;
        for (auto& p : kept) { qs.push_back(p.q); ds.push_back(p.desc); }
        o.q = combine(Xapian::Query::OP_OR, qs);
        // Alternatives that are all filters (source:a OR source:b) filter too.
        o.filter = !kept.empty() && std::all_of(kept.begin(), kept.end(), [](const Operand& p) { return p.filter; });
        // Alternatives that are each a word or a phrase can stand beside NEAR
        // and ADJ: "jokowi NEAR/5 (prabowo OR sandiaga)" is a pair per word.
        std::vector<std::vector<std::string>> alts;
        for (const auto& p : kept) {
            if (p.sign || p.filter || (p.positional.empty() && p.alts.empty())) { alts.clear(); break; }
            if (p.alts.empty()) alts.push_back(p.positional);
            else alts.insert(alts.end(), p.alts.begin(), p.alts.end());
        }
        if (alts.size() <= kMaxAlternatives) o.alts = std::move(alts);
        o.desc = kept.empty() ? "" : "(" + join(ds, " OR ") + ")";
        return o;
    }

    Operand parse_and() {
        std::vector<Operand> items;
        bool explicit_and = false;
        bool negate_next = false;
        for (;;) {
            const auto t = cur().t;
            if (t == Lex::T::End || t == Lex::T::RParen || t == Lex::T::Or) break;
            if (t == Lex::T::And) { explicit_and = true; ++pos_; continue; }
            if (t == Lex::T::Not) { negate_next = true; ++pos_; continue; }
            if (t == Lex::T::Near || t == Lex::T::Adj) { ++pos_; out_.notes.push_back("operator without a left side ignored"); continue; }
            Operand o = parse_near();
            if (negate_next) { o.sign = '-'; negate_next = false; }
            if (!o.empty()) items.push_back(std::move(o));
            for (auto& p : pending_)  // the other words of a typed expansion
                if (!p.empty()) items.push_back(std::move(p));
            pending_.clear();
        }
        if (negate_next) out_.notes.push_back("NOT without a right side ignored");
        return group(std::move(items), explicit_and);
    }

    // Implicit groups are a ranked bag of words; explicit AND requires all.
    Operand group(std::vector<Operand> items, bool all) {
        std::vector<Operand*> pos, req, neg, filt;
        for (auto& o : items) {
            if (o.sign == '-') neg.push_back(&o);
            else if (o.filter) filt.push_back(&o);
            else if (o.sign == '+' || all) req.push_back(&o);
            else pos.push_back(&o);
        }
        // Stop words only count when the bag has nothing else.
        const bool has_content = std::any_of(pos.begin(), pos.end(), [](Operand* o) { return !o->stop; }) || !req.empty();
        std::vector<Operand*> bag;
        for (auto* o : pos)
            if (!o->stop || !has_content || !qp_.drop_stopwords) bag.push_back(o);

        std::vector<std::string> descs;
        std::vector<Xapian::Query> bag_q;
        Xapian::Query every;
        for (auto* o : bag) {
            bag_q.push_back(o->q);
            if (!o->desc.empty()) descs.push_back(o->desc);  // a typed expansion's later words
        }
        Xapian::Query main, plain;  // plain: main without the all-words part
        if (bag_q.size() > 1) {
            std::vector<Xapian::Query> parts{combine(Xapian::Query::OP_OR, bag_q)};
            // Documents with every word score the AND part too, so they rank first. Not
            // when a member is itself a group: repeating it at every level of nesting
            // would double the query per level (2^depth postlists).
            const bool nested = std::any_of(bag.begin(), bag.end(), [](Operand* o) { return o->grouped; });
            std::optional<Xapian::Query> all_part;
            if (qp_.all_words_boost > 0 && !nested)
                all_part = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, combine(Xapian::Query::OP_AND, bag_q), qp_.all_words_boost);
            // Neighbouring query words found close together in the text.
            if (qp_.proximity_boost > 0) {
                std::vector<Xapian::Query> pairs;
                const Operand* prev = nullptr;
                for (auto* o : bag) {
                    if (o->positional.size() != 1 || o->stop) continue;
                    if (prev) {
                        const Xapian::Query two[] = {Xapian::Query(prev->positional[0]), Xapian::Query(o->positional[0])};
                        pairs.emplace_back(Xapian::Query::OP_NEAR, std::begin(two), std::end(two), qp_.proximity_window);
                    }
                    prev = o;
                }
                if (!pairs.empty())
                    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, combine(Xapian::Query::OP_OR, pairs), qp_.proximity_boost);
            }
            plain = combine(Xapian::Query::OP_OR, parts);
            if (all_part) parts.push_back(*all_part);
            main = combine(Xapian::Query::OP_OR, parts);
            every = combine(Xapian::Query::OP_AND, bag_q);
        } else if (bag_q.size() == 1) {
            main = plain = bag_q[0];
        }
        std::vector<Xapian::Query> req_q, filt_q, neg_q;
        for (auto* o : req) { req_q.push_back(o->q); descs.push_back(all ? o->desc : "+" + o->desc); }
        for (auto* o : filt) { filt_q.push_back(o->q); descs.push_back(o->desc); }
        for (auto* o : neg) { neg_q.push_back(o->q); descs.push_back("-" + o->desc); }
        // The same wrapping (required words, filters, exclusions) goes round both.
        auto wrap = [&](Xapian::Query& m) {
            if (!req_q.empty()) {
                Xapian::Query r = combine(Xapian::Query::OP_AND, req_q);
                m = m.empty() ? r : Xapian::Query(Xapian::Query::OP_AND_MAYBE, r, m);
            }
            if (!filt_q.empty())
                m = Xapian::Query(Xapian::Query::OP_FILTER, m.empty() ? Xapian::Query::MatchAll : m,
                                  combine(Xapian::Query::OP_AND, filt_q));
            if (!neg_q.empty())
                m = Xapian::Query(Xapian::Query::OP_AND_NOT, m.empty() ? Xapian::Query::MatchAll : m,
                                  combine(Xapian::Query::OP_OR, neg_q));
        };
        wrap(main);
        wrap(plain);
        Operand o;
        o.q = main;
        o.every = every;
        o.plain = plain;
        // Only filters and exclusions: a filter itself, so that in a larger
        // query it restricts the matches rather than adding its own
        // ("banjir (date:2019-07 OR date:2019-08)"). Alone, its query is the
        // same: every document, filtered.
        o.filter = pos.empty() && req.empty() && !(filt.empty() && neg.empty());
        if (o.filter) {
            o.desc = descs.size() == 1 ? descs[0] : "(" + join(descs, all ? " AND " : " ") + ")";
            o.every = o.plain = {};
            return o;
        }
        if (items.size() == 1 && descs.size() == 1) {
            o = std::move(items[0]);
            o.q = main;
            o.desc = descs[0];
            o.sign = 0;
            o.filter = false;
            return o;
        }
        o.desc = descs.empty() ? "" : "(" + join(descs, all ? " AND " : " ") + ")";
        o.every = every;
        o.plain = plain;
        return o;
    }

    Operand parse_near() {
        Operand left = parse_primary();
        while (cur().t == Lex::T::Near || cur().t == Lex::T::Adj) {
            const bool ordered = cur().t == Lex::T::Adj;
            unsigned n = cur().n;
            ++pos_;
            if (cur().t == Lex::T::End || cur().t == Lex::T::RParen) {
                out_.notes.push_back(std::string(ordered ? "ADJ" : "NEAR") + " without a right side ignored");
                break;
            }
            Operand right = parse_primary();
            if (left.empty()) { left = std::move(right); continue; }
            if (right.empty()) continue;
            // A sign before the first operand is the pair's: -a NEAR/3 b
            // leaves out documents where they are near. An excluded right
            // side cannot be near anything: a NEAR/3 -b reads as a NOT b.
            const char sign = left.sign;
            // Both operands joined by a boolean operator instead of a pair.
            auto join_both = [&](Xapian::Query::op op, const std::string& between, const std::string& note) {
                out_.notes.push_back(note);
                Operand o;
                o.q = Xapian::Query(op, left.q, right.q);
                o.desc = "(" + left.desc + between + right.desc + ")";
                o.sign = sign;
                left = std::move(o);
            };
            if (right.sign == '-') {
                join_both(Xapian::Query::OP_AND_NOT, " -", std::string(ordered ? "ADJ" : "NEAR") + " before an excluded word read as NOT");
                continue;
            }
            if (n == 0) {  // two words are never at the same position
                out_.notes.push_back("distance 0 read as 1");
                n = 1;
            }
            n = capped_distance(n);
            // Each side is one word sequence, or alternatives (an abbreviation's forms, an OR group).
            auto sides = [](const Operand& x) {
                return x.alts.empty() ? (x.positional.empty() ? std::vector<std::vector<std::string>>{}
                                                               : std::vector<std::vector<std::string>>{x.positional})
                                      : x.alts;
            };
            const auto ls = sides(left), rs = sides(right);
            if (ls.empty() || rs.empty() || ls.size() * rs.size() > kMaxAlternatives) {
                // Not word-like (a bag, a field filter, too many alternatives): both must match.
                join_both(Xapian::Query::OP_AND, " AND ", "NEAR between groups treated as AND");
                continue;
            }
            Operand o;
            std::vector<Xapian::Query> pairs;
            for (const auto& l : ls)
                for (const auto& r : rs) {
                    std::vector<Xapian::Query> terms;
                    for (const auto& t : l) terms.emplace_back(t);
                    for (const auto& t : r) terms.emplace_back(t);
                    // n words apart: the window spans both operands and the n-1 words between.
                    const auto window = static_cast<Xapian::termcount>(l.size() + r.size() + n - 1);
                    pairs.emplace_back(ordered ? Xapian::Query::OP_PHRASE : Xapian::Query::OP_NEAR, terms.begin(), terms.end(), window);
                    out_.highlight.nears.push_back({l, r, n, ordered});
                    std::vector<std::string> both = l;
                    both.insert(both.end(), r.begin(), r.end());
                    if (ls.size() * rs.size() == 1) o.positional = both;
                    else o.alts.push_back(std::move(both));
                    // Operands highlight as part of the pair, not wherever they occur alone.
                    for (const auto* side : {&l, &r})
                        for (const auto& t : *side) out_.highlight.stems.erase(t);
                }
            o.q = combine(Xapian::Query::OP_OR, pairs);
            o.desc = left.desc + (ordered ? " ADJ/" : " NEAR/") + std::to_string(n) + " " + right.desc;
            if (sign) o.desc = "(" + o.desc + ")";  // -(a NEAR/3 b), not -a NEAR/3 b
            o.sign = sign;
            left = std::move(o);
        }
        return left;
    }

    Operand parse_primary() {
        const Lex l = cur();
        ++pos_;
        if (l.t == Lex::T::LParen) {
            // A field before the group applies to every word in it.
            const std::string outer = field_;
            if (!l.field.empty()) field_ = l.field;
            Operand o = parse_or();
            field_ = outer;
            if (cur().t == Lex::T::RParen) ++pos_;
            // A group is a NEAR operand only as alternatives of words or phrases.
            if (o.alts.empty() && !o.positional.empty() && !o.sign && !o.filter) o.alts = {o.positional};
            if (l.sign) o.alts.clear();
            o.positional.clear();
            o.every = {};
            o.grouped = true;
            if (!l.field.empty() && !o.desc.empty() && o.desc.front() != '(') o.desc = "(" + o.desc + ")";
            o.sign = l.sign;
            return o;
        }
        if (l.t == Lex::T::RParen) return {};
        if (Operand syn; expand_synonyms(l, syn)) return syn;
        Operand o;
        const std::string& field = l.field.empty() ? field_ : l.field;
        if (field == "date") o = date_filter(l.text);
        else if (field == "source" || field == "author") o = field_filter(field, l.text);
        else if (l.t == Lex::T::Phrase) o = phrase(l.text, field == "title", l.slop);
        else o = word(l.text, field == "title");
        o.sign = l.sign;
        return o;
    }

    // One typed word as the synonym table sees it: as typed and normalised.
    bool plain_word(const Lex& l, std::string& typed, std::string& norm) const {
        if (l.t != Lex::T::Word || !l.field.empty() || !field_.empty() || l.text.empty() || l.text[0] == '=' ||
            l.text.back() == '*')
            return false;
        const std::vector<Token> toks = an_.analyze(l.text);
        if (toks.size() != 1) return false;
        typed = l.text.substr(toks[0].start, toks[0].end - toks[0].start);
        norm = toks[0].norm;
        return true;
    }

    // An abbreviation or an expansion starting at the word just read
    // (pos_ - 1): the typed words OR each alternative, as one operand.
    bool expand_synonyms(const Lex& first, Operand& out) {
        const auto& table = qp_.synonyms;
        if (!table || table->empty()) return false;
        std::vector<std::string> typed, norm;
        std::string t, n;
        if (!plain_word(first, t, n)) return false;
        typed.push_back(t);
        norm.push_back(n);
        for (std::size_t j = pos_; j < toks_.size() && typed.size() < 8; ++j) {
            if (toks_[j].sign || !plain_word(toks_[j], t, n)) break;
            typed.push_back(t);
            norm.push_back(n);
        }
        Synonyms::Match m = table->match(typed, norm, 0);
        if (!m.words || !archive_means_it(typed, norm, m)) return false;
        if (m.expansion) return typed_expansion(first, typed, m, out);
        std::string text;
        for (std::size_t k = 0; k < m.words; ++k) text += (k ? " " : "") + typed[k];
        // The table knows the typed form: it is not spell-checked either
        // (`menlu` in an archive without it is no misspelling of `menit`).
        const std::size_t words_before = out_.words.size();
        Operand orig = m.words == 1 ? word(text, false) : phrase(text, false);
        out_.words.resize(words_before);
        if (orig.empty()) return false;  // over the word limit: nothing consumed
        pos_ += m.words - 1;
        std::vector<Xapian::Query> qs{orig.q};
        std::vector<std::string> descs{orig.desc};
        std::vector<std::vector<std::string>> alts{orig.positional};
        for (auto& x : alternatives(m.alternatives)) {
            qs.push_back(x.q);
            descs.push_back(x.desc);
            alts.push_back(std::move(x.positional));
        }
        if (std::none_of(alts.begin(), alts.end(), [](const auto& a) { return a.empty(); })) out.alts = std::move(alts);
        // Either form counts once, as one term (OP_MAX crashes Xapian 1.4.22 inside AND with some weights).
        out.q = combine(Xapian::Query::OP_SYNONYM, qs);
        out.desc = qs.size() > 1 ? "(" + join(descs, " OR ") + ")" : descs[0];
        out.sign = first.sign;
        return true;
    }

    // False when m is an abbreviation only the archive defines, typed not in
    // capitals, that the archive writes as a lower-case word (QueryParser::
    // lower_case_word): `the` is the word. Such keys also leave the
    // alternatives of a typed expansion, false when none is left.
    bool archive_means_it(const std::vector<std::string>& typed, const std::vector<std::string>& norm,
                          Synonyms::Match& m) const {
        const auto& word = qp_.lower_case_word;
        if (!word) return true;
        if (!m.expansion) {
            const bool capitals = std::none_of(typed[0].begin(), typed[0].end(), [](char c) { return c >= 'a' && c <= 'z'; });
            return !(m.defined && m.words == 1 && !capitals && word(norm[0]));
        }
        for (const auto& key : m.defined_keys)
            if (word(key)) std::erase(m.alternatives, key);
        return !m.alternatives.empty();
    }

    // The operands of a synonym match's alternatives (a word or a phrase
    // each; those past the word limit left out). They are not spell-checked.
    std::vector<Operand> alternatives(const std::vector<std::string>& texts) {
        const std::size_t words_before = out_.words.size();
        std::vector<Operand> ops;
        for (const auto& e : texts) {
            Operand x = an_.analyze(e).size() == 1 ? word(e, false) : phrase(e, false);
            if (!x.empty()) ops.push_back(std::move(x));
        }
        out_.words.resize(words_before);
        return ops;
    }

    // Words typed as an expansion ("menteri luar negeri"): each stays a word
    // of the bag, so a text with some of them still ranks as it would without
    // the table, and each also counts as found where an alternative ("menlu")
    // is: a text with the abbreviation holds every word of the bag. The first
    // word is the operand; the others wait in pending_. Not on either side of
    // NEAR/ADJ or with a sign, where the words keep their own meaning.
    bool typed_expansion(const Lex& first, const std::vector<std::string>& typed, const Synonyms::Match& m,
                         Operand& out) {
        const std::size_t after = pos_ + m.words - 1;  // the token after the words
        auto proximity = [&](std::size_t i) {
            return i < toks_.size() && (toks_[i].t == Lex::T::Near || toks_[i].t == Lex::T::Adj);
        };
        // Over the word limit, they are parsed one by one, as without the table.
        if (first.sign || proximity(after) || (pos_ >= 2 && proximity(pos_ - 2)) || words_ + m.words > lim_.max_terms)
            return false;
        std::vector<Operand> ws;
        for (std::size_t k = 0; k < m.words; ++k) ws.push_back(word(typed[k], false));
        pos_ = after;
        std::vector<Xapian::Query> alt_q;
        std::vector<std::string> descs;
        for (const auto& x : alternatives(m.alternatives)) {
            alt_q.push_back(x.q);
            descs.push_back(x.desc);
        }
        std::vector<std::string> typed_descs;
        for (const auto& w : ws) typed_descs.push_back(w.desc);
        const std::string typed_desc = join(typed_descs, " ");
        const Xapian::Query alt = combine(Xapian::Query::OP_OR, alt_q);
        for (auto& w : ws) {
            if (!alt.empty()) w.q = Xapian::Query(Xapian::Query::OP_SYNONYM, w.q, alt);
            w.desc.clear();
            w.stop = false;  // "luar" in "menteri luar negeri" is part of a name
        }
        ws[0].desc = descs.empty() ? typed_desc : "(" + typed_desc + " OR " + join(descs, " OR ") + ")";
        out = std::move(ws[0]);
        for (std::size_t k = 1; k < ws.size(); ++k) pending_.push_back(std::move(ws[k]));
        return true;
    }

    bool take_word() {
        if (words_ >= lim_.max_terms) {
            if (words_ == lim_.max_terms) out_.notes.push_back("only the first " + std::to_string(lim_.max_terms) + " words are used");
            ++words_;
            return false;
        }
        ++words_;
        return true;
    }

    // A word's stem, its exact form adding exact_boost of its weight. For a
    // body word OR, which matches the same documents (a document with the form
    // has its stem): with AND_MAYBE, Xapian 1.4.22's minimum-weight pruning
    // left a top-10 document out of 1 in 1,000 clickid benchmark queries; with
    // OR, none at 1x or 10x against checking every match. A title: word keeps
    // AND_MAYBE (the exact form is not field-specific).
    Xapian::Query exact_boosted(const std::string& pfx, const std::string& stem, const std::string& norm) const {
        Xapian::Query q(pfx + stem);
        if (qp_.exact_boost <= 0) return q;
        return Xapian::Query(pfx.empty() ? Xapian::Query::OP_OR : Xapian::Query::OP_AND_MAYBE, q,
                             Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(std::string(schema::kExact) + norm),
                                           qp_.exact_boost));
    }

    Operand word(std::string text, bool title) {
        Operand o;
        bool exact = false, prefix = false;
        if (!text.empty() && text[0] == '=') { exact = true; text.erase(0, 1); }
        if (text.size() > 1 && text.back() == '*') { prefix = true; text.pop_back(); }
        std::vector<Token> toks = an_.analyze(text);
        if (toks.empty()) return o;
        if (toks.size() > 1) return phrase_from(toks, title, text);
        const Token& t = toks[0];
        if (!take_word()) return o;
        const std::string pfx = title ? std::string(schema::kTitle) : "";
        if (title && (prefix || exact))  // (exact forms are indexed for title and body together)
            out_.notes.push_back("title: does not apply to " + std::string(exact ? "=" : "") + t.norm + (prefix ? "*" : "") +
                                 ": searched in title and text");
        if (prefix) {
            if (t.norm.size() < 2) { out_.notes.push_back("prefix too short: " + text + "*"); return o; }
            o.q = Xapian::Query(Xapian::Query::OP_WILDCARD, std::string(schema::kExact) + t.norm, lim_.max_expansion,
                                Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
            o.desc = t.norm + "*";
            out_.highlight.prefixes.push_back(t.norm);
            return o;
        }
        if (exact) {
            o.q = Xapian::Query(std::string(schema::kExact) + t.norm);
            o.desc = "=" + t.norm;
            out_.highlight.exact.insert(t.norm);
            return o;
        }
        o.q = exact_boosted(pfx, t.stem, t.norm);
        o.desc = (title ? "title:" : "") + t.stem;
        o.positional = {pfx + t.stem};
        o.stop = is_query_stopword(t.norm);
        out_.words.push_back(t.norm);
        if (!t.stop) out_.highlight.stems.insert(t.stem);
        return o;
    }

    Operand phrase(const std::string& text, bool title, std::optional<unsigned> slop = {}) {
        std::vector<Token> toks = an_.analyze(text);
        if (toks.empty()) return {};
        return phrase_from(toks, title, text, slop);
    }

    // slop: "a b c"~N, the words within N positions more than the phrase
    // takes, in any order (Xapian's NEAR over them).
    Operand phrase_from(const std::vector<Token>& toks, bool title, const std::string& text,
                        std::optional<unsigned> slop = {}) {
        Operand o;
        const std::string pfx = title ? std::string(schema::kTitle) : "";
        std::vector<Xapian::Query> stems, exacts;
        std::vector<std::string> hl, names;
        for (const auto& t : toks) {
            if (!take_word()) break;
            stems.emplace_back(pfx + t.stem);
            exacts.emplace_back(std::string(schema::kExact) + t.norm);
            o.positional.push_back(pfx + t.stem);
            hl.push_back(t.stem);
            names.push_back(t.norm);
        }
        if (stems.empty()) return o;
        const bool near = slop && stems.size() > 1;  // (one word: a word, whatever its ~N)
        const unsigned extra = near ? capped_distance(*slop) : 0;
        if (stems.size() == 1) {
            o.q = exact_boosted(pfx, toks[0].stem, toks[0].norm);
            o.stop = is_query_stopword(toks[0].norm);
        } else {
            const auto window = static_cast<Xapian::termcount>(stems.size() + extra);
            Xapian::Query ph(near ? Xapian::Query::OP_NEAR : Xapian::Query::OP_PHRASE, stems.begin(), stems.end(), window);
            // The same words in their exact forms rank first.
            o.q = qp_.exact_boost > 0
                      ? Xapian::Query(Xapian::Query::OP_AND_MAYBE, ph,
                                      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                                    Xapian::Query(Xapian::Query::OP_AND, exacts.begin(), exacts.end()),
                                                    qp_.exact_boost))
                      : ph;
        }
        (void)text;
        o.desc = (title ? "title:" : "") + std::string("\"") + join(names, " ") + "\"";
        for (const auto& n : names) out_.words.push_back(n);
        if (!near) {
            out_.highlight.phrases.push_back(hl);
            return o;
        }
        o.desc += "~" + std::to_string(extra);
        o.positional.clear();  // not a sequence: NEAR beside it reads as AND
        // Two words highlight as a NEAR pair; more, word by word.
        if (hl.size() == 2) out_.highlight.nears.push_back({{hl[0]}, {hl[1]}, extra + 1, false});
        else out_.highlight.stems.insert(hl.begin(), hl.end());
        return o;
    }

    // source:word, author:word (filters). A word no document holds in the
    // field searches the field's words starting with it, with a note; a typed
    // prefix (source:kompas*) searches them all; =word, the word alone.
    Operand field_filter(const std::string& field, const std::string& text) {
        Operand o;
        std::vector<Token> toks = an_.analyze(text);
        std::vector<Xapian::Query> qs;
        std::vector<std::string> names;
        const std::string_view prefix = field == "source" ? schema::kSource : schema::kAuthor;
        const bool as_typed = !text.empty() && text.front() == '=';
        const bool typed_prefix = !as_typed && !text.empty() && text.back() == '*';
        for (std::size_t i = 0; i < toks.size(); ++i) {
            const std::string& w = toks[i].norm;
            const bool starred = typed_prefix && i + 1 == toks.size();
            std::vector<std::string> words;
            if (qp_.field_completions && !as_typed) words = qp_.field_completions(prefix, w, starred);
            if (words.empty()) {
                qs.emplace_back(std::string(prefix) + w);
                names.push_back(w + (starred ? "*" : ""));
                continue;
            }
            if (words.size() > lim_.max_expansion) {
                words.resize(lim_.max_expansion);
                out_.notes.push_back(field + ":" + w + "* matches more than " + std::to_string(lim_.max_expansion) + " " +
                                     field + " words: the most frequent " + std::to_string(lim_.max_expansion) +
                                     " are searched");
            }
            std::vector<Xapian::Query> alts;
            for (const auto& c : words) alts.emplace_back(std::string(prefix) + c);
            qs.push_back(combine(Xapian::Query::OP_OR, alts));
            names.push_back(w + "*");
            if (starred) continue;
            constexpr std::size_t kNamed = 5;
            std::vector<std::string> shown(words.begin(), words.begin() + std::min(words.size(), kNamed));
            out_.notes.push_back(field + ":" + w + " matches no document: searched " + field + ":" + w + "* (" +
                                 join(shown, ", ") + (words.size() > kNamed ? ", ..." : "") + ")");
        }
        if (qs.empty()) return o;
        o.q = combine(Xapian::Query::OP_AND, qs);
        o.filter = true;
        o.desc = field + ":" + join(names, " ");
        return o;
    }

    // date:2021, date:2021-05, date:2021-05-01, date:A..B, date:..B, date:A..
    // (a month or day of one digit too: date:2021-5-1)
    Operand date_filter(const std::string& text) {
        Operand o;
        auto compact = [](std::string_view d, std::string& key) {
            // "YYYY[-M[M][-D[D]]]" -> "YYYY[MM[DD]]", a month of the calendar and a day of that month
            key.clear();
            int parts[3] = {0, 1, 1};
            std::size_t i = 0, part = 0;
            for (; part < 3 && i < d.size(); ++part) {
                if (part > 0) {
                    if (d[i] != '-') return false;
                    ++i;
                }
                const std::size_t start = i;
                while (i < d.size() && std::isdigit(static_cast<unsigned char>(d[i])) && i - start < (part ? 2u : 4u)) ++i;
                if (i - start < (part ? 1u : 4u)) return false;
                parts[part] = std::stoi(std::string(d.substr(start, i - start)));
            }
            if (i != d.size() || part == 0) return false;
            if (parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > days_in_month(parts[0], parts[1])) return false;
            char buf[40];
            std::snprintf(buf, sizeof buf, "%04d%02d%02d", parts[0], parts[1], parts[2]);
            key.assign(buf, part == 1 ? 4 : part == 2 ? 6 : 8);
            return true;
        };
        const auto dots = text.find("..");
        std::string a, b;
        if (dots == std::string::npos) {
            if (!compact(text, a)) { out_.notes.push_back("date not understood: " + text); return o; }
            const std::string_view pfx = a.size() == 4 ? schema::kYear : a.size() == 6 ? schema::kMonth : schema::kDay;
            o.q = Xapian::Query(std::string(pfx) + a);
        } else {
            const std::string lo = text.substr(0, dots), hi = text.substr(dots + 2);
            if ((!lo.empty() && !compact(lo, a)) || (!hi.empty() && !compact(hi, b)) || (lo.empty() && hi.empty())) {
                out_.notes.push_back("date range not understood: " + text);
                return o;
            }
            // Values are "YYYYMMDDhhmm": a shorter lower bound sorts first, "~" ends an upper bound.
            if (!a.empty() && !b.empty() && a > b + "~") {
                // (Xapian would match nothing and the filter would vanish: every date.)
                std::swap(a, b);
                o.desc = "date:" + hi + ".." + lo;
                out_.notes.push_back("date range reversed: read as " + hi + ".." + lo);
            }
            if (!a.empty() && !b.empty()) o.q = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kDateSlot, a, b + "~");
            else if (!a.empty()) o.q = Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, a);
            else o.q = Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kDateSlot, b + "~");
        }
        o.filter = true;
        if (o.desc.empty()) o.desc = "date:" + text;
        return o;
    }
};

} // namespace

QueryParser::QueryParser(std::shared_ptr<const Analyzer> analyzer, QueryLimits limits)
    : analyzer_(std::move(analyzer)), limits_(limits) {}

ParsedQuery QueryParser::parse(std::string_view text) const {
    ParsedQuery out;
    std::string clean = utf8::repair(text);
    if (clean.size() > limits_.max_chars) {
        std::size_t cut = limits_.max_chars;
        while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80) --cut;
        clean.resize(cut);
        out.notes.push_back("query cut to " + std::to_string(limits_.max_chars) + " bytes");
    }
    auto toks = lex(clean, out.notes, limits_.max_depth);
    Parser p(*analyzer_, limits_, *this, std::move(toks), out);
    Operand o = p.run();
    out.query = o.q;
    if (all_words_first && !o.every.empty()) {
        // The searcher ranks documents with every word first itself: the
        // top-level all-words part would only repeat the bag's postings.
        out.all_words = o.every;
        out.query = o.plain;
    }
    out.parsed = o.desc;
    if (out.parsed.size() > 2 && out.parsed.front() == '(' && out.parsed.back() == ')') {
        // Drop the outer parentheses of the top-level group for display.
        int depth = 0;
        bool outer = true;
        for (std::size_t i = 0; i + 1 < out.parsed.size(); ++i) {
            if (out.parsed[i] == '(') ++depth;
            if (out.parsed[i] == ')') --depth;
            if (depth == 0) { outer = false; break; }
        }
        if (outer) out.parsed = out.parsed.substr(1, out.parsed.size() - 2);
    }
    return out;
}

} // namespace cari
