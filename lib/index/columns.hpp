// The date and thread of every document of a one-database index, as one flat
// file beside Xapian's tables (ARCHIVE/xapian/mlarc.columns), mapped into
// memory by searches.
//
// Why: a thread page sorted by date, and every thread count, need the date
// and the thread id of each match. Read from Xapian's value streams that is a
// skip_to and an unserialise per match per slot, about 300 instructions each:
// 28 M of the 49 M instructions of `mlarc search kernel` on the whole
// linux-mips corpus (callgrind), and the cost grows with the matches. Here it
// is two loads from an array indexed by docid.
//
// Consistency. The file names the database it was made from (Xapian's UUID)
// and the revision it was read at; a search uses it only when both equal the
// revision it has open, and otherwise reads the value streams as before. So a
// stale, missing, damaged or half-written file costs speed, never a wrong
// result. `mlarc index` (and `mlarc import`, at its end) writes it after its
// last commit when it is not current: read off the value streams in docid
// order, a window at a time (memory stays bounded), written to a temporary
// file, fsynced and renamed over the old one, so a reader maps either the
// old file or the new one whole. A kill at any point leaves the old file,
// which the next run replaces. A sharded index has none (the stub directory
// holds no documents); mlarc_index_columns_test and the kill tests check the
// file against the value streams.
//
// Layout (host byte order, x86-64 here): a 64-byte header ("MLARCCL1", the
// revision, the number of cells = last docid + 1, the UUID NUL-padded to 40
// bytes), then one 16-byte cell per docid from 0: the date slot (double, UTC
// seconds; NaN when the document has no date value or does not exist) and
// the thread slot (int64; kNoThread when absent).
#pragma once

#include "util/result.hpp"

#include <xapian.h>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>

namespace mlarc {

class Columns {
  public:
    struct Cell {
        double date;
        int64_t thread;
    };
    static constexpr int64_t kNoThread = std::numeric_limits<int64_t>::min();

    /// The column file of the index directory `index_dir` when it was written
    /// from `db`'s current revision of the same database; nullopt otherwise
    /// (absent, stale, another database, damaged, or `db` has several shards).
    static std::optional<Columns> open(const std::filesystem::path& index_dir,
                                       const Xapian::Database& db);

    Columns(Columns&& o) noexcept;
    Columns& operator=(Columns&& o) noexcept;
    Columns(const Columns&) = delete;
    Columns& operator=(const Columns&) = delete;
    ~Columns();

    /// The cell of `id`, or nullptr past the last docid the file knows.
    const Cell* cell(Xapian::docid id) const { return id < count_ ? cells_ + id : nullptr; }
    /// True while `db` is still at the revision and database this file was made from.
    bool current_for(const Xapian::Database& db) const;
    Xapian::rev revision() const { return revision_; }

  private:
    Columns() = default;
    void* map_ = nullptr;
    size_t map_bytes_ = 0;
    const Cell* cells_ = nullptr;
    uint64_t count_ = 0;
    Xapian::rev revision_ = 0;
    std::string uuid_;
};

/// ARCHIVE/xapian/mlarc.columns for the index directory ARCHIVE/xapian.
std::filesystem::path columns_path(const std::filesystem::path& index_dir);

/// Makes the column file of the index at `index_dir` current: nothing when
/// it already is; for a sharded index, removes any left over. Errors:
/// disk_full, io (the index itself is untouched either way).
Status refresh_columns(const std::filesystem::path& index_dir);

/// The number of docids whose cell disagrees with `db`'s value streams, when
/// the file is current for `db` (tests: a current file must give 0); nullopt
/// when it is not current.
std::optional<uint64_t> columns_mismatches(const std::filesystem::path& index_dir,
                                           const Xapian::Database& db);

} // namespace mlarc
