// Helpers shared by tests: temporary directories that clean up, access to the
// optional ../shared corpora (tests skip with a reason when it is absent).
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace mlarc::test {

/// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
  public:
    TempDir() {
        std::random_device rd;
        auto base = std::filesystem::temp_directory_path();
        for (int i = 0; i < 100; ++i) {
            auto p = base / ("mlarc-test-" + std::to_string(rd()));
            if (std::filesystem::create_directory(p)) {
                path_ = p;
                return;
            }
        }
        throw std::runtime_error("cannot create temp dir");
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& s) const { return path_ / s; }

  private:
    std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& p, const std::string& data) {
    std::ofstream out(p, std::ios::binary);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// ../shared/corpora/<sub>, or "" when absent.
inline std::filesystem::path corpus_dir(const std::string& sub) {
    std::filesystem::path p = std::filesystem::path(MLARC_TEST_SHARED_DIR) / "corpora" / sub;
    if (const char* env = std::getenv("MLARC_SHARED")) p = std::filesystem::path(env) / "corpora" / sub;
    return std::filesystem::is_directory(p) ? p : std::filesystem::path{};
}

} // namespace mlarc::test

/// MLARC_UNDER_ASAN is 1 in an AddressSanitizer build (make -f Makefile.dist asan
/// or the fuzz build), for the few tests too slow under it (each says why).
#if defined(__SANITIZE_ADDRESS__)
#define MLARC_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MLARC_UNDER_ASAN 1
#endif
#endif
#ifndef MLARC_UNDER_ASAN
#define MLARC_UNDER_ASAN 0
#endif

/// Skips the current test case (Catch2 v2 has no SKIP): prints the reason and returns.
#define MLARC_SKIP_IF_NO_CORPUS(dir, sub)                                                          \
    auto dir = ::mlarc::test::corpus_dir(sub);                                                     \
    if (dir.empty()) {                                                                             \
        WARN("SKIPPED: ../shared/corpora/" sub " is absent; this test needs the shared corpora");  \
        return;                                                                                    \
    }
