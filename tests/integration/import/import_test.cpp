// Import pipeline end to end on small inline mboxes: counts add up, dedup and
// cross-posts, threading across files, resume of a grown mbox, unchanged files
// skipped, quarantine, bad input errors, and kill-at-random-points convergence
// (the mlarc binary is killed with SIGKILL and re-run).
#include "ingest/importer.hpp"
#include "store/raw_codec.hpp"
#include "store/rows.hpp"
#include "test_support.hpp"
#include "util/lock.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <thread>

using namespace mlarc;
using mlarc::test::TempDir;
using mlarc::test::write_file;

namespace {

std::string msg(const std::string& mid, const std::string& subject, const std::string& extra = "",
                const std::string& body = "Hello.\n", const std::string& from = "alice@example.org",
                const std::string& date = "Mon, 5 Mar 2018 10:00:00 +0100") {
    std::string m = "From " + from + " Mon Mar  5 09:00:00 2018\n";
    m += "From: Alice <" + from + ">\nTo: list@example.org\nSubject: " + subject + "\nDate: " + date + "\n";
    if (!mid.empty()) m += "Message-ID: <" + mid + ">\n";
    m += extra;
    m += "\n" + body + "\n";
    return m;
}

ImportOptions opts_for(const TempDir& t, const std::string& list) {
    ImportOptions o;
    o.archive = t / "archive";
    o.list = list;
    o.progress = false;
    o.jobs = 2;
    return o;
}

int64_t q(Store& s, const std::string& sql) { return s.db().query_int(sql)->value_or(-1); }

void check_balance(const ImportSummary& s) {
    CHECK(s.read == s.stored + s.duplicates + s.quarantined);
    for (const auto& f : s.files) CHECK(f.read == f.stored + f.duplicates + f.quarantined);
}

} // namespace

TEST_CASE("import stores messages, threads and lists - counts add up", "[import]") {
    TempDir t;
    write_file(t / "a.mbox", msg("1@x", "Budget") + msg("2@x", "Re: Budget", "In-Reply-To: <1@x>\n") +
                                 msg("3@x", "Other") + msg("", "No id here"));
    ImportSummary sum;
    REQUIRE(run_import(opts_for(t, "fgdpmwg3"), {t / "a.mbox"}, sum).ok());
    check_balance(sum);
    CHECK(sum.read == 4);
    CHECK(sum.stored == 4);
    auto st = Store::open(t / "archive", Store::Mode::read_only);
    REQUIRE(st.ok());
    CHECK(q(*st, "SELECT count(*) FROM messages") == 4);
    CHECK(q(*st, "SELECT count(DISTINCT thread_id) FROM messages") == 3);
    CHECK(q(*st, "SELECT count(*) FROM messages WHERE mid LIKE '%@generated.invalid'") == 1);
    CHECK(q(*st, "SELECT count(*) FROM messages WHERE parent_reason='in-reply-to'") == 1);
    CHECK(q(*st, "SELECT count(*) FROM lists WHERE name='fgdpmwg3'") == 1);
}

TEST_CASE("re-import is a no-op - a grown mbox imports only the new messages", "[import]") {
    TempDir t;
    std::string first = msg("1@x", "A") + msg("2@x", "B");
    write_file(t / "a.mbox", first);
    ImportSummary s1, s2, s3;
    REQUIRE(run_import(opts_for(t, "main"), {t / "a.mbox"}, s1).ok());
    CHECK(s1.stored == 2);
    REQUIRE(run_import(opts_for(t, "main"), {t / "a.mbox"}, s2).ok());
    CHECK(s2.read == 0);
    REQUIRE(s2.files.size() == 1);
    CHECK(s2.files[0].status == "unchanged");
    write_file(t / "a.mbox", first + msg("3@x", "Re: A", "References: <1@x>\n"));
    REQUIRE(run_import(opts_for(t, "main"), {t / "a.mbox"}, s3).ok());
    CHECK(s3.files[0].status == "resumed");
    CHECK(s3.read == 1);
    CHECK(s3.stored == 1);
    check_balance(s3);
}

