// The indexer end to end on a store in a temporary directory: document count
// and docids, filters, phrases, stemming, CJK, incremental runs, thread
// merges, deletions, convergence after kill -9, readers during writes, schema
// mismatch, --rebuild, shards equal to one writer, level/language rules.
#include "index_fixture.hpp"

#include "store/index_feed.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

using namespace mlarc;
using mlarc::test::Msg;
using mlarc::test::TestArchive;

namespace {

std::vector<unsigned> ids_of(const std::vector<int64_t>& v) {
    return {v.begin(), v.end()};
}

int64_t last_seq_of(const std::filesystem::path& archive) {
    Xapian::Database db(index_path(archive).string());
    return metadata_int(db, kMetaLastSeq);
}

/// A second archive with the same store contents, freshly built: the
/// reference an interrupted or incremental index must equal.
std::map<unsigned, test::DocDump> clean_build_of(TestArchive& a) {
    IndexOptions o = a.options();
    o.rebuild = true;
    o.mode = IndexMode::single_writer;
    a.index(o);
    return test::dump_index(a.path());
}

} // namespace

TEST_CASE("index: one document per message, docid == id, data decodes", "[index][indexer]") {
    TestArchive a;
    const auto ids = a.add_many(30);
    const auto rep = a.index();
    CHECK(rep.rebuilt);
    CHECK(rep.indexed == 30);
    CHECK(rep.to_seq == 1);
    auto reader = IndexReader::open(a.path());
    REQUIRE(reader.ok());
    auto n = count_indexable_messages(a.store());
    REQUIRE(n.ok());
    CHECK(reader->db().get_doccount() == static_cast<unsigned>(*n));
    for (int64_t id : ids) {
        auto data =
            decode_doc_data(reader->db().get_document(static_cast<unsigned>(id)).get_data());
        REQUIRE(data.ok());
        CHECK(data->id == id);
        CHECK(test::matches(a.path(), Xapian::Query("XID" + std::to_string(id))) ==
              std::vector<unsigned>{static_cast<unsigned>(id)});
    }
    CHECK(last_seq_of(a.path()) == 1);
    CHECK(reader->db().get_metadata("schema") == std::to_string(kIndexSchemaVersion));
    CHECK(reader->db().get_metadata("level") == "full");
    CHECK(reader->db().get_metadata("language") == "english");
    CHECK(reader->db().get_metadata("stemming") == "all");
    CHECK(!std::filesystem::exists(a.path() / "xapian.new"));
    CHECK(!std::filesystem::exists(a.path() / "xapian.shards"));
}

TEST_CASE("index: an empty store gives an empty index that later updates", "[index][indexer]") {
    TestArchive a;
    const auto first = a.index();
    CHECK(first.rebuilt);
    CHECK(first.indexed == 0);
    CHECK(Xapian::Database(index_path(a.path()).string()).get_doccount() == 0);
    CHECK(a.index().up_to_date);
    a.add_many(4);
    const auto rep = a.index();
    CHECK(!rep.rebuilt);
    CHECK(rep.indexed == 4);
    CHECK(Xapian::Database(index_path(a.path()).string()).get_doccount() == 4);
}

