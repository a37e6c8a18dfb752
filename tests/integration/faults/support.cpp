// Child processes, the generated corpus, canonical dumps and integrity checks
// of the fault tests (see support.hpp).
#include "support.hpp"

#include "index/columns.hpp"
#include "store/store.hpp"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <set>
#include <thread>

namespace mlarc::faults {

namespace fs = std::filesystem;

namespace {

/// Runs argv[0] with argv, stdout to /dev/null, stderr captured. Returns the
/// exit status (128 + signal when killed) and stderr.
RunResult spawn(const std::vector<std::string>& argv_in, const RunOptions& o) {
    int pipe_fd[2];
    REQUIRE(::pipe(pipe_fd) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(pipe_fd[0]);
        const int devnull = ::open("/dev/null", O_WRONLY);
        ::dup2(devnull, 1);
        ::dup2(pipe_fd[1], 2);
        for (const auto& [k, v] : o.env) ::setenv(k.c_str(), v.c_str(), 1);
        if (o.shim) {
#ifdef MLARC_TEST_ASAN_RUNTIME
            // An ASan build (make asan): the ASan runtime must be the first
            // library loaded (it checks, and refuses to start otherwise), so
            // it is preloaded ahead of the shim. Calls then go mlarc -> ASan's
            // interceptor -> the shim (ASan's next definition) -> libc.
            ::setenv("LD_PRELOAD", MLARC_TEST_ASAN_RUNTIME ":" MLARC_TEST_FAULTFS, 1);
#else
            ::setenv("LD_PRELOAD", MLARC_TEST_FAULTFS, 1);
#endif
        }
        if (o.as_nobody) {
            if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
                ::_exit(126);
        }
        std::vector<std::string> copy = argv_in;
        std::vector<char*> argv;
        for (auto& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(pipe_fd[1]);
    std::thread killer;
    if (o.kill_after_ms >= 0) {
        killer = std::thread([pid, ms = o.kill_after_ms] {
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
            ::kill(pid, SIGKILL); // harmless if it already exited (not yet reaped)
        });
    }
    RunResult r;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(pipe_fd[0], buf, sizeof buf);
        if (n > 0) r.err.append(buf, static_cast<size_t>(n));
        else if (n == 0 || errno != EINTR) break;
    }
    ::close(pipe_fd[0]);
    if (killer.joinable()) killer.join();
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status)
                                 : (WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1);
    return r;
}

std::string quote_ident(const std::string& s) { return "\"" + s + "\""; }

} // namespace

RunResult run_mlarc(const std::vector<std::string>& args, const RunOptions& o) {
    std::vector<std::string> argv{MLARC_TEST_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return spawn(argv, o);
}

const fs::path& corpus() {
    static test::TempDir dir;
    static const fs::path path = [] {
        const fs::path out = dir / "corpus";
        const auto r = spawn({MLARC_TEST_SAMPLE_GEN, "--out", out.string(), "--scale", "2",
                              "--jobs", "1"},
                             {});
        REQUIRE(r.status == 0);
        return out;
    }();
    return path;
}

std::vector<std::vector<std::string>> workload(const fs::path& archive) {
    std::vector<std::vector<std::string>> cmds;
    for (const char* list : {"fgdpm", "fgdpmwg1", "fgdpmwg2", "fgdpmwg3", "fgdpmwg4", "fgdpmwg5"})
        cmds.push_back({"import", "--archive", archive.string(), "--list", list, "--batch", "50",
                        "--index-batch", "100", "--jobs", "2", "--quiet",
                        (corpus() / (std::string(list) + ".mbox")).string()});
    return cmds;
}

std::string dump_store(const fs::path& archive) {
    auto st = Store::open(archive, Store::Mode::read_only);
    REQUIRE(st.ok());
    auto& db = st->db();
    // Volatile: when something happened and the change numbers (a killed
    // batch is redone under a later number), not what was stored.
    static const std::set<std::string> volatile_cols{"created_at", "imported_at", "started_at",
                                                     "finished_at", "change_seq"};
    std::vector<std::string> tables;
    {
        auto q = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN "
                            "('import_log','meta') AND name NOT LIKE 'sqlite_%' ORDER BY name");
        REQUIRE(q.ok());
        while (*q->step()) tables.push_back(q->text(0));
    }
    std::string out;
    for (const auto& t : tables) {
        std::vector<std::string> cols;
        auto info = db.prepare("SELECT name FROM pragma_table_info(?)");
        REQUIRE(info.ok());
        info->bind(1, t);
        while (*info->step())
            if (!volatile_cols.count(info->text(0))) cols.push_back(quote_ident(info->text(0)));
        std::string list;
        for (const auto& c : cols) list += (list.empty() ? "" : ",") + c;
        std::string order;
        for (size_t i = 1; i <= cols.size(); ++i)
            order += (i > 1 ? "," : "") + std::to_string(i);
        auto q = db.prepare("SELECT " + list + " FROM " + quote_ident(t) + " ORDER BY " + order);
        REQUIRE(q.ok());
        out += "== " + t + '\n';
        while (*q->step()) {
            for (size_t c = 0; c < cols.size(); ++c) {
                out += q->blob(static_cast<int>(c));
                out += '|';
            }
            out += '\n';
        }
    }
    return out;
}

std::string dump_index(const fs::path& archive) {
    const fs::path p = archive / "xapian";
    if (!fs::exists(p)) return "";
    Xapian::Database db(p.string());
    std::string out;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        const Xapian::docid id = *it;
        const Xapian::Document doc = db.get_document(id);
        out += "doc " + std::to_string(id) + '\n' + doc.get_data() + '\n';
        for (auto v = doc.values_begin(); v != doc.values_end(); ++v)
            out += "v" + std::to_string(v.get_valueno()) + '=' + *v + '\n';
        for (auto t = db.termlist_begin(id); t != db.termlist_end(id); ++t) {
            out += *t + ':' + std::to_string(t.get_wdf());
            for (auto pos = db.positionlist_begin(id, *t); pos != db.positionlist_end(id, *t);
                 ++pos)
                out += ',' + std::to_string(*pos);
            out += '\n';
        }
    }
    return out;
}

