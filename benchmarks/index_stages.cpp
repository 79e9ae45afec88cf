// index_stages: where indexing time goes, one thread, stage by stage, on a
// JSON Lines file: split, clean, analyse (make_document), write (Xapian).
// Usage: index_stages FILE.jsonl [--batch N] [--dangerous 1] [--no-write 1] [--variants 1] [--db DIR]
// Prints one line per stage: seconds of CPU and MB/s of input. --variants 1
// then writes the same documents without E terms and without positions and
// prints each one's write time and size, before and after compaction.
#include "analyzer.h"
#include "cleaner.h"
#include "document.h"
#include "readers.h"

#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

namespace {

double cpu_now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: index_stages FILE.jsonl [--batch N] [--dangerous 1] [--no-write 1] [--variants 1] [--db DIR]\n");
        return 2;
    }
    std::string path = argv[1], dbdir = "/tmp/index_stages_db";
    std::size_t batch = 1000;
    int flags = Xapian::DB_CREATE | Xapian::DB_NO_SYNC;
    bool no_write = false, variants = false;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--batch")) batch = std::stoul(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--variants")) variants = std::stoi(argv[i + 1]) != 0;
        else if (!std::strcmp(argv[i], "--no-write")) no_write = std::stoi(argv[i + 1]) != 0;
        else if (!std::strcmp(argv[i], "--dangerous")) flags |= std::stoi(argv[i + 1]) ? Xapian::DB_DANGEROUS : 0;
        else if (!std::strcmp(argv[i], "--db")) dbdir = argv[i + 1];
    }
    auto analyzer = cari::Analyzer::default_instance();
    cari::InputFile f{path, cari::Format::Jsonl};

    double t = cpu_now();
    std::string bytes = cari::read_file(path);
    const double mb = static_cast<double>(bytes.size()) / 1e6;
    std::vector<cari::RawDoc> raws;
    cari::split_documents(f, std::move(bytes), [&](cari::RawDoc&& r) { raws.push_back(std::move(r)); });
    const double t_split = cpu_now() - t;

    t = cpu_now();
    std::vector<cari::Article> arts;
    arts.reserve(raws.size());
    for (const auto& r : raws) arts.push_back(cari::clean(r));
    const double t_clean = cpu_now() - t;

    t = cpu_now();
    std::vector<Xapian::Document> docs;
    docs.reserve(arts.size());
    for (std::size_t i = 0; i < arts.size(); ++i) docs.push_back(cari::make_document(arts[i], *analyzer, i));
    const double t_doc = cpu_now() - t;

    if (no_write) {
        std::printf("analyse only: clean %.2f s, make_document %.2f s\n", t_clean, t_doc);
        return 0;
    }
    std::filesystem::remove_all(dbdir);
    const auto w0 = std::chrono::steady_clock::now();
    t = cpu_now();
    {
        Xapian::WritableDatabase db(dbdir, flags);
        std::size_t n = 0;
        for (const auto& d : docs) {
            db.add_document(d);
            if (++n % batch == 0) db.commit();
        }
        db.commit();
    }
    const double t_write = cpu_now() - t;
    const double w_write = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();

    std::printf("documents %zu, input %.1f MB, batch %zu\n", docs.size(), mb, batch);
    std::printf("%-22s %8s %8s\n", "stage", "cpu_s", "MB/s");
    auto row = [&](const char* name, double s) { std::printf("%-22s %8.2f %8.1f\n", name, s, s > 0 ? mb / s : 0.0); };
    row("read+split", t_split);
    row("clean", t_clean);
    row("analyse (make_document)", t_doc);
    row("write (add_document)", t_write);
    std::printf("write wall %.2f s\n", w_write);
    std::filesystem::remove_all(dbdir);
    if (!variants) return 0;

    // What the exact forms and the positions cost: the same documents written
    // without E terms, and without any positions, each then compacted.
    auto dir_bytes = [](const std::string& d) {
        std::uintmax_t b = 0;
        for (const auto& e : std::filesystem::recursive_directory_iterator(d))
            if (e.is_regular_file()) b += e.file_size();
        return b;
    };
    auto strip = [](const Xapian::Document& d, bool exact, bool positions) {
        Xapian::Document o;
        for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) {
            const std::string term = *t;
            if (!exact && term.size() > 1 && term[0] == 'E' && !(term[1] >= 'A' && term[1] <= 'Z')) continue;
            if (positions && t.positionlist_count() > 0) {
                for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) o.add_posting(term, *p, 0);
                o.add_term(term, t.get_wdf());
            } else {
                o.add_term(term, t.get_wdf());
            }
        }
        for (auto v = d.values_begin(); v != d.values_end(); ++v) o.add_value(v.get_valueno(), *v);
        o.set_data(d.get_data());
        return o;
    };
    std::printf("\n%-34s %8s %12s %12s\n", "variant", "write_s", "MB written", "MB compacted");
    struct Variant { const char* name; bool exact, positions; };
    for (const Variant& v : {Variant{"as indexed (E terms, positions)", true, true},
                             Variant{"without E terms", false, true}, Variant{"without positions", true, false},
                             Variant{"without E terms or positions", false, false}}) {
        std::vector<Xapian::Document> vd;
        vd.reserve(docs.size());
        for (const auto& d : docs) vd.push_back(strip(d, v.exact, v.positions));
        std::filesystem::remove_all(dbdir);
        std::filesystem::remove_all(dbdir + "-c");
        t = cpu_now();
        {
            Xapian::WritableDatabase db(dbdir, flags);
            std::size_t n = 0;
            for (const auto& d : vd) {
                db.add_document(d);
                if (++n % batch == 0) db.commit();
            }
            db.commit();
        }
        const double tw = cpu_now() - t;
        Xapian::Database(dbdir).compact(dbdir + "-c", Xapian::Compactor::FULL);
        std::printf("%-34s %8.2f %12.1f %12.1f\n", v.name, tw, static_cast<double>(dir_bytes(dbdir)) / 1e6,
                    static_cast<double>(dir_bytes(dbdir + "-c")) / 1e6);
        std::filesystem::remove_all(dbdir);
        std::filesystem::remove_all(dbdir + "-c");
    }
    return 0;
}
