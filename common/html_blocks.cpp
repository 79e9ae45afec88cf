#include "html_blocks.h"

#include "clean_text.h"
#include "dates.h"
#include "json.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>
#include <unordered_set>

namespace cari::cleaning {

namespace {

struct DocFree {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

std::string_view name_of(const xmlNode* n) {
    return n->name ? std::string_view(reinterpret_cast<const char*>(n->name)) : std::string_view();
}

// An attribute's value without allocating (libxml2 keeps it as a text child).
std::string_view attr(const xmlNode* n, std::string_view name) {
    for (const xmlAttr* a = n->properties; a; a = a->next) {
        if (!a->name || name != reinterpret_cast<const char*>(a->name)) continue;
        if (a->children && a->children->type == XML_TEXT_NODE && a->children->content && !a->children->next)
            return reinterpret_cast<const char*>(a->children->content);
        return {};
    }
    return {};
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
}

bool has(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

enum Tag : std::uint8_t { TOther, TBlock, TP, THeading, TLi, TCell, TQuote, TPre, TSkip, TA, TBr, TH1 };

Tag tag_of(std::string_view n) {
    switch (n.size()) {
    case 1:
        if (n == "p") return TP;
        if (n == "a") return TA;
        break;
    case 2:
        if (n == "h1") return TH1;
        if (n == "h2" || n == "h3" || n == "h4" || n == "h5" || n == "h6") return THeading;
        if (n == "li" || n == "dt" || n == "dd") return TLi;
        if (n == "td" || n == "th") return TCell;
        if (n == "br") return TBr;
        if (n == "ul" || n == "ol" || n == "dl" || n == "tr" || n == "hr") return TBlock;
        break;
    default:
        if (n == "div" || n == "section" || n == "article" || n == "main" || n == "header" || n == "footer" ||
            n == "aside" || n == "nav" || n == "table" || n == "tbody" || n == "thead" || n == "figure" ||
            n == "figcaption" || n == "form" || n == "center" || n == "address" || n == "fieldset" ||
            n == "caption" || n == "details" || n == "summary" || n == "body" || n == "html" || n == "dialog" ||
            n == "tfoot" || n == "legend" || n == "menu" || n == "hgroup")
            return TBlock;
        if (n == "pre") return TPre;
        if (n == "blockquote") return TQuote;
        if (n == "script" || n == "style" || n == "noscript" || n == "template" || n == "svg" || n == "math" ||
            n == "iframe" || n == "object" || n == "embed" || n == "select" || n == "option" ||
            n == "button" || n == "input" || n == "textarea" || n == "canvas" || n == "video" ||
            n == "audio" || n == "map" || n == "head" || n == "title" || n == "meta" || n == "link" ||
            n == "picture" || n == "source" || n == "label")
            return TSkip;
        break;
    }
    return TOther;
}

// Hints from class, id and role. Whole tokens for short words ("ad", "nav"),
// substrings for distinctive ones ("comment", "sidebar").
struct ClassHints {
    std::uint16_t neg = 0;
    bool positive = false;
    bool hidden = false;
    int weight = 0;   // readability-style class weight
};

// Hints of one class name (or id, or role).
ClassHints name_hints(std::string_view s) {
    ClassHints h;
    // tokens split on non-alphanumerics
    std::vector<std::string_view> toks;
    for (std::size_t i = 0; i < s.size();) {
        while (i < s.size() && !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))) ++i;
        std::size_t j = i;
        while (j < s.size() && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= '0' && s[j] <= '9'))) ++j;
        if (j > i) toks.emplace_back(s.substr(i, j - i));
        i = j;
    }
    auto tok = [&](std::initializer_list<std::string_view> words) {
        for (auto t : toks)
            for (auto w : words)
                if (t == w) return true;
        return false;
    };
    const bool pos = has(s, "article") || has(s, "content") || has(s, "entry") || has(s, "post") ||
                     has(s, "story") || has(s, "body") || tok({"text", "main", "detail", "isi", "news"}) ||
                     has(s, "artikel") || has(s, "berita");
    if (pos) { h.positive = true; h.weight += 25; }
    std::uint16_t neg = 0;
    if (has(s, "comment") || has(s, "disqus") || has(s, "respond") || tok({"reply", "replies", "komentar"}))
        neg |= kHintComment;
    if (has(s, "share") || has(s, "social") || has(s, "sharing") || tok({"sosmed", "follow"}))
        neg |= kHintShare;
    if (has(s, "related") || has(s, "recommend") || has(s, "terkait") || has(s, "readmore") ||
        has(s, "read-more") || has(s, "baca-juga") || has(s, "bacajuga") || has(s, "outbrain") ||
        has(s, "taboola") || has(s, "popular") || has(s, "populer") || has(s, "trending") ||
        tok({"tags", "tag", "taglist", "more", "lainnya", "terbaru", "latest", "topics", "mgid"}))
        neg |= kHintRelated;
    if (has(s, "advert") || has(s, "sponsor") || has(s, "newsletter") || has(s, "subscribe") ||
        tok({"ad", "ads", "adv", "adsense", "adslot", "iklan", "banner", "promo", "dfp", "gpt", "commercial",
             "adunit"}))
        neg |= kHintAd;
    if (has(s, "breadcrumb") || has(s, "pagination") || has(s, "navbar") || has(s, "navigation") ||
        tok({"nav", "menu", "pager", "navigasi"}))
        neg |= kHintNav;
    if (has(s, "footer") || has(s, "copyright")) neg |= kHintFooter;
    if (has(s, "sidebar") || has(s, "widget") || tok({"aside", "rail"})) neg |= kHintAside;
    if (has(s, "masthead") || tok({"header", "topbar"})) neg |= kHintHeader;
    if (has(s, "cookie") || has(s, "popup") || has(s, "modal") || has(s, "login") ||
        has(s, "signin") || has(s, "gdpr") || has(s, "consent") || tok({"search"}))
        neg |= kHintForm;
    // Readability's rule: a name that also says "content", "article"... is
    // not unlikely ("entry-content-read-more"); comments stay comments.
    if (pos) neg &= kHintComment;
    if (neg) h.weight -= 25;
    h.neg = neg;
    if (has(s, "caption") || has(s, "credit") || tok({"figure", "foto", "photo"})) h.neg |= kHintCaption;
    if (has(s, "byline") || has(s, "author") || has(s, "dateline") || tok({"date", "time", "meta"}))
        h.neg |= kHintByline;
    return h;
}

