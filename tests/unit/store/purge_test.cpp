// The store's purge and quarantine functions (store/purge.hpp,
// store/quarantine.hpp) on a store filled with hand-made messages: a purge
// removes every row of the message, leaves a placeholder thread node under
// which the replies stay, writes a tombstone in a new change, logs identity
// and reason (no author, no subject), never gives the id to another message,
// and is all or nothing; the quarantine reads back exactly what was kept.
#include "store/purge.hpp"
#include "store/quarantine.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <optional>

using namespace mlarc;

namespace {

struct Msg {
    std::string mid;
    std::vector<std::string> references;
    std::string body = "body text";
};

class Fixture {
  public:
    Fixture() : path_(dir_.path() / "archive") {
        auto s = Store::open(path_, Store::Mode::read_write);
        REQUIRE(s.ok());
        store_.emplace(std::move(*s));
        auto l = store_->ensure_list(ListInfo{0, "linux-mips", "linux-mips@example.org", -1, ""});
        REQUIRE(l.ok());
        list_ = l->id;
        auto l2 = store_->ensure_list(ListInfo{0, "wg3", "wg3@example.org", 3, ""});
        REQUIRE(l2.ok());
        list2_ = l2->id;
        SourceInfo si;
        si.path = "/test/input.mbox";
        si.list_id = list_;
        si.format = "mboxrd";
        auto src = store_->create_source(si);
        REQUIRE(src.ok());
        source_ = src->id;
    }

    Store& store() { return *store_; }
    void reopen() {
        store_.reset();
        auto s = Store::open(path_, Store::Mode::read_write);
        REQUIRE(s.ok());
        store_.emplace(std::move(*s));
    }
    int64_t list2() const { return list2_; }
    int64_t source() const { return source_; }

    IncomingMessage incoming(const Msg& m) {
        IncomingMessage in;
        in.parsed.message_id = m.mid;
        in.parsed.subject = "subject of " + m.mid;
        in.parsed.from = Address{"jan@example.org", "Jan"};
        in.parsed.to = {{"list@example.org", ""}};
        in.parsed.references = m.references;
        in.parsed.body_text = m.body;
        in.parsed.attachments = {Attachment{2, "a.txt", "text/plain", 3}};
        in.parsed.headers = {{"Subject", in.parsed.subject}};
        in.mid = m.mid;
        in.content_hash = "hash-" + m.mid + "-" + m.body;
        in.date_utc = 1514764800;
        in.date_source = "header";
        in.raw_encoded = "raw bytes of " + m.mid;
        in.raw_size = in.raw_encoded.size();
        in.mentions = {DeliverableMention{"D3.2", "id", "D3.2", "body"}};
        return in;
    }

    std::vector<AddOutcome> add(const std::vector<Msg>& msgs, int64_t list = 0) {
        REQUIRE(store_->begin_batch().ok());
        std::vector<AddOutcome> out;
        for (const auto& m : msgs) {
            auto r = store_->add_message(incoming(m), list ? list : list_, source_);
            REQUIRE(r.ok());
            out.push_back(*r);
        }
        REQUIRE(store_->commit_batch().ok());
        return out;
    }

    int64_t id_of(const std::string& mid) {
        auto ids = message_ids_for_mid(*store_, mid);
        REQUIRE(ids.ok());
        REQUIRE(!ids->empty());
        return ids->front();
    }

    int64_t count(const std::string& sql) {
        auto v = store_->db().query_int(sql);
        REQUIRE(v.ok());
        return v->value_or(-1);
    }

    /// Rows about message `id` in every table that holds some.
    int64_t rows_of(int64_t id) {
        const std::string i = std::to_string(id);
        int64_t n = count("SELECT count(*) FROM messages WHERE id=" + i);
        for (const char* t : {"message_text", "message_raw", "message_lists", "message_addresses",
                              "attachments", "deliverable_mentions"})
            n += count(std::string("SELECT count(*) FROM ") + t + " WHERE message_id=" + i);
        return n;
    }

  private:
    mlarc::test::TempDir dir_;
    std::filesystem::path path_;
    std::optional<Store> store_;
    int64_t list_ = 0, list2_ = 0, source_ = 0;
};

PurgeRequest takedown() {
    return PurgeRequest{"personal data (ticket 42)", "mid:x"};
}

} // namespace

