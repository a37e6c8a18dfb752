// The read side of an archive, as the search commands see it: the search
// index (ARCHIVE/xapian, read-only, reopened when a writer commits) and the
// store (ARCHIVE/store.sqlite, read-only), each opened only when first needed.
// A `count` or a page of search results touches only the index (the document
// data carries what a result line needs); snippets, `show`, `thread` and
// `export` open the store too. Opening nothing up front keeps the process
// start cheap (BASELINE.md: notmuch count answers in 4-10 ms).
//
// Works on a read-only archive and while `mlarc import`/`mlarc index` write
// (FAILURE-MODES 45): Xapian is read through IndexReader::run(), which reopens
// on DatabaseModifiedError; SQLite is opened read-only and reads the last
// committed state (WAL).
#pragma once

#include "util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace Xapian {
class Database;
}

namespace mlarc {

class Columns;
class IndexReader;
class Store;
struct ListInfo;

class Archive {
  public:
    /// An archive at `dir`; nothing is opened yet. Never fails: a missing
    /// archive is reported by the first index() or store() call.
    static Archive at(const std::filesystem::path& dir);
    Archive(Archive&&) noexcept;
    Archive& operator=(Archive&&) noexcept;
    ~Archive();

    const std::filesystem::path& dir() const;

    /// The search index, opened read-only on first use. Errors: not_found (no
    /// index: hint `mlarc index`), schema, bad_input, unreadable.
    Result<IndexReader*> index();

    /// Search a sharded index whose remote shards do not all answer with the
    /// shards that do (index/shards.hpp); call before the first index().
    void allow_partial(bool yes);
    /// Shards left out of the reads so far (empty: the results are whole).
    std::vector<std::string> missing_shards() const;
    /// The index's column file (index/columns.hpp) when it is current for
    /// `db` (the database index() opened, at the revision it is at now);
    /// nullptr otherwise (read the value streams). Mapped on first use and
    /// again when `db` moved to another revision; a file missing for a
    /// revision is looked for again after refresh().
    const Columns* columns(const Xapian::Database& db);
    /// The store, opened read-only on first use. Errors: not_found (no
    /// archive), schema, unreadable, bad_input.
    Result<Store*> store();

    /// Every list of the store (cached until refresh()). Errors: those of store().
    Result<const std::vector<ListInfo>*> lists();

    /// How the index's text was made, from its metadata, so queries are
    /// parsed the same way. Read once per Archive (one command or request).
    /// Errors: those of index().
    struct IndexSettings {
        std::string language = "english"; // a Xapian stemmer, or "none"
        std::string level = "full";       // full (positions) or light
        std::string stemming = "some";    // all (stems only), some (words + Z-stems), none
        std::vector<std::string> pair_words; // phrase pair words (schema.hpp), sorted; empty: none
    };
    Result<IndexSettings> index_settings();

    /// For a long-running reader (mlarc.fcgi), before each request: picks up
    /// what writers committed since the last call. The index is reopened at
    /// its newest revision and its settings read again; the cached list
    /// names are dropped (a new list, a list's changed name or WG shows on
    /// the next lists()); when ARCHIVE/store.sqlite is another file than the
    /// one open (the archive was made again), store and index are closed and
    /// opened afresh on next use. Cheap: one stat() and a reopen check.
    void refresh();

    /// What a reader of the archive sees now, as a string that changes
    /// whenever anything a page is made from may have changed: the store
    /// file's identity and its SQLite data version (bumped by every commit
    /// of another connection: an import, a purge, a registry link run) and
    /// the index's UUID and revision. Opens store and index when needed.
    /// nullopt when it cannot be told: a sharded index (its stub has no
    /// revision of its own), or either part fails to open or read. Meant
    /// as the validity key of mlarc.fcgi's response cache, after refresh().
    std::optional<std::string> state_token();

  private:
    explicit Archive(std::filesystem::path dir);
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace mlarc
