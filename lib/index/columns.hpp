// The date, thread, author and lists of every document of a one-database
// index, as one flat file beside Xapian's tables (ARCHIVE/xapian/mlarc.columns),
// mapped into memory by searches.
//
// Why: a thread page sorted by date, and every thread count, need the date
// and the thread id of each match. Read from Xapian's value streams that is a
// skip_to and an unserialise per match per slot, about 300 instructions each:
// 28 M of the 49 M instructions of `mlarc search kernel` on the whole
// linux-mips corpus (callgrind), and the cost grows with the matches. Here it
// is two loads from an array indexed by docid. Each thread line also needs
// the author and lists of every message of the thread: from the document
// data that was a value-stream skip_to (~760 instructions) and a decode per
// message (`search --limit 100000 from:ralf@linux-mips.org`: 24,659 of them).
//
// Consistency. The file names the database it was made from (Xapian's UUID)
// and the revision it was read at; a search uses it only when both equal the
// revision it has open, and otherwise reads the value streams as before. So a
// stale, missing, damaged or half-written file costs speed, never a wrong
// result. `mlarc index` (and `mlarc import`, at its end) writes it after its
// last commit when it is not current: read off the value streams (date,
// thread, and the data slot for authors and lists) in docid order, a window
// of cells at a time (memory holds one window and the distinct authors and
// list sets), written to a temporary file, fsynced and renamed over the old
// one, so a reader maps either the old file or the new one whole. A kill at
// any point leaves the old file, which the next run replaces. A sharded
// index has none (the stub directory holds no documents);
// tests/unit/index/columns_test.cpp and the kill tests check the file against
// the value streams and the document data.
//
// Layout (host byte order, x86-64 here): a 64-byte header ("MLARCCL2", the
// revision, the number of cells = last docid + 1, the UUID NUL-padded to 40
// bytes); one 24-byte cell per docid from 0: the date slot (double, UTC
// seconds; NaN when the document has no date value or does not exist), the
// thread slot (int64; kNoThread when absent), the author (an index into the
// author table: display name and address) and the lists (an index into the
// list-set table), kNone when unknown; then the tables: a 32-byte trailer
// (whether every document's author is in them, the entry counts, the byte
// sizes), the author offsets (uint32, entries + 1), the name lengths (uint32
// per entry), the author bytes (name then address), the list-set offsets and
// bytes (each list name prefixed by its length as one byte, names of 1-255
// bytes); the byte blocks padded to 8. A thread line (matched/total, dates,
// lists, authors) then needs no document data of the thread's messages.
#pragma once

#include "util/result.hpp"

#include <xapian.h>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc {

class Columns {
  public:
    struct Cell {
        double date;
        int64_t thread;
        uint32_t author; // author(): kNone when unknown
        uint32_t lists;  // lists(): kNone when unknown
    };
    static constexpr int64_t kNoThread = std::numeric_limits<int64_t>::min();
    static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
    struct Author {
        std::string_view name, address;
    };

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
    /// True when every document's author and lists are in the tables (not
    /// for an index made before its data slot: then read the document data).
    bool has_authors() const { return has_authors_; }
    /// Entry `i` of the author table; nullopt for kNone or a bad index.
    std::optional<Author> author(uint32_t i) const;
    /// Appends the list names of list-set entry `i` to `out`; false for kNone
    /// or a bad index.
    bool lists(uint32_t i, std::vector<std::string_view>& out) const;
    /// True while `db` is still at the revision and database this file was made from.
    bool current_for(const Xapian::Database& db) const;
    Xapian::rev revision() const { return revision_; }

  private:
    Columns() = default;
    void* map_ = nullptr;
    size_t map_bytes_ = 0;
    const Cell* cells_ = nullptr;
    uint64_t count_ = 0;
    bool has_authors_ = false;
    uint32_t n_authors_ = 0, n_lists_ = 0;
    const uint32_t* author_off_ = nullptr;
    const uint32_t* name_len_ = nullptr;
    const char* author_bytes_ = nullptr;
    uint64_t author_size_ = 0;
    const uint32_t* list_off_ = nullptr;
    const char* list_bytes_ = nullptr;
    uint64_t list_size_ = 0;
    Xapian::rev revision_ = 0;
    std::string uuid_;
};

/// ARCHIVE/xapian/mlarc.columns for the index directory ARCHIVE/xapian.
std::filesystem::path columns_path(const std::filesystem::path& index_dir);

/// Makes the column file of the index at `index_dir` current: nothing when
/// it already is; for a sharded index, removes any left over. Errors:
/// disk_full, io (the index itself is untouched either way).
Status refresh_columns(const std::filesystem::path& index_dir);

/// The number of docids whose cell disagrees with `db`'s value streams (and,
/// when has_authors(), with each document's data), when the file is current
/// for `db` (tests: a current file must give 0); nullopt when it is not current.
std::optional<uint64_t> columns_mismatches(const std::filesystem::path& index_dir,
                                           const Xapian::Database& db);

} // namespace mlarc
