// The index's column file (index/columns.hpp): written by every index run,
// equal to the value streams, used only while current (same database, same
// revision), and ignored when stale, damaged, half-written or absent.
#include "index_fixture.hpp"

#include "index/columns.hpp"

#include <cmath>
#include <fstream>
#include <set>

using namespace mlarc;
using mlarc::test::Msg;
using mlarc::test::TestArchive;

namespace {

std::filesystem::path cols_of(const TestArchive& a) {
    return columns_path(index_path(a.path()));
}

/// Mismatches of a current column file against the value streams; fails when not current.
uint64_t mismatches(const TestArchive& a) {
    Xapian::Database db(index_path(a.path()).string());
    auto n = columns_mismatches(index_path(a.path()), db);
    REQUIRE(n.has_value());
    return *n;
}

/// Distinct author entries the cells of `ids` point at.
size_t cell_author_count(const Columns& c, const std::vector<int64_t>& ids) {
    std::set<uint32_t> seen;
    for (int64_t id : ids)
        seen.insert(c.cell(static_cast<Xapian::docid>(id))->author);
    return seen.size();
}

} // namespace

TEST_CASE("columns: each index run leaves a current file equal to the value streams",
          "[index][columns]") {
    TestArchive a;
    const auto ids = a.add_many(40);
    a.index();
    REQUIRE(std::filesystem::exists(cols_of(a)));
    CHECK(mismatches(a) == 0);
    {
        Xapian::Database db(index_path(a.path()).string());
        auto c = Columns::open(index_path(a.path()), db);
        REQUIRE(c);
        CHECK(c->current_for(db));
        CHECK(c->cell(0) != nullptr); // docid 0: no document
        CHECK(std::isnan(c->cell(0)->date));
        CHECK(c->cell(0)->thread == Columns::kNoThread);
        CHECK(c->has_authors());
        CHECK_FALSE(c->author(Columns::kNone));
        std::vector<std::string_view> lists;
        CHECK_FALSE(c->lists(Columns::kNone, lists));
        for (int64_t id : ids) {
            const auto* cell = c->cell(static_cast<Xapian::docid>(id));
            REQUIRE(cell);
            const auto doc = db.get_document(static_cast<Xapian::docid>(id));
            CHECK(cell->date == Xapian::sortable_unserialise(doc.get_value(kSlotDate)));
            CHECK(cell->thread == a.thread_of(id));
            const auto author = c->author(cell->author);
            REQUIRE(author);
            CHECK(author->name == "Ralf Baechle");
            CHECK(author->address == "ralf@linux-mips.org");
            lists.clear();
            REQUIRE(c->lists(cell->lists, lists));
            CHECK(lists == std::vector<std::string_view>{"linux-mips"});
        }
        // One author and one list set, shared by all 40 messages.
        CHECK(cell_author_count(*c, ids) == 1);
        CHECK(c->cell(db.get_lastdocid() + 1) == nullptr);
    }

    // A thread merge rewrites documents: the file follows.
    Msg late;
    late.mid = "late@test";
    late.references = {"m3@test", "m1@test"};
    a.add({late});
    a.index();
    CHECK(mismatches(a) == 0);

    // A deletion: the docid's cell is empty again.
    a.remove(ids[5]);
    a.index();
    CHECK(mismatches(a) == 0);
    Xapian::Database db(index_path(a.path()).string());
    auto c = Columns::open(index_path(a.path()), db);
    REQUIRE(c);
    CHECK(std::isnan(c->cell(static_cast<Xapian::docid>(ids[5]))->date));

    // A rebuild swaps in another database: a file of its own.
    IndexOptions o = a.options();
    o.rebuild = true;
    a.index(o);
    CHECK(mismatches(a) == 0);
}

TEST_CASE("columns: authors and list sets, odd ones included, read back as indexed",
          "[index][columns]") {
    TestArchive a;
    const int64_t wg = a.list("fgdpm-wg3");
    Msg m1, m2, m3, m4;
    m1.mid = "1@t";
    m1.from_name = "";
    m1.from_addr = "anon@example.org";
    m2.mid = "2@t";
    m2.from_name = "No Address";
    m2.from_addr = "";
    m3.mid = "3@t";
    m3.from_name = "Ünïcödé 名前";
    m3.from_addr = "u@example.org";
    m4.mid = "4@t"; // the same name/address split differently: another author
    m4.from_name = "anon@example.or";
    m4.from_addr = "g";
    const auto ids = a.add({m1, m2, m3, m4});
    const auto cross = a.add({m3}, wg); // m3 in two lists now
    (void)cross;
    a.index();
    CHECK(mismatches(a) == 0);
    Xapian::Database db(index_path(a.path()).string());
    auto c = Columns::open(index_path(a.path()), db);
    REQUIRE(c);
    auto author_of = [&](int64_t id) {
        return *c->author(c->cell(static_cast<Xapian::docid>(id))->author);
    };
    CHECK(author_of(ids[0]).name.empty());
    CHECK(author_of(ids[0]).address == "anon@example.org");
    CHECK(author_of(ids[1]).name == "No Address");
    CHECK(author_of(ids[1]).address.empty());
    CHECK(author_of(ids[2]).name == "Ünïcödé 名前");
    CHECK(author_of(ids[3]).name == "anon@example.or");
    CHECK(author_of(ids[3]).address == "g");
    std::vector<std::string_view> lists;
    REQUIRE(c->lists(c->cell(static_cast<Xapian::docid>(ids[2]))->lists, lists));
    CHECK(lists == std::vector<std::string_view>{"fgdpm-wg3", "linux-mips"});
}