TEST_CASE("files are read ahead while the one before is stored, with the same outcome",
          "[import]") {
    // The next file is opened and read once the current file's reader has
    // read it all (ingest/importer.cpp import_files); small batches make
    // several per file.
    TempDir t;
    std::string a, b;
    for (int i = 0; i < 7; ++i)
        a += msg("a" + std::to_string(i) + "@x", "A" + std::to_string(i));
    for (int i = 0; i < 5; ++i)
        b += msg("b" + std::to_string(i) + "@x", "Re: A" + std::to_string(i),
                 "In-Reply-To: <a" + std::to_string(i) + "@x>\n");
    write_file(t / "a.mbox", a);
    write_file(t / "b.mbox", b);
    std::filesystem::create_directories(t / "dir");
    write_file(t / "dir" / "README", "not mail\n");
    write_file(t / "dir" / "c.mbox", msg("c@x", "C"));
    ImportOptions o = opts_for(t, "l");
    o.batch_messages = 2;
    ImportSummary s;
    // a.mbox twice: its second turn must see the first one's saved state.
    REQUIRE(run_import(o, {t / "a.mbox", t / "a.mbox", t / "b.mbox", t / "dir"}, s).ok());
    check_balance(s);
    CHECK(s.read == 13);
    CHECK(s.stored == 13);
    std::vector<std::string> got;
    for (const auto& f : s.files)
        got.push_back(std::filesystem::path(f.path).filename().string() + " " + f.status);
    CHECK(got == std::vector<std::string>{"a.mbox imported", "a.mbox unchanged", "b.mbox imported",
                                          "README skipped", "c.mbox imported"});
    {
        auto st = Store::open(t / "archive", Store::Mode::read_only);
        REQUIRE(st.ok());
        CHECK(q(*st, "SELECT count(DISTINCT thread_id) FROM messages") == 8);
        CHECK(q(*st, "SELECT count(*) FROM sources WHERE complete = 1") == 3);
        CHECK(q(*st, "SELECT count(*) FROM import_log") == 3);
    }
    // Stopped (as if killed) inside the second file: the third file is not
    // touched, and a second run converges.
    TempDir u;
    write_file(u / "a.mbox", a);
    write_file(u / "b.mbox", b);
    write_file(u / "c.mbox", msg("c@x", "C"));
    ImportOptions ou = opts_for(u, "l");
    ou.batch_messages = 2;
    ou.stop_after = 8;
    ImportSummary s1, s2;
    REQUIRE(run_import(ou, {u / "a.mbox", u / "b.mbox", u / "c.mbox"}, s1).ok());
    CHECK(s1.read == 8);
    {
        auto st = Store::open(u / "archive", Store::Mode::read_only);
        REQUIRE(st.ok());
        CHECK(q(*st, "SELECT count(*) FROM sources") == 2);
        CHECK(q(*st, "SELECT count(*) FROM messages") == 8);
    }
    ou.stop_after = 0;
    REQUIRE(run_import(ou, {u / "a.mbox", u / "b.mbox", u / "c.mbox"}, s2).ok());
    CHECK(s2.read == 5);
    CHECK(s2.stored == 5);
    auto st = Store::open(u / "archive", Store::Mode::read_only);
    REQUIRE(st.ok());
    CHECK(q(*st, "SELECT count(*) FROM messages") == 13);
    CHECK(q(*st, "SELECT count(DISTINCT thread_id) FROM messages") == 8);
}

