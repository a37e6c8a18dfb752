// Tests of registry/roster: Mailman list_members output and CSV exports,
// format detection, malformed lines with their line numbers, duplicates,
// case folding, the error cases and the address plausibility check.
#include "test_support.hpp"

#include "registry/roster.hpp"

#include <string>
#include <vector>

using namespace mlarc;

namespace {

Roster parsed(const std::string& content, const std::string& filename = "members.txt") {
    Result<Roster> r = parse_roster(content, filename);
    if (!r) FAIL(r.error().what());
    return std::move(r).value();
}

std::vector<std::string> addresses(const Roster& r) {
    std::vector<std::string> out;
    for (const RosterEntry& e : r.entries)
        out.push_back(e.address);
    return out;
}

/// "line: reason" for each problem.
std::vector<std::string> problems(const Roster& r) {
    std::vector<std::string> out;
    for (const RosterProblem& p : r.problems)
        out.push_back(std::to_string(p.line) + ": " + p.reason);
    return out;
}

using Strings = std::vector<std::string>;

} // namespace

TEST_CASE("Mailman list_members: bare addresses and names in both forms", "[roster]") {
    const Roster r = parsed("alice@example.org\n"
                            "Bob Builder <Bob@Example.COM>\n"
                            "\"Doe, Jane\" <jane.doe@itu.int>\n"
                            "carl@example.net (Carl C.)\n"
                            "  dora@example.org  \r\n"
                            "mailto:eve@example.org\n");
    CHECK(r.format == RosterFormat::mailman);
    CHECK(addresses(r) == Strings{"alice@example.org", "bob@example.com", "jane.doe@itu.int",
                                  "carl@example.net", "dora@example.org", "eve@example.org"});
    CHECK(r.entries[1].name == "Bob Builder");
    CHECK(r.entries[2].name == "Doe, Jane");
    CHECK(r.entries[3].name == "Carl C.");
    CHECK(r.entries[0].name.empty());
    CHECK(r.problems.empty());
}

TEST_CASE("Mailman: bad lines are problems with line numbers and never members", "[roster]") {
    const Roster r = parsed("# exported 2019-07-15\n"
                            "alice@example.org\n"
                            "\n"
                            "not-an-address\n"
                            "Bob <bob@example.org\n"
                            "Carl <>\n"
                            "two@at@example.org\n"
                            "dora@localhost\n"
                            "ALICE@Example.org\n"
                            "eve@example.org\n");
    CHECK(addresses(r) == Strings{"alice@example.org", "eve@example.org"});
    CHECK(problems(r) == Strings{"4: not an email address", "5: not an email address",
                                 "6: no address", "7: not an email address",
                                 "8: not an email address", "9: duplicate"});
    CHECK(r.problems[5].text == "ALICE@Example.org");
    CHECK(r.problems[0].text == "not-an-address");
}

TEST_CASE("CSV: header detection and quoted fields and optional columns", "[roster]") {
    const Roster r = parsed("Name,E-Mail,Organisation\n"
                            "\"Doe, Jane\",Jane.Doe@ITU.int,\"ACME \"\"Intl\"\"\"\n"
                            "Bob,bob@example.org,\n"
                            " \"Smith, Al\" , al@example.org , Org, Inc\n"
                            "Carl,\"Carl <carl@example.net>\",X\n",
                            "roster.txt");
    CHECK(r.format == RosterFormat::csv);
    CHECK(addresses(r) == Strings{"jane.doe@itu.int", "bob@example.org", "carl@example.net"});
    CHECK(r.entries[0].name == "Doe, Jane");
    CHECK(r.entries[0].organisation == "ACME \"Intl\"");
    CHECK(r.entries[1].organisation.empty());
    CHECK(r.entries[2].name == "Carl"); // the name column wins
    CHECK(problems(r) == Strings{"4: expected 3 fields, found 4"});
}

