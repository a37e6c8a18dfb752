// Helpers of the fault tests: running the mlarc binary as a child process
// (with extra environment, an LD_PRELOAD shim, as another user, killed after a
// delay), a shared generated corpus (mlarc-sample-gen, so /work/shared is not
// needed), canonical dumps of the store and of the search index, and the
// integrity checks (PRAGMA integrity_check, xapian-check) run after each fault.
#pragma once

#include "test_support.hpp"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace mlarc::faults {

using Env = std::vector<std::pair<std::string, std::string>>;

struct RunResult {
    int status = -1;  // exit status, or 128 + signal number when killed
    std::string err;  // what the child wrote to stderr
    bool killed() const { return status == 128 + 9; }
};

struct RunOptions {
    Env env;
    int kill_after_ms = -1; // SIGKILL after this delay (-1: never)
    bool shim = false;      // LD_PRELOAD the faultfs shim
    bool as_nobody = false; // drop to uid/gid 65534 before exec
};

/// Runs `mlarc ARGS...` and waits for it.
RunResult run_mlarc(const std::vector<std::string>& args, const RunOptions& o = {});

/// The generated corpus (scale 2, about 2,100 messages in six mbox files),
/// made once per test process. Returns the directory holding fgdpm.mbox and
/// fgdpmwg1..5.mbox.
const std::filesystem::path& corpus();

/// The import workload: one `mlarc import` per list (fgdpm, then the five WG
/// lists), small batches so that there are many commits.
std::vector<std::vector<std::string>> workload(const std::filesystem::path& archive);

/// Canonical dump of the store: every table but import_log and meta, every
/// column but the volatile ones (timestamps, change numbers), rows sorted.
std::string dump_store(const std::filesystem::path& archive);

/// Canonical dump of ARCHIVE/xapian: for every document its docid, data,
/// values and terms with wdf and positions; "" when there is no index.
std::string dump_index(const std::filesystem::path& archive);

/// PRAGMA integrity_check of the store (when it exists), xapian-check of
/// the index (when it exists) and, when the index's column file is current,
/// the file against the value streams (index/columns.hpp): "" when all
/// pass, else what failed.
std::string check_integrity(const std::filesystem::path& archive);

/// True when the archive's one-database index has a current column file
/// (what every completed `mlarc import` or `mlarc index` leaves).
bool columns_current(const std::filesystem::path& archive);

/// Copies directory `from` to `to` (replacing `to`).
void copy_dir(const std::filesystem::path& from, const std::filesystem::path& to);

/// True when xapian-check is installed (package xapian-tools).
bool have_xapian_check();

} // namespace mlarc::faults