TEST_CASE("index: filters, phrases, stemming, CJK, quoted text", "[index][indexer]") {
    TestArchive a;
    Msg m1;
    m1.mid = "phrase@test";
    m1.subject = "Cache coherency on R10000";
    m1.body = "We discussed cache coherency at length.\nOn Mon, Bob wrote:\n> quotedonlyword\n";
    m1.attachments = {{2, "coherency-fix.patch", "text/x-patch", 10}};
    Msg m2;
    m2.mid = "other@test";
    m2.from_addr = "bob@example.org";
    m2.from_name = "Bob Smith";
    m2.subject = "coherency of the cache";
    m2.body = "The caches were flushed; coherency of the cache matters.\n";
    m2.flags = flag_no_archive;
    Msg m3;
    m3.mid = "cjk@test";
    m3.subject = "日本語";
    m3.body = "全文検索のテストです\n";
    m3.date_utc = 1546300800; // 2019-01-01
    const auto ids = a.add({m1, m2, m3});
    const int64_t wg = a.list("fgdpmwg3");
    Msg m4;
    m4.mid = "wg@test";
    m4.body = "quotedonlyword appears here unquoted\n";
    const auto ids4 = a.add({m4}, wg);
    a.index();
    const auto& p = a.path();

    CHECK(test::matches(p, Xapian::Query("XLISTfgdpmwg3")) == ids_of(ids4));
    CHECK(test::matches(p, Xapian::Query("XLISTlinux-mips")).size() == 3);
    CHECK(test::matches(p, Xapian::Query("Abob@example.org")) == ids_of({ids[1]}));
    CHECK(test::matches(p, Xapian::Query("XDOMexample.org")) == ids_of({ids[1]}));
    CHECK(test::matches(p, Xapian::Query("Kno_archive")) == ids_of({ids[1]}));
    CHECK(test::matches(p, Xapian::Query("Kattachment")) == ids_of({ids[0]}));
    CHECK(test::matches(p, Xapian::Query("XTYPEtext/x-patch")) == ids_of({ids[0]}));
    CHECK(test::matches(p, Xapian::Query("Y2019")) == ids_of({ids[2]}));
    CHECK(test::matches(p, Xapian::Query("M201801")).size() == 3);
    CHECK(test::matches(p, Xapian::Query(mid_term("phrase@test"))) == ids_of({ids[0]}));

    // Through a query parser configured from the schema table.
    CHECK(test::search(p, "\"cache coherency\"") == ids_of({ids[0]}));
    CHECK(test::search(p, "cache coherency").size() == 2);
    CHECK(test::search(p, "subject:\"coherency of the cache\"") == ids_of({ids[1]}));
    CHECK(test::search(p, "from:bob") == ids_of({ids[1]}));
    CHECK(test::search(p, "from:\"Bob Smith\"") == ids_of({ids[1]}));
    CHECK(test::search(p, "from:ralf@linux-mips.org").size() == 3);
    CHECK(test::search(p, "attachment:patch") == ids_of({ids[0]}));
    CHECK(test::search(p, "list:fgdpmwg3") == ids_of(ids4));
    CHECK(test::search(p, "flush") == ids_of({ids[1]})); // stemming: flushed
    CHECK(test::search(p, "検索") == ids_of({ids[2]}));  // a 2-character CJK word
    CHECK(test::search(p, "日本語") == ids_of({ids[2]}));
    // The quoted line is not indexed; the attribution and m4's own text are.
    CHECK(test::search(p, "quotedonlyword") == ids_of(ids4));
    CHECK(test::search(p, "wrote") == ids_of({ids[0]}));
}

TEST_CASE("index: a long Message-ID and over-long words do not lose the document",
          "[index][indexer]") {
    TestArchive a;
    Msg m;
    m.mid = std::string(300, 'x') + "@example.org";
    m.body = "findme " + std::string(500, 'q') + " and a url http://example.org/" +
             std::string(300, 'p') + "\n";
    const auto ids = a.add({m});
    a.index();
    CHECK(test::matches(a.path(), Xapian::Query(mid_term(m.mid))) == ids_of(ids));
    CHECK(test::search(a.path(), "findme") == ids_of(ids));
    CHECK(test::matches(a.path(), Xapian::Query(std::string(500, 'q'))).empty());
}

TEST_CASE("index: incremental runs add only what changed - nothing new writes nothing",
          "[index][indexer]") {
    TestArchive a;
    a.add_many(20, "a");
    CHECK(a.index().indexed == 20);
    const auto ids = a.add_many(5, "b");
    const auto rep = a.index();
    CHECK(!rep.rebuilt);
    CHECK(rep.mode == IndexMode::single_writer);
    CHECK(rep.indexed == 5);
    CHECK(rep.from_seq == 1);
    CHECK(rep.to_seq == 2);
    CHECK(test::matches(a.path(), Xapian::Query("Kattachment")).empty());
    CHECK(test::search(a.path(), "b3").size() == 1);

    Xapian::rev before = Xapian::Database(index_path(a.path()).string()).get_revision();
    const auto t0 = std::chrono::steady_clock::now();
    const auto again = a.index();
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(again.up_to_date);
    CHECK(again.indexed == 0);
    CHECK(secs < 0.5);
    CHECK(Xapian::Database(index_path(a.path()).string()).get_revision() == before);

    // The incremental index equals a clean build.
    const auto incremental = test::dump_index(a.path());
    CHECK(incremental.size() == 25);
    CHECK(clean_build_of(a) == incremental);
}

