#include "clean_lines.h"

#include "analyzer.h"
#include "dates.h"
#include "templates.h"
#include "utf8.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

namespace cari::cleaning {

namespace {

// ---------------------------------------------------------------------------
// Small text helpers

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::string lower_ascii(std::string_view s, std::size_t max = std::string::npos) {
    std::string out(s.substr(0, std::min(max, s.size())));
    for (char& c : out) c = lower(c);
    return out;
}

bool starts_with_word(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size() || s.substr(0, prefix.size()) != prefix) return false;
    if (s.size() == prefix.size()) return true;
    const char n = s[prefix.size()];
    const char last = prefix.back();
    if (!((last >= 'a' && last <= 'z') || (last >= '0' && last <= '9'))) return true;
    return !((n >= 'a' && n <= 'z') || (n >= '0' && n <= '9'));
}

// The line with leading and trailing punctuation and spaces cut, lower-cased.
std::string core_lower(std::string_view s) {
    std::size_t b = 0, e = s.size();
    auto junk = [](char c) {
        return c == ' ' || c == ':' || c == '|' || c == '-' || c == '.' || c == '>' || c == '<' || c == '"' ||
               c == '\'' || c == '[' || c == ']' || c == '(' || c == ')' || c == '*' || c == '#' || c == '/';
    };
    while (b < e && junk(s[b])) ++b;
    while (e > b && junk(s[e - 1])) --e;
    return lower_ascii(s.substr(b, e - b));
}

// English function words (Cari's own short list) so that pages in English
// get a fair stop-word density too.
bool is_english_stopword(std::string_view w) {
    static const std::unordered_set<std::string_view> words = {
        "the", "a", "an", "of", "to", "in", "and", "or", "but", "is", "are", "was", "were", "be", "been",
        "being", "has", "have", "had", "it", "its", "that", "this", "these", "those", "for", "on", "with",
        "as", "at", "by", "from", "he", "she", "they", "we", "you", "i", "his", "her", "their", "our", "not",
        "no", "will", "would", "can", "could", "should", "may", "might", "which", "who", "what", "when",
        "where", "how", "there", "than", "then", "so", "if", "about", "into", "after", "over", "also", "more",
        "said", "up", "out", "all", "one", "do", "does", "did", "just", "like", "some", "only", "other",
        "because", "while", "them", "him", "my", "me", "your", "any", "such", "most", "very", "been", "s",
    };
    return words.count(w) != 0;
}

bool is_upper_start(char32_t c) {
    return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7);
}

bool is_word_char(char32_t c) {
    if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (c >= 0xA0 && c <= 0xBF) return false;            // Latin-1 symbols
    if (c == 0xD7 || c == 0xF7) return false;
    if (c >= 0x2000 && c <= 0x2BFF) return false;        // punctuation, arrows, symbols
    if (c >= 0x3000 && c <= 0x303F) return false;
    return true;
}

// ---------------------------------------------------------------------------
// Features of one line

struct Features {
    std::uint32_t chars = 0;     // code points
    std::uint32_t words = 0;
    std::uint32_t alpha_words = 0;
    std::uint32_t stop = 0;
    std::uint32_t caps = 0;      // alphabetic words starting with a capital
    std::uint32_t commas = 0;
    std::uint32_t sentences = 0; // sentence ends inside the line
    bool end_punct = false;      // ends like a sentence
    bool url = false;
    bool only_symbols = false;
    double stop_density = 0;
    double cap_share = 0;
};

Features features(std::string_view s) {
    Features f;
    std::string w;
    bool upper = false, alpha = false;
    auto flush = [&] {
        if (w.empty()) return;
        ++f.words;
        if (alpha) {
            ++f.alpha_words;
            if (upper) ++f.caps;
            if (w.size() <= 12 && (is_stopword(w) || is_english_stopword(w))) ++f.stop;
        }
        w.clear();
        alpha = false;
    };
    char32_t prev = ' ';
    std::uint32_t cjk = 0;  // Chinese and Japanese characters: words are not spaced
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = 1;
        char32_t c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) c = utf8::decode(s, i, len);
        ++f.chars;
        if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)) ++cjk;
        if (is_word_char(c)) {
            if (w.empty()) upper = is_upper_start(c);
            if (!(c >= '0' && c <= '9')) alpha = true;
            if (c < 0x80) w += lower(static_cast<char>(c));
            else w.append(s.substr(i, len));
        } else {
            // "U.S." and "Rp1,5" stay one word: '.' or ',' between letters/digits
            const bool inner = (c == '.' || c == ',' || c == '\'' || c == 0x2019) && !w.empty() &&
                               i + len < s.size() && s[i + len] != ' ';
            if (!inner) flush();
            else w += static_cast<char>(c < 0x80 ? c : '\'');
            if (c == ',') ++f.commas;
            if ((c == '.' || c == '!' || c == '?') && i + 1 < s.size() && s[i + 1] == ' ' && prev != ' ') ++f.sentences;
        }
        prev = c;
        i += len;
    }
    flush();
    f.url = s.find("http://") != std::string_view::npos || s.find("https://") != std::string_view::npos ||
            s.find("www.") != std::string_view::npos;
    f.only_symbols = f.words == 0;
    // Ends like a sentence: . ! ? … : possibly followed by closing quotes/brackets.
    std::size_t e = s.size();
    while (e > 0) {
        const unsigned char b = static_cast<unsigned char>(s[e - 1]);
        if (b == '"' || b == '\'' || b == ')' || b == ']' || b == ' ') { --e; continue; }
        if (e >= 3 && s.substr(e - 3, 3) == "\xE2\x80\x9D") { e -= 3; continue; }  // ”
        if (e >= 3 && s.substr(e - 3, 3) == "\xE2\x80\x99") { e -= 3; continue; }  // ’
        break;
    }
    if (e > 0) {
        const char c = s[e - 1];
        f.end_punct = c == '.' || c == '!' || c == '?' || (e >= 3 && s.substr(e - 3, 3) == "\xE2\x80\xA6");
    }
    if (e >= 3) {
        const std::string_view last = s.substr(e - 3, 3);
        if (last == "\xE3\x80\x82" || last == "\xEF\xBC\x81" || last == "\xEF\xBC\x9F") f.end_punct = true;  // 。！？
    }
    if (f.end_punct) ++f.sentences;
    f.stop_density = f.alpha_words ? static_cast<double>(f.stop) / f.alpha_words : 0.0;
    f.cap_share = f.alpha_words ? static_cast<double>(f.caps) / f.alpha_words : 0.0;
    if (cjk >= 10 && cjk * 10 >= f.chars * 3) {
        // about two characters a word; function words cannot be counted,
        // so the density is taken as that of ordinary prose
        f.words = std::max(f.words, cjk / 2);
        f.alpha_words = std::max(f.alpha_words, cjk / 2);
        f.stop_density = 0.2;
        f.cap_share = 0.1;
    }
    return f;
}

// ---------------------------------------------------------------------------
// The boilerplate lexicon (Indonesian and English page furniture)

struct Entry {
    std::string_view text;
    std::string_view reason;
};

// Lines that start with these words are noise whatever follows.
constexpr Entry kPrefixes[] = {
    {"baca juga", "related-link"}, {"baca pula", "related-link"}, {"simak juga", "related-link"},
    {"lihat juga", "related-link"}, {"tonton juga", "related-link"}, {"saksikan juga", "related-link"},
    {"simak video", "related-link"}, {"saksikan video", "related-link"}, {"tonton video", "related-link"},
    {"artikel terkait", "related-link"}, {"berita terkait", "related-link"}, {"baca selengkapnya", "related-link"},
    {"baca berita", "related-link"}, {"simak berita", "related-link"}, {"klik di sini", "related-link"},
    {"klik disini", "related-link"}, {"read more", "related-link"}, {"read also", "related-link"},
    {"also read", "related-link"}, {"see also", "related-link"}, {"related:", "related-link"},
    {"recommended:", "related-link"}, {"you may also like", "related-link"}, {"you might also like", "related-link"},
    {"more from", "related-link"}, {"related articles", "related-link"}, {"related stories", "related-link"},
    {"tinggalkan komentar", "comment"}, {"tinggalkan balasan", "comment"}, {"tulis komentar", "comment"},
    {"kirim komentar", "comment"}, {"your email address will not be published", "comment"},
    {"alamat email anda tidak akan dipublikasikan", "comment"}, {"required fields are marked", "comment"},
    {"leave a reply", "comment"}, {"leave a comment", "comment"}, {"post a comment", "comment"},
    {"add a comment", "comment"}, {"join the conversation", "comment"}, {"show comments", "comment"},
    {"lihat komentar", "comment"}, {"komentar anda", "comment"},
    {"pengaturan font", "font-control"}, {"ukuran font", "font-control"}, {"ukuran teks", "font-control"},
    {"font size", "font-control"}, {"scroll to continue", "ad"}, {"scroll untuk melanjutkan", "ad"},
    {"advertisement", "ad"}, {"sponsored content", "ad"}, {"konten bersponsor", "ad"},
    {"copyright", "copyright"}, {"hak cipta", "copyright"}, {"all rights reserved", "copyright"},
    {"ketik untuk mencari", "search-box"}, {"type to search", "search-box"}, {"download aplikasi", "app-promo"},
    {"unduh aplikasi", "app-promo"},
    // calls to action that close Indonesian news pages
    {"dapatkan update", "promo"}, {"dapatkan berita", "promo"}, {"dapatkan informasi", "promo"},
    {"ikuti berita", "promo"}, {"ikuti kami", "promo"}, {"ikuti juga", "promo"}, {"ikuti update", "promo"},
    {"ikuti terus", "promo"}, {"mari bergabung", "promo"}, {"gabung di grup", "promo"},
    {"simak breaking news", "promo"}, {"follow us", "promo"},
    {"follow akun", "promo"}, {"download", "app-promo"}, {"subscribe to", "newsletter"},
    {"sign up for", "newsletter"}, {"artikel ini telah tayang", "syndication"},
    {"artikel ini sudah tayang", "syndication"}, {"berita ini telah tayang", "syndication"},
    {"tulisan ini telah tayang", "syndication"}, {"artikel ini telah terbit", "syndication"},
    {"disclaimer", "disclaimer"}, {"halaman selanjutnya", "navigation"}, {"halaman berikutnya", "navigation"},
    {"next page", "navigation"}, {"lihat foto", "photo-credit"}, {"lihat video", "related-link"},
    {"tonton:", "related-link"}, {"watch:", "related-link"}, {"listen to this article", "audio"},
    {"dengarkan berita", "audio"}, {"dengarkan artikel", "audio"}, {"video pilihan", "related-link"},
    {"simak video pilihan", "related-link"}, {"tonton video pilihan", "related-link"},
    {"saksikan live streaming", "promo"}, {"baca artikel", "related-link"},
};

