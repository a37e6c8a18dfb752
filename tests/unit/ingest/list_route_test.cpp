// Unit tests of ingest/list_route: which list a message is filed under from
// its List-Id headers, the --list fallback, and messages with neither.
#include "test_support.hpp"

#include "ingest/importer.hpp"
#include "ingest/list_route.hpp"

using namespace mlarc;

namespace {

std::vector<ListEntry> registry_lists() {
    return {{"fgdpm", "fgdpm@lists.itu.int", 0, "Main"},
            {"fgdpmwg3", "FGDPMWG3@lists.itu.int", 3, "Data sharing"}};
}

std::string routed(const ListRouter& r, const std::vector<std::string>& ids) {
    auto l = r.route(ids);
    return l ? l->name : std::string("(none)");
}

} // namespace

TEST_CASE("List-Id naming a registered list decides the list", "[ingest][listid]") {
    const ListRouter r(std::nullopt, registry_lists());
    CHECK(routed(r, {"fgdpmwg3.lists.itu.int"}) == "fgdpmwg3");
    CHECK(routed(r, {" FGDPM.lists.itu.int "}) == "fgdpm");
    CHECK(routed(r, {"fgdpmwg3"}) == "fgdpmwg3"); // a bare name
    // The first id that names a known list wins; unknown ones are passed over.
    CHECK(routed(r, {"other.example.org", "fgdpmwg3.lists.itu.int", "fgdpm.lists.itu.int"}) ==
          "fgdpmwg3");
    auto l = r.route({"fgdpmwg3.lists.itu.int"});
    REQUIRE(l);
    CHECK(l->wg == 3);
    CHECK(l->address == "fgdpmwg3@lists.itu.int");
    // Neither a known List-Id nor --list: no list.
    CHECK(routed(r, {}) == "(none)");
    CHECK(routed(r, {"other.example.org"}) == "(none)");
    CHECK(routed(r, {"fgdpmwg3.lists.itu.int.evil.org"}) == "(none)");
    CHECK_FALSE(r.has_fallback());
}

TEST_CASE("the list option is the fallback and an unregistered list address is known too", "[ingest][listid]") {
    auto arg = parse_list_arg("mylist@example.org");
    REQUIRE(arg.ok());
    const ListRouter r(*arg, registry_lists());
    CHECK(r.has_fallback());
    CHECK(routed(r, {}) == "mylist");
    CHECK(routed(r, {"unknown.example.org"}) == "mylist");
    CHECK(routed(r, {"fgdpm.lists.itu.int"}) == "fgdpm"); // List-Id wins over --list
    CHECK(routed(r, {"mylist.example.org"}) == "mylist");
}

TEST_CASE("the list option accepts the list name or its address", "[ingest][listid]") {
    auto by_name = parse_list_arg("fgdpmwg3");
    auto by_address = parse_list_arg("FGDPMWG3@lists.itu.int");
    REQUIRE(by_name.ok());
    REQUIRE(by_address.ok());
    CHECK(by_name->name == "fgdpmwg3");
    CHECK(by_address->name == "fgdpmwg3");
    CHECK(by_address->address == "fgdpmwg3@lists.itu.int");
    CHECK_FALSE(parse_list_arg("").ok());
    CHECK_FALSE(parse_list_arg("bad name!").ok());
    CHECK(list_id_of_address("FgDpm@Lists.ITU.int") == "fgdpm.lists.itu.int");
}
