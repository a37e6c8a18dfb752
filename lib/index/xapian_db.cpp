// Xapian error mapping, schema check and the read-only handle (see
// xapian_db.hpp).
#include "index/xapian_db.hpp"

#include "index/schema.hpp"
#include "index/shards.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>

namespace mlarc {

namespace {
const char* const kRebuildHint = "run `mlarc index --rebuild`";
}

std::filesystem::path index_path(const std::filesystem::path& archive) {
    return archive / "xapian";
}

Error xapian_error(const Xapian::Error& e, std::string_view what) {
    // Xapian::Error is not polymorphic (no RTTI downcasts): go by its type name.
    const std::string_view type = e.get_type();
    const std::string msg = "cannot " + std::string(what) + ": " + e.get_description();
    const char* err = e.get_error_string();
    if (type == "DatabaseLockError")
        return make_error(Errc::locked, "the search index is being written by another process",
                          "wait for the other `mlarc import` or `mlarc index` to finish, or pass "
                          "--wait SECONDS");
    // ENOSPC: the error's own errno, or one it wraps ("Modifications failed
    // (DatabaseError: Error writing block 2 (No space left on device)), and
    // couldn't open at the old revision", a commit failing on a full disk).
    const std::string_view enospc = std::strerror(ENOSPC);
    if ((err && std::string_view(err) == enospc) ||
        e.get_description().find(enospc) != std::string::npos)
        return make_error(Errc::disk_full,
                          "disk full (no space left on device): cannot " + std::string(what) +
                              ": " + e.get_description(),
                          "free some disk space and run `mlarc index` again: the index keeps its "
                          "last commit");
    if (type == "DatabaseVersionError") return make_error(Errc::schema, msg, kRebuildHint);
    if (type == "DatabaseCorruptError") return make_error(Errc::bad_input, msg, kRebuildHint);
    if (type == "DatabaseNotFoundError")
        return make_error(Errc::not_found, msg, "run `mlarc index` to build it");
    if (type == "DatabaseOpeningError") return make_error(Errc::unreadable, msg);
    if (type == "NetworkError" || type == "NetworkTimeoutError")
        return make_error(Errc::io, msg,
                          "a search index shard served by xapian-tcpsrv did not answer: start it, "
                          "or pass --allow-partial to search the other shards");
    if (type.substr(0, 8) == "Database") return make_error(Errc::io, msg);
    if (type == "InvalidArgumentError" || type == "QueryParserError")
        return make_error(Errc::usage, msg);
    return make_error(Errc::internal, msg);
}

int64_t metadata_int(const Xapian::Database& db, std::string_view key) {
    const std::string v = db.get_metadata(std::string(key));
    int64_t out = 0;
    auto r = std::from_chars(v.data(), v.data() + v.size(), out);
    return r.ec == std::errc() && r.ptr == v.data() + v.size() ? out : 0;
}

Status check_index_schema_version(const Xapian::Database& db) {
    try {
        const std::string have = db.get_metadata(std::string(kMetaSchema));
        if (have == std::to_string(kIndexSchemaVersion)) return {};
        return make_error(Errc::schema,
                          "the search index has schema version " +
                              (have.empty() ? std::string("(none)") : have) + ", this mlarc uses " +
                              std::to_string(kIndexSchemaVersion),
                          kRebuildHint);
    } catch (const Xapian::Error& e) {
        return xapian_error(e, "read the search index");
    }
}

bool index_schema_is_older(const std::filesystem::path& path) {
    try {
        const Xapian::Database db(path.string());
        return metadata_int(db, kMetaSchema) < kIndexSchemaVersion;
    } catch (const Xapian::Error&) {
        return false; // reported by whoever opens it next
    }
}

Result<IndexReader> IndexReader::open(const std::filesystem::path& archive, bool allow_partial) {
    const auto path = index_path(archive);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return make_error(Errc::not_found, "no search index at " + path.string(),
                          "run `mlarc index --archive " + archive.string() + "`");
    IndexReader r(Xapian::Database(), path, allow_partial);
    if (auto st = r.reopen(); !st.ok()) return st.error();
    return r;
}

Status IndexReader::reopen() {
    // Opening afresh (rather than Database::reopen()) also follows a rebuilt
    // index that was swapped in under the same path. A writer committing
    // twice while the tables are being opened discards the revision being
    // opened (DatabaseModifiedError, seen under load in
    // tests/cli/search_while_importing.sh): opening again gets the new one.
    // A rebuild swapping its fresh index in (RENAME_EXCHANGE) while the
    // tables are being opened can pair one index's version file with the
    // other's tables ("DatabaseError: EOF reading block 259", faults:readers
    // under CI load): any DatabaseError while opening is tried again the same
    // way; a truly damaged index fails every attempt and is reported as before.
    constexpr int kAttempts = 10;
    for (int attempt = 1;; ++attempt) {
        try {
            if (is_sharded_index(path_)) {
                auto opened = open_sharded_index(path_, allow_partial_);
                if (!opened.ok()) return opened.error();
                db_ = std::move(opened->db);
                missing_ = std::move(opened->missing);
            } else {
                db_ = Xapian::Database(path_.string());
                missing_.clear();
            }
            (void)db_.get_metadata(std::string(kMetaSchema)); // may throw as well
            break;
        } catch (const Xapian::DatabaseNotFoundError& e) {
            return xapian_error(e, "open the search index " + path_.string());
        } catch (const Xapian::DatabaseError& e) { // modified, or opened mid-swap
            if (attempt == kAttempts)
                return xapian_error(e, "open the search index " + path_.string());
        } catch (const Xapian::Error& e) {
            return xapian_error(e, "open the search index " + path_.string());
        }
    }
    return check_index_schema_version(db_);
}

} // namespace mlarc
