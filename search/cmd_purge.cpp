// `mlarc purge`: removes messages from the archive for takedown requests
// (personal data, spam). Messages are chosen by Message-ID (--mid), by
// message number (--id) or by a search query (--query); without --yes it only
// lists what would go (a dry run). With --yes and a --reason it takes the
// archive writer lock, purges them in one store change (store/purge.hpp:
// rows deleted, thread nodes kept as placeholders, tombstones, purge_log), and
// brings the search index up to date (--no-index to skip) while still holding
// the lock. `mlarc purge --log` prints what was purged, when and why.
#include "cli/commands.hpp"
#include "search/common.hpp"

#include "query/archive.hpp"
#include "store/purge.hpp"
#include "util/date.hpp"
#include "util/lock.hpp"
#include "util/strings.hpp"

#include <iostream>
#include <memory>

namespace mlarc::cli {

namespace {

struct PurgeArgs {
    std::string archive;
    std::vector<std::string> mids;
    std::vector<int64_t> ids;
    std::string query;
    bool yes = false;
    std::string reason;
    bool no_index = false;
    double wait = 0;
    size_t max = 100;
    bool log = false;
    bool quiet = false;
    std::string format = "text";
};

int fail(const Error& e) {
    return report("purge", e);
}

/// Checks the options that do not need the archive. Errors: usage.
Status check_args(const PurgeArgs& a) {
    const bool selects = !a.mids.empty() || !a.ids.empty() || !a.query.empty();
    if (a.log) {
        if (selects || a.yes)
            return make_error(Errc::usage, "--log lists the purge log and takes no selection",
                              "run `mlarc purge --log` on its own");
        return {};
    }
    if (!selects)
        return make_error(Errc::usage, "nothing selected",
                          "choose messages with --mid MESSAGE-ID, --id N or --query TEXT");
    if (!a.query.empty() && trim(a.query).empty())
        return make_error(Errc::usage, "an empty --query would select every message",
                          "give a query such as 'from:spammer@example.com'");
    for (int64_t id : a.ids)
        if (id < 1)
            return make_error(Errc::usage, "bad message number " + std::to_string(id),
                              "message numbers are the positive numbers `mlarc search "
                              "--messages` prints");
    if (a.yes && trim(a.reason).empty())
        return make_error(Errc::usage, "--yes needs a --reason",
                          "say why the messages are purged, e.g. --reason 'takedown request "
                          "2026-12-01 (personal data)'; it is kept in the purge log");
    return {};
}

struct Selection {
    std::vector<int64_t> ids;
    std::string selector; // "mid:X id:N query:TEXT"
};

/// The messages the options name. Errors: not_found for a --mid or --id not
/// in the store; the query's (usage) and the archive's errors.
Result<Selection> select(const PurgeArgs& a, Store& store, Archive& archive) {
    Selection s;
    auto note = [&](const std::string& part) {
        if (!s.selector.empty()) s.selector += ' ';
        s.selector += part;
    };
    for (const auto& mid : a.mids) {
        auto ids = message_ids_for_mid(store, mid);
        if (!ids.ok()) return ids.error();
        if (ids->empty())
            return make_error(Errc::not_found, "no message " + mid + " in this archive",
                              "nothing was purged; check the Message-ID with `mlarc show`");
        s.ids.insert(s.ids.end(), ids->begin(), ids->end());
        note("mid:" + mid);
    }
    if (!a.ids.empty()) {
        auto found = purge_candidates(store, a.ids);
        if (!found.ok()) return found.error();
        for (int64_t id : a.ids) {
            bool here = false;
            for (const auto& c : *found)
                here = here || c.id == id;
            if (!here)
                return make_error(Errc::not_found,
                                  "no message " + std::to_string(id) + " in this archive",
                                  "nothing was purged; message numbers are those `mlarc search "
                                  "--messages` prints");
            s.ids.push_back(id);
            note("id:" + std::to_string(id));
        }
    }
    if (!a.query.empty()) {
        QuerySpec spec;
        spec.text = a.query;
        auto ids = matching_ids(archive, spec, false);
        if (!ids.ok()) return ids.error();
        s.ids.insert(s.ids.end(), ids->begin(), ids->end());
        note("query:" + a.query);
    }
    return s;
}

void print_candidates(const std::vector<PurgeCandidate>& cs, std::ostream& out) {
    for (const auto& c : cs)
        out << c.id << '\t' << format_date_utc(c.date_utc) << '\t' << c.from_addr << '\t'
            << c.subject << "\t<" << c.mid << ">\n";
}

void json_candidates(const std::vector<PurgeCandidate>& cs, std::ostream& out) {
    out << "\"messages\":[";
    for (size_t i = 0; i < cs.size(); ++i) {
        const auto& c = cs[i];
        out << (i ? "," : "") << "{\"id\":" << c.id << ",\"mid\":\"" << json_escape(c.mid)
            << "\",\"mid_seq\":" << c.mid_seq << ",\"thread\":" << c.thread_id << ",\"date\":\""
            << format_iso8601(c.date_utc, 0) << "\",\"from\":\"" << json_escape(c.from_addr)
            << "\",\"subject\":\"" << json_escape(c.subject) << "\",\"size\":" << c.size
            << ",\"lists\":[";
        for (size_t k = 0; k < c.lists.size(); ++k)
            out << (k ? "," : "") << '"' << json_escape(c.lists[k]) << '"';
        out << "]}";
    }
    out << ']';
}

int run_log(const PurgeArgs& a, Archive& archive) {
    auto store = archive.store();
    if (!store.ok()) return fail(store.error());
    auto log = purge_log(**store);
    if (!log.ok()) return fail(log.error());
    if (a.format == "json") {
        std::cout << "{\"purged\":[";
        for (size_t i = 0; i < log->size(); ++i) {
            const auto& e = (*log)[i];
            std::cout << (i ? "," : "") << "{\"id\":" << e.message_id << ",\"mid\":\""
                      << json_escape(e.mid) << "\",\"mid_seq\":" << e.mid_seq
                      << ",\"thread\":" << e.thread_id << ",\"date\":\""
                      << format_iso8601(e.date_utc, 0) << "\",\"lists\":\"" << json_escape(e.lists)
                      << "\",\"reason\":\"" << json_escape(e.reason) << "\",\"selector\":\""
                      << json_escape(e.selector) << "\",\"purged_at\":\""
                      << format_iso8601(e.purged_at, 0) << "\",\"change\":" << e.change_seq << '}';
        }
        std::cout << "]}\n";
        return 0;
    }
    for (const auto& e : *log)
        std::cout << format_iso8601(e.purged_at, 0) << '\t' << e.message_id << "\t<" << e.mid
                  << ">\t" << e.lists << '\t' << e.reason << '\t' << e.selector << '\n';
    if (!a.quiet) std::cout << log->size() << " purged message(s)\n";
    return 0;
}

int run_dry(const PurgeArgs& a, Archive& archive) {
    auto store = archive.store();
    if (!store.ok()) return fail(store.error());
    auto sel = select(a, **store, archive);
    if (!sel.ok()) return fail(sel.error());
    auto cands = purge_candidates(**store, sel->ids);
    if (!cands.ok()) return fail(cands.error());
    if (a.format == "json") {
        std::cout << "{\"dry_run\":true,\"selector\":\"" << json_escape(sel->selector)
                  << "\",\"count\":" << cands->size() << ',';
        json_candidates(*cands, std::cout);
        std::cout << "}\n";
        return 0;
    }
    print_candidates(*cands, std::cout);
    if (cands->empty())
        std::cout << "no message matches: nothing would be purged\n";
    else
        std::cout << cands->size() << " message(s) would be purged (dry run); purge them with "
                  << "--yes --reason TEXT\n";
    return 0;
}

int run_purge(const PurgeArgs& a, const std::string& dir, Archive& archive) {
    // Select and purge under the writer lock, so nothing changes in between;
    // keep it through the index update, as `mlarc import` does.
    auto lock = ArchiveLock::acquire(dir, a.wait);
    if (!lock.ok()) return fail(lock.error());
    auto store = Store::open(dir, Store::Mode::read_write);
    if (!store.ok()) return fail(store.error());
    auto sel = select(a, *store, archive);
    if (!sel.ok()) return fail(sel.error());
    auto cands = purge_candidates(*store, sel->ids);
    if (!cands.ok()) return fail(cands.error());
    if (cands->size() > a.max)
        return fail(
            make_error(Errc::usage,
                       std::to_string(cands->size()) + " messages selected, more than --max " +
                           std::to_string(a.max),
                       "nothing was purged; check the list without --yes, then raise --max"));
    PurgeResult res;
    if (!cands->empty()) {
        std::vector<int64_t> ids;
        for (const auto& c : *cands)
            ids.push_back(c.id);
        auto r =
            purge_messages(*store, ids, PurgeRequest{std::string(trim(a.reason)), sel->selector});
        if (!r.ok()) return fail(r.error());
        res = *r;
    }
    if (a.format == "json") {
        std::cout << "{\"dry_run\":false,\"selector\":\"" << json_escape(sel->selector)
                  << "\",\"purged\":" << res.purged << ",\"placeholders\":" << res.placeholders
                  << ",\"change\":" << res.change_seq << ',';
        json_candidates(*cands, std::cout);
        std::cout << "}\n";
    } else if (!a.quiet) {
        print_candidates(*cands, std::cout);
        if (cands->empty())
            std::cout << "no message matches: nothing purged\n";
        else
            std::cout << "purged " << res.purged << " message(s)"
                      << (res.placeholders ? ", " + std::to_string(res.placeholders) +
                                                 " kept as thread placeholder(s) for their replies"
                                           : std::string())
                      << "\n";
    }
    if (res.purged && !a.no_index)
        return run_index_after_import(dir, a.quiet || a.format == "json");
    return 0;
}

int run(const PurgeArgs& a) {
    if (auto st = check_args(a); !st.ok()) return fail(st.error());
    QueryArgs q;
    q.archive = a.archive;
    const std::string dir = q.archive_dir();
    Archive archive = Archive::at(dir);
    if (a.log) return run_log(a, archive);
    if (!a.yes) return run_dry(a, archive);
    return run_purge(a, dir, archive);
}

} // namespace

void register_purge(CLI::App& app, int& status) {
    auto a = std::make_shared<PurgeArgs>();
    auto* sub = app.add_subcommand(
        "purge", "Remove messages (takedown requests): lists them, purges with --yes --reason");
    lazy_options(sub, [a](CLI::App* s) {
        add_archive_option(s, a->archive);
        s->add_option("--mid", a->mids,
                      "Message-ID to purge, with or without <> (every content stored under it; "
                      "repeatable)");
        s->add_option("--id", a->ids,
                      "Message number to purge (as `mlarc search --messages` "
                      "prints it; repeatable)");
        s->add_option("--query", a->query,
                      "Purge the messages matching this search query (docs/search.md), e.g. "
                      "'from:spammer@example.com'; uses the search index, so run `mlarc index` "
                      "first if you imported with --no-index");
        s->add_flag("--yes", a->yes,
                    "Purge: without it nothing changes and the messages are only listed");
        s->add_option("--reason", a->reason,
                      "Why they are purged (needed with --yes; kept in the purge log)");
        s->add_option("--max", a->max, "Refuse to purge more than this many messages at once")
            ->capture_default_str()
            ->check(CLI::Range(1, 10000000));
        s->add_flag("--no-index", a->no_index, "Do not update the search index afterwards");
        s->add_option("--wait", a->wait, "Wait this many seconds for another writer to finish");
        s->add_flag("--log", a->log, "Print the purge log (what was purged, when, why) and exit");
        s->add_flag("--quiet,-q", a->quiet, "Print nothing but errors (and the JSON)");
        s->add_option("--format", a->format, "Output format: text or json")
            ->check(CLI::IsMember({"text", "json"}))
            ->capture_default_str();
    });
    sub->callback([a, &status] { status = run(*a); });
}

} // namespace mlarc::cli