TEST_CASE("purge: every row goes, the node stays as a placeholder, replies keep their thread",
          "[store][purge]") {
    Fixture f;
    f.add({{"root@x", {}}, {"mid@x", {"root@x"}}, {"reply@x", {"root@x", "mid@x"}}});
    const int64_t id = f.id_of("mid@x");
    const int64_t reply = f.id_of("reply@x");
    const int64_t thread = f.count("SELECT thread_id FROM messages WHERE id=" + std::to_string(id));
    REQUIRE(f.rows_of(id) > 5);
    auto before = f.store().change_seq();
    REQUIRE(before.ok());

    const int64_t ids[] = {id};
    auto r = purge_messages(f.store(), ids, takedown());
    REQUIRE(r.ok());
    CHECK(r->purged == 1);
    CHECK(r->placeholders == 1); // reply@x hangs under it
    CHECK(r->change_seq == *before + 1);
    CHECK(f.count("SELECT value FROM meta WHERE key='change_seq'") == *before + 1);

    CHECK(f.rows_of(id) == 0);
    CHECK(f.count("SELECT count(*) FROM tombstones WHERE message_id=" + std::to_string(id) +
                  " AND change_seq=" + std::to_string(r->change_seq)) == 1);
    // The node is a placeholder now; the reply still points at it, same thread.
    CHECK(f.count("SELECT count(*) FROM thread_nodes WHERE mid='mid@x' AND message_id IS NULL "
                  "AND thread_id=" +
                  std::to_string(thread)) == 1);
    CHECK(f.count("SELECT thread_id FROM messages WHERE id=" + std::to_string(reply)) == thread);
    CHECK(f.count("SELECT count(*) FROM thread_nodes WHERE mid='reply@x' AND "
                  "parent_mid='mid@x'") == 1);
    auto c = f.store().counts();
    REQUIRE(c.ok());
    CHECK(c->messages == 2);
    CHECK(c->threads == 1);
    CHECK(c->ghosts == 1);
}

TEST_CASE("purge: the log keeps identity and reason, not author or subject", "[store][purge]") {
    Fixture f;
    f.add({{"a@x", {}}});
    f.add({{"a@x", {}}}, f.list2()); // cross-post: one message, two lists
    const int64_t id = f.id_of("a@x");
    const int64_t ids[] = {id};
    REQUIRE(purge_messages(f.store(), ids, takedown()).ok());
    auto log = purge_log(f.store());
    REQUIRE(log.ok());
    REQUIRE(log->size() == 1);
    const auto& e = log->front();
    CHECK(e.message_id == id);
    CHECK(e.mid == "a@x");
    CHECK(e.mid_seq == 1);
    CHECK(e.content_hash == "hash-a@x-body text");
    CHECK(e.lists == "linux-mips,wg3");
    CHECK(e.reason == "personal data (ticket 42)");
    CHECK(e.selector == "mid:x");
    CHECK(e.purged_at > 0);
    // No column of the log holds the author or the subject.
    CHECK(f.count("SELECT count(*) FROM purge_log WHERE lists LIKE '%jan@%' OR reason LIKE "
                  "'%subject of%'") == 0);

    auto keys = purged_identities(f.store());
    REQUIRE(keys.ok());
    CHECK(keys->count(purge_identity_key("a@x", "hash-a@x-body text")) == 1);
    CHECK(keys->count(purge_identity_key("a@x", "other")) == 0);
}

TEST_CASE("purge: a Message-ID selects every content stored under it", "[store][purge]") {
    Fixture f;
    f.add({{"same@x", {}, "first"}, {"same@x", {}, "second"}, {"other@x", {}}});
    auto ids = message_ids_for_mid(f.store(), "<same@x>");
    REQUIRE(ids.ok());
    CHECK(ids->size() == 2);
    auto none = message_ids_for_mid(f.store(), "missing@x");
    REQUIRE(none.ok());
    CHECK(none->empty());
    auto empty = message_ids_for_mid(f.store(), " <> ");
    REQUIRE(!empty.ok());
    CHECK(empty.error().code == Errc::usage);

    auto r = purge_messages(f.store(), *ids, takedown());
    REQUIRE(r.ok());
    CHECK(r->purged == 2);
    CHECK(r->placeholders == 0);
    CHECK(f.count("SELECT count(*) FROM messages") == 1);
    CHECK(f.count("SELECT count(*) FROM purge_log") == 2);
}