ClassHints class_hints(std::string_view cls, std::string_view id, std::string_view role, std::string_view itemprop) {
    ClassHints h;
    if (cls.empty() && id.empty() && role.empty() && itemprop.empty()) return h;
    const std::string ip = lower(itemprop);
    if (ip == "articlebody" || ip == "text") { h.positive = true; h.weight += 25; }
    std::string s = lower(cls);
    for (char& c : s)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    auto one = [&](std::string_view name) {
        if (name.empty()) return;
        // hidden by a whole class name only ("field-label-hidden" hides a label, not the field)
        for (std::string_view hid : {"hidden", "sr-only", "visually-hidden", "screen-reader-text", "invisible",
                                     "d-none", "hide"})
            if (name == hid) h.hidden = true;
        // Names that describe the page's taxonomy, not the element
        // (WordPress "tag-foo category-bar has-sidebar post-123") say nothing.
        for (std::string_view pre : {"tag-", "tag_", "category-", "format-", "status-", "type-", "has-", "postid-",
                                     "topic-", "vb_", "author-"})
            if (name.substr(0, pre.size()) == pre) return;
        if (name.substr(0, 5) == "post-" && name.size() > 5 && name[5] >= '0' && name[5] <= '9') return;
        const ClassHints n = name_hints(name);
        h.neg |= n.neg;
        h.positive = h.positive || n.positive;
        h.weight += n.weight;
    };
    for (std::size_t i = 0; i < s.size();) {
        while (i < s.size() && s[i] == ' ') ++i;
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ') ++j;
        one(std::string_view(s).substr(i, j - i));
        i = j;
    }
    one(lower(id));
    one(lower(role));
    // "box article modal-enabled": a positive name outweighs weak hints of another
    if (h.positive) h.neg &= static_cast<std::uint16_t>(~(kHintNav | kHintFooter | kHintAside | kHintHeader | kHintForm));
    h.weight = std::clamp(h.weight, -25, 25);
    return h;
}