// Field labels: "Label : value" lines are metadata.
constexpr Entry kLabels[] = {
    {"redaktur", "byline"}, {"editor", "byline"}, {"penulis", "byline"}, {"reporter", "byline"},
    {"pewarta", "byline"}, {"laporan", "byline"}, {"wartawan", "byline"}, {"penyunting", "byline"},
    {"kontributor", "byline"}, {"fotografer", "byline"}, {"writer", "byline"}, {"author", "byline"},
    {"rep", "byline"}, {"red", "byline"},
    {"written by", "byline"}, {"posted by", "byline"}, {"oleh", "byline"}, {"by", "byline"},
    {"sumber", "source"}, {"source", "source"}, {"foto", "photo-credit"}, {"photo", "photo-credit"},
    {"ilustrasi", "photo-credit"}, {"gambar", "photo-credit"}, {"image", "photo-credit"},
    {"dok", "photo-credit"}, {"dokumentasi", "photo-credit"}, {"credit", "photo-credit"},
    {"kredit", "photo-credit"}, {"sumber foto", "photo-credit"}, {"keterangan foto", "photo-credit"},
    {"tags", "tags"}, {"tag", "tags"}, {"topik", "tags"}, {"kata kunci", "tags"}, {"keywords", "tags"},
    {"diterbitkan", "date"}, {"dipublikasikan", "date"}, {"diperbarui", "date"}, {"published", "date"},
};

// Whole lines (after cutting punctuation) that are page furniture.
const std::unordered_map<std::string_view, std::string_view>& whole_lines() {
    static const std::unordered_map<std::string_view, std::string_view> m = {
        {"advertisement", "ad"}, {"advertisment", "ad"}, {"iklan", "ad"}, {"ads", "ad"}, {"ad", "ad"},
        {"sponsored", "ad"}, {"promoted", "ad"}, {"paid content", "ad"}, {"adv", "ad"},
        {"komentar", "comment"}, {"comments", "comment"}, {"comment", "comment"}, {"balas", "comment"},
        {"reply", "comment"}, {"populer", "headline-list"}, {"terpopuler", "headline-list"},
        {"update", "headline-list"}, {"berita lainnya", "headline-list"}, {"berita terkini", "headline-list"},
        {"terkini", "headline-list"}, {"terbaru", "headline-list"}, {"berita terbaru", "headline-list"},
        {"rekomendasi", "headline-list"}, {"pilihan editor", "headline-list"}, {"editor's picks", "headline-list"},
        {"editors' picks", "headline-list"}, {"most popular", "headline-list"}, {"most read", "headline-list"},
        {"trending", "headline-list"}, {"trending now", "headline-list"}, {"selengkapnya", "headline-list"},
        {"lihat semua", "headline-list"}, {"lihat selengkapnya", "headline-list"}, {"load more", "headline-list"},
        {"muat lebih banyak", "headline-list"}, {"berita populer", "headline-list"}, {"related", "headline-list"},
        {"top", "navigation"}, {"menu", "navigation"}, {"home", "navigation"}, {"beranda", "navigation"},
        {"indeks", "navigation"}, {"index", "navigation"}, {"next", "navigation"}, {"previous", "navigation"},
        {"sebelumnya", "navigation"}, {"selanjutnya", "navigation"}, {"berikutnya", "navigation"},
        {"kembali", "navigation"}, {"back to top", "navigation"}, {"kembali ke atas", "navigation"},
        {"loading", "navigation"}, {"memuat", "navigation"}, {"search", "search-box"}, {"cari", "search-box"},
        {"login", "account"}, {"masuk", "account"}, {"daftar", "account"}, {"register", "account"},
        {"sign in", "account"}, {"sign up", "account"}, {"log in", "account"}, {"log out", "account"},
        {"keluar", "account"}, {"subscribe", "newsletter"}, {"newsletter", "newsletter"},
        {"berlangganan", "newsletter"}, {"share", "share"}, {"bagikan", "share"}, {"tweet", "share"},
        {"share this", "share"}, {"share this article", "share"}, {"bagikan artikel", "share"},
        {"print", "share"}, {"cetak", "share"}, {"email", "share"}, {"salin tautan", "share"},
        {"copy link", "share"}, {"copy link urlcopied!", "share"}, {"privacy policy", "footer"}, {"kebijakan privasi", "footer"},
        {"terms of use", "footer"}, {"syarat dan ketentuan", "footer"}, {"pedoman media siber", "footer"},
        {"tentang kami", "footer"}, {"about us", "footer"}, {"kontak", "footer"}, {"contact us", "footer"},
        {"hubungi kami", "footer"}, {"redaksi", "footer"}, {"karir", "footer"}, {"disclaimer", "footer"},
        {"sitemap", "footer"}, {"rss", "footer"}, {"follow us", "share"}, {"ikuti kami", "share"},
        {"trending news", "headline-list"}, {"more news", "headline-list"}, {"latest news", "headline-list"},
        {"top stories", "headline-list"}, {"more stories", "headline-list"}, {"related stories", "headline-list"},
        {"recommended", "headline-list"}, {"recommended for you", "headline-list"}, {"most viewed", "headline-list"},
        {"popular now", "headline-list"}, {"don't miss", "headline-list"}, {"around the web", "headline-list"},
        {"from the web", "headline-list"}, {"sponsored stories", "ad"}, {"berita pilihan", "headline-list"},
        {"berita rekomendasi", "headline-list"}, {"artikel lainnya", "headline-list"}, {"baca lainnya", "headline-list"},
        {"videos", "headline-list"}, {"latest", "headline-list"}, {"you may like", "headline-list"},
        {"read next", "headline-list"}, {"up next", "headline-list"}, {"more on this story", "headline-list"},
        {"related content", "headline-list"}, {"related posts", "headline-list"}, {"related topics", "headline-list"},
        {"responses", "comment"}, {"discussion", "comment"}, {"conversation", "comment"},
        {"komentar pembaca", "comment"}, {"diskusi", "comment"},
    };
    return m;
}

// Words of share bars: a short line made of these is a share bar.
bool is_social_word(std::string_view w) {
    static const std::unordered_set<std::string_view> words = {
        "facebook", "twitter", "whatsapp", "telegram", "linkedin", "pinterest", "email", "e", "mail",
        "share", "bagikan", "tweet", "print", "cetak", "copy", "link", "salin", "tautan", "reddit",
        "messenger", "instagram", "youtube", "tiktok", "line", "google", "flipboard", "pocket", "x", "fb", "wa",
        "follow", "ikuti", "kami", "us", "on", "di", "this", "article", "artikel", "berita", "ini", "via",
    };
    return words.count(w) != 0;
}

bool is_agency(std::string_view lower_name) {
    static const std::unordered_set<std::string_view> names = {
        "antara", "reuters", "afp", "ap", "anadolu", "xinhua", "bernama", "bloomberg", "kyodo", "yonhap",
        "sputnik", "tass", "aa", "anadolu agency", "antaranews", "antara news",
    };
    return names.count(lower_name) != 0;
}

std::string tidy_value(std::string_view v) {
    std::size_t b = 0, e = v.size();
    while (b < e && (v[b] == ' ' || v[b] == ':' || v[b] == '-' || v[b] == '|')) ++b;
    while (e > b && (v[e - 1] == ' ' || v[e - 1] == '.' || v[e - 1] == ',' || v[e - 1] == '|')) --e;
    return std::string(v.substr(b, e - b));
}

// "Label : value" at the start of s (label from kLabels): the reason and
// where the value starts, or an empty reason.
struct LabelHit {
    std::string_view reason;
    std::string_view label;
    std::size_t value = 0;
};

