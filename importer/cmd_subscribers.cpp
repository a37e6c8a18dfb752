// `mlarc subscribers import|count`: loads list rosters (Mailman `list_members`
// output or CSV exports) as dated snapshots, and counts subscribers per list
// and across lists as of a date. Roster lines that cannot be used are printed
// with their line numbers and are not counted.
#include "cli/commands.hpp"

#include "report/subscribers.hpp"
#include "util/date.hpp"
#include "util/lock.hpp"

#include <ctime>
#include <iostream>
#include <memory>

namespace mlarc::cli {

namespace {

struct SubscriberArgs {
    std::string archive;
    std::vector<std::string> lists;
    std::string as_of;
    std::vector<std::string> paths;
    double wait = 0;
};

std::filesystem::path archive_of(const SubscriberArgs& a) {
    return a.archive.empty() ? default_archive_dir() : a.archive;
}

int fail(std::string_view cmd, const Error& e) {
    std::cerr << "mlarc subscribers " << cmd << ": " << e.what() << '\n';
    return exit_code(e.code);
}

int run_import_rosters(const SubscriberArgs& a) {
    auto dir = archive_of(a);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    auto lock = ArchiveLock::acquire(dir, a.wait);
    if (!lock.ok()) return fail("import", lock.error());
    auto store = Store::open(dir, Store::Mode::read_write);
    if (!store.ok()) return fail("import", store.error());
    if (a.lists.size() > 1)
        return fail("import", make_error(Errc::usage, "give --list once for an import",
                                         "import each list's rosters with its own --list"));
    int rc = 0;
    for (const auto& p : a.paths) {
        auto hint = roster_name_hint(p);
        std::string list = a.lists.empty() ? hint.first : a.lists.front();
        std::string date = a.as_of.empty() ? hint.second : a.as_of;
        if (list.empty() || date.empty()) {
            rc = fail("import", make_error(Errc::usage, p + ": cannot tell the list or the date",
                                           "pass --list NAME and --as-of YYYY-MM-DD"));
            continue;
        }
        auto r = import_roster(*store, list, date, p);
        if (!r.ok()) {
            rc = fail("import", r.error());
            continue;
        }
        std::cout << p << ": list " << r->list << " as of " << r->as_of << ", " << r->members
                  << " subscribers" << (r->replaced ? " (replaced the earlier import)" : "")
                  << ", " << r->problems.size() << " lines skipped\n";
        for (const auto& pr : r->problems)
            std::cout << "  " << p << ':' << pr.line << ": " << pr.reason << ": " << pr.text
                      << '\n';
    }
    return rc;
}

int run_count(const SubscriberArgs& a) {
    auto store = Store::open(archive_of(a), Store::Mode::read_only);
    if (!store.ok()) return fail("count", store.error());
    std::string as_of;
    if (!a.as_of.empty()) {
        auto d = parse_user_date(a.as_of, static_cast<int64_t>(std::time(nullptr)), true);
        if (!d.ok()) return fail("count", d.error());
        as_of = format_date_utc(*d);
    }
    auto c = count_subscribers(*store, as_of, a.lists);
    if (!c.ok()) return fail("count", c.error());
    for (size_t i = 0; i < c->per_list.size(); ++i)
        std::cout << c->per_list[i].first << '\t' << c->per_list[i].second << "\t(roster of "
                  << c->snapshots[i].second << ")\n";
    std::cout << "distinct\t" << c->distinct << '\n';
    return 0;
}

} // namespace

void register_subscribers(CLI::App& app, int& status) {
    auto* sub = app.add_subcommand("subscribers", "Import list rosters and count subscribers");
    sub->require_subcommand(1);

    auto imp = std::make_shared<SubscriberArgs>();
    auto* i = sub->add_subcommand("import", "Import roster files (Mailman list_members or CSV)");
    i->add_option("--archive", imp->archive, "Archive directory (default $MLARC_ARCHIVE or ./mlarc-data)");
    i->add_option("--list", imp->lists,
                  "List the rosters belong to (default: from a file name LIST-YYYY-MM-DD.ext)");
    i->add_option("--as-of", imp->as_of,
                  "Date the roster describes, YYYY-MM-DD (default: from the file name)");
    i->add_option("--wait", imp->wait, "Wait this many seconds for another writer to finish");
    i->add_option("files", imp->paths, "Roster files")->required();
    i->callback([imp, &status] { status = run_import_rosters(*imp); });

    auto cnt = std::make_shared<SubscriberArgs>();
    auto* c = sub->add_subcommand("count", "Count subscribers per list and across lists");
    c->add_option("--archive", cnt->archive, "Archive directory (default $MLARC_ARCHIVE or ./mlarc-data)");
    c->add_option("--as-of", cnt->as_of, "Use each list's latest roster on or before this date");
    c->add_option("--list", cnt->lists, "Only these lists (repeatable)");
    c->callback([cnt, &status] { status = run_count(*cnt); });
}

} // namespace mlarc::cli
