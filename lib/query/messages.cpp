// Whole messages, threads and mbox export from the store (see messages.hpp).
// Every statement is prepared with bound parameters; each reads by primary
// key or by the messages_thread index.
#include "query/messages.hpp"

#include "mbox/reader.hpp"
#include "mime/decode.hpp"
#include "query/archive.hpp"
#include "store/raw_codec.hpp"
#include "store/store.hpp"
#include "util/date.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

namespace mlarc {

namespace {

bool all_digits(std::string_view s) {
    return !s.empty() && s.size() < 19 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view strip_angles(std::string_view v) {
    v = trim(v);
    if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
    return trim(v);
}

/// Removes a leading "name:" when it is one of `prefixes`.
std::string_view strip_prefix(std::string_view v, std::initializer_list<std::string_view> prefixes,
                              bool* stripped = nullptr) {
    for (auto p : prefixes) {
        if (v.size() > p.size() && v.substr(0, p.size()) == p) {
            if (stripped) *stripped = true;
            return v.substr(p.size());
        }
    }
    return v;
}

Result<sql::Stmt> prepare(Archive& a, std::string_view sql) {
    auto s = a.store();
    if (!s.ok()) return s.error();
    return (*s)->db().prepare(sql);
}

/// The single integer of a one-parameter query, or nullopt when no row.
template <typename P>
Result<std::optional<int64_t>> query_one(Archive& a, std::string_view sql, const P& param) {
    auto st = prepare(a, sql);
    if (!st.ok()) return st.error();
    st->bind(1, param);
    auto r = st->step();
    if (!r.ok()) return r.error();
    if (!*r) return std::optional<int64_t>{};
    return std::optional<int64_t>{st->int64(0)};
}

Error no_message(std::string_view id) {
    return make_error(Errc::not_found, "no message " + std::string(id) + " in this archive",
                      "give a message number as `mlarc search --messages` prints it, or a "
                      "Message-ID (with or without <>)");
}

/// asctime-style date of a From_ line: "Thu Jan  1 00:00:00 1970".
std::string from_line_date(int64_t utc) {
    static const char* const kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const CivilTime t = civil_from_utc(utc);
    int64_t days = utc >= 0 ? utc / 86400 : -((-utc + 86399) / 86400);
    const int64_t dow = ((days % 7) + 7) % 7;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s %s %2d %02d:%02d:%02d %lld", kDays[dow],
                  kMonths[(t.month - 1) % 12], t.day, t.hour, t.minute, t.second,
                  static_cast<long long>(t.year));
    return buf;
}

} // namespace

Result<int64_t> resolve_message(Archive& archive, std::string_view id) {
    std::string_view v = trim(id);
    bool as_number = false;
    v = strip_prefix(v, {"docid:"}, &as_number);
    bool as_mid = false;
    v = strip_prefix(v, {"id:", "mid:", "msgid:"}, &as_mid);
    if (trim(v).empty())
        return make_error(Errc::usage, "no message id given",
                          "give a message number or a Message-ID, e.g. 4711 or <x@example.org>");
    if ((as_number || !as_mid) && all_digits(trim(v))) {
        const int64_t n = std::stoll(std::string(trim(v)));
        auto r = query_one(archive, "SELECT id FROM messages WHERE id=?", n);
        if (!r.ok()) return r.error();
        if (*r) return **r;
        if (as_number) return no_message(id);
    }
    const std::string mid(strip_angles(v));
    auto r = query_one(archive, "SELECT id FROM messages WHERE mid=? ORDER BY mid_seq LIMIT 1", mid);
    if (!r.ok()) return r.error();
    if (!*r) return no_message(id);
    return **r;
}

Result<int64_t> resolve_thread(Archive& archive, std::string_view id) {
    std::string_view v = trim(id);
    bool as_thread = false;
    v = strip_prefix(v, {"thread:"}, &as_thread);
    if (all_digits(trim(v))) {
        const int64_t n = std::stoll(std::string(trim(v)));
        auto r = query_one(archive, "SELECT thread_id FROM messages WHERE thread_id=? LIMIT 1", n);
        if (!r.ok()) return r.error();
        if (*r) return **r;
        if (as_thread)
            return make_error(Errc::not_found, "no thread " + std::string(trim(v)) + " in this archive",
                              "thread ids are the numbers `mlarc search` prints first on each line");
    }
    auto m = resolve_message(archive, v);
    if (!m.ok()) return m.error();
    auto r = query_one(archive, "SELECT thread_id FROM messages WHERE id=?", *m);
    if (!r.ok()) return r.error();
    if (!*r) return no_message(id);
    return **r;
}

Result<MessageView> read_message(Archive& archive, int64_t id) {
    auto st = prepare(archive,
                      "SELECT m.mid, m.mid_seq, m.thread_id, m.parent_mid, m.parent_reason, "
                      "m.date_utc, m.date_offset, m.date_source, m.from_addr, m.from_name, "
                      "m.subject, m.size, m.flags, t.headers, t.body FROM messages m "
                      "LEFT JOIN message_text t ON t.message_id = m.id WHERE m.id=?");
    if (!st.ok()) return st.error();
    st->bind(1, id);
    auto r = st->step();
    if (!r.ok()) return r.error();
    if (!*r) return no_message(std::to_string(id));
    MessageView m;
    m.id = id;
    m.mid = st->text(0);
    m.mid_seq = st->int64(1);
    m.thread_id = st->int64(2);
    m.parent_mid = st->text(3);
    m.parent_reason = st->text(4);
    m.date_utc = st->int64(5);
    m.date_offset = static_cast<int>(st->int64(6));
    m.date_source = st->text(7);
    m.from = {st->text(9), st->text(8)};
    m.subject = st->text(10);
    m.size = static_cast<uint64_t>(st->int64(11));
    m.flags = static_cast<uint32_t>(st->int64(12));
    m.headers = st->text(13);
    m.body = st->text(14);

    auto addr = prepare(archive, "SELECT role, address, name FROM message_addresses "
                                 "WHERE message_id=? AND role IN ('to','cc','reply-to') "
                                 "ORDER BY role, position");
    if (!addr.ok()) return addr.error();
    addr->bind(1, id);
    for (;;) {
        auto a = addr->step();
        if (!a.ok()) return a.error();
        if (!*a) break;
        const std::string_view role = addr->text_view(0);
        auto& v = role == "to" ? m.to : role == "cc" ? m.cc : m.reply_to;
        v.push_back({addr->text(2), addr->text(1)});
    }
    auto lists = prepare(archive, "SELECT l.name FROM message_lists ml JOIN lists l "
                                  "ON l.id = ml.list_id WHERE ml.message_id=? ORDER BY l.name");
    if (!lists.ok()) return lists.error();
    lists->bind(1, id);
    for (;;) {
        auto a = lists->step();
        if (!a.ok()) return a.error();
        if (!*a) break;
        m.lists.push_back(lists->text(0));
    }
    auto att = prepare(archive, "SELECT part_no, filename, content_type, size FROM attachments "
                                "WHERE message_id=? ORDER BY part_no");
    if (!att.ok()) return att.error();
    att->bind(1, id);
    for (;;) {
        auto a = att->step();
        if (!a.ok()) return a.error();
        if (!*a) break;
        m.attachments.push_back({static_cast<int>(att->int64(0)), att->text(1), att->text(2),
                                 static_cast<uint64_t>(att->int64(3))});
    }
    auto same = prepare(archive, "SELECT id FROM messages WHERE mid=? AND id<>? ORDER BY mid_seq");
    if (!same.ok()) return same.error();
    same->bind(1, m.mid).bind(2, id);
    for (;;) {
        auto a = same->step();
        if (!a.ok()) return a.error();
        if (!*a) break;
        m.same_mid.push_back(same->int64(0));
    }
    return m;
}

namespace {
struct RawRow {
    Escaping escaping = Escaping::none;
    std::string from_line;
    int64_t date_utc = 0;
    std::string message; // unescaped original bytes
};

Result<std::optional<RawRow>> raw_row(sql::Stmt& st, int64_t id) {
    st.bind(1, id);
    auto r = st.step();
    if (!r.ok()) return r.error();
    if (!*r) {
        st.reset();
        return std::optional<RawRow>{};
    }
    RawRow row;
    row.escaping = static_cast<Escaping>(st.int64(0));
    row.from_line = st.text(1);
    auto raw = decode_raw(static_cast<int>(st.int64(2)), st.text_view(4),
                          static_cast<size_t>(st.int64(3)));
    row.date_utc = st.int64(5);
    st.reset();
    if (!raw.ok()) {
        Error e = raw.error();
        e.message = "message " + std::to_string(id) + ": " + e.message;
        return e;
    }
    row.message = unescape(*raw, row.escaping);
    return std::optional<RawRow>{std::move(row)};
}

constexpr std::string_view kRawSql =
    "SELECT r.escaping, r.from_line, r.codec, r.raw_size, r.raw, m.date_utc FROM message_raw r "
    "JOIN messages m ON m.id = r.message_id WHERE r.message_id=?";
} // namespace

Result<std::string> read_raw(Archive& archive, int64_t id) {
    auto st = prepare(archive, kRawSql);
    if (!st.ok()) return st.error();
    auto row = raw_row(*st, id);
    if (!row.ok()) return row.error();
    if (!*row) return no_message(std::to_string(id));
    return std::move((*row)->message);
}

Result<AttachmentData> read_attachment(Archive& archive, int64_t id, int part_no) {
    auto m = read_message(archive, id);
    if (!m.ok()) return m.error();
    AttachmentData a;
    auto it = std::find_if(m->attachments.begin(), m->attachments.end(),
                           [&](const MessageAttachment& x) { return x.part_no == part_no; });
    if (it == m->attachments.end() || part_no < 1)
        return make_error(Errc::not_found, "message " + std::to_string(id) + " has no attachment " +
                                               std::to_string(part_no));
    a.info = *it;
    auto raw = read_raw(archive, id);
    if (!raw.ok()) return raw.error();
    DecodeOptions opts;
    opts.extract_part = part_no;
    auto parsed = decode_message(*raw, opts);
    if (!parsed.ok()) return parsed.error();
    a.bytes = std::move(parsed->extracted);
    return a;
}

Result<ThreadView> read_thread(Archive& archive, int64_t thread_id) {
    struct Node {
        ThreadNodeView view;
        std::string parent;
        std::vector<size_t> children;
        int64_t sort_date = 0;
        bool placed = false;
    };
    std::vector<Node> nodes;
    std::map<std::string, size_t> by_mid; // first content of each Message-ID, or its ghost

    auto st = prepare(archive, "SELECT id, mid, mid_seq, parent_mid, parent_reason, date_utc, "
                               "date_offset, from_addr, from_name, subject FROM messages "
                               "WHERE thread_id=? ORDER BY date_utc, id");
    if (!st.ok()) return st.error();
    st->bind(1, thread_id);
    for (;;) {
        auto r = st->step();
        if (!r.ok()) return r.error();
        if (!*r) break;
        Node n;
        n.view.message_id = st->int64(0);
        n.view.mid = st->text(1);
        n.parent = st->text(3);
        n.view.parent_reason = st->text(4);
        n.view.date_utc = n.sort_date = st->int64(5);
        n.view.date_offset = static_cast<int>(st->int64(6));
        n.view.from = {st->text(8), st->text(7)};
        n.view.subject = st->text(9);
        const bool first_copy = st->int64(2) == 1;
        nodes.push_back(std::move(n));
        if (first_copy || !by_mid.count(nodes.back().view.mid)) by_mid[nodes.back().view.mid] = nodes.size() - 1;
    }
    if (nodes.empty())
        return make_error(Errc::not_found, "no thread " + std::to_string(thread_id) + " in this archive",
                          "thread ids are the numbers `mlarc search` prints first on each line");
    ThreadView out;
    out.thread_id = thread_id;
    out.messages = nodes.size();

    auto gh = prepare(archive, "SELECT mid, parent_mid, parent_reason FROM thread_nodes "
                               "WHERE thread_id=? AND message_id IS NULL ORDER BY mid");
    if (!gh.ok()) return gh.error();
    gh->bind(1, thread_id);
    for (;;) {
        auto r = gh->step();
        if (!r.ok()) return r.error();
        if (!*r) break;
        if (by_mid.count(gh->text(0))) continue;
        Node n;
        n.view.mid = gh->text(0);
        n.parent = gh->text(1);
        n.view.parent_reason = gh->text(2);
        n.sort_date = INT64_MAX;
        nodes.push_back(std::move(n));
        by_mid[nodes.back().view.mid] = nodes.size() - 1;
    }

    std::vector<size_t> roots;
    for (size_t i = 0; i < nodes.size(); ++i) {
        auto p = nodes[i].parent.empty() ? by_mid.end() : by_mid.find(nodes[i].parent);
        if (p == by_mid.end() || p->second == i) roots.push_back(i);
        else nodes[p->second].children.push_back(i);
    }
    // A ghost sorts by its oldest descendant (cycle-safe: depth-limited by
    // the number of nodes).
    std::function<int64_t(size_t, size_t)> oldest = [&](size_t i, size_t budget) -> int64_t {
        int64_t d = nodes[i].view.message_id ? nodes[i].sort_date : INT64_MAX;
        if (budget == 0) return d;
        for (size_t c : nodes[i].children) d = std::min(d, oldest(c, budget - 1));
        return d;
    };
    for (auto& n : nodes)
        if (!n.view.message_id) n.sort_date = INT64_MAX;
    for (size_t i = 0; i < nodes.size(); ++i)
        if (!nodes[i].view.message_id) nodes[i].sort_date = oldest(i, nodes.size());
    auto by_date = [&](size_t a, size_t b) {
        if (nodes[a].sort_date != nodes[b].sort_date) return nodes[a].sort_date < nodes[b].sort_date;
        return nodes[a].view.message_id < nodes[b].view.message_id;
    };
    for (auto& n : nodes) std::sort(n.children.begin(), n.children.end(), by_date);
    std::sort(roots.begin(), roots.end(), by_date);

    std::function<void(size_t, int)> place = [&](size_t i, int depth) {
        if (nodes[i].placed) return;
        nodes[i].placed = true;
        nodes[i].view.depth = depth;
        out.nodes.push_back(nodes[i].view);
        for (size_t c : nodes[i].children) place(c, depth + 1);
    };
    for (size_t r : roots) place(r, 0);
    // Members of a parent loop are reachable from no root: show them from
    // their oldest member.
    std::vector<size_t> rest;
    for (size_t i = 0; i < nodes.size(); ++i)
        if (!nodes[i].placed) rest.push_back(i);
    std::sort(rest.begin(), rest.end(), by_date);
    for (size_t r : rest) place(r, 0);
    return out;
}

Result<ExportReport> export_mbox(Archive& archive, std::span<const int64_t> ids, std::ostream& out) {
    ExportReport rep;
    auto st = prepare(archive, kRawSql);
    if (!st.ok()) return st.error();
    for (int64_t id : ids) {
        auto row = raw_row(*st, id);
        if (!row.ok()) return row.error();
        if (!*row) {
            ++rep.missing;
            continue;
        }
        const RawRow& r = **row;
        std::string chunk = r.from_line.empty() ? "From MAILER-DAEMON " + from_line_date(r.date_utc)
                                                : r.from_line;
        chunk += '\n';
        chunk += escape_mboxrd(r.message);
        const bool crlf = r.message.size() >= 2 && r.message.compare(r.message.size() - 2, 2, "\r\n") == 0;
        if (r.message.empty() || r.message.back() != '\n') chunk += '\n';
        chunk += crlf ? "\r\n" : "\n";
        out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        if (!out)
            return make_error(Errc::io, "cannot write the mbox output",
                              "check the disk space and the output file");
        ++rep.messages;
        rep.bytes += chunk.size();
    }
    out.flush();
    if (!out) return make_error(Errc::io, "cannot write the mbox output", "check the disk space");
    return rep;
}

} // namespace mlarc
