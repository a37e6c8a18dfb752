// Tests of util/lock: a second writer (another process, via fork) times out
// with Errc::locked naming the holder's pid, and gets the lock once it is free.
#include "test_support.hpp"

#include "util/lock.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>

using namespace mlarc;

namespace {

// A child process that takes the lock, reports "locked" on a pipe, then holds
// the lock until the parent writes to a second pipe (or hold_ms passes).
class LockHolder {
  public:
    LockHolder(const std::filesystem::path& dir, int hold_ms) : timed_(hold_ms > 0) {
        REQUIRE(::pipe(ready_) == 0);
        REQUIRE(::pipe(release_) == 0);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            ::close(ready_[0]);
            ::close(release_[1]);
            auto lock = ArchiveLock::acquire(dir, 5.0);
            const char status = lock.ok() ? 'y' : 'n';
            (void)!::write(ready_[1], &status, 1);
            if (hold_ms > 0) {
                ::usleep(static_cast<useconds_t>(hold_ms) * 1000);
            } else {
                char c;
                (void)!::read(release_[0], &c, 1);
            }
            ::_exit(0); // the kernel drops the flock with the process
        }
        ::close(ready_[1]);
        ::close(release_[0]);
        char status = 0;
        REQUIRE(::read(ready_[0], &status, 1) == 1);
        REQUIRE(status == 'y');
    }
    ~LockHolder() {
        stop();
        ::close(ready_[0]);
        ::close(release_[1]);
    }
    LockHolder(const LockHolder&) = delete;
    LockHolder& operator=(const LockHolder&) = delete;

    void stop() {
        if (pid_ <= 0) return;
        if (!timed_) { // a timed child never reads: writing would raise SIGPIPE
            const char c = 'x';
            (void)!::write(release_[1], &c, 1);
        }
        int st = 0;
        ::waitpid(pid_, &st, 0);
        pid_ = -1;
    }
    pid_t pid() const { return pid_; }

  private:
    int ready_[2] = {-1, -1};
    int release_[2] = {-1, -1};
    pid_t pid_ = -1;
    bool timed_ = false;
};

} // namespace

TEST_CASE("a second writer times out with Errc::locked, then gets the lock", "[lock]") {
    mlarc::test::TempDir dir;
    LockHolder holder(dir.path(), 0);
    const pid_t child = holder.pid();

    const auto t0 = std::chrono::steady_clock::now();
    auto second = ArchiveLock::acquire(dir.path(), 0.3);
    const double waited =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == Errc::locked);
    CHECK(exit_code(second.error().code) == 75);
    CHECK(second.error().message == "archive " + dir.path().string() +
                                        " is locked by another writer (pid " +
                                        std::to_string(child) + ")");
    CHECK(second.error().hint == "wait for it to finish, or pass --wait SECONDS");
    CHECK(waited >= 0.25);
    CHECK(waited < 3.0);

    // No wait at all: one try.
    auto immediate = ArchiveLock::acquire(dir.path(), 0);
    REQUIRE_FALSE(immediate.ok());
    CHECK(immediate.error().code == Errc::locked);

    holder.stop();
    auto third = ArchiveLock::acquire(dir.path(), 2.0);
    REQUIRE(third.ok());
    CHECK(third->held());
    CHECK(third->path() == dir.path() / "archive.lock");
    CHECK(mlarc::test::read_file(dir.path() / "archive.lock") == std::to_string(::getpid()) + "\n");
}

TEST_CASE("a waiting writer gets the lock when the holder exits", "[lock]") {
    mlarc::test::TempDir dir;
    LockHolder holder(dir.path(), 300); // exits by itself after 0.3 s
    auto lock = ArchiveLock::acquire(dir.path(), 10.0);
    REQUIRE(lock.ok());
    CHECK(lock->held());
}

TEST_CASE("the lock is exclusive within one process too, and released by RAII", "[lock]") {
    mlarc::test::TempDir dir;
    {
        auto first = ArchiveLock::acquire(dir.path(), 0);
        REQUIRE(first.ok());
        auto second = ArchiveLock::acquire(dir.path(), 0.1);
        REQUIRE_FALSE(second.ok());
        CHECK(second.error().message.find("(pid " + std::to_string(::getpid()) + ")") !=
              std::string::npos);

        // Moving keeps a single owner.
        ArchiveLock moved = std::move(first).value();
        CHECK(moved.held());
        CHECK_FALSE(ArchiveLock::acquire(dir.path(), 0).ok());
        ArchiveLock target = std::move(moved);
        CHECK(target.held());
        CHECK_FALSE(moved.held()); // NOLINT(bugprone-use-after-move)
        target.release();
        CHECK_FALSE(target.held());
        CHECK(mlarc::test::read_file(dir.path() / "archive.lock").empty());
        auto again = ArchiveLock::acquire(dir.path(), 0);
        REQUIRE(again.ok());
    } // released here
    CHECK(ArchiveLock::acquire(dir.path(), 0).ok());
    CHECK(std::filesystem::exists(dir.path() / "archive.lock")); // never deleted
}

TEST_CASE("lock errors for a missing directory", "[lock]") {
    mlarc::test::TempDir dir;
    auto r = ArchiveLock::acquire(dir.path() / "nope", 0);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::not_found);
    CHECK(r.error().message.find("does not exist") != std::string::npos);
}