LabelHit label_of(std::string_view s, const std::string& low) {
    if (low.empty()) return {};
    for (const auto& [text, reason] : kLabels) {
        if (text[0] != low[0] || !starts_with_word(low, text)) continue;
        std::size_t i = text.size();
        while (i < s.size() && s[i] == ' ') ++i;
        if (text == "dok" && i < s.size() && s[i] == '.') ++i;
        // "Foto - caption" but not "Foto-foto itu ..."
        const bool sep = i < s.size() && (s[i] == ':' || s[i] == '|' || s[i] == '/' || s[i] == '(' ||
                                          (s[i] == '-' && i > text.size()) || (s[i] == '.' && text == "dok"));
        const bool by = (text == "by" || text == "oleh" || text == "written by" || text == "posted by");
        // "Penulis Yudha Pratama | Editor Bagas Wicaksono": a staff label and a capitalised name
        const bool bare = !sep && i > text.size() && i < s.size() && s[i] >= 'A' && s[i] <= 'Z' &&
                          (text == "penulis" || text == "editor" || text == "reporter" || text == "pewarta" ||
                           text == "redaktur" || text == "wartawan" || text == "penyunting" ||
                           text == "kontributor") &&
                          s.size() < 80 && s.find(". ") == std::string_view::npos;
        if (sep || by || bare) {
            if (sep && s[i] != '(') ++i;
            if (text == "rep" || text == "red") {
                if (!sep) return {};   // "Red" alone is a word, "Rep:" a label
            }
            while (i < s.size() && s[i] == ' ') ++i;
            return {reason, text, i};
        }
    }
    return {};
}

std::string host_of(std::string_view url) {
    auto p = url.find("://");
    std::string_view h = p == std::string_view::npos ? url : url.substr(p + 3);
    h = h.substr(0, h.find_first_of("/?# "));
    if (h.substr(0, 4) == "www.") h.remove_prefix(4);
    return std::string(h);
}

// "SARAH MEILIANA GUNAWAN" -> "Sarah Meiliana Gunawan"; names in mixed case stay.
std::string name_case(std::string v) {
    bool lower_seen = false;
    for (char c : v) lower_seen = lower_seen || (c >= 'a' && c <= 'z');
    if (lower_seen) return v;
    bool start = true;
    for (char& c : v) {
        if (c >= 'A' && c <= 'Z' && !start) c = static_cast<char>(c + 32);
        start = c == ' ' || c == '-' || c == '\'';
    }
    return v;
}

// "Riyan Saputro - detikJateng": a name, a dash, and the site (one token with
// an inner capital or a dot).
bool name_site_byline(std::string_view s, std::string& name, std::string& site) {
    if (s.size() > 70) return false;
    const auto dash = s.find(" - ");
    if (dash == std::string_view::npos || dash == 0) return false;
    const std::string_view n = s.substr(0, dash), t = s.substr(dash + 3);
    if (t.empty() || t.find(' ') != std::string_view::npos) return false;
    bool inner_cap = false, dot = false;
    for (std::size_t i = 1; i < t.size(); ++i) {
        inner_cap = inner_cap || (t[i] >= 'A' && t[i] <= 'Z' && t[i - 1] >= 'a' && t[i - 1] <= 'z');
        dot = dot || t[i] == '.';
    }
    if (!inner_cap && !dot) return false;
    // the name: two to four capitalised words, no digits
    std::size_t words = 0;
    bool cap = true;
    for (std::size_t i = 0; i < n.size(); ++i) {
        if (n[i] >= '0' && n[i] <= '9') return false;
        if (i == 0 || n[i - 1] == ' ') {
            ++words;
            cap = cap && n[i] >= 'A' && n[i] <= 'Z';
        }
    }
    if (words < 2 || words > 4 || !cap) return false;
    name = std::string(n);
    site = std::string(t);
    return true;
}

} // namespace

// "7 hours ago", "2 days ago at 07:52 am", "5 menit lalu", "1H ago", "32M ago"
// (the rest after the leading number, lower-cased).
static bool is_relative_time(std::string_view rest) {
    std::size_t i = 0;
    while (i < rest.size() && rest[i] >= 'a' && rest[i] <= 'z') ++i;
    const std::string_view unit = rest.substr(0, i);
    static const std::unordered_set<std::string_view> units = {
        "s", "m", "h", "d", "w", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "hr",
        "hrs", "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years", "detik",
        "menit", "jam", "hari", "minggu", "pekan", "bulan", "tahun"};
    if (!units.count(unit)) return false;
    while (i < rest.size() && rest[i] == ' ') ++i;
    const std::string_view tail = rest.substr(i);
    return starts_with_word(tail, "ago") || starts_with_word(tail, "lalu") || starts_with_word(tail, "yang lalu");
}

// The lexicon's prefixes by their first letter, so a line is compared only
// with the few that can match.
static const std::array<std::vector<const Entry*>, 256>& prefixes_by_first() {
    static const auto table = [] {
        std::array<std::vector<const Entry*>, 256> t;
        for (const auto& e : kPrefixes) t[static_cast<unsigned char>(e.text[0])].push_back(&e);
        return t;
    }();
    return table;
}

// A photo caption ends with its credit: "... Senin (12/12/2022). ANTARA/Muhammad
// Rizal Fahmi", "...(KOMPAS.com/YUDHA PRATAMA)", "ANTARA FOTO/Reza Mahendra/tom."
static bool ends_with_credit(std::string_view s) {
    if (s.size() < 40 || s.size() > 700 || s.find("://") != std::string_view::npos ||
        s.find("www.") != std::string_view::npos)
        return false;
    const std::size_t from = s.size() > 90 ? s.size() - 90 : 0;
    for (std::size_t k = s.find('/', from); k != std::string_view::npos; k = s.find('/', k + 1)) {
        std::size_t b = k;
        while (b > 0 && s[b - 1] != ' ' && s[b - 1] != '(' && s[b - 1] != '.') --b;
        // include a ".com"-style tail: "Beritasatu.com/"
        std::size_t b2 = k;
        while (b2 > 0 && s[b2 - 1] != ' ' && s[b2 - 1] != '(') --b2;
        const std::string_view tok = s.substr(b, k - b), tok2 = s.substr(b2, k - b2);
        if (tok2.find(')') != std::string_view::npos) continue;  // "(RIM)/RIM Syariah" is prose
        std::size_t upper = 0;
        for (char c : tok) upper += c >= 'A' && c <= 'Z';
        const bool agency = (upper >= 3 && upper * 2 >= tok.size()) || tok2.find(".com") != std::string_view::npos ||
                            tok2.find(".co") != std::string_view::npos;
        if (!agency) continue;
        // after the credit: a name, no more sentences
        const std::string_view rest = s.substr(k + 1);
        if (rest.find(". ") != std::string_view::npos || rest.size() > 60) continue;
        std::size_t letters = 0;
        for (char c : rest) letters += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (letters < 3) continue;  // "(AUTS/K)." is an abbreviation
        // and the credit starts a segment: after ". ", "(", ": " or "FOTO"
        const std::string_view before = s.substr(0, b2);
        if (before.empty()) return false;
        const char p = before.back();
        if (p == '(' || p == ' ') {
            std::string_view t = before;
            while (!t.empty() && (t.back() == ' ' || t.back() == '(')) t.remove_suffix(1);
            // "FOTO: PAKUAN UPDATE/GILANG": the credit may be several words in capitals
            for (int w = 0; w < 3 && !t.empty(); ++w) {
                std::size_t j = t.size();
                while (j > 0 && t[j - 1] >= 'A' && t[j - 1] <= 'Z') --j;
                if (j == t.size() || t.size() - j < 2 || (j > 0 && t[j - 1] != ' ')) break;
                if (t.substr(j) == "FOTO") break;
                t = t.substr(0, j);
                while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
            }
            if (t.empty()) return false;
            const char q = t.back();
            if (q == '.' || q == ')' || q == ':' || t.ends_with("FOTO") || t.ends_with("Foto") || p == '(') return true;
        }
    }
    return false;
}

