// Results on the small archive of query_fixture.hpp: thread collapse with
// matched/total counts, the three sort orders, paging totals, counts,
// facets, snippets, ids for export, and the store-side readers behind
// `show` and `thread` (ghosts included).
#include "query_fixture.hpp"

#include "index/columns.hpp"
#include "query/detail.hpp"
#include "xapian_support.hpp"

using namespace mlarc;
using mlarc::test::QueryArchive;

namespace {

SearchResult run(Archive& a, const std::string& text, SearchOptions o = {}, QuerySpec s = {}) {
    s.text = text;
    s.now = test::kNow;
    auto r = search(a, s, o);
    if (!r.ok()) FAIL("search: " << r.error().what());
    return *r;
}

std::vector<int64_t> message_ids(const SearchResult& r) {
    std::vector<int64_t> out;
    for (const auto& h : r.hits) out.push_back(h.message_id);
    return out;
}

uint64_t count_of(Archive& a, const std::string& text, bool threads = false) {
    QuerySpec s;
    s.text = text;
    auto r = count(a, s, threads);
    if (!r.ok()) FAIL("count: " << r.error().what());
    return *r;
}

} // namespace

TEST_CASE("results: one hit per thread with matched/total counts, authors and lists", "[query][results]") {
    QueryArchive qa;
    Archive a = Archive::at(qa.path());
    const auto r = run(a, "kernel");
    CHECK(r.by_thread);
    CHECK(r.messages.value == 4);
    CHECK(r.messages.exact);
    CHECK(r.threads.value == 3);
    CHECK(r.threads.exact);
    // Newest first by each thread's newest matching message.
    CHECK(message_ids(r) == std::vector<int64_t>{qa.id(3), qa.wg_id(), qa.id(2)});
    const Hit& t = r.hits[2];
    CHECK(t.thread_id == qa.thread_of(qa.id(0)));
    CHECK(t.matched == 2);
    CHECK(t.total == 3);
    CHECK(t.first_utc == 1514764800);
    CHECK(t.last_utc == 1520208000);
    CHECK(t.lists == std::vector<std::string>{"fgdpm-wg3", "linux-mips"});
    REQUIRE(t.authors.size() == 2);
    CHECK(t.authors[0].address == "bob@example.org"); // matching authors in date order
    CHECK(t.authors[0].matched);
    CHECK(t.authors[1].address == "ralf@linux-mips.org");
    CHECK(t.subject == "Re: Cache coherency on R10000");
    const Hit& other = r.hits[0];
    CHECK(other.matched == 1);
    CHECK(other.total == 1);
    CHECK(other.subject == "Übersicht: Kernel für MIPS");
}

TEST_CASE("results: sort orders and message results", "[query][results]") {
    QueryArchive qa;
    Archive a = Archive::at(qa.path());
    SearchOptions oldest;
    oldest.sort = SortOrder::oldest;
    // Oldest first: each thread is represented by its oldest matching message.
    CHECK(message_ids(run(a, "kernel", oldest)) == std::vector<int64_t>{qa.id(1), qa.wg_id(), qa.id(3)});
    SearchOptions relevance;
    relevance.sort = SortOrder::relevance;
    const auto rel = run(a, "kernel", relevance);
    CHECK(rel.hits.size() == 3);
    CHECK(rel.threads.value == 3);
    CHECK(rel.threads.exact);
    SearchOptions messages;
    messages.messages = true;
    const auto m = run(a, "kernel", messages);
    CHECK_FALSE(m.by_thread);
    CHECK(m.messages.value == 4);
    CHECK(message_ids(m) == std::vector<int64_t>{qa.id(3), qa.wg_id(), qa.id(2), qa.id(1)});
    CHECK(m.hits[2].total == 3); // messages in its thread
    CHECK(m.hits[2].matched == 1);
}

