// Unit tests of mlarc.fcgi's response cache (cgi/cache.hpp) on the query
// tests' small indexed archive: a cached answer is byte-for-byte the page
// handle() makes now; an import (store commit), an index run (new revision)
// or a purge empties it; errors, raw and registry pages are never kept; the
// byte budget holds with least-recently-used eviction; Archive::state_token()
// moves with every writer commit and is absent for a sharded index.
#include "cgi/cache.hpp"
#include "cgi/pages.hpp"
#include "query/archive.hpp"
#include "unit/query/query_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

using namespace mlarc;
using namespace mlarc::web;
using mlarc::test::Msg;
using mlarc::test::QueryArchive;

namespace {

std::string header(const Response& r, const std::string& name) {
    for (const auto& [n, v] : r.headers)
        if (n == name) return v;
    return "";
}

/// The response without the X-Cache header, as text, to compare with a fresh one.
std::string bytes_of(Response r) {
    std::erase_if(r.headers, [](const auto& h) { return h.first == "X-Cache"; });
    return header_block(r) + r.body;
}

} // namespace

TEST_CASE("cacheable_path keeps the store-and-index pages only", "[cgi][cache]") {
    for (const char* p :
         {"", "/", "/search", "/l/linux-mips", "/l/linux-mips/atom", "/l/linux-mips/2018-01",
          "/l/linux-mips/months", "/t/12", "/t/12/", "/m/root@test", "/m/root@test/"})
        CHECK(cacheable_path(p));
    for (const char* p : {"/report", "/report/chart.svg", "/d/", "/d/D3.2", "/t/12/mbox",
                          "/m/root@test/raw", "/m/root@test/a/2", "/style.css", "/nowhere"})
        CHECK_FALSE(cacheable_path(p));
}

TEST_CASE("cached pages are the pages made now, until the archive changes", "[cgi][cache]") {
    QueryArchive qa;
    Archive archive = Archive::at(qa.path());
    Settings settings;
    ResponseCache cache(8u << 20);

    const std::string thread = "/t/" + std::to_string(qa.thread_of(qa.id(0)));
    const std::vector<std::pair<std::string, std::string>> requests = {
        {"/search", "q=kernel"},
        {"/search", "q=kernel&format=json"},
        {"/", ""},
        {"/l/linux-mips", ""},
        {"/l/linux-mips/atom", ""},
        {"/l/linux-mips/2018-01", ""},
        {thread, ""},
        {"/m/root@test", ""},
        {"/search", "q=cache&sort=relevance&n=1&page=2"}};
    for (const auto& [path, query] : requests) {
        INFO(path << "?" << query);
        archive.refresh();
        Response first = handle_cached(cache, archive, settings, "GET", path, query);
        CHECK(first.status == 200);
        CHECK(header(first, "X-Cache") == "miss");
        archive.refresh();
        Response second = handle_cached(cache, archive, settings, "GET", path, query);
        CHECK(header(second, "X-Cache") == "hit");
        CHECK(bytes_of(second) == bytes_of(first));
        // HEAD shares the entry (the loop leaves the body out).
        Response head = handle_cached(cache, archive, settings, "HEAD", path, query);
        CHECK(header(head, "X-Cache") == "hit");
        // And it is what an uncached handle() makes.
        CHECK(bytes_of(second) == bytes_of(handle(archive, settings, "GET", path, query)));
    }
    CHECK(cache.entries() == requests.size());
    CHECK(cache.hits() == 2 * requests.size());

    SECTION("an import empties it; the page then shows the new message once indexed") {
        Response before = handle_cached(cache, archive, settings, "GET", "/search", "q=zeppelin");
        CHECK(before.body.find("zeppelin-new@test") == std::string::npos);
        Msg m;
        m.mid = "zeppelin-new@test";
        m.subject = "zeppelin sighting";
        m.body = "A zeppelin over the kernel.\n";
        qa.archive().add({m});
        archive.refresh();
        Response after_store =
            handle_cached(cache, archive, settings, "GET", "/search", "q=kernel");
        CHECK(header(after_store, "X-Cache") == "miss"); // the store moved: everything went
        CHECK(cache.entries() == 1);
        qa.archive().index();
        archive.refresh();
        Response after_index =
            handle_cached(cache, archive, settings, "GET", "/search", "q=zeppelin");
        CHECK(header(after_index, "X-Cache") == "miss");
        CHECK(after_index.body.find("zeppelin sighting") != std::string::npos);
        CHECK(bytes_of(after_index) ==
              bytes_of(handle(archive, settings, "GET", "/search", "q=zeppelin")));
    }
    SECTION("errors, raw messages and registry pages are never kept") {
        for (const auto& [path, query] :
             std::vector<std::pair<std::string, std::string>>{{"/search", "q=date:2018-13"},
                                                              {"/search", "list=no-such-list"},
                                                              {"/m/no-such@test", ""},
                                                              {"/m/root@test/raw", ""},
                                                              {"/d/", ""},
                                                              {"/report", ""}}) {
            INFO(path << "?" << query);
            const size_t n = cache.entries();
            Response r = handle_cached(cache, archive, settings, "GET", path, query);
            Response again = handle_cached(cache, archive, settings, "GET", path, query);
            CHECK(header(again, "X-Cache") != "hit");
            CHECK(cache.entries() == n);
            CHECK(bytes_of(again) == bytes_of(r));
        }
    }
}