std::string_view boilerplate_reason(std::string_view s) {
    if (s.empty()) return "blank";
    const std::string low = lower_ascii(s, 96);
    for (const Entry* e : prefixes_by_first()[static_cast<unsigned char>(low[0])])
        if (starts_with_word(low, e->text)) return e->reason;
    if (low.find("pengaturan font") != std::string::npos || low.find("ukuran font") != std::string::npos ||
        low.find("font size") != std::string::npos)
        return "font-control";
    if (low.size() < 60) {
        const std::string core = core_lower(s);
        if (core.empty()) return "symbols";
        const auto& w = whole_lines();
        if (auto it = w.find(core); it != w.end()) return it->second;
        // "12 Comments", "0 komentar"
        std::size_t d = 0;
        while (d < core.size() && core[d] >= '0' && core[d] <= '9') ++d;
        if (d > 0 && d < core.size() && core[d] == ' ') {
            const std::string_view rest = std::string_view(core).substr(d + 1);
            if (rest == "comments" || rest == "comment" || rest == "komentar" || rest == "shares" ||
                rest == "views" || rest == "dilihat" || rest == "kali dibaca" || rest == "responses" ||
                rest == "replies" || rest == "balasan" || rest == "tanggapan")
                return "comment";
            if (is_relative_time(rest)) return "date";
        }
    }
    {
        // "34 responses to “Title”", "12 thoughts on “Title”", "5 komentar untuk ..."
        std::size_t d = 0;
        while (d < low.size() && low[d] >= '0' && low[d] <= '9') ++d;
        if (d > 0 && d + 1 < low.size() && low[d] == ' ') {
            const std::string_view rest = std::string_view(low).substr(d + 1);
            for (std::string_view w : {"responses to", "thoughts on", "comments on", "replies to", "komentar untuk",
                                       "tanggapan untuk", "comments", "komentar"})
                if (starts_with_word(rest, w)) return "comment";
        }
        if (low.find("(opens in new window)") != std::string::npos || starts_with_word(low, "click to share") ||
            starts_with_word(low, "click to email") || starts_with_word(low, "click to print"))
            return "share";
        if (low.size() < 40 && (low.ends_with(" says:") || low.ends_with(" said:") || low.ends_with(" berkata:") ||
                                low.ends_with(" menulis:")))
            return "comment";
        if (starts_with_word(low, "rating") && low.find("votes") != std::string::npos && low.size() < 40)
            return "comment";
    }
    if (starts_with_word(low, "ilustrasi") || starts_with_word(low, "arsip foto")) return "caption";
    if (ends_with_credit(s)) return "caption";
    {
        std::string n, t;
        if (name_site_byline(s, n, t)) return "byline";
    }
    if (auto hit = label_of(s, lower_ascii(s, 40)); !hit.reason.empty()) {
        // "Foto: <a long description>" is a caption
        if (hit.reason == "photo-credit" && (hit.label == "foto" || hit.label == "photo") && features(s).words > 12)
            return "caption";
        // "Oleh ..." and "By ..." only as short bylines, not sentences.
        if (hit.label == "by" || hit.label == "oleh" || hit.label == "foto" || hit.label == "photo" ||
            hit.label == "image" || hit.label == "gambar" || hit.label == "ilustrasi" || hit.label == "source" ||
            hit.label == "sumber") {
            const Features f = features(s);
            const bool source = hit.label == "sumber" || hit.label == "source";
            if ((f.words > 12 && !(source && f.url)) || (f.words > 6 && f.end_punct && !source)) return {};
        }
        return hit.reason;
    }
    // Pagination: "Halaman 1 2 3 Selanjutnya", "1 2 3 Next", "Page 2 of 5"
    if (low.size() < 60) {
        bool any_number = false, other = false;
        std::string w;
        auto check = [&] {
            if (w.empty()) return;
            bool digits = true;
            for (char c : w) digits = digits && c >= '0' && c <= '9';
            if (digits) any_number = true;
            else if (!(w == "halaman" || w == "selanjutnya" || w == "sebelumnya" || w == "berikutnya" ||
                       w == "next" || w == "prev" || w == "previous" || w == "page" || w == "of" || w == "dari" ||
                       w == "hal" || w == "lanjut" || w == "first" || w == "last" || w == "pertama" ||
                       w == "terakhir"))
                other = true;
            w.clear();
        };
        for (char c : low) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) w += c;
            else check();
        }
        check();
        if (any_number && !other) return "navigation";
    }
    // Breadcrumbs: "Home > Nasional > Politik", "Berita » Dunia"
    if (s.size() < 160) {
        std::size_t seps = 0;
        for (std::string_view sep : {" > ", " \xC2\xBB ", " \xE2\x80\xBA ", " / "}) {
            for (std::size_t k = s.find(sep); k != std::string_view::npos; k = s.find(sep, k + 1)) ++seps;
        }
        if (seps >= 2 && features(s).words <= 3 * (seps + 1)) return "breadcrumb";
    }
    // Photo credits: "Menteri ... Lavrov/Net", "(ANTARA FOTO/...)", "REUTERS/Name"
    if (low.size() < 96 && s.size() < 200) {
        const std::string all = lower_ascii(s);
        const auto ends = [&](std::string_view t) {
            return all.size() >= t.size() && all.compare(all.size() - t.size(), t.size(), t) == 0;
        };
        if (ends("/net") || ends("/istimewa") || ends("(istimewa)") || ends("/ist") || ends("/dok") ||
            all.find("antara foto/") != std::string::npos || all.find("getty images") != std::string::npos ||
            all.find("shutterstock") != std::string::npos || all.find("ap photo/") != std::string::npos ||
            all.find("reuters/") != std::string::npos || all.find("afp/") != std::string::npos ||
            all.find("photo credit") != std::string::npos)
            return "photo-credit";
        // an agency or site in capitals right before a slash: "KOMPAS.com/Fitria", "DOK. HUMAS/ANTARA"
        if (features(s).words <= 10) {
            for (std::size_t k = s.find('/'); k != std::string_view::npos && k >= 3; k = s.find('/', k + 1)) {
                std::size_t b = k;
                while (b > 0 && s[b - 1] != ' ' && s[b - 1] != '(') --b;
                std::size_t upper = 0;
                for (std::size_t q = b; q < k; ++q) upper += s[q] >= 'A' && s[q] <= 'Z';
                const std::string_view tok = s.substr(b, k - b);
                // ("Menteri PPN/Bappenas: Suharso Monoarfa" is a list of offices, not a credit)
                if (upper >= 3 && (upper * 2 >= tok.size() || tok.find(".com") != std::string_view::npos) &&
                    tok.find("://") == std::string_view::npos && s.find(':', k) == std::string_view::npos)
                    return "photo-credit";
            }
        }
    }
    return {};
}

bool is_template_line(const TemplateStats* t, std::string_view line, std::uint32_t min_docs, std::size_t words) {
    if (!t || t->documents() < min_docs) return false;
    const std::uint32_t n = t->count(TemplateStats::fingerprint(line));
    const std::uint32_t docs = t->documents();
    // Recurring in many documents; a long paragraph must recur in a good share
    // of the batch (syndicated articles repeat a few times, templates everywhere).
    const std::uint32_t need = std::max<std::uint32_t>(5, docs / 100);
    if (n < need) return false;
    return words < 25 || n * 5 >= docs;
}

namespace {

enum class Cls : std::uint8_t { Bad, Short, Near, Good };

struct Line {
    const Block* b;
    Features f;
    Cls cls = Cls::Short;
    std::string_view reason;  // for Bad
    double value = 0;         // contribution to the body region
    bool date_line = false;
    DateMatch date;
    bool dup = false;         // repeats an earlier line
    bool title = false;
    std::uint64_t fp = 0;
    std::uint32_t repeats = 0;
};

// Keyword lines: "id Berita hari ini, berita riau terbaru, berita riau antara, Rusia"
bool is_keyword_list(const Features& f) {
    if (f.commas < 3 || f.end_punct || f.words > 60) return false;
    const double per = static_cast<double>(f.words) / (f.commas + 1);
    return per <= 4.0 && f.stop_density < 0.2;
}

// Menus: many capitalised words, no function words, no sentence.
bool is_menu(std::string_view s, const Features& f) {
    if (!(f.words >= 10 && f.cap_share >= 0.85 && f.stop_density <= 0.1 && !f.end_punct && f.commas == 0)) return false;
    // a headline in Title Case has a colon, a quote, a score or a number; a menu has none
    for (char c : s)
        if (c == ':' || c == '"' || c == '?' || c == '!' || (c >= '0' && c <= '9')) return false;
    return true;
}

bool is_share_bar(std::string_view s, const Features& f) {
    if (f.words == 0 || f.words > 12) return false;
    std::size_t social = 0, total = 0;
    std::string w;
    auto flush = [&] {
        if (w.empty()) return;
        ++total;
        if (is_social_word(w)) ++social;
        w.clear();
    };
    for (char c : s) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) w += lower(c);
        else flush();
    }
    flush();
    return total > 0 && social * 10 >= total * 8 && social >= 2;
}

// Date/time lines: "Selasa, 07 Mei 2024 | 21:33", "KAMIS, 06 MEI 2021 | 10:12 WIB | LAPORAN: X"
bool is_date_line(std::string_view s, const Features& f, DateMatch& m) {
    if (s.size() > 200 || f.words > 24) return false;
    m = find_date(s);
    if (m.iso.empty()) return false;
    const Features in = features(s.substr(m.begin, m.end - m.begin));
    std::uint32_t rest = f.words > in.words ? f.words - in.words : 0;
    // day names and zones outside the span do not count
    std::string w;
    std::uint32_t skip = 0;
    auto flush = [&] {
        if (!w.empty() && (is_day_name(w) || w == "wib" || w == "wita" || w == "wit" || w == "pukul")) ++skip;
        w.clear();
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i == m.begin) { flush(); i = m.end; if (i >= s.size()) break; }
        const char c = s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\'') w += lower(c);
        else flush();
    }
    flush();
    rest = rest > skip ? rest - skip : 0;
    return rest <= 6 && !(f.end_punct && rest > 3);
}

// Lines worth this little (comment boxes) are barriers: the body never runs
// across them. Headline lists only weigh heavily: related boxes also sit
// inside articles.
constexpr double kBarrier = -6.0;

