#include "synonyms.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cari {

namespace {

// Normalisation only: no stemming is needed to match keys.
const Analyzer& plain_analyzer() {
    static const Analyzer a(std::shared_ptr<const Stemmer>(make_stemmer("none")));
    return a;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// The space-separated pieces of text, empty ones left out.
std::vector<std::string_view> space_separated(std::string_view text) {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t j = std::min(text.find(' ', i), text.size());
        if (j > i) out.push_back(text.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

// Abbreviations of Indonesian news, checked against their common use. Each
// works both ways (Synonyms::match).
// Keys that are also ordinary words in lower case ("as", "ma", "who") are
// marked '=' and expand only when typed in capitals.
constexpr std::string_view kBuiltin = R"(
# Government and state bodies
presiden RI = presiden Republik Indonesia
RI = Republik Indonesia
NKRI = Negara Kesatuan Republik Indonesia
wapres = wakil presiden
capres = calon presiden
cawapres = calon wakil presiden
menlu = menteri luar negeri
menhan = menteri pertahanan
mendagri = menteri dalam negeri
menkeu = menteri keuangan
menkes = menteri kesehatan
menag = menteri agama
mendikbud = menteri pendidikan dan kebudayaan
menpora = menteri pemuda dan olahraga
mensesneg = menteri sekretaris negara
menkumham = menteri hukum dan hak asasi manusia
menko = menteri koordinator
mendag = menteri perdagangan
mentan = menteri pertanian
menhub = menteri perhubungan
mensos = menteri sosial
menperin = menteri perindustrian
menaker = menteri ketenagakerjaan
mendiknas = menteri pendidikan nasional
menkominfo = menteri komunikasi dan informatika
wamen = wakil menteri
kemlu = kementerian luar negeri
kemenlu = kementerian luar negeri
kemenkeu = kementerian keuangan
kemenkes = kementerian kesehatan
kemendagri = kementerian dalam negeri
kemenhan = kementerian pertahanan
kemenag = kementerian agama
kemendikbud = kementerian pendidikan dan kebudayaan
kemenkumham = kementerian hukum dan hak asasi manusia
kemenhub = kementerian perhubungan
kemensos = kementerian sosial
kementan = kementerian pertanian
kemendag = kementerian perdagangan
kemenperin = kementerian perindustrian
kemnaker = kementerian ketenagakerjaan
kemenpora = kementerian pemuda dan olahraga
TNI = Tentara Nasional Indonesia
TNI AD = Tentara Nasional Indonesia Angkatan Darat
TNI AL = Tentara Nasional Indonesia Angkatan Laut
TNI AU = Tentara Nasional Indonesia Angkatan Udara
Polri = Kepolisian Negara Republik Indonesia
Kapolri = Kepala Kepolisian Negara Republik Indonesia
Polda = Kepolisian Daerah
Kapolda = Kepala Kepolisian Daerah
Polres = Kepolisian Resor
Kapolres = Kepala Kepolisian Resor
KPK = Komisi Pemberantasan Korupsi
KPU = Komisi Pemilihan Umum
Bawaslu = Badan Pengawas Pemilihan Umum
DPR = Dewan Perwakilan Rakyat
DPRD = Dewan Perwakilan Rakyat Daerah
DPD = Dewan Perwakilan Daerah
MPR = Majelis Permusyawaratan Rakyat
MK = Mahkamah Konstitusi
=MA = Mahkamah Agung
BPK = Badan Pemeriksa Keuangan
=BI = Bank Indonesia
OJK = Otoritas Jasa Keuangan
BPS = Badan Pusat Statistik
BMKG = Badan Meteorologi, Klimatologi, dan Geofisika
BNPB = Badan Nasional Penanggulangan Bencana
BPBD = Badan Penanggulangan Bencana Daerah
Basarnas = Badan SAR Nasional
Basarnas = Badan Nasional Pencarian dan Pertolongan
BNN = Badan Narkotika Nasional
=BIN = Badan Intelijen Negara
BSSN = Badan Siber dan Sandi Negara
BPJS = Badan Penyelenggara Jaminan Sosial
KPAI = Komisi Perlindungan Anak Indonesia
BUMN = Badan Usaha Milik Negara
BUMD = Badan Usaha Milik Daerah
APBN = Anggaran Pendapatan dan Belanja Negara
APBD = Anggaran Pendapatan dan Belanja Daerah
PDB = Produk Domestik Bruto
UMKM = Usaha Mikro, Kecil, dan Menengah
pemprov = pemerintah provinsi
pemkab = pemerintah kabupaten
pemkot = pemerintah kota
pemda = pemerintah daerah
pemilu = pemilihan umum
pilgub = pemilihan gubernur
pilpres = pemilihan presiden
pilkada = pemilihan kepala daerah
DPT = daftar pemilih tetap
Plt = pelaksana tugas
Plh = pelaksana harian
pileg = pemilihan legislatif
PLN = Perusahaan Listrik Negara
KAI = Kereta Api Indonesia
KTT = Konferensi Tingkat Tinggi
wagub = wakil gubernur
wabup = wakil bupati
sekda = sekretaris daerah
kades = kepala desa
dirjen = direktur jenderal
ditjen = direktorat jenderal
dirut = direktur utama
kejagung = kejaksaan agung
kejati = kejaksaan tinggi
kejari = kejaksaan negeri
Polsek = Kepolisian Sektor
Kapolsek = Kepala Kepolisian Sektor
Kodam = Komando Daerah Militer
Pangdam = Panglima Komando Daerah Militer
ABRI = Angkatan Bersenjata Republik Indonesia
UU = undang-undang
RUU = rancangan undang-undang
KUHP = Kitab Undang-Undang Hukum Pidana
perda = peraturan daerah
perpres = peraturan presiden
keppres = keputusan presiden
tipikor = tindak pidana korupsi
lapas = lembaga pemasyarakatan
rutan = rumah tahanan

# Society and economy
parpol = partai politik
ketum = ketua umum
ormas = organisasi kemasyarakatan
PNS = pegawai negeri sipil
ASN = aparatur sipil negara
=HUT = hari ulang tahun
MUI = Majelis Ulama Indonesia
=NU = Nahdlatul Ulama
PDIP = Partai Demokrasi Indonesia Perjuangan
PKB = Partai Kebangkitan Bangsa
PKS = Partai Keadilan Sejahtera
=PAN = Partai Amanat Nasional
PPP = Partai Persatuan Pembangunan
LSM = lembaga swadaya masyarakat
HAM = hak asasi manusia
narkoba = narkotika dan obat-obatan terlarang
WNI = warga negara Indonesia
WNA = warga negara asing
TKI = tenaga kerja Indonesia
PHK = pemutusan hubungan kerja
BBM = bahan bakar minyak
SPBU = stasiun pengisian bahan bakar umum
migas = minyak dan gas bumi
Kadin = Kamar Dagang dan Industri
iptek = ilmu pengetahuan dan teknologi
litbang = penelitian dan pengembangan
humas = hubungan masyarakat
puskesmas = pusat kesehatan masyarakat
bandara = bandar udara
=RS = rumah sakit
RSUD = rumah sakit umum daerah
=UI = Universitas Indonesia
UGM = Universitas Gadjah Mada
ITB = Institut Teknologi Bandung

# Regions
DKI = Daerah Khusus Ibukota
DIY = Daerah Istimewa Yogyakarta
Jabar = Jawa Barat
Jateng = Jawa Tengah
Jatim = Jawa Timur
Sumut = Sumatera Utara
Sumbar = Sumatera Barat
Sumsel = Sumatera Selatan
Kalbar = Kalimantan Barat
Kalsel = Kalimantan Selatan
Kaltim = Kalimantan Timur
Sulsel = Sulawesi Selatan
Sulut = Sulawesi Utara
NTB = Nusa Tenggara Barat
NTT = Nusa Tenggara Timur

# The world
PBB = Perserikatan Bangsa-Bangsa
DK PBB = Dewan Keamanan PBB
DK PBB = Dewan Keamanan Perserikatan Bangsa-Bangsa
Sekjen PBB = Sekretaris Jenderal PBB
Sekjen PBB = Sekretaris Jenderal Perserikatan Bangsa-Bangsa
sekjen = sekretaris jenderal
dubes = duta besar
kedubes = kedutaan besar
KBRI = Kedutaan Besar Republik Indonesia
ASEAN = Perhimpunan Bangsa-Bangsa Asia Tenggara
OPEC = Organisasi Negara-Negara Pengekspor Minyak
=AS = Amerika Serikat
UE = Uni Eropa
=WHO = Organisasi Kesehatan Dunia
IMF = Dana Moneter Internasional
NATO = Pakta Pertahanan Atlantik Utara
)";

} // namespace

void Synonyms::add(std::string_view key, std::string_view expansion) {
    key = trim(key);
    expansion = trim(expansion);
    bool exact_case = false;
    if (!key.empty() && key.front() == '=') {
        exact_case = true;
        key = trim(key.substr(1));
    }
    std::vector<std::string> words;
    for (const auto& t : plain_analyzer().analyze(key))
        words.push_back(exact_case ? std::string(key.substr(t.start, t.end - t.start)) : t.norm);
    if (words.empty()) throw std::invalid_argument("no word before '='");
    if (plain_analyzer().analyze(expansion).empty()) throw std::invalid_argument("no word after '='");
    // The expansion as a query types it: each space-separated word one token
    // (the query parser's unit); one that is not (a lone comma) is never
    // typed, so it is not looked up the other way.
    std::vector<std::string> norm;
    bool typable = true;
    for (const std::string_view piece : space_separated(expansion)) {
        const auto toks = plain_analyzer().analyze(piece);
        typable = toks.size() == 1;
        if (!typable) break;
        norm.push_back(toks[0].norm);
    }
    insert(Key{std::move(words), exact_case}, expansion, typable ? &norm : nullptr);
}

void Synonyms::insert(Key k, std::string_view expansion, const std::vector<std::string>* norm_ptr, bool defined) {
    const bool typable = norm_ptr != nullptr;
    static const std::vector<std::string> none;
    const std::vector<std::string>& norm = typable ? *norm_ptr : none;
    const bool exact_case = k.second;
    const std::vector<std::string>& words = k.first;
    Entry& e = entries_[k];
    e.defined = (e.key.empty() || e.defined) && defined;  // (a table's entry stays the table's)
    e.key = words;
    e.exact_case = exact_case;
    // The same expansion again, in any letter case, adds nothing.
    for (const auto& x : e.expansions)
        if (x == expansion) return;
    if (auto it = reverse_.find(norm); typable && it != reverse_.end())
        for (const auto& [other, index] : it->second)
            if (other == k) return;
    e.expansions.emplace_back(expansion);
    longest_ = std::max(longest_, words.size());
    if (!typable || (norm == words && !exact_case)) return;  // (the key itself)
    reverse_[norm].emplace_back(k, e.expansions.size() - 1);
    longest_ = std::max(longest_, norm.size());
}

void Synonyms::add_defined(std::string_view abbr, std::string_view expansion, bool exact_case) {
    if (abbr.find('-') != std::string_view::npos) {
        add(std::string(exact_case ? "=" : "").append(abbr), expansion);  // (cut as the analyzer cuts it)
        return;
    }
    // The fast way (an index defines thousands): the key is one ASCII word and
    // the expansion normalised words joined by one space (abbreviations.h).
    std::vector<std::string> norm;
    for (const std::string_view piece : space_separated(expansion)) norm.emplace_back(piece);
    if (norm.empty()) throw std::invalid_argument("no word after '='");
    std::string key(abbr);
    if (!exact_case)
        for (char& c : key) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    insert(Key{{std::move(key)}, exact_case}, expansion, &norm, true);
}

void Synonyms::load(std::istream& in, const std::string& origin) {
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) {
        ++n;
        std::string_view s(line);
        if (const auto hash = s.find('#'); hash != std::string_view::npos) s = s.substr(0, hash);
        s = trim(s);
        if (s.empty()) continue;
        // A leading '=' marks an exact-case key; the separator is the next '='.
        const auto eq = s.find('=', s.front() == '=' ? 1 : 0);
        try {
            if (eq == std::string_view::npos) throw std::invalid_argument("expected 'abbreviation = expansion'");
            add(s.substr(0, eq), s.substr(eq + 1));
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error(origin + ":" + std::to_string(n) + ": " + e.what());
        }
    }
}

void Synonyms::load_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read synonyms file " + path);
    load(in, path);
}

