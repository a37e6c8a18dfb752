// Unwritable archive directories and unreadable input (issue 2): a clear
// error naming the path, a non-zero exit, nothing written. Root ignores
// permission bits, so under root the commands run as nobody (uid/gid 65534);
// as another user they run as that user. Skipped, with the reason, when
// neither works.
#include "support.hpp"

#include "store/store.hpp"

#include <sys/stat.h>
#include <unistd.h>

using namespace mlarc::faults;
namespace fs = std::filesystem;

namespace {

/// Runs as nobody when we are root, as ourselves otherwise.
RunResult run_unprivileged(const std::vector<std::string>& args) {
    RunOptions o;
    o.as_nobody = ::geteuid() == 0;
    return run_mlarc(args, o);
}

bool can_drop_privileges(const fs::path& dir) {
    const auto r = run_unprivileged({"--version"});
    if (r.status != 0) {
        WARN("SKIPPED: cannot run mlarc as an unprivileged user (exit " << r.status << ")");
        return false;
    }
    // nobody must reach the test directory (it lives under the temp dir).
    ::chmod(dir.c_str(), 0755);
    return true;
}

} // namespace

TEST_CASE("an unwritable archive directory gives a clear error and changes nothing",
          "[faults][permissions]") {
    mlarc::test::TempDir w;
    if (!can_drop_privileges(w.path())) return;
    const fs::path a = w / "archive";
    REQUIRE(run_mlarc(workload(a)[0]).status == 0);
    const std::string before = dump_store(a) + dump_index(a);
    ::chmod(a.c_str(), 0755); // not writable by nobody
    if (::geteuid() != 0) ::chmod(a.c_str(), 0555);
    for (const auto& args : {workload(a)[1],
                             std::vector<std::string>{"index", "--archive", a.string(), "--rebuild"}}) {
        const auto r = run_unprivileged(args);
        INFO("mlarc " << args[0] << ": exit " << r.status << ", stderr: " << r.err);
        CHECK(r.status != 0);
        CHECK(r.status != 70); // not an internal error
        CHECK(r.err.find(a.string()) != std::string::npos);
        CHECK(r.err.find("terminate called") == std::string::npos);
    }
    ::chmod(a.c_str(), 0755);
    CHECK(dump_store(a) + dump_index(a) == before);
    // Searching needs no write access.
    const auto s = run_unprivileged({"search", "--archive", a.string(), "deliverable"});
    INFO("search stderr: " << s.err);
    CHECK(s.status == 0);
}

TEST_CASE("an unreadable input file gives a clear error with its path", "[faults][permissions]") {
    mlarc::test::TempDir w;
    if (!can_drop_privileges(w.path())) return;
    const fs::path in = w / "secret.mbox";
    fs::copy_file(corpus() / "fgdpmwg2.mbox", in);
    ::chmod(in.c_str(), 0600); // root's, unreadable for nobody
    const fs::path a = w / "archive";
    fs::create_directories(a);
    if (::geteuid() == 0) REQUIRE(::chown(a.c_str(), 65534, 65534) == 0);
    if (::geteuid() != 0) ::chmod(in.c_str(), 0);
    const auto r = run_unprivileged({"import", "--archive", a.string(), "--list", "fgdpmwg2",
                                     in.string()});
    INFO("stderr: " << r.err);
    CHECK(r.status == 3);
    CHECK(r.err.find(in.string()) != std::string::npos);
    CHECK(r.err.find("terminate called") == std::string::npos);
    // Nothing was stored.
    if (fs::exists(a / "store.sqlite")) {
        auto st = mlarc::Store::open(a, mlarc::Store::Mode::read_only);
        REQUIRE(st.ok());
        CHECK(st->db().query_int("SELECT count(*) FROM messages")->value_or(-1) == 0);
    }
}