TEST_CASE("index: a thread merge updates the thread of every affected document",
          "[index][indexer]") {
    TestArchive a;
    Msg root;
    root.mid = "root@test";
    Msg orphan; // replies to a message not yet seen: its own thread for now
    orphan.mid = "orphan@test";
    orphan.references = {"middle@test"};
    const auto ids = a.add({root, orphan});
    a.index();
    REQUIRE(a.thread_of(ids[0]) != a.thread_of(ids[1]));

    Msg middle; // links the orphan's thread to root's
    middle.mid = "middle@test";
    middle.references = {"root@test"};
    const auto mid_ids = a.add({middle});
    const int64_t thread = a.thread_of(ids[0]);
    REQUIRE(a.thread_of(ids[1]) == thread);
    REQUIRE(a.thread_of(mid_ids[0]) == thread);
    const auto rep = a.index();
    CHECK(rep.indexed >= 2); // the new message and the re-threaded one(s)
    const auto all = ids_of({ids[0], ids[1], mid_ids[0]});
    CHECK(test::matches(a.path(), Xapian::Query("XTHREAD" + std::to_string(thread))) == all);
    Xapian::Database db(index_path(a.path()).string());
    for (unsigned id : all) {
        const auto doc = db.get_document(id);
        CHECK(Xapian::sortable_unserialise(doc.get_value(kSlotThread)) ==
              static_cast<double>(thread));
        auto data = decode_doc_data(doc.get_data());
        REQUIRE(data.ok());
        CHECK(data->thread_id == thread);
    }
}

TEST_CASE("index: deleted messages lose their documents", "[index][indexer]") {
    TestArchive a;
    const auto ids = a.add_many(6);
    a.index();
    a.remove(ids[2]);
    const auto rep = a.index();
    CHECK(rep.deleted == 1);
    CHECK(rep.indexed == 0);
    Xapian::Database db(index_path(a.path()).string());
    CHECK(db.get_doccount() == 5);
    CHECK(test::matches(a.path(), Xapian::Query("XID" + std::to_string(ids[2]))).empty());
    CHECK(a.index().up_to_date);
}

TEST_CASE("index: killed mid-update (kill -9), a re-run converges", "[index][indexer][kill]") {
    TestArchive a;
    a.add_many(10, "a");
    a.index();
    a.add_many(60, "b");
    const int64_t old_seq = last_seq_of(a.path());

    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        IndexOptions o = a.options();
        o.batch_size = 5;
        o.jobs = 1;
        o.after_commit = [](uint64_t done) {
            if (done >= 20) ::raise(SIGKILL);
        };
        (void)index_archive(o);
        ::_exit(0); // not reached when the hook fires
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    // Some new documents are in, the cursor is not.
    CHECK(last_seq_of(a.path()) == old_seq);
    {
        Xapian::Database db(index_path(a.path()).string());
        CHECK(db.get_doccount() > 10);
        CHECK(db.get_doccount() < 70);
    }
    const auto rep = a.index();
    CHECK(rep.indexed == 60);
    const auto converged = test::dump_index(a.path());
    CHECK(converged.size() == 70);
    CHECK(clean_build_of(a) == converged);
}

TEST_CASE("index: killed mid-rebuild, the live index is untouched and a re-run finishes",
          "[index][indexer][kill]") {
    TestArchive a;
    a.add_many(40);
    a.index();
    const auto before = test::dump_index(a.path());
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        IndexOptions o = a.options();
        o.rebuild = true;
        o.mode = IndexMode::shards;
        o.min_shard_docs = 5;
        o.batch_size = 4;
        o.after_commit = [](uint64_t done) {
            if (done >= 8) ::raise(SIGKILL);
        };
        (void)index_archive(o);
        ::_exit(0);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFSIGNALED(status));
    CHECK(std::filesystem::exists(a.path() / "xapian.shards")); // debris of the killed build
    CHECK(test::dump_index(a.path()) == before);                // readers saw nothing change
    CHECK(a.index().up_to_date);
    IndexOptions o = a.options();
    o.rebuild = true;
    CHECK(a.index(o).rebuilt);
    CHECK(!std::filesystem::exists(a.path() / "xapian.shards"));
    CHECK(test::dump_index(a.path()) == before);
}