TEST_CASE("results: paging says how many there are and where the next page starts", "[query][results]") {
    test::TestArchive t;
    t.add_many(30);
    t.index();
    Archive a = Archive::at(t.path());
    SearchOptions o;
    o.limit = 10;
    o.offset = 10;
    const auto r = run(a, "cache", o);
    CHECK(r.hits.size() == 10);
    CHECK(r.threads.value == 30);
    CHECK(r.threads.exact);
    CHECK(r.messages.value == 30);
    // Newest first: messages 19..10 (message i is i days after the first).
    CHECK(r.hits.front().subject == "message 19 about cache coherency");
    CHECK(r.hits.back().subject == "message 10 about cache coherency");
    o.offset = 25;
    CHECK(run(a, "cache", o).hits.size() == 5);
    o.offset = 40;
    const auto past = run(a, "cache", o);
    CHECK(past.hits.empty());
    CHECK(past.threads.value == 30);
    SearchOptions bad;
    bad.limit = 0;
    QuerySpec s;
    auto err = search(a, s, bad);
    REQUIRE_FALSE(err.ok());
    CHECK(err.error().code == Errc::usage);
}

TEST_CASE("results: exact counts of messages and threads", "[query][results]") {
    QueryArchive qa;
    Archive a = Archive::at(qa.path());
    CHECK(count_of(a, "kernel") == 4);
    CHECK(count_of(a, "kernel", true) == 3);
    CHECK(count_of(a, "") == 5);
    CHECK(count_of(a, "", true) == 3);
    CHECK(count_of(a, "list:fgdpm-wg3") == 2); // the WG message and the cross-post
    CHECK(count_of(a, "wg:3") == 2);
    CHECK(count_of(a, "\"cache coherency\"") == 3); // in the subject of the whole thread
    CHECK(count_of(a, "\"discussed cache coherency\"") == 1); // the reply's quoted line is not indexed
    CHECK(count_of(a, "has:attachment") == 1);
    CHECK(count_of(a, "attachment:fix") == 1);
    CHECK(count_of(a, "from:bob") == 1);
    CHECK(count_of(a, "from:\"Bob Smith\"") == 1);
    CHECK(count_of(a, "from:ralf@linux-mips.org") == 3);
    CHECK(count_of(a, "date:2018") == 4);
    CHECK(count_of(a, "date:2018-01") == 2);
    CHECK(count_of(a, "date:2018-03..") == 3);
    CHECK(count_of(a, "date:..2018-01-01") == 1);
    CHECK(count_of(a, "übersicht") == 1);
    CHECK(count_of(a, "kernel NOT list:fgdpm-wg3") == 3);
    CHECK(count_of(a, "id:<late@test>") == 1);
    CHECK(count_of(a, "id:nothing@test") == 0);
    const std::string tid = std::to_string(qa.thread_of(qa.id(0)));
    CHECK(count_of(a, "thread:" + tid) == 3);
    QuerySpec f;
    f.text = "kernel";
    f.lists = {"linux-mips"};
    f.since = "2018-02";
    f.until = "2018-12";
    CHECK(*count(a, f, false) == 1); // late
}

TEST_CASE("results: facets count messages per list, author and month", "[query][results]") {
    QueryArchive qa;
    Archive a = Archive::at(qa.path());
    QuerySpec s;
    auto f = facets(a, s, 2);
    REQUIRE(f.ok());
    CHECK(f->messages == 5);
    REQUIRE(f->lists.size() == 2);
    CHECK(f->lists[0].key == "linux-mips");
    CHECK(f->lists[0].count == 4);
    CHECK(f->lists[1].key == "fgdpm-wg3");
    CHECK(f->lists[1].count == 2);
    CHECK(f->authors_total == 3);
    REQUIRE(f->authors.size() == 2); // the top 2
    CHECK(f->authors[0].key == "ralf@linux-mips.org");
    CHECK(f->authors[0].label == "Ralf Baechle");
    CHECK(f->authors[0].count == 3);
    std::vector<std::pair<std::string, uint64_t>> months;
    for (const auto& m : f->months) months.emplace_back(m.key, m.count);
    CHECK(months == std::vector<std::pair<std::string, uint64_t>>{
                        {"2018-01", 2}, {"2018-03", 1}, {"2018-06", 1}, {"2019-01", 1}});
    // With a search.
    SearchOptions o;
    o.facets = true;
    const auto r = run(a, "kernel", o);
    REQUIRE(r.facets);
    CHECK(r.facets->messages == 4);
}

