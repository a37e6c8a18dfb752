// A purged message never comes back (store/purge.hpp, ingest/importer.hpp):
// importing the same mail again (a copy of the file, the cross-post in another
// list's archive, the file grown) skips it and counts it as purged, and
// read = stored + duplicates + quarantined + purged holds per file and in
// total; other content under the same Message-ID is still stored.
#include "ingest/importer.hpp"
#include "store/purge.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace mlarc;
using mlarc::test::TempDir;
using mlarc::test::write_file;

namespace {

std::string mail(const std::string& mid, const std::string& body,
                 const std::string& date = "Mon, 5 Mar 2018 10:00:00 +0100") {
    return "From alice@example.org Mon Mar  5 09:00:00 2018\nFrom: Alice <alice@example.org>\n"
           "To: list@example.org\nSubject: about " +
           mid + "\nDate: " + date + "\nMessage-ID: <" + mid + ">\n\n" + body + "\n\n";
}

ImportSummary import(const TempDir& t, const std::string& list, const std::filesystem::path& p) {
    ImportOptions o;
    o.archive = t / "archive";
    o.list = list;
    o.progress = false;
    o.jobs = 2;
    ImportSummary s;
    REQUIRE(run_import(o, {p}, s).ok());
    CHECK(s.read == s.stored + s.duplicates + s.quarantined + s.purged);
    for (const auto& f : s.files)
        CHECK(f.read == f.stored + f.duplicates + f.quarantined + f.purged);
    return s;
}

} // namespace

TEST_CASE("import: purged messages are skipped and counted on every later import",
          "[import][purge]") {
    TempDir t;
    const std::string base = mail("keep@x", "Kept.") + mail("gone@x", "Personal data.");
    write_file(t / "a.mbox", base);
    CHECK(import(t, "main", t / "a.mbox").stored == 2);

    {
        auto store = Store::open(t / "archive", Store::Mode::read_write);
        REQUIRE(store.ok());
        auto ids = message_ids_for_mid(*store, "gone@x");
        REQUIRE(ids.ok());
        REQUIRE(ids->size() == 1);
        REQUIRE(purge_messages(*store, *ids, PurgeRequest{"takedown", "mid:gone@x"}).ok());
    }

    // A copy of the file is read again: the purged message is skipped.
    write_file(t / "copy.mbox", base);
    auto again = import(t, "main", t / "copy.mbox");
    CHECK(again.read == 2);
    CHECK(again.stored == 0);
    CHECK(again.duplicates == 1);
    CHECK(again.purged == 1);
    REQUIRE(again.files.size() == 1);
    CHECK(again.files[0].purged == 1);

    // The cross-post in another list's archive stays out too.
    write_file(t / "wg.mbox", mail("gone@x", "Personal data."));
    CHECK(import(t, "wg3", t / "wg.mbox").purged == 1);

    // The file grows: the old part is not read again, the new message is
    // stored, and different content under the purged Message-ID is stored
    // (a different message).
    write_file(t / "a.mbox", base + mail("new@x", "New.") +
                                 mail("gone@x", "Other text.", "Tue, 6 Mar 2018 10:00:00 +0100"));
    auto grown = import(t, "main", t / "a.mbox");
    CHECK(grown.read == 2);
    CHECK(grown.stored == 2);
    CHECK(grown.purged == 0);

    auto store = Store::open(t / "archive", Store::Mode::read_only);
    REQUIRE(store.ok());
    CHECK(store->db().query_int("SELECT count(*) FROM messages")->value_or(-1) == 3);
    CHECK(store->db().query_int("SELECT sum(purged) FROM import_log")->value_or(-1) == 2);
}
