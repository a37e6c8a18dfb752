// Deliverable <-> thread links over deliverable_mentions (see links.hpp).
#include "report/links.hpp"

#include "registry/extract.hpp"
#include "util/date.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

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

// ---- rescan ------------------------------------------------------------------

namespace {

/// (deliverable, kind, text, context) of one stored or found mention.
using MentionRow = std::tuple<std::string, std::string, std::string, std::string>;

/// The mentions of one stored message, as the importer finds them.
std::vector<MentionRow> scan_message(const std::string& subject, const std::string& body,
                                     const std::vector<std::string>& attachments,
                                     const std::vector<Deliverable>& deliverables) {
    std::vector<MentionRow> out;
    auto scan = [&](std::string_view text, MentionContext ctx, const char* context) {
        for (auto& m : find_mentions(text, deliverables, ctx))
            out.emplace_back(m.deliverable_id, std::string(mention_kind_name(m.kind)), m.text,
                             context);
    };
    scan(subject, MentionContext::subject, "subject");
    scan(body, MentionContext::body, "body");
    for (const auto& a : attachments) scan(a, MentionContext::attachment_name, "attachment");
    return out;
}

} // namespace

Result<RescanSummary> rescan_mentions(Store& store, const std::vector<Deliverable>& deliverables,
                                      const std::vector<ListEntry>& lists) {
    RescanSummary sum;
    sql::Db& db = store.db();
    MLARC_TRY_STATUS(store.begin_batch());
    auto fail = [&](const Error& e) {
        store.rollback_batch();
        return e;
    };
    // Attachment names and stored mentions of every message, keyed by id.
    std::map<int64_t, std::vector<std::string>> attachments;
    std::map<int64_t, std::vector<MentionRow>> stored;
    {
        auto q = db.prepare("SELECT message_id, filename FROM attachments "
                            "WHERE filename IS NOT NULL AND filename <> '' ORDER BY message_id, part_no");
        if (!q.ok()) return fail(q.error());
        for (;;) {
            auto r = q->step();
            if (!r.ok()) return fail(r.error());
            if (!*r) break;
            attachments[q->int64(0)].push_back(q->text(1));
        }
        auto m = db.prepare("SELECT message_id, deliverable_id, kind, matched_text, context "
                            "FROM deliverable_mentions ORDER BY message_id, rowid");
        if (!m.ok()) return fail(m.error());
        for (;;) {
            auto r = m->step();
            if (!r.ok()) return fail(r.error());
            if (!*r) break;
            stored[m->int64(0)].emplace_back(m->text(1), m->text(2), m->text(3), m->text(4));
            ++sum.mentions_before;
        }
    }
    // Messages in no registry list are scanned with no deliverables: they get
    // no mentions, as at import (ingest/importer.cpp).
    std::set<int64_t> scanned;
    {
        auto q = db.prepare("SELECT DISTINCT ml.message_id, l.name FROM message_lists ml "
                            "JOIN lists l ON l.id = ml.list_id");
        if (!q.ok()) return fail(q.error());
        for (;;) {
            auto r = q->step();
            if (!r.ok()) return fail(r.error());
            if (!*r) break;
            const std::string name = q->text(1);
            if (std::any_of(lists.begin(), lists.end(),
                            [&](const ListEntry& l) { return l.name == name; }))
                scanned.insert(q->int64(0));
        }
    }
    auto msgs = db.prepare("SELECT m.id, m.subject, t.body FROM messages m "
                           "LEFT JOIN message_text t ON t.message_id = m.id ORDER BY m.id");
    auto del = db.prepare("DELETE FROM deliverable_mentions WHERE message_id = ?1");
    auto ins = db.prepare("INSERT INTO deliverable_mentions(message_id, deliverable_id, kind, "
                          "matched_text, context) VALUES(?1,?2,?3,?4,?5)");
    auto bump = db.prepare("UPDATE messages SET change_seq = ?2 WHERE id = ?1");
    if (!msgs.ok()) return fail(msgs.error());
    if (!del.ok()) return fail(del.error());
    if (!ins.ok()) return fail(ins.error());
    if (!bump.ok()) return fail(bump.error());
    static const std::vector<std::string> kNone;
    static const std::vector<MentionRow> kNoRows;
    for (;;) {
        auto r = msgs->step();
        if (!r.ok()) return fail(r.error());
        if (!*r) break;
        ++sum.messages;
        const int64_t id = msgs->int64(0);
        const auto a = attachments.find(id);
        static const std::vector<Deliverable> kNoDeliverables;
        std::vector<MentionRow> found =
            scan_message(msgs->text(1), msgs->text(2), a == attachments.end() ? kNone : a->second,
                         scanned.count(id) ? deliverables : kNoDeliverables);
        sum.mentions_after += static_cast<int64_t>(found.size());
        const auto old = stored.find(id);
        const std::vector<MentionRow>& before = old == stored.end() ? kNoRows : old->second;
        if (found == before) continue;
        ++sum.changed;
        del->reset();
        del->bind(1, id);
        if (auto st = del->run(); !st.ok()) return fail(st.error());
        for (const auto& [deliverable, kind, text, context] : found) {
            ins->reset();
            ins->bind(1, id).bind(2, deliverable).bind(3, kind).bind(4, text).bind(5, context);
            if (auto st = ins->run(); !st.ok()) return fail(st.error());
        }
        bump->reset();
        bump->bind(1, id).bind(2, store.batch_seq());
        if (auto st = bump->run(); !st.ok()) return fail(st.error());
    }
    if (sum.changed == 0) {
        store.rollback_batch(); // nothing to commit: the change number stays
        return sum;
    }
    MLARC_TRY_STATUS(store.commit_batch());
    return sum;
}