TEST_CASE("results: a search's facets equal facets(), and above the author cap hold lists and months only",
          "[query][results]") {
    QueryArchive qa;
    Archive a = Archive::at(qa.path());
    auto pairs = [](const std::vector<FacetCount>& v) {
        std::vector<std::pair<std::string, uint64_t>> out;
        for (const auto& c : v)
            out.emplace_back(c.key, c.count);
        return out;
    };
    for (const char* text : {"", "kernel", "cache OR nosuchword", "nosuchword"}) {
        for (SortOrder sort : {SortOrder::newest, SortOrder::relevance}) {
            INFO("query '" << text << "', sort " << sort_order_name(sort));
            QuerySpec s;
            s.text = text;
            s.now = test::kNow;
            auto counted = facets(a, s, 20);
            REQUIRE(counted.ok());
            SearchOptions o;
            o.sort = sort;
            o.facets = true;
            o.snippets = false;
            auto all = search(a, s, o);
            REQUIRE(all.ok());
            REQUIRE(all->facets);
            CHECK(all->facets->messages == counted->messages);
            CHECK(pairs(all->facets->lists) == pairs(counted->lists));
            CHECK(pairs(all->facets->months) == pairs(counted->months));
            CHECK(pairs(all->facets->authors) == pairs(counted->authors));
            // A cap below the match count: no authors, the rest unchanged.
            o.facet_author_max = 1;
            auto capped = search(a, s, o);
            REQUIRE(capped.ok());
            REQUIRE(capped->facets);
            CHECK(capped->facets->messages == counted->messages);
            CHECK(pairs(capped->facets->lists) == pairs(counted->lists));
            CHECK(pairs(capped->facets->months) == pairs(counted->months));
            if (counted->messages > 1)
                CHECK(capped->facets->authors.empty());
            else
                CHECK(pairs(capped->facets->authors) == pairs(counted->authors));
        }
    }
    QuerySpec s;
    s.lists.push_back("fgdpm-wg3");
    auto months = month_counts(a, s); // newest first
    REQUIRE(months.ok());
    REQUIRE(!months->empty());
    for (size_t i = 1; i < months->size(); ++i)
        CHECK((*months)[i - 1].key > (*months)[i].key);
}

TEST_CASE("results: snippets highlight matches with the renderer's markers", "[query][results]") {
    QueryArchive qa;
    Archive a = Archive::at(qa.path());
    SearchOptions o;
    o.hi_start = "[";
    o.hi_end = "]";
    const auto r = run(a, "discussing", o); // stemmed: matches and lights up "discussed"
    REQUIRE(r.hits.size() == 1);
    CHECK(r.hits[0].snippet == "We [discussed] cache coherency at length.");
    o.snippets = false;
    CHECK(run(a, "discussing", o).hits[0].snippet.empty());
}

TEST_CASE("results: a hit missing from the store is left out and counted", "[query][results]") {
    QueryArchive qa;
    qa.archive().remove(qa.id(3)); // the store lost it; the index still has it
    Archive a = Archive::at(qa.path());
    const auto r = run(a, "kernel");
    CHECK(r.skipped == 1);
    CHECK(message_ids(r) == std::vector<int64_t>{qa.wg_id(), qa.id(2)});
}

TEST_CASE("results: ids for export, of matches or of whole threads", "[query][results]") {
    QueryArchive qa;
    Archive a = Archive::at(qa.path());
    QuerySpec s;
    s.text = "kernel";
    auto m = matching_ids(a, s, false);
    REQUIRE(m.ok());
    std::vector<int64_t> want{qa.id(1), qa.id(2), qa.id(3), qa.wg_id()};
    std::sort(want.begin(), want.end());
    CHECK(*m == want);
    auto t = matching_ids(a, s, true);
    REQUIRE(t.ok());
    want.push_back(qa.id(0));
    std::sort(want.begin(), want.end());
    CHECK(*t == want);
}

