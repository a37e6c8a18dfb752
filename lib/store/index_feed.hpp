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
    std::string headers;                 // decoded header block ("Name: value\n" lines)
    std::string body;                    // text for indexing
    std::string attachment_text;
    std::vector<std::string> deliverables; // distinct deliverable ids mentioned ("D3.2"), sorted
};

/// What the indexer has to do to move from `from_seq` to `to_seq`.
struct IndexFeedPlan {
    int64_t from_seq = 0;
    int64_t to_seq = 0;           // the store's change_seq when planned
    std::vector<int64_t> ids;     // messages with change_seq in (from, to], ascending
    std::vector<uint64_t> sizes;  // their raw sizes (parallel to ids), for progress/balance
    std::vector<int64_t> deleted; // tombstoned ids with change_seq in (from, to], ascending
    uint64_t total_bytes = 0;     // sum of sizes
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