TEST_CASE("a cross-post is one message in two lists - other content under a known id is kept",
          "[import]") {
    TempDir t;
    // Mailman copies differ in List-Id, subject tag and footer.
    write_file(t / "main.mbox", msg("x@p", "[Fgdpm] Agenda", "List-Id: <fgdpm.lists.itu.int>\n",
                                    "Agenda.\n--\nfgdpm footer\n"));
    write_file(t / "wg1.mbox", msg("x@p", "[Fgdpmwg1] Agenda", "List-Id: <fgdpmwg1.lists.itu.int>\n",
                                   "Agenda.\n--\nwg1 footer\n") +
                                   msg("x@p", "Something else entirely") + msg("x@p", "[Fgdpmwg1] Agenda", "List-Id: <fgdpmwg1.lists.itu.int>\n",
                                   "Agenda.\n--\nwg1 footer\n"));
    ImportSummary s1, s2;
    REQUIRE(run_import(opts_for(t, "fgdpm"), {t / "main.mbox"}, s1).ok());
    REQUIRE(run_import(opts_for(t, "fgdpmwg1@lists.itu.int"), {t / "wg1.mbox"}, s2).ok());
    check_balance(s2);
    CHECK(s2.read == 3);
    CHECK(s2.stored == 1);     // the different content
    CHECK(s2.duplicates == 2); // the cross-post and the repeated delivery
    auto st = Store::open(t / "archive", Store::Mode::read_only);
    REQUIRE(st.ok());
    CHECK(q(*st, "SELECT count(*) FROM messages WHERE mid='x@p'") == 2);
    CHECK(q(*st, "SELECT count(*) FROM message_lists ml JOIN messages m ON m.id=ml.message_id "
                 "WHERE m.mid='x@p' AND m.mid_seq=1") == 2);
    CHECK(q(*st, "SELECT flags & 128 FROM messages WHERE mid='x@p' AND mid_seq=2") == 128);
    CHECK(q(*st, "SELECT address FROM lists WHERE name='fgdpmwg1'") != -1);
}

TEST_CASE("threads merge when a late parent arrives from another file", "[import]") {
    TempDir t;
    write_file(t / "late.mbox", msg("c@x", "Re: Plan", "References: <r@x> <p@x>\n"));
    write_file(t / "early.mbox", msg("r@x", "Plan") + msg("q@x", "Re: Plan", "References: <r@x>\n"));
    ImportSummary s1, s2;
    REQUIRE(run_import(opts_for(t, "l"), {t / "late.mbox"}, s1).ok());
    REQUIRE(run_import(opts_for(t, "l"), {t / "early.mbox"}, s2).ok());
    auto st = Store::open(t / "archive", Store::Mode::read_only);
    REQUIRE(st.ok());
    CHECK(q(*st, "SELECT count(DISTINCT thread_id) FROM messages") == 1);
    CHECK(q(*st, "SELECT count(*) FROM thread_nodes WHERE message_id IS NULL") == 1); // p@x ghost
}

TEST_CASE("raw bytes are kept exactly", "[import]") {
    TempDir t;
    std::string body = "line\r\n>From the escaped line\r\n=E9t=E9\r\n";
    std::string m = "From a@b Mon Mar  5 09:00:00 2018\r\nFrom: a@b\r\nSubject: crlf\r\n"
                    "Message-ID: <crlf@x>\r\n\r\n" + body + "\r\n";
    write_file(t / "c.mbox", m);
    ImportSummary s;
    REQUIRE(run_import(opts_for(t, "l"), {t / "c.mbox"}, s).ok());
    auto st = Store::open(t / "archive", Store::Mode::read_only);
    REQUIRE(st.ok());
    auto stmt = st->db().prepare("SELECT codec, raw, raw_size FROM message_raw");
    REQUIRE(stmt.ok());
    REQUIRE(*stmt->step());
    auto raw = decode_raw(static_cast<int>(stmt->int64(0)), stmt->blob(1),
                          static_cast<size_t>(stmt->int64(2)));
    REQUIRE(raw.ok());
    CHECK(*raw == m.substr(m.find('\n') + 1, m.size() - m.find('\n') - 1 - 2));
}