bool have_xapian_check() {
    return ::access("/usr/bin/xapian-check", X_OK) == 0;
}

std::string check_integrity(const fs::path& archive) {
    std::string problems;
    if (fs::exists(archive / "store.sqlite")) {
        // The SQLite file itself: a store whose creation failed (schema
        // version 0) is still a sound database, migrated by the next writer.
        auto db = sql::Db::open(archive / "store.sqlite", sql::OpenMode::read_only);
        if (!db.ok()) return "store does not open: " + db.error().what();
        auto q = db->prepare("PRAGMA integrity_check");
        REQUIRE(q.ok());
        std::string res;
        while (*q->step()) res += q->text(0);
        if (res != "ok") problems += "integrity_check: " + res + '\n';
    }
    if (fs::exists(archive / "xapian") && have_xapian_check()) {
        const auto r = spawn({"/usr/bin/xapian-check", (archive / "xapian").string()}, {});
        if (r.status != 0)
            problems += "xapian-check exit " + std::to_string(r.status) + ": " + r.err + '\n';
    }
    if (fs::exists(archive / "xapian" / "iamglass")) {
        Xapian::Database db((archive / "xapian").string());
        const auto bad = mlarc::columns_mismatches(archive / "xapian", db);
        if (bad && *bad > 0)
            problems +=
                "column file: " + std::to_string(*bad) + " cells differ from the value streams\n";
    }
    return problems;
}

bool columns_current(const fs::path& archive) {
    if (!fs::exists(archive / "xapian" / "iamglass")) return false;
    Xapian::Database db((archive / "xapian").string());
    return mlarc::Columns::open(archive / "xapian", db).has_value();
}

void copy_dir(const fs::path& from, const fs::path& to) {
    fs::remove_all(to);
    fs::copy(from, to, fs::copy_options::recursive);
}

} // namespace mlarc::faults
