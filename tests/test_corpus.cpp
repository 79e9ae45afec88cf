// The project's own corpus: the cleaner's output for every document must be
// what corpus/expected/ says (title, date, source, author, body paragraphs).
#include "cleaner.h"
#include "json.h"
#include "readers.h"
#include "test_util.h"

#include <map>

using namespace cari;
using namespace cari::test;

namespace {

struct Expected {
    std::string title, date, source, author;
    std::vector<std::string> body;
};

Expected load_expected(const fs::path& p) {
    const auto v = json::parse(slurp(p));
    Expected e;
    e.title = v.find("title")->text();
    e.date = v.find("date")->text();  // null -> ""
    e.source = v.find("source")->text();
    e.author = v.find("author")->text();
    for (const auto& b : v.find("body")->arr) e.body.push_back(b.text());
    return e;
}

// Every document of corpus/articles, cleaned, by the name of its expected file.
std::map<std::string, Article> clean_corpus() {
    std::map<std::string, Article> out;
    std::vector<InputProblem> problems;
    for (const auto& f : list_inputs({source_dir() + "/corpus/articles"}, Format::Auto, problems)) {
        split_documents(f, read_file(f.path), [&](RawDoc&& raw) {
            Article a = clean(raw);
            const std::string stem = fs::path(f.path).stem().string();
            out[raw.line ? "feed-" + a.id : stem] = std::move(a);
        });
    }
    return out;
}

} // namespace

TEST(Corpus, EveryDocumentCleansAsExpected) {
    const auto cleaned = clean_corpus();
    std::size_t checked = 0;
    for (const auto& entry : fs::directory_iterator(source_dir() + "/corpus/expected")) {
        const std::string name = entry.path().stem().string();
        SCOPED_TRACE(name);
        const auto it = cleaned.find(name);
        ASSERT_NE(it, cleaned.end()) << "no input document for " << name;
        const Article& a = it->second;
        const Expected e = load_expected(entry.path());
        EXPECT_EQ(a.title, e.title);
        EXPECT_EQ(a.date, e.date);
        EXPECT_EQ(a.source, e.source);
        EXPECT_EQ(a.author, e.author);
        // Every article paragraph kept, in order, once; nothing else.
        EXPECT_EQ(a.paragraphs, e.body);
        ++checked;
    }
    EXPECT_EQ(checked, 21u);
}
