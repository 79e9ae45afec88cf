// The line classifier of the cleaner: decides, block by block, what is the
// article (title, body) and what is page noise or metadata. Text input gives
// one block a line; HTML input gives one block per block-level element, with
// link density, tag and class hints (html_blocks.h); feeds (JSON Lines) give
// the paragraphs of their text field.
#pragma once

#include "article.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cari {
class TemplateStats;
}

namespace cari::cleaning {

// What the markup around a block says about it (HTML only).
enum Hint : std::uint16_t {
    kHintNav = 1u << 0,       // nav, menu, breadcrumb, pagination
    kHintFooter = 1u << 1,    // footer, copyright
    kHintAside = 1u << 2,     // aside, sidebar, widget
    kHintComment = 1u << 3,   // comments, replies, disqus
    kHintShare = 1u << 4,     // share, social
    kHintRelated = 1u << 5,   // related, recommended, "more stories", tags
    kHintAd = 1u << 6,        // ads, sponsored, promo, newsletter
    kHintCaption = 1u << 7,   // figcaption, caption, credit
    kHintByline = 1u << 8,    // author, byline, dateline
    kHintHeader = 1u << 9,    // page header, masthead
    kHintForm = 1u << 10,     // form controls, login, search
    kHintNegative = kHintNav | kHintFooter | kHintAside | kHintComment | kHintShare | kHintRelated | kHintAd |
                    kHintHeader | kHintForm,
};

enum class Kind : std::uint8_t { Para, Heading, ListItem, Cell, Quote, Pre, Other };

struct Block {
    std::string text;             // tidy text (clean_text.h)
    std::size_t line = 0;         // 1-based line (text) or block number (HTML)
    Kind kind = Kind::Other;
    std::uint32_t link_bytes = 0; // bytes of text inside links (HTML)
    std::uint16_t hints = 0;      // Hint bits (HTML)
    std::int8_t main = -1;        // HTML: 1 inside the main container, 0 outside; -1: not known
};

struct Context {
    const TemplateStats* templates = nullptr;
    bool html = false;
    // Template lines count only in a batch of at least this many documents.
    std::uint32_t min_template_docs = 20;
    // Other spellings of the headline (HTML: <title>, og:title, <h1>); lines
    // equal to one of them are the title, not body.
    std::vector<std::string> titles;
};

// Classifies blocks in order and fills a.paragraphs (body, each paragraph
// once), a.dropped (every removed block with a reason) and those of a.title,
// a.date, a.author, a.source, a.url that are still empty.
void classify(const std::vector<Block>& blocks, const Context& ctx, Article& a);

// Cleans the paragraphs of a feed's text field (already an article): cuts the
// punctuation left over from removed text at their starts, drops related
// links, bylines, ads, duplicates and title repeats, and fills author and
// source from bylines when empty.
void clean_feed_paragraphs(const std::vector<std::string>& paras, const Context& ctx, Article& a);

// How many bytes at the start of a feed paragraph are punctuation left over
// from removed text (", , - , kata", "-,baru", ". Mulai"), with a dateline's
// dash ("- Meski", "-Pusat") counted too when the paragraph starts the body;
// all of a paragraph made of such marks alone; else 0.
[[nodiscard]] std::size_t orphan_punctuation(std::string_view paragraph, bool body_start);

// The same leftovers inside a feed paragraph, tidied: empty parentheses where
// a name was ("Ye Jin Woo (,) mobil" -> "Ye Jin Woo mobil") go, and a run of
// commas, full stops and quotes holding two commas or a comma beside a full
// stop becomes one mark: "melalui,.,meski" -> "melalui, meski", "di DPR, ,."
// at the end -> "di DPR.", "Air.,\",\" tulis" -> "Air,\" tulis" (an attribution
// keeps its closing quote; a quote glued to the next word opens it; a quote
// the paragraph left open closes). Commas alone become a comma; with a full
// stop, a full stop unless a lower-case word follows; at the end, a full stop.
// An ellipsis and numbers stay. Returns false when nothing changes.
[[nodiscard]] bool tidy_cut_punctuation(std::string_view paragraph, std::string& out);

// Splits a feed's text into paragraphs: on newlines, or, for text whose
// scraper joined paragraphs with commas (",Next paragraph", ",," where a link
// was removed), on those commas.
[[nodiscard]] std::vector<std::string> split_feed_text(std::string_view text);

// The boilerplate lexicon: the reason tag a line gets from its words alone
// ("related-link", "ad", "comment", "share", "byline", "source",
// "photo-credit", "font-control", "section-list", "copyright", ...), or "".
[[nodiscard]] std::string_view boilerplate_reason(std::string_view line);

// Template check shared with the feed path: true when line recurs in enough
// documents of a big enough batch.
[[nodiscard]] bool is_template_line(const TemplateStats* t, std::string_view line, std::uint32_t min_docs,
                                    std::size_t words);

// A page title without its site name: of "Headline | Site", "Headline - Site"
// (and –, —, ::, »), the longer part.
[[nodiscard]] std::string strip_title_site(std::string_view title);

} // namespace cari::cleaning