struct Elem {
    std::int32_t parent = -1;
    std::uint32_t in = 0, out = 0;    // pre-order interval of the subtree
    double score = 0;
    bool scored = false;
    Tag tag = TOther;
    int class_weight = 0;
    std::uint16_t neg = 0;
    bool body_like = false;           // html/body: never a candidate
};

struct Frame {
    std::int32_t elem;
    std::int32_t block_elem;          // nearest block-level element
    std::uint16_t hints;
    std::uint16_t links;              // depth of <a>
    Kind kind;
    bool in_article;
};

struct Walker {
    HtmlPage& page;
    std::vector<Elem> elems;
    std::vector<Frame> stack;
    std::vector<std::int32_t> block_elem_of;  // per block
    // per block: the walk's element counter when it was made; the blocks of an
    // element e are those with a stamp in [e.in + 1, e.out]
    std::vector<std::uint32_t> stamp_of;
    std::string buf;                          // raw text of the open block
    std::uint32_t buf_links = 0;
    std::uint32_t order = 0;

    explicit Walker(HtmlPage& p) : page(p) {}

    void flush() {
        if (buf.empty()) return;
        if (stack.empty()) { buf.clear(); buf_links = 0; return; }
        Block b;
        b.text = tidy_line(buf);
        const std::uint32_t raw_size = static_cast<std::uint32_t>(buf.size());
        buf.clear();
        const std::uint32_t links = buf_links;
        buf_links = 0;
        if (b.text.empty()) return;
        const Frame& f = stack.back();
        b.line = page.blocks.size() + 1;
        b.kind = f.kind;
        b.hints = f.hints;
        // link bytes were counted on raw text; scale to the tidy text
        b.link_bytes = raw_size ? static_cast<std::uint32_t>(
                                      static_cast<double>(links) * b.text.size() / raw_size + 0.5)
                                : 0;
        b.link_bytes = std::min<std::uint32_t>(b.link_bytes, static_cast<std::uint32_t>(b.text.size()));
        page.blocks.push_back(std::move(b));
        block_elem_of.push_back(f.block_elem);
        stamp_of.push_back(order);
    }

    void head_element(const xmlNode* n, std::string_view name) {
        if (name == "title") {
            if (page.title.empty() && n->children) {
                xmlChar* c = xmlNodeGetContent(n);
                if (c) {
                    page.title = tidy_line(reinterpret_cast<const char*>(c));
                    xmlFree(c);
                }
            }
        } else if (name == "meta") {
            const std::string key = lower(!attr(n, "property").empty() ? attr(n, "property")
                                          : !attr(n, "name").empty()   ? attr(n, "name")
                                                                       : attr(n, "itemprop"));
            const std::string_view content = attr(n, "content");
            if (content.empty() || key.empty()) return;
            if ((key == "og:title" || key == "twitter:title") && page.og_title.empty()) page.og_title = tidy_line(content);
            else if ((key == "article:published_time" || key == "og:article:published_time" || key == "pubdate" ||
                      key == "publishdate" || key == "datepublished" || key == "dc.date" ||
                      key == "dcterms.created" || key == "dc.date.issued" || key == "date" ||
                      key == "content_publisheddate" || key == "publish-date" || key == "article.published") &&
                     page.date.empty())
                page.date = parse_date_field(content);
            else if ((key == "author" || key == "article:author" || key == "dc.creator" || key == "content_author") &&
                     page.author.empty() && content.find("://") == std::string_view::npos)
                page.author = tidy_line(content);
            else if (key == "og:site_name" && page.site.empty()) page.site = tidy_line(content);
            else if (key == "og:url" && page.canonical.empty()) page.canonical = tidy_line(content);
        } else if (name == "link") {
            if (lower(attr(n, "rel")) == "canonical" && !attr(n, "href").empty())
                page.canonical = tidy_line(attr(n, "href"));
        } else if (name == "script") {
            if (lower(attr(n, "type")) != "application/ld+json") return;
            xmlChar* c = xmlNodeGetContent(n);
            if (!c) return;
            std::string text = reinterpret_cast<const char*>(c);
            xmlFree(c);
            json_ld(text);
        }
    }

