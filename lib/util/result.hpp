// Results with hints at library boundaries.
//
// Every fallible library function returns Result<T>: either a value or an
// Error carrying a code, a message for the user and, where we know one, a hint
// saying what to do about it. Exceptions from third-party libraries (Xapian,
// mimetic, SQLite wrappers) are caught in the module that owns the library and
// turned into an Error; they never cross a module boundary. The code maps to the
// process exit status (see exit_code()).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace mlarc {

enum class Errc {
    ok = 0,
    usage,        // bad command-line or query input (exit 2)
    not_found,    // a file, message or archive that does not exist
    unreadable,   // cannot open/read a file
    bad_input,    // input is not what it claims to be (not an mbox, bad roster)
    locked,       // another writer holds the archive (exit 75, EX_TEMPFAIL)
    disk_full,    // ENOSPC or SQLITE_FULL
    io,           // other I/O errors
    schema,       // schema version mismatch (older index, newer store)
    internal,     // a bug or an unexpected library failure
};

struct Error {
    Errc code = Errc::internal;
    std::string message;
    std::string hint;

    [[nodiscard]] std::string what() const {
        return hint.empty() ? message : message + " (hint: " + hint + ")";
    }
};

/// Exit status a front end uses for an error code.
[[nodiscard]] inline int exit_code(Errc c) {
    switch (c) {
    case Errc::ok: return 0;
    case Errc::usage: return 2;
    case Errc::locked: return 75;
    case Errc::not_found: return 3;
    case Errc::unreadable: return 3;
    case Errc::bad_input: return 4;
    case Errc::disk_full: return 5;
    case Errc::io: return 5;
    case Errc::schema: return 6;
    case Errc::internal: return 70;
    }
    return 1;
}

[[nodiscard]] inline Error make_error(Errc code, std::string message, std::string hint = {}) {
    return Error{code, std::move(message), std::move(hint)};
}

template <typename T> class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::move(error)) {}    // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(v_); }
    const T& value() const& { assert(ok()); return std::get<0>(v_); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { assert(!ok()); return std::get<1>(v_); }

  private:
    std::variant<T, Error> v_;
};

/// Result of an operation with no value.
template <> class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Error error) : err_(std::move(error)), ok_(false) {} // NOLINT
    [[nodiscard]] bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { assert(!ok_); return err_; }

  private:
    Error err_{};
    bool ok_ = true;
};

using Status = Result<void>;

} // namespace mlarc