TEST_CASE("messages: show resolves numbers and Message-IDs and reads the store", "[query][messages]") {
    QueryArchive qa;
    Archive a = Archive::at(qa.path());
    CHECK(*resolve_message(a, std::to_string(qa.id(0))) == qa.id(0));
    CHECK(*resolve_message(a, "<root@test>") == qa.id(0));
    CHECK(*resolve_message(a, "id:root@test") == qa.id(0));
    CHECK(*resolve_message(a, "docid:" + std::to_string(qa.id(1))) == qa.id(1));
    auto missing = resolve_message(a, "nobody@test");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == Errc::not_found);
    CHECK(resolve_message(a, " ").error().code == Errc::usage);

    auto m = read_message(a, qa.id(0));
    REQUIRE(m.ok());
    CHECK(m->mid == "root@test");
    CHECK(m->subject == "Cache coherency on R10000");
    CHECK(m->lists == std::vector<std::string>{"fgdpm-wg3", "linux-mips"});
    CHECK(m->from.address == "ralf@linux-mips.org");
    REQUIRE(m->to.size() == 1);
    CHECK(m->to[0].address == "linux-mips@linux-mips.org");
    CHECK(m->body == "We discussed cache coherency at length.\n");
    auto late = read_message(a, qa.id(2));
    REQUIRE(late.ok());
    REQUIRE(late->attachments.size() == 1);
    CHECK(late->attachments[0].filename == "fix.patch");
}

TEST_CASE("messages: a thread is a tree, oldest first, with ghosts", "[query][messages]") {
    QueryArchive qa;
    Archive a = Archive::at(qa.path());
    const int64_t tid = qa.thread_of(qa.id(0));
    CHECK(*resolve_thread(a, std::to_string(tid)) == tid);
    CHECK(*resolve_thread(a, "<late@test>") == tid);
    CHECK(*resolve_thread(a, "thread:" + std::to_string(tid)) == tid);
    CHECK(resolve_thread(a, "thread:999999").error().code == Errc::not_found);
    auto t = read_thread(a, tid);
    REQUIRE(t.ok());
    CHECK(t->messages == 3);
    REQUIRE(t->nodes.size() == 4);
    CHECK(t->nodes[0].message_id == qa.id(0));
    CHECK(t->nodes[0].depth == 0);
    CHECK(t->nodes[1].message_id == qa.id(1));
    CHECK(t->nodes[1].depth == 1);
    CHECK(t->nodes[2].message_id == 0); // the ghost stands in for the missing parent
    CHECK(t->nodes[2].mid == "missing@test");
    CHECK(t->nodes[3].message_id == qa.id(2));
    CHECK(t->nodes[3].depth == t->nodes[2].depth + 1);
}

TEST_CASE("results: the same without the column file and the data slot (an index made before them)",
          "[query][results]") {
    QueryArchive qa;
    // Everything a thread line shows, for the queries and orders below.
    auto lines = [](Archive& a) {
        std::vector<std::string> out;
        for (const char* text : {"kernel", "cache", "date:2018", "kernel OR bob"}) {
            for (SortOrder sort : {SortOrder::newest, SortOrder::oldest, SortOrder::relevance}) {
                for (bool messages : {false, true}) {
                    SearchOptions o;
                    o.sort = sort;
                    o.messages = messages;
                    o.snippets = false;
                    const auto r = run(a, text, o);
                    std::string s = std::string(text) + " " + std::to_string(r.messages.value) +
                                    "/" + std::to_string(r.threads.value) + ":";
                    for (const auto& h : r.hits) {
                        s += " [" + std::to_string(h.message_id) + " t" +
                             std::to_string(h.thread_id) + " " + std::to_string(h.matched) + "/" +
                             std::to_string(h.total) + " " + std::to_string(h.first_utc) + "-" +
                             std::to_string(h.last_utc) + " " + h.subject;
                        for (const auto& l : h.lists)
                            s += " " + l;
                        for (const auto& au : h.authors)
                            s += " " + au.name + "<" + au.address + ">" + (au.matched ? "*" : "");
                        s += "]";
                    }
                    out.push_back(s);
                }
            }
            out.push_back(std::to_string(count_of(a, text, true)));
        }
        return out;
    };
    std::vector<std::string> with;
    {
        Archive a = Archive::at(qa.path());
        auto idx = a.index();
        REQUIRE(idx.ok());
        CHECK(a.columns((*idx)->db()) != nullptr); // the index run wrote a current file
        with = lines(a);
    }
    {
        Xapian::WritableDatabase db(index_path(qa.path()).string());
        for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
            Xapian::Document doc = db.get_document(*p);
            REQUIRE(doc.get_value(kSlotDocData) == doc.get_data());
            doc.remove_value(kSlotDocData);
            db.replace_document(*p, doc);
        }
        db.commit();
    }
    std::filesystem::remove(columns_path(index_path(qa.path())));
    {
        Archive a = Archive::at(qa.path());
        auto idx = a.index();
        REQUIRE(idx.ok());
        CHECK(a.columns((*idx)->db()) == nullptr);
        CHECK(lines(a) == with);
    }
    // A column file written from that index has dates and threads but no
    // authors: thread lines read the document data.
    REQUIRE(refresh_columns(index_path(qa.path())).ok());
    Archive a = Archive::at(qa.path());
    auto idx = a.index();
    REQUIRE(idx.ok());
    const Columns* cols = a.columns((*idx)->db());
    REQUIRE(cols != nullptr);
    CHECK_FALSE(cols->has_authors());
    CHECK(lines(a) == with);
}

