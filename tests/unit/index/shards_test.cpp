// Sharded indexes (index/shards.hpp): a 4-shard build holds exactly the
// documents of a single index under the same docids (docid == message id),
// incremental adds and deletes route to the right shard and keep the layout,
// a different shard count needs --rebuild, the stub format mlarc reads and
// writes, and a remote shard that does not answer: a clear error naming it,
// or with partial results allowed, the other shards with the docids intact.
#include "index_fixture.hpp"

#include "index/shards.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

using namespace mlarc;
using mlarc::test::TestArchive;

namespace {

IndexOptions with_shards(TestArchive& a, unsigned n) {
    IndexOptions o = a.options();
    o.shards = n;
    o.rebuild = true;
    return o;
}

/// A loopback TCP port nobody listens on (bound, then closed).
unsigned closed_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
    socklen_t len = sizeof sa;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) == 0);
    ::close(fd);
    return ntohs(sa.sin_port);
}

} // namespace

TEST_CASE("shards: 4 shards hold the documents of one index under the same docids",
          "[index][shards]") {
    TestArchive a;
    a.add_many(37);
    a.index(with_shards(a, 1));
    CHECK_FALSE(is_sharded_index(index_path(a.path())));
    const auto single = test::dump_index(a.path());
    REQUIRE(single.size() == 37);

    const auto rep = a.index(with_shards(a, 4));
    CHECK(rep.rebuilt);
    CHECK(rep.shards == 4);
    CHECK(rep.indexed == 37);
    const auto dir = index_path(a.path());
    REQUIRE(is_sharded_index(dir));
    CHECK(index_shard_count(dir) == 4);
    CHECK(test::dump_index(a.path()) == single);

    // Each shard holds the ids of its residue class under local docids.
    for (unsigned k = 0; k < 4; ++k) {
        Xapian::Database shard((dir / shard_dir_name(k)).string());
        CHECK(check_index_schema_version(shard).ok());
        for (auto p = shard.postlist_begin(""); p != shard.postlist_end(""); ++p) {
            const unsigned message_id = (*p - 1) * 4 + k + 1;
            auto data = decode_doc_data(shard.get_document(*p).get_data());
            REQUIRE(data.ok());
            CHECK(data->id == message_id);
        }
    }
    auto stats = index_stats(a.path());
    REQUIRE(stats.ok());
    CHECK(stats->shards == 4);
    CHECK(stats->documents == 37);
}

TEST_CASE("shards: incremental adds and deletes route by id and keep the layout",
          "[index][shards]") {
    TestArchive a;
    const auto first = a.add_many(10, "a");
    a.index(with_shards(a, 3));
    const auto more = a.add_many(8, "b");
    a.remove(first[4]);
    a.remove(more[2]);
    const auto rep = a.index(); // no --shards: the index's own layout
    CHECK_FALSE(rep.rebuilt);
    CHECK(rep.shards == 3);
    CHECK(rep.indexed == 7); // more[2] is gone before it was indexed
    CHECK(rep.deleted == 1); // first[4]; more[2] was never in the index
    CHECK(index_shard_count(index_path(a.path())) == 3);
    const auto updated = test::dump_index(a.path());
    CHECK(updated.size() == 16);
    CHECK(updated.count(static_cast<unsigned>(first[4])) == 0);
    CHECK(updated.count(static_cast<unsigned>(more[7])) == 1);

    a.index(with_shards(a, 1));
    CHECK(test::dump_index(a.path()) == updated);
}

TEST_CASE("shards: a different shard count needs --rebuild", "[index][shards]") {
    TestArchive a;
    a.add_many(5);
    a.index(with_shards(a, 2));
    a.add_many(2, "x");
    IndexOptions o = a.options();
    o.shards = 3;
    auto r = index_archive(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::usage);
    CHECK(r.error().hint.find("--rebuild") != std::string::npos);
    CHECK(index_shard_count(index_path(a.path())) == 2);
    o.shards = kMaxShards + 1;
    o.rebuild = true;
    CHECK(index_archive(o).error().code == Errc::usage);
}

TEST_CASE("shards: the stub lists shards in order with mlarc's settings", "[index][shards]") {
    test::TempDir d;
    ShardStub s = local_shard_stub(2);
    ShardEntry r;
    r.remote = true;
    r.host = "search2.example.org";
    r.port = 33333;
    s.shards.push_back(r);
    s.timeout_ms = 1500;
    s.allow_partial = true;
    REQUIRE(write_shard_stub(d.path(), s).ok());
    auto back = read_shard_stub(d.path());
    REQUIRE(back.ok());
    REQUIRE(back->shards.size() == 3);
    CHECK(back->shards[0].path == "shard0");
    CHECK(back->shards[1].label() == "shard1");
    CHECK(back->shards[2].remote);
    CHECK(back->shards[2].label() == "search2.example.org:33333");
    CHECK(back->timeout_ms == 1500);
    CHECK(back->allow_partial);
    CHECK(back->has_remote());

    std::ofstream(d.path() / "XAPIANDB") << "auto shard0\nremote :xapian-progsrv shard1\n";
    auto bad = read_shard_stub(d.path());
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == Errc::bad_input);
    CHECK(bad.error().message.find(":2") != std::string::npos);
    std::ofstream(d.path() / "XAPIANDB") << "#mlarc timeout-ms soon\nauto shard0\n";
    CHECK(read_shard_stub(d.path()).error().code == Errc::bad_input);
}

TEST_CASE("shards: a remote shard that does not answer is an error, or left out when allowed",
          "[index][shards]") {
    TestArchive a;
    a.add_many(12);
    a.index(with_shards(a, 2));
    const auto dir = index_path(a.path());
    const unsigned port = closed_port();
    auto stub = read_shard_stub(dir);
    REQUIRE(stub.ok());
    stub->shards[1].remote = true;
    stub->shards[1].host = "127.0.0.1";
    stub->shards[1].port = port;
    stub->timeout_ms = 2000;
    REQUIRE(write_shard_stub(dir, *stub).ok());
    const std::string label = "127.0.0.1:" + std::to_string(port);

    auto strict = IndexReader::open(a.path());
    REQUIRE_FALSE(strict.ok());
    CHECK(strict.error().code == Errc::io);
    CHECK(strict.error().message.find(label) != std::string::npos);
    CHECK(strict.error().hint.find("--allow-partial") != std::string::npos);

    auto partial = IndexReader::open(a.path(), true);
    REQUIRE(partial.ok());
    REQUIRE(partial->missing_shards() == std::vector<std::string>{label});
    // Shard 0 (odd ids) is still found under the combined docids.
    auto docs = partial->run([](Xapian::Database& db) {
        std::vector<unsigned> ids;
        for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p)
            ids.push_back(*p);
        return ids;
    });
    REQUIRE(docs.ok());
    CHECK(*docs == std::vector<unsigned>{1, 3, 5, 7, 9, 11});

    // Updating an index that lists remote shards is refused with a reason.
    a.add_many(1, "late");
    auto r = index_archive(a.options());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::usage);
}
