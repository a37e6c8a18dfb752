// Implementation of the SQLite RAII wrapper (see sqlite.hpp).
#include "store/sqlite.hpp"

#include "store/raw_codec.hpp"
#include "util/fault.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace mlarc::sql {

namespace {
/// Page size of new archives. Larger than SQLite's 4096 default: most
/// messages' compressed raw bytes and text then fit in a page instead of
/// spilling into half-empty overflow pages.
constexpr int kPageSize = 16384;
} // namespace

Error make_sqlite_error(int rc, std::string_view context, sqlite3* db) {
    std::string msg(context);
    msg += ": ";
    msg += (db != nullptr) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    // ENOSPC can also surface as SQLITE_IOERR (e.g. growing the WAL index
    // of a reader): the errno says what it was.
    const bool enospc = db != nullptr && sqlite3_system_errno(db) == ENOSPC;
    switch (enospc ? SQLITE_FULL : rc & 0xff) {
    case SQLITE_FULL: {
        // Say which file: the user has to know which file system is full.
        const char* file = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
        return make_error(Errc::disk_full,
                          "disk full (no space left on device) writing " +
                              std::string(file != nullptr && *file ? file : "the archive") + ": " +
                              msg,
                          "free disk space and run the same command again: it resumes from the "
                          "last committed batch");
    }
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return make_error(Errc::locked, msg, "another process is using the archive; try again");
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
        return make_error(Errc::unreadable, msg, "check the archive path and its permissions");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return make_error(Errc::bad_input, msg, "the archive database is damaged or not an mlarc archive");
    case SQLITE_IOERR:
        return make_error(Errc::io, msg);
    default:
        return make_error(Errc::internal, msg);
    }
}

Stmt::~Stmt() {
    if (st_) sqlite3_finalize(st_);
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
    if (this != &o) {
        if (st_) sqlite3_finalize(st_);
        db_ = o.db_;
        st_ = std::exchange(o.st_, nullptr);
    }
    return *this;
}

Stmt& Stmt::bind(int i, int64_t v) {
    sqlite3_bind_int64(st_, i, v);
    return *this;
}
Stmt& Stmt::bind(int i, double v) {
    sqlite3_bind_double(st_, i, v);
    return *this;
}
Stmt& Stmt::bind(int i, std::string_view text) {
    sqlite3_bind_text64(st_, i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}
Stmt& Stmt::bind_blob(int i, std::string_view bytes) {
    sqlite3_bind_blob64(st_, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
    return *this;
}
Stmt& Stmt::bind_ref(int i, std::string_view text) {
    sqlite3_bind_text64(st_, i, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
    return *this;
}
Stmt& Stmt::bind_blob_ref(int i, std::string_view bytes) {
    sqlite3_bind_blob64(st_, i, bytes.data(), bytes.size(), SQLITE_STATIC);
    return *this;
}
Stmt& Stmt::bind_null(int i) {
    sqlite3_bind_null(st_, i);
    return *this;
}

Result<bool> Stmt::step() {
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Error e = make_sqlite_error(rc, "sql", db_);
    sqlite3_reset(st_);
    return e;
}

Status Stmt::run() {
    auto r = step();
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
    if (!r.ok()) return r.error();
    return {};
}

void Stmt::reset() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
}

int64_t Stmt::int64(int col) const { return sqlite3_column_int64(st_, col); }
double Stmt::real(int col) const { return sqlite3_column_double(st_, col); }
std::string_view Stmt::text_view(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, col));
    if (!p) return {};
    return {p, static_cast<size_t>(sqlite3_column_bytes(st_, col))};
}
std::string Stmt::text(int col) const { return std::string(text_view(col)); }
std::string Stmt::blob(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(st_, col));
    if (!p) return {};
    return {p, static_cast<size_t>(sqlite3_column_bytes(st_, col))};
}
bool Stmt::is_null(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }

namespace {

/// "file:" URI of `path` with `?immutable=1` (RFC 3986 escapes for the
/// characters a URI path cannot hold as they are).
std::string immutable_uri(const std::filesystem::path& path) {
    std::string uri = "file:";
    for (unsigned char c : path.string()) {
        if (c == '%' || c == '?' || c == '#' || c < 0x21 || c > 0x7e) {
            static const char kHex[] = "0123456789ABCDEF";
            uri += '%';
            uri += kHex[c >> 4];
            uri += kHex[c & 15];
        } else {
            uri += static_cast<char>(c);
        }
    }
    return uri + "?immutable=1";
}

/// True when a read-only open must not count on the -shm file: the database
/// has no -wal (so the file holds every committed transaction and no writer
/// is connected: a WAL writer keeps the -wal while it is open) and this
/// process cannot create files next to it (a read-only copy or mount, or an
/// archive owned by another user). SQLite's WAL mode needs the -shm file to
/// exist or be creatable; without it every read fails with "unable to open
/// database file". See FAILURE-MODES 45 and docs/search.md.
bool needs_immutable(const std::filesystem::path& path) {
    std::error_code ec;
    const std::filesystem::path wal = path.string() + "-wal";
    if (std::filesystem::exists(wal, ec) || ec) return false;
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
    return ::access(dir.c_str(), W_OK) != 0;
}

/// SQL function mlarc_text(x): a message_text_z column back as text (see
/// store/raw_codec.hpp): a BLOB is one zstd frame of UTF-8 text, an empty BLOB
/// (the marker of a column derived from the raw message) is NULL, anything else
/// is returned as it is. The text is decompressed straight into the buffer
/// SQLite hands on to the reader.
void mlarc_text_function(sqlite3_context* ctx, int /*argc*/, sqlite3_value** argv) {
    sqlite3_value* v = argv[0];
    if (sqlite3_value_type(v) != SQLITE_BLOB) {
        sqlite3_result_value(ctx, v);
        return;
    }
    const auto* p = static_cast<const char*>(sqlite3_value_blob(v));
    const std::string_view frame(p ? p : "", static_cast<size_t>(sqlite3_value_bytes(v)));
    if (frame.empty()) {
        sqlite3_result_null(ctx);
        return;
    }
    size_t size = 0;
    if (!zstd_frame_content_size(frame, size)) {
        sqlite3_result_error(ctx, "stored message text is damaged (not a zstd frame)", -1);
        return;
    }
    char* out = static_cast<char*>(sqlite3_malloc64(size + 1));
    if (!out) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (!zstd_decompress_into(frame, out, size)) {
        sqlite3_free(out);
        sqlite3_result_error(ctx, "stored message text is damaged (zstd)", -1);
        return;
    }
    sqlite3_result_text64(ctx, out, size, sqlite3_free, SQLITE_UTF8);
}

/// SQL function mlarc_raw_text(part, codec, raw, raw_size, escaping): the
/// text of a column marked as derived (raw_codec.hpp derive_text()), part
/// 'headers' or 'body', from the message_raw columns; NULL for a NULL raw.
void mlarc_raw_text_function(sqlite3_context* ctx, int /*argc*/, sqlite3_value** argv) {
    if (sqlite3_value_type(argv[2]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const auto* part = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    const std::string_view which(part ? part : "");
    if (which != "headers" && which != "body") {
        sqlite3_result_error(ctx, "mlarc_raw_text: part is 'headers' or 'body'", -1);
        return;
    }
    const auto* p = static_cast<const char*>(sqlite3_value_blob(argv[2]));
    const std::string_view raw(p ? p : "", static_cast<size_t>(sqlite3_value_bytes(argv[2])));
    const sqlite3_int64 size = sqlite3_value_int64(argv[3]);
    if (size < 0 || size > (sqlite3_int64{1} << 31)) {
        sqlite3_result_error(ctx, "stored raw message is damaged (size)", -1);
        return;
    }
    auto text = derive_text(which == "headers" ? DerivedPart::headers : DerivedPart::body,
                            sqlite3_value_int(argv[1]), raw, static_cast<size_t>(size),
                            sqlite3_value_int(argv[4]));
    if (!text.ok()) {
        sqlite3_result_error(ctx, text.error().message.c_str(), -1);
        return;
    }
    sqlite3_result_text64(ctx, text->data(), text->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

} // namespace

Result<Db> Db::open(const std::filesystem::path& path, OpenMode mode, int busy_timeout_ms) {
    // No memory statistics: they take a global mutex on every allocation,
    // and nothing reads them. Must come before SQLite initialises itself.
    static const bool configured = [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return sqlite3_initialize() == SQLITE_OK;
    }();
    (void)configured;
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case OpenMode::read_write_create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    case OpenMode::read_write: flags |= SQLITE_OPEN_READWRITE; break;
    case OpenMode::read_only: flags |= SQLITE_OPEN_READONLY; break;
    }
    sqlite3* raw = nullptr;
    int rc = SQLITE_OK;
    if (mode == OpenMode::read_only && needs_immutable(path))
        rc = sqlite3_open_v2(immutable_uri(path).c_str(), &raw, flags | SQLITE_OPEN_URI, nullptr);
    else
        rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Db db(raw);
    if (rc != SQLITE_OK) {
        return make_sqlite_error(rc, "cannot open " + path.string(), raw);
    }
    sqlite3_busy_timeout(raw, busy_timeout_ms);
    rc = sqlite3_create_function_v2(raw, "mlarc_text", 1,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                                    mlarc_text_function, nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(
            raw, "mlarc_raw_text", 5, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
            nullptr, mlarc_raw_text_function, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return make_sqlite_error(rc, "cannot open " + path.string(), raw);
    sqlite3_extended_result_codes(raw, 1);
    std::string pragmas = "PRAGMA foreign_keys=ON;";
    if (mode != OpenMode::read_only) {
        // page_size takes effect only in a new, empty database (before WAL).
        pragmas += "PRAGMA page_size=" + std::to_string(kPageSize) +
                   "; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
    }
    pragmas += "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;";
    if (auto st = db.exec(pragmas); !st.ok()) {
        Error e = st.error();
        e.message = path.string() + ": " + e.message;
        return e;
    }
    return db;
}

Db::~Db() {
    if (db_) sqlite3_close_v2(db_);
}

Db& Db::operator=(Db&& o) noexcept {
    if (this != &o) {
        if (db_) sqlite3_close_v2(db_);
        db_ = std::exchange(o.db_, nullptr);
    }
    return *this;
}

Status Db::exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        Error e = make_sqlite_error(rc, "sql", db_);
        if (err) sqlite3_free(err);
        return e;
    }
    return {};
}

Result<Stmt> Db::prepare(std::string_view sql) {
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &st, nullptr);
    if (rc != SQLITE_OK) return make_sqlite_error(rc, "prepare", db_);
    return Stmt(db_, st);
}

Result<std::optional<int64_t>> Db::query_int(std::string_view sql) {
    auto st = prepare(sql);
    if (!st.ok()) return st.error();
    auto r = st->step();
    if (!r.ok()) return r.error();
    if (!*r || st->is_null(0)) return std::optional<int64_t>{};
    return std::optional<int64_t>{st->int64(0)};
}

int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int64_t Db::changes() const { return sqlite3_changes64(db_); }

Result<Transaction> Transaction::begin(Db& db) {
    if (auto st = db.exec("BEGIN IMMEDIATE"); !st.ok()) return st.error();
    return Transaction(&db);
}

Transaction::~Transaction() {
    if (db_) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
    fault_point("sqlite-commit-before"); // kill tests (util/fault.hpp)
    auto st = db_->exec("COMMIT");
    if (st.ok()) {
        db_ = nullptr;
        fault_point("sqlite-commit-after");
    }
    return st;
}

} // namespace mlarc::sql