// Max-sum run of values over [from, to): returns best sum and bounds.
double best_run(const std::vector<Line>& L, std::size_t from, std::size_t to, std::size_t& s, std::size_t& e) {
    double best = 0, cur = 0;
    std::size_t cs = from;
    s = e = from;
    for (std::size_t i = from; i < to; ++i) {
        // a comment box or a headline list ends whatever came before it
        if (L[i].value <= kBarrier) { cur = 0; cs = i + 1; continue; }
        if (cur <= 0) { cur = 0; cs = i; }
        cur += L[i].value;
        if (cur > best) { best = cur; s = cs; e = i + 1; }
    }
    return best;
}


void take_byline(std::string_view s, std::string_view label, std::size_t value_at, Article& a) {
    std::string v = tidy_value(s.substr(std::min(value_at, s.size())));
    // "... | LAPORAN: NAME" kept only the name
    if (auto bar = v.find(" | "); bar != std::string::npos) v = tidy_value(std::string_view(v).substr(0, bar));
    if (v.empty() || v.size() > 80) return;
    const std::string lv = lower_ascii(v);
    if (label == "sumber" || label == "source") {
        if (v.find("://") != std::string::npos || v.rfind("www.", 0) == 0) {
            if (a.url.empty()) a.url = v.substr(0, v.find(' '));
            if (a.source.empty()) a.source = host_of(v);
        } else if (a.source.empty()) {
            a.source = v;
        }
        return;
    }
    if (label == "redaktur" || label == "editor" || label == "penyunting" || label == "red") return;  // editors are not authors
    // "Fikri Ramadhan/ Red: Kurnia Sandi", "Nadia Permatasari / JAS": the name ends at the slash
    if (auto slash = v.find('/'); slash != std::string::npos) v = tidy_value(std::string_view(v).substr(0, slash));
    if (v.empty()) return;
    if (is_agency(lower_ascii(v))) {
        if (a.source.empty()) a.source = v;
        return;
    }
    if (a.author.empty()) a.author = name_case(v);
}

// "Istanbul (ANTARA) - ..." / "REPUBLIKA.CO.ID, ISTANBUL -- ..." / "JAKARTA, KOMPAS.com -"
std::string dateline_source(std::string_view s) {
    const std::string_view head = s.substr(0, std::min<std::size_t>(s.size(), 80));
    const auto open = head.find('(');
    const auto close = head.find(')');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open + 1 && open < 40) {
        std::string_view in = head.substr(open + 1, close - open - 1);
        std::size_t k = close + 1;
        while (k < head.size() && head[k] == ' ') ++k;
        const bool dash = k < head.size() && (head[k] == '-' || head.substr(k, 3) == "\xE2\x80\x93" ||
                                              head.substr(k, 3) == "\xE2\x80\x94");
        bool caps = !in.empty();
        for (char c : in) caps = caps && ((c >= 'A' && c <= 'Z') || c == ' ' || c == '.' || c == '/');
        if (dash && caps && in.size() <= 20) return std::string(in);
    }
    // an upper-case domain at the start or after "CITY, "
    for (std::size_t i = 0; i < head.size() && i < 40;) {
        std::size_t j = i;
        while (j < head.size() && ((head[j] >= 'A' && head[j] <= 'Z') || (head[j] >= '0' && head[j] <= '9') ||
                                   head[j] == '.' || (head[j] >= 'a' && head[j] <= 'z')))
            ++j;
        std::string_view tok = head.substr(i, j - i);
        while (!tok.empty() && tok.back() == '.') tok.remove_suffix(1);
        const std::string lt = lower_ascii(tok);
        if (tok.size() > 4 && (lt.ends_with(".co.id") || lt.ends_with(".com") || lt.ends_with(".id") ||
                               lt.ends_with(".net") || lt.ends_with(".co")))
            return std::string(tok);
        i = j + 1;
    }
    // "Jakarta, CNN Indonesia -- ...": the outlet between the city and the dash
    const auto comma = head.find(", ");
    if (comma != std::string_view::npos && comma > 0 && comma < 25) {
        const std::string_view rest = head.substr(comma + 2);
        std::size_t dash = std::string_view::npos;
        for (std::string_view d : {" -- ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 "})
            dash = std::min(dash, rest.find(d));
        if (dash != std::string_view::npos && dash >= 2 && dash <= 30) {
            const std::string_view cand = rest.substr(0, dash);
            bool ok = cand[0] >= 'A' && cand[0] <= 'Z';
            std::size_t words = 1;
            for (std::size_t k = 0; k < cand.size(); ++k) {
                if (cand[k] >= '0' && cand[k] <= '9') ok = false;
                if (cand[k] == ' ') {
                    ++words;
                    ok = ok && k + 1 < cand.size() && cand[k + 1] >= 'A' && cand[k + 1] <= 'Z';
                }
            }
            if (ok && words <= 3 && !month_number(cand.substr(0, cand.find(' ')))) return std::string(cand);
        }
    }
    return {};
}

} // namespace

