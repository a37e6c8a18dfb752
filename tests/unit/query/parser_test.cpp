// The query language, checked on the PARSED query (as Omega's tests do):
// each prefix of the schema table, date forms, wg mapping, the command-line
// filters, and every error a user can provoke (one usage error with a hint).
#include "query_fixture.hpp"

#include "query/detail.hpp"

using namespace mlarc;
using mlarc::test::filter_of;
using mlarc::test::parsed;
using mlarc::test::QueryArchive;

namespace {

std::string boolean(const std::string& term) { return filter_of(Xapian::Query(term)); }

} // namespace

TEST_CASE("query: free text, stemming, phrases, booleans, NEAR, wildcards", "[query][parser]") {
    QueryArchive qa;
    Archive a = Archive::at(qa.path());
    CHECK(parsed(a, "kernel") == "Query(kernel@1)");
    CHECK(parsed(a, "\"cache coherency\"") == "Query((cach@1 PHRASE 2 coher@2))");
    CHECK(parsed(a, "cache coherency") == "Query((cach@1 AND coher@2))");
    CHECK(parsed(a, "cache OR kernel") == "Query((cach@1 OR kernel@2))");
    CHECK(parsed(a, "cache NOT kernel") == "Query((cach@1 AND_NOT kernel@2))");
    CHECK(parsed(a, "cache -kernel") == "Query((cach@1 AND_NOT kernel@2))");
    CHECK(parsed(a, "(cache OR kernel) AND meeting") ==
          "Query(((cach@1 OR kernel@2) AND meet@3))");
    CHECK(parsed(a, "cache NEAR/3 kernel") == "Query((cach@1 NEAR 4 kernel@2))");
    CHECK(parsed(a, "kern*") == "Query(WILDCARD SYNONYM kern)");
    CHECK(parsed(a, "") == "Query(<alldocuments>)");
    CHECK(parsed(a, "   ") == "Query(<alldocuments>)");
    CHECK(parsed(a, "body:kernel") == "Query(kernel@1)");
    CHECK(parsed(a, "subject:cache") == "Query(Scach@1)");
    CHECK(parsed(a, "subject:\"cache coherency\"") == "Query((Scach@1 PHRASE 2 Scoher@2))");
    CHECK(parsed(a, "attachment:patch") == "Query(XATTpatch@1)");
    CHECK(parsed(a, "att:patch") == "Query(XATTpatch@1)");
    // A URL or C++ scope is text, not an unknown prefix.
    CHECK(parsed(a, "http://www.linux-mips.org").rfind("Query((http@1 PHRASE", 0) == 0);
    CHECK(parsed(a, "Re: kernel") == "Query((re@1 AND kernel@2))");
    // CJK n-grams, as the indexer makes them.
    CHECK(parsed(a, "日本") == "Query((日@1 AND 日本@1 AND 本@1))");
}