TEST_CASE("the cache stays within its byte budget, least recently used out first", "[cgi][cache]") {
    ResponseCache cache(4000);
    auto page = [](char c) {
        Response r;
        r.body.assign(700, c);
        return r;
    };
    cache.put("s", "a", page('a'));
    cache.put("s", "b", page('b'));
    cache.put("s", "c", page('c'));
    REQUIRE(cache.find("s", "a")); // a is now the most recent
    cache.put("s", "d", page('d'));
    cache.put("s", "e", page('e'));
    CHECK(cache.bytes() <= 4000);
    CHECK(cache.find("s", "a"));
    CHECK_FALSE(cache.find("s", "b")); // the least recently used went first
    CHECK(cache.find("s", "e")->body == std::string(700, 'e'));
    // Too big for a quarter of the budget: not kept.
    Response big;
    big.body.assign(1200, 'x');
    cache.put("s", "big", big);
    CHECK_FALSE(cache.find("s", "big"));
    // Replacing a key does not count it twice.
    const size_t before = cache.bytes();
    cache.put("s", "e", page('E'));
    CHECK(cache.bytes() == before);
    CHECK(cache.find("s", "e")->body == std::string(700, 'E'));
    // Another archive state: nothing of the old one is answered.
    CHECK_FALSE(cache.find("t", "a"));
    CHECK(cache.entries() == 0);
    CHECK(cache.bytes() == 0);
}

TEST_CASE("Archive::state_token moves with every writer commit", "[cgi][cache]") {
    QueryArchive qa;
    Archive archive = Archive::at(qa.path());
    auto t0 = archive.state_token();
    REQUIRE(t0);
    archive.refresh();
    CHECK(archive.state_token() == t0); // nothing written: the same
    qa.archive().remove(qa.id(3));      // a store commit (a purge's shape)
    archive.refresh();
    auto t1 = archive.state_token();
    REQUIRE(t1);
    CHECK(*t1 != *t0);
    qa.archive().index(); // a new index revision
    archive.refresh();
    auto t2 = archive.state_token();
    REQUIRE(t2);
    CHECK(*t2 != *t1);
    CHECK_FALSE(Archive::at(qa.path() / "nowhere").state_token());

    // A sharded index has no revision of its own: no token, so no caching.
    IndexOptions o = qa.archive().options();
    o.shards = 2;
    o.rebuild = true;
    qa.archive().index(o);
    Archive sharded = Archive::at(qa.path());
    CHECK_FALSE(sharded.state_token());
    ResponseCache cache(1u << 20);
    Response r = handle_cached(cache, sharded, Settings{}, "GET", "/search", "q=kernel");
    CHECK(r.status == 200);
    CHECK(header(r, "X-Cache").empty());
    CHECK(cache.entries() == 0);
}