    void json_ld(const std::string& text) {
        json::Value v;
        try {
            v = json::parse(text);
        } catch (const std::exception&) {
            return;
        }
        // Iterative search for an article object (also inside @graph arrays).
        std::vector<const json::Value*> todo{&v};
        int budget = 2000;
        while (!todo.empty() && budget-- > 0) {
            const json::Value* x = todo.back();
            todo.pop_back();
            if (x->type == json::Value::Type::Array) {
                for (const auto& e : x->arr) todo.push_back(&e);
                continue;
            }
            if (x->type != json::Value::Type::Object) continue;
            if (const auto* g = x->find("@graph")) todo.push_back(g);
            const json::Value* t = x->find("@type");
            std::string type = t ? t->text() : "";
            if (t && t->type == json::Value::Type::Array && !t->arr.empty()) type = t->arr[0].text();
            if (!(type == "NewsArticle" || type == "Article" || type == "ReportageNewsArticle" ||
                  type == "BlogPosting" || type == "AnalysisNewsArticle"))
                continue;
            if (const auto* h = x->find("headline"); h && page.ld_headline.empty()) page.ld_headline = tidy_line(h->text());
            if (const auto* d = x->find("datePublished"); d && page.date.empty()) page.date = parse_date_field(d->text());
            if (const auto* a = x->find("author"); a && page.author.empty()) {
                const json::Value* one = a->type == json::Value::Type::Array && !a->arr.empty() ? &a->arr[0] : a;
                if (one->type == json::Value::Type::Object) {
                    if (const auto* nm = one->find("name")) page.author = tidy_line(nm->text());
                } else {
                    page.author = tidy_line(one->text());
                }
            }
            if (const auto* p = x->find("publisher"); p && page.site.empty() && p->type == json::Value::Type::Object)
                if (const auto* nm = p->find("name")) page.site = tidy_line(nm->text());
        }
    }

