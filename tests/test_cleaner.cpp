// The noise remover: the seeds' line-by-line gold, table-driven rows for each
// kind of page noise, feeds, templates, text repair and bad input.
#include "article.h"
#include "clean_lines.h"
#include "clean_text.h"
#include "cleaner.h"
#include "json.h"
#include "mojibake.h"
#include "templates.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

std::string shared_dir() {
    if (const char* e = std::getenv("CARI_SHARED"); e && *e) return e;
    return CARI_SOURCE_DIR "/../shared";
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

cari::Article clean_text(const std::string& text, cari::Format f = cari::Format::Text,
                         const cari::TemplateStats* t = nullptr) {
    cari::RawDoc raw;
    raw.path = "doc";
    raw.format = f;
    raw.bytes = text;
    cari::CleanOptions o;
    o.templates = t;
    return cari::clean(raw, o);
}

bool has_paragraph(const cari::Article& a, const std::string& p) {
    for (const auto& x : a.paragraphs)
        if (x == p) return true;
    return false;
}

std::string reason_of(const cari::Article& a, const std::string& text) {
    for (const auto& d : a.dropped)
        if (d.text == text) return d.reason;
    return "(kept)";
}

// ---------------------------------------------------------------------------
// The acceptance check: every seed against its gold.

TEST(Seeds, MatchGold) {
    const fs::path seeds = fs::path(shared_dir()) / "seeds";
    if (!fs::is_directory(seeds / "gold"))
        GTEST_SKIP() << "seeds not found at " << seeds.string() << " (set CARI_SHARED)";
    int files = 0, titles = 0, dates = 0, dated = 0;
    for (const auto& entry : fs::directory_iterator(seeds / "gold")) {
        const cari::json::Value gold = cari::json::parse(slurp(entry.path()));
        const std::string file = gold.find("file")->text();
        SCOPED_TRACE(file);
        cari::RawDoc raw;
        raw.path = (seeds / file).string();
        raw.format = cari::Format::Text;
        raw.bytes = slurp(seeds / file);
        const cari::Article a = cari::clean(raw);
        ++files;
        const std::set<std::string> body(a.paragraphs.begin(), a.paragraphs.end());
        EXPECT_EQ(body.size(), a.paragraphs.size()) << "a paragraph appears twice";
        for (const auto& l : gold.find("lines")->arr) {
            const std::string role = l.find("role")->text();
            const std::string text = cari::cleaning::tidy_line(l.find("text")->text());
            const std::string line = l.find("line")->text();
            if (role == "body") EXPECT_TRUE(body.count(text)) << "body line " << line << " missing: " << text;
            if (role == "noise" || role == "meta" || role == "title")
                EXPECT_FALSE(body.count(text)) << role << " line " << line << " in body: " << text;
        }
        if (const auto* t = gold.find("title")) {
            EXPECT_EQ(a.title, t->text());
            titles += a.title == t->text();
        }
        const auto* d = gold.find("date");
        const std::string want = d ? d->text() : "";
        EXPECT_EQ(a.date, want);
        if (!want.empty()) {
            ++dated;
            dates += a.date == want;
        }
    }
    EXPECT_EQ(files, 5);
    EXPECT_EQ(titles, 5);
    EXPECT_EQ(dated, 2);
    EXPECT_EQ(dates, 2);
}

// ---------------------------------------------------------------------------
// The lexicon: one line each.

struct ReasonRow {
    const char* line;
    const char* reason;  // "" = not boilerplate by its words alone
};

const ReasonRow kReasons[] = {
    {"Baca juga: China-Rusia gelar pertemuan tentang kerja sama", "related-link"},
    {"BACA JUGA : Menlu Rusia sebut anggota baru", "related-link"},
    {"Simak juga video berikut ini", "related-link"},
    {"Advertisement", "ad"},
    {"ADVERTISEMENT - SCROLL TO CONTINUE WITH CONTENT", "ad"},
    {"Iklan", "ad"},
    {"Tinggalkan Komentar", "comment"},
    {"Your email address will not be published. Required fields are marked *", "comment"},
    {"12 Comments", "comment"},
    {"A   A   A   Pengaturan Font", "font-control"},
    {"Redaktur : Lili Lestari", "byline"},
    {"Penulis : Antara", "byline"},
    {"Editor: Budi Santoso", "byline"},
    {"sumber : https://www.aa.com.tr/id/dunia/rusia/2756255", "source"},
    {"Sumber: Anadolu", "source"},
    {"Foto : ANTARA/Reuters/Aziz Karimov", "photo-credit"},
    {"Menteri Luar Negeri Rusia Sergey Lavrov/Net", "photo-credit"},
    {"Populer", "headline-list"},
    {"Berita Lainnya", "headline-list"},
    {"UPDATE", "headline-list"},
    {"Ketik untuk mencari", "search-box"},
    {"()", "symbols"},
    {"Copyright © 2024 Kompas Cyber Media", "copyright"},
    {"Tags: rusia, armenia, azerbaijan", "tags"},
    {"Home > Nasional > Politik", "breadcrumb"},
    {"Berita \xC2\xBB Dunia \xC2\xBB Eropa", "breadcrumb"},
    {"KOMPAS.com/Fitria Chusna Farisa", "photo-credit"},
    {"Dapatkan update berita pilihan dan breaking news setiap hari. Mari bergabung di Grup Telegram", "promo"},
    {"Artikel ini telah tayang di Kompas.com dengan judul \"Rusia Siap Membantu\"", "syndication"},
    {"5 menit lalu", "date"},
    {"2 days ago", "date"},
    {"34 responses to \u201cAnthony Lynn\u201d", "comment"},
    {"Click to share on Twitter (Opens in new window)", "share"},
    {"Warga melintasi permukiman yang terendam banjir di Barabai, Senin (12/12/2022). ANTARA/Muhammad Rizal Fahmi",
     "caption"},
    {"Penyerang Persib merayakan gol di Stadion Gelora Bandung Lautan Api, Minggu (17/12/2023).(KOMPAS.com/YUDHA PRATAMA)",
     "caption"},
    {"Ketiga pasangan menunjukkan naskah deklarasi kampanye damai di Cibinong. FOTO: PAKUAN UPDATE/GILANG", "caption"},
    {"Ilustrasi pedagang sayur di pasar tradisional.", "caption"},
    {"Penulis Yudha Pratama | Editor Bagas Wicaksono", "byline"},
    {"Rep: Fikri Ramadhan/ Red: Kurnia Sandi", "byline"},
    {"Riyan Saputro - detikJateng", "byline"},
    {"Hasil Persib Vs Persija 2-1: Gol Telat Fajar Nugraha Menangkan Maung Bandung Di Kandang", ""},
    {"Menteri PPN/Bappenas: Suharso Monoarfa", ""},
    {"Halaman 1 2 3 Selanjutnya", "navigation"},
    {"Page 2 of 5", "navigation"},
    {"Kontributor Bandung, Agus Salim", "byline"},
    {"3", "navigation"},  // a list index alone
    {"BI menambahkan komponen pinjaman yang diterima bank dalam pengaturan Rasio Intermediasi Makroprudensial "
     "(RIM)/RIM Syariah.",
     ""},
    {"Pemerintah mengembangkan Asuransi Usaha Tani Padi (AUTP) dan Ternak Sapi/Kerbau (AUTS/K).", ""},
    {"Kata dia, kerja sama itu berjalan baik sejak 2019 (ANTARA/Reuters menyebutnya sebagai langkah maju) dan akan "
     "diteruskan tahun depan oleh kedua negara.",
     ""},
    // prose that merely starts like a label stays
    {"Oleh karena itu, pemerintah akan meninjau kembali kebijakan tersebut dalam waktu dekat.", ""},
    {"Sumber daya alam Indonesia melimpah dan harus dikelola dengan baik oleh negara demi rakyat.", ""},
    {"Foto-foto itu beredar luas di media sosial setelah kejadian tersebut pada Senin malam kemarin.", ""},
    {"Rusia tertarik untuk membuat perjanjian damai antara Azerbaijan dan Armenia", ""},
};

TEST(Lexicon, Reasons) {
    for (const auto& r : kReasons) EXPECT_EQ(cari::cleaning::boilerplate_reason(r.line), r.reason) << r.line;
}

// ---------------------------------------------------------------------------
// Whole text documents: what goes and why.

const char* kBody1 =
    "Pemerintah Indonesia menyatakan bahwa pembangunan jalan tol di Sumatra akan selesai pada akhir tahun ini, "
    "kata menteri dalam keterangan di Jakarta.";
const char* kBody2 =
    "Menurut dia, proyek tersebut sempat tertunda karena pembebasan lahan yang belum tuntas di beberapa daerah, "
    "tetapi kini sudah dapat dilanjutkan kembali.";
const char* kBody3 =
    "Dia menambahkan bahwa pemerintah juga akan membangun jalan penghubung ke kawasan industri agar distribusi "
    "barang menjadi lebih lancar dan murah.";

struct DocRow {
    std::string line;
    std::string reason;  // expected drop reason; "(kept)" for body
};

TEST(TextDocument, NoiseAroundAnArticle) {
    const std::vector<DocRow> rows = {
        {"Beranda Nasional Internasional Ekonomi Olahraga Teknologi Hiburan Otomotif Gaya Hidup", "menu"},
        {"Jalan Tol Trans Sumatra Rampung Akhir Tahun", "title"},
        {"Jumat, 13 September 2019 | 10:12 WIB", "date"},
        {"Foto: ANTARA/Budi", "photo-credit"},
        {kBody1, "(kept)"},
        {"Baca juga: Harga Tiket Tol Naik Bulan Depan", "related-link"},
        {kBody2, "(kept)"},
        {kBody2, "duplicate"},
        {kBody3, "(kept)"},
        {"Editor: Siti Aminah", "byline"},
        {"Berita Terkait", "related-link"},
        {"Tol Cipali Macet Parah Saat Libur Panjang", "outside-body"},
        {"Kamis, 12 September 2019 | 21:33", "date"},
        {"Bagikan Facebook Twitter WhatsApp", "share"},
    };
    std::string doc;
    for (const auto& r : rows) doc += r.line + "\n\n";
    const cari::Article a = clean_text(doc);
    EXPECT_EQ(a.title, "Jalan Tol Trans Sumatra Rampung Akhir Tahun");
    EXPECT_EQ(a.date, "2019-09-13T10:12:00+07:00");
    EXPECT_EQ(a.paragraphs.size(), 3u);
    for (const auto& r : rows) {
        if (r.reason == "(kept)") EXPECT_TRUE(has_paragraph(a, r.line)) << r.line;
        else EXPECT_EQ(reason_of(a, r.line), r.reason) << r.line;
    }
    // dropped lines carry their input line numbers
    for (const auto& d : a.dropped)
        if (d.text == "Editor: Siti Aminah") EXPECT_EQ(d.line, 19u);
}

TEST(TextDocument, DateNextToTheTitle) {
    // a list of other headlines with their dates comes first; the article's
    // own date sits under its title
    const std::string doc = std::string("Terpopuler\n\nHarga Cabai Naik Lagi\n\nSabtu, 27 April 2024 | 17:17\n\n") +
                            "Banjir Rendam Ratusan Rumah\n\nMinggu, 28 April 2024 | 08:00\n\n" +
                            "Jalan Tol Trans Sumatra Rampung Akhir Tahun\n\nSenin, 29 April 2024 | 10:12 WIB\n\n" +
                            kBody1 + "\n\n" + kBody2 + "\n";
    const cari::Article a = clean_text(doc);
    EXPECT_EQ(a.title, "Jalan Tol Trans Sumatra Rampung Akhir Tahun");
    EXPECT_EQ(a.date, "2024-04-29T10:12:00+07:00");
}

TEST(TextDocument, ShortLinesInsideTheBodyStay) {
    // A short line between two body paragraphs is a subheading; the same kind
    // of line among headlines after the article is not.
    const std::string doc = std::string(kBody1) + "\n\nLahan Sudah Bebas\n\n" + kBody2 + "\n\n" + kBody3 +
                            "\n\nPopuler\n\nHarga Cabai Naik Lagi\n\nSabtu, 27 April 2024 | 17:17\n";
    const cari::Article a = clean_text(doc);
    EXPECT_TRUE(has_paragraph(a, "Lahan Sudah Bebas"));
    EXPECT_FALSE(has_paragraph(a, "Harga Cabai Naik Lagi"));
}

TEST(TextDocument, BylinesGiveAuthorAndSource) {
    struct Row {
        std::string byline, author, source;
    };
    const Row rows[] = {
        {"Penulis Yudha Pratama | Editor Bagas Wicaksono", "Yudha Pratama", ""},
        {"Rep: Fikri Ramadhan/ Red: Kurnia Sandi", "Fikri Ramadhan", ""},
        {"Riyan Saputro - detikJateng", "Riyan Saputro", "detikJateng"},
        {"KAMIS, 06 MEI 2021 | 10:12 WIB | LAPORAN: ANDIKA SAPUTRA", "Andika Saputra", ""},
        {"Pewarta: Nadia Permatasari / JAS", "Nadia Permatasari", ""},
        {"Editor: Siti Aminah", "", ""},
        {"Penulis : Antara", "", "Antara"},
    };
    for (const auto& r : rows) {
        const cari::Article a =
            clean_text("Judul Berita Yang Cukup Panjang Untuk Dipilih\n\n" + r.byline + "\n\n" + kBody1 + "\n\n" + kBody2);
        EXPECT_EQ(a.author, r.author) << r.byline;
        EXPECT_EQ(a.source, r.source) << r.byline;
        EXPECT_EQ(a.paragraphs.size(), 2u) << r.byline;
    }
}

TEST(TextDocument, OutletFromTheDateline) {
    const std::pair<std::string, std::string> rows[] = {
        {"Barabai (ANTARA) - ", "ANTARA"},
        {"REPUBLIKA.CO.ID, BANDUNG -- ", "REPUBLIKA.CO.ID"},
        {"BANDUNG, KOMPAS.com - ", "KOMPAS.com"},
        {"TEMPO.CO, Jakarta - ", "TEMPO.CO"},
        {"Jakarta, CNN Indonesia -- ", "CNN Indonesia"},
        {"Pati - ", ""},
    };
    for (const auto& [opener, source] : rows) {
        const cari::Article a = clean_text(opener + std::string(kBody1) + "\n\n" + kBody2 + "\n\n" + kBody3);
        EXPECT_EQ(a.source, source) << opener;
        ASSERT_FALSE(a.paragraphs.empty());
        EXPECT_EQ(a.paragraphs[0].rfind(opener, 0), 0u) << "the opener stays in the body";
    }
}

TEST(TextDocument, OtherLanguagesKeepTheirParagraphs) {
    // Neither Indonesian nor English: the function-word lists find nothing,
    // so density cannot count against the paragraphs.
    const std::string p1 = "Die Stadtverwaltung plant neue Radwege entlang der Hauptstrasse, weil immer mehr "
                           "Menschen mit dem Fahrrad zur Arbeit fahren.";
    const std::string p2 = "Nach Angaben der Behoerde sollen die Bauarbeiten im Fruehjahr beginnen und etwa "
                           "zwei Jahre dauern, sagte eine Sprecherin.";
    const std::string p3 = "Anwohner begruessen die Plaene grundsaetzlich, fordern aber mehr Parkplaetze fuer "
                           "Lieferdienste und Handwerker in der Innenstadt.";
    const cari::Article a = clean_text("Startseite\n\nNeue Radwege Fuer Die Innenstadt\n\n" + p1 + "\n\n" + p2 +
                                       "\n\n" + p3 + "\n\nImpressum\n");
    EXPECT_EQ(a.paragraphs, (std::vector<std::string>{p1, p2, p3}));
}

TEST(TextDocument, NonBreakingSpacesAndNfc) {
    // U+00A0-only lines are blank; decomposed "e" + U+0301 becomes U+00E9.
    const std::string doc = std::string(kBody1) + "\n\xC2\xA0\n\xC2\xA0\xC2\xA0\n" + kBody2 +
                            " Cafe\xCC\x81 itu ramai.\n";
    const cari::Article a = clean_text(doc);
    ASSERT_EQ(a.paragraphs.size(), 2u);
    EXPECT_NE(a.paragraphs[1].find("Caf\xC3\xA9 itu"), std::string::npos);
    for (const auto& d : a.dropped) EXPECT_NE(d.text, "\xC2\xA0");
}

TEST(TextDocument, SourceAndAuthorFromBylines) {
    const std::string doc = std::string("Istanbul (ANTARA) - ") + kBody1 + "\n\n" + kBody2 +
                            "\n\nPewarta: Rina Sari\n\nSumber: Anadolu\n";
    const cari::Article a = clean_text(doc);
    EXPECT_EQ(a.author, "Rina Sari");
    EXPECT_EQ(a.source, "Anadolu");
    const cari::Article b = clean_text(std::string("Istanbul (ANTARA) - ") + kBody1 + "\n" + kBody2 + "\n");
    EXPECT_EQ(b.source, "ANTARA");
}

// ---------------------------------------------------------------------------
// Feeds

TEST(Feed, CommaJoinedParagraphs) {
    using V = std::vector<std::string>;
    struct Row {
        const char* text;
        V expected;
    };
    const Row rows[] = {
        {"Kalimat pertama selesai.,Kalimat kedua dimulai.", {"Kalimat pertama selesai.", "Kalimat kedua dimulai."}},
        {"Paragraf satu.,,,,,Paragraf dua.", {"Paragraf satu.", "", "", "", "", "Paragraf dua."}},
        {"Meski sempat membuat,khawatir, kini membaik.,Hal itu benar.",
         {"Meski sempat membuat khawatir, kini membaik.", "Hal itu benar."}},
        {"Naik Rp1,5 juta.,Turun lagi.", {"Naik Rp1,5 juta.", "Turun lagi."}},
        {"Baca juga: Judul Berita Lain,,Lantas apa?", {"Baca juga: Judul Berita Lain", "", "Lantas apa?"}},
        {"Satu, dua, tiga.", {"Satu, dua, tiga."}},
        {"\"Kami siap,\" katanya.,\"Fans banyak,\" ujarnya.", {"\"Kami siap,\" katanya.", "\"Fans banyak,\" ujarnya."}},
        {"Baris satu\nBaris dua", {"Baris satu", "Baris dua"}},
        // commas where a link was cut before a closing quote: one comma, no new paragraph
        {"\"Kita berkolaborasi di,,\" sambungnya.,Sebagai aktor", {"\"Kita berkolaborasi di,\" sambungnya.", "Sebagai aktor"}},
    };
    for (const auto& r : rows) EXPECT_EQ(cari::cleaning::split_feed_text(r.text), r.expected) << r.text;
}

TEST(Feed, PunctuationLeftByRemovedText) {
    struct Row {
        const char* text;
        bool body_start;
        const char* kept;
    };
    const Row rows[] = {
        {", , - , mengirim bantuan untuk korban banjir.", false, "mengirim bantuan untuk korban banjir."},
        {"-,baru saja merilis karya terbarunya.", false, "baru saja merilis karya terbarunya."},
        {",memang terlihat belum memiliki gandengan.", false, "memang terlihat belum memiliki gandengan."},
        {". Mulai dari mendampingi sang suami.", false, "Mulai dari mendampingi sang suami."},
        {"-. Nilai ini dihitung dari cukai.", false, "Nilai ini dihitung dari cukai."},
        {",", false, ""},
        {"\",\" tulis adik Angela lewat akun Instagram.", false, "tulis adik Angela lewat akun Instagram."},
        {"\xE2\x80\x9C,\xE2\x80\x9D lanjutnya.", false, "lanjutnya."},
        {", \"Kami siap,\" katanya.", false, "\"Kami siap,\" katanya."},
        {"\"Kami siap,\" katanya.", true, "\"Kami siap,\" katanya."},
        {"\" sambungnya.", false, "\" sambungnya."},
        {"\xE2\x80\x93", true, ""},
        // the dateline's dash, at the start of the body only
        {"- Meski sempat menghilang, kini membaik.", true, "Meski sempat menghilang, kini membaik."},
        {"\xE2\x80\x94 Peneliti senior menyebutkan.", true, "Peneliti senior menyebutkan."},
        {"-- Dengan jumlah penduduk 48 juta.", true, "Dengan jumlah penduduk 48 juta."},
        {"- Film ini menceritakan perjuangan.", false, "- Film ini menceritakan perjuangan."},
        // marks glued to a word, an ellipsis and a quote stay
        {"-nya. Dari serius, berubah penuh tawa.", true, "-nya. Dari serius, berubah penuh tawa."},
        {"-Pusat Studi Hukum menduga.", true, "Pusat Studi Hukum menduga."},
        {"-Pusat Studi Hukum menduga.", false, "-Pusat Studi Hukum menduga."},
        {"... Ah mungkin dia keserimpet.", false, "... Ah mungkin dia keserimpet."},
        {".\" tulis akun itu.", false, ".\" tulis akun itu."},
        {"Jakarta - Presiden tiba.", true, "Jakarta - Presiden tiba."},
    };
    for (const auto& r : rows) {
        const std::string_view t = r.text;
        EXPECT_EQ(t.substr(cari::cleaning::orphan_punctuation(t, r.body_start)), r.kept) << r.text;
    }
    // in a feed: the body starts with the words, the paragraph of a comma is gone
    const cari::Article a = clean_text(
        R"({"id": "x", "title": "Judul", "text": ", , - , mengirim bantuan untuk korban banjir di Thailand.,,Daerah itu diterjang banjir selama dua pekan."})",
        cari::Format::Jsonl);
    EXPECT_EQ(a.paragraphs, (std::vector<std::string>{"mengirim bantuan untuk korban banjir di Thailand.",
                                                      "Daerah itu diterjang banjir selama dua pekan."}));
}

// Inside a paragraph, the marks around cut words are tidied; an ellipsis,
// numbers and ordinary punctuation stay as written.
TEST(Feed, PunctuationInsideParagraphs) {
    struct Row {
        const char* text;
        const char* tidied;  // "" = left as it is
    };
    const Row rows[] = {
        {"Ye Jin Woo (,) mobil Goo Seung Hyo (,) karena nekat.", "Ye Jin Woo mobil Goo Seung Hyo karena nekat."},
        {"Di tahun 1973, Anna Garcia (,), wanita itu bekerja.", "Di tahun 1973, Anna Garcia, wanita itu bekerja."},
        {"Komisi Perlindungan Anak Indonesia ( ,).", "Komisi Perlindungan Anak Indonesia."},
        {"dikutip dari melalui,.,meski begitu, dia lelah.", "dikutip dari melalui, meski begitu, dia lelah."},
        {"begitu di sini,\",sambungnya.", "begitu di sini, sambungnya."},
        {"netizen Tanah Air.,\",\" tulis Angela.", "netizen Tanah Air,\" tulis Angela."},
        {"pencekalan Ketua Fraksi Golkar di DPR, ,.", "pencekalan Ketua Fraksi Golkar di DPR."},
        {"penumpang Toyota ,. Dikutip dari sumber.", "penumpang Toyota. Dikutip dari sumber."},
        {"vape yang mengandung ,, Namun banyak pula.", "vape yang mengandung, Namun banyak pula."},
        {"bom panci.,,,Sebelumnya Tim Densus 88 tiba.", "bom panci. Sebelumnya Tim Densus 88 tiba."},
        {"di sekitar  , ( ,). Nama Workshop masuk.", "di sekitar. Nama Workshop masuk."},
        {"(,) itu bisa berteman dekat.", "itu bisa berteman dekat."},
        // quotes: one the text opened closes; one opening the next words stays
        {"\"Apapun terbuka.\",Selain itu, Yasonna hadir.", "\"Apapun terbuka.\" Selain itu, Yasonna hadir."},
        {"Kamis (19/9/2019)., \"Kami ingin cetak sejarah.\"", "Kamis (19/9/2019). \"Kami ingin cetak sejarah.\""},
        {"proyek off air.,\"Nggak, itu cuma off air.\"", "proyek off air. \"Nggak, itu cuma off air.\""},
        {"yakni Sekolah, , Tinggi, dan Beasiswa.", "yakni Sekolah, Tinggi, dan Beasiswa."},
        {"personel,yaitu,,,,,, dan,sebagai bintang tamu.", "personel,yaitu, dan,sebagai bintang tamu."},
        {"Ia berkata \xE2\x80\x9C,\xE2\x80\x9D,lanjutnya.", "Ia berkata, lanjutnya."},
        // left alone
        {"\"Saya tidak tahu...,\" katanya.", ""},
        {"Harga Rp 1,5 juta, dan Rp 2.000,- saja.", ""},
        {"\"Kami siap,\" katanya. \"Besok, kami berangkat.\"", ""},
        {"Jakarta (ANTARA) - Presiden tiba (Senin, 5/6).", ""},
        {"yuk...,,,,,Kabar pertama datang.", ""},
    };
    for (const auto& r : rows) {
        std::string out = "unchanged";
        const bool changed = cari::cleaning::tidy_cut_punctuation(r.text, out);
        EXPECT_EQ(changed ? out : std::string(), r.tidied) << r.text;
    }
    // in a feed: the paragraph of marks alone goes, the others are tidied
    const cari::Article a = clean_text(
        "{\"id\": \"x\", \"title\": \"Judul\", \"text\": \"Ye Jin Woo (,) mobil melaju.\\n(, ,)\\nPenumpang Toyota ,.\"}",
        cari::Format::Jsonl);
    EXPECT_EQ(a.paragraphs, (std::vector<std::string>{"Ye Jin Woo mobil melaju.", "Penumpang Toyota."}));
}

TEST(Feed, InBodyNoiseAndFields) {
    const std::string line =
        R"({"id": "clickid-000042", "source": "tempo.co", "date": "43718", "title": "Judul Berita", )"
        R"("url": "https://tempo.co/x", "text": ")" +
        std::string(kBody1) + ",Baca juga: Harga Tiket Tol Naik Bulan Depan,," + kBody2 +
        ",Penulis: Andi Wijaya,Editor: Siti,#GrowFearLess with Fimela\"}";
    const cari::Article a = clean_text(line, cari::Format::Jsonl);
    EXPECT_EQ(a.id, "clickid-000042");
    EXPECT_EQ(a.date, "2019-09-10");
    EXPECT_EQ(a.source, "tempo.co");
    EXPECT_EQ(a.url, "https://tempo.co/x");
    EXPECT_EQ(a.title, "Judul Berita");
    EXPECT_EQ(a.author, "Andi Wijaya");
    ASSERT_EQ(a.paragraphs.size(), 2u);
    EXPECT_EQ(a.paragraphs[0], kBody1);
    EXPECT_EQ(a.paragraphs[1], kBody2);
    EXPECT_EQ(reason_of(a, "Baca juga: Harga Tiket Tol Naik Bulan Depan"), "related-link");
    EXPECT_EQ(reason_of(a, "#GrowFearLess with Fimela"), "hashtag");
}

TEST(Feed, PublisherAndContentFields) {
    const cari::Article a = clean_text(
        R"({"id": 7, "publisher": {"name": "ANTARA"}, "date": "31 Juli 2019", "content": "Satu.\nSimak juga: X\nDua."})",
        cari::Format::Jsonl);
    EXPECT_EQ(a.id, "7");
    EXPECT_EQ(a.source, "ANTARA");
    EXPECT_EQ(a.date, "2019-07-31");
    EXPECT_EQ(a.paragraphs, (std::vector<std::string>{"Satu.", "Dua."}));
}

TEST(Feed, MalformedJsonIsAnInputError) {
    EXPECT_THROW(clean_text("{\"id\": 1, \"text\": ", cari::Format::Jsonl), cari::InputError);
    EXPECT_THROW(clean_text("[1, 2]", cari::Format::Jsonl), cari::InputError);
}

// ---------------------------------------------------------------------------
// Text repair

struct RepairRow {
    const char* input;
    const char* expected;
};

const RepairRow kMojibake[] = {
    {"kata dia \xE2\x80\x9A\xC3\x84\xC3\xAC mereka", "kata dia \xE2\x80\x93 mereka"},                  // ‚Äì -> –
    {"\xE2\x80\x9A\xC3\x84\xC3\xBA Kami siap \xE2\x80\x9A\xC3\x84\xC3\xB9", "\xE2\x80\x9C Kami siap \xE2\x80\x9D"},  // ‚Äú ‚Äù
    {"Nestl\xE2\x88\x9A\xC2\xA9 Targetkan", "Nestl\xC3\xA9 Targetkan"},                                 // Mac Roman √© -> é
    {"it\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2s", "it\xE2\x80\x99s"},                                          // cp1252 â€™ -> ’
    {"caf\xC3\x83\xC2\xA9", "caf\xC3\xA9"},                                                            // Latin-1 Ã© -> é
    // Arabic read as Mac Roman: "ŸÖŸéÿßÿ°Ÿè" -> "مَاءُ"
    {"\xC5\xB8\xC3\x96\xC5\xB8\xC3\xA9\xC3\xBF\xC3\x9F\xC3\xBF\xC2\xB0\xC5\xB8\xC3\xA8",
     "\xD9\x85\xD9\x8E\xD8\xA7\xD8\xA1\xD9\x8F"},
    {"Jakarta \xE2\x80\x93 Presiden", "Jakarta \xE2\x80\x93 Presiden"},                                  // correct text stays
    {"\xE2\x80\x9CKami\xE2\x80\x9D", "\xE2\x80\x9CKami\xE2\x80\x9D"},
    {"S\xC3\xA3o Paulo dan M\xC3\xBCnchen", "S\xC3\xA3o Paulo dan M\xC3\xBCnchen"},
    {"plain ascii", "plain ascii"},
};

TEST(TextRepair, Mojibake) {
    for (const auto& r : kMojibake) EXPECT_EQ(cari::repair_mojibake(r.input), r.expected) << r.input;
}

const RepairRow kTidy[] = {
    {"  a\xC2\xA0\xC2\xA0 b  ", "a b"},
    {"\xC2\xA0", ""},
    {"zero\xE2\x80\x8Bwidth soft\xC2\xADhyphen", "zerowidth softhyphen"},
    {"tab\there", "tab here"},
};

TEST(TextRepair, Tidy) {
    for (const auto& r : kTidy) EXPECT_EQ(cari::cleaning::tidy_line(r.input), r.expected) << r.input;
}

// ---------------------------------------------------------------------------
// Templates across documents

TEST(Templates, SerializeRoundTrip) {
    cari::TemplateStats t;
    t.add(cari::TemplateStats::fingerprint("Berita Lainnya"), 7);
    t.add(cari::TemplateStats::fingerprint("seen once"), 1);
    t.add_documents(30);
    const cari::TemplateStats u = cari::TemplateStats::deserialize(t.serialize());
    EXPECT_EQ(u.documents(), 30u);
    EXPECT_EQ(u.count(cari::TemplateStats::fingerprint("berita   lainnya")), 7u);
    EXPECT_EQ(u.count(cari::TemplateStats::fingerprint("seen once")), 0u);  // singletons are not kept
    EXPECT_THROW((void)cari::TemplateStats::deserialize("garbage"), cari::InputError);
    EXPECT_THROW((void)cari::TemplateStats::deserialize("cari-templates 1\ndocuments 3\nzz 1\n"), cari::InputError);
}

TEST(Templates, RecurringLinesAreDroppedInBigBatches) {
    const std::string footer = "Kunjungi situs kami untuk berita menarik lainnya setiap hari";
    auto doc = [&](int i) {
        return "Judul Nomor " + std::to_string(i) + " Tentang Jalan Tol\n\n" + kBody1 + " Nomor " +
               std::to_string(i) + ".\n\n" + footer + "\n\n" + kBody2 + "\n";
    };
    cari::TemplateStats stats;
    for (int i = 0; i < 40; ++i) {
        cari::RawDoc raw;
        raw.path = "d" + std::to_string(i) + ".txt";
        raw.format = cari::Format::Text;
        raw.bytes = doc(i);
        cari::collect_template_lines(raw, stats);
    }
    EXPECT_EQ(stats.documents(), 40u);
    EXPECT_EQ(stats.count(cari::TemplateStats::fingerprint(footer)), 40u);
    const cari::Article without = clean_text(doc(1));
    EXPECT_TRUE(has_paragraph(without, footer));
    const cari::Article with = clean_text(doc(1), cari::Format::Text, &stats);
    EXPECT_EQ(reason_of(with, footer), "template");
    // a long paragraph found in every document of the batch is template too
    // (a disclaimer); the document's own paragraph stays
    EXPECT_EQ(reason_of(with, kBody2), "template");
    EXPECT_EQ(with.paragraphs.size(), 1u);
    // a small batch gives no signal
    cari::TemplateStats small;
    for (int i = 0; i < 5; ++i) {
        cari::RawDoc raw;
        raw.path = "s.txt";
        raw.format = cari::Format::Text;
        raw.bytes = doc(i);
        cari::collect_template_lines(raw, small);
    }
    EXPECT_TRUE(has_paragraph(clean_text(doc(1), cari::Format::Text, &small), footer));
}

// ---------------------------------------------------------------------------
// Bad input: a clear outcome, no crash, no quadratic blow-up.

TEST(BadInput, EmptyAndBinary) {
    EXPECT_THROW(clean_text(""), cari::InputError);
    EXPECT_THROW(clean_text("  \n\n \t"), cari::InputError);
    std::string png = "\x89PNG\r\n\x1a\n";
    for (int i = 0; i < 2000; ++i) png += static_cast<char>((i * 37) & 0xFF);
    EXPECT_THROW(clean_text(png), cari::InputError);
    EXPECT_THROW(clean_text(png, cari::Format::Html), cari::InputError);
}

TEST(BadInput, InvalidUtf8IsRepaired) {
    const std::string doc = std::string(kBody1) + " Ada \xFF\xFE byte rusak di sini.\n" + kBody2 + "\n";
    const cari::Article a = clean_text(doc);
    ASSERT_FALSE(a.paragraphs.empty());
    for (const auto& p : a.paragraphs) {
        EXPECT_EQ(p.find('\xFF'), std::string::npos);
        EXPECT_TRUE(cari::json::quote(p).size() > 0);
    }
    ASSERT_EQ(a.notes.size(), 1u);
    EXPECT_EQ(a.notes[0], "invalid UTF-8: 2 bytes replaced with U+FFFD");
    EXPECT_TRUE(clean_text(std::string(kBody1) + "\n" + kBody2).notes.empty());
}

TEST(BadInput, Windows1252TextIsDecoded) {
    // a scraper's Latin-1 / Windows-1252 output: no valid UTF-8 sequence at all
    const std::string doc = std::string("Kafe \x93Tradisional\x94 \x96 Pilihan Mahasiswa di Bandung\n\n") +
                            "Pengunjung kafe menikmati kopi tubruk dan pisang goreng, caf\xe9 ini buka sejak pagi "
                            "hingga malam dengan harga terjangkau bagi mahasiswa di sekitar kampus.\n";
    const cari::Article a = clean_text(doc);
    EXPECT_EQ(a.title, "Kafe \xE2\x80\x9CTradisional\xE2\x80\x9D \xE2\x80\x93 Pilihan Mahasiswa di Bandung");
    ASSERT_EQ(a.paragraphs.size(), 1u);
    EXPECT_NE(a.paragraphs[0].find("caf\xC3\xA9 ini"), std::string::npos);
    EXPECT_EQ(a.notes, (std::vector<std::string>{"not UTF-8: decoded as Windows-1252"}));
}

// Seconds to clean text as format f.
double seconds_to_clean(const std::string& text, cari::Format f, cari::Article* out = nullptr) {
    const auto t0 = std::chrono::steady_clock::now();
    cari::Article a = clean_text(text, f);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (out) *out = std::move(a);
    return s;
}

std::string nested_divs(int depth) {
    std::string html = "<html><body>";
    html.reserve(static_cast<std::size_t>(depth) * 11 + 1000);
    for (int i = 0; i < depth; ++i) html += "<div>";
    html += "<p>" + std::string(kBody1) + "</p><p>" + kBody2 + "</p>";
    for (int i = 0; i < depth; ++i) html += "</div>";
    return html + "</body></html>";
}

// Growth, not absolute time, so that the check holds in Debug and sanitizer
// builds too: ten times the input may cost about ten times the time, not a
// hundred (the small case is floored against timer noise).
TEST(BadInput, DeeplyNestedDivs) {
    cari::Article a;
    // best of three: on a busy machine one run of a few milliseconds says little
    double small = 1e9, big = 1e9;
    const std::string s = nested_divs(20000), b = nested_divs(200000);
    for (int i = 0; i < 3; ++i) {
        small = std::min(small, seconds_to_clean(s, cari::Format::Html));
        big = std::min(big, seconds_to_clean(b, cari::Format::Html, &a));
    }
    EXPECT_TRUE(has_paragraph(a, kBody1));
    EXPECT_TRUE(has_paragraph(a, kBody2));
    EXPECT_LT(big, 30.0 * std::max(small, 0.02)) << "small " << small << " s, big " << big << " s";
}

TEST(BadInput, FiftyMegabyteLine) {
    const std::string unit = "kata yang sama diulang terus tanpa henti dan tanpa titik ";
    std::string line;
    while (line.size() < 5u * 1024 * 1024) line += unit;
    const double small = seconds_to_clean(line, cari::Format::Text);
    while (line.size() < 50u * 1024 * 1024) line += unit;
    for (const cari::Format f : {cari::Format::Text, cari::Format::Html}) {
        cari::Article a;
        const double big = seconds_to_clean(line, f, &a);
        EXPECT_LT(big, 30.0 * std::max(small, 0.005)) << "small " << small << " s, big " << big << " s";
        EXPECT_EQ(a.paragraphs.size() + a.dropped.size(), 1u);
    }
    cari::Article a;
    const double feed = seconds_to_clean("{\"id\": \"big\", \"text\": \"" + line + "\"}", cari::Format::Jsonl, &a);
    EXPECT_LT(feed, 30.0 * std::max(small, 0.005));
    EXPECT_EQ(a.id, "big");
    EXPECT_EQ(a.paragraphs.size(), 1u);
}

TEST(Formats, FromPath) {
    EXPECT_EQ(cari::format_from_path("a/b.TXT"), cari::Format::Text);
    EXPECT_EQ(cari::format_from_path("x.html"), cari::Format::Html);
    EXPECT_EQ(cari::format_from_path("x.htm"), cari::Format::Html);
    EXPECT_EQ(cari::format_from_path("x.jsonl"), cari::Format::Jsonl);
    EXPECT_EQ(cari::format_from_path("x.pdf"), cari::Format::Auto);
}

} // namespace
