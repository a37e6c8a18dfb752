// Deliverable <-> thread links over deliverable_mentions (see links.hpp).
#include "report/links.hpp"

#include <map>

namespace mlarc {

Result<std::vector<LinkedThread>> deliverable_threads(Store& store,
                                                      const std::string& deliverable_id) {
    auto q = store.db().prepare(
        "WITH hit AS (SELECT m.thread_id, count(DISTINCT m.id) AS n FROM deliverable_mentions d "
        "JOIN messages m ON m.id = d.message_id WHERE d.deliverable_id = ?1 GROUP BY m.thread_id) "
        "SELECT t.thread_id, min(t.date_utc), max(t.date_utc), count(*), "
        "count(DISTINCT lower(t.from_addr)), hit.n, (SELECT x.subject FROM messages x WHERE "
        "x.thread_id = hit.thread_id ORDER BY x.date_utc, x.id LIMIT 1) "
        "FROM hit JOIN messages t ON t.thread_id = hit.thread_id GROUP BY t.thread_id "
        "ORDER BY 2, 1");
    if (!q.ok()) return q.error();
    q->bind(1, deliverable_id);
    std::vector<LinkedThread> out;
    for (;;) {
        auto r = q->step();
        if (!r.ok()) return r.error();
        if (!*r) return out;
        out.push_back({q->int64(0), q->int64(1), q->int64(2), q->int64(3), q->int64(4),
                       q->int64(5), q->text(6)});
    }
}

Result<std::vector<LinkEvidence>> thread_links(Store& store, int64_t thread_id) {
    auto n = store.db().prepare("SELECT count(*) FROM messages WHERE thread_id = ?1");
    if (!n.ok()) return n.error();
    n->bind(1, thread_id);
    auto nr = n->step();
    if (!nr.ok()) return nr.error();
    if (!*nr || n->int64(0) == 0)
        return make_error(Errc::not_found, "no thread " + std::to_string(thread_id),
                          "thread ids are listed by `mlarc links --deliverable ID` and `mlarc report`");
    auto q = store.db().prepare(
        "SELECT d.deliverable_id, m.mid, m.date_utc, d.context, d.kind, d.matched_text "
        "FROM deliverable_mentions d JOIN messages m ON m.id = d.message_id "
        "WHERE m.thread_id = ?1 ORDER BY d.deliverable_id, m.date_utc, m.id, d.rowid");
    if (!q.ok()) return q.error();
    q->bind(1, thread_id);
    std::vector<LinkEvidence> out;
    for (;;) {
        auto r = q->step();
        if (!r.ok()) return r.error();
        if (!*r) return out;
        out.push_back({q->text(0), q->text(1), q->int64(2), q->text(3), q->text(4), q->text(5)});
    }
}

Result<std::vector<DeliverableLinks>> links_summary(Store& store, const Registry& registry) {
    auto q = store.db().prepare(
        "SELECT d.deliverable_id, count(DISTINCT m.id), count(DISTINCT m.thread_id), "
        "min(m.date_utc), max(m.date_utc) FROM deliverable_mentions d "
        "JOIN messages m ON m.id = d.message_id GROUP BY d.deliverable_id");
    if (!q.ok()) return q.error();
    std::map<std::string, DeliverableLinks> found;
    for (;;) {
        auto r = q->step();
        if (!r.ok()) return r.error();
        if (!*r) break;
        found[q->text(0)] = {q->text(0), "", q->int64(1), q->int64(2), q->int64(3), q->int64(4)};
    }
    std::vector<DeliverableLinks> out;
    for (const auto& d : registry.deliverables) {
        DeliverableLinks l;
        if (auto it = found.find(d.id); it != found.end()) l = it->second;
        l.id = d.id;
        l.title = d.title;
        out.push_back(std::move(l));
    }
    return out;
}

} // namespace mlarc