    // Returns whether to walk the element's children.
    bool enter(const xmlNode* n) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content && !stack.empty()) {
                const std::size_t before = buf.size();
                buf += reinterpret_cast<const char*>(n->content);
                if (stack.back().links) buf_links += static_cast<std::uint32_t>(buf.size() - before);
            }
            return false;
        }
        if (n->type != XML_ELEMENT_NODE) return false;
        const std::string_view name = name_of(n);
        const Tag tag = tag_of(name);
        if (tag == TSkip) {
            head_element(n, name);
            return false;
        }
        if (tag == TBr) {
            buf += ' ';
            return false;
        }
        const std::string_view style = attr(n, "style");
        if (has_attr(n, "hidden") ||
            attr(n, "aria-hidden") == "true" ||
            (!style.empty() && (has(lower(style), "display:none") || has(lower(style), "display: none") ||
                                has(lower(style), "visibility:hidden"))))
            return false;
        if (name == "time" && page.date.empty()) {
            const std::string_view dt = attr(n, "datetime");
            if (!dt.empty()) page.date = parse_date_field(dt);
        }
        const bool is_block = tag != TOther && tag != TA;
        if (is_block) flush();
        Elem e;
        e.parent = stack.empty() ? -1 : stack.back().elem;
        e.in = order++;
        e.tag = tag;
        e.body_like = name == "body" || name == "html";
        Frame f{};
        if (!stack.empty()) f = stack.back();
        else { f.block_elem = -1; f.hints = 0; f.links = 0; f.kind = Kind::Other; f.in_article = false; }
        if (!e.body_like) {
            const ClassHints ch = class_hints(attr(n, "class"), attr(n, "id"), attr(n, "role"), attr(n, "itemprop"));
            if (ch.hidden) return false;
            e.class_weight = ch.weight;
            std::uint16_t neg = ch.neg;
            // structural hints
            if (name == "nav") neg |= kHintNav;
            else if (name == "footer" && !f.in_article) neg |= kHintFooter;
            else if (name == "aside") neg |= kHintAside;
            else if (name == "header" && !f.in_article) neg |= kHintHeader;
            else if (name == "figcaption" || name == "caption") neg |= kHintCaption;
            else if (name == "form") neg &= static_cast<std::uint16_t>(~kHintForm);
            // article and main keep their bylines and captions but not their
            // class hints of the weak kind (a "post" with "has-sidebar" class)
            if (name == "article" || name == "main") {
                f.in_article = true;
                neg &= static_cast<std::uint16_t>(kHintComment | kHintCaption | kHintByline);
            }
            const std::string_view ip = attr(n, "itemprop");
            if (ip == "articleBody") f.in_article = true;
            e.neg = neg;
            f.hints = static_cast<std::uint16_t>(f.hints | neg);
        }
        const std::int32_t idx = static_cast<std::int32_t>(elems.size());
        elems.push_back(e);
        f.elem = idx;
        if (is_block) {
            f.block_elem = idx;
            switch (tag) {
            case TP: f.kind = Kind::Para; break;
            case TH1:
            case THeading: f.kind = Kind::Heading; break;
            case TLi: f.kind = Kind::ListItem; break;
            case TCell: f.kind = Kind::Cell; break;
            case TQuote: f.kind = Kind::Quote; break;
            case TPre: f.kind = Kind::Pre; break;
            default: f.kind = Kind::Other; break;
            }
        }
        if (tag == TA) ++f.links;
        stack.push_back(f);
        if (tag == TH1 && page.h1.empty()) h1_start = page.blocks.size();
        return true;
    }

    std::size_t h1_start = static_cast<std::size_t>(-1);

    bool has_attr(const xmlNode* n, std::string_view name) {
        for (const xmlAttr* a = n->properties; a; a = a->next)
            if (a->name && name == reinterpret_cast<const char*>(a->name)) return true;
        return false;
    }

    void leave(const xmlNode* n) {
        if (n->type != XML_ELEMENT_NODE) return;
        const std::string_view name = name_of(n);
        const Tag tag = tag_of(name);
        if (tag == TSkip || tag == TBr) return;
        if (tag != TOther && tag != TA) flush();
        const Frame f = stack.back();
        stack.pop_back();
        Elem& e = elems[static_cast<std::size_t>(f.elem)];
        e.out = order++;
        if (tag == TH1 && page.h1.empty() && h1_start < page.blocks.size()) {
            std::string h;
            for (std::size_t i = h1_start; i < page.blocks.size(); ++i) {
                if (!h.empty()) h += ' ';
                h += page.blocks[i].text;
            }
            if (std::count(h.begin(), h.end(), ' ') >= 1) page.h1 = h;
            h1_start = static_cast<std::size_t>(-1);
        }
    }
};

// <head> holds only metadata: its children go to head_element, none to blocks.
void scan_head(Walker& w, const xmlNode* head) {
    for (const xmlNode* c = head->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) w.head_element(c, name_of(c));
}