TEST_CASE("purge: ids are never given again, missing ids are skipped, a reason is needed",
          "[store][purge]") {
    Fixture f;
    f.add({{"one@x", {}}, {"two@x", {}}});
    const int64_t last = f.id_of("two@x");
    const int64_t ids[] = {last, 9999};

    const PurgeRequest no_reason{"  ", "id:1"};
    auto bad = purge_messages(f.store(), ids, no_reason);
    REQUIRE(!bad.ok());
    CHECK(bad.error().code == Errc::usage);
    CHECK(f.count("SELECT count(*) FROM messages") == 2);

    auto r = purge_messages(f.store(), ids, takedown());
    REQUIRE(r.ok());
    CHECK(r->purged == 1);

    // The next message gets a new id, in this store and after reopening it.
    f.add({{"three@x", {}}});
    CHECK(f.id_of("three@x") == last + 1);
    const int64_t now_last[] = {last + 1};
    REQUIRE(purge_messages(f.store(), now_last, takedown()).ok());
    f.reopen();
    f.add({{"four@x", {}}});
    CHECK(f.id_of("four@x") == last + 2);
    auto cands = purge_candidates(f.store(), ids);
    REQUIRE(cands.ok());
    CHECK(cands->empty());
}

TEST_CASE("purge: a failed purge changes nothing", "[store][purge]") {
    Fixture f;
    f.add({{"one@x", {}}});
    const int64_t id = f.id_of("one@x");
    // A trigger makes the tombstone insert fail half-way through.
    REQUIRE(f.store()
                .db()
                .exec("CREATE TRIGGER no_tomb BEFORE INSERT ON tombstones BEGIN "
                      "SELECT RAISE(ABORT, 'refused'); END")
                .ok());
    const int64_t ids[] = {id};
    auto r = purge_messages(f.store(), ids, takedown());
    REQUIRE(!r.ok());
    CHECK(f.rows_of(id) > 5);
    CHECK(f.count("SELECT count(*) FROM purge_log") == 0);
    CHECK(f.count("SELECT count(*) FROM thread_nodes WHERE message_id IS NULL") == 0);
    // The store is usable afterwards.
    f.add({{"two@x", {}}});
    CHECK(f.count("SELECT count(*) FROM messages") == 2);
}

TEST_CASE("quarantine: entries, exact bytes, counts per reason kind", "[store][quarantine]") {
    Fixture f;
    const std::string raw1 = std::string("no header here\r\n\0binary\n", 24);
    REQUIRE(f.store().begin_batch().ok());
    REQUIRE(f.store()
                .add_quarantine(raw1, "not a message: no header field found", f.source(), 120,
                                f.list2(), "h1")
                .ok());
    REQUIRE(
        f.store()
            .add_quarantine("x", "no list: nothing names a list", f.source(), 900, f.list2(), "h2")
            .ok());
    REQUIRE(f.store()
                .add_quarantine("y", "not a message: no header field found", f.source(), 950,
                                f.list2(), "h3")
                .ok());
    REQUIRE(f.store().commit_batch().ok());

    auto all = quarantine_entries(f.store());
    REQUIRE(all.ok());
    REQUIRE(all->size() == 3);
    CHECK((*all)[0].source_path == "/test/input.mbox");
    CHECK((*all)[0].source_format == "mboxrd");
    CHECK((*all)[0].source_offset == 120);
    CHECK((*all)[0].list == "wg3");
    CHECK((*all)[0].size == raw1.size());
    CHECK(quarantine_reason_kind((*all)[1].reason) == "no list");

    auto counts = quarantine_counts(*all);
    REQUIRE(counts.size() == 2);
    CHECK(counts[0] == std::make_pair(std::string("not a message"), int64_t{2}));
    CHECK(counts[1] == std::make_pair(std::string("no list"), int64_t{1}));

    auto some = quarantine_entries(f.store(), "No List");
    REQUIRE(some.ok());
    REQUIRE(some->size() == 1);
    CHECK(some->front().id == (*all)[1].id);

    auto one = quarantine_message(f.store(), (*all)[0].id);
    REQUIRE(one.ok());
    REQUIRE(one->has_value());
    CHECK((*one)->second == raw1); // NUL and CR kept
    auto missing = quarantine_message(f.store(), 12345);
    REQUIRE(missing.ok());
    CHECK(!missing->has_value());
    CHECK(quarantine_reason_kind("timeout") == "timeout");
}
