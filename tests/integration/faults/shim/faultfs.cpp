// faultfs: an LD_PRELOAD shim the fault tests put under `mlarc` to simulate a
// full disk and to kill the process in the middle of a commit, without
// privileges (no tmpfs, no loop device). It wraps the write family of libc
// (write, pwrite, pwrite64, writev, pwritev, fallocate, posix_fallocate) and
// acts only on descriptors whose path (/proc/self/fd) lies under
// $MLARC_SHIM_DIR:
//   MLARC_SHIM_ENOSPC_AFTER=BYTES  writes beyond BYTES in total fail with
//                                  ENOSPC (as a full file system would)
//   MLARC_SHIM_KILL_AT_WRITE=N     the Nth write raises SIGKILL before it
//                                  happens (writes 1..N-1 are done)
// Built as a shared library by tests/CMakeLists.txt; not part of mlarc.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace {

struct Config {
    const char* dir = nullptr;
    size_t dir_len = 0;
    long long enospc_after = -1;
    long long kill_at = -1;
};

const Config& config() {
    static const Config c = [] {
        Config k;
        k.dir = std::getenv("MLARC_SHIM_DIR");
        k.dir_len = k.dir ? std::strlen(k.dir) : 0;
        if (const char* e = std::getenv("MLARC_SHIM_ENOSPC_AFTER")) k.enospc_after = std::atoll(e);
        if (const char* e = std::getenv("MLARC_SHIM_KILL_AT_WRITE")) k.kill_at = std::atoll(e);
        return k;
    }();
    return c;
}

std::atomic<long long> g_bytes{0};
std::atomic<long long> g_writes{0};

bool watched(int fd) {
    const Config& c = config();
    if (c.dir_len == 0) return false;
    char link[64];
    char path[4096];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t n = ::readlink(link, path, sizeof path - 1);
    if (n <= 0) return false;
    return static_cast<size_t>(n) >= c.dir_len && std::memcmp(path, c.dir, c.dir_len) == 0;
}

/// 0: go ahead; -1: fail with ENOSPC. May not return (SIGKILL).
int before_write(int fd, long long bytes) {
    if (!watched(fd)) return 0;
    const Config& c = config();
    const long long n = ++g_writes;
    if (c.kill_at > 0 && n >= c.kill_at) ::raise(SIGKILL);
    if (c.enospc_after >= 0) {
        const long long total = g_bytes.fetch_add(bytes) + bytes;
        if (total > c.enospc_after) {
            errno = ENOSPC;
            return -1;
        }
    }
    return 0;
}

template <typename F> F next(const char* name) {
    return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

long long iov_bytes(const struct iovec* iov, int cnt) {
    long long t = 0;
    for (int i = 0; i < cnt; ++i) t += static_cast<long long>(iov[i].iov_len);
    return t;
}

} // namespace

extern "C" {

ssize_t write(int fd, const void* buf, size_t count) {
    static auto real = next<ssize_t (*)(int, const void*, size_t)>("write");
    if (before_write(fd, static_cast<long long>(count)) < 0) return -1;
    return real(fd, buf, count);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t off) {
    static auto real = next<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite");
    if (before_write(fd, static_cast<long long>(count)) < 0) return -1;
    return real(fd, buf, count, off);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off64_t off) {
    static auto real = next<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64");
    if (before_write(fd, static_cast<long long>(count)) < 0) return -1;
    return real(fd, buf, count, off);
}

ssize_t writev(int fd, const struct iovec* iov, int cnt) {
    static auto real = next<ssize_t (*)(int, const struct iovec*, int)>("writev");
    if (before_write(fd, iov_bytes(iov, cnt)) < 0) return -1;
    return real(fd, iov, cnt);
}

ssize_t pwritev(int fd, const struct iovec* iov, int cnt, off_t off) {
    static auto real = next<ssize_t (*)(int, const struct iovec*, int, off_t)>("pwritev");
    if (before_write(fd, iov_bytes(iov, cnt)) < 0) return -1;
    return real(fd, iov, cnt, off);
}

int fallocate(int fd, int mode, off_t off, off_t len) {
    static auto real = next<int (*)(int, int, off_t, off_t)>("fallocate");
    if (before_write(fd, static_cast<long long>(len)) < 0) return -1;
    return real(fd, mode, off, len);
}

int posix_fallocate(int fd, off_t off, off_t len) {
    static auto real = next<int (*)(int, off_t, off_t)>("posix_fallocate");
    if (before_write(fd, static_cast<long long>(len)) < 0) return ENOSPC;
    return real(fd, off, len);
}

} // extern "C"