std::shared_ptr<const Synonyms> Synonyms::builtin() {
    static const std::shared_ptr<const Synonyms> table = [] {
        auto s = std::make_shared<Synonyms>();
        std::istringstream in{std::string(kBuiltin)};
        s->load(in, "built-in synonyms");
        return s;
    }();
    return table;
}

std::shared_ptr<const Synonyms> Synonyms::from_env() {
    const char* env = std::getenv("CARI_SYNONYMS");
    if (!env || !*env) return builtin();
    auto s = std::make_shared<Synonyms>(*builtin());
    s->load_file(env);
    return s;
}

Synonyms::Match Synonyms::match(const std::vector<std::string>& typed, const std::vector<std::string>& norm,
                                std::size_t at) const {
    auto slice = [at](const std::vector<std::string>& src, std::size_t n) {
        return std::vector<std::string>(src.begin() + static_cast<std::ptrdiff_t>(at),
                                        src.begin() + static_cast<std::ptrdiff_t>(at + n));
    };
    for (std::size_t n = std::min(longest_, norm.size() - std::min(at, norm.size())); n > 0; --n) {
        const std::vector<std::string> key = slice(norm, n);
        if (auto it = entries_.find({slice(typed, n), true}); it != entries_.end()) return {n, it->second.expansions, false};
        if (auto it = entries_.find({key, false}); it != entries_.end()) {
            Match m{n, it->second.expansions, false};
            m.defined = it->second.defined;
            return m;
        }
        if (auto it = reverse_.find(key); it != reverse_.end()) {
            Match m{n, {}, true};
            auto add_alt = [&](std::string text) {
                if (std::find(m.alternatives.begin(), m.alternatives.end(), text) == m.alternatives.end())
                    m.alternatives.push_back(std::move(text));
            };
            for (const auto& [k, index] : it->second) {
                const Entry& e = entries_.at(k);
                // An exact-case key ("AS") is an ordinary word in the index ("as"):
                // typing its expansion does not add it.
                if (!e.exact_case) {
                    std::string text;
                    for (const auto& w : e.key) {
                        if (!text.empty()) text += ' ';
                        text += w;
                    }
                    if (e.defined) m.defined_keys.push_back(text);
                    add_alt(std::move(text));
                }
                for (std::size_t x = 0; x < e.expansions.size(); ++x)
                    if (x != index) add_alt(e.expansions[x]);
            }
            if (!m.alternatives.empty()) return m;
        }
    }
    return {};
}

} // namespace cari