// ---- tables ------------------------------------------------------------------

LinksTable deliverable_threads_table(const Deliverable& d, const std::vector<LinkedThread>& threads) {
    LinksTable t{"deliverable",
                 d.id + " " + d.title + ": " + std::to_string(threads.size()) + " threads",
                 {"thread", "first", "last", "messages", "participants", "mentioning", "subject"},
                 {true, false, false, true, true, true, false},
                 {}};
    for (const auto& x : threads)
        t.rows.push_back({std::to_string(x.thread_id), format_date_utc(x.first),
                          format_date_utc(x.last), std::to_string(x.messages),
                          std::to_string(x.participants), std::to_string(x.mentioning), x.subject});
    return t;
}

LinksTable thread_links_table(int64_t thread_id, const std::vector<LinkEvidence>& evidence) {
    std::set<std::string> ids;
    for (const auto& e : evidence) ids.insert(e.deliverable_id);
    LinksTable t{"thread",
                 "thread " + std::to_string(thread_id) + ": " +
                     (ids.empty() ? std::string("mentions no deliverable")
                                  : std::to_string(ids.size()) + " deliverables"),
                 {"deliverable", "date", "message_id", "context", "kind", "text"},
                 {false, false, false, false, false, false},
                 {}};
    for (const auto& e : evidence)
        t.rows.push_back({e.deliverable_id, format_date_utc(e.date), e.mid, e.context, e.kind, e.text});
    return t;
}

LinksTable links_summary_table(const std::vector<DeliverableLinks>& summary) {
    LinksTable t{"summary",
                 "deliverables: " + std::to_string(summary.size()),
                 {"deliverable", "messages", "threads", "first", "last", "title", "status"},
                 {false, true, true, false, false, false, false},
                 {}};
    for (const auto& l : summary) {
        const bool never = l.never_discussed();
        t.rows.push_back({l.id, std::to_string(l.messages), std::to_string(l.threads),
                          never ? "-" : format_date_utc(l.first), never ? "-" : format_date_utc(l.last),
                          l.title, never ? "NEVER DISCUSSED" : ""});
    }
    return t;
}

namespace {

/// A cell for a Markdown table: '|' escaped, line breaks as spaces.
std::string md_cell(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '|') out += "\\|";
        else if (c == '\n' || c == '\r') out += ' ';
        else out += c;
    }
    return out;
}

/// A cell for the text form: tabs and line breaks as spaces (one row, one line).
std::string text_cell(std::string_view s) {
    std::string out(s);
    std::replace_if(out.begin(), out.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
    return out;
}

} // namespace

void write_links(const LinksTable& t, ReportFormat format, std::ostream& out) {
    const size_t n = t.columns.size();
    switch (format) {
    case ReportFormat::text:
        out << t.title << '\n';
        for (size_t i = 0; i < n; ++i) out << (i ? "\t" : "") << t.columns[i];
        out << '\n';
        for (const auto& row : t.rows) {
            size_t last = n; // no trailing empty cells
            while (last > 0 && row[last - 1].empty()) --last;
            for (size_t i = 0; i < last; ++i) out << (i ? "\t" : "") << text_cell(row[i]);
            out << '\n';
        }
        break;
    case ReportFormat::md:
        out << "## " << md_cell(t.title) << "\n\n|";
        for (const auto& c : t.columns) out << ' ' << c << " |";
        out << "\n|";
        for (size_t i = 0; i < n; ++i) out << (t.numeric[i] ? " ---: |" : " --- |");
        out << '\n';
        for (const auto& row : t.rows) {
            out << '|';
            for (const auto& c : row) out << ' ' << md_cell(c) << " |";
            out << '\n';
        }
        break;
    case ReportFormat::csv:
        for (size_t i = 0; i < n; ++i) out << (i ? "," : "") << csv_field(t.columns[i]);
        out << '\n';
        for (const auto& row : t.rows) {
            for (size_t i = 0; i < n; ++i) out << (i ? "," : "") << csv_field(row[i]);
            out << '\n';
        }
        break;
    case ReportFormat::json:
        out << "{\"format_version\":" << kLinksFormatVersion << ",\"view\":\"" << t.view
            << "\",\"title\":\"" << json_escape(t.title) << "\",\"rows\":[";
        for (size_t r = 0; r < t.rows.size(); ++r) {
            out << (r ? "," : "") << '{';
            for (size_t i = 0; i < n; ++i) {
                const std::string& c = t.rows[r][i];
                out << (i ? "," : "") << '"' << t.columns[i] << "\":";
                if (c == "-" && (t.columns[i] == "first" || t.columns[i] == "last")) out << "null";
                else if (t.numeric[i]) out << c;
                else out << '"' << json_escape(c) << '"';
            }
            out << '}';
        }
        out << "]}\n";
        break;
    case ReportFormat::html:
        out << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" << html_escape(t.title)
            << "</title></head>\n<body>\n<h1>" << html_escape(t.title) << "</h1>\n<table>\n<tr>";
        for (const auto& c : t.columns) out << "<th>" << html_escape(c) << "</th>";
        out << "</tr>\n";
        for (const auto& row : t.rows) {
            out << "<tr>";
            for (const auto& c : row) out << "<td>" << html_escape(c) << "</td>";
            out << "</tr>\n";
        }
        out << "</table>\n</body></html>\n";
        break;
    }
}

} // namespace mlarc