TEST_CASE("index: shards give the same index as one writer", "[index][indexer][shards]") {
    TestArchive a;
    a.add_many(150, "s");
    IndexOptions o = a.options();
    o.mode = IndexMode::shards;
    o.jobs = 3;
    o.min_shard_docs = 10;
    o.batch_size = 7;
    const auto rep = a.index(o);
    CHECK(rep.mode == IndexMode::shards);
    CHECK(rep.threads == 3);
    CHECK(rep.indexed == 150);
    const auto sharded = test::dump_index(a.path());
    CHECK(sharded.size() == 150);
    CHECK(last_seq_of(a.path()) == 1);
    CHECK(clean_build_of(a) == sharded);
}

TEST_CASE("index: readers keep working while the writer commits", "[index][indexer][concurrency]") {
    TestArchive a;
    a.add_many(20, "r");
    a.index();
    std::atomic<bool> done{false};
    std::atomic<int> reads{0};
    std::string reader_error;
    std::thread reader([&] {
        auto r = IndexReader::open(a.path());
        if (!r.ok()) {
            reader_error = r.error().what();
            return;
        }
        while (!done) {
            auto st = r->run([](Xapian::Database& db) {
                Xapian::Enquire e(db);
                e.set_query(Xapian::Query("XLISTlinux-mips"));
                const auto ms = e.get_mset(0, 50);
                for (auto it = ms.begin(); it != ms.end(); ++it)
                    (void)it.get_document().get_data();
                return ms.get_matches_estimated();
            });
            if (!st.ok()) {
                reader_error = st.error().what();
                return;
            }
            ++reads;
        }
    });
    for (int round = 0; round < 8; ++round) {
        a.add_many(30, "w" + std::to_string(round) + "x");
        IndexOptions o = a.options();
        o.batch_size = 3; // many commits: old revisions go away under the reader
        a.index(o);
    }
    done = true;
    reader.join();
    CHECK(reader_error.empty());
    CHECK(reads > 0);
}

TEST_CASE("index: an older index schema is rebuilt, a newer one refused until --rebuild",
          "[index][indexer][schema]") {
    TestArchive a;
    a.add_many(3);
    a.index();
    auto set_schema = [&](const std::string& v) {
        Xapian::WritableDatabase db(index_path(a.path()).string(), Xapian::DB_OPEN);
        db.set_metadata(std::string(kMetaSchema), v);
        db.commit();
    };
    // Older: readers refuse it with the hint; the indexer rebuilds it (derived data).
    set_schema("0");
    a.add_many(2, "later");
    auto reader = IndexReader::open(a.path());
    REQUIRE(!reader.ok());
    CHECK(reader.error().code == Errc::schema);
    CHECK(reader.error().hint == "run `mlarc index --rebuild`");
    auto r = index_archive(a.options());
    REQUIRE(r.ok());
    CHECK(r->rebuilt);
    CHECK(r->indexed == 5);
    CHECK(IndexReader::open(a.path()).ok());

    // Newer: made by a later mlarc; refused by the indexer and readers alike.
    set_schema(std::to_string(kIndexSchemaVersion + 1));
    a.add_many(1, "newest");
    r = index_archive(a.options());
    REQUIRE(!r.ok());
    CHECK(r.error().code == Errc::schema);
    CHECK(r.error().hint == "run `mlarc index --rebuild`");
    CHECK_FALSE(IndexReader::open(a.path()).ok());

    IndexOptions o = a.options();
    o.rebuild = true;
    const auto rep = a.index(o);
    CHECK(rep.rebuilt);
    CHECK(rep.indexed == 6);
    CHECK(IndexReader::open(a.path()).ok());
}