TEST_CASE("query: every filter prefix of the schema table", "[query][parser]") {
    QueryArchive qa;
    Archive a = Archive::at(qa.path());
    CHECK(parsed(a, "from:ralf@linux-mips.org") == boolean("Aralf@linux-mips.org"));
    CHECK(parsed(a, "from:<Ralf@Linux-MIPS.org>") == boolean("Aralf@linux-mips.org"));
    CHECK(parsed(a, "author:ralf@linux-mips.org") == boolean("Aralf@linux-mips.org"));
    CHECK(parsed(a, "from:ralf") == filter_of(Xapian::Query("Aralf", 1, 1)));
    const std::vector<Xapian::Query> words{Xapian::Query("Abob", 1, 1), Xapian::Query("Asmith", 1, 2)};
    CHECK(parsed(a, "from:\"Bob Smith\"") ==
          filter_of(Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end(), 2)));
    CHECK(parsed(a, "from:ralf from:bob") ==
          filter_of(Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("Aralf", 1, 1),
                                  Xapian::Query("Abob", 1, 1))));
    CHECK(parsed(a, "to:Linux-MIPS@linux-mips.org") == boolean("XTOlinux-mips@linux-mips.org"));
    CHECK(parsed(a, "cc:bob@example.org") == boolean("XCCbob@example.org"));
    CHECK(parsed(a, "to:linux-mips") ==
          filter_of(Xapian::Query(Xapian::Query::OP_WILDCARD, "XTOlinux-mips", 100,
                                  Xapian::Query::WILDCARD_LIMIT_ERROR)));
    CHECK(parsed(a, "list:Linux-MIPS") == boolean("XLISTlinux-mips"));
    CHECK(parsed(a, "list:wg3@lists.example.org") == boolean("XLISTfgdpm-wg3"));
    CHECK(parsed(a, "list:linux-mips list:fgdpm-wg3") ==
          filter_of(Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("XLISTlinux-mips"),
                                  Xapian::Query("XLISTfgdpm-wg3"))));
    CHECK(parsed(a, "wg:3") == boolean("XLISTfgdpm-wg3"));
    CHECK(parsed(a, "wg:fgdpm-wg3") == boolean("XLISTfgdpm-wg3"));
    CHECK(parsed(a, "id:<root@test>") == boolean("Qroot@test"));
    CHECK(parsed(a, "mid:root@test") == boolean("Qroot@test"));
    CHECK(parsed(a, "msgid:Root@Test") == boolean("QRoot@Test")); // Message-IDs keep their case
    CHECK(parsed(a, "docid:12") == boolean("XID12"));
    const std::string tid = std::to_string(qa.thread_of(qa.id(0)));
    CHECK(parsed(a, "thread:" + tid) == boolean("XTHREAD" + tid));
    CHECK(parsed(a, "thread:<reply@test>") == boolean("XTHREAD" + tid)); // the thread of a message
    CHECK(parsed(a, "has:attachment") == boolean("Kattachment"));
    CHECK(parsed(a, "flag:No_Archive") == boolean("Kno_archive"));
    CHECK(parsed(a, "type:Text/X-Patch") == boolean("XTYPEtext/x-patch"));
    CHECK(parsed(a, "mimetype:application/pdf") == boolean("XTYPEapplication/pdf"));
    CHECK(parsed(a, "doc:D3.1") == boolean("XDOCd3.1"));
    CHECK(parsed(a, "domain:@Example.org") == boolean("XDOMexample.org"));
    CHECK(parsed(a, "year:2018") == boolean("Y2018"));
    CHECK(parsed(a, "month:2018-03") == boolean("M201803"));
    CHECK(parsed(a, "month:201803") == boolean("M201803"));
    // Filters combine with text: different fields AND, the text keeps its weight.
    CHECK(parsed(a, "kernel list:linux-mips has:attachment") ==
          Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query("kernel", 1, 1),
                        Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("Kattachment"),
                                      Xapian::Query("XLISTlinux-mips")))
              .get_description());
}

