// What every fuzz harness shares: the way a harness reports a broken
// invariant, and the bridge from that report to libFuzzer.
//
// A harness (harness_<name>.hpp) is one inline function taking the input bytes
// and returning a Verdict: empty when every invariant held, else a short
// description of the first one that did not. The libFuzzer target
// (fuzz_<name>.cpp) turns a non-empty Verdict into abort(), which libFuzzer
// records as a crash and saves the input; the replay test
// (tests/unit/fuzz_replay/) runs the same function on the saved inputs and
// fails with the description. Memory errors and undefined behaviour are left
// to the sanitizers of the fuzz build (and of `make -f Makefile.dist asan` for
// the replay test). Harnesses never throw on purpose: an exception escaping one
// is itself a finding (libFuzzer reports it as a crash).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace mlarc::fuzz {

/// The first broken invariant of one run, or empty.
class Verdict {
  public:
    /// Records `what` unless an earlier failure is already recorded.
    void fail(std::string what) {
        if (failure_.empty()) failure_ = std::move(what);
    }
    /// fail(what) when `cond` is false. `what` is only built into a string on failure.
    void expect(bool cond, const char* what) {
        if (!cond) fail(what);
    }
    [[nodiscard]] bool ok() const { return failure_.empty(); }
    [[nodiscard]] const std::string& failure() const { return failure_; }

  private:
    std::string failure_;
};

/// The input of a fuzz run as text (bytes; not necessarily UTF-8).
inline std::string_view as_text(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// For the libFuzzer entry points: aborts with the failure on stderr, so that
/// libFuzzer saves the input as a crash.
inline int report(const Verdict& v, const char* target) {
    if (v.ok()) return 0;
    std::fprintf(stderr, "\n%s: invariant violated: %s\n", target, v.failure().c_str());
    std::fflush(stderr);
    std::abort();
}

/// A short printable rendering of `s` (for failure messages).
inline std::string excerpt(std::string_view s, size_t max = 80) {
    std::string out;
    for (size_t i = 0; i < s.size() && out.size() < max; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += static_cast<char>(c);
        } else {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    if (out.size() >= max) out += "...";
    return out;
}

} // namespace mlarc::fuzz