TEST_CASE("CSV: header names and delimiters", "[roster]") {
    CHECK(addresses(parsed("email address;given name;surname\nA@x.org;Ann;Lee\n")) ==
          Strings{"a@x.org"});
    const Roster semi = parsed("email address;given name;surname\nA@x.org;Ann;Lee\n");
    CHECK(semi.entries[0].name == "Ann Lee");
    const Roster tab = parsed("Organization\tMail\nITU\tb@itu.int\n");
    CHECK(tab.entries[0].organisation == "ITU");
    CHECK(tab.entries[0].address == "b@itu.int");
    const Roster one = parsed("\xEF\xBB\xBF"
                              "EMAIL\r\nc@x.org\r\n");
    CHECK(one.format == RosterFormat::csv);
    CHECK(addresses(one) == Strings{"c@x.org"});
    const Roster address = parsed("\"Address\",\"Company\"\n\"d@x.org\",\"D, Inc\"\n");
    CHECK(address.entries[0].organisation == "D, Inc");
}

TEST_CASE("CSV: malformed records are reported with their line numbers", "[roster]") {
    const Roster r = parsed("name,email\n"
                            "Ann,ann@x.org\n"
                            "\"Bob,bob@x.org\n"
                            "Carl,\n"
                            "Dora,dora@x\n"
                            "Eve,eve@x.org,extra\n"
                            "# comment\n"
                            "Fay,ANN@X.ORG\n"
                            "Gus,gus@x.org\n",
                            "members.csv");
    CHECK(addresses(r) == Strings{"ann@x.org", "gus@x.org"});
    CHECK(problems(r) == Strings{"3: unterminated quoted field", "4: no address",
                                 "5: not an email address", "6: expected 2 fields, found 3",
                                 "8: duplicate"});
}

TEST_CASE("roster errors: binary content or a CSV without an address column or nothing usable",
          "[roster]") {
    Result<Roster> bin = parse_roster(std::string("a@x.org\nb\0c\n", 12), "members.txt");
    REQUIRE_FALSE(bin.ok());
    CHECK(bin.error().code == Errc::bad_input);
    CHECK(bin.error().message == "members.txt:2: binary content (NUL byte), not a roster");

    Result<Roster> no_col = parse_roster("# x\nname,organisation\nAnn,ITU\n", "members.csv");
    REQUIRE_FALSE(no_col.ok());
    CHECK(no_col.error().message ==
          "members.csv:2: CSV header has no address column (email, e-mail, address or mail)");

    Result<Roster> bad = parse_roster("junk\nmore junk\n", "members.txt");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message ==
          "members.txt: no valid address in 2 lines (line 1: not an email address)");

    const Roster empty = parsed("");
    CHECK(empty.entries.empty());
    CHECK(empty.problems.empty());
    CHECK(parsed("# only a comment\n\n").entries.empty());
    // A header alone is an empty roster, not an error.
    CHECK(parsed("email\n", "x.csv").entries.empty());
}

TEST_CASE("is_plausible_address", "[roster]") {
    for (const char* good :
         {"a@b.co", "first.last+tag@sub.example.org", "x_y-z@itu.int", "O'Brien@example.ie",
          "user@xn--80ak6aa92e.com", "\xE7\x94\xA8\xE6\x88\xB7@\xE4\xBE\x8B\xE5\xAD\x90.cn"}) {
        INFO(good);
        CHECK(is_plausible_address(good));
    }
    for (const char* bad :
         {"",           "@",           "a@",        "@b.org",     "ab.org",   "a@b@c.org",
          "a b@c.org",  "a@localhost", "a@b.c",     "a@1.2.3.4",  ".a@b.org", "a.@b.org",
          "a..b@c.org", "a@-b.org",    "a@b-.org",  "a@b..org",   "a@.b.org", "a@b.org.",
          "<a@b.org>",  "a,b@c.org",   "a@b_c.org", "\"a\"@b.org"}) {
        INFO(bad);
        CHECK_FALSE(is_plausible_address(bad));
    }
    CHECK_FALSE(is_plausible_address(std::string(65, 'a') + "@b.org"));
    CHECK(is_plausible_address(std::string(64, 'a') + "@b.org"));
}
