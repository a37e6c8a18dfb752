// The indexer: brings ARCHIVE/xapian up to date with the store.
//
// Incremental and safe. The index's metadata "last_seq" is the store
// change_seq it reflects. An update reads the changes in (last_seq, current]
// (store/index_feed.hpp), deletes the documents of tombstoned ids, replaces
// the documents of changed messages (docid == messages.id, so replacing is
// idempotent), commits every `batch_size` documents, and sets last_seq in the
// same commit as the last changes. Killed at any point, the index holds only
// whole documents of the current content and an old last_seq; the next run
// simply replaces those documents again and converges to the state of an
// uninterrupted run. Nothing new: the index is opened read-only, the numbers
// compared, and nothing is written.
//
// Full builds (no index yet, --rebuild, a changed level or language with
// --rebuild, or most of the archive changed) never touch the live index: N
// shards are built in parallel into ARCHIVE/xapian.shards/<k> (each thread its
// own store connection, term generator and WritableDatabase, each shard a
// contiguous id range balanced by bytes), merged with Xapian compaction
// (keeping docids) into ARCHIVE/xapian.new, and swapped with the live index by
// one rename(2) (renameat2 RENAME_EXCHANGE), so readers see the old index or
// the new one, never half of one. Leftovers of a killed build are removed by
// the next run.
//
// Updates use one writer thread fed by builder threads (Xapian objects are
// never shared: documents are handed over whole); full builds use shards, as
// ~80% of indexing time is Xapian's insertion, which only shards parallelise.
//
// Locking: index_archive() assumes the caller holds the archive lock
// (util/lock.hpp); `mlarc index` takes it, `mlarc import` already holds it
// when it indexes after importing. Xapian's own write lock is still there:
// a DatabaseLockError becomes Errc::locked.
#pragma once

#include "index/document.hpp"
#include "util/result.hpp"

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace mlarc {

enum class IndexMode {
    automatic,     // shards for full builds (when jobs > 1), one writer for updates
    single_writer, // one writer thread fed by builder threads, always
    shards,        // always a full build with shards (an update becomes a rebuild)
};

std::string_view index_mode_name(IndexMode mode);
/// "auto", "single" or "shards". Errors: usage.
Result<IndexMode> parse_index_mode(std::string_view name);

/// Documents per commit (per shard) when IndexOptions::batch_size is 0.
inline constexpr size_t kDefaultIndexBatch = 500;

struct IndexProgress {
    std::string_view phase; // "index" or "compact"
    uint64_t docs_done = 0;
    uint64_t bytes_done = 0;  // raw message bytes of the documents done
    uint64_t bytes_total = 0; // of all documents to do (0 while compacting)
};

struct IndexOptions {
    std::filesystem::path archive = "./mlarc-data";
    bool rebuild = false; // build a fresh index and swap it in
    IndexMode mode = IndexMode::automatic;
    unsigned jobs = 0;                   // threads; 0 = number of cores
    size_t batch_size = 0;               // documents per commit; 0 = kDefaultIndexBatch
    std::optional<IndexLevel> level;     // unset: the index's own (full for a new one)
    std::optional<std::string> language; // unset: the index's own (english for a new one)
    size_t min_shard_docs = 2000;        // fewer documents per shard are not worth a shard
    /// Sharded layout (index/shards.hpp): the number of Xapian databases the
    /// index is made of, searched as one through a stub; 0 = the index's own
    /// (1 for a new one). A different count than the index's needs rebuild.
    unsigned shards = 0;
    /// Called on the calling thread about ten times a second while indexing.
    std::function<void(const IndexProgress&)> progress;
    /// Testing aid: called after every intermediate commit with the number of
    /// documents that writer has committed, from the writing thread.
    std::function<void(uint64_t)> after_commit;
    /// After an in-place update of a one-database index: when the documents
    /// written by updates since it was built (`prior_updated`, by earlier
    /// runs such as an IndexFollower's, plus this run's) are at least half of
    /// it, compact it into a fresh copy and swap that in (as --rebuild does):
    /// an index grown by many small commits is about a third larger.
    bool compact_if_mostly_updated = false;
    uint64_t prior_updated = 0;
    /// After the run, make the index's column file current (index/columns.hpp).
    /// IndexFollower's runs leave it to the last run after the import.
    bool columns = true;
};

struct IndexReport {
    int64_t from_seq = 0;                      // last_seq before the run
    int64_t to_seq = 0;                        // last_seq now
    uint64_t indexed = 0;                      // documents (re)written
    uint64_t deleted = 0;                      // tombstoned ids removed
    bool up_to_date = false;                   // nothing to do: nothing was written
    bool rebuilt = false;                      // a full build was swapped in
    IndexMode mode = IndexMode::single_writer; // what was used
    unsigned shards = 1;                       // databases of the index's layout
    unsigned threads = 1;                      // shards, or builder threads + writer
    IndexLevel level = IndexLevel::full;
    std::string language;
    double seconds = 0;         // whole run
    double compact_seconds = 0; // of which merging/compacting
};

/// Brings the index of opts.archive up to date (see above). The caller must
/// hold the archive lock. Errors: not_found (no archive), schema (index made
/// by another mlarc version: hint --rebuild), usage (unknown level/language,
/// or one different from the existing index's without --rebuild), locked
/// (Xapian write lock held elsewhere), disk_full, io, bad_input (damaged
/// index), and the store's errors. On error the live index is unchanged or
/// holds whole documents with the old last_seq.
Result<IndexReport> index_archive(const IndexOptions& opts);

/// Overlaps indexing with an import in the same process (`mlarc import`):
/// a thread of its own runs index_archive(opts) about every quarter second
/// while the importer commits batch after batch, so the index follows the
/// store on the other core instead of starting when the import ends. Each
/// run is an ordinary update (a build when there is no index yet): it indexes
/// only batches the store has committed and records their change_seq, so a
/// kill at any moment leaves what a killed `mlarc index` leaves, and the next
/// run converges. The caller holds the archive lock for the follower's life
/// and runs a last index_archive() after stop(), which does what is left and
/// reports any error again (the follower stops after three failed runs, and
/// runs are quiet: no progress callback).
class IndexFollower {
  public:
    explicit IndexFollower(IndexOptions opts);
    IndexFollower(const IndexFollower&) = delete;
    IndexFollower& operator=(const IndexFollower&) = delete;
    ~IndexFollower();
    /// Lets the current run finish, then ends the thread. Idempotent.
    void stop();
    /// Documents written by the follower's runs (valid after stop()).
    [[nodiscard]] uint64_t indexed() const { return indexed_; }

  private:
    void loop();
    IndexOptions opts_;
    std::mutex m_;
    std::condition_variable cv_;
    bool stopping_ = false;
    uint64_t indexed_ = 0;
    std::thread thread_;
};

struct IndexStats {
    uint64_t documents = 0;
    uint64_t unique_terms = 0;
    uint64_t bytes_on_disk = 0;
    int64_t last_seq = 0;
    int64_t store_seq = 0;      // the store's change_seq (up to date when equal)
    int64_t store_messages = 0; // indexable messages in the store
    std::string level, language;
    std::string pair_words; // phrase pair words (schema.hpp); empty: none
    int schema = 0;
    unsigned shards = 1; // databases of the index's layout (index/shards.hpp)
};

/// Figures of the index of `archive` (counting unique terms walks the term
/// list: about a second per few million terms). Errors: not_found (no index or
/// archive), schema, bad_input, the store's errors.
Result<IndexStats> index_stats(const std::filesystem::path& archive);

} // namespace mlarc
