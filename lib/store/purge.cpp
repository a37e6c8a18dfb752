// Purging messages (see purge.hpp): set-based reads of the candidates, then
// one batch that logs, deletes, tombstones and turns thread nodes into
// placeholders, message by message with cached statements.
#include "store/purge.hpp"

#include "store/rows.hpp"

#include <algorithm>
#include <chrono>

namespace mlarc {

namespace {

int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string strip_angles(std::string_view mid) {
    while (!mid.empty() && (mid.front() == ' ' || mid.front() == '\t'))
        mid.remove_prefix(1);
    while (!mid.empty() && (mid.back() == ' ' || mid.back() == '\t'))
        mid.remove_suffix(1);
    if (mid.size() >= 2 && mid.front() == '<' && mid.back() == '>')
        mid = mid.substr(1, mid.size() - 2);
    return std::string(mid);
}

} // namespace

Result<std::vector<PurgeCandidate>> purge_candidates(Store& store, std::span<const int64_t> ids) {
    std::vector<int64_t> sorted(ids.begin(), ids.end());
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::vector<PurgeCandidate> out;
    auto q = store.db().prepare("SELECT id, mid, mid_seq, thread_id, date_utc, from_addr, subject, "
                                "size FROM messages WHERE id=?");
    if (!q.ok()) return q.error();
    auto l = store.db().prepare("SELECT l.name FROM message_lists ml JOIN lists l ON "
                                "l.id = ml.list_id WHERE ml.message_id=? ORDER BY l.name");
    if (!l.ok()) return l.error();
    for (int64_t id : sorted) {
        q->bind(1, id);
        auto r = q->step();
        if (!r.ok()) return r.error();
        if (!*r) {
            q->reset();
            continue;
        }
        PurgeCandidate c{q->int64(0), q->text(1),  q->int64(2),
                         q->int64(3), q->int64(4), q->text(5),
                         q->text(6),  {},          static_cast<uint64_t>(q->int64(7))};
        q->reset();
        l->bind(1, id);
        MLARC_TRY_STATUS(
            sql::for_each_row(*l, [&](const sql::Stmt& row) { c.lists.push_back(row.text(0)); }));
        l->reset();
        out.push_back(std::move(c));
    }
    return out;
}

Result<std::vector<int64_t>> message_ids_for_mid(Store& store, std::string_view mid) {
    const std::string m = strip_angles(mid);
    if (m.empty())
        return make_error(Errc::usage, "empty Message-ID",
                          "give the Message-ID as `mlarc show` prints it, with or without <>");
    auto q = store.db().prepare("SELECT id FROM messages WHERE mid=? ORDER BY id");
    if (!q.ok()) return q.error();
    q->bind(1, m);
    std::vector<int64_t> out;
    MLARC_TRY_STATUS(
        sql::for_each_row(*q, [&](const sql::Stmt& row) { out.push_back(row.int64(0)); }));
    return out;
}

Result<PurgeResult> purge_messages(Store& store, std::span<const int64_t> ids,
                                   const PurgeRequest& request) {
    if (request.reason.find_first_not_of(" \t\r\n") == std::string::npos)
        return make_error(Errc::usage, "a purge needs a reason",
                          "say why with --reason TEXT (it is kept in the purge log)");
    auto cands = purge_candidates(store, ids);
    if (!cands.ok()) return cands.error();
    sql::Db& db = store.db();
    // Overwrite what is deleted instead of leaving it in free pages.
    MLARC_TRY_STATUS(db.exec("PRAGMA secure_delete=ON"));
    MLARC_TRY_STATUS(store.begin_batch());
    const int64_t seq = store.batch_seq();
    const int64_t now = now_seconds();
    PurgeResult res;
    res.change_seq = seq;
    auto body = [&]() -> Status {
        auto info = db.prepare("SELECT content_hash FROM messages WHERE id=?");
        if (!info.ok()) return info.error();
        auto log = db.prepare("INSERT INTO purge_log(message_id, mid, mid_seq, content_hash, "
                              "thread_id, date_utc, lists, reason, selector, purged_at, "
                              "change_seq) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
        if (!log.ok()) return log.error();
        auto tomb =
            db.prepare("INSERT OR REPLACE INTO tombstones(message_id, change_seq) VALUES(?,?)");
        if (!tomb.ok()) return tomb.error();
        auto ghost = db.prepare("UPDATE thread_nodes SET message_id=NULL WHERE mid=? AND "
                                "message_id=?");
        if (!ghost.ok()) return ghost.error();
        auto replies = db.prepare("SELECT count(*) FROM thread_nodes WHERE parent_mid=?");
        if (!replies.ok()) return replies.error();
        std::vector<sql::Stmt> deletes;
        for (const char* sql : {"DELETE FROM message_text WHERE message_id=?",
                                "DELETE FROM message_raw WHERE message_id=?",
                                "DELETE FROM message_lists WHERE message_id=?",
                                "DELETE FROM attachments WHERE message_id=?",
                                "DELETE FROM deliverable_mentions WHERE message_id=?",
                                "DELETE FROM messages WHERE id=?"}) {
            auto d = db.prepare(sql);
            if (!d.ok()) return d.error();
            deletes.push_back(std::move(*d));
        }
        for (const auto& c : *cands) {
            info->bind(1, c.id);
            auto r = info->step();
            if (!r.ok()) return r.error();
            const std::string hash = *r ? info->text(0) : std::string();
            info->reset();
            std::string lists;
            for (const auto& n : c.lists)
                lists += (lists.empty() ? "" : ",") + n;
            log->bind(1, c.id).bind(2, c.mid).bind(3, c.mid_seq).bind(4, hash).bind(5, c.thread_id);
            log->bind(6, c.date_utc).bind(7, lists).bind(8, request.reason);
            log->bind(9, request.selector).bind(10, now).bind(11, seq);
            MLARC_TRY_STATUS(log->run());
            for (auto& d : deletes) {
                d.bind(1, c.id);
                MLARC_TRY_STATUS(d.run());
            }
            tomb->bind(1, c.id).bind(2, seq);
            MLARC_TRY_STATUS(tomb->run());
            // The node stays, without its message: a placeholder, as for a
            // parent that never reached the archive.
            ghost->bind(1, c.mid).bind(2, c.id);
            MLARC_TRY_STATUS(ghost->run());
            replies->bind(1, c.mid);
            auto k = replies->step();
            if (!k.ok()) return k.error();
            if (*k && replies->int64(0) > 0) ++res.placeholders;
            replies->reset();
            ++res.purged;
        }
        return {};
    };
    if (auto st = body(); !st.ok()) {
        store.rollback_batch();
        return st.error();
    }
    MLARC_TRY_STATUS(store.commit_batch());
    // Best effort: move the overwritten pages into the database file and
    // empty the log (a reader holding an old snapshot can keep it from
    // finishing; the next writer's checkpoint does it then).
    (void)db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return res;
}

Result<std::vector<PurgeLogEntry>> purge_log(Store& store) {
    auto q = store.db().prepare("SELECT message_id, mid, mid_seq, content_hash, thread_id, "
                                "date_utc, lists, reason, selector, purged_at, change_seq "
                                "FROM purge_log ORDER BY id");
    if (!q.ok()) return q.error();
    std::vector<PurgeLogEntry> out;
    MLARC_TRY_STATUS(sql::for_each_row(*q, [&](const sql::Stmt& r) {
        out.push_back(PurgeLogEntry{r.int64(0), r.text(1), r.int64(2), r.text(3), r.int64(4),
                                    r.int64(5), r.text(6), r.text(7), r.text(8), r.int64(9),
                                    r.int64(10)});
    }));
    return out;
}

std::string purge_identity_key(std::string_view mid, std::string_view content_hash) {
    std::string k;
    k.reserve(mid.size() + content_hash.size() + 1);
    k += mid;
    k += '\n';
    k += content_hash;
    return k;
}

Result<std::unordered_set<std::string>> purged_identities(Store& store) {
    auto q = store.db().prepare("SELECT DISTINCT mid, content_hash FROM purge_log");
    if (!q.ok()) return q.error();
    std::unordered_set<std::string> out;
    MLARC_TRY_STATUS(sql::for_each_row(*q, [&](const sql::Stmt& r) {
        out.insert(purge_identity_key(r.text_view(0), r.text_view(1)));
    }));
    return out;
}

Status log_purged(Store& store, int64_t log_id, int64_t purged) {
    auto q = store.db().prepare("UPDATE import_log SET purged=? WHERE id=?");
    if (!q.ok()) return q.error();
    q->bind(1, purged).bind(2, log_id);
    return q->run();
}

} // namespace mlarc
