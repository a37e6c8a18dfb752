// The FG-DPM job end to end on the generated sample archive: imports the six
// mboxes and the rosters, then checks the report's figures against the final
// report (991 emails, 732 subscribers in 2017-07-19..2019-07-15), the per-list
// consistency, roster problems (reported with line numbers, not counted), the
// precision and recall of the deliverable links against truth.tsv, and that
// `mlarc links --summary` marks D2.3 and D5.4 as never discussed.
#include "test_support.hpp"

#include "ingest/importer.hpp"
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

} // namespace

TEST_CASE("report figures on the sample match the final report", "[fgdpm]") {
    auto& s = sample();
    REQUIRE(s.ok);
    auto store = Store::open(s.archive, Store::Mode::read_only);
    REQUIRE(store.ok());
    ReportOptions o;
    o.since = day("2017-07-19", false);
    o.until = day("2019-07-15", true);
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
