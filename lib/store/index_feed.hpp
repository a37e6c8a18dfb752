// The indexer's read API over the store: what changed since the index was last
// brought up to date, and everything a search document needs about those
// messages, read in a few set-based queries per chunk (never one query per
// message), so the whole linux-mips archive (84k messages) feeds in about a
// second.
//
// The cursor is the store's change counter (meta 'change_seq', bumped once per
// import batch): a message whose row was written, re-threaded or given another
// list membership carries the number of that batch in messages.change_seq, and
// a deleted message leaves a row in `tombstones` with the batch that deleted
// it. The indexer remembers the last number it reflects and asks for the range
// (from_seq, to_seq].
//
// Every row of `messages` is indexable: quarantined mail lives in its own
// table and never reaches the feed. Messages flagged flag_no_archive are fed
// like any other (the index marks them; the CGI hides them).
//
// Consistency: plan_index_feed() reads the id list and the tombstones in one
// read transaction; read_feed_messages() reads each chunk in one read
// transaction. A message that changes between the two carries a newer
// change_seq than the plan's to_seq, so the next run picks it up again; re-
// indexing is idempotent, so that is harmless.
#pragma once

#include "mime/message.hpp"
#include "store/store.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mlarc {

/// One message as the indexer sees it.
struct FeedMessage {
    int64_t id = 0;      // messages.id: the Xapian docid
    std::string mid;     // Message-ID without angle brackets
    int64_t mid_seq = 1; // 1 for the first content under this Message-ID, 2.. after
    int64_t thread_id = 0;
    int64_t date_utc = 0;  // seconds since the epoch
    int date_offset = 0;   // minutes east of UTC
    std::string from_addr; // lower-cased
    std::string from_name;
    std::string subject;
    uint64_t size = 0;                   // raw size in bytes
    uint32_t flags = 0;                  // MessageFlag bits
    std::vector<std::string> lists;      // list names, sorted
    std::vector<Address> to, cc;         // in header order
    std::vector<Attachment> attachments; // in part order
    std::string body;                    // text for indexing
    std::string attachment_text;
    std::vector<std::string> deliverables; // distinct deliverable ids mentioned ("D3.2"), sorted
};

/// A strictly ascending set of message ids held as runs of consecutive ids.
/// A full build's ids are 1..N with a hole per deleted message, so the set
/// costs 24 bytes per hole instead of 8 per message: the plan of a
/// million-message build stays a few bytes, and the indexer's peak RSS does
/// not grow with the archive (docs/scaling.md).
class IdRuns {
  public:
    /// Appends `id`, which must be greater than back().
    void push_back(int64_t id);
    [[nodiscard]] size_t size() const { return size_; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] int64_t front() const { return runs_.front().first; }
    [[nodiscard]] int64_t back() const {
        return runs_.back().first + static_cast<int64_t>(runs_.back().len) - 1;
    }
    [[nodiscard]] size_t run_count() const { return runs_.size(); }
    /// The position of the first id greater than `v` (std::upper_bound).
    [[nodiscard]] size_t upper_bound(int64_t v) const;
    /// Appends the ids at positions [pos, pos + n) (clipped to size()) to `out`.
    void slice(size_t pos, size_t n, std::vector<int64_t>& out) const;
    /// Every id, ascending (tests and small sets).
    [[nodiscard]] std::vector<int64_t> to_vector() const;

  private:
    struct Run {
        int64_t first; // first id of the run
        size_t pos;    // position of `first` in the set
        size_t len;
    };
    std::vector<Run> runs_;
    size_t size_ = 0;
};

/// Cumulative bytes along the plan's ids, sampled at most kMaxSamples times
/// (the step doubles as the plan grows): exact up to kMaxSamples ids, within
/// 1/kMaxSamples of the ids beyond. Used to cut the ids into parts of about
/// equal bytes without keeping a size per message.
class ByteProfile {
  public:
    static constexpr size_t kMaxSamples = 8192;
    /// Adds the size of the next id in order.
    void add(uint64_t bytes);
    [[nodiscard]] uint64_t total() const { return total_; }
    /// The smallest sampled position p (1..count) whose first p ids hold at
    /// least `bytes`; count when none does.
    [[nodiscard]] size_t position_reaching(uint64_t bytes) const;
    /// The bytes of the first `pos` ids (the nearest sample at or below pos).
    [[nodiscard]] uint64_t bytes_before(size_t pos) const;

  private:
    struct Sample {
        size_t pos;   // ids counted
        uint64_t cum; // their bytes
    };
    std::vector<Sample> samples_;
    size_t step_ = 1, count_ = 0;
    uint64_t total_ = 0;
};

/// What the indexer has to do to move from `from_seq` to `to_seq`.
struct IndexFeedPlan {
    int64_t from_seq = 0;
    int64_t to_seq = 0;           // the store's change_seq when planned
    IdRuns ids;                   // messages with change_seq in (from, to], ascending
    ByteProfile bytes;            // their raw sizes, for progress and balance
    std::vector<int64_t> deleted; // tombstoned ids with change_seq in (from, to], ascending
    [[nodiscard]] uint64_t total_bytes() const { return bytes.total(); } // sum of sizes
};

/// Plans the changes in (from_seq, current change_seq]. from_seq 0 gives every
/// message (a full build). Errors: SQLite errors of the store (locked,
/// unreadable, bad_input, io).
Result<IndexFeedPlan> plan_index_feed(Store& store, int64_t from_seq);

/// Reads the messages with the given ids (any order, duplicates allowed) and
/// returns them in ascending id order; ids no longer in the store are left
/// out. Use chunks of a few hundred ids: the text of each chunk is held in
/// memory. Errors: SQLite errors of the store.
Result<std::vector<FeedMessage>> read_feed_messages(Store& store, std::span<const int64_t> ids);

/// Number of messages an up-to-date index holds (every stored message).
Result<int64_t> count_indexable_messages(Store& store);

} // namespace mlarc
