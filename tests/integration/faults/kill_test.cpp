// Kill tests (issue 7): `mlarc import` (which updates the index afterwards)
// is killed with SIGKILL at many points: just before and just after every
// SQLite commit, after every intermediate Xapian commit and while the index's
// column file is written (fault points, util/fault.hpp), in the middle of
// commits at the Nth write to the archive (the faultfs shim), and at random
// times. After each kill the store must pass PRAGMA integrity_check and the
// index xapian-check; the same command is then re-run and the canonical dumps
// of the store and of the index document set must equal those of an
// uninterrupted run, and the index's column file must be current.
//
// The workload (support.hpp) is six imports of a generated corpus of about
// 2,100 messages, one per list, so cross-posts add list memberships. Golden
// snapshots of the archive after each import let a trial start from the state
// before the import it kills.
#include "support.hpp"

#include <random>

using namespace mlarc::faults;
namespace fs = std::filesystem;

namespace {

std::string full_dump(const fs::path& archive) {
    return dump_store(archive) + "=== index\n" + dump_index(archive);
}

struct Golden {
    mlarc::test::TempDir dir;
    std::vector<fs::path> snap;     // snap[i]: the archive after imports 0..i-1
    std::vector<std::string> dump;  // full_dump(snap[i])
    std::vector<int> millis;        // wall time of import i (for random kill times)
};

const Golden& golden() {
    static Golden g;
    static const bool made = [] {
        const fs::path a = g.dir / "archive";
        const auto cmds = workload(a);
        g.snap.push_back(g.dir / "snap0");
        g.dump.push_back("");
        for (size_t i = 0; i < cmds.size(); ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            const auto r = run_mlarc(cmds[i]);
            INFO(r.err);
            REQUIRE(r.status == 0);
            g.millis.push_back(static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                    std::chrono::steady_clock::now() - t0)
                                                    .count()));
            const fs::path s = g.dir / ("snap" + std::to_string(i + 1));
            copy_dir(a, s);
            g.snap.push_back(s);
            g.dump.push_back(full_dump(s));
        }
        return true;
    }();
    (void)made;
    return g;
}

/// Runs import `cmd` from the golden state before it, with the fault of `o`.
/// When it was killed: checks integrity, re-runs it, compares with the golden
/// state after it, and returns true (one kill point survived). When the fault
/// did not fire (the process has fewer such points), checks the result too
/// and returns false.
bool trial(size_t cmd, const RunOptions& o, const std::string& label) {
    const Golden& g = golden();
    mlarc::test::TempDir w;
    const fs::path a = w / "archive";
    if (cmd > 0) copy_dir(g.snap[cmd], a);
    const auto args = workload(a)[cmd];
    RunOptions with_dir = o;
    with_dir.env.emplace_back("MLARC_SHIM_DIR", a.string());
    const auto r = run_mlarc(args, with_dir);
    INFO("import " << cmd << ", " << label << ": exit " << r.status << ", stderr: " << r.err);
    if (!r.killed()) {
        REQUIRE(r.status == 0);
        CHECK(full_dump(a) == g.dump[cmd + 1]);
        CHECK(columns_current(a));
        return false;
    }
    CHECK(check_integrity(a) == "");
    const auto again = run_mlarc(args);
    INFO("re-run stderr: " << again.err);
    REQUIRE(again.status == 0);
    CHECK(check_integrity(a) == "");
    CHECK(full_dump(a) == g.dump[cmd + 1]);
    CHECK(columns_current(a));
    return true;
}

/// Trials with MLARC_FAULT=point:N for N = 1, 2, ... until one is not killed.
int every_fault_point(size_t cmd, const std::string& point) {
    int killed = 0;
    for (int n = 1; n < 1000; ++n) {
        RunOptions o;
        o.env.emplace_back("MLARC_FAULT", point + ":" + std::to_string(n));
        if (!trial(cmd, o, point + ":" + std::to_string(n))) break;
        ++killed;
    }
    return killed;
}

} // namespace