void classify(const std::vector<Block>& blocks, const Context& ctx, Article& a) {
    std::vector<Line> L;
    L.reserve(blocks.size());
    std::unordered_map<std::uint64_t, std::uint32_t> counts;
    for (const auto& b : blocks) {
        if (b.text.empty()) continue;
        Line l;
        l.b = &b;
        l.fp = TemplateStats::fingerprint(b.text);
        ++counts[l.fp];
        L.push_back(std::move(l));
    }
    const bool have_main = std::any_of(L.begin(), L.end(), [](const Line& l) { return l.b->main == 1; });

    // 1. Each line on its own. Function words are counted with Indonesian
    //    and English lists; a page in another language has hardly any, and
    //    then their density says nothing.
    std::uint64_t doc_stop = 0, doc_words = 0;
    for (auto& l : L) {
        l.f = features(l.b->text);
        l.repeats = counts[l.fp];
        if (l.f.words >= 10) {
            doc_stop += l.f.stop;
            doc_words += l.f.alpha_words;
        }
    }
    const double min_stop = doc_words >= 50 && doc_stop * 20 < doc_words ? 0.0 : 0.08;
    for (auto& l : L) {
        const std::string_view s = l.b->text;
        const Features& f = l.f;
        std::string_view reason = boilerplate_reason(s);
        if (reason.empty() && is_template_line(ctx.templates, s, ctx.min_template_docs, f.words)) reason = "template";
        if (reason.empty() && f.only_symbols) reason = "symbols";
        if (reason.empty() && is_date_line(s, f, l.date)) {
            l.date_line = true;
            reason = "date";
        }
        if (reason.empty() && f.url && f.words <= 12 && !f.end_punct) reason = "url";
        if (reason.empty() && is_keyword_list(f)) reason = "keywords";
        if (reason.empty() && is_menu(s, f)) reason = "menu";
        if (reason.empty() && is_share_bar(s, f)) reason = "share";
        if (reason.empty() && ctx.html) {
            const auto h = l.b->hints;
            const double ld = s.empty() ? 0.0 : static_cast<double>(l.b->link_bytes) / s.size();
            if (h & kHintComment) reason = "comment";
            else if (h & kHintShare) reason = "share";
            else if (h & kHintAd) reason = "ad";
            else if (h & kHintRelated) reason = "related-link";
            else if (h & kHintNav) reason = "navigation";
            else if (h & kHintFooter) reason = "footer";
            else if (h & kHintForm) reason = "form";
            else if ((h & kHintAside) && !(l.b->main == 1)) reason = "sidebar";
            else if ((h & kHintHeader) && !(l.b->main == 1)) reason = "header";
            else if (ld > 0.5 && f.words < 40) reason = "links";
            else if (ld > 0.3 && f.words < 12) reason = "links";
        }
        if (!reason.empty()) {
            l.cls = Cls::Bad;
            l.reason = reason;
            if (reason == "comment") l.value = kBarrier;
            else if (reason == "headline-list" || (reason == "related-link" && f.words <= 3)) l.value = -3.0;
            else if (reason == "ad" || reason == "symbols") l.value = -0.5;  // ad slots sit inside articles
            else if (reason == "date") l.value = -1.0;
            else l.value = -1.5;
            continue;
        }
        const bool good = f.words >= 12 && f.stop_density >= min_stop && (f.end_punct || f.words >= 25) &&
                          f.cap_share < 0.8;
        const bool near = f.words >= 7 && (f.stop_density >= min_stop || f.end_punct) && f.cap_share < 0.9;
        // a teaser cut short ("... and then…") is not the article's own paragraph
        const bool cut = s.ends_with("...") || s.ends_with("\xE2\x80\xA6") || s.ends_with("[...]");
        if (good && !cut) {
            l.cls = Cls::Good;
            l.value = 1.0 + std::min<double>(f.words, 80) / 20.0;
        } else if (near) {
            l.cls = Cls::Near;
            l.value = 0.3;
        } else {
            l.cls = Cls::Short;
            l.value = f.words <= 1 ? -0.8 : -0.5;
        }
        if (ctx.html) {
            const double ld = s.empty() ? 0.0 : static_cast<double>(l.b->link_bytes) / s.size();
            if (ld > 0.25 && l.cls == Cls::Good) { l.cls = Cls::Near; l.value = 0.3; }
            if (l.b->hints & kHintCaption) { l.cls = Cls::Short; l.value = -0.5; }
            // list items of the article (a product's features, steps) read
            // like prose in short pieces
            else if (l.cls == Cls::Short && l.b->main == 1 && l.b->kind == Kind::ListItem && ld < 0.3 && f.words >= 2) {
                l.cls = Cls::Near;
                l.value = 0.1;
            }
        }
    }
    // Lines that belong to the line before them: the headline under a bare
    // "Baca juga:" (no blank line between), and the caption above a
    // "Foto: AGENCY/Name" credit.
    for (std::size_t i = 0; i + 1 < L.size(); ++i) {
        Line& n = L[i + 1];
        if (L[i].reason == "related-link" && L[i].f.words <= 3 && n.b->line == L[i].b->line + 1 &&
            n.cls != Cls::Bad && n.cls != Cls::Good && !n.f.end_punct) {
            n.cls = Cls::Bad;
            n.reason = "related-link";
            n.value = -1.5;
        }
        if (n.reason == "photo-credit" && L[i].cls != Cls::Bad && L[i].f.words <= 60) {
            const std::string_view t = L[i].b->text;
            const bool marker = t.find("(kiri)") != std::string_view::npos ||
                                t.find("(kanan)") != std::string_view::npos ||
                                t.find("(tengah)") != std::string_view::npos ||
                                t.find("(ki-ka)") != std::string_view::npos;
            // or it ends with the day in brackets: "..., Ahad (17/12/2023)."
            const bool dated = t.size() > 12 && t.ends_with(").") && t.find('/', t.size() - 12) != std::string_view::npos;
            if (marker || dated) {
                L[i].cls = Cls::Bad;
                L[i].reason = "caption";
                L[i].value = -0.5;
            }
        }
    }

    if (ctx.html && have_main) {
        for (auto& l : L) {
            if (l.b->main == 1) l.value += (l.cls == Cls::Bad ? 0.0 : 0.6);
            else l.value -= 3.0;
        }
    }

    // 2. Repeats of a line that reads as content weigh nothing (it will be
    //    kept once); a repeat of a teaser or menu line is judged on its own,
    //    since the first copy may be the one that goes.
    {
        std::unordered_map<std::uint64_t, Cls> first;
        for (auto& l : L) {
            auto [it, fresh] = first.emplace(l.fp, l.cls);
            if (!fresh && (it->second == Cls::Good || it->second == Cls::Near)) {
                l.dup = true;
                l.value = 0;
            }
        }
    }

    // 3. The title: a headline-shaped line right before the body. The body
    //    is found first (the title weighs little either way); the headline is
    //    the line nearest above it that reads like one, and a line that the
    //    page's <title> (a first line "Headline | Site") repeats wins.
    std::uint64_t title_fp = 0;
    if (!a.title.empty()) {
        title_fp = TemplateStats::fingerprint(a.title);
    } else {
        std::size_t s0 = 0, e0 = 0;
        best_run(L, 0, L.size(), s0, e0);
        std::size_t body_start = L.size();
        for (std::size_t i = s0; i < e0; ++i)
            if (L[i].cls == Cls::Good) { body_start = i; break; }
        if (body_start == L.size()) body_start = std::min<std::size_t>(L.size(), 30);
        std::uint64_t page_title_fp = 0;
        if (!L.empty()) {
            const std::string first = strip_title_site(L[0].b->text);
            if (first.size() < L[0].b->text.size()) page_title_fp = TemplateStats::fingerprint(first);
        }
        double best = -1;
        std::size_t pick = L.size();
        for (std::size_t i = 0; i < body_start; ++i) {
            const Line& l = L[i];
            const Features& f = l.f;
            if (l.cls == Cls::Bad || f.words < 3 || f.words > 30 || f.chars > 250) continue;
            const std::string_view s = l.b->text;
            if (s.back() == ':' || (s.back() == '.' && s.size() > 1 && s[s.size() - 2] != '.')) continue;
            double score = f.cap_share;
            if (f.words >= 5 && f.words <= 20) score += 0.3;
            if (l.repeats > 1) score += 0.15;
            const std::size_t dist = body_start - i;
            if (dist <= 3) score += 0.4;
            else if (dist <= 8) score += 0.2;
            if (page_title_fp && l.fp == page_title_fp && i > 0) score += 1.0;
            if (s.find(" | ") != std::string_view::npos) score -= 0.3;
            if (score > best) { best = score; pick = i; }
        }
        // The page's own <title> repeated as a line (its headline) beats
        // everything, wherever it stands.
        if (page_title_fp) {
            for (std::size_t i = 1; i < L.size() && i < 400; ++i)
                if (L[i].fp == page_title_fp && L[i].cls != Cls::Bad) { pick = i; break; }
        }
        if (pick < L.size()) {
            a.title = strip_title_site(L[pick].b->text);
            title_fp = L[pick].fp;
        }
    }
    if (title_fp) {
        std::unordered_set<std::uint64_t> fps{title_fp, TemplateStats::fingerprint(strip_title_site(a.title))};
        for (const auto& t : ctx.titles) fps.insert(TemplateStats::fingerprint(t));
        for (auto& l : L)
            if (fps.count(l.fp)) {
                l.title = true;
                l.value = 0;
            }
        // The article follows its headline: content right under the last
        // copy of the title before the body weighs more than teasers elsewhere.
        if (!(ctx.html && have_main)) {
            constexpr double bonus = 1.0;
            std::size_t t = L.size();
            for (std::size_t i = 0; i < L.size(); ++i)
                if (L[i].title) { t = i; if (i + 1 < L.size() && L[i + 1].cls == Cls::Good) break; }
            for (std::size_t i = t + 1, seen = 0; t < L.size() && i < L.size() && seen < 15; ++i, ++seen)
                if (L[i].cls == Cls::Good || L[i].cls == Cls::Near) L[i].value += bonus;
        }
    }

    // 4. The body region: the run of lines with the largest summed value;
    //    a second run joins when it is strong and not cut off by a comment
    //    box or a headline list.
    std::vector<char> in(L.size(), 0);
    std::size_t rs = 0, re = 0;
    const double best = best_run(L, 0, L.size(), rs, re);
    for (std::size_t i = rs; i < re; ++i) in[i] = 1;
    if (best > 0) {
        // A run joins across a headline list or related box only when it is
        // about as strong as the body (an article split by a "Most read"
        // box); never across a comment box.
        auto hard_stop = [&](std::size_t from, std::size_t to, double strength) {
            for (std::size_t i = from; i < to; ++i) {
                if (L[i].value <= kBarrier) return true;
                if (L[i].value <= -3.0 && strength < 0.5 * best) return true;
            }
            return false;
        };
        for (int round = 0; round < 2; ++round) {
            std::size_t s1, e1, s2, e2;
            const double before = best_run(L, 0, rs, s1, e1);
            const double after = best_run(L, re, L.size(), s2, e2);
            bool grew = false;
            if (before >= std::max(2.0, 0.2 * best) && !hard_stop(e1, rs, before)) {
                for (std::size_t i = s1; i < e1; ++i) in[i] = 1;
                rs = s1;
                grew = true;
            }
            if (after >= std::max(2.0, 0.2 * best) && !hard_stop(re, s2, after)) {
                for (std::size_t i = s2; i < e2; ++i) in[i] = 1;
                re = e2;
                grew = true;
            }
            if (!grew) break;
        }
    }

    // 5. Decide each line; short lines by their neighbours in the region.
    auto content = [&](std::size_t i) { return L[i].cls == Cls::Good || L[i].cls == Cls::Near; };
    auto neighbour = [&](std::size_t i, int dir) -> int {
        // class of the nearest non-short, non-duplicate line: 1 content, 0 bad/none
        for (std::size_t k = i;;) {
            if (dir < 0) { if (k == 0) return 0; --k; }
            else { if (k + 1 >= L.size()) return 0; ++k; }
            if (L[k].dup || L[k].title) continue;
            if (L[k].cls == Cls::Short) continue;
            return content(k) && in[k] ? 1 : 0;
        }
    };
    std::vector<std::uint32_t> short_run(L.size(), 0);
    for (std::size_t i = 0; i < L.size();) {
        if (L[i].cls != Cls::Short) { ++i; continue; }
        std::size_t j = i;
        while (j < L.size() && (L[j].cls == Cls::Short || L[j].dup)) ++j;
        for (std::size_t k = i; k < j; ++k) short_run[k] = static_cast<std::uint32_t>(j - i);
        i = j;
    }
    std::unordered_set<std::uint64_t> body_seen;
    std::size_t body_first = L.size();
    for (std::size_t i = 0; i < L.size(); ++i) {
        Line& l = L[i];
        const std::string_view s = l.b->text;
        std::string_view drop;
        if (l.title) drop = "title";
        else if (l.dup) drop = "duplicate";
        else if (l.cls == Cls::Bad) drop = l.reason;
        else if (!in[i]) drop = ctx.html && have_main && l.b->main == 0 ? "outside-main" : "outside-body";
        else if (l.cls == Cls::Short) {
            // a short line between content is a subheading; a run of short
            // lines is a list of names or links, not the article
            const bool keep = l.f.words >= 2 && short_run[i] <= 3 && neighbour(i, -1) && neighbour(i, +1);
            const bool heading_in_main = ctx.html && l.b->main == 1 && l.b->kind == Kind::Heading && neighbour(i, +1);
            if (!keep && !heading_in_main) drop = "short";
        }
        if (drop.empty() && !body_seen.insert(l.fp).second) drop = "duplicate";
        if (!drop.empty()) {
            a.dropped.push_back({l.b->line, std::string(s), std::string(drop)});
            continue;
        }
        if (body_first == L.size()) body_first = i;
        a.paragraphs.emplace_back(s);
    }

    // 6. Metadata from the lines around the body.
    if (a.date.empty()) {
        // The date of the article is in its header, next to the title, not
        // in the lists of other headlines before or after it.
        const std::size_t header_end = body_first == L.size() ? std::min<std::size_t>(L.size(), 12) : body_first;
        std::size_t title_at = header_end;
        for (std::size_t i = 0; i < header_end; ++i)
            if (L[i].title) { title_at = i; break; }
        std::size_t best_i = L.size(), best_d = L.size() + 1;
        for (std::size_t i = 0; i < header_end; ++i) {
            if (!L[i].date_line) continue;
            const std::size_t d = i > title_at ? i - title_at : title_at - i;
            if (d < best_d || (d == best_d && i > title_at)) { best_d = d; best_i = i; }  // under the title wins ties
        }
        for (std::size_t i = header_end; best_i == L.size() && i < L.size(); ++i)
            if (L[i].date_line && in[i]) best_i = i;
        if (best_i < L.size()) a.date = L[best_i].date.iso;
    }
    for (std::size_t i = 0; i < L.size(); ++i) {
        const Line& l = L[i];
        if (l.cls != Cls::Bad) continue;
        if (!(l.reason == "byline" || l.reason == "source" || l.reason == "date")) continue;
        if (!in[i] && i > re + 3 && i >= body_first) continue;   // far after the body: other articles
        const std::string_view s = l.b->text;
        if (std::string n, t; name_site_byline(s, n, t)) {
            if (a.author.empty()) a.author = n;
            if (a.source.empty()) a.source = t;
            continue;
        }
        // a byline may sit in a date line: "... | LAPORAN: NAME"
        const std::string low = lower_ascii(s);
        std::size_t at = 0;
        std::string_view seg = s;
        while (true) {
            const std::string seg_low = lower_ascii(seg, 40);
            if (auto hit = label_of(seg, seg_low); !hit.reason.empty() && hit.reason != "photo-credit" &&
                                                   hit.reason != "tags" && hit.reason != "date")
                take_byline(seg, hit.label, hit.value, a);
            const auto bar = low.find('|', at);
            if (bar == std::string::npos) break;
            at = bar + 1;
            seg = s.substr(at);
            while (!seg.empty() && seg.front() == ' ') seg.remove_prefix(1);
        }
    }
    if (a.source.empty() && !a.paragraphs.empty()) {
        for (std::size_t i = 0; i < a.paragraphs.size() && i < 3 && a.source.empty(); ++i)
            a.source = dateline_source(a.paragraphs[i]);
    }
}