TEST_CASE("results: a long-running reader picks up a column file written after the revision it saw",
          "[query][results]") {
    QueryArchive qa;
    // The index moves on without its file (as between the indexer's last
    // commit and the file's rename).
    qa.archive().add_many(2, "late");
    IndexOptions o = qa.archive().options();
    o.columns = false;
    qa.archive().index(o);
    Archive a = Archive::at(qa.path());
    auto idx = a.index();
    REQUIRE(idx.ok());
    CHECK(a.columns((*idx)->db()) == nullptr);
    const auto before = run(a, "kernel");
    REQUIRE(refresh_columns(index_path(qa.path())).ok());
    CHECK(a.columns((*idx)->db()) == nullptr); // not looked for again within a request
    a.refresh();                               // the next request (mlarc.fcgi)
    idx = a.index();
    REQUIRE(idx.ok());
    CHECK(a.columns((*idx)->db()) != nullptr);
    const auto after = run(a, "kernel");
    CHECK(message_ids(after) == message_ids(before));
    CHECK(after.threads.value == before.threads.value);
}

TEST_CASE("results: facets from the column file equal facets from the value streams",
          "[query][results]") {
    QueryArchive qa;
    // Authors the tables keep apart but the facet merges (one address, two
    // names), one without an address (no facet value), a cross-post.
    test::Msg dup1, dup2, noaddr, cross;
    dup1.mid = "dup1@test";
    dup1.from_addr = dup2.from_addr = "dup@example.org";
    dup1.from_name = "Dup One";
    dup2.mid = "dup2@test";
    dup2.from_name = "Dup Two";
    noaddr.mid = "noaddr@test";
    noaddr.from_addr = "";
    noaddr.from_name = "Nobody";
    cross.mid = "cross@test";
    cross.from_name = "";
    for (test::Msg* m : {&dup1, &dup2, &noaddr, &cross})
        m->body = "A kernel message.\n";
    dup2.date_utc = 1546300800 + 40 * 86400;
    qa.archive().add({dup1, dup2, noaddr, cross});
    qa.archive().add({cross}, qa.archive().list("fgdpm-wg3"));
    qa.archive().index();

    auto all = [](Archive& a) {
        std::vector<std::string> out;
        auto line = [](const std::string& what, const std::vector<FacetCount>& v) {
            std::string s = what;
            for (const auto& c : v)
                s += " [" + c.key + "|" + c.label + "|" + std::to_string(c.count) + "]";
            return s;
        };
        for (const char* text : {"", "kernel", "cache OR kernel", "nosuchword"}) {
            QuerySpec s;
            s.text = text;
            s.now = test::kNow;
            auto f = facets(a, s, 20);
            REQUIRE(f.ok());
            out.push_back(std::string(text) + " " + std::to_string(f->messages) + " " +
                          std::to_string(f->authors_total));
            out.push_back(line("lists", f->lists));
            out.push_back(line("authors", f->authors));
            out.push_back(line("months", f->months));
            for (SortOrder sort : {SortOrder::newest, SortOrder::relevance}) {
                for (uint64_t cap : {0, 2}) {
                    SearchOptions o;
                    o.sort = sort;
                    o.facets = true;
                    o.snippets = false;
                    o.facet_author_max = cap;
                    auto r = search(a, s, o);
                    REQUIRE(r.ok());
                    REQUIRE(r->facets);
                    out.push_back(line("search lists", r->facets->lists));
                    out.push_back(line("search authors", r->facets->authors));
                    out.push_back(line("search months", r->facets->months));
                }
            }
        }
        return out;
    };
    std::vector<std::string> with;
    {
        Archive a = Archive::at(qa.path());
        auto idx = a.index();
        REQUIRE(idx.ok());
        const Columns* cols = a.columns((*idx)->db());
        REQUIRE(cols != nullptr);
        REQUIRE(cols->has_authors());
        with = all(a);
    }
    // The merged address and its first name, the address-less author left out.
    const std::string joined = [&] {
        std::string s;
        for (const auto& l : with)
            s += l + "\n";
        return s;
    }();
    CHECK(joined.find("[dup@example.org|Dup One|2]") != std::string::npos);
    CHECK(joined.find("Nobody") == std::string::npos);
    std::filesystem::remove(columns_path(index_path(qa.path())));
    Archive a = Archive::at(qa.path());
    auto idx = a.index();
    REQUIRE(idx.ok());
    REQUIRE(a.columns((*idx)->db()) == nullptr);
    const auto without = all(a);
    REQUIRE(without.size() == with.size());
    for (size_t i = 0; i < with.size(); ++i)
        CHECK(with[i] == without[i]);
}