TEST_CASE("query: date and size ranges", "[query][parser]") {
    QueryArchive qa;
    Archive a = Archive::at(qa.path());
    // Closed ranges are the year (Y) and month (M) terms they cover whole,
    // and a month covered in part is its term filtered by the value range.
    // Descriptions show the serialised bounds as dates (UTC) and numbers.
    CHECK(parsed(a, "date:2018") == "Query(0 * Y2018)");
    CHECK(parsed(a, "date:2018-03") == "Query(0 * M201803)");
    CHECK(parsed(a, "date:2018-03-05") ==
          "Query(0 * (M201803 FILTER VALUE_RANGE 0 2018-03-05T00:00:00Z 2018-03-05T23:59:59Z))");
    CHECK(parsed(a, "date:2018-01-01..2018-06-30") ==
          "Query(0 * (M201801 OR M201802 OR M201803 OR M201804 OR M201805 OR M201806))");
    CHECK(parsed(a, "date:2017-12-15..2019-01") ==
          "Query(0 * ((M201712 FILTER VALUE_RANGE 0 2017-12-15T00:00:00Z 2017-12-31T23:59:59Z) OR "
          "Y2018 OR M201901))");
    CHECK(parsed(a, "date:2018-02-28T22:00..2018-03-01T01:00") ==
          "Query(0 * ((M201802 FILTER VALUE_RANGE 0 2018-02-28T22:00:00Z 2018-02-28T23:59:59Z) OR "
          "(M201803 FILTER VALUE_RANGE 0 2018-03-01T00:00:00Z 2018-03-01T01:00:59Z)))");
    // More than 64 pieces: one value range (documents outside years 0-9999
    // have no M or Y term, so such ranges are value ranges too).
    CHECK(parsed(a, "date:1900-01-02..2018") ==
          "Query(VALUE_RANGE 0 1900-01-02T00:00:00Z 2018-12-31T23:59:59Z)");
    const std::string years = parsed(a, "date:1960..2018"); // 59 pieces
    CHECK(years.starts_with("Query(0 * (Y1960 OR Y1961 OR "));
    CHECK(years.ends_with(" OR Y2017 OR Y2018))"));
    CHECK(parsed(a, "date:2018..") == "Query(VALUE_GE 0 2018-01-01T00:00:00Z)");
    CHECK(parsed(a, "date:..2018-06") == "Query(VALUE_LE 0 2018-06-30T23:59:59Z)");
    CHECK(parsed(a, "date:2018-03-05T10:30..") == "Query(VALUE_GE 0 2018-03-05T10:30:00Z)");
    // Relative forms count back from "now" (2018-06-15T12:00:00Z).
    CHECK(parsed(a, "date:3m..") == "Query(VALUE_GE 0 2018-03-15T12:00:00Z)");
    CHECK(parsed(a, "date:2w..") == "Query(VALUE_GE 0 2018-06-01T12:00:00Z)");
    CHECK(parsed(a, "date:yesterday..") == "Query(VALUE_GE 0 2018-06-14T00:00:00Z)");
    CHECK(parsed(a, "date:yesterday") ==
          "Query(0 * (M201806 FILTER VALUE_RANGE 0 2018-06-14T00:00:00Z 2018-06-14T23:59:59Z))");
    CHECK(parsed(a, "kernel date:2018..") == "Query((kernel@1 FILTER VALUE_GE 0 2018-01-01T00:00:00Z))");
    // The bounds really are the serialised numbers of the date slot, and the
    // terms those of the documents' dates (fixture: 2018-01-01, 2018-01-02,
    // 2018-03-05, 2018-06-01, 2019-01-01, all at 00:00 UTC).
    QuerySpec s;
    for (const auto& [text, n] : std::vector<std::pair<std::string, uint64_t>>{
             {"date:2018-01", 2},
             {"date:2018", 4},
             {"date:2018-01-02..2018-03-05", 2},
             {"date:2018-01-01T00:00..2018-01-01T00:00", 1},
             {"date:2018-01-01T00:01..2018-03-04", 1},
             {"date:2017-12-31..2019-01-01", 5},
             {"date:2018-06..2019", 2},
             {"date:1900-01-02..2018-01-01", 1}}) {
        s.text = text;
        INFO(text);
        CHECK(*count(a, s, false) == n);
    }
    CHECK(parsed(a, "size:100k..1M") == "Query(VALUE_RANGE 2 100000 1000000)");
    CHECK(parsed(a, "size:..2000") == "Query(VALUE_LE 2 2000)");
}

TEST_CASE("query: command-line filters are filter queries, never query text", "[query][parser]") {
    QueryArchive qa;
    Archive a = Archive::at(qa.path());
    QuerySpec s;
    s.lists = {"linux-mips", "FGDPM-WG3"};
    CHECK(parsed(a, "kernel", s) ==
          Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query("kernel", 1, 1),
                        Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("XLISTlinux-mips"),
                                      Xapian::Query("XLISTfgdpm-wg3")))
              .get_description());
    QuerySpec w;
    w.wg = 3;
    w.author = "Ralf@Linux-MIPS.org";
    CHECK(parsed(a, "", w) ==
          Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query::MatchAll,
                        Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("XLISTfgdpm-wg3"),
                                      Xapian::Query("Aralf@linux-mips.org")))
              .get_description());
    QuerySpec d;
    d.since = "2018-03";
    d.until = "2018";
    CHECK(parsed(a, "", d) == "Query((<alldocuments> FILTER 0 * (M201803 OR M201804 OR M201805 OR "
                              "M201806 OR M201807 OR M201808 OR M201809 OR M201810 OR M201811 OR "
                              "M201812)))");
    // A text that looks like query syntax stays a value of the filter.
    QuerySpec inj;
    inj.author = "x OR list:secret";
    CHECK(parsed(a, "", inj).find("XLIST") == std::string::npos);
    // With a filter, a query of only NOT terms has something to subtract from.
    QuerySpec l;
    l.lists = {"linux-mips"};
    CHECK(parsed(a, "NOT kernel", l) ==
          Xapian::Query(Xapian::Query::OP_FILTER,
                        Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll,
                                      Xapian::Query("kernel", 1, 1)),
                        Xapian::Query("XLISTlinux-mips"))
              .get_description());
    CHECK(parsed(a, "-kernel", l) == parsed(a, "NOT kernel", l));
}