TEST_CASE("columns: a stale, foreign or damaged file is not used", "[index][columns]") {
    TestArchive a;
    a.add_many(10);
    a.index();
    const auto dir = index_path(a.path());
    std::string good;
    {
        std::ifstream in(cols_of(a), std::ios::binary);
        good.assign(std::istreambuf_iterator<char>(in), {});
    }
    REQUIRE(good.size() > 64);

    // Stale: the index moved on without the file (an index run told not to write it).
    a.add_many(3, "x");
    IndexOptions o = a.options();
    o.columns = false;
    a.index(o);
    {
        Xapian::Database db(dir.string());
        CHECK_FALSE(Columns::open(dir, db));
        CHECK_FALSE(columns_mismatches(dir, db));
    }
    // The next run makes it current again.
    a.index();
    CHECK(mismatches(a) == 0);

    auto write = [&](const std::string& bytes) {
        std::ofstream out(cols_of(a), std::ios::binary | std::ios::trunc);
        out << bytes;
    };
    std::string now;
    {
        std::ifstream in(cols_of(a), std::ios::binary);
        now.assign(std::istreambuf_iterator<char>(in), {});
    }
    Xapian::Database db(dir.string());
    SECTION("cut short") {
        write(now.substr(0, now.size() - 8));
        CHECK_FALSE(Columns::open(dir, db));
    }
    SECTION("longer") {
        write(now + std::string(16, '\0'));
        CHECK_FALSE(Columns::open(dir, db));
    }
    SECTION("bad magic") {
        std::string bad = now;
        bad[0] = 'X';
        write(bad);
        CHECK_FALSE(Columns::open(dir, db));
    }
    SECTION("another database's (the uuid differs)") {
        std::string other = now;
        other[24] = other[24] == 'a' ? 'b' : 'a';
        write(other);
        CHECK_FALSE(Columns::open(dir, db));
    }
    SECTION("tables cut short") {
        write(now.substr(0, now.size() - 4));
        CHECK_FALSE(Columns::open(dir, db));
    }
    SECTION("a table size that does not add up") {
        std::string bad = now;
        const size_t tables = 64 + 24 * (Xapian::Database(dir.string()).get_lastdocid() + 1);
        bad[tables + 16] = static_cast<char>(bad[tables + 16] + 8); // author bytes
        write(bad);
        CHECK_FALSE(Columns::open(dir, db));
    }
    SECTION("only a header") {
        write(now.substr(0, 64));
        CHECK_FALSE(Columns::open(dir, db));
    }
    SECTION("empty") {
        write("");
        CHECK_FALSE(Columns::open(dir, db));
    }
    // In every case the next index run (nothing to index) writes it again.
    CHECK(a.index().up_to_date);
    CHECK(mismatches(a) == 0);
}

TEST_CASE(
    "columns: the debris of a kill while writing (a stale file, a partial temporary) is replaced",
    "[index][columns]") {
    // The kill itself is in tests/integration/faults (fault point columns-write).
    TestArchive a;
    a.add_many(20);
    a.index();
    a.add_many(20, "y");
    IndexOptions o = a.options();
    o.columns = false; // as if killed after the last commit, before the rename
    a.index(o);
    const auto dir = index_path(a.path());
    {
        std::ofstream tmp(dir / "mlarc.columns.tmp", std::ios::binary);
        tmp << "MLARCCL1 partial";
    }
    {
        Xapian::Database db(dir.string());
        CHECK(db.get_doccount() == 40);
        CHECK_FALSE(Columns::open(dir, db)); // the old file: stale, not used
    }
    CHECK(a.index().up_to_date);
    CHECK(mismatches(a) == 0);
    CHECK_FALSE(std::filesystem::exists(dir / "mlarc.columns.tmp"));
}

TEST_CASE("columns: a sharded index has none", "[index][columns]") {
    TestArchive a;
    a.add_many(30);
    a.index();
    REQUIRE(std::filesystem::exists(cols_of(a)));
    IndexOptions o = a.options();
    o.rebuild = true;
    o.shards = 2;
    o.min_shard_docs = 1;
    a.index(o);
    CHECK_FALSE(std::filesystem::exists(cols_of(a)));
    Xapian::Database db(index_path(a.path()).string());
    CHECK(db.size() == 2);
    CHECK_FALSE(Columns::open(index_path(a.path()), db));
}
