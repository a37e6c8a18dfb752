// `mlarc report`: the FG-DPM activity figures over a date range (emails,
// deliveries, threads, posters, organisations, subscribers, busiest threads)
// as text, Markdown, CSV or JSON, optionally with an SVG chart of the
// deliveries per month per list. How each figure is counted: docs/fgdpm.md.
// `mlarc links`: the threads linked to a deliverable, the deliverables a
// thread touched (with the evidence), or a summary over all deliverables.
#include "cli/commands.hpp"

#include "report/links.hpp"
#include "report/report.hpp"
#include "util/date.hpp"

#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>

namespace mlarc::cli {

namespace {

struct ReportArgs {
    std::string archive;
    std::string since, until;
    std::vector<std::string> lists;
    std::string format = "text";
    std::string chart;
};

int report_fail(std::string_view cmd, const Error& e) {
    std::cerr << "mlarc " << cmd << ": " << e.what() << '\n';
    return exit_code(e.code);
}

/// Opens the archive read-only; `dir` empty means the default archive.
Result<Store> open_archive(const std::string& dir) {
    return Store::open(dir.empty() ? default_archive_dir() : dir, Store::Mode::read_only);
}

int run_report(const ReportArgs& a) {
    const auto now = static_cast<int64_t>(std::time(nullptr));
    ReportOptions o;
    o.lists = a.lists;
    if (!a.since.empty()) {
        auto d = parse_user_date(a.since, now, false);
        if (!d.ok()) return report_fail("report", d.error());
        o.since = *d;
    }
    auto until = parse_user_date(a.until.empty() ? "today" : a.until, now, true);
    if (!until.ok()) return report_fail("report", until.error());
    o.until = *until;
    auto format = parse_report_format(a.format);
    if (!format.ok()) return report_fail("report", format.error());
    auto store = open_archive(a.archive);
    if (!store.ok()) return report_fail("report", store.error());
    auto r = build_report(*store, o);
    if (!r.ok()) return report_fail("report", r.error());
    write_report(*r, *format, std::cout);
    if (!a.chart.empty()) {
        std::ofstream out(a.chart, std::ios::binary | std::ios::trunc);
        out << report_chart_svg(*r);
        if (!out.flush())
            return report_fail("report", make_error(Errc::io, "cannot write " + a.chart,
                                                    "check the folder exists and is writable"));
    }
    return 0;
}

struct LinksArgs {
    std::string archive;
    std::string deliverable;
    int64_t thread = -1;
    bool summary = false;
};

int print_deliverable_threads(Store& store, const Registry& reg, const std::string& arg) {
    const Deliverable* d = reg.find_deliverable(arg);
    if (!d)
        return report_fail("links", make_error(Errc::usage, "unknown deliverable '" + arg + "'",
                                               "`mlarc links --summary` lists them, e.g. D3.2"));
    auto threads = deliverable_threads(store, d->id);
    if (!threads.ok()) return report_fail("links", threads.error());
    std::cout << d->id << " " << d->title << ": " << threads->size() << " threads\n";
    std::cout << "thread\tfirst\tlast\tmessages\tparticipants\tmentioning\tsubject\n";
    for (const auto& t : *threads)
        std::cout << t.thread_id << '\t' << format_date_utc(t.first) << '\t'
                  << format_date_utc(t.last) << '\t' << t.messages << '\t' << t.participants
                  << '\t' << t.mentioning << '\t' << t.subject << '\n';
    return 0;
}

int print_thread_links(Store& store, int64_t thread) {
    auto ev = thread_links(store, thread);
    if (!ev.ok()) return report_fail("links", ev.error());
    if (ev->empty()) std::cout << "thread " << thread << " mentions no deliverable\n";
    std::string current;
    for (const auto& e : *ev) {
        if (e.deliverable_id != current) {
            current = e.deliverable_id;
            std::cout << current << '\n';
        }
        std::cout << "  " << format_date_utc(e.date) << "  <" << e.mid << ">  " << e.context
                  << ", " << e.kind << ": \"" << e.text << "\"\n";
    }
    return 0;
}

int print_links_summary(Store& store, const Registry& reg) {
    auto sum = links_summary(store, reg);
    if (!sum.ok()) return report_fail("links", sum.error());
    std::cout << "deliverable\tmessages\tthreads\tfirst\tlast\ttitle\n";
    for (const auto& l : *sum) {
        std::cout << l.id << '\t' << l.messages << '\t' << l.threads << '\t';
        if (l.never_discussed()) std::cout << "-\t-\t" << l.title << "\tNEVER DISCUSSED\n";
        else
            std::cout << format_date_utc(l.first) << '\t' << format_date_utc(l.last) << '\t'
                      << l.title << '\n';
    }
    return 0;
}

int run_links(const LinksArgs& a) {
    const int modes = (a.deliverable.empty() ? 0 : 1) + (a.thread >= 0 ? 1 : 0) + (a.summary ? 1 : 0);
    if (modes != 1)
        return report_fail("links", make_error(Errc::usage, "give exactly one of --deliverable, "
                                                            "--thread and --summary"));
    auto store = open_archive(a.archive);
    if (!store.ok()) return report_fail("links", store.error());
    if (a.thread >= 0) return print_thread_links(*store, a.thread);
    auto dir = find_registry_dir(store->dir());
    if (!dir.ok()) return report_fail("links", dir.error());
    auto reg = load_registry(*dir);
    if (!reg.ok()) return report_fail("links", reg.error());
    if (a.summary) return print_links_summary(*store, *reg);
    return print_deliverable_threads(*store, *reg, a.deliverable);
}

} // namespace

void register_report(CLI::App& app, int& status) {
    auto a = std::make_shared<ReportArgs>();
    auto* sub = app.add_subcommand("report", "FG-DPM activity figures over a date range");
    sub->add_option("--archive", a->archive, "Archive directory (default $MLARC_ARCHIVE or ./mlarc-data)");
    sub->add_option("--since", a->since, "First day (YYYY-MM-DD, YYYY-MM, YYYY; default: all)");
    sub->add_option("--until", a->until, "Last day, inclusive to its end (default: today)");
    sub->add_option("--list", a->lists, "Only these lists (repeatable)");
    sub->add_option("--format", a->format, "text|md|csv|json")->capture_default_str();
    sub->add_option("--chart", a->chart, "Also write an SVG chart of messages per month per list");
    sub->callback([a, &status] { status = run_report(*a); });

    auto l = std::make_shared<LinksArgs>();
    auto* links = app.add_subcommand("links", "Threads linked to FG-DPM deliverables");
    links->add_option("--archive", l->archive, "Archive directory (default $MLARC_ARCHIVE or ./mlarc-data)");
    links->add_option("--deliverable", l->deliverable, "List the threads mentioning this deliverable (D3.2)");
    links->add_option("--thread", l->thread, "List the deliverables this thread mentions, with evidence");
    links->add_flag("--summary", l->summary, "Every deliverable with its message and thread counts");
    links->callback([l, &status] { status = run_links(*l); });
}

} // namespace mlarc::cli