TEST_CASE("index: --rebuild swaps the index in - open readers keep their view",
          "[index][indexer][rebuild]") {
    TestArchive a;
    a.add_many(10);
    a.index();
    auto old_reader = IndexReader::open(a.path());
    REQUIRE(old_reader.ok());
    a.add_many(5, "n");
    std::filesystem::create_directories(a.path() / "xapian.new" / "junk"); // debris
    IndexOptions o = a.options();
    o.rebuild = true;
    const auto rep = a.index(o);
    CHECK(rep.rebuilt);
    CHECK(rep.indexed == 15);
    CHECK(!std::filesystem::exists(a.path() / "xapian.new"));
    CHECK(!std::filesystem::exists(a.path() / "xapian.old"));
    // The reader opened before the swap still reads its old index...
    auto n = old_reader->run([](Xapian::Database& db) { return db.get_doccount(); });
    REQUIRE(n.ok());
    CHECK(*n == 10);
    // ...and sees the new one after reopening.
    REQUIRE(old_reader->reopen().ok());
    CHECK(old_reader->db().get_doccount() == 15);
}

TEST_CASE("index: level and language are kept unless rebuilt", "[index][indexer]") {
    TestArchive a;
    a.add_many(5);
    IndexOptions o = a.options();
    o.level = IndexLevel::light;
    o.language = "none";
    const auto rep = a.index(o);
    CHECK(rep.level == IndexLevel::light);
    {
        Xapian::Database db(index_path(a.path()).string());
        CHECK(!db.has_positions());
        CHECK(db.get_metadata("level") == "light");
        CHECK(db.get_metadata("language") == "none");
        CHECK(db.get_metadata("stemming") == "none");
    }
    a.add_many(2, "more");
    const auto upd = a.index(); // nothing said: keeps light/none
    CHECK(upd.level == IndexLevel::light);
    CHECK(upd.language == "none");
    CHECK(!Xapian::Database(index_path(a.path()).string()).has_positions());

    IndexOptions full = a.options();
    full.level = IndexLevel::full;
    auto r = index_archive(full);
    REQUIRE(!r.ok());
    CHECK(r.error().code == Errc::usage);
    CHECK(r.error().hint.find("--rebuild") != std::string::npos);
    full.rebuild = true;
    CHECK(a.index(full).level == IndexLevel::full);
    CHECK(Xapian::Database(index_path(a.path()).string()).has_positions());
    CHECK(Xapian::Database(index_path(a.path()).string()).get_metadata("language") == "none");
}

TEST_CASE("index: errors are Errors, never Xapian exceptions", "[index][indexer]") {
    test::TempDir t;
    IndexOptions o;
    o.archive = t.path() / "nowhere";
    auto r = index_archive(o);
    REQUIRE(!r.ok());
    CHECK(r.error().code == Errc::not_found);
    auto reader = IndexReader::open(t.path());
    REQUIRE(!reader.ok());
    CHECK(reader.error().code == Errc::not_found);

    TestArchive a;
    a.add_many(3);
    a.index();
    a.add_many(1, "z");
    // Another process's writer holds Xapian's lock.
    Xapian::WritableDatabase other(index_path(a.path()).string(), Xapian::DB_OPEN);
    auto locked = index_archive(a.options());
    REQUIRE(!locked.ok());
    CHECK(locked.error().code == Errc::locked);
    CHECK(exit_code(locked.error().code) == 75);
    CHECK(locked.error().message.find("Xapian") == std::string::npos);
}