TEST_CASE("import killed before and after every SQLite commit converges", "[faults][kill][kill-sqlite]") {
    if (!have_xapian_check()) WARN("xapian-check (package xapian-tools) is absent: index checks skipped");
    int killed = 0;
    for (size_t cmd : {0u, 3u})
        for (const char* point : {"sqlite-commit-before", "sqlite-commit-after"})
            killed += every_fault_point(cmd, point);
    WARN("kill points survived at SQLite commits: " << killed);
    CHECK(killed >= 40);
}

TEST_CASE("import killed after every Xapian commit converges", "[faults][kill][kill-xapian]") {
    int killed = 0;
    for (size_t cmd = 0; cmd < 6; ++cmd)
        killed += every_fault_point(cmd, "xapian-commit-after");
    // While writing the index's column file, after its last commit.
    for (size_t cmd : {0u, 5u})
        killed += every_fault_point(cmd, "columns-write");
    // Between the import and the index update (the writer lock is held).
    for (size_t cmd : {0u, 5u}) {
        RunOptions o;
        o.env.emplace_back("MLARC_FAULT", "import-done:1");
        if (trial(cmd, o, "import-done:1")) ++killed;
    }
    WARN("kill points survived at Xapian commits and between import and index: " << killed);
    CHECK(killed >= 10);
}

TEST_CASE("import killed in the middle of commits at the Nth write converges",
          "[faults][kill][kill-write]") {
    int killed = 0;
    for (size_t cmd : {0u, 2u}) {
        // 1, 2, 3, 5, 8, ... writes: dense at the start (creating the store,
        // the migrations), then spread over the batches and the index build.
        for (long n = 1; n < 1000000; n = n + std::max(1L, n / 2)) {
            RunOptions o;
            o.shim = true;
            o.env.emplace_back("MLARC_SHIM_KILL_AT_WRITE", std::to_string(n));
            if (!trial(cmd, o, "kill at write " + std::to_string(n))) break;
            ++killed;
        }
    }
    WARN("kill points survived mid-commit (Nth write): " << killed);
    CHECK(killed >= 30);
}

TEST_CASE("import killed at random times converges", "[faults][kill][kill-random]") {
    const Golden& g = golden();
    std::mt19937 rng(7);
    int killed = 0, tries = 0;
    for (size_t cmd = 0; cmd < 6; ++cmd) {
        for (int k = 0; k < 3; ++k) {
            RunOptions o;
            o.kill_after_ms = static_cast<int>(rng() % static_cast<unsigned>(g.millis[cmd] + 1));
            ++tries;
            if (trial(cmd, o, "kill after " + std::to_string(o.kill_after_ms) + " ms")) ++killed;
        }
    }
    WARN("random-time kills that hit a running import: " << killed << " of " << tries);
    CHECK(killed >= 1);
}

TEST_CASE("mlarc index --rebuild killed at the Nth write leaves the old index usable",
          "[faults][kill][kill-rebuild]") {
    const Golden& g = golden();
    int killed = 0;
    for (long n = 1; n < 1000000; n = n + std::max(1L, n / 2)) {
        mlarc::test::TempDir w;
        const fs::path a = w / "archive";
        copy_dir(g.snap[6], a);
        RunOptions o;
        o.shim = true;
        o.env = {{"MLARC_SHIM_DIR", a.string()}, {"MLARC_SHIM_KILL_AT_WRITE", std::to_string(n)}};
        const std::vector<std::string> args{"index", "--archive", a.string(), "--rebuild",
                                            "--batch", "100", "--quiet"};
        const auto r = run_mlarc(args, o);
        INFO("kill at write " << n << ": exit " << r.status << ", stderr: " << r.err);
        if (!r.killed()) {
            REQUIRE(r.status == 0);
            CHECK(full_dump(a) == g.dump[6]);
            break;
        }
        ++killed;
        CHECK(check_integrity(a) == "");
        // The live index was never touched: searches still get the old one.
        CHECK(dump_index(a) == dump_index(g.snap[6]));
        const auto again = run_mlarc(args);
        REQUIRE(again.status == 0);
        CHECK(check_integrity(a) == "");
        CHECK(full_dump(a) == g.dump[6]);
        CHECK(columns_current(a));
    }
    WARN("kill points survived in index --rebuild: " << killed);
    CHECK(killed >= 10);
}