// Hints of wrappers are not trusted: an element holding half of the page's
// text is the page, whatever its class says ("Page-ad-margins"). Effective
// hints flow down from the elements that are small enough to be widgets.
void settle_hints(Walker& w, const std::vector<std::uint64_t>& pre_text,
                  const std::function<std::pair<std::size_t, std::size_t>(const Elem&)>& range) {
    auto& E = w.elems;
    auto& B = w.page.blocks;
    const double total = static_cast<double>(pre_text.back());
    std::vector<std::uint16_t> eff(E.size(), 0);
    for (std::size_t i = 0; i < E.size(); ++i) {   // pre-order: parents first
        const Elem& e = E[i];
        std::uint16_t h = e.parent >= 0 ? eff[static_cast<std::size_t>(e.parent)] : 0;
        if (e.neg) {
            const auto [lo, hi] = range(e);
            const double text = static_cast<double>(pre_text[hi] - pre_text[lo]);
            const bool wrapper = total > 0 && text >= 0.5 * total && (e.neg & kHintNegative) != 0;
            if (!wrapper) h |= e.neg;
        }
        eff[i] = h;
    }
    for (std::size_t i = 0; i < B.size(); ++i) {
        const auto be = w.block_elem_of[i];
        B[i].hints = be >= 0 ? eff[static_cast<std::size_t>(be)] : 0;
    }
    for (auto& e : E) e.neg = 0;
    for (std::size_t i = 0; i < E.size(); ++i) E[i].neg = eff[i];
}

