// The single-writer lock of an archive (FAILURE-MODES item 44): an exclusive
// flock(2) on DIR/archive.lock, taken before the store or the Xapian index is
// opened for writing, held for the life of the ArchiveLock object. A second
// writer polls until its --wait deadline and then fails with Errc::locked (exit
// 75, EX_TEMPFAIL) naming the holder's pid, which the holder writes into the
// lock file. Readers never take it.
//
// The lock belongs to the open file description: it is released when the
// object is destroyed (or release() is called) or the process exits, even on
// kill -9. The descriptor is close-on-exec, but a fork()ed child shares it until
// it exits. The lock file itself is never deleted (deleting it would let two
// writers lock two different files).
#pragma once

#include "util/result.hpp"

#include <filesystem>

namespace mlarc {

class ArchiveLock {
  public:
    /// Locks DIR/archive.lock (creating the file), retrying every 50 ms for up to
    /// `wait_seconds` (0: one try). Errors: Errc::locked when another process
    /// holds it at the deadline; Errc::not_found if DIR does not exist;
    /// Errc::unreadable / Errc::io when the file cannot be opened or locked.
    static Result<ArchiveLock> acquire(const std::filesystem::path& dir, double wait_seconds);

    ArchiveLock(ArchiveLock&& other) noexcept;
    ArchiveLock& operator=(ArchiveLock&& other) noexcept;
    ArchiveLock(const ArchiveLock&) = delete;
    ArchiveLock& operator=(const ArchiveLock&) = delete;
    ~ArchiveLock();

    /// Unlocks now (the destructor does it otherwise). Idempotent.
    void release();
    [[nodiscard]] bool held() const { return fd_ >= 0; }
    /// DIR/archive.lock.
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  private:
    ArchiveLock(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}

    int fd_ = -1;
    std::filesystem::path path_;
};

} // namespace mlarc
