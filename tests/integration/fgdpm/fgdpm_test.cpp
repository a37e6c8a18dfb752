// The FG-DPM job end to end on the generated sample archive: imports the six
// mboxes and the rosters, then checks the report's figures against the final
// report (991 emails, 732 subscribers in 2017-07-19..2019-07-15), the per-list
// consistency, roster problems (reported with line numbers, not counted), the
// precision and recall of the deliverable links against truth.tsv, that
// `mlarc links --summary` marks D2.3 and D5.4 as never discussed, the links
// formats, `links --rescan` after a registry change (and the index following
// it), the alias file in the poster counts, and the whole sample imported as
// one mixed mbox by List-Id giving the same figures.
#include "test_support.hpp"

#include "ingest/importer.hpp"
#include "registry/registry.hpp"
#include "report/report.hpp"
#include "report/subscribers.hpp"
#include "util/date.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>
#include <utility>

namespace fs = std::filesystem;
using namespace mlarc;

namespace {

const char* const k_lists[] = {"fgdpm", "fgdpmwg1", "fgdpmwg2", "fgdpmwg3", "fgdpmwg4", "fgdpmwg5"};

fs::path generator_path() {
    // MLARC_TEST_BINARY is <build>/cli/mlarc.
    return fs::path(MLARC_TEST_BINARY).parent_path().parent_path() / "data" / "generator" /
           "mlarc-sample-gen";
}

std::string run_capture(const std::string& cmd, int& rc) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) {
        rc = -1;
        return out;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    rc = pclose(p);
    return out;
}

/// The sample, generated and imported once per test run.
struct Sample {
    test::TempDir dir;
    fs::path sample, archive;
    std::vector<RosterImportResult> rosters;
    bool ok = false;

    Sample() : sample(dir / "sample"), archive(dir / "archive") {
        const std::string cmd = generator_path().string() + " --out " + sample.string() + " --jobs 1 >/dev/null";
        if (std::system(cmd.c_str()) != 0) return;
        for (const char* list : k_lists) {
            ImportOptions o;
            o.archive = archive;
            o.list = list;
            o.progress = false;
            o.jobs = 2;
            ImportSummary s;
            if (!run_import(o, {sample / (std::string(list) + ".mbox")}, s).ok()) return;
        }
        auto store = Store::open(archive, Store::Mode::read_write);
        if (!store.ok()) return;
        std::vector<fs::path> files(fs::directory_iterator(sample / "rosters"), {});
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            auto [list, date] = roster_name_hint(f);
            auto r = import_roster(*store, list, date, f);
            if (!r.ok()) return;
            rosters.push_back(std::move(*r));
        }
        ok = true;
    }
};

Sample& sample() {
    static Sample s;
    return s;
}

int64_t day(const char* d, bool end) {
    return *parse_user_date(d, 0, end);
}

/// The final report's window, 2017-07-19 .. 2019-07-15.
ReportOptions window() {
    ReportOptions o;
    o.since = day("2017-07-19", false);
    o.until = day("2019-07-15", true);
    return o;
}

} // namespace

TEST_CASE("report figures on the sample match the final report", "[fgdpm]") {
    auto& s = sample();
    REQUIRE(s.ok);
    auto store = Store::open(s.archive, Store::Mode::read_only);
    REQUIRE(store.ok());
    ReportOptions o = window();
    auto r = build_report(*store, o);
    REQUIRE(r.ok());
    CHECK(r->emails == 991);
    CHECK(r->subscribers == 732);
    CHECK(r->deliveries == 991 + 40); // the 40 cross-posts count once per list
    int64_t sum = 0, month_emails = 0;
    for (const auto& l : r->lists) sum += l.deliveries;
    CHECK(sum == r->deliveries);
    CHECK(r->emails <= r->deliveries);
    for (const auto& m : r->months) month_emails += m.emails;
    CHECK(month_emails == r->emails);
    CHECK(r->threads_started + r->replies == r->emails);
    CHECK(r->threads_started > 0);
    CHECK(r->busiest.size() == 10);
    CHECK(r->posters > 0);

    // The binary prints the same figures.
    int rc = 0;
    auto out = run_capture(std::string(MLARC_TEST_BINARY) + " report --archive " + s.archive.string() +
                               " --since 2017-07-19 --until 2019-07-15 --format json --chart " +
                               (s.dir / "chart.svg").string(),
                           rc);
    CHECK(rc == 0);
    CHECK(out.find("\"emails\":991") != std::string::npos);
    CHECK(out.find("\"subscribers\":732") != std::string::npos);
    auto svg = test::read_file(s.dir / "chart.svg");
    CHECK(svg.find("<svg") != std::string::npos);
    CHECK(svg.find("<script") == std::string::npos);
    CHECK(out.rfind("{\"format_version\":1,", 0) == 0);
    auto html = run_capture(std::string(MLARC_TEST_BINARY) + " report --archive " + s.archive.string() +
                                " --since 2017-07-19 --until 2019-07-15 --format html",
                            rc);
    CHECK(rc == 0);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("<tr><td>emails (distinct)</td><td>991</td></tr>") != std::string::npos);
    CHECK(html.find("<tr><td>subscribers (distinct)</td><td>732</td></tr>") != std::string::npos);
    CHECK(html.find("<svg") != std::string::npos);
    CHECK(html.find("<?xml") == std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
}

