// The one header that includes <xapian.h>: where the index lives in an
// archive, the helper that turns Xapian exceptions into mlarc Errors (so a
// DatabaseLockError or a corrupt table never reaches the user raw), the
// schema check, and the read-only handle searches use.
//
// Readers and the writer run at the same time: a reader sees the revision it
// opened; when the writer has committed twice more, Xapian throws
// DatabaseModifiedError on the next read. IndexReader::run() then reopens and
// runs the whole read again, up to 10 times (as public-inbox does), so a search
// never fails because an import is running. After `mlarc index --rebuild`
// swapped in a new index, the reopen finds a different database and the
// reader opens it afresh from its path.
//
// A sharded index (index/shards.hpp: a stub directory listing local shards
// and shards served by xapian-tcpsrv) is opened through its stub with the
// configured remote timeout. A remote shard that stops answering during a
// read (NetworkError) makes run() reopen: the read then fails naming the
// shard, or, when partial results are allowed, runs again without it and
// missing_shards() names it.
#pragma once

#include "util/result.hpp"

#include <xapian.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace mlarc {

/// ARCHIVE/xapian.
std::filesystem::path index_path(const std::filesystem::path& archive);

/// An Error for a Xapian exception. DatabaseLockError -> locked (exit 75);
/// DatabaseVersionError -> schema; DatabaseCorruptError -> bad_input; opening
/// errors -> not_found/unreadable; ENOSPC -> disk_full; other I/O -> io; the
/// rest -> internal. `what` says what was being done ("open the search index").
Error xapian_error(const Xapian::Error& e, std::string_view what);

/// Ok when `db` carries kIndexSchemaVersion in its "schema" metadata; else
/// Errc::schema with the hint "run `mlarc index --rebuild`". Catches Xapian
/// errors.
Status check_index_schema_version(const Xapian::Database& db);

/// True when the index at `path` opens and carries a schema version older
/// than kIndexSchemaVersion (or none): `mlarc index` then rebuilds it.
bool index_schema_is_older(const std::filesystem::path& path);

/// A metadata value of `db` as an integer (0 when absent or not a number).
int64_t metadata_int(const Xapian::Database& db, std::string_view key);

/// A read-only search index. Movable, not shareable between threads.
class IndexReader {
  public:
    /// Opens ARCHIVE/xapian read-only and checks the schema. Errors:
    /// not_found (no index yet; hint: run `mlarc index`), schema, bad_input
    /// (damaged), unreadable.
    /// `allow_partial`: a sharded index whose remote shards do not all
    /// answer opens with the others (see missing_shards()); otherwise that is
    /// an io error naming the shard.
    static Result<IndexReader> open(const std::filesystem::path& archive,
                                    bool allow_partial = false);

    Xapian::Database& db() { return db_; }

    /// Runs fn(db) and returns its result (fn returns T or void). On
    /// DatabaseModifiedError reopens the database and runs fn again, up to 10
    /// times; any other Xapian error becomes an Error (see xapian_error()).
    template <typename F> auto run(F&& fn) -> Result<std::invoke_result_t<F, Xapian::Database&>> {
        using T = std::invoke_result_t<F, Xapian::Database&>;
        for (int attempt = 0;; ++attempt) {
            try {
                if constexpr (std::is_void_v<T>) {
                    fn(db_);
                    return {};
                } else {
                    return fn(db_);
                }
            } catch (const Xapian::DatabaseModifiedError& e) {
                if (attempt >= kMaxReopens) return xapian_error(e, "read the search index");
                if (auto st = reopen(); !st.ok()) return st.error();
            } catch (const Xapian::NetworkError& e) {
                // A remote shard stopped answering: reopening names it (or,
                // with partial results allowed, leaves it out).
                if (attempt >= kMaxReopens) return xapian_error(e, "read the search index");
                if (auto st = reopen(); !st.ok()) return st.error();
            } catch (const Xapian::Error& e) {
                return xapian_error(e, "read the search index");
            }
        }
    }

    /// Moves to the latest committed revision (or a swapped-in new index).
    Status reopen();

    /// Shards of a sharded index that did not answer and were left out (only
    /// with allow_partial): a result read through this reader is partial.
    const std::vector<std::string>& missing_shards() const { return missing_; }

    static constexpr int kMaxReopens = 10;

  private:
    IndexReader(Xapian::Database db, std::filesystem::path path, bool allow_partial)
        : db_(std::move(db)), path_(std::move(path)), allow_partial_(allow_partial) {}
    Xapian::Database db_;
    std::filesystem::path path_;
    bool allow_partial_ = false;
    std::vector<std::string> missing_;
};

} // namespace mlarc