TEST_CASE("bad input gives clear errors", "[import]") {
    TempDir t;
    ImportSummary s;
    auto missing = run_import(opts_for(t, "l"), {t / "nope.mbox"}, s);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == Errc::not_found);
    CHECK(missing.error().message.find("nope.mbox") != std::string::npos);
    // Without --list, List-Id headers decide (fgdpm/listid_test.cpp); inputs are checked as ever.
    auto nolist = run_import(opts_for(t, ""), {t / "nope.mbox"}, s);
    REQUIRE_FALSE(nolist.ok());
    CHECK(nolist.error().code == Errc::not_found);
    CHECK_FALSE(parse_list_arg("bad name!").ok());
    write_file(t / "junk.bin", std::string("\x00\x01\x02garbage\xff\xfe", 13));
    ImportSummary s2;
    auto junk = run_import(opts_for(t, "l"), {t / "junk.bin"}, s2);
    REQUIRE_FALSE(junk.ok());
    CHECK(junk.error().code == Errc::bad_input);
}

TEST_CASE("a README in a corpus directory is skipped with a warning and leaves no source row",
          "[import]") {
    TempDir t;
    std::filesystem::create_directories(t / "corpus");
    write_file(t / "corpus" / "a.mbox", msg("1@x", "A") + msg("2@x", "B"));
    write_file(t / "corpus" / "README.md", "# About this corpus\n\nNot mail.\n");
    for (int run = 0; run < 2; ++run) {
        ImportSummary s;
        REQUIRE(run_import(opts_for(t, "l"), {t / "corpus"}, s).ok());
        check_balance(s);
        REQUIRE(s.files.size() == 2);
        const auto readme = std::find_if(s.files.begin(), s.files.end(), [](const FileSummary& f) {
            return f.path.find("README.md") != std::string::npos;
        });
        REQUIRE(readme != s.files.end());
        CHECK(readme->status == "skipped");
        CHECK(readme->read == 0);
        CHECK_FALSE(readme->warnings.empty());
        CHECK(s.stored == (run == 0 ? 2 : 0));
        auto st = Store::open(t / "archive", Store::Mode::read_only);
        REQUIRE(st.ok());
        CHECK(q(*st, "SELECT count(*) FROM sources") == 1);
        CHECK(q(*st, "SELECT count(*) FROM sources WHERE path LIKE '%README.md'") == 0);
    }
}

TEST_CASE("a second writer gets a clear 'locked' error", "[import]") {
    TempDir t;
    write_file(t / "a.mbox", msg("1@x", "A"));
    ImportSummary s0;
    REQUIRE(run_import(opts_for(t, "l"), {t / "a.mbox"}, s0).ok());
    pid_t child = fork();
    if (child == 0) {
        auto lock = ArchiveLock::acquire(t / "archive", 0);
        if (!lock.ok()) _exit(1);
        ::sleep(3);
        _exit(0);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ImportSummary s;
    auto r = run_import(opts_for(t, "l"), {t / "a.mbox"}, s);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::locked);
    CHECK(r.error().message.find("locked") != std::string::npos);
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
}

TEST_CASE("a message over the decoding time budget is quarantined and the import goes on", "[import][limits]") {
    // The budget (ImportOptions::max_decode_seconds, 2 s by default) is checked
    // when decoding returns. A negative budget makes every message exceed it
    // deterministically; the path is the one a slow message takes.
    TempDir t;
    write_file(t / "a.mbox", msg("1@x", "One") + msg("2@x", "Two"));
    ImportOptions o = opts_for(t, "l");
    o.max_decode_seconds = -1.0;
    ImportSummary sum;
    REQUIRE(run_import(o, {t / "a.mbox"}, sum).ok());
    check_balance(sum);
    CHECK(sum.read == 2);
    CHECK(sum.quarantined == 2);
    CHECK(sum.stored == 0);
    auto st = Store::open(t / "archive", Store::Mode::read_only);
    REQUIRE(st.ok());
    CHECK(q(*st, "SELECT count(*) FROM quarantine WHERE reason LIKE 'timeout: decoding took %'") == 2);
    CHECK(q(*st, "SELECT count(*) FROM messages") == 0);
    // With the default budget a new file imports normally afterwards.
    write_file(t / "b.mbox", msg("3@x", "Three"));
    ImportSummary again;
    REQUIRE(run_import(opts_for(t, "l"), {t / "b.mbox"}, again).ok());
    CHECK(again.stored == 1);
}