TEST_CASE("results: phrases read through phrase pairs match what the phrases match",
          "[query][results]") {
    QueryArchive qa;
    Archive a = Archive::at(qa.path());
    auto settings = a.index_settings();
    REQUIRE(settings.ok());
    REQUIRE(!settings->pair_words.empty()); // a new index has them
    struct Case {
        const char* text;
        size_t matches;
        bool through_pairs;
    };
    // A longer phrase is filtered only by pairs at most half as frequent as
    // its rarest word: in this small archive only "kernel the" is.
    for (const Case& k :
         {Case{"\"the kernel\"", 3, true}, Case{"\"about the kernel\"", 2, false},
          Case{"\"the kernel the\"", 0, true}, Case{"\"the kernel meeting\"", 1, false},
          Case{"\"of the kernel meeting\"", 1, false}, Case{"\"at length\"", 1, true},
          Case{"\"a kernel overview\"", 1, false}, Case{"\"the kernel\" -build", 2, true},
          Case{"\"kernel build\" OR \"the kernel\"", 3, true},
          Case{"subject:\"coherency on\"", 3, true}, Case{"\"the overview\"", 0, true},
          Case{"\"kernel the\"", 0, true}, Case{"\"cache coherency\"", 3, false},
          Case{"kernel NEAR the", 3, false}}) {
        INFO(k.text);
        QuerySpec s;
        s.text = k.text;
        s.now = test::kNow;
        using Ids = std::vector<Xapian::docid>;
        auto r =
            query_detail::read_index(a, [&](Xapian::Database& db) -> Result<std::array<Ids, 2>> {
                auto c = query_detail::compile(a, db, s);
                if (!c.ok()) return c.error();
                CHECK((c->query.get_description().find(kPairPrefix) != std::string::npos) ==
                      k.through_pairs);
                return std::array<Ids, 2>{test::enquire_ids(db, c->query),
                                          test::enquire_ids(db, c->parsed)};
            });
        REQUIRE(r.ok());
        CHECK((*r)[0] == (*r)[1]);
        CHECK((*r)[0].size() == k.matches);
        CHECK(count_of(a, k.text) == k.matches);
    }
    // Snippets highlight the phrase's words, not the pair term.
    SearchOptions o;
    o.hi_start = "[";
    o.hi_end = "]";
    const auto r = run(a, "\"the kernel\"", o);
    REQUIRE(r.hits.size() == 2);
    for (const auto& h : r.hits)
        CHECK(h.snippet.find("[the] [kernel]") != std::string::npos);
}
