// Importing one mbox that mixes several lists' traffic: List-Id headers naming
// registered lists decide the list, --list is the fallback, and a message with
// neither is quarantined with reason "no list" (never lost); re-importing the
// file with --list files it.
#include "test_support.hpp"

#include "ingest/importer.hpp"

#include <map>

using namespace mlarc;
namespace fs = std::filesystem;

namespace {

std::string message(int n, const std::string& list_id) {
    std::string m = "From sender@example.org Mon Jan  8 10:00:00 2018\n"
                    "From: Sender <sender@example.org>\n"
                    "To: somewhere@lists.itu.int\n"
                    "Subject: message " + std::to_string(n) + "\n"
                    "Date: Mon, 8 Jan 2018 10:0" + std::to_string(n) + ":00 +0000\n"
                    "Message-ID: <listid-" + std::to_string(n) + "@example.org>\n";
    if (!list_id.empty()) m += "List-Id: Some list <" + list_id + ">\n";
    return m + "\nBody " + std::to_string(n) + "\n\n";
}

/// list name -> messages delivered to it.
std::map<std::string, int64_t> per_list(Store& s) {
    std::map<std::string, int64_t> out;
    auto q = s.db().prepare("SELECT l.name, count(*) FROM message_lists ml JOIN lists l ON "
                            "l.id = ml.list_id GROUP BY l.name");
    REQUIRE(q.ok());
    while (*q->step()) out[q->text(0)] = q->int64(1);
    return out;
}

} // namespace

TEST_CASE("one mixed mbox is filed by List-Id, without --list", "[fgdpm][listid]") {
    test::TempDir dir;
    const fs::path mbox = dir / "mixed.mbox";
    test::write_file(mbox, message(1, "fgdpmwg3.lists.itu.int") + message(2, "fgdpm.lists.itu.int") +
                               message(3, "") + message(4, "other.example.org") +
                               message(5, "FGDPMWG1.lists.itu.int"));
    ImportOptions o;
    o.archive = dir / "archive";
    o.progress = false;
    o.jobs = 1;
    ImportSummary sum;
    REQUIRE(run_import(o, {mbox}, sum).ok());
    CHECK(sum.read == 5);
    CHECK(sum.stored == 3);
    CHECK(sum.quarantined == 2);
    {
        auto store = Store::open(o.archive, Store::Mode::read_only);
        REQUIRE(store.ok());
        CHECK(per_list(*store) == std::map<std::string, int64_t>{{"fgdpm", 1}, {"fgdpmwg1", 1}, {"fgdpmwg3", 1}});
        auto q = store->db().prepare("SELECT count(*) FROM quarantine WHERE reason LIKE 'no list%'");
        REQUIRE(q.ok());
        REQUIRE(*q->step());
        CHECK(q->int64(0) == 2);
        auto wg = store->find_list("fgdpmwg3@lists.itu.int");
        REQUIRE(wg.ok());
        REQUIRE(*wg);
        CHECK((*wg)->wg == 3);
    }

    // Re-importing with --list files the two list-less messages there; the
    // others keep their List-Id lists and are recognised as duplicates.
    o.list = "fgdpmwg2@lists.itu.int";
    ImportSummary again;
    REQUIRE(run_import(o, {mbox}, again).ok());
    CHECK(again.stored == 2);
    CHECK(again.duplicates == 3);
    auto store = Store::open(o.archive, Store::Mode::read_only);
    REQUIRE(store.ok());
    CHECK(per_list(*store) ==
          std::map<std::string, int64_t>{{"fgdpm", 1}, {"fgdpmwg1", 1}, {"fgdpmwg2", 2}, {"fgdpmwg3", 1}});
}

TEST_CASE("without --list and without a registry the import stops up front", "[fgdpm][listid]") {
    test::TempDir dir;
    const fs::path mbox = dir / "one.mbox";
    test::write_file(mbox, message(1, "fgdpmwg3.lists.itu.int"));
    test::TempDir empty_registry_parent;
    const fs::path missing = empty_registry_parent / "no-such-registry";
    setenv("MLARC_REGISTRY", missing.c_str(), 1);
    ImportOptions o;
    o.archive = dir / "archive";
    o.progress = false;
    ImportSummary sum;
    auto st = run_import(o, {mbox}, sum);
    unsetenv("MLARC_REGISTRY");
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == Errc::usage);
    CHECK(st.error().message.find("--list") != std::string::npos);
    CHECK_FALSE(fs::exists(o.archive / "store.sqlite"));
}