TEST_CASE("index: a follower indexes batches as they are committed, then a compaction",
          "[index][indexer][follower]") {
    TestArchive a;
    a.add_many(10, "a");
    std::vector<int64_t> later;
    {
        IndexFollower f(a.options());
        // Another committed batch while the follower runs.
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        later = a.add_many(7, "b");
        // Wait (bounded) until the follower has caught up with it.
        for (int i = 0; i < 100 && !std::filesystem::exists(index_path(a.path())); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        for (int i = 0; i < 100; ++i) {
            if (std::filesystem::exists(index_path(a.path())) &&
                Xapian::Database(index_path(a.path()).string()).get_doccount() == 17)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        f.stop();
        CHECK(f.indexed() == 17);
    }
    IndexOptions o = a.options();
    o.compact_if_mostly_updated = true;
    o.prior_updated = 17;
    const auto rep = a.index(o);
    CHECK(rep.up_to_date);
    CHECK(rep.compact_seconds > 0);
    CHECK(last_seq_of(a.path()) == 2);
    // The followed (and compacted) index equals a clean build.
    const auto followed = test::dump_index(a.path());
    CHECK(followed.size() == 17);
    CHECK(clean_build_of(a) == followed);
}

TEST_CASE("index: a large update runs on both cores with a side shard, merged by compaction",
          "[index][indexer][side]") {
    TestArchive a;
    Msg root;
    root.mid = "root@test";
    Msg orphan; // re-threaded by the update: an old document the live writer rewrites
    orphan.mid = "orphan@test";
    orphan.references = {"middle@test"};
    const auto old_ids = a.add({root, orphan});
    a.add_many(10, "a");
    a.index();
    const int64_t deleted = a.add_many(1, "gone")[0];
    a.index();
    a.remove(deleted);
    Msg middle;
    middle.mid = "middle@test";
    middle.references = {"root@test"};
    a.add({middle});
    a.add_many(40, "b");

    IndexOptions o = a.options();
    o.min_shard_docs = 8;
    o.batch_size = 6;
    const auto rep = a.index(o);
    CHECK(rep.mode == IndexMode::shards); // side shard used
    CHECK(!rep.rebuilt);
    CHECK(rep.deleted == 1);
    CHECK(rep.indexed >= 42); // the new ones and the re-threaded orphan
    CHECK(rep.compact_seconds > 0);
    CHECK(!std::filesystem::exists(a.path() / "xapian.shards"));
    CHECK(!std::filesystem::exists(a.path() / "xapian.new"));
    CHECK(last_seq_of(a.path()) == rep.to_seq);
    CHECK(a.thread_of(old_ids[0]) == a.thread_of(old_ids[1]));
    const auto updated = test::dump_index(a.path());
    CHECK(updated.size() == 53);
    CHECK(clean_build_of(a) == updated);
    CHECK(a.index().up_to_date);
}

TEST_CASE("index: small updates, --mode single and one job never use a side shard",
          "[index][indexer][side]") {
    TestArchive a;
    a.add_many(30, "a");
    a.index();
    a.add_many(10, "b"); // a quarter of the index: merging it would cost more than it saves
    IndexOptions o = a.options();
    o.min_shard_docs = 8;
    CHECK(a.index(o).mode == IndexMode::single_writer);
    a.add_many(60, "c");
    o.mode = IndexMode::single_writer;
    CHECK(a.index(o).mode == IndexMode::single_writer);
    a.add_many(150, "d");
    o.mode = IndexMode::automatic;
    o.jobs = 1;
    CHECK(a.index(o).mode == IndexMode::single_writer);
    // After an import whose follower indexed most of it, a merge is due
    // anyway: then even a smaller remainder goes to a side shard.
    a.add_many(20, "e");
    o.jobs = 2;
    o.compact_if_mostly_updated = true;
    o.prior_updated = 200;
    CHECK(a.index(o).mode == IndexMode::shards);
    const auto updated = test::dump_index(a.path());
    CHECK(updated.size() == 270);
    CHECK(clean_build_of(a) == updated);
}

TEST_CASE("index: killed during a side-shard update, a re-run converges",
          "[index][indexer][side][kill]") {
    for (uint64_t kill_at : {3u, 12u, 0u}) { // 0: after both parts, before the merge
        TestArchive a;
        a.add_many(10, "a");
        a.index();
        const int64_t old_seq = last_seq_of(a.path());
        a.add_many(50, "b");
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            IndexOptions o = a.options();
            o.min_shard_docs = 8;
            o.batch_size = 4;
            if (kill_at > 0)
                o.after_commit = [kill_at](uint64_t done) {
                    if (done >= kill_at) ::raise(SIGKILL);
                };
            else // both parts committed, the merge about to start
                o.progress = [](const IndexProgress& pr) {
                    if (pr.phase == "compact") ::raise(SIGKILL);
                };
            (void)index_archive(o);
            ::_exit(0);
        }
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        INFO("kill at " << kill_at);
        REQUIRE(WIFSIGNALED(status));
        CHECK(WTERMSIG(status) == SIGKILL);
        CHECK(last_seq_of(a.path()) == old_seq); // nothing claimed that is not there
        IndexOptions o = a.options();
        o.min_shard_docs = 8;
        const auto rep = a.index(o);
        CHECK(rep.indexed == 50);
        const auto converged = test::dump_index(a.path());
        CHECK(converged.size() == 60);
        CHECK(clean_build_of(a) == converged);
    }
}