TEST_CASE("MLARC_WEB_CACHE_MB sets the budget, a bad value keeps the default", "[cgi][cache]") {
    const char* old = std::getenv("MLARC_WEB_CACHE_MB");
    const std::string saved = old ? old : "";
    ::unsetenv("MLARC_WEB_CACHE_MB");
    CHECK(cache_bytes_from_env() == kDefaultCacheMiB << 20);
    ::setenv("MLARC_WEB_CACHE_MB", "0", 1);
    CHECK(cache_bytes_from_env() == 0);
    ::setenv("MLARC_WEB_CACHE_MB", "5", 1);
    CHECK(cache_bytes_from_env() == size_t{5} << 20);
    for (const char* bad : {"", "abc", "5MB", "-1", "4097", "99999999999999999999"}) {
        ::setenv("MLARC_WEB_CACHE_MB", bad, 1);
        CHECK(cache_bytes_from_env() == kDefaultCacheMiB << 20);
    }
    if (old)
        ::setenv("MLARC_WEB_CACHE_MB", saved.c_str(), 1);
    else
        ::unsetenv("MLARC_WEB_CACHE_MB");
}

TEST_CASE("MLARC_QUERY_TIME_LIMIT sets the search time, a bad value is reported", "[cgi]") {
    const char* old = std::getenv("MLARC_QUERY_TIME_LIMIT");
    const std::string saved = old ? old : "";
    std::ostringstream err;
    auto* was = std::cerr.rdbuf(err.rdbuf());
    ::unsetenv("MLARC_QUERY_TIME_LIMIT");
    const double dflt = settings_from_env().query_seconds;
    CHECK(dflt == 2);
    ::setenv("MLARC_QUERY_TIME_LIMIT", "0", 1);
    CHECK(settings_from_env().query_seconds == 0);
    ::setenv("MLARC_QUERY_TIME_LIMIT", "0.5", 1);
    CHECK(settings_from_env().query_seconds == 0.5);
    CHECK(err.str().empty());
    for (const char* bad : {"", "abc", "2s", "-1", "3601", "nan", "inf"}) {
        err.str("");
        ::setenv("MLARC_QUERY_TIME_LIMIT", bad, 1);
        CHECK(settings_from_env().query_seconds == dflt);
        INFO(bad);
        CHECK(err.str().find("MLARC_QUERY_TIME_LIMIT=\"" + std::string(bad) +
                             "\" is not a number") != std::string::npos);
    }
    std::cerr.rdbuf(was);
    if (old)
        ::setenv("MLARC_QUERY_TIME_LIMIT", saved.c_str(), 1);
    else
        ::unsetenv("MLARC_QUERY_TIME_LIMIT");
}

TEST_CASE("MLARC_WEB_MAX_BAD_REQUESTS sets the bad-request budget, a bad value is reported",
          "[cgi][cache]") {
    const char* old = std::getenv("MLARC_WEB_MAX_BAD_REQUESTS");
    const std::string saved = old ? old : "";
    std::ostringstream err;
    auto* was = std::cerr.rdbuf(err.rdbuf());
    ::unsetenv("MLARC_WEB_MAX_BAD_REQUESTS");
    CHECK(max_bad_requests_from_env() == kDefaultMaxBadRequests);
    ::setenv("MLARC_WEB_MAX_BAD_REQUESTS", "0", 1);
    CHECK(max_bad_requests_from_env() == 0);
    ::setenv("MLARC_WEB_MAX_BAD_REQUESTS", "25", 1);
    CHECK(max_bad_requests_from_env() == 25);
    CHECK(err.str().empty());
    for (const char* bad : {"", "x", "10k", "-1", "1000000001", "99999999999999999999"}) {
        err.str("");
        ::setenv("MLARC_WEB_MAX_BAD_REQUESTS", bad, 1);
        CHECK(max_bad_requests_from_env() == kDefaultMaxBadRequests);
        INFO(bad);
        CHECK(err.str().find("is not a number") != std::string::npos);
    }
    std::cerr.rdbuf(was);
    if (old)
        ::setenv("MLARC_WEB_MAX_BAD_REQUESTS", saved.c_str(), 1);
    else
        ::unsetenv("MLARC_WEB_MAX_BAD_REQUESTS");
}
