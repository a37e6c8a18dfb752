// Unit tests of the structured header helpers: Content-Type/-Disposition
// parameters with RFC 2231 (FAILURE-MODES C.23-24), address lists (B.18) and
// Message-ID / References parsing (B.14, E).
#include "mime_test.hpp"

#include <chrono>
#include <string>

using namespace mlarc;

TEST_CASE("Parameters: quoting, comments, capitalisation, blanks around '='", "[mime][params]") {
    auto p = parse_header_params("Multipart/Mixed; boundary=\"a;b\\\"c\"; X=1");
    CHECK(p.value == "multipart/mixed");
    CHECK(p.raw("boundary") == "a;b\"c");
    CHECK(p.raw("x") == "1");
    CHECK(parse_header_params("multipart/related; boundary =bar").raw("boundary") == "bar");
    CHECK(parse_header_params("text/plain; charset=us-ascii (Plain text)").raw("charset") == "us-ascii");
    CHECK(parse_header_params("text / plain ; charset = \"utf-8\"").value == "text/plain");
    CHECK(parse_header_params("text/plain junk; charset=x").value == "text/plain");
    CHECK(parse_header_params("text/plain; foo; charset=x").raw("charset") == "x");
    CHECK(parse_header_params("text/plain; charset=a; charset=b").raw("charset") == "a"); // first wins
    CHECK(parse_header_params("").value.empty());
    CHECK(parse_header_params("attachment; filename=\"unterminated").raw("filename") == "unterminated");
    CHECK(parse_header_params("attachment; filename=my file.txt ;size=3").raw("filename") == "my file.txt");
}

TEST_CASE("RFC 2231: extended values, continuations, language, precedence", "[mime][params]") {
    auto p = parse_header_params("attachment; filename*=UTF-8''%e2%82%ac%20rates.txt");
    CHECK(param_text(p, "filename") == "€ rates.txt");
    CHECK(p.find("filename")->extended);
    // Continuations, one of them encoded, given out of order.
    p = parse_header_params("attachment; filename*1=\"-part two\"; filename*0*=utf-8'en'%E6%97%A5; "
                            "filename*2*=%2Etxt");
    CHECK(param_text(p, "filename") == "日-part two.txt");
    // Language tag and ISO-8859-1.
    p = parse_header_params("attachment; filename*=iso-8859-1'fr'caf%E9.doc");
    CHECK(param_text(p, "filename") == "café.doc");
    // Both forms: the extended one wins, wherever it is.
    p = parse_header_params("attachment; filename*=utf-8''real.txt; filename=\"fallback.txt\"");
    CHECK(param_text(p, "filename") == "real.txt");
    p = parse_header_params("attachment; filename=\"fallback.txt\"; filename*=utf-8''real.txt");
    CHECK(param_text(p, "filename") == "real.txt");
    // An extended value without charset'lang' prefix, and a broken one.
    CHECK(param_text(parse_header_params("a; name*=plain%20name"), "name") == "plain name");
    CHECK(param_text(parse_header_params("a; name*=utf-8''%E6%97"), "name") == "\u00E6\u2014"); // bad UTF-8: cp1252
    CHECK(param_text(parse_header_params("a; name*999999=x"), "name").empty());
    // RFC 2047 inside a quoted plain value (non-standard, common), raw UTF-8 too.
    p = parse_header_params("text/plain; name=\"=?utf-8?B?5pel5pys6Kqe44Gu44OV44Kh44Kk44OrLnR4dA==?=\"");
    CHECK(param_text(p, "name") == "日本語のファイル.txt");
    CHECK(param_text(parse_header_params("a; filename=\"r\xC3\xA9sum\xC3\xA9.pdf\""), "filename") == "résumé.pdf");
    CHECK(param_text(parse_header_params("a; filename=\"r\xE9sum\xE9.pdf\""), "filename") == "résumé.pdf");
    CHECK(param_text(p, "missing").empty());
}

TEST_CASE("Parameters: bounded work on hostile values", "[mime][params]") {
    std::string many = "text/plain";
    for (int i = 0; i < 20000; ++i) many += "; p" + std::to_string(i) + "*" + std::to_string(i % 9000) + "*=x";
    std::string comments = "text/plain; a=" + std::string(100000, '(');
    CHECK(parse_header_params(many).params.size() <= 256);
    CHECK(parse_header_params(comments).value == "text/plain");
}

TEST_CASE("Addresses: the usual forms", "[mime][address]") {
    auto a = parse_address_list("John Doe <John.Doe@Example.COM>, \"Doe, Jane\" <jane@x.org>, bob@y.net (Bob B)");
    REQUIRE(a.size() == 3);
    CHECK(a[0].address == "john.doe@example.com");
    CHECK(a[0].name == "John Doe");
    CHECK(a[1].address == "jane@x.org");
    CHECK(a[1].name == "Doe, Jane");
    CHECK(a[2].address == "bob@y.net");
    CHECK(a[2].name == "Bob B");
    a = parse_address_list("=?ISO-8859-1?Q?Nicolas_Fouch=E9?= <a.b@gmail.com>");
    REQUIRE(a.size() == 1);
    CHECK(a[0].name == "Nicolas Fouché");
    a = parse_address_list("=?utf-8?Q?Doe,_Jane?= <jd@x.org>"); // a comma inside an encoded word
    REQUIRE(a.size() == 1);
    CHECK(a[0].name == "Doe, Jane");
    a = parse_address_list("<@relay.example:User@Host.example>");
    REQUIRE(a.size() == 1);
    CHECK(a[0].address == "user@host.example");
}

