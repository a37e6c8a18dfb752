// Unit tests of the web front end's request parsing, response headers and
// address obfuscation (cgi/request.hpp): the parts that decide what reaches
// the pages, tested without an archive.
#include "cgi/request.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace mlarc::web;

TEST_CASE("percent_decode decodes and rejects bad escapes", "[cgi]") {
    CHECK(percent_decode("a%20b+c", true) == std::optional<std::string>("a b c"));
    CHECK(percent_decode("a+b", false) == std::optional<std::string>("a+b"));
    CHECK(percent_decode("%3Cx%3e", true) == std::optional<std::string>("<x>"));
    CHECK_FALSE(percent_decode("%", true));
    CHECK_FALSE(percent_decode("%4", true));
    CHECK_FALSE(percent_decode("%ZZ", true));
    CHECK_FALSE(percent_decode("ab%G0", true));
}

TEST_CASE("parse_request whitelists and checks parameters", "[cgi]") {
    auto r = parse_request("GET", "", "q=kernel+panic&list=fgdpm&page=2&n=");
    REQUIRE(r.ok());
    CHECK(r->path == "/");
    CHECK(r->param("q") == "kernel panic");
    CHECK(r->param("list") == "fgdpm");
    CHECK(r->param("page") == "2");
    CHECK(r->param("n").empty());
    CHECK(r->param("sort").empty());

    CHECK(parse_request("HEAD", "/search", "").ok());
    auto post = parse_request("POST", "/", "");
    REQUIRE_FALSE(post.ok());
    CHECK(post.error().message.rfind("405", 0) == 0);
    CHECK_FALSE(parse_request("GET", "/", "archive=/etc").ok());
    CHECK_FALSE(parse_request("GET", "/", "q=a&q=b").ok());
    CHECK_FALSE(parse_request("GET", "/", "q=%ZZ").ok());
    CHECK_FALSE(parse_request("GET", "/", "q=%FF").ok());
    CHECK_FALSE(parse_request("GET", "/", "q=%00").ok());
    CHECK_FALSE(parse_request("GET", std::string("/m/\xFF"), "").ok());
    CHECK_FALSE(parse_request("GET", "/", "q=" + std::string(kMaxQueryString, 'a')).ok());
    CHECK(parse_request("GET", "/", "&&q=x&").ok());
}

TEST_CASE("header_block carries the security headers", "[cgi]") {
    Response r;
    r.status = 404;
    std::string h = header_block(r);
    CHECK(h.rfind("Status: 404 Not Found\r\n", 0) == 0);
    CHECK(h.find("Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self'; "
                 "frame-ancestors 'none'\r\n") != std::string::npos);
    CHECK(h.find("X-Content-Type-Options: nosniff\r\n") != std::string::npos);
    CHECK(h.find("Referrer-Policy: no-referrer\r\n") != std::string::npos);
    CHECK(h.size() >= 4);
    CHECK(h.substr(h.size() - 4) == "\r\n\r\n");
    r.status = 405;
    CHECK(header_block(r).find("Allow: GET, HEAD\r\n") != std::string::npos);
}

TEST_CASE("addresses are obfuscated in text", "[cgi]") {
    CHECK(obfuscate_address("jane.doe@example.org") == "jan... at example.org");
    CHECK(obfuscate_address("jo@example.org") == "jo at example.org");
    CHECK(obfuscate_address("not an address") == "not an address");
    CHECK(obfuscate_text("mail jane.doe@example.org, or bob@lists.example.net.") ==
          "mail jan... at example.org, or bob at lists.example.net.");
    CHECK(obfuscate_text("user@localhost and @handle") == "user@localhost and @handle");
}

TEST_CASE("attachment names become a safe Content-Disposition", "[cgi]") {
    // RFC 6266 with an RFC 5987 UTF-8 name; the ASCII fallback keeps only
    // letters, digits, '.', '-' and '_', and never starts with a dot.
    CHECK(content_disposition_attachment("report.pdf") ==
          "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
    CHECK(content_disposition_attachment("r\xC3\xA9sum\xC3\xA9 1;.txt") ==
          "attachment; filename=\"r__sum___1_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9%201%3B.txt");
    CHECK(content_disposition_attachment("\"\r\nX-Evil: 1") ==
          "attachment; filename=\"___X-Evil__1\"; filename*=UTF-8''%22%0D%0AX-Evil%3A%201");
    CHECK(content_disposition_attachment("../../etc/passwd") ==
          "attachment; filename=\"_.._etc_passwd\"; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd");
    CHECK(content_disposition_attachment("") == "attachment; filename=\"attachment.bin\"");
    CHECK(content_disposition_attachment("..") == "attachment; filename=\"attachment.bin\"");
}

TEST_CASE("the wg parameter is accepted once", "[cgi]") {
    CHECK(parse_request("GET", "/search", "wg=3&q=x").ok());
    CHECK_FALSE(parse_request("GET", "/search", "wg=3&wg=4").ok());
}
