#include "search.h"

#include "abbreviations.h"
#include "document.h"
#include "schema.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>

namespace cari {

namespace {

std::string join_names(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
}

std::uint64_t simhash_of(const Xapian::Document& d) { return be64_value(d.get_value(schema::kSimHashSlot)); }

// Sorted distinct hashes of 3-root shingles, stop words skipped (as SimHash sees the text).
std::vector<std::uint64_t> shingles(std::string_view text, const Analyzer& analyzer) {
    std::vector<std::uint64_t> out;
    std::uint64_t p2 = 0, p1 = 0;
    std::size_t n = 0;
    for (const Token& t : analyzer.analyze(text)) {
        if (t.stop) continue;
        const std::uint64_t h = hash64(t.stem);
        if (n++ >= 2) out.push_back(p2 * 31 + p1 * 7 + h);
        p2 = p1;
        p1 = h;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

double jaccard(const std::vector<std::uint64_t>& x, const std::vector<std::uint64_t>& y) {
    if (x.empty() || y.empty()) return 0;
    std::size_t i = 0, j = 0, common = 0;
    while (i < x.size() && j < y.size()) {
        if (x[i] == y[j]) { ++common; ++i; ++j; }
        else if (x[i] < y[j]) ++i;
        else ++j;
    }
    return static_cast<double>(common) / static_cast<double>(x.size() + y.size() - common);
}

void set_weighting(Xapian::Enquire& enq, const RankingParams& r) {
    if (r.delta > 0)
        enq.set_weighting_scheme(Xapian::BM25PlusWeight(r.k1, r.k2, r.k3, r.b, r.min_normlen, r.delta));
    else
        enq.set_weighting_scheme(Xapian::BM25Weight(r.k1, r.k2, r.k3, r.b, r.min_normlen));
}

} // namespace

double shingle_similarity(std::string_view a, std::string_view b, const Analyzer& analyzer) {
    return jaccard(shingles(a, analyzer), shingles(b, analyzer));
}

RankingParams RankingParams::from_env() {
    RankingParams r;
    const char* env = std::getenv("CARI_RANKING");
    if (!env || !*env) return r;
    std::string_view s(env);
    while (!s.empty()) {
        const auto comma = s.find(',');
        const std::string_view item = s.substr(0, comma);
        s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos) throw std::runtime_error("CARI_RANKING: expected key=value, got '" + std::string(item) + "'");
        const std::string key(item.substr(0, eq)), val(item.substr(eq + 1));
        double v = 0;
        try {
            std::size_t used = 0;
            v = std::stod(val, &used);
            if (used != val.size()) throw std::invalid_argument(val);
        } catch (const std::exception&) {
            throw std::runtime_error("CARI_RANKING: not a number: " + key + "=" + val);
        }
        if (key == "k1") r.k1 = v;
        else if (key == "b") r.b = v;
        else if (key == "k3") r.k3 = v;
        else if (key == "min_normlen") r.min_normlen = v;
        else if (key == "delta") r.delta = v;
        else if (key == "all") r.all_words = v;
        else if (key == "exact") r.exact = v;
        else if (key == "prox") r.proximity = v;
        else if (key == "window") r.window = static_cast<unsigned>(v);
        else if (key == "stop") r.drop_stopwords = v != 0;
        else if (key == "syn") r.synonyms = v != 0;
        else throw std::runtime_error("CARI_RANKING: unknown key '" + key + "'");
    }
    return r;
}

void RankingParams::apply(QueryParser& qp) const {
    qp.all_words_boost = all_words;
    qp.exact_boost = exact;
    qp.proximity_boost = proximity;
    qp.proximity_window = std::max(window, 2u);
    qp.drop_stopwords = drop_stopwords;
}

// Opens every shard as one database. A local index that is missing or broken
// is an error; a remote shard that does not answer is left out with
// allow_partial (at least one must answer), else ShardDown names it.
void Searcher::count_heads() {
    const Xapian::doccount not_heads = db_.get_termfreq(std::string(schema::kNotHead));
    const Xapian::doccount heads = db_.get_termfreq(std::string(schema::kHead));
    if (not_heads == 0) heads_ = Heads::None;
    // (every document marked one way or the other: an index built before kHead is not)
    else if (heads + not_heads == db_.get_doccount() && not_heads * 4 > heads) heads_ = Heads::Filter;
    else heads_ = Heads::AndNot;
}

void Searcher::open_shards() {
    Xapian::Database db;
    std::vector<std::string> missing;
    std::string reason;
    std::size_t live = 0;
    std::vector<ShardRef> live_refs;       // the sub-databases of db, in order (for remote_)
    std::vector<Xapian::Database> live_dbs;
    for (const auto& s : shards_) {
        if (!s.remote()) {
            std::error_code ec;
            if (!std::filesystem::exists(s.path, ec))
                throw std::runtime_error("no index at " + s.path + " (build one with 'cari-index build --db " + s.path +
                                         " PATH...')");
        }
        try {
            Xapian::Database one = open_shard(s, timeouts_);
            db.add_database(one);
            live_refs.push_back(s);
            live_dbs.push_back(one);
            ++live;
        } catch (const Xapian::NetworkError& e) {
            missing.push_back(s.name);
            if (reason.empty()) {
                reason = e.get_msg();
                if (const char* why = e.get_error_string(); why && *why) reason += std::string(": ") + why;
            }
        } catch (const Xapian::Error& e) {
            throw std::runtime_error("cannot open index " + s.name + ": " + e.get_msg());
        }
    }
    if (!missing.empty() && (!allow_partial_ || live == 0))
        throw ShardDown(missing, (missing.size() == 1 ? "shard " : "shards ") + join_names(missing) +
                                     (missing.size() == 1 ? " is" : " are") + " not answering: " + reason +
                                     (live ? " (--allow-partial searches the other shards)" : ""));
    db_ = db;
    missing_ = std::move(missing);
    remote_.open(live_refs, live_dbs, timeouts_);
    vocabulary_.clear();
    vocabulary_terms_ = 0;
    lower_case_.clear();
    // Xapian 1.4.22 matching several local databases at once loses matches and
    // parts of weights once its minimum-weight optimisations start (seen with a
    // filtered OR of AND_MAYBE terms: 56 of 1,000 clickid queries over 3 local
    // shards differed from one database). Checking every match turns them off.
    // Remote shards are matched by their own server, one database each: exact.
    std::size_t local = 0;
    for (const auto& s : shards_) local += !s.remote();
    check_every_match_ = local > 1;
    has_remote_ = local < shards_.size();
    count_heads();
}

Searcher::Searcher(const std::vector<std::string>& dbs, std::shared_ptr<const Analyzer> analyzer, bool allow_partial)
    : ranking(RankingParams::from_env()),
      paths_(dbs),
      timeouts_(RemoteTimeouts::from_env()),
      allow_partial_(allow_partial),
      analyzer_(analyzer ? std::move(analyzer) : Analyzer::default_instance()),
      parser_(analyzer_) {
    for (const auto& p : dbs) {
        auto v = expand_db_arg(p);
        shards_.insert(shards_.end(), v.begin(), v.end());
    }
    open_shards();
    // An update may commit between opening and these reads: reopen and read again.
    std::string built_with;
    for (int attempt = 0;; ++attempt) {
        try {
            built_with = db_.get_metadata(std::string(schema::kMetaStemmer));
            parser_.synonyms = with_defined_abbreviations(Synonyms::from_env());
            break;
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt >= 5) throw;
            db_.reopen();
            count_heads();
            forget_remote_reads();
        }
    }
    if (!built_with.empty() && built_with != analyzer_->stemmer().name())
        throw std::runtime_error("the index was built with the '" + built_with + "' stemmer but searching uses '" +
                                 analyzer_->stemmer().name() + "'");
    // Queries mostly run on the opening thread (cari-search's do); their
    // words, snippets and duplicate checks stem through its memo: sized once
    // here, not grown by queries.
    analyzer_->reserve_memo();
}

// The abbreviations the indexed documents define (abbreviations.h) added to
// table: one term each, read from the term list of the whole index. Of the
// long forms written for one abbreviation, the one most documents write is
// kept, and a second when at least half as many write it: the others are
// mostly misspellings ("komite olaharaga nasional indonesia"), and each
// would be one more phrase for every query that names the abbreviation.
std::shared_ptr<const Synonyms> Searcher::with_defined_abbreviations(std::shared_ptr<const Synonyms> table) const {
    constexpr std::size_t kPerAbbreviation = 2;
    const std::string prefix(schema::kAbbrev);
    std::shared_ptr<Synonyms> out;
    std::string abbr;
    std::vector<std::pair<Xapian::doccount, std::string>> forms;
    auto flush = [&] {
        if (forms.empty()) return;
        std::stable_sort(forms.begin(), forms.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        if (!out) out = std::make_shared<Synonyms>(table ? *table : Synonyms{});
        const bool word = abbreviation_is_word(abbr, analyzer_->stemmer());
        for (std::size_t i = 0; i < forms.size() && i < kPerAbbreviation; ++i) {
            if (i > 0 && 2 * forms[i].first < forms[0].first) break;
            try {
                out->add_defined(abbr, forms[i].second, word);
            } catch (const std::invalid_argument&) {
                // (a side without words: nothing to add)
            }
        }
        forms.clear();
    };
    for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t) {
        AbbreviationDef d = parse_abbreviation_term(std::string_view(*t).substr(prefix.size()));
        if (d.abbr.empty()) continue;
        if (d.abbr != abbr) {  // (the terms come sorted, an abbreviation's long forms together)
            flush();
            abbr = d.abbr;
        }
        forms.emplace_back(t.get_termfreq(), std::move(d.expansion));
    }
    flush();
    return out ? out : table;
}

void Searcher::add_synonyms(const std::string& path) {
    auto table = std::make_shared<Synonyms>(parser_.synonyms ? *parser_.synonyms : Synonyms{});
    table->load_file(path);
    parser_.synonyms = std::move(table);
}

// After Database::reopen: side connections compare themselves with the
// reopened shards again, and lists of terms are read again.
void Searcher::forget_remote_reads() {
    remote_.close();
    vocabulary_.clear();
    vocabulary_terms_ = 0;
    lower_case_.clear();
}

// Whether the archive writes word (normalised, as a query types it) in lower
// case in more documents than in capitals. Documents holding it vote by the
// case their title and body write it in most: "the" votes lower case, "THE"
// capitals, "The" and "Walhi" not at all (a name's capital, or an
// abbreviation written as a name: title case tells neither). kProbes
// documents vote, spread over the archive (its parts differ: K-pop news
// writes THE BOYZ), or all when fewer hold it. In clickid "the", "self",
// "tuh", "rpm" are such words, "kpk", "bmkg", "walhi", "bps" not.
bool Searcher::lower_case_word(const std::string& word) {
    constexpr Xapian::doccount kProbes = 24;
    if (has_remote_) return false;
    if (const auto it = lower_case_.find(word); it != lower_case_.end()) return it->second;
    auto letter = [](unsigned char c) { return std::isalnum(c) || c >= 0x80; };
    // Its occurrences in text as a whole word, by case.
    auto count = [&](std::string_view text, int& lower, int& upper) {
        const std::string first{word.front(), static_cast<char>(std::toupper(static_cast<unsigned char>(word.front())))};
        for (std::size_t at = text.find_first_of(first); at != std::string_view::npos && at + word.size() <= text.size();
             at = text.find_first_of(first, at + 1)) {
            if ((at > 0 && letter(static_cast<unsigned char>(text[at - 1]))) ||
                (at + word.size() < text.size() && letter(static_cast<unsigned char>(text[at + word.size()]))))
                continue;
            bool same = true, low = true, up = true;
            for (std::size_t i = 0; i < word.size() && same; ++i) {
                const char c = text[at + i];
                same = std::tolower(static_cast<unsigned char>(c)) == static_cast<unsigned char>(word[i]);
                low = low && !(c >= 'A' && c <= 'Z');
                up = up && !(c >= 'a' && c <= 'z');
            }
            lower += same && low;
            upper += same && up;
        }
    };
    int lower_docs = 0, upper_docs = 0;
    auto vote = [&](Xapian::docid did) {
        const StoredDoc d = StoredDoc::deserialize(db_.get_document(did).get_data());
        int lower = 0, upper = 0;
        count(d.title, lower, upper);
        count(d.body, lower, upper);
        lower_docs += lower > upper;
        upper_docs += upper > lower;
    };
    const std::string term = std::string(schema::kExact) + word;
    const Xapian::doccount holding = db_.get_termfreq(term);
    const Xapian::docid last = db_.get_lastdocid();
    auto p = db_.postlist_begin(term);
    for (Xapian::doccount i = 0; i < kProbes && p != db_.postlist_end(term); ++i) {
        if (holding > kProbes)
            p.skip_to(std::max<Xapian::docid>(*p + (i > 0), static_cast<Xapian::docid>(
                                                                1 + std::uint64_t{last} * i / kProbes)));
        else if (i > 0)
            ++p;
        if (p == db_.postlist_end(term)) break;
        vote(*p);
    }
    return lower_case_[word] = lower_docs > upper_docs;
}

// The terms under a prefix, listed from every remote shard at once and kept
// until the shards reopen (at most kMaxKeptTerms terms in all are kept); nullptr
// when the shards cannot be asked that way (the suggester lists through Xapian).
const std::vector<RemoteReader::Term>* Searcher::vocabulary(const std::string& prefix) {
    constexpr std::size_t kMaxKeptTerms = 2'000'000;
    if (const auto it = vocabulary_.find(prefix); it != vocabulary_.end()) return &it->second;
    auto list = remote_.allterms(prefix);
    if (!list) return nullptr;
    if (vocabulary_terms_ + list->size() > kMaxKeptTerms) {
        vocabulary_.clear();
        vocabulary_terms_ = 0;
    }
    vocabulary_terms_ += list->size();
    return &(vocabulary_[prefix] = std::move(*list));
}

// QueryParser::field_completions: the words of a field (schema::kSource,
// kAuthor) that start with word, the most frequent first, at most one more
// than the parser's max_expansion (it notes the cut); unless typed as a prefix, none when some
// document holds word itself there. Feeds name their source as a site
// ("tribunnews.com", "antaranews.com"), so `source:tribun` finds Tribunnews;
// `source:tribunnews` only finds itself.
std::vector<std::string> Searcher::field_completions(std::string_view prefix, const std::string& word,
                                                     bool typed_prefix) {
    constexpr std::size_t kMaxScan = 10000;  // field words looked at, at most
    const std::string term = std::string(prefix) + word;
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    bool held = false;  // a document holds word itself (listed first: it sorts first)
    auto take = [&](const std::string& t, Xapian::doccount df) {
        held = held || t == term;
        if (held && !typed_prefix) return false;
        found.emplace_back(df, t.substr(prefix.size()));
        return found.size() < kMaxScan;
    };
    if (has_remote_) {
        const auto* list = vocabulary(term);
        if (!list) return {};
        for (const auto& [t, df] : *list)
            if (!take(t, df)) break;
    } else {
        for (auto it = db_.allterms_begin(term); it != db_.allterms_end(term); ++it)
            if (!take(*it, it.get_termfreq())) break;
    }
    if (held && !typed_prefix) return {};
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    if (found.size() > parser_.limits().max_expansion + 1) found.resize(parser_.limits().max_expansion + 1);
    std::vector<std::string> words;
    for (auto& f : found) words.push_back(std::move(f.second));
    return words;
}

SearchResult Searcher::search(std::string_view query, const SearchOptions& opts) {
    // An update may commit while we read: reopen and run again. A remote shard
    // that stops answering: open the shards afresh, which names the ones that
    // are down (ShardDown) or, with allow_partial, leaves them out, and run again.
    for (int attempt = 0, net_attempt = 0;; ++attempt) {
        try {
            SearchResult r = run(query, opts);
            r.partial = !missing_.empty();
            r.missing_shards = missing_;
            return r;
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt >= 5) throw;
            db_.reopen();
            count_heads();
            forget_remote_reads();
        } catch (const Xapian::NetworkError& e) {
            if (net_attempt++ >= 1)
                throw ShardDown({}, "a shard stopped answering during the search: " + e.get_msg());
            open_shards();
        }
    }
}