// ---------------------------------------------------------------------------
// Feeds

std::vector<std::string> split_feed_text(std::string_view t) {
    std::vector<std::string> out;
    if (t.find('\n') != std::string_view::npos) {
        std::size_t b = 0;
        while (b <= t.size()) {
            std::size_t e = t.find('\n', b);
            if (e == std::string_view::npos) e = t.size();
            out.emplace_back(t.substr(b, e - b));
            b = e + 1;
        }
        return out;
    }
    // Comma-joined paragraphs: a comma glued to what follows, after a sentence
    // end or before a capital, quote or another comma, separates paragraphs;
    // a comma glued between two lower-case letters stood for a removed link.
    auto is_upper = [](unsigned char c) { return c >= 'A' && c <= 'Z'; };
    auto is_lower = [](unsigned char c) { return c >= 'a' && c <= 'z'; };
    auto is_digit = [](unsigned char c) { return c >= '0' && c <= '9'; };
    std::size_t joins = 0;
    for (std::size_t i = 1; i + 1 < t.size(); ++i)
        if (t[i] == ',' && (t[i - 1] == '.' || t[i - 1] == '"' || t[i - 1] == ',') && t[i + 1] != ' ') ++joins;
    if (joins == 0) {
        out.emplace_back(t);
        return out;
    }
    std::string cur;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const char c = t[i];
        if (c != ',') {
            const std::size_t next = std::min(t.find(',', i), t.size());
            cur.append(t.data() + i, next - i);
            i = next - 1;
            continue;
        }
        const unsigned char prev = i ? static_cast<unsigned char>(t[i - 1]) : ' ';
        const unsigned char next = i + 1 < t.size() ? static_cast<unsigned char>(t[i + 1]) : ' ';
        if (next == ' ' || (is_digit(prev) && is_digit(next))) { cur += c; continue; }
        // a closing quote after the comma ("...," katanya) is not a new
        // paragraph, nor after commas where a link was cut ("di,," sambungnya):
        // those are one comma
        std::size_t q = i + 1;
        while (q < t.size() && t[q] == ',') ++q;
        const std::size_t qlen = q < t.size() && t[q] == '"' ? 1
                                 : (t.substr(q, 3) == "\xE2\x80\x9D" || t.substr(q, 3) == "\xE2\x80\x99") ? 3
                                                                                                     : 0;
        const bool spoken = q + qlen >= t.size() || t[q + qlen] == ' ';  // the quote, then "katanya"
        if (qlen && (spoken || (q == i + 1 && (t[q + qlen] == ',' || t[q + qlen] == '.')))) {
            cur += c;
            i = q - 1;
            continue;
        }
        const bool sentence_end = prev == '.' || prev == '!' || prev == '?' || prev == '"' || prev == ')' ||
                                  prev == ',' || prev >= 0x80;
        if (next == ',' || i + 1 == t.size() || is_upper(next) || next == '"' || next == '#' || next == '(' ||
            next == '[' || next >= 0x80 || next == '-' || (is_digit(next) && !is_digit(prev)) ||
            (sentence_end && !is_lower(next))) {
            out.push_back(std::move(cur));
            cur.clear();
            continue;
        }
        // "membuat,khawatir": a link's text was cut here
        cur += (is_lower(prev) || is_digit(prev)) && is_lower(next) ? ' ' : c;
    }
    out.push_back(std::move(cur));
    return out;
}

// In clickid, names and links were cut out of the text and the commas and
// dashes around them stayed (", , - , mengirim bantuan", "-,baru saja").
// A run of spaces, commas, dashes, full stops and quotes is cut when it holds
// a comma, or a lone full stop before a space (". Mulai dari"; not an
// ellipsis, "... Ah"). At the start of the body, dashes before a space or a
// capital are cut too: the dateline's dash after a removed place or site name
// ("- Meski sempat", "-Pusat Studi").
std::size_t orphan_punctuation(std::string_view p, bool body_start) {
    std::size_t i = 0, run = 0, quote = std::string_view::npos;
    bool comma = false, dash = false;
    while (i < p.size()) {
        const std::string_view rest = p.substr(i);
        std::size_t len = 0;
        bool is_quote = false;
        if (rest[0] == ' ' || rest[0] == '.') len = 1;
        else if (rest[0] == ',') len = 1, comma = true;
        else if (rest[0] == '-') len = 1, dash = true;
        else if (rest.starts_with("\xE2\x80\x93") || rest.starts_with("\xE2\x80\x94")) len = 3, dash = true;
        else if (rest[0] == '"') len = 1, is_quote = true;
        else if (rest.starts_with("\xE2\x80\x9C") || rest.starts_with("\xE2\x80\x9D")) len = 3, is_quote = true;
        else break;
        if (rest[0] != ' ') quote = is_quote ? i : std::string_view::npos; // the last mark's, if a quote
        i += len;
        if (rest[0] != ' ') run = i; // the run ends at its last mark
    }
    if (i == p.size()) return i; // a paragraph of marks alone goes whole
    const std::string_view marks = p.substr(0, run);
    const bool stop = marks.find('.') != std::string_view::npos;
    // ",tidak menemui", "-,baru saja", "\",\" tulis akun" (a quote whose words
    // were cut), but not the opening quote of the words that follow (", \"Kami")
    if (comma) return quote != std::string_view::npos && run == i ? quote : i;
    if (quote != std::string_view::npos) return 0;
    if (p[run] == ' ' && stop) return marks.find("..") == std::string_view::npos ? i : 0;
    // a dateline's dash: before a space or glued to a capital ("-Pusat
    // Studi"), not to a word's end ("-nya")
    const bool capital = p[run] >= 'A' && p[run] <= 'Z';
    return body_start && dash && !stop && (p[run] == ' ' || capital) ? i : 0;
}

namespace {

// The length of a comma, full stop or quote mark at s's start (ASCII or the
// curly quotes), else 0; *quote tells which.
std::size_t cut_mark(std::string_view s, bool* quote) {
    *quote = false;
    if (s.empty()) return 0;
    if (s[0] == ',' || s[0] == '.') return 1;
    *quote = true;
    if (s[0] == '"') return 1;
    if (s.starts_with("\xE2\x80\x9C") || s.starts_with("\xE2\x80\x9D")) return 3;
    *quote = false;
    return 0;
}

// Where the ')' of parentheses at p[open] holding marks alone ("(,)",
// "( ,)", "(, ,)") is, else 0.
std::size_t empty_parentheses(std::string_view p, std::size_t open) {
    std::size_t j = open + 1;
    bool mark = false;
    for (; j < p.size() && (p[j] == ' ' || p[j] == ',' || p[j] == '.' || p[j] == ';'); ++j) mark = mark || p[j] != ' ';
    return mark && j < p.size() && p[j] == ')' ? j : 0;
}

} // namespace

