// The SQLite wrapper: the only place that includes sqlite3.h.
//
// RAII owners for a connection (Db), a prepared statement (Stmt) and a
// transaction (Transaction, rolled back unless committed). Every failure is
// turned into an mlarc::Error whose code says what the user can do about it:
// SQLITE_FULL -> disk_full, SQLITE_BUSY/LOCKED -> locked, SQLITE_CANTOPEN ->
// unreadable, SQLITE_CORRUPT/NOTADB -> bad_input. Statements only ever take
// bound parameters; text is bound with explicit lengths (NUL-safe) and raw
// message bytes as BLOBs.
#pragma once

#include "util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace mlarc::sql {

/// Error from an SQLite result code, with context ("insert message") and the
/// database's own message.
Error make_sqlite_error(int rc, std::string_view context, sqlite3* db);

class Stmt {
  public:
    Stmt() = default;
    Stmt(sqlite3* db, sqlite3_stmt* st) : db_(db), st_(st) {}
    ~Stmt();
    Stmt(Stmt&& o) noexcept : db_(o.db_), st_(o.st_) { o.st_ = nullptr; }
    Stmt& operator=(Stmt&& o) noexcept;
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    // Binding (1-based indexes, as SQLite). Chainable.
    Stmt& bind(int i, int64_t v);
    Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
    Stmt& bind(int i, uint32_t v) { return bind(i, static_cast<int64_t>(v)); }
    Stmt& bind(int i, uint64_t v) { return bind(i, static_cast<int64_t>(v)); }
    Stmt& bind(int i, double v);
    Stmt& bind(int i, std::string_view text);
    Stmt& bind(int i, const std::string& text) { return bind(i, std::string_view(text)); }
    Stmt& bind(int i, const char* text) { return bind(i, std::string_view(text)); }
    Stmt& bind_blob(int i, std::string_view bytes);
    Stmt& bind_null(int i);
    /// Like bind()/bind_blob() without SQLite's copy of the bytes: they must
    /// stay valid and unchanged until run() or reset() (the import writer's
    /// large values: message text and raw bytes).
    Stmt& bind_ref(int i, std::string_view text);
    Stmt& bind_blob_ref(int i, std::string_view bytes);

    /// Steps once: true when a row is available, false when done.
    Result<bool> step();
    /// Steps to completion (for INSERT/UPDATE/DELETE) and resets.
    Status run();
    void reset();

    int64_t int64(int col) const;
    double real(int col) const;
    std::string text(int col) const;
    std::string_view text_view(int col) const; // valid until the next step/reset
    std::string blob(int col) const;
    bool is_null(int col) const;

  private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* st_ = nullptr;
};

enum class OpenMode { read_write_create, read_write, read_only };

class Db {
  public:
    /// Opens (and with read_write_create creates) the database file, sets WAL,
    /// foreign keys and a busy timeout. read_only on a database with no -wal
    /// in a directory this process cannot write opens it immutable (SQLite
    /// could not create the -shm file WAL readers need). Errors: unreadable,
    /// bad_input (not a database), locked.
    static Result<Db> open(const std::filesystem::path& path, OpenMode mode,
                           int busy_timeout_ms = 5000);
    Db() = default;
    ~Db();
    Db(Db&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
    Db& operator=(Db&& o) noexcept;
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    /// Runs one or more statements without parameters.
    Status exec(std::string_view sql);
    Result<Stmt> prepare(std::string_view sql);
    /// Single integer result of a query (e.g. SELECT count(*)), or nullopt when no row.
    Result<std::optional<int64_t>> query_int(std::string_view sql);
    int64_t last_insert_rowid() const;
    int64_t changes() const;
    sqlite3* handle() const { return db_; }
    bool is_open() const { return db_ != nullptr; }

  private:
    explicit Db(sqlite3* db) : db_(db) {}
    sqlite3* db_ = nullptr;
};

/// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded.
class Transaction {
  public:
    static Result<Transaction> begin(Db& db);
    Transaction(Transaction&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    ~Transaction();
    Status commit();

  private:
    explicit Transaction(Db* db) : db_(db) {}
    Db* db_ = nullptr;
};

} // namespace mlarc::sql

/// Propagates an error: `MLARC_TRY(st, expr)` evaluates a Status/Result and
/// returns its error from the enclosing function when it failed.
#define MLARC_TRY_STATUS(expr)                                                                     \
    do {                                                                                           \
        auto _mlarc_st = (expr);                                                                   \
        if (!_mlarc_st.ok()) return _mlarc_st.error();                                             \
    } while (0)