SearchResult Searcher::run(std::string_view query, const SearchOptions& opts) {
    const auto t0 = std::chrono::steady_clock::now();
    SearchResult res;
    res.query = std::string(query);
    ranking.apply(parser_);
    parser_.lower_case_word = [this](const std::string& w) { return lower_case_word(w); };
    parser_.field_completions = [this](std::string_view prefix, const std::string& w, bool typed_prefix) {
        return field_completions(prefix, w, typed_prefix);
    };
    const auto table = parser_.synonyms;
    if (!ranking.synonyms) parser_.synonyms = nullptr;
    res.parsed = parser_.parse(query);
    parser_.synonyms = table;
    // A prefix* that stands for more words than are expanded says so. (Over
    // remote shards the words are listed from every shard at once: through
    // Xapian, one shard after the other, a message per word.)
    for (const auto& p : res.parsed.highlight.prefixes) {
        const std::string pfx = std::string(schema::kExact) + p;
        Xapian::termcount n = 0;
        if (const auto* words = has_remote_ ? vocabulary(pfx) : nullptr)
            n = static_cast<Xapian::termcount>(std::min<std::size_t>(words->size(), parser_.limits().max_expansion + 1));
        else
            for (auto it = db_.allterms_begin(pfx); it != db_.allterms_end(pfx) && n <= parser_.limits().max_expansion; ++it) ++n;
        if (n > parser_.limits().max_expansion)
            res.parsed.notes.push_back(p + "* matches more than " + std::to_string(parser_.limits().max_expansion) +
                                       " words: the most frequent " + std::to_string(parser_.limits().max_expansion) +
                                       " are searched");
    }
    std::optional<Xapian::MSet> first_mset;  // the query's first match (term frequencies for suggestions)
    res.total_exact = res.parsed.empty();    // (nothing to match: 0 is exact)
    if (!res.parsed.empty()) {
        // The document count as of now: an update may have added documents since opening.
        const Xapian::doccount check_at_least = check_every_match_ || opts.exact_total ? db_.get_doccount() : 0;
        Xapian::Enquire enq(db_);
        set_weighting(enq, ranking);
        // Equal weights fall in id order, not docid order: docids interleave
        // across shards, ids do not, so one database and its shards rank alike.
        // Over remote shards (and by date) Xapian sorts by the id value itself.
        // Over local databases that costs a tenth of the query at 10x clickid
        // (it reads the value of every document it weighs): Xapian ranks by
        // weight (equal weights by docid), and collect() puts equal weights in
        // id order, unless they run past its cut; then Xapian sorts after all.
        bool xapian_sorts = opts.sort_by_date || has_remote_;
        if (opts.sort_by_date) enq.set_sort_by_value_then_relevance(schema::kDateSlot, true);
        else if (xapian_sorts) enq.set_sort_by_relevance_then_value(schema::kIdSlot, false);
        const std::size_t want = opts.offset + opts.limit;

        // Candidates in rank order. A bag of words runs in two tiers: documents
        // with every word first, then the rest of the full query's matches, each
        // ranked by the same weights. One match does both: documents with every
        // word gain a constant weight (kTier) far above any BM25 sum, so they
        // sort first and, once they fill the page, Xapian stops looking at
        // documents without it (its AND_MAYBE turns into AND). The constant is
        // taken off the reported score. (Not OP_AND_NOT: Xapian 1.4.22 reads
        // uninitialised memory and returns wrong matches when the right side of
        // AND_NOT holds AND_MAYBE, as every word does.)
        constexpr double kTier = 1e6;
        // Candidates' documents are asked for together (MSet::fetch: over a
        // remote shard each read is a round trip) and read only when needed.
        // (Not Xapian's collapse key: with one set, Xapian 1.4.22 leaves
        // documents out of the MSet that belong in it, even when nothing
        // collapses: 1 of 1,000 clickid queries at 15 hits, 8 when asked to
        // check 1,000 matches.)
        struct Cand {
            std::size_t batch, rank;   // where it is in batches
            double weight;             // as shown (the tier's constant taken off)
            double rank_weight;        // as ranked
            std::string key;           // its id value (sort key or value stream); empty by date or in an older index
        };
        const Xapian::Query& full = res.parsed.query;
        const Xapian::Query& every = res.parsed.all_words;
        Xapian::Query q = full;
        if (!every.empty()) {  // (sorting by date, it breaks ties of date)
            Xapian::Query tier((new Xapian::FixedWeightPostingSource(kTier))->release());  // the query owns it
            q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, full, Xapian::Query(Xapian::Query::OP_FILTER, tier, every));
        }
        // Exact duplicates (schema::kCluster) are folded at index time: each
        // member but its group's head ranks alike with a head of a smaller id,
        // so the match leaves them out and they are listed under it below.
        // When many documents are copies, the match walks the heads' list
        // (clickid at 10x: 0.64 ms of CPU a query, against 1.19 leaving the
        // copies out one by one and 0.91 not folding at all); when few are, it
        // skips the copies' list (at 1x: 0.57 against 0.61 walking the heads).
        auto heads_only = [&](const Xapian::Query& m) {
            if (opts.collapse && heads_ == Heads::Filter)
                return Xapian::Query(Xapian::Query::OP_FILTER, m, Xapian::Query(std::string(schema::kHead)));
            if (opts.collapse && heads_ != Heads::None)
                return Xapian::Query(Xapian::Query::OP_AND_NOT, m, Xapian::Query(std::string(schema::kNotHead)));
            return m;
        };
        enq.set_query(heads_only(q));
        // The suggester reads its words' frequencies from this match's MSet.
        // Over remote shards, those of words whose exact form the query lacks
        // (NEAR and ADJ operands, exact=0) would each be a round trip per
        // shard: they join the match at weight 0 instead, which changes no
        // match and no weight (AND_MAYBE adds 0 to the left side's weight).
        if (opts.suggest && has_remote_) {
            const Xapian::Query q = enq.get_query();
            std::vector<Xapian::Query> extra;
            for (const auto& t : Suggester::frequency_terms(res.parsed.words))
                if (std::find(q.get_unique_terms_begin(), q.get_unique_terms_end(), t) == q.get_unique_terms_end())
                    extra.emplace_back(t);
            if (!extra.empty())
                enq.set_query(Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                                            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                                          Xapian::Query(Xapian::Query::OP_OR, extra.begin(), extra.end()), 0.0)));
        }
        // collect(n) matches the first n candidates (a longer list starts with
        // the shorter one) into a new batch, sets res.total and says whether
        // that was every match.
        std::vector<Xapian::MSet> batches;
        auto collect = [&](std::size_t fetch, std::vector<Cand>& cands) {
            cands.clear();
            // Sorting ourselves, one match more than asked shows whether equal weights run past the cut.
            auto asked = static_cast<Xapian::doccount>(fetch + (xapian_sorts ? 0 : 1));
            Xapian::MSet m = enq.get_mset(0, asked, check_at_least);
            if (!xapian_sorts && m.size() > fetch && fetch > 0 &&
                m[static_cast<Xapian::doccount>(fetch)].get_weight() == m[static_cast<Xapian::doccount>(fetch - 1)].get_weight()) {
                xapian_sorts = true;
                enq.set_sort_by_relevance_then_value(schema::kIdSlot, false);
                // (More than `fetch` matched: a full answer to this one is not every match.)
                asked = static_cast<Xapian::doccount>(fetch);
                m = enq.get_mset(0, asked, check_at_least);
            }
            batches.push_back(std::move(m));
            Xapian::MSet& mset = batches.back();
            res.total = mset.get_matches_estimated();
            res.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
            const std::size_t n = std::min<std::size_t>(mset.size(), fetch);
            for (std::size_t rank = 0; rank < n; ++rank) {
                const auto it = mset[static_cast<Xapian::doccount>(rank)];
                const double w = it.get_weight();
                cands.push_back({batches.size() - 1, rank, w >= kTier ? w - kTier : w, w,
                                 xapian_sorts && !opts.sort_by_date ? it.get_sort_key() : std::string()});
            }
            if (!xapian_sorts) {
                // The candidates' id values, in one pass over the slot, then equal weights in id order.
                std::vector<std::pair<Xapian::docid, std::size_t>> by_docid;
                for (std::size_t i = 0; i < cands.size(); ++i)
                    by_docid.emplace_back(*mset[static_cast<Xapian::doccount>(i)], i);
                std::sort(by_docid.begin(), by_docid.end());
                auto v = db_.valuestream_begin(schema::kIdSlot);
                const auto end = db_.valuestream_end(schema::kIdSlot);
                for (const auto& [did, i] : by_docid) {
                    if (v == end) break;
                    v.skip_to(did);
                    if (v != end && v.get_docid() == did) cands[i].key = *v;
                }
                std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) {
                    return a.rank_weight > b.rank_weight || (a.rank_weight == b.rank_weight && a.key < b.key);
                });
            }
            // Every candidate's document is read without collapse (they are the
            // page) or without id values (sorting by date, or an index built
            // before the id slot): over remote shards, ask for them together.
            if (!opts.collapse || (!cands.empty() && cands.front().key.empty())) mset.fetch();
            const bool complete = mset.size() < asked;
            if (complete) {
                res.total = mset.size();
                res.total_exact = true;
            }
            return complete;
        };
        auto document = [&](const Cand& c) { return batches[c.batch][static_cast<Xapian::doccount>(c.rank)].get_document(); };
        // Over remote shards, documents the folding below may compare texts of,
        // read beforehand in one wave (through Xapian, each would be a round
        // trip of its own), by (batch, rank).
        std::map<std::pair<std::size_t, std::size_t>, StoredDoc> early;
        auto stored_of = [&](const Cand& c) {
            if (const auto it = early.find({c.batch, c.rank}); it != early.end()) return it->second;
            return StoredDoc::deserialize(document(c).get_data());
        };
        // A candidate's id and SimHash: from its sort key when there is one,
        // else from its document (indexes built before the id slot: the stored data).
        auto id_of = [&](const Cand& c) {
            if (!c.key.empty()) return std::string(parse_id_value(c.key).id);
            const Xapian::Document d = document(c);
            const std::string v = d.get_value(schema::kIdSlot);
            return v.empty() ? StoredDoc::deserialize(d.get_data()).id : std::string(parse_id_value(v).id);
        };
        auto simhash_of_cand = [&](const Cand& c) {
            const std::uint64_t sh = c.key.empty() ? 0 : parse_id_value(c.key).simhash;
            return sh ? sh : simhash_of(document(c));  // (no SimHash in the key: a body-less document, or an older index)
        };
        // Near-duplicates fold into earlier hits, so with collapse on, candidates
        // are read in growing batches until `want` stories are kept or the
        // matches run out (a story republished ten times would otherwise leave
        // the page short).
        constexpr std::size_t kMaxFetch = 5000;
        std::size_t fetch = opts.collapse ? want + want / 2 : want;
        struct Kept {
            Cand c;
            std::uint64_t sh;
            std::optional<StoredDoc> doc;      // read when first needed
            std::vector<Cand> folded;          // near-duplicates folded into it, in rank order
            std::vector<std::string> ids;      // the ids of its duplicates
            std::vector<std::uint64_t> shingles;
            bool have_shingles = false;
        };
        auto stored = [&](Kept& k) -> const StoredDoc& {
            if (!k.doc) k.doc = stored_of(k.c);
            return *k.doc;
        };
        // The candidates from `from` on whose SimHash lies farther than
        // duplicate_bits but within verify_bits of an earlier candidate's (their
        // texts may be compared), and those that head a group in their shard
        // and lie within verify_bits (if folded, their lists are read): a
        // superset of the documents the folding reads, so one wave replaces
        // a round trip each. Only over remote shards with sort keys.
        auto read_early = [&](const std::vector<Cand>& cs, std::size_t from) {
            if (!has_remote_ || !opts.collapse) return;
            std::vector<std::size_t> need;
            std::vector<Xapian::docid> dids;
            for (std::size_t j = from; j < cs.size(); ++j) {
                if (cs[j].key.empty() || early.count({cs[j].batch, cs[j].rank})) continue;
                const IdValue vj = parse_id_value(cs[j].key);
                if (vj.simhash == 0) continue;
                for (std::size_t i = 0; i < j; ++i) {
                    if (cs[i].key.empty()) continue;
                    const int d = hamming(parse_id_value(cs[i].key).simhash, vj.simhash);
                    if (d > opts.verify_bits || (d <= opts.duplicate_bits && !vj.content)) continue;
                    for (const std::size_t x : {i, j})
                        if (!early.count({cs[x].batch, cs[x].rank}) &&
                            std::find(need.begin(), need.end(), x) == need.end()) {
                            need.push_back(x);
                            dids.push_back(*batches[cs[x].batch][static_cast<Xapian::doccount>(cs[x].rank)]);
                        }
                }
            }
            if (need.empty()) return;
            remote_.read(dids, [&](std::size_t n, RemoteDoc&& d) {
                const Cand& c = cs[need[n]];
                if (d.values[schema::kIdSlot] != c.key) return;  // the shard changed: read it through Xapian
                early.emplace(std::make_pair(c.batch, c.rank), StoredDoc::deserialize(d.data));
            });
        };
        std::vector<Kept> kept;
        std::vector<Cand> cands;
        std::size_t done = 0, folded = 0;
        for (;;) {
            const bool complete = collect(fetch, cands);
            read_early(cands, done);
            for (; done < cands.size(); ++done) {
                const Cand& c = cands[done];
                const std::uint64_t sh = opts.collapse ? simhash_of_cand(c) : 0;
                std::optional<StoredDoc> doc;
                if (opts.collapse && sh != 0) {
                    // Close hashes are the same story; farther ones up to verify_bits when their texts overlap.
                    std::vector<std::uint64_t> own;
                    bool have_own = false;
                    Kept* same = nullptr;
                    for (auto& k : kept) {
                        if (k.sh == 0) continue;
                        const int d = hamming(k.sh, sh);
                        if (d <= opts.duplicate_bits) { same = &k; break; }
                        if (d > opts.verify_bits) continue;
                        if (!doc) doc = stored_of(c);
                        if (!have_own) { own = shingles(doc->body, *analyzer_); have_own = true; }
                        if (!k.have_shingles) { k.shingles = shingles(stored(k).body, *analyzer_); k.have_shingles = true; }
                        if (jaccard(own, k.shingles) >= opts.duplicate_jaccard) { same = &k; break; }
                    }
                    if (same) {
                        same->folded.push_back(c);
                        ++folded;
                        continue;
                    }
                }
                if (kept.size() >= want) {
                    if (!opts.collapse) break;
                    continue;  // still count duplicates of what is kept
                }
                if (!doc)
                    if (const auto it = early.find({c.batch, c.rank}); it != early.end()) doc = it->second;
                kept.push_back({c, sh, std::move(doc), {}, {}, {}, false});
            }
            if (complete || !opts.collapse || kept.size() >= want || fetch >= kMaxFetch) break;
            fetch = std::min(fetch * 4, kMaxFetch);
        }
        first_mset = batches.front();
        // A count Xapian estimated is made exact when few documents can match
        // or few are estimated to: counting them costs little, and "about 20
        // results" for 17 reads oddly. (Not by a check_at_least of a few
        // hundred in the match itself: Xapian 1.4.22 then leaves out
        // documents that belong on the page, 2 of the 1,000 clickid benchmark
        // queries at 300.) Over remote shards a count is two more round
        // trips per shard: the estimate stays.
        const Xapian::MSet& last = batches.back();
        if (!res.total_exact && !has_remote_ &&
            (last.get_matches_upper_bound() <= opts.count_below || last.get_matches_estimated() <= opts.count_below / 10)) {
            // (the same matches without weights: the tier's part adds none)
            Xapian::Enquire count(db_);
            count.set_weighting_scheme(Xapian::BoolWeight());
            count.set_query(heads_only(full));
            res.total = count.get_mset(0, 0, db_.get_doccount()).get_matches_estimated();
            res.total_exact = true;
        }
        // Duplicates folded away are not separate matches.
        if (opts.collapse) res.total = res.total > folded ? res.total - folded : kept.size();

        // The page's documents. From xapian-tcpsrv shards, in one pipelined
        // wave (RemoteReader: Xapian 1.4 reads a remote document in a
        // round trip of its own, MSet::fetch or not), each one's snippet made
        // as soon as it has come, while other shards still answer. One whose
        // id value is not the sort key the match gave (the shard changed) is
        // left to Xapian.
        SnippetGenerator gen(*analyzer_, res.parsed.highlight, opts.snippet_chars);
        std::vector<std::optional<Snippet>> snippets(kept.size());
        {
            std::vector<std::size_t> page;
            std::vector<Xapian::docid> dids;
            for (std::size_t i = opts.offset; i < kept.size(); ++i)
                if (!kept[i].doc) {
                    page.push_back(i);
                    dids.push_back(*batches[kept[i].c.batch][static_cast<Xapian::doccount>(kept[i].c.rank)]);
                }
            remote_.read(dids, [&](std::size_t j, RemoteDoc&& d) {
                Kept& k = kept[page[j]];
                if (!k.c.key.empty() && d.values[schema::kIdSlot] != k.c.key) return;
                k.doc = StoredDoc::deserialize(d.data);
                snippets[page[j]] = gen.make(k.doc->body);
            });
        }
        // The rest (local shards) asked for together, and the ids of what folded into them.
        for (std::size_t b = 0; b < batches.size(); ++b) {
            std::size_t end = 0;
            for (std::size_t i = opts.offset; i < kept.size(); ++i)
                if (kept[i].c.batch == b && !kept[i].doc) end = std::max(end, kept[i].c.rank + 1);
            if (end) batches[b].fetch(batches[b].begin(), batches[b][static_cast<Xapian::doccount>(end)]);
        }
        for (std::size_t i = opts.offset; i < kept.size(); ++i) {
            Kept& k = kept[i];
            stored(k);
            for (const Cand& f : k.folded) k.ids.push_back(id_of(f));
        }
        if (opts.collapse) {
            // The members of the page's exact-duplicate groups, which the match
            // left out: each head lists its group (StoredDoc::group). A folded
            // candidate heads a group too when it comes from another shard.
            for (std::size_t i = opts.offset; i < kept.size(); ++i) {
                Kept& k = kept[i];
                auto add = [&](const std::vector<std::string>& ids) {
                    for (const auto& id : ids)
                        if (id != k.doc->id && std::find(k.ids.begin(), k.ids.end(), id) == k.ids.end()) k.ids.push_back(id);
                };
                add(k.doc->group);
                for (const Cand& f : k.folded) {
                    const std::string v = f.key.empty() ? document(f).get_value(schema::kIdSlot) : f.key;
                    if (parse_id_value(v).content) add(stored_of(f).group);
                }
            }
        }
        // A local document's snippet learns where the query's stems are from
        // the index's positions (body words from schema::kBodyStart), so only
        // the matched words are stemmed again, not the whole body: a tenth of
        // the instructions of a clickid query (callgrind). Each read costs
        // two block reads (Xapian 1.4 walks down from the root's child every
        // time), so a query of many stems stems the bodies instead; up to 8,
        // reading was the faster on the benchmark queries of 5 to 7 stems
        // (expansions: bprd -> "badan pajak dan retribusi daerah"), 12 of 15
        // faster, 7.5% less time together. Read term by term in docid
        // order, as the position table is keyed.
        constexpr std::size_t kMaxPositionStems = 8;
        if (!has_remote_ && !gen.stems().empty() && gen.stems().size() <= kMaxPositionStems &&
            std::all_of(gen.stems().begin(), gen.stems().end(), [](const std::string& t) { return t.size() <= schema::kMaxTerm; })) {
            std::vector<std::pair<Xapian::docid, std::size_t>> page;  // (docid, kept index)
            for (std::size_t i = opts.offset; i < kept.size(); ++i)
                if (!snippets[i]) page.emplace_back(*batches[kept[i].c.batch][static_cast<Xapian::doccount>(kept[i].c.rank)], i);
            std::sort(page.begin(), page.end());
            std::vector<std::vector<std::vector<std::uint32_t>>> positions(page.size(), std::vector<std::vector<std::uint32_t>>(gen.stems().size()));
            for (std::size_t t = 0; t < gen.stems().size(); ++t) {
                const std::string& term = gen.stems()[t];
                for (std::size_t j = 0; j < page.size(); ++j) {
                    const Xapian::docid did = page[j].first;
                    for (auto p = db_.positionlist_begin(did, term); p != db_.positionlist_end(did, term); ++p)
                        if (*p >= schema::kBodyStart) positions[j][t].push_back(*p - schema::kBodyStart);
                }
            }
            for (std::size_t j = 0; j < page.size(); ++j) snippets[page[j].second] = gen.make(kept[page[j].second].doc->body, positions[j]);
        }
        for (std::size_t i = opts.offset; i < kept.size(); ++i) {
            Hit h;
            h.rank = i + 1;
            h.score = kept[i].c.weight;
            h.doc = std::move(*kept[i].doc);
            h.duplicate_ids = std::move(kept[i].ids);
            h.snippet = snippets[i] ? std::move(*snippets[i]) : gen.make(h.doc.body);
            res.hits.push_back(std::move(h));
        }
    }
    if (opts.suggest && !res.parsed.words.empty()) {
        Suggester s = first_mset ? Suggester(db_, *first_mset) : Suggester(db_);
        if (has_remote_) s.with_vocabulary([this](const std::string& prefix) { return vocabulary(prefix); });
        res.suggestion = s.query(query, res.parsed.words, *analyzer_);
    }
    res.took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return res;
}

} // namespace cari
