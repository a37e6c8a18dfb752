// Schema upgrades (issue 7): a store of schema version 1 (the stored fixture
// fixtures/store-v1.sql, built by the first migration only) is migrated after
// a backup copy and keeps its messages; a store of a newer version is refused
// with a clear error and left alone. An index with an older schema number in
// its metadata is rebuilt by `mlarc index`; a newer one is refused.
#include "support.hpp"

#include "store/store.hpp"

using namespace mlarc::faults;
namespace fs = std::filesystem;

namespace {

const fs::path kFixture = fs::path(MLARC_TEST_FAULT_FIXTURES) / "store-v1.sql";

/// Creates ARCHIVE/store.sqlite from the version-1 fixture.
void make_v1_store(const fs::path& archive) {
    fs::create_directories(archive);
    auto db = mlarc::sql::Db::open(archive / "store.sqlite", mlarc::sql::OpenMode::read_write_create);
    REQUIRE(db.ok());
    const std::string sql = mlarc::test::read_file(kFixture);
    REQUIRE_FALSE(sql.empty());
    REQUIRE(db->exec(sql).ok());
}

int64_t query(const fs::path& db_path, const std::string& sql) {
    auto db = mlarc::sql::Db::open(db_path, mlarc::sql::OpenMode::read_only);
    REQUIRE(db.ok());
    auto v = db->query_int(sql);
    REQUIRE(v.ok());
    return v->value_or(-1);
}

/// The first column of the first row of `sql` as text, with the database
/// `attach` (when given) attached as `old`.
std::string query_text(const fs::path& db_path, const std::string& sql,
                       const fs::path& attach = {}) {
    auto db = mlarc::sql::Db::open(db_path, mlarc::sql::OpenMode::read_only);
    REQUIRE(db.ok());
    if (!attach.empty()) REQUIRE(db->exec("ATTACH '" + attach.string() + "' AS old").ok());
    auto q = db->prepare(sql);
    REQUIRE(q.ok());
    auto r = q->step();
    REQUIRE(r.ok());
    return *r ? q->text(0) : std::string("(no row)");
}

int set_index_schema(const fs::path& archive, const std::string& value) {
    const std::string sh = "xapian-metadata set '" + (archive / "xapian").string() + "' schema " + value;
    return std::system(sh.c_str());
}

} // namespace

TEST_CASE("a store of schema version 1 is migrated after a backup and keeps its messages",
          "[faults][schema]") {
    mlarc::test::TempDir w;
    const fs::path a = w / "archive";
    make_v1_store(a);
    REQUIRE(query(a / "store.sqlite", "PRAGMA user_version") == 1);
    {
        // More recipients for message 3, written out of position order, one
        // with a name JSON must escape.
        auto db = mlarc::sql::Db::open(a / "store.sqlite", mlarc::sql::OpenMode::read_write);
        REQUIRE(db.ok());
        REQUIRE(db->exec("INSERT INTO message_addresses VALUES(3,'to',2,'c@example.org','C');"
                         "INSERT INTO message_addresses VALUES(3,'to',1,'b@example.org',"
                         "'B \"q\" \\ '||char(9)||'é');"
                         "INSERT INTO message_addresses VALUES(3,'reply-to',0,'r@example.org','')")
                    .ok());
    }
    const auto r = run_mlarc({"import", "--archive", a.string(), "--list", "fgdpmwg2", "--quiet",
                              (corpus() / "fgdpmwg2.mbox").string()});
    INFO("stderr: " << r.err);
    REQUIRE(r.status == 0);
    const fs::path bak = a / "store.sqlite.v1.bak";
    REQUIRE(fs::exists(bak));
    CHECK(query(bak, "PRAGMA user_version") == 1);
    CHECK(query(bak, "SELECT count(*) FROM messages") == 5);
    CHECK(query(a / "store.sqlite", "PRAGMA user_version") == mlarc::store_schema_version());
    // The five old messages are still there and were recognised again, not doubled.
    CHECK(query(a / "store.sqlite", "SELECT count(*) FROM messages WHERE id <= 5") == 5);
    CHECK(query(a / "store.sqlite", "SELECT count(*) FROM messages") ==
          query(a / "store.sqlite", "SELECT count(DISTINCT mid) FROM messages"));
    // Their text (plain TEXT rows from before migration 0004) reads as before
    // through the message_text view.
    CHECK(query(bak, "SELECT count(*) FROM message_text WHERE message_id <= 5 AND body <> ''") ==
          query(a / "store.sqlite",
                "SELECT count(*) FROM message_text WHERE message_id <= 5 AND body <> ''"));
    CHECK(query(a / "store.sqlite", "SELECT count(*) FROM message_text_z WHERE message_id <= 5 "
                                    "AND typeof(body) = 'text'") == 5);
    // Messages imported since keep their header text as the marker (migration
    // 0005) and read it through the view from their raw bytes.
    const auto newer = query(a / "store.sqlite", "SELECT count(*) FROM messages WHERE id > 5");
    CHECK(newer > 0);
    CHECK(query(a / "store.sqlite",
                "SELECT count(*) FROM message_text_z WHERE message_id > 5 "
                "AND typeof(headers) = 'blob' AND length(headers) = 0") == newer);
    CHECK(query(a / "store.sqlite", "SELECT count(*) FROM message_text WHERE message_id > 5 "
                                    "AND headers LIKE '%Message-ID: %'") == newer);
    // Migration 0006 dropped the address index nothing used.
    CHECK(query(a / "store.sqlite", "SELECT count(*) FROM sqlite_master "
                                    "WHERE name = 'message_addresses_address'") == 0);
    CHECK(
        query(bak, "SELECT count(*) FROM sqlite_master WHERE name = 'message_addresses_address'") ==
        1);
    // Migration 0007 moved the address rows into message_text_z.addresses; the
    // view message_addresses gives the very rows the table held, positions in
    // order, and a migrated row is the text an import writes.
    const std::string cols = "message_id, role, position, address, name";
    CHECK(query(bak, "SELECT count(*) FROM message_addresses") == 14);
    CHECK(query_text(a / "store.sqlite",
                     "SELECT count(*) FROM (SELECT " + cols +
                         " FROM old.message_addresses EXCEPT "
                         "SELECT " +
                         cols + " FROM main.message_addresses WHERE message_id <= 5)",
                     bak) == "0");
    CHECK(query(a / "store.sqlite",
                "SELECT count(*) FROM message_addresses WHERE message_id <= 5") == 14);
    CHECK(query_text(a / "store.sqlite",
                     "SELECT group_concat(address || '=' || name, ';') FROM (SELECT address, name "
                     "FROM message_addresses WHERE message_id = 3 AND role = 'to' ORDER BY "
                     "position)") == "hujing25@huawei.com=Jing Hu;b@example.org=B \"q\" \\ \té;"
                                     "c@example.org=C");
    CHECK(query_text(a / "store.sqlite",
                     "SELECT addresses FROM message_text_z WHERE message_id = 3") ==
          "{\"from\":[[\"limyg@etri.re.kr\",\"Youngjin "
          "Lim\"]],\"to\":[[\"hujing25@huawei.com\",\"Jing "
          "Hu\"],[\"b@example.org\",\"B \\\"q\\\" \\\\ \\té\"],[\"c@example.org\",\"C\"]],\"cc\":[["
          "\"fgdpmwg2@lists.itu.int\",\"\"]],\"reply-to\":[[\"r@example.org\",\"\"]]}");
    CHECK(query(a / "store.sqlite", "SELECT count(*) FROM sqlite_master WHERE name = "
                                    "'messages_from'") == 0);
    // Messages imported since have their addresses too.
    CHECK(query(a / "store.sqlite", "SELECT count(DISTINCT message_id) FROM message_addresses "
                                    "WHERE message_id > 5 AND role = 'from'") == newer);
    CHECK(check_integrity(a) == "");
    const auto s = run_mlarc({"search", "--archive", a.string(), "deliverable"});
    CHECK(s.status == 0);
}