TEST_CASE("roster problems are reported with line numbers and not counted", "[fgdpm]") {
    auto& s = sample();
    REQUIRE(s.ok);
    bool saw_not_address = false, saw_at = false;
    for (const auto& r : s.rosters)
        for (const auto& p : r.problems) {
            CHECK(p.line > 0);
            if (p.text.find("not-an-address") != std::string::npos) saw_not_address = r.list == "fgdpmwg1";
            if (p.text.find("jean.dupont(at)orange.com") != std::string::npos) saw_at = r.list == "fgdpm";
        }
    CHECK(saw_not_address);
    CHECK(saw_at);
    auto store = Store::open(s.archive, Store::Mode::read_only);
    REQUIRE(store.ok());
    auto c = count_subscribers(*store, "2019-07-15", {});
    REQUIRE(c.ok());
    CHECK(c->distinct == 732);
    auto older = count_subscribers(*store, "2018-07-01", {"fgdpm", "fgdpmwg3"});
    REQUIRE(older.ok());
    REQUIRE(older->snapshots.size() == 2);
    CHECK(older->snapshots[0].second == "2018-01-31");
    CHECK(older->snapshots[1].second == "2018-06-30");

    // Re-importing a snapshot replaces it: the counts do not change.
    auto rw = Store::open(s.archive, Store::Mode::read_write);
    REQUIRE(rw.ok());
    const auto f = s.sample / "rosters" / "fgdpmwg1-2019-07-15.txt";
    auto again = import_roster(*rw, "fgdpmwg1", "2019-07-15", f);
    REQUIRE(again.ok());
    CHECK(again->replaced);
    auto after = count_subscribers(*rw, "2019-07-15", {});
    REQUIRE(after.ok());
    CHECK(after->distinct == 732);
}

TEST_CASE("deliverable links match truth.tsv", "[fgdpm]") {
    auto& s = sample();
    REQUIRE(s.ok);
    std::set<std::pair<std::string, std::string>> truth, found;
    bool header = true;
    for (const auto& line : split(test::read_file(s.sample / "truth.tsv"), '\n', true)) {
        if (std::exchange(header, false)) continue;
        auto f = split(line, '\t');
        REQUIRE(f.size() >= 2);
        truth.emplace(f[0], f[1]);
    }
    REQUIRE(!truth.empty());
    auto store = Store::open(s.archive, Store::Mode::read_only);
    REQUIRE(store.ok());
    auto q = store->db().prepare("SELECT DISTINCT m.mid, d.deliverable_id FROM deliverable_mentions d "
                                 "JOIN messages m ON m.id = d.message_id");
    REQUIRE(q.ok());
    while (*q->step()) found.emplace(q->text(0), q->text(1));
    size_t hits = 0;
    for (const auto& p : found) hits += truth.count(p);
    const double precision = found.empty() ? 0 : static_cast<double>(hits) / static_cast<double>(found.size());
    const double recall = static_cast<double>(hits) / static_cast<double>(truth.size());
    WARN("links: " << found.size() << " found, " << truth.size() << " true, precision " << precision
                   << ", recall " << recall);
    CHECK(precision >= 0.95);
    CHECK(recall >= 0.95);

    int rc = 0;
    auto out = run_capture(std::string(MLARC_TEST_BINARY) + " links --summary --archive " +
                               s.archive.string(),
                           rc);
    CHECK(rc == 0);
    for (const auto& line : split(out, '\n', true)) {
        const bool never = line.find("NEVER DISCUSSED") != std::string::npos;
        if (line.rfind("D2.3\t", 0) == 0 || line.rfind("D5.4\t", 0) == 0) CHECK(never);
        else CHECK_FALSE(never);
    }
    auto d32 = run_capture(std::string(MLARC_TEST_BINARY) + " links --deliverable d3.2 --archive " +
                               s.archive.string(),
                           rc);
    CHECK(rc == 0);
    CHECK(d32.find("D3.2 ") == 0);
}

