// The import pipeline: mbox/Maildir files -> decoded messages -> the store.
//
//   open_source (mbox/)  ->  batches of RawMessage  (main thread: framing)
//   decode_batch         ->  IncomingMessage | quarantine  (worker threads:
//                             unescape, MIME decode, dates, identity, zstd)
//   Store::add_message   ->  one SQLite transaction per batch, together with
//                             the source's done_offset (main thread)
//
// Decoding of batch N+1 overlaps storing of batch N. Everything happens in
// input order, so an interrupted import re-run from the last committed batch
// gives the same database as an uninterrupted one.
//
// Nothing is lost: every message framed is counted as read and ends up stored,
// recognised as a duplicate, quarantined with a reason, or skipped because it
// was purged (`mlarc purge`, store/purge.hpp: a purged message never comes
// back); read == stored + duplicates + quarantined + purged for every file and
// in total.
#pragma once

#include "mbox/reader.hpp"
#include "store/store.hpp"
#include "util/lock.hpp"
#include "util/result.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mlarc {

struct ImportOptions {
    std::filesystem::path archive = "./mlarc-data";
    std::string list;                 // list name or address; optional with a registry:
                                      // messages are filed by List-Id (ingest/list_route.hpp)
    MboxFormat format = MboxFormat::automatic;
    unsigned jobs = 0;                // decode threads; 0 = number of cores
    size_t batch_messages = 2000;     // messages per transaction
    size_t batch_bytes = 64u << 20;   // raw bytes per transaction
    bool subject_threading = true;
    double lock_wait_seconds = 0;     // wait for another writer this long
    bool progress = true;             // progress bar when stderr is a terminal
    size_t max_message_size = 100u << 20;
    double max_decode_seconds = 2.0;  // a message whose decoding took longer is quarantined
    uint64_t stop_after = 0;          // testing aid: stop (as if killed) after N messages
    /// When set, the archive lock is moved here when run_import() returns
    /// (success or not) instead of being released, so that `mlarc import` keeps
    /// it while it updates the index: no other writer can slip in between.
    std::optional<ArchiveLock>* keep_lock = nullptr;
    /// Called once the archive lock is held and the store is open, before the
    /// first batch (`mlarc import` starts its index follower there).
    std::function<void()> on_locked;
};

struct FileSummary {
    std::string path;
    int64_t read = 0, stored = 0, duplicates = 0, quarantined = 0;
    int64_t purged = 0; // skipped: purged from the archive earlier
    std::string status; // imported | unchanged | resumed | error
    std::string error;
    std::vector<std::string> warnings;
};

struct ImportSummary {
    std::vector<FileSummary> files;
    int64_t read = 0, stored = 0, duplicates = 0, quarantined = 0;
    int64_t purged = 0;
    double seconds = 0;
    uint64_t bytes = 0; // uncompressed bytes framed
};

/// Imports `inputs` (files, Maildirs, directories of mbox files) into the
/// archive. Each message goes to the list its List-Id names, else to --list;
/// with neither it is quarantined ("no list"). Errors: usage (no --list and
/// no registry lists), not_found/unreadable (an input),
/// bad_input (not an mbox), locked (another writer), disk_full, io. On error
/// the summary up to the failure is still filled in `summary`.
Status run_import(const ImportOptions& opts, const std::vector<std::filesystem::path>& inputs,
                  ImportSummary& summary);

/// Parses a --list value: a list name ("fgdpmwg3") or address
/// ("fgdpmwg3@lists.itu.int"). Errors: usage for an empty or malformed value.
Result<ListInfo> parse_list_arg(std::string_view value);

/// Frames the inputs without decoding (the floor for benchmarks): counts
/// messages and uncompressed bytes.
Result<ImportSummary> count_messages(const std::vector<std::filesystem::path>& inputs,
                                     MboxFormat format);

} // namespace mlarc
