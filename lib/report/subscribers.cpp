// Roster snapshots and subscriber counts (see subscribers.hpp).
#include "report/subscribers.hpp"

#include "registry/registry.hpp"
#include "util/date.hpp"
#include "util/strings.hpp"

#include <ctime>
#include <fstream>
#include <sstream>

namespace mlarc {

namespace {

int64_t now_seconds() {
    return static_cast<int64_t>(std::time(nullptr));
}

/// The archive's list for `key`, created from the registry's description (or
/// the bare name) when missing.
Result<ListInfo> resolve_list(Store& store, std::string_view key) {
    auto found = store.find_list(key);
    if (!found.ok()) return found.error();
    if (*found) return **found;
    std::string name(key.substr(0, key.find('@')));
    if (name.empty())
        return make_error(Errc::usage, "empty list name", "pass --list NAME, e.g. --list fgdpmwg3");
    ListInfo info;
    info.name = name;
    if (auto dir = find_registry_dir(store.dir()); dir.ok()) {
        if (auto reg = load_registry(*dir); reg.ok()) {
            if (const auto* e = reg->find_list(name)) {
                info.address = e->address;
                info.wg = e->wg;
                info.title = e->title;
            }
        }
    }
    return store.ensure_list(info);
}

Result<std::string> read_whole(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return make_error(Errc::not_found, "roster file not found: " + path.string());
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::unreadable, "cannot read roster file " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

std::string sql_in_clause(std::string_view column, size_t count, int first) {
    if (count == 0) return {};
    std::string s = " AND " + std::string(column) + " IN (";
    for (size_t i = 0; i < count; ++i)
        s += (i ? ",?" : "?") + std::to_string(first + static_cast<int>(i));
    return s + ")";
}

std::pair<std::string, std::string> roster_name_hint(const std::filesystem::path& path) {
    std::string stem = path.stem().string();
    if (stem.size() < 12 || stem[stem.size() - 11] != '-') return {};
    std::string date = stem.substr(stem.size() - 10);
    if (!parse_user_date(date, 0, false).ok() || date.size() != 10 || date[4] != '-') return {};
    return {stem.substr(0, stem.size() - 11), date};
}

Result<RosterImportResult> import_roster(Store& store, std::string_view list,
                                         std::string_view as_of,
                                         const std::filesystem::path& path) {
    auto day = parse_user_date(as_of, now_seconds(), false);
    if (!day.ok() || as_of.size() != 10)
        return make_error(Errc::usage, "bad --as-of date '" + std::string(as_of) + "'",
                          "write the roster's date as YYYY-MM-DD");
    auto content = read_whole(path);
    if (!content.ok()) return content.error();
    auto roster = parse_roster(*content, path.filename().string());
    if (!roster.ok()) return roster.error();
    auto info = resolve_list(store, list);
    if (!info.ok()) return info.error();

    RosterImportResult out;
    out.list = info->name;
    out.as_of = format_date_utc(*day);
    out.problems = roster->problems;
    auto& db = store.db();
    auto tx = sql::Transaction::begin(db);
    if (!tx.ok()) return tx.error();
    auto del = db.prepare("DELETE FROM subscriber_snapshots WHERE list_id=?1 AND as_of=?2");
    if (!del.ok()) return del.error();
    del->bind(1, info->id).bind(2, out.as_of);
    MLARC_TRY_STATUS(del->run());
    out.replaced = db.changes() > 0;
    auto snap = db.prepare("INSERT INTO subscriber_snapshots(list_id, as_of, source_path, "
                           "imported_at) VALUES(?1,?2,?3,?4)");
    if (!snap.ok()) return snap.error();
    snap->bind(1, info->id).bind(2, out.as_of)
        .bind(3, std::filesystem::absolute(path).string()).bind(4, now_seconds());
    MLARC_TRY_STATUS(snap->run());
    out.snapshot_id = db.last_insert_rowid();
    auto ins = db.prepare("INSERT OR IGNORE INTO subscribers(snapshot_id, address, name, "
                          "organisation) VALUES(?1,?2,?3,?4)");
    if (!ins.ok()) return ins.error();
    for (const auto& e : roster->entries) {
        ins->bind(1, out.snapshot_id).bind(2, ascii_lower(e.address)).bind(3, e.name)
            .bind(4, e.organisation);
        MLARC_TRY_STATUS(ins->run());
        out.members += static_cast<size_t>(db.changes());
    }
    MLARC_TRY_STATUS(tx->commit());
    return out;
}

Result<SubscriberCounts> count_subscribers(Store& store, std::string_view as_of,
                                           const std::vector<std::string>& lists) {
    SubscriberCounts out;
    out.as_of = std::string(as_of);
    std::string cutoff = as_of.empty() ? std::string("9999-12-31") : std::string(as_of);
    // The snapshot each list uses: its latest one on or before the cutoff.
    std::string snaps = "WITH snap AS (SELECT s.id, s.list_id, s.as_of FROM subscriber_snapshots s "
                        "WHERE s.as_of = (SELECT max(t.as_of) FROM subscriber_snapshots t "
                        "WHERE t.list_id = s.list_id AND t.as_of <= ?1)) ";
    std::string from = "FROM subscribers sub JOIN snap ON sub.snapshot_id = snap.id "
                       "JOIN lists l ON l.id = snap.list_id WHERE 1" +
                       sql_in_clause("l.name", lists.size(), 2);
    auto bind_all = [&](sql::Stmt& q) {
        q.bind(1, cutoff);
        for (size_t i = 0; i < lists.size(); ++i) q.bind(static_cast<int>(i) + 2, lists[i]);
    };
    auto d = store.db().prepare(snaps + "SELECT count(DISTINCT lower(sub.address)) " + from);
    if (!d.ok()) return d.error();
    bind_all(*d);
    auto r = d->step();
    if (!r.ok()) return r.error();
    if (*r) out.distinct = d->int64(0);
    auto p = store.db().prepare(snaps + "SELECT l.name, snap.as_of, count(*) " + from +
                                " GROUP BY l.name, snap.as_of ORDER BY l.name");
    if (!p.ok()) return p.error();
    bind_all(*p);
    for (;;) {
        auto row = p->step();
        if (!row.ok()) return row.error();
        if (!*row) break;
        out.per_list.emplace_back(p->text(0), p->int64(2));
        out.snapshots.emplace_back(p->text(0), p->text(1));
    }
    return out;
}

} // namespace mlarc