TEST_CASE("a store of a newer schema version is refused with a clear error and left alone",
          "[faults][schema]") {
    mlarc::test::TempDir w;
    const fs::path a = w / "archive";
    make_v1_store(a);
    {
        auto db = mlarc::sql::Db::open(a / "store.sqlite", mlarc::sql::OpenMode::read_write);
        REQUIRE(db.ok());
        REQUIRE(db->exec("PRAGMA user_version=99").ok());
    }
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"import", "--archive", a.string(), "--list", "fgdpmwg2",
                                   (corpus() / "fgdpmwg2.mbox").string()},
          std::vector<std::string>{"index", "--archive", a.string()}}) {
        const auto r = run_mlarc(args);
        INFO("mlarc " << args[0] << " stderr: " << r.err);
        CHECK(r.status == 6);
        CHECK(r.err.find("schema version 99") != std::string::npos);
        CHECK(r.err.find("newer") != std::string::npos);
    }
    CHECK(query(a / "store.sqlite", "PRAGMA user_version") == 99);
    CHECK(query(a / "store.sqlite", "SELECT count(*) FROM messages") == 5);
    CHECK_FALSE(fs::exists(a / "store.sqlite.v99.bak"));
}

TEST_CASE("an index of an older schema is rebuilt - a newer one is refused", "[faults][schema]") {
    if (std::system("command -v xapian-metadata > /dev/null") != 0) {
        WARN("SKIPPED: xapian-metadata (package xapian-tools) is absent");
        return;
    }
    mlarc::test::TempDir w;
    const fs::path a = w / "archive";
    REQUIRE(run_mlarc(workload(a)[2]).status == 0);
    const std::string golden = dump_index(a);
    REQUIRE(set_index_schema(a, "0") == 0);
    // Readers say what to do.
    const auto s = run_mlarc({"search", "--archive", a.string(), "deliverable"});
    CHECK(s.status == 6);
    CHECK(s.err.find("mlarc index") != std::string::npos);
    const auto r = run_mlarc({"index", "--archive", a.string()});
    INFO("index stderr: " << r.err);
    CHECK(r.status == 0);
    CHECK(dump_index(a) == golden);
    CHECK(check_integrity(a) == "");
    CHECK(run_mlarc({"search", "--archive", a.string(), "deliverable"}).status == 0);

    REQUIRE(set_index_schema(a, "99") == 0);
    const auto n = run_mlarc({"index", "--archive", a.string()});
    INFO("newer index stderr: " << n.err);
    CHECK(n.status == 6);
    CHECK(n.err.find("schema version 99") != std::string::npos);
}
