// Purging messages from the store (`mlarc purge`): takedown requests for
// personal data or spam. A purge removes the message row and every row about
// it (text, raw bytes, addresses, list memberships, attachments, deliverable
// mentions), keeps its thread node as a placeholder (so replies stay in their
// thread and `mlarc thread` shows where it stood), writes a tombstone (the
// indexer deletes the search document on its next run) and records the
// message's identity, the reason and the selector in purge_log (schema in
// data/migrations/0003_purge.sql). All of it in one store batch: one change
// number, all or nothing.
//
// Re-import: purged_identities() gives the (Message-ID, content hash) keys of
// purge_log; the importer skips an incoming message whose key is in it and
// counts it as purged, so a purged message never comes back.
//
// The caller holds the archive writer lock (util/lock.hpp) and opened the
// store read-write. The deleted bytes are overwritten in the database file
// (SQLite secure_delete) and the write-ahead log is checkpointed afterwards;
// backup copies made by schema migrations (store.sqlite.v*.bak) are not
// touched.
#pragma once

#include "store/store.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace mlarc {

/// A stored message as a purge lists it before removing it.
struct PurgeCandidate {
    int64_t id = 0;
    std::string mid;
    int64_t mid_seq = 1;
    int64_t thread_id = 0;
    int64_t date_utc = 0;
    std::string from_addr;
    std::string subject;
    std::vector<std::string> lists; // sorted names
    uint64_t size = 0;
};

/// The stored messages among `ids`, ascending by id, each once; ids not in
/// the store are left out. Errors: the store's.
Result<std::vector<PurgeCandidate>> purge_candidates(Store& store, std::span<const int64_t> ids);

/// Ids of every stored message with Message-ID `mid` (with or without <>;
/// every content stored under it), ascending. Empty when none. Errors: usage
/// for an empty Message-ID; the store's.
Result<std::vector<int64_t>> message_ids_for_mid(Store& store, std::string_view mid);

struct PurgeRequest {
    std::string reason;   // why (required, not empty)
    std::string selector; // how the messages were chosen: "mid:X", "id:N", "query:TEXT"
};

struct PurgeResult {
    int64_t purged = 0;       // messages removed
    int64_t placeholders = 0; // of which left a placeholder node with replies under it
    int64_t change_seq = 0;   // the store change (and tombstone) number
};

/// Purges the messages `ids` (those not in the store are skipped) in one
/// batch. Errors: usage for an empty reason; the store's (disk_full, locked,
/// io); nothing is changed on error.
Result<PurgeResult> purge_messages(Store& store, std::span<const int64_t> ids,
                                   const PurgeRequest& request);

/// One purge_log row.
struct PurgeLogEntry {
    int64_t message_id = 0;
    std::string mid;
    int64_t mid_seq = 1;
    std::string content_hash;
    int64_t thread_id = 0;
    int64_t date_utc = 0;
    std::string lists; // comma-separated names
    std::string reason;
    std::string selector;
    int64_t purged_at = 0;
    int64_t change_seq = 0;
};

/// The purge log, oldest first. Errors: the store's.
Result<std::vector<PurgeLogEntry>> purge_log(Store& store);

/// The key the importer looks up: Message-ID and content hash.
std::string purge_identity_key(std::string_view mid, std::string_view content_hash);

/// purge_identity_key() of every purge_log row (empty for an archive that
/// never purged anything). Errors: the store's.
Result<std::unordered_set<std::string>> purged_identities(Store& store);

/// Records in import_log row `log_id` how many messages were skipped as
/// purged. Errors: the store's.
Status log_purged(Store& store, int64_t log_id, int64_t purged);

} // namespace mlarc
