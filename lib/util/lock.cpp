// ArchiveLock: flock(LOCK_EX | LOCK_NB) polled until a deadline (see lock.hpp).
#include "util/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

namespace mlarc {

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(50);

// The pid the holder wrote into the lock file, "unknown" if none (yet).
std::string holder_pid(int fd) {
    char buf[32] = {};
    const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    std::string pid;
    for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i)
        pid.push_back(buf[i]);
    return pid.empty() ? "unknown" : pid;
}

std::string errno_text(int err) {
    return std::strerror(err);
}

} // namespace

Result<ArchiveLock> ArchiveLock::acquire(const std::filesystem::path& dir, double wait_seconds) {
    std::filesystem::path path = dir / "archive.lock";
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        return make_error(Errc::not_found, "archive directory " + dir.string() + " does not exist",
                          "check the --archive path (or $MLARC_ARCHIVE)");
    }
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        const int err = errno;
        return make_error(err == EACCES || err == EPERM || err == EROFS ? Errc::unreadable
                                                                        : Errc::io,
                          "cannot open " + path.string() + ": " + errno_text(err),
                          "the importer needs write access to the archive directory");
    }
    using Clock = std::chrono::steady_clock;
    const auto deadline =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(wait_seconds > 0 ? wait_seconds : 0.0));
    for (;;) {
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) break;
        const int err = errno;
        if (err == EINTR) continue;
        if (err != EWOULDBLOCK) {
            ::close(fd);
            return make_error(Errc::io, "cannot lock " + path.string() + ": " + errno_text(err));
        }
        const auto now = Clock::now();
        if (now >= deadline) {
            std::string pid = holder_pid(fd);
            ::close(fd);
            return make_error(Errc::locked,
                              "archive " + dir.string() + " is locked by another writer (pid " +
                                  pid + ")",
                              "wait for it to finish, or pass --wait SECONDS");
        }
        std::this_thread::sleep_for(std::min<Clock::duration>(kPollInterval, deadline - now));
    }
    // Ours now: record our pid for the error message of the next writer. A
    // failure here only costs that message, so it is not an error.
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) {
        [[maybe_unused]] const ssize_t n = ::pwrite(fd, pid.data(), pid.size(), 0);
    }
    return ArchiveLock(fd, std::move(path));
}

ArchiveLock::ArchiveLock(ArchiveLock&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)) {
    other.fd_ = -1;
}

ArchiveLock& ArchiveLock::operator=(ArchiveLock&& other) noexcept {
    if (this != &other) {
        release();
        fd_ = other.fd_;
        path_ = std::move(other.path_);
        other.fd_ = -1;
    }
    return *this;
}

ArchiveLock::~ArchiveLock() {
    release();
}

void ArchiveLock::release() {
    if (fd_ < 0) return;
    // Clear our pid while still holding the lock, then unlock by closing.
    [[maybe_unused]] const int r = ::ftruncate(fd_, 0);
    ::close(fd_);
    fd_ = -1;
}

} // namespace mlarc