bool tidy_cut_punctuation(std::string_view p, std::string& out) {
    // Most paragraphs have nothing to tidy: find a comma beside a comma or a
    // full stop (quotes and spaces between), or parentheses around marks alone.
    bool any = false;
    std::size_t comma = p.find(','), paren = p.find('(');  // (memchr: the loop visits these only)
    for (std::size_t i = std::min(comma, paren); i < p.size() && !any; i = std::min(comma, paren)) {
        if (i == comma) comma = p.find(',', i + 1);
        else paren = p.find('(', i + 1);
        // (the common comma: between words, "kata, lain" or "1,5")
        if (p[i] == ',' && i > 0 && std::isalnum(static_cast<unsigned char>(p[i - 1])) && i + 2 < p.size() &&
            (std::isalnum(static_cast<unsigned char>(p[i + 1])) ||
             (p[i + 1] == ' ' && std::isalnum(static_cast<unsigned char>(p[i + 2])))))
            continue;
        if (p[i] == '(') {
            any = empty_parentheses(p, i) != 0;
        } else if (p[i] == ',') {
            std::size_t j = i + 1;
            bool q = false;
            while (j < p.size() && j - i < 8 && (p[j] == ' ' || (cut_mark(p.substr(j), &q) && q)))
                j += p[j] == ' ' ? 1 : cut_mark(p.substr(j), &q);
            any = j < p.size() && (p[j] == ',' || p[j] == '.');
            std::size_t b = i;  // (a closing quote's bytes are skipped roughly: the pass below decides)
            while (b > 0 && i - b < 8 && (p[b - 1] == ' ' || p[b - 1] == '"' || static_cast<unsigned char>(p[b - 1]) >= 0x80)) --b;
            if (!any && b > 0 && (p[b - 1] == '.' || p[b - 1] == ',')) any = true;
        }
    }
    if (!any) return false;
    auto word_char = [](unsigned char c) { return std::isalnum(c) || c >= 0x80; };
    auto trim_back = [](std::string& s) {
        while (!s.empty() && s.back() == ' ') s.pop_back();
    };
    // First the parentheses, as their marks may join a run ("sekitar , ( ,). Nama").
    std::string bare;
    bare.reserve(p.size());
    for (std::size_t i = 0; i < p.size();) {
        if (p[i] == '(') {
            if (const std::size_t j = empty_parentheses(p, i)) {
                trim_back(bare);
                i = j + 1;
                if (i < p.size() && word_char(static_cast<unsigned char>(p[i])) && !bare.empty()) bare += ' ';
                continue;
            }
        }
        bare += p[i++];
    }
    const std::string_view v = bare;
    out.clear();
    out.reserve(v.size());
    std::size_t counted = 0, straight = 0, curly_open = 0, curly_close = 0;  // quotes in out[0, counted)
    for (std::size_t i = 0; i < v.size();) {
        bool quote = false;
        if (!cut_mark(v.substr(i), &quote)) {
            out += v[i++];
            continue;
        }
        // The run of marks (and spaces between them) from i to e.
        std::size_t e = i, commas = 0, last_quote = 0, last_quote_len = 0;  // (the run's last quote mark)
        bool stop = false, ellipsis = false, ends_quote = false;
        for (std::size_t k = i; k < v.size();) {
            if (v[k] == ' ') {
                ++k;
                continue;
            }
            const std::size_t len = cut_mark(v.substr(k), &quote);
            if (!len) break;
            commas += v[k] == ',';
            if (v[k] == '.') {
                ellipsis = ellipsis || (k > 0 && v[k - 1] == '.');
                stop = true;
            }
            ends_quote = quote;
            if (quote) last_quote = k, last_quote_len = len;
            k += len;
            e = k;
        }
        if (ellipsis || !(commas >= 2 || (commas && stop))) {
            out.append(v.substr(i, e - i));
            i = e;
            continue;
        }
        std::size_t w = e;
        while (w < v.size() && v[w] == ' ') ++w;
        const bool lower_next = w < v.size() && v[w] >= 'a' && v[w] <= 'z';
        // A quote the text has opened and not closed yet ("... terbuka.\",Selain")?
        // (counted on from where the last run left off: linear in the paragraph)
        for (; counted < out.size(); ++counted) {
            straight += out[counted] == '"';
            if (std::string_view(out).substr(counted, 3) == "\xE2\x80\x9C") ++curly_open;
            if (std::string_view(out).substr(counted, 3) == "\xE2\x80\x9D") ++curly_close;
        }
        const bool open = straight % 2 == 1 || curly_open > curly_close;
        trim_back(out);
        counted = std::min(counted, out.size());  // (only spaces went)
        // commas alone stay a comma ("Sekolah, , Tinggi"); with a full stop,
        // a full stop unless a lower-case word follows; at the end, a full stop
        out += w == v.size() || (stop && !lower_next) ? '.' : ',';
        bool glued = false;
        if (ends_quote && w == e) {
            out += ' ';  // "(19/9)., \"Kami ...", "air.,\"Nggak": the opening quote of the words that follow
            out.append(v.substr(last_quote, last_quote_len));
            glued = true;
        } else if (last_quote_len && open) {
            out += straight % 2 == 1 ? "\"" : "\xE2\x80\x9D";  // it closes here
        } else if (ends_quote && lower_next && w > e) {
            out += '"';  // "... Air.,\",\" tulis Angela": the attribution keeps its quote
        }
        if (!glued && e < v.size() && word_char(static_cast<unsigned char>(v[e]))) out += ' ';
        i = e;
    }
    trim_back(out);
    out.erase(0, std::min(out.find_first_not_of(' '), out.size()));
    return out != p;
}

void clean_feed_paragraphs(const std::vector<std::string>& paras, const Context& ctx, Article& a) {
    // Paragraphs are tidy already (spaces folded), so exact text is enough to
    // find repeats, and std::hash is much faster than the folding fingerprint.
    std::unordered_set<std::string_view> seen;
    std::string tidied;
    for (std::size_t i = 0; i < paras.size(); ++i) {
        if (paras[i].empty()) continue;
        std::string_view p = std::string_view(paras[i]).substr(orphan_punctuation(paras[i], a.paragraphs.empty()));
        if (p.empty()) {
            a.dropped.push_back({i + 1, paras[i], "punctuation"});
            continue;
        }
        // (repeats are found on the text as it came: `seen` keeps views of paras)
        const std::string_view came = p;
        if (tidy_cut_punctuation(came, tidied))  // (and what "(,), kata" leaves at the start)
            p = std::string_view(tidied).substr(orphan_punctuation(tidied, a.paragraphs.empty()));
        if (p.empty()) {  // "(, ,)"
            a.dropped.push_back({i + 1, paras[i], "punctuation"});
            continue;
        }
        std::string_view reason;
        // Cheap checks first: this runs over every paragraph of a big feed.
        if (p.size() == a.title.size() && std::equal(p.begin(), p.end(), a.title.begin(), [](char x, char y) {
                return lower(x) == lower(y);
            }))
            reason = "title";
        else if (!seen.insert(came).second) reason = "duplicate";
        else if (p.size() < 300) {
            // (page furniture is short; a long paragraph is the article's,
            // even when it starts like a related link)
            reason = boilerplate_reason(p);
            // a feed's text is the article already: a paragraph that ends with
            // a credit is the article's ("... katanya. (site.co.id/name)")
            if (reason == "caption") reason = {};
            if (reason.empty() && p[0] == '#' && p.size() < 80 && std::count(p.begin(), p.end(), ' ') <= 5 &&
                p.find('"') == std::string::npos)
                reason = "hashtag";
            if (reason.empty() && ctx.templates && p.size() < 400 &&
                is_template_line(ctx.templates, p, ctx.min_template_docs, 0))
                reason = "template";
            // In a feed, short furniture lines ("Populer", "Loading") are noise
            // only as whole lines; "date" lines are not checked (body prose is).
        }
        if (!reason.empty()) {
            if (reason == "byline" || reason == "source") {
                const std::string low = lower_ascii(p, 40);
                if (auto hit = label_of(p, low); !hit.reason.empty()) take_byline(p, hit.label, hit.value, a);
            }
            a.dropped.push_back({i + 1, std::string(p), std::string(reason)});
            continue;
        }
        a.paragraphs.emplace_back(p);
    }
}

// "Headline | Site", "Headline - Site": keep the longer part.
std::string strip_title_site(std::string_view t) {
    // "Headline | Site", "Headline - Site": keep the longer part
    for (std::string_view sep : {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ", " \xC2\xBB "}) {
        const auto p = t.rfind(sep);
        if (p != std::string_view::npos && p > 10) {
            const std::string_view head = t.substr(0, p), tail = t.substr(p + sep.size());
            if (tail.size() < head.size()) return std::string(head);
        }
    }
    return std::string(t);
}

} // namespace cari::cleaning