TEST_CASE("links in every format, JSON versioned", "[fgdpm][links]") {
    auto& s = sample();
    REQUIRE(s.ok);
    const std::string base = std::string(MLARC_TEST_BINARY) + " links --archive " + s.archive.string();
    int rc = 0;
    const auto json = run_capture(base + " --summary --format json", rc);
    CHECK(rc == 0);
    CHECK(json.rfind("{\"format_version\":1,\"view\":\"summary\"", 0) == 0);
    CHECK(json.find("{\"deliverable\":\"D2.3\",\"messages\":0,\"threads\":0,\"first\":null,\"last\":null,") !=
          std::string::npos);
    CHECK(json.find("\"status\":\"NEVER DISCUSSED\"") != std::string::npos);
    const auto csv = run_capture(base + " --summary --format csv", rc);
    CHECK(rc == 0);
    CHECK(csv.rfind("deliverable,messages,threads,first,last,title,status\n", 0) == 0);
    CHECK(split(csv, '\n', true).size() == 19); // header + 18 deliverables
    const auto md = run_capture(base + " --deliverable D3.2 --format md", rc);
    CHECK(rc == 0);
    CHECK(md.rfind("## D3.2 ", 0) == 0);
    CHECK(md.find("| thread | first | last | messages | participants | mentioning | subject |") !=
          std::string::npos);
    // The thread view, on the first thread of D3.2.
    const auto threads = run_capture(base + " --deliverable D3.2 --format csv", rc);
    const auto rows = split(threads, '\n', true);
    REQUIRE(rows.size() >= 2);
    const std::string thread = split(rows[1], ',')[0];
    const auto ev = run_capture(base + " --thread " + thread + " --format json", rc);
    CHECK(rc == 0);
    CHECK(ev.rfind("{\"format_version\":1,\"view\":\"thread\"", 0) == 0);
    CHECK(ev.find("\"deliverable\":\"D3.2\"") != std::string::npos);
    run_capture(base + " --summary --format xml 2>/dev/null", rc);
    CHECK(rc != 0);
    run_capture(base + " --summary --rescan 2>/dev/null", rc);
    CHECK(rc != 0);
}

TEST_CASE("links --rescan follows a registry change, bumps change_seq, is idempotent",
          "[fgdpm][links][rescan]") {
    auto& s = sample();
    REQUIRE(s.ok);
    const std::string archive = s.archive.string();
    const std::string bin = MLARC_TEST_BINARY;
    int rc = 0;
    run_capture(bin + " index --archive " + archive + " >/dev/null 2>&1", rc);
    REQUIRE(rc == 0);
    auto count = [&](const std::string& q) {
        int c = 0;
        auto out = run_capture(bin + " count --archive " + archive + " '" + q + "'", c);
        REQUIRE(c == 0);
        return std::stoll(std::string(trim(out)));
    };
    const auto d32 = count("doc:D3.2");
    CHECK(d32 > 0);

    // Right after import, a rescan finds exactly what the import stored.
    auto same = run_capture(bin + " links --rescan --archive " + archive + " --format json", rc);
    CHECK(rc == 0);
    CHECK(same.find("\"changed\":0") != std::string::npos);

    // The user's registry without D3.2: its mentions go, the index follows.
    const fs::path reg = s.archive / "registry";
    fs::create_directories(reg);
    for (const auto& e : fs::directory_iterator(default_registry_dir()))
        if (e.path().extension() == ".tsv") fs::copy_file(e.path(), reg / e.path().filename());
    std::string kept;
    for (const auto& line : split(test::read_file(reg / "deliverables.tsv"), '\n', true))
        if (line.rfind("D3.2\t", 0) != 0) kept += line + "\n";
    test::write_file(reg / "deliverables.tsv", kept);
    int64_t seq_before = 0;
    {
        auto st = Store::open(s.archive, Store::Mode::read_only);
        REQUIRE(st.ok());
        seq_before = *st->change_seq();
    }
    auto changed = run_capture(bin + " links --rescan --archive " + archive + " --format json", rc);
    CHECK(rc == 0);
    CHECK(changed.find("\"changed\":0") == std::string::npos);
    {
        auto st = Store::open(s.archive, Store::Mode::read_only);
        REQUIRE(st.ok());
        CHECK(*st->change_seq() == seq_before + 1);
        auto q = st->db().prepare("SELECT (SELECT count(*) FROM deliverable_mentions WHERE "
                                  "deliverable_id = 'D3.2'), (SELECT count(*) FROM messages WHERE "
                                  "change_seq = ?1)");
        REQUIRE(q.ok());
        q->bind(1, seq_before + 1);
        REQUIRE(*q->step());
        CHECK(q->int64(0) == 0);
        CHECK(q->int64(1) > 0);
    }
    CHECK(count("doc:D3.2") == 0);
    auto again = run_capture(bin + " links --rescan --archive " + archive + " --format json", rc);
    CHECK(rc == 0);
    CHECK(again.find("\"changed\":0") != std::string::npos);

    // Back to the full registry: the links and the index come back as imported.
    fs::remove_all(reg);
    run_capture(bin + " links --rescan --archive " + archive + " >/dev/null", rc);
    CHECK(rc == 0);
    CHECK(count("doc:D3.2") == d32);
}

