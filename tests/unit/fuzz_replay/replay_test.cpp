// Replays saved fuzz inputs through the fuzz harnesses (tests/fuzz/harness_*.hpp,
// the same functions the libFuzzer targets call), so that every crash or hang
// the fuzzers ever found stays fixed in the ordinary test run, without clang or
// libFuzzer:
//   - tests/fuzz/regressions/<target>-<short-name>.bin: minimised inputs that
//     once broke a target (fuzz_mime-..., fuzz_mbox-...), each run through
//     that target's harness;
//   - tests/fuzz/seeds/<name>/*: the hand-written seeds, as a smoke test of
//     every harness (each must have at least one seed).
// A failing case names the file and the broken invariant. Memory errors show
// up as crashes here, or as ASan reports under `make -f Makefile.dist asan`.
// A "-slow-" regression (super-linear cost, a libFuzzer timeout) only runs as
// a smoke test here, since wall-clock limits would be flaky across build types
// and machines; `make -f Makefile.dist fuzz` replays it under its 10 s timeout.
#include "fuzz/harnesses.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using mlarc::fuzz::Harness;
using mlarc::fuzz::kHarnesses;

namespace {

fs::path fuzz_dir() {
    return fs::path(MLARC_TEST_FIXTURES).parent_path() / "fuzz";
}

/// Regular files directly in `dir`, sorted by name; none when `dir` is absent.
std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file()) out.push_back(it->path());
    std::sort(out.begin(), out.end());
    return out;
}

/// The harness of "fuzz_<name>", or null.
const Harness* harness_of_target(std::string_view target) {
    constexpr std::string_view prefix = "fuzz_";
    if (target.substr(0, prefix.size()) != prefix) return nullptr;
    target.remove_prefix(prefix.size());
    for (const Harness& h : kHarnesses)
        if (h.name == target) return &h;
    return nullptr;
}

} // namespace

TEST_CASE("saved fuzz crashes stay fixed", "[fuzz]") {
    const std::vector<fs::path> files = files_in(fuzz_dir() / "regressions");
    for (const fs::path& file : files) {
        const std::string name = file.filename().string();
        INFO("regression input " << file.string());
        // <target>-<short-name>.bin, the target being fuzz_<name>.
        const Harness* h = harness_of_target(name.substr(0, name.find('-')));
        REQUIRE(h != nullptr);
        const mlarc::fuzz::Verdict v = h->run(mlarc::test::read_file(file));
        CHECK(v.failure() == "");
    }
    SUCCEED(files.size() << " regression inputs replayed");
}

TEST_CASE("every fuzz harness accepts its seeds", "[fuzz]") {
    for (const Harness& h : kHarnesses) {
        const std::vector<fs::path> seeds = files_in(fuzz_dir() / "seeds" / std::string(h.name));
        INFO("harness " << h.name);
        CHECK(!seeds.empty());
        for (const fs::path& file : seeds) {
            INFO("seed " << file.string());
            const mlarc::fuzz::Verdict v = h.run(mlarc::test::read_file(file));
            CHECK(v.failure() == "");
        }
    }
}