TEST_CASE("query: user errors are one usage error saying what would be right", "[query][parser]") {
    QueryArchive qa;
    Archive a = Archive::at(qa.path());
    auto error = [&](const std::string& text, QuerySpec spec = {}) {
        spec.text = text;
        spec.now = test::kNow;
        auto r = explain_query(a, spec);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == Errc::usage);
        return r.error().what();
    };
    auto has = [](const std::string& s, const std::string& part) {
        INFO(s);
        CHECK(s.find(part) != std::string::npos);
    };
    // A windowed NEAR/ADJ after an operator or under +/- (Xapian's parser
    // leaks on these syntax errors: said before it runs).
    has(error("-NEAR/2"), "+/- cannot go before 'NEAR/2'");
    has(error("NOT NEAR/2"), "'NEAR/2' cannot follow 'NOT'");
    has(error("kernel OR ADJ/3 mips"), "'ADJ/3' cannot follow 'OR'");
    has(error("kernel OR ADJ/3 mips"), "write a ADJ/3 b");
    CHECK(parsed(a, "kernel NEAR/3 mips") == "Query((kernel@1 NEAR 4 mip@2))");
    CHECK(parsed(a, "\"OR NEAR/3\" kernel").rfind("error", 0) != 0);
    has(error("foo:bar"), "unknown prefix foo:");
    has(error("foo:bar"), "known prefixes: att: attachment: author:");
    has(error("foo:bar"), "\"foo:bar\"");
    has(error("From:ralf"), "prefixes are lower case: from:");
    has(error("date:2018-13"), "bad date '2018-13'");
    has(error("date:2018-13"), "YYYY-MM-DD");
    has(error("date:2019..2018"), "is empty");
    has(error("date:3m"), "use date:3m..");
    has(error("size:big..huge"), "bad size 'big'");
    has(error("list:nope"), "unknown list 'nope'");
    has(error("list:nope"), "linux-mips");
    has(error("wg:7"), "working group 7");
    has(error("wg:7"), "fgdpm-wg3 (wg 3)");
    has(error("has:gold"), "has:attachment");
    has(error("year:18"), "4-digit year");
    has(error("month:2018-13"), "YYYY-MM");
    has(error("docid:abc"), "message number");
    has(error("*ache"), "leading wildcards");
    has(error("kernel -*x"), "leading wildcards");
    has(error("NOT kernel"), "only NOT terms");
    has(error("-kernel"), "only NOT terms");
    has(error("kernel OR"), "syntax error");
    has(error("(kernel"), "unclosed '('");
    has(error("kernel)"), "')' without a matching '('");
    has(error("\"kernel"), "unclosed quote");
    has(error("list:"), "has no value");
    has(error("from:(a b)"), "cannot take a group");
    has(error("a..b"), "ranges work on date:A..B");
    has(error(std::string(5000, 'a')), "at most 4096");
    has(error(std::string("\xff\xfe")), "not valid UTF-8");
    std::string many;
    for (int i = 0; i < 70; ++i) many += "w" + std::to_string(i) + " ";
    has(error(many), "distinct terms");
    has(error(std::string(101, '(') + "a" + std::string(101, ')')), "nests parentheses");
    QuerySpec bad_since;
    bad_since.since = "last tuesday";
    has(error("", bad_since), "--since: bad date 'last tuesday'");
    QuerySpec reversed;
    reversed.since = "2019";
    reversed.until = "2018";
    has(error("", reversed), "is empty");
    QuerySpec bad_list;
    bad_list.lists = {"nope"};
    has(error("", bad_list), "--list: unknown list 'nope'");
    QuerySpec bad_wg;
    bad_wg.wg = 9;
    has(error("", bad_wg), "--wg: no list");
}

TEST_CASE("query: the known prefixes come from the schema table", "[query][parser]") {
    const auto& known = query_detail::known_prefixes();
    for (const auto& f : kIndexFields) {
        INFO(f.name);
        CHECK(std::find(known.begin(), known.end(), std::string(f.name)) != known.end());
    }
    CHECK(std::find(known.begin(), known.end(), "wg") != known.end());
    CHECK(std::is_sorted(known.begin(), known.end()));
}

TEST_CASE("query: a missing index or archive is a clear error", "[query][parser]") {
    test::TempDir d;
    Archive a = Archive::at(d.path() / "nothing");
    QuerySpec s;
    s.text = "kernel";
    auto r = explain_query(a, s);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::not_found);
    CHECK(r.error().what().find("no archive at") != std::string::npos);
}