TEST_CASE("Addresses: groups, odd names, double @, no commas", "[mime][address]") {
    CHECK(parse_address_list("undisclosed-recipients:;").empty());
    CHECK(parse_address_list("undisclosed recipients: ;").empty());
    auto a = parse_address_list("Friends: a@b.c, \"Joe\" <d@e.f>;, g@h.i");
    REQUIRE(a.size() == 3);
    CHECK(a[0].address == "a@b.c");
    CHECK(a[1].address == "d@e.f");
    CHECK(a[2].address == "g@h.i");
    a = parse_address_list("joe@home <joe@work.com>"); // '@' in an unquoted display name
    REQUIRE(a.size() == 1);
    CHECK(a[0].address == "joe@work.com");
    CHECK(a[0].name == "joe@home");
    a = parse_address_list("\"joe@home\" <joe@work.com>");
    CHECK(a[0].name == "joe@home");
    a = parse_address_list("willard@jamis@backpackit.com");
    REQUIRE(a.size() == 1);
    CHECK(a[0].address == "willard@jamis@backpackit.com");
    a = parse_address_list("tim@powerupdev.com concierge@powerupdev.com");
    REQUIRE(a.size() == 2);
    CHECK(a[1].address == "concierge@powerupdev.com");
    a = parse_address_list(", user-example@aol.com,\r\n\te-s-a@app.ar.com,");
    REQUIRE(a.size() == 2);
    a = parse_address_list("root");
    REQUIRE(a.size() == 1);
    CHECK(a[0].address == "root");
    a = parse_address_list("Some Body Without Address");
    REQUIRE(a.size() == 1);
    CHECK(a[0].address == "Some Body Without Address"); // raw text, not lower-cased
    CHECK(parse_address_list("").empty());
    CHECK(parse_address_list("  ,, ;").empty());
}

TEST_CASE("Addresses: pipermail 'at' only when asked", "[mime][address]") {
    auto a = parse_address_list("vondruch at redhat.com (V\xC3\xADt Ondruch)", true);
    REQUIRE(a.size() == 1);
    CHECK(a[0].address == "vondruch@redhat.com");
    CHECK(a[0].name == "Vít Ondruch");
    a = parse_address_list("vondruch at redhat.com (V\xC3\xADt Ondruch)");
    REQUIRE(a.size() == 1);
    CHECK(a[0].address.find('@') == std::string::npos);
}

TEST_CASE("Addresses: hostile input", "[mime][address]") {
    for (char c : {':', '(', '<', '"', ',', '@', ';', '\\'}) {
        const auto a = parse_address_list(std::string(99999, c));
        for (const auto& x : a) CHECK(is_valid_utf8(x.address));
    }
    std::string nested = std::string(50000, '(') + "x" + std::string(50000, ')') + " a@b.c";
    const auto a = parse_address_list(nested);
    REQUIRE(a.size() == 1);
    CHECK(a[0].address == "a@b.c");
    std::string encoded;
    for (int i = 0; i < 30000; ++i) encoded += "=?x";
    (void)parse_address_list(encoded);
    CHECK(is_valid_utf8(parse_address_list("J\xF6rg <j\xF6rg@x.de>")[0].address));
}

TEST_CASE("Message-ID normalisation", "[mime][ids]") {
    CHECK(normalise_message_id("  <abc@example.com>  ") == "abc@example.com");
    CHECK(normalise_message_id("abc@example.com") == "abc@example.com");
    CHECK(normalise_message_id("<<abc@x>>") == "abc@x");
    CHECK(normalise_message_id("<a@x> <b@y>") == "a@x");
    CHECK(normalise_message_id("foo@bar (added by postmaster)") == "foo@bar");
    CHECK(normalise_message_id("<>").empty());
    CHECK(normalise_message_id("").empty());
    CHECK(normalise_message_id("   ").empty());
    CHECK(normalise_message_id("<unterminated@x") == "unterminated@x");
    CHECK(normalise_message_id("<caf\xE9@x>") == "café@x");
    const std::string longid(2000, 'a');
    CHECK(normalise_message_id("<" + longid + "@x>") == longid + "@x");
}

TEST_CASE("References and In-Reply-To: garbage tolerant, capped", "[mime][ids]") {
    auto ids = parse_id_list("<a@x>\r\n <b@y> <a@x>\t<c@z>", 1000);
    REQUIRE(ids.size() == 3); // duplicate dropped
    CHECK(ids[0] == "a@x");
    CHECK(ids[2] == "c@z");
    CHECK(parse_id_list("<id@x> (Your message of Mon, 1 Jan)", 10) == std::vector<std::string>{"id@x"});
    CHECK(parse_id_list("Your message of Mon, 1 Jan 2001", 10).empty());
    CHECK(parse_id_list("id1@x id2@y", 10) == std::vector<std::string>{"id1@x", "id2@y"});
    CHECK(parse_id_list("<foo @bar>", 10) == std::vector<std::string>{"foo@bar"});
    CHECK(parse_id_list("<<x@y>", 10) == std::vector<std::string>{"x@y"});
    CHECK(parse_id_list("<>, <", 10).empty());
    std::string many;
    for (int i = 0; i < 5000; ++i) many += "<id" + std::to_string(i) + "@x> ";
    ids = parse_id_list(many, 1000);
    REQUIRE(ids.size() == 1000);
    CHECK(ids.front() == "id0@x");       // the thread root
    CHECK(ids[1] == "id4001@x");
    CHECK(ids.back() == "id4999@x");     // the parent
    CHECK(parse_id_list(many, 1).size() == 1);
    CHECK(parse_id_list(many, 0).empty());
}