namespace {

/// Canonical dump of a store: everything an import decides, without timings.
std::string dump_store(const std::filesystem::path& archive) {
    auto st = Store::open(archive, Store::Mode::read_only);
    REQUIRE(st.ok());
    std::string out;
    for (const char* sqlq :
         {"SELECT id, mid, mid_seq, content_hash, thread_id, ifnull(parent_mid,''), date_utc, "
          "flags, change_seq > 0 FROM messages ORDER BY id",
          "SELECT message_id, list_id FROM message_lists ORDER BY 1, 2",
          "SELECT mid, thread_id, ifnull(parent_mid,''), ifnull(message_id,0) FROM thread_nodes "
          "ORDER BY mid",
          "SELECT raw_hash, reason FROM quarantine ORDER BY raw_hash",
          "SELECT path, done_offset, complete FROM sources ORDER BY path"}) {
        auto s = st->db().prepare(sqlq);
        REQUIRE(s.ok());
        while (*s->step()) {
            for (int c = 0; c < 9; ++c) {
                out += s->text(c);
                out += '|';
            }
            out += '\n';
        }
        out += "--\n";
    }
    return out;
}

int run_mlarc(const std::vector<std::string>& args, int kill_after_ms) {
    pid_t pid = fork();
    if (pid == 0) {
        std::vector<char*> argv;
        std::string bin = MLARC_TEST_BINARY;
        argv.push_back(bin.data());
        std::vector<std::string> copy = args;
        for (auto& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        int devnull = ::open("/dev/null", O_WRONLY);
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
        ::execv(bin.c_str(), argv.data());
        _exit(127);
    }
    if (kill_after_ms >= 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms));
        ::kill(pid, SIGKILL);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

TEST_CASE("killing the importer at random points converges to the same store", "[import][kill]") {
    TempDir t;
    // A few thousand messages in several threads, with replies that come before
    // their parents, in two files.
    std::string a, b;
    for (int i = 0; i < 3000; ++i) {
        std::string id = std::to_string(i) + "@k";
        std::string extra = i % 3 ? "References: <" + std::to_string(i - i % 3) + "@k>\n" : "";
        std::string m = msg(id, "Topic " + std::to_string(i / 3), extra,
                            std::string(200 + (i % 7) * 100, 'x') + "\n");
        (i % 2 ? a : b) += m;
    }
    write_file(t / "a.mbox", a);
    write_file(t / "b.mbox", b);
    auto args = [&](const std::string& dir) {
        return std::vector<std::string>{"import", "--archive", (t / dir).string(), "--list", "k",
                                        "--batch", "100", "--no-index", (t / "a.mbox").string(),
                                        (t / "b.mbox").string()};
    };
    REQUIRE(run_mlarc(args("clean"), -1) == 0);
    const std::string golden = dump_store(t / "clean");
    std::mt19937 rng(42);
    int killed = 0;
    for (int round = 0; round < 8; ++round) {
        int delay = static_cast<int>(rng() % 400);
        if (run_mlarc(args("killed"), delay) != 0) ++killed;
    }
    REQUIRE(run_mlarc(args("killed"), -1) == 0);
    CHECK(dump_store(t / "killed") == golden);
    WARN("import runs killed before finishing: " << killed << " of 8");
}

TEST_CASE("message text is stored compressed or derived from the raw message, and read back "
          "unchanged through message_text",
          "[import]") {
    TempDir t;
    std::string qp_body, qp_text;
    for (int i = 0; i < 200; ++i) {
        qp_body += "a =3D b in line " + std::to_string(i % 7) + " of a long patch body.\n";
        qp_text += "a = b in line " + std::to_string(i % 7) + " of a long patch body.\n";
    }
    const std::string qp = "Content-Transfer-Encoding: quoted-printable\n";
    // mboxrd: the ">From" line of "plain@x" is stored escaped as read (">>From").
    write_file(t / "a.mbox",
               msg("plain@x", "=?utf-8?q?caf=C3=A9?= plain", "", "Hello,\n>>From the start.\n") +
                   msg("long@x", "long", qp, qp_body) + msg("short@x", "short", qp, "x =3D y\n"));
    ImportSummary s;
    ImportOptions o = opts_for(t, "l");
    o.format = MboxFormat::mboxrd;
    REQUIRE(run_import(o, {t / "a.mbox"}, s).ok());
    REQUIRE(s.stored == 3);
    auto st = Store::open(t / "archive", Store::Mode::read_write);
    REQUIRE(st.ok());
    auto form = [&](const char* mid, const char* column) {
        return q(*st, std::string("SELECT CASE WHEN typeof(t.") + column +
                          ") = 'text' THEN 0 WHEN length(t." + column +
                          ") = 0 THEN 2 ELSE 1 END FROM message_text_z t JOIN messages m " +
                          "ON m.id = t.message_id WHERE m.mid = '" + mid + "'");
    };
    // 2: the marker (derived from the raw message), 1: a zstd BLOB, 0: TEXT.
    CHECK(form("plain@x", "headers") == 2);
    CHECK(form("plain@x", "body") == 2);
    CHECK(form("long@x", "headers") == 2);
    CHECK(form("long@x", "body") == 1);
    CHECK(form("short@x", "body") == 0);
    auto read = st->db().prepare("SELECT t.body, t.headers FROM messages m JOIN message_text t "
                                 "ON t.message_id = m.id WHERE m.mid = ?");
    REQUIRE(read.ok());
    auto text = [&](const char* mid, int column) {
        read->reset();
        read->bind(1, std::string(mid));
        auto r = read->step();
        return r.ok() && *r ? read->text(column) : std::string("(no row)");
    };
    CHECK(text("plain@x", 0) == "Hello,\n>From the start.\n");
    CHECK(text("plain@x", 1).find("Subject: caf\u00e9 plain\n") != std::string::npos);
    CHECK(text("plain@x", 1).find("Message-ID: <plain@x>\n") != std::string::npos);
    CHECK(text("long@x", 0) == qp_text);
    CHECK(text("long@x", 1).find("Subject: long\n") != std::string::npos);
    CHECK(text("short@x", 0) == "x = y\n");
    read->reset();
    CHECK(q(*st, "SELECT count(*) FROM message_text WHERE body LIKE '%line 3 of a long%'") == 1);
    CHECK(q(*st, "SELECT count(*) FROM message_text WHERE body LIKE '%From the start%'") == 1);
    // Deleting and inserting through the view (other writers' statements) reach the table.
    const int64_t id = q(*st, "SELECT id FROM messages WHERE mid = 'long@x'");
    const std::string where = " WHERE message_id = " + std::to_string(id);
    REQUIRE(st->db().exec("DELETE FROM message_text" + where).ok());
    CHECK(q(*st, "SELECT count(*) FROM message_text_z" + where) == 0);
    REQUIRE(st->db().exec("INSERT INTO message_text(message_id, headers, body) VALUES (" +
                          std::to_string(id) + ", 'H: v', 'plain')").ok());
    CHECK(q(*st, "SELECT count(*) FROM message_text" + where + " AND body = 'plain'") == 1);
    // A damaged raw message behind a marker is an error, not empty text.
    const int64_t pid = q(*st, "SELECT id FROM messages WHERE mid = 'plain@x'");
    REQUIRE(st->db()
                .exec("UPDATE message_raw SET codec = 1, raw = x'00112233' WHERE message_id = " +
                      std::to_string(pid))
                .ok());
    auto bad = st->db().prepare("SELECT body FROM message_text WHERE message_id = ?");
    REQUIRE(bad.ok());
    bad->bind(1, pid);
    auto r = bad->step();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("damaged") != std::string::npos);
}

TEST_CASE("addresses are kept in the message's text row and read back through "
          "message_addresses in header order",
          "[import]") {
    TempDir t;
    // "reply@x" comes first and names "late@x", which arrives after it.
    const std::string to =
        "To: =?utf-8?q?Z=C3=BCrich_=22Q=22?= <Z@Example.org>, plain@example.org,\n"
        " \"Back \\\\ Slash\" <back@example.org>\n"
        "Cc: cc@example.org\nReply-To: Replies <r@example.org>\n"
        "In-Reply-To: <late@x>\n";
    write_file(t / "a.mbox", msg("reply@x", "Re: hello", to) + msg("late@x", "hello"));
    ImportSummary s;
    REQUIRE(run_import(opts_for(t, "l"), {t / "a.mbox"}, s).ok());
    REQUIRE(s.stored == 2);
    auto st = Store::open(t / "archive", Store::Mode::read_write);
    REQUIRE(st.ok());
    auto rows = [&](const char* mid) {
        auto r = st->db().prepare(
            "SELECT a.role || ' ' || a.position || ' ' || a.address || ' [' || a.name || ']' "
            "FROM message_addresses a JOIN messages m ON m.id = a.message_id WHERE m.mid = ? "
            "ORDER BY a.role, a.position");
        REQUIRE(r.ok());
        r->bind(1, std::string(mid));
        std::vector<std::string> out;
        REQUIRE(
            sql::for_each_row(*r, [&](const sql::Stmt& row) { out.push_back(row.text(0)); }).ok());
        return out;
    };
    // msg() writes "To: list@example.org"; the second To field's addresses
    // follow it.
    const std::vector<std::string> want = {"cc 0 cc@example.org []",
                                           "from 0 alice@example.org [Alice]",
                                           "reply-to 0 r@example.org [Replies]",
                                           "to 0 list@example.org []",
                                           "to 1 z@example.org [Z\u00fcrich \"Q\"]",
                                           "to 2 plain@example.org []",
                                           "to 3 back@example.org [Back \\ Slash]"};
    CHECK(rows("reply@x") == want);
    CHECK(rows("late@x") ==
          std::vector<std::string>{"from 0 alice@example.org [Alice]", "to 0 list@example.org []"});
    // One JSON text per message, in the message's text row.
    CHECK(q(*st, "SELECT count(*) FROM message_text_z WHERE json_valid(addresses)") == 2);
    CHECK(q(*st, "SELECT count(*) FROM sqlite_master WHERE name = 'message_addresses' AND "
                 "type = 'view'") == 1);
    // Every stored message's own thread node points at it, the late parent's too.
    CHECK(q(*st, "SELECT count(*) FROM messages m JOIN thread_nodes n ON n.mid = m.mid "
                 "WHERE n.message_id = m.id") == 2);
    CHECK(q(*st, "SELECT count(*) FROM thread_nodes WHERE message_id IS NULL") == 0);
}

TEST_CASE("deliverable mentions are looked for only in the registry's lists", "[import]") {
    TempDir t;
    // The built-in registry (FG-DPM) names D3.2; "l" is not one of its lists.
    write_file(t / "a.mbox", msg("d1@x", "Comments on D3.2", "", "See D3.2 please.\n"));
    ImportSummary s;
    REQUIRE(run_import(opts_for(t, "l"), {t / "a.mbox"}, s).ok());
    {
        auto st = Store::open(t / "archive", Store::Mode::read_only);
        REQUIRE(st.ok());
        CHECK(q(*st, "SELECT count(*) FROM deliverable_mentions") == 0);
    }
    // The same message cross-posted to a registry list gets its mentions then.
    ImportSummary s2;
    REQUIRE(run_import(opts_for(t, "fgdpmwg3"), {t / "a.mbox"}, s2).ok());
    CHECK(s2.duplicates == 1);
    auto st = Store::open(t / "archive", Store::Mode::read_only);
    REQUIRE(st.ok());
    CHECK(q(*st, "SELECT count(*) FROM deliverable_mentions WHERE deliverable_id = 'D3.2'") >= 1);
}