TEST_CASE("the alias file merges one person's addresses in the poster counts", "[fgdpm][aliases]") {
    auto& s = sample();
    REQUIRE(s.ok);
    auto store = Store::open(s.archive, Store::Mode::read_only);
    REQUIRE(store.ok());
    ReportOptions o = window();
    auto plain = build_report(*store, o);
    REQUIRE(plain.ok());
    // Two posters of different organisations; the first becomes the second's alias.
    auto q = store->db().prepare(
        "WITH p AS (SELECT DISTINCT lower(from_addr) AS addr FROM messages WHERE from_addr LIKE "
        "'%@%' AND date_utc BETWEEN ?1 AND ?2) "
        "SELECT (SELECT min(addr) FROM p), (SELECT max(addr) FROM p)");
    REQUIRE(q.ok());
    q->bind(1, o.since).bind(2, o.until);
    REQUIRE(*q->step());
    const std::string alias = q->text(0), person = q->text(1);
    REQUIRE(alias.substr(alias.find('@')) != person.substr(person.find('@')));
    auto domain_posters = [](const Report& r, const std::string& addr) {
        for (const auto& org : r.organisations)
            if (org.domain == addr.substr(addr.find('@') + 1)) return org.posters;
        return int64_t{0};
    };
    o.aliases = {{alias, person}};
    auto merged = build_report(*store, o);
    REQUIRE(merged.ok());
    CHECK(merged->posters == plain->posters - 1);
    CHECK(merged->emails == plain->emails);
    CHECK(domain_posters(*merged, alias) == domain_posters(*plain, alias) - 1);
    CHECK(domain_posters(*merged, person) == domain_posters(*plain, person));
    int64_t org_emails = 0;
    for (const auto& org : merged->organisations) org_emails += org.emails;
    CHECK(org_emails == merged->emails);

    // The binary reads the same file with --aliases.
    test::write_file(s.dir / "aliases.tsv", "address\tperson\n" + alias + "\t" + person + "\n");
    int rc = 0;
    auto out = run_capture(std::string(MLARC_TEST_BINARY) + " report --archive " + s.archive.string() +
                               " --since 2017-07-19 --until 2019-07-15 --format json --aliases " +
                               (s.dir / "aliases.tsv").string(),
                           rc);
    CHECK(rc == 0);
    CHECK(out.find("\"posters\":" + std::to_string(merged->posters) + ",") != std::string::npos);
    test::write_file(s.dir / "bad.tsv", "address\tperson\nnot-an-address\tx@y.org\n");
    run_capture(std::string(MLARC_TEST_BINARY) + " report --archive " + s.archive.string() +
                    " --aliases " + (s.dir / "bad.tsv").string() + " 2>&1",
                rc);
    CHECK(rc != 0);
}

TEST_CASE("the whole sample as one mixed mbox imports by List-Id with the same figures",
          "[fgdpm][listid]") {
    auto& s = sample();
    REQUIRE(s.ok);
    std::string mixed;
    for (const char* list : k_lists) mixed += test::read_file(s.sample / (std::string(list) + ".mbox"));
    test::write_file(s.dir / "mixed.mbox", mixed);
    ImportOptions o;
    o.archive = s.dir / "mixed-archive";
    o.progress = false;
    o.jobs = 2;
    ImportSummary sum;
    REQUIRE(run_import(o, {s.dir / "mixed.mbox"}, sum).ok());
    CHECK(sum.quarantined == 0);
    auto mixed_store = Store::open(o.archive, Store::Mode::read_only);
    auto store = Store::open(s.archive, Store::Mode::read_only);
    REQUIRE(mixed_store.ok());
    REQUIRE(store.ok());
    const ReportOptions ro = window();
    auto a = build_report(*mixed_store, ro);
    auto b = build_report(*store, ro);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->emails == 991);
    CHECK(a->deliveries == b->deliveries);
    REQUIRE(a->lists.size() == b->lists.size());
    for (size_t i = 0; i < a->lists.size(); ++i) {
        CHECK(a->lists[i].name == b->lists[i].name);
        CHECK(a->lists[i].deliveries == b->lists[i].deliveries);
    }
}