void choose_main(Walker& w) {
    auto& E = w.elems;
    auto& B = w.page.blocks;
    // subtree text sizes per element: add each block's text to its element chain
    // lazily: blocks know their innermost block element; text/links of an
    // element are the sum over blocks inside its interval (prefix sums by order).
    // stamps grow with the blocks, so an element's blocks form one range,
    // found by binary search; prefix sums give its text and link bytes.
    std::vector<std::uint64_t> pre_text(B.size() + 1, 0), pre_links(B.size() + 1, 0);
    for (std::size_t i = 0; i < B.size(); ++i) {
        pre_text[i + 1] = pre_text[i] + B[i].text.size();
        pre_links[i + 1] = pre_links[i] + B[i].link_bytes;
    }
    const auto& stamp = w.stamp_of;
    auto range = [&](const Elem& e) {
        const auto lo = std::lower_bound(stamp.begin(), stamp.end(), e.in + 1) - stamp.begin();
        const auto hi = std::upper_bound(stamp.begin(), stamp.end(), e.out) - stamp.begin();
        return std::pair<std::size_t, std::size_t>(static_cast<std::size_t>(lo), static_cast<std::size_t>(hi));
    };
    settle_hints(w, pre_text, range);
    auto link_density = [&](const Elem& e) {
        const auto [lo, hi] = range(e);
        const double t = static_cast<double>(pre_text[hi] - pre_text[lo]);
        return t > 0 ? static_cast<double>(pre_links[hi] - pre_links[lo]) / t : 0.0;
    };
    auto init = [&](Elem& e) {
        if (e.scored) return;
        e.scored = true;
        switch (e.tag) {
        case TBlock: e.score = 5; break;   // div-like
        case TPre: case TCell: case TQuote: e.score = 3; break;
        case TLi: e.score = -3; break;
        case THeading: case TH1: e.score = -5; break;
        default: break;
        }
        e.score += e.class_weight;
    };
    std::vector<std::int32_t> candidates;
    for (std::size_t i = 0; i < B.size(); ++i) {
        const Block& b = B[i];
        if (b.text.size() < 25 || (b.hints & (kHintComment | kHintShare | kHintRelated | kHintAd | kHintNav))) continue;
        if (b.link_bytes * 2 > b.text.size()) continue;
        std::int32_t p = w.block_elem_of[i];
        if (p < 0) continue;
        std::size_t commas = 0;
        for (char c : b.text) commas += c == ',';
        const double s = 1.0 + static_cast<double>(commas) + std::min(static_cast<double>(b.text.size()) / 100.0, 3.0);
        // the paragraph's own element counts when it is a div holding text
        p = E[static_cast<std::size_t>(p)].tag == TP || E[static_cast<std::size_t>(p)].tag == TLi ||
                    E[static_cast<std::size_t>(p)].tag == THeading
                ? E[static_cast<std::size_t>(p)].parent
                : p;
        for (int level = 0; level < 5 && p >= 0; ++level) {
            Elem& e = E[static_cast<std::size_t>(p)];
            if (e.body_like) break;
            if (!e.scored) candidates.push_back(p);
            init(e);
            e.score += s / (level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0);
            p = e.parent;
        }
    }
    std::int32_t top = -1;
    double top_score = 0;
    for (auto c : candidates) {
        Elem& e = E[static_cast<std::size_t>(c)];
        e.score *= 1.0 - link_density(e);
        if (e.neg & kHintNegative) e.score *= 0.5;
        if (e.score > top_score) { top_score = e.score; top = c; }
    }
    if (top < 0) return;
    // Readability's rule: when the top candidate's parent holds it among
    // other good text, prefer the parent (articles split into several divs).
    std::vector<std::pair<std::uint32_t, std::uint32_t>> chosen;
    const Elem& t = E[static_cast<std::size_t>(top)];
    chosen.emplace_back(t.in, t.out);
    if (t.parent >= 0) {
        const double threshold = std::max(10.0, top_score * 0.2);
        for (auto c : candidates) {
            const Elem& s = E[static_cast<std::size_t>(c)];
            if (c == top || s.parent != t.parent) continue;
            double bonus = 0;
            if (s.class_weight == t.class_weight && t.class_weight > 0) bonus = top_score * 0.2;
            if (s.score + bonus >= threshold) chosen.emplace_back(s.in, s.out);
        }
        // sibling paragraphs that were not candidates themselves
        for (std::size_t i = 0; i < B.size(); ++i) {
            const auto be = w.block_elem_of[i];
            if (be < 0) continue;
            const Elem& s = E[static_cast<std::size_t>(be)];
            if (s.parent != t.parent || be == top || s.tag != TP) continue;
            const Block& b = B[i];
            const double ld = b.text.empty() ? 0 : static_cast<double>(b.link_bytes) / b.text.size();
            const bool ends = !b.text.empty() && b.text.back() == '.';
            if ((b.text.size() > 80 && ld < 0.25) || (b.text.size() <= 80 && ld == 0 && ends))
                chosen.emplace_back(s.in, s.out);
        }
    }
    std::size_t main_text = 0, all_text = 0;
    for (std::size_t i = 0; i < B.size(); ++i) {
        const auto be = w.block_elem_of[i];
        const std::uint32_t o = stamp[i];
        bool inside = false;
        for (const auto& [in, out] : chosen)
            if (be >= 0 && o > in && o <= out) { inside = true; break; }
        B[i].main = inside ? 1 : 0;
        if (B[i].link_bytes * 2 < B[i].text.size()) {
            all_text += B[i].text.size();
            if (inside) main_text += B[i].text.size();
        }
    }
    if (main_text < 150) {
        for (auto& b : B) b.main = -1;
        return;
    }
    w.page.main_found = true;
}

} // namespace

HtmlPage parse_html(std::string_view html) {
    HtmlPage page;
    if (html.size() > static_cast<std::size_t>(INT32_MAX)) html = html.substr(0, INT32_MAX);
    std::unique_ptr<xmlDoc, DocFree> doc(htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
                                                        HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                                            HTML_PARSE_NOWARNING | XML_PARSE_HUGE));
    if (!doc) return page;
    xmlNode* root = xmlDocGetRootElement(doc.get());
    if (!root) return page;
    Walker w(page);
    // Iterative pre-order walk: children, then next sibling, then climb.
    xmlNode* n = root;
    while (true) {
        bool descend;
        if (n->type == XML_ELEMENT_NODE && name_of(n) == "head") {
            scan_head(w, n);
            descend = false;
        } else {
            descend = w.enter(n);
        }
        if (descend && n->children) {
            n = n->children;
            continue;
        }
        if (descend) w.leave(n);
        while (true) {
            if (n == root) goto done;
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
            w.leave(n);
        }
    }
done:
    w.flush();
    choose_main(w);
    return page;
}

} // namespace cari::cleaning
