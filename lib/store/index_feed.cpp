// The indexer's feed: the change plan and chunked, set-based reads of the
// messages to index (see index_feed.hpp). Each chunk costs four statements:
// messages joined with their text, then list names, to/cc addresses and
// attachments for all ids of the chunk at once; the ids are bound as one JSON
// array and expanded with json_each, so every statement is a primary-key seek
// per id.
#include "store/index_feed.hpp"

#include "store/rows.hpp"

#include <algorithm>
#include <charconv>

namespace mlarc {

namespace {

/// A deferred read transaction: every statement inside sees one snapshot.
/// Ends with COMMIT (nothing was written) on destruction.
class ReadSnapshot {
  public:
    static Result<ReadSnapshot> begin(sql::Db& db) {
        MLARC_TRY_STATUS(db.exec("BEGIN"));
        return ReadSnapshot(&db);
    }
    ReadSnapshot(ReadSnapshot&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
    ReadSnapshot& operator=(ReadSnapshot&&) = delete;
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;
    ~ReadSnapshot() {
        if (db_) (void)db_->exec("COMMIT");
    }

  private:
    explicit ReadSnapshot(sql::Db* db) : db_(db) {}
    sql::Db* db_;
};

std::string json_int_array(std::span<const int64_t> ids) {
    std::string out;
    out.reserve(ids.size() * 8 + 2);
    out += '[';
    char buf[24];
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        auto r = std::to_chars(buf, buf + sizeof buf, ids[i]);
        out.append(buf, r.ptr);
    }
    out += ']';
    return out;
}

using sql::for_each_row;

/// Runs `sql` (with ?1 = JSON array of ids, first column = message id) and
/// hands each row to fill(message, q); rows are matched to `msgs` (sorted by
/// id) by binary search.
template <typename F>
Status attach_rows(sql::Db& db, const char* sql, const std::string& ids_json,
                   std::vector<FeedMessage>& msgs, F&& fill) {
    auto q = db.prepare(sql);
    if (!q.ok()) return q.error();
    q->bind(1, ids_json);
    return for_each_row(*q, [&](const sql::Stmt& row) {
        const int64_t id = row.int64(0);
        auto it = std::lower_bound(msgs.begin(), msgs.end(), id,
                                   [](const FeedMessage& m, int64_t v) { return m.id < v; });
        if (it != msgs.end() && it->id == id) fill(*it, row);
    });
}

} // namespace

// ---- IdRuns, ByteProfile ------------------------------------------------------

void IdRuns::push_back(int64_t id) {
    if (!runs_.empty() && id == back() + 1)
        ++runs_.back().len;
    else
        runs_.push_back(Run{id, size_, 1});
    ++size_;
}

size_t IdRuns::upper_bound(int64_t v) const {
    // The last run starting at or below v.
    auto it = std::upper_bound(runs_.begin(), runs_.end(), v,
                               [](int64_t x, const Run& r) { return x < r.first; });
    if (it == runs_.begin()) return 0;
    --it;
    const auto within = static_cast<size_t>(v - it->first) + 1;
    return it->pos + std::min(within, it->len);
}

void IdRuns::slice(size_t pos, size_t n, std::vector<int64_t>& out) const {
    const size_t end = std::min(size_, pos + std::min(n, size_));
    if (pos >= end) return;
    auto it = std::upper_bound(runs_.begin(), runs_.end(), pos,
                               [](size_t p, const Run& r) { return p < r.pos; });
    --it; // runs_[0].pos == 0 <= pos
    for (; pos < end; ++it) {
        const size_t off = pos - it->pos;
        const size_t take = std::min(it->len - off, end - pos);
        for (size_t i = 0; i < take; ++i)
            out.push_back(it->first + static_cast<int64_t>(off + i));
        pos += take;
    }
}

std::vector<int64_t> IdRuns::to_vector() const {
    std::vector<int64_t> out;
    out.reserve(size_);
    slice(0, size_, out);
    return out;
}

void ByteProfile::add(uint64_t bytes) {
    total_ += bytes;
    if (++count_ % step_ != 0) return;
    samples_.push_back(Sample{count_, total_});
    if (samples_.size() == kMaxSamples) { // keep every other sample: those at multiples of 2*step
        size_t j = 0;
        for (size_t i = 1; i < samples_.size(); i += 2)
            samples_[j++] = samples_[i];
        samples_.resize(j);
        step_ *= 2;
    }
}

size_t ByteProfile::position_reaching(uint64_t bytes) const {
    auto it = std::lower_bound(samples_.begin(), samples_.end(), bytes,
                               [](const Sample& s, uint64_t b) { return s.cum < b; });
    return it == samples_.end() ? count_ : it->pos;
}

uint64_t ByteProfile::bytes_before(size_t pos) const {
    if (pos >= count_) return total_;
    auto it = std::upper_bound(samples_.begin(), samples_.end(), pos,
                               [](size_t p, const Sample& s) { return p < s.pos; });
    return it == samples_.begin() ? 0 : std::prev(it)->cum;
}

// ---- the plan -------------------------------------------------------------------

Result<IndexFeedPlan> plan_index_feed(Store& store, int64_t from_seq) {
    sql::Db& db = store.db();
    auto snap = ReadSnapshot::begin(db);
    if (!snap.ok()) return snap.error();
    IndexFeedPlan plan;
    plan.from_seq = from_seq;
    auto seq = store.change_seq();
    if (!seq.ok()) return seq.error();
    plan.to_seq = *seq;
    if (plan.to_seq <= from_seq) return plan;

    // A full build scans the table in rowid order ('+' keeps SQLite off the
    // change_seq index, which would only add a lookup per row); an update
    // seeks the change_seq index and has SQLite sort the (few) ids. Rows are
    // folded into the runs and the byte profile as they come: nothing per
    // message is kept.
    auto q = from_seq == 0
                 ? db.prepare("SELECT id, size FROM messages WHERE +change_seq <= ?2 ORDER BY id")
                 : db.prepare("SELECT id, size FROM messages WHERE change_seq > ?1 AND "
                              "change_seq <= ?2 ORDER BY id");
    if (!q.ok()) return q.error();
    q->bind(1, from_seq).bind(2, plan.to_seq);
    MLARC_TRY_STATUS(for_each_row(*q, [&](const sql::Stmt& r) {
        plan.ids.push_back(r.int64(0));
        plan.bytes.add(static_cast<uint64_t>(r.int64(1)));
    }));

    auto t = db.prepare("SELECT message_id FROM tombstones WHERE change_seq > ?1 AND "
                        "change_seq <= ?2 ORDER BY message_id");
    if (!t.ok()) return t.error();
    t->bind(1, from_seq).bind(2, plan.to_seq);
    MLARC_TRY_STATUS(
        for_each_row(*t, [&](const sql::Stmt& r) { plan.deleted.push_back(r.int64(0)); }));
    return plan;
}

Result<std::vector<FeedMessage>> read_feed_messages(Store& store, std::span<const int64_t> ids) {
    std::vector<FeedMessage> msgs;
    if (ids.empty()) return msgs;
    sql::Db& db = store.db();
    auto snap = ReadSnapshot::begin(db);
    if (!snap.ok()) return snap.error();
    const std::string ids_json = json_int_array(ids);

    auto q = db.prepare(
        "SELECT m.id, m.mid, m.mid_seq, m.thread_id, m.date_utc, m.date_offset, m.from_addr, "
        "m.from_name, m.subject, m.size, m.flags, t.body, t.attachment_text "
        "FROM messages m LEFT JOIN message_text t ON t.message_id = m.id "
        "WHERE m.id IN (SELECT value FROM json_each(?1)) ORDER BY m.id");
    if (!q.ok()) return q.error();
    q->bind(1, ids_json);
    msgs.reserve(ids.size());
    MLARC_TRY_STATUS(for_each_row(*q, [&](const sql::Stmt& r) {
        FeedMessage& m = msgs.emplace_back();
        m.id = r.int64(0);
        m.mid = r.text(1);
        m.mid_seq = r.int64(2);
        m.thread_id = r.int64(3);
        m.date_utc = r.int64(4);
        m.date_offset = static_cast<int>(r.int64(5));
        m.from_addr = r.text(6);
        m.from_name = r.text(7);
        m.subject = r.text(8);
        m.size = static_cast<uint64_t>(r.int64(9));
        m.flags = static_cast<uint32_t>(r.int64(10));
        m.body = r.text(11);
        m.attachment_text = r.text(12);
    }));
    if (msgs.empty()) return msgs;

    MLARC_TRY_STATUS(attach_rows(
        db,
        "SELECT ml.message_id, l.name FROM message_lists ml JOIN lists l ON l.id = ml.list_id "
        "WHERE ml.message_id IN (SELECT value FROM json_each(?1)) ORDER BY ml.message_id, l.name",
        ids_json, msgs, [](FeedMessage& m, const sql::Stmt& r) { m.lists.push_back(r.text(1)); }));
    MLARC_TRY_STATUS(attach_rows(
        db,
        "SELECT message_id, role, address, name FROM message_addresses "
        "WHERE message_id IN (SELECT value FROM json_each(?1)) AND role IN ('to', 'cc') "
        "ORDER BY message_id, role, position",
        ids_json, msgs, [](FeedMessage& m, const sql::Stmt& r) {
            auto& dest = r.text_view(1) == "to" ? m.to : m.cc;
            dest.push_back(Address{r.text(2), r.text(3)});
        }));
    MLARC_TRY_STATUS(attach_rows(
        db,
        "SELECT message_id, part_no, filename, content_type, size FROM attachments "
        "WHERE message_id IN (SELECT value FROM json_each(?1)) ORDER BY message_id, part_no",
        ids_json, msgs, [](FeedMessage& m, const sql::Stmt& r) {
            m.attachments.push_back(Attachment{static_cast<int>(r.int64(1)), r.text(2), r.text(3),
                                               static_cast<uint64_t>(r.int64(4))});
        }));
    MLARC_TRY_STATUS(attach_rows(
        db,
        "SELECT DISTINCT message_id, deliverable_id FROM deliverable_mentions "
        "WHERE message_id IN (SELECT value FROM json_each(?1)) ORDER BY message_id, deliverable_id",
        ids_json, msgs,
        [](FeedMessage& m, const sql::Stmt& r) { m.deliverables.push_back(r.text(1)); }));
    return msgs;
}

Result<int64_t> count_indexable_messages(Store& store) {
    auto v = store.db().query_int("SELECT count(*) FROM messages");
    if (!v.ok()) return v.error();
    return v->value_or(0);
}

} // namespace mlarc
