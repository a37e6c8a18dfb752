// `mlarc report`: the FG-DPM activity figures over a date range (emails,
// deliveries, threads, posters, organisations, subscribers, busiest threads)
// as text, Markdown, CSV or JSON, optionally with an SVG chart of the
// deliveries per month per list. How each figure is counted: docs/fgdpm.md.
// `mlarc links`: the threads linked to a deliverable, the deliverables a
// thread touched (with the evidence), or a summary over all deliverables, in
// the report's formats; `--rescan` re-derives the stored mentions.
#include "cli/commands.hpp"

#include "report/links.hpp"
#include "report/report.hpp"
#include "util/date.hpp"
#include "util/lock.hpp"

#include <ctime>
#include <filesystem>
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
    std::string aliases;
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
    // One person's addresses: --aliases FILE, else the registry's aliases.tsv.
    if (!a.aliases.empty()) {
        auto al = load_aliases(a.aliases);
        if (!al.ok()) return report_fail("report", al.error());
        o.aliases = std::move(*al);
    } else if (auto dir = find_registry_dir(store->dir()); dir.ok()) {
        auto al = load_aliases_if_present(*dir);
        if (!al.ok()) return report_fail("report", al.error());
        o.aliases = std::move(*al);
    }
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
    bool rescan = false;
    bool no_index = false;
    std::string format = "text";
};

/// Registry of the archive (its registry/ folder, else the built-in one).
Result<Registry> archive_registry(const Store& store) {
    auto dir = find_registry_dir(store.dir());
    if (!dir.ok()) return dir.error();
    return load_registry(*dir);
}

/// `mlarc links --rescan`: re-derives every message's mentions under the
/// archive lock, then brings the index up to date (unless --no-index).
int run_rescan(const LinksArgs& a, ReportFormat format) {
    const std::string dir = a.archive.empty() ? default_archive_dir() : a.archive;
    if (!std::filesystem::exists(std::filesystem::path(dir) / "store.sqlite"))
        return report_fail("links", make_error(Errc::not_found, "no archive in " + dir,
                                               "import mail first: mlarc import --archive " + dir));
    auto lock = ArchiveLock::acquire(dir, 0);
    if (!lock.ok()) return report_fail("links", lock.error());
    auto store = Store::open(dir, Store::Mode::read_write);
    if (!store.ok()) return report_fail("links", store.error());
    auto reg = archive_registry(*store);
    if (!reg.ok()) return report_fail("links", reg.error());
    auto sum = rescan_mentions(*store, reg->deliverables, reg->lists);
    if (!sum.ok()) return report_fail("links", sum.error());
    LinksTable t{"rescan",
                 "rescanned " + std::to_string(sum->messages) + " messages: " +
                     std::to_string(sum->changed) + " changed",
                 {"messages", "changed", "mentions_before", "mentions_after"},
                 {true, true, true, true},
                 {{std::to_string(sum->messages), std::to_string(sum->changed),
                   std::to_string(sum->mentions_before), std::to_string(sum->mentions_after)}}};
    write_links(t, format, std::cout);
    lock->release();
    if (a.no_index || sum->changed == 0) return 0;
    return run_index_after_import(dir, true);
}

int run_links(const LinksArgs& a) {
    const int modes = (a.deliverable.empty() ? 0 : 1) + (a.thread >= 0 ? 1 : 0) +
                      (a.summary ? 1 : 0) + (a.rescan ? 1 : 0);
    if (modes != 1)
        return report_fail("links", make_error(Errc::usage, "give exactly one of --deliverable, "
                                                            "--thread, --summary and --rescan"));
    auto format = parse_report_format(a.format);
    if (!format.ok()) return report_fail("links", format.error());
    if (a.rescan) return run_rescan(a, *format);
    auto store = open_archive(a.archive);
    if (!store.ok()) return report_fail("links", store.error());
    if (a.thread >= 0) {
        auto ev = thread_links(*store, a.thread);
        if (!ev.ok()) return report_fail("links", ev.error());
        write_links(thread_links_table(a.thread, *ev), *format, std::cout);
        return 0;
    }
    auto reg = archive_registry(*store);
    if (!reg.ok()) return report_fail("links", reg.error());
    if (a.summary) {
        auto sum = links_summary(*store, *reg);
        if (!sum.ok()) return report_fail("links", sum.error());
        write_links(links_summary_table(*sum), *format, std::cout);
        return 0;
    }
    const Deliverable* d = reg->find_deliverable(a.deliverable);
    if (!d)
        return report_fail("links", make_error(Errc::usage, "unknown deliverable '" + a.deliverable + "'",
                                               "`mlarc links --summary` lists them, e.g. D3.2"));
    auto threads = deliverable_threads(*store, d->id);
    if (!threads.ok()) return report_fail("links", threads.error());
    write_links(deliverable_threads_table(*d, *threads), *format, std::cout);
    return 0;
}

} // namespace

void register_report(CLI::App& app, int& status) {
    auto a = std::make_shared<ReportArgs>();
    auto* sub = app.add_subcommand("report", "FG-DPM activity figures over a date range");
    sub->add_option("--archive", a->archive, "Archive directory (default $MLARC_ARCHIVE or ./mlarc-data)");
    sub->add_option("--since", a->since, "First day (YYYY-MM-DD, YYYY-MM, YYYY; default: all)");
    sub->add_option("--until", a->until, "Last day, inclusive to its end (default: today)");
    sub->add_option("--list", a->lists, "Only these lists (repeatable)");
    sub->add_option("--format", a->format, "text|md|csv|json|html")->capture_default_str();
    sub->add_option("--chart", a->chart, "Also write an SVG chart of messages per month per list");
    sub->add_option("--aliases", a->aliases,
                    "TSV (address, person) merging one person's addresses for the poster counts "
                    "(default: aliases.tsv of the registry, if present)");
    sub->callback([a, &status] { status = run_report(*a); });

    auto l = std::make_shared<LinksArgs>();
    auto* links = app.add_subcommand("links", "Threads linked to FG-DPM deliverables");
    links->add_option("--archive", l->archive, "Archive directory (default $MLARC_ARCHIVE or ./mlarc-data)");
    links->add_option("--deliverable", l->deliverable, "List the threads mentioning this deliverable (D3.2)");
    links->add_option("--thread", l->thread, "List the deliverables this thread mentions, with evidence");
    links->add_flag("--summary", l->summary,
                    "Every deliverable with its message and thread counts; marks those never discussed");
    links->add_flag("--rescan", l->rescan,
                    "Re-derive all mentions from the stored text with the current registry "
                    "(after replacing deliverables.tsv), then update the index");
    links->add_flag("--no-index", l->no_index, "With --rescan: do not update the search index");
    links->add_option("--format", l->format, "text|md|csv|json|html")->capture_default_str();
    links->callback([l, &status] { status = run_links(*l); });
}

} // namespace mlarc::cli
