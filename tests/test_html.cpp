// HTML pages: blocks, hints, the main container and the page's metadata.
#include "cleaner.h"
#include "html_blocks.h"

#include <gtest/gtest.h>

#include <string>

namespace {

const char* kP1 =
    "Pemerintah Indonesia menyatakan bahwa pembangunan jalan tol di Sumatra akan selesai pada akhir tahun ini, "
    "kata menteri dalam keterangan di Jakarta, Jumat.";
const char* kP2 =
    "Menurut dia, proyek tersebut sempat tertunda karena pembebasan lahan yang belum tuntas di beberapa daerah, "
    "tetapi kini sudah dapat dilanjutkan kembali oleh kontraktor.";
const char* kP3 =
    "Dia menambahkan bahwa pemerintah juga akan membangun jalan penghubung ke kawasan industri agar distribusi "
    "barang menjadi lebih lancar dan murah bagi warga.";

cari::Article clean_html(const std::string& html) {
    cari::RawDoc raw;
    raw.path = "page.html";
    raw.format = cari::Format::Html;
    raw.bytes = html;
    return cari::clean(raw);
}

std::string page(const std::string& head, const std::string& body) {
    return "<!DOCTYPE html><html><head>" + head + "</head><body>" + body + "</body></html>";
}

const std::string kArticle = std::string("<article class=\"post\"><h1>Jalan Tol Trans Sumatra Rampung</h1>") +
                             "<div class=\"byline\">Oleh Rina Sari</div>" + "<div class=\"entry-content\"><p>" +
                             kP1 + "</p><p>" + kP2 + "</p><div class=\"baca-juga\"><a href=\"/x\">Baca juga: " +
                             "Harga Tiket Tol Naik</a></div><p>" + kP3 + "</p>" +
                             "<div class=\"share-buttons\"><a>Facebook</a> <a>Twitter</a></div></div></article>";

const std::string kChrome =
    "<nav class=\"menu\"><ul><li><a href=\"/\">Beranda</a></li><li><a href=\"/n\">Nasional</a></li>"
    "<li><a href=\"/e\">Ekonomi</a></li></ul></nav>";
const std::string kSidebar =
    "<aside class=\"sidebar\"><h3>Terpopuler</h3><ul><li><a href=\"/1\">Harga cabai naik lagi di pasar "
    "induk</a></li><li><a href=\"/2\">Banjir rendam ratusan rumah warga di pinggir kali</a></li></ul></aside>";
const std::string kFooter = "<footer><p>Copyright 2024 Koran Contoh. All rights reserved.</p></footer>";
const std::string kComments =
    "<div id=\"comments\"><p>Komentar pembaca: saya sangat setuju dengan pembangunan jalan tol ini karena akan "
    "membantu warga di daerah kami untuk bepergian.</p></div>";

TEST(Html, MainTextWithoutChrome) {
    const cari::Article a = clean_html(page("<title>Jalan Tol Trans Sumatra Rampung | Koran Contoh</title>",
                                            kChrome + kArticle + kComments + kSidebar + kFooter));
    EXPECT_EQ(a.title, "Jalan Tol Trans Sumatra Rampung");
    EXPECT_EQ(a.paragraphs, (std::vector<std::string>{kP1, kP2, kP3}));
    bool saw_menu = false;
    for (const auto& d : a.dropped) saw_menu = saw_menu || d.text == "Beranda";
    EXPECT_TRUE(saw_menu);
}

TEST(Html, Metadata) {
    const std::string head =
        "<title>Jalan Tol | Koran Contoh</title>"
        "<meta property=\"og:title\" content=\"Jalan Tol Trans Sumatra Rampung\">"
        "<meta property=\"article:published_time\" content=\"2019-09-13T10:12:00+07:00\">"
        "<meta property=\"og:site_name\" content=\"Koran Contoh\">"
        "<link rel=\"canonical\" href=\"https://contoh.id/jalan-tol\">";
    const cari::Article a = clean_html(page(head, kArticle));
    EXPECT_EQ(a.date, "2019-09-13T10:12:00+07:00");
    EXPECT_EQ(a.source, "Koran Contoh");
    EXPECT_EQ(a.url, "https://contoh.id/jalan-tol");
    EXPECT_EQ(a.id, "https://contoh.id/jalan-tol");
    EXPECT_EQ(a.title, "Jalan Tol Trans Sumatra Rampung");
}

TEST(Html, JsonLdAndTime) {
    const std::string head =
        "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":"
        "\"WebSite\",\"name\":\"X\"},{\"@type\":\"NewsArticle\",\"headline\":\"Jalan Tol Trans Sumatra "
        "Rampung\",\"datePublished\":\"2019-09-13T10:12:00+07:00\",\"author\":[{\"@type\":\"Person\",\"name\":"
        "\"Rina Sari\"}],\"publisher\":{\"@type\":\"Organization\",\"name\":\"ANTARA\"}}]}</script>";
    const cari::Article a = clean_html(page(head, kArticle));
    EXPECT_EQ(a.date, "2019-09-13T10:12:00+07:00");
    EXPECT_EQ(a.author, "Rina Sari");
    EXPECT_EQ(a.source, "ANTARA");
    const cari::Article b =
        clean_html(page("", "<time datetime=\"2021-05-06T10:12:00+07:00\">Kamis</time>" + kArticle));
    EXPECT_EQ(b.date, "2021-05-06T10:12:00+07:00");
}

TEST(Html, HiddenAndScriptTextIgnored) {
    const std::string body = "<script>var x = 'Pemerintah Indonesia menyatakan';</script>"
                             "<div style=\"display:none\"><p>Teks tersembunyi yang panjang sekali dan tidak boleh "
                             "masuk ke badan berita karena tidak tampil.</p></div>" +
                             kArticle;
    const cari::Article a = clean_html(page("", body));
    for (const auto& p : a.paragraphs) {
        EXPECT_EQ(p.find("tersembunyi"), std::string::npos);
        EXPECT_EQ(p.find("var x"), std::string::npos);
    }
    EXPECT_EQ(a.paragraphs.size(), 3u);
}

TEST(Html, LinkDensityAndEntities) {
    const std::string links = "<div><a href=\"/a\">Satu berita lain yang menarik</a> | <a href=\"/b\">Dua berita "
                              "lain yang juga menarik</a> | <a href=\"/c\">Tiga</a></div>";
    const cari::Article a =
        clean_html(page("", "<div class=\"content\"><p>" + std::string(kP1) + "</p>" + links + "<p>" + kP2 +
                                " &amp; lagi&nbsp;&mdash; selesai.</p></div>"));
    ASSERT_EQ(a.paragraphs.size(), 2u);
    EXPECT_NE(a.paragraphs[1].find("& lagi \xE2\x80\x94 selesai."), std::string::npos);
}

TEST(Html, BlocksCarryLinkBytesAndHints) {
    const auto p = cari::cleaning::parse_html(
        "<html><body><nav><a href=\"/\">Beranda</a></nav><p>Teks <a href=\"#\">tautan</a> biasa.</p></body></html>");
    ASSERT_EQ(p.blocks.size(), 2u);
    EXPECT_TRUE(p.blocks[0].hints & cari::cleaning::kHintNav);
    EXPECT_EQ(p.blocks[0].link_bytes, p.blocks[0].text.size());
    EXPECT_EQ(p.blocks[1].text, "Teks tautan biasa.");
    EXPECT_EQ(p.blocks[1].link_bytes, 6u);
}

TEST(Html, BrokenMarkupStillReads) {
    const cari::Article a =
        clean_html(std::string("<html><body><div><p>") + kP1 + "<p>" + kP2 + "<table><tr><td>" + kP3);
    EXPECT_EQ(a.paragraphs.size(), 3u);
}

} // namespace
