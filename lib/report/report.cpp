// The FG-DPM activity report: SQL over the store, then text/Markdown/CSV/JSON
// writers and the SVG chart (see report.hpp).
#include "report/report.hpp"

#include "util/date.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <iomanip>
#include <set>
#include <sstream>

namespace mlarc {

namespace {

/// The emails of the report: distinct messages in the range delivered to a
/// selected list. Parameters: ?1 since, ?2 until, ?3.. list names.
std::string selection_cte(const ReportOptions& o) {
    return "WITH sel AS (SELECT DISTINCT m.id, m.thread_id, m.date_utc, lower(m.from_addr) AS addr "
           "FROM messages m JOIN message_lists ml ON ml.message_id = m.id "
           "JOIN lists l ON l.id = ml.list_id WHERE m.date_utc BETWEEN ?1 AND ?2" +
           sql_in_clause("l.name", o.lists.size(), 3) + ") ";
}

/// Deliveries (message_lists rows) in the range for the selected lists.
std::string deliveries_from(const ReportOptions& o) {
    return " FROM messages m JOIN message_lists ml ON ml.message_id = m.id "
           "JOIN lists l ON l.id = ml.list_id WHERE m.date_utc BETWEEN ?1 AND ?2" +
           sql_in_clause("l.name", o.lists.size(), 3);
}

/// Runs `sql` with the report's parameters and calls row(stmt) per result row.
template <typename F>
Status each_row(Store& store, const std::string& sql, const ReportOptions& o, F&& row) {
    auto q = store.db().prepare(sql);
    if (!q.ok()) return q.error();
    q->bind(1, o.since).bind(2, o.until);
    for (size_t i = 0; i < o.lists.size(); ++i) q->bind(static_cast<int>(i) + 3, o.lists[i]);
    for (;;) {
        auto r = q->step();
        if (!r.ok()) return r.error();
        if (!*r) return {};
        row(*q);
    }
}

const char* const k_month_sql = "strftime('%Y-%m', m.date_utc, 'unixepoch')";

} // namespace

Result<Report> build_report(Store& store, const ReportOptions& o) {
    if (o.until < o.since)
        return make_error(Errc::usage, "--until is before --since", "swap the two dates");
    Report r;
    r.since = o.since;
    r.until = o.until;
    const std::string sel = selection_cte(o);
    MLARC_TRY_STATUS(each_row(store, sel + "SELECT count(*) FROM sel", o,
                              [&](sql::Stmt& q) { r.emails = q.int64(0); }));
    // Posters and organisations: From addresses merged by the alias map.
    std::map<std::string, int64_t> per_person; // main address -> emails
    MLARC_TRY_STATUS(each_row(store, sel + "SELECT addr, count(*) FROM sel GROUP BY addr", o,
                              [&](sql::Stmt& q) {
                                  std::string addr = q.text(0);
                                  const auto it = o.aliases.find(addr);
                                  per_person[it == o.aliases.end() ? addr : it->second] +=
                                      q.int64(1);
                              }));
    r.posters = static_cast<int64_t>(per_person.size());
    {
        std::map<std::string, OrgFigures> orgs;
        for (const auto& [addr, emails] : per_person) {
            const size_t at = addr.find('@');
            const std::string domain = at == std::string::npos ? addr : addr.substr(at + 1);
            OrgFigures& f = orgs[domain];
            f.domain = domain;
            ++f.posters;
            f.emails += emails;
        }
        for (auto& [d, f] : orgs) r.organisations.push_back(std::move(f));
        std::stable_sort(r.organisations.begin(), r.organisations.end(),
                         [](const OrgFigures& a, const OrgFigures& b) {
                             return a.posters != b.posters ? a.posters > b.posters : a.emails > b.emails;
                         });
    }
    MLARC_TRY_STATUS(each_row(
        store,
        sel + "SELECT count(*) FROM sel WHERE NOT EXISTS (SELECT 1 FROM messages x WHERE "
              "x.thread_id = sel.thread_id AND (x.date_utc < sel.date_utc OR "
              "(x.date_utc = sel.date_utc AND x.id < sel.id)))",
        o, [&](sql::Stmt& q) { r.threads_started = q.int64(0); }));
    r.replies = r.emails - r.threads_started;

    // Lists: every selected (or known) list, with its deliveries and subscribers.
    auto known = store.lists();
    if (!known.ok()) return known.error();
    for (const auto& l : *known)
        if (o.lists.empty() || std::find(o.lists.begin(), o.lists.end(), l.name) != o.lists.end())
            r.lists.push_back({l.name, 0, 0});
    std::sort(r.lists.begin(), r.lists.end(),
              [](const ListFigures& a, const ListFigures& b) { return a.name < b.name; });
    auto list_entry = [&](const std::string& name) -> ListFigures& {
        for (auto& l : r.lists)
            if (l.name == name) return l;
        r.lists.push_back({name, 0, 0});
        return r.lists.back();
    };
    MLARC_TRY_STATUS(each_row(store, "SELECT l.name, count(*)" + deliveries_from(o) +
                                         " GROUP BY l.name",
                              o, [&](sql::Stmt& q) {
                                  list_entry(q.text(0)).deliveries = q.int64(1);
                                  r.deliveries += q.int64(1);
                              }));
    auto subs = count_subscribers(store, format_date_utc(o.until), o.lists);
    if (!subs.ok()) return subs.error();
    r.subscribers = subs->distinct;
    for (const auto& [name, n] : subs->per_list) list_entry(name).subscribers = n;

    // Months.
    std::map<std::string, MonthFigures> months;
    MLARC_TRY_STATUS(each_row(store,
                              sel + "SELECT strftime('%Y-%m', date_utc, 'unixepoch'), count(*) "
                                    "FROM sel GROUP BY 1",
                              o, [&](sql::Stmt& q) {
                                  auto& m = months[q.text(0)];
                                  m.month = q.text(0);
                                  m.emails = q.int64(1);
                              }));
    MLARC_TRY_STATUS(each_row(store,
                              std::string("SELECT ") + k_month_sql + ", l.name, count(*)" +
                                  deliveries_from(o) + " GROUP BY 1, 2",
                              o, [&](sql::Stmt& q) {
                                  auto& m = months[q.text(0)];
                                  m.month = q.text(0);
                                  m.per_list[q.text(1)] = q.int64(2);
                              }));
    for (auto& [k, m] : months) r.months.push_back(std::move(m));

    MLARC_TRY_STATUS(each_row(
        store,
        sel + "SELECT thread_id, count(*), min(date_utc), max(date_utc), (SELECT x.subject FROM "
              "messages x WHERE x.thread_id = sel.thread_id ORDER BY x.date_utc, x.id LIMIT 1) "
              "FROM sel GROUP BY thread_id ORDER BY 2 DESC, 3, 1 LIMIT " +
            std::to_string(o.top_threads),
        o, [&](sql::Stmt& q) {
            r.busiest.push_back({q.int64(0), q.text(4), q.int64(1), q.int64(2), q.int64(3)});
        }));
    return r;
}

Result<ReportFormat> parse_report_format(std::string_view name) {
    if (name == "text") return ReportFormat::text;
    if (name == "md") return ReportFormat::md;
    if (name == "csv") return ReportFormat::csv;
    if (name == "json") return ReportFormat::json;
    if (name == "html") return ReportFormat::html;
    return make_error(Errc::usage, "unknown report format '" + std::string(name) + "'",
                      "use text, md, csv, json or html");
}

namespace {

struct Total {
    const char* key;
    const char* label;
    int64_t value;
};

std::vector<Total> totals(const Report& r) {
    return {{"emails", "emails (distinct)", r.emails},
            {"deliveries", "list deliveries", r.deliveries},
            {"threads_started", "threads started", r.threads_started},
            {"replies", "replies", r.replies},
            {"posters", "distinct posters", r.posters},
            {"subscribers", "subscribers (distinct)", r.subscribers}};
}

std::vector<std::string> list_names(const Report& r) {
    std::vector<std::string> v;
    for (const auto& l : r.lists) v.push_back(l.name);
    return v;
}

int64_t month_count(const MonthFigures& m, const std::string& list) {
    auto it = m.per_list.find(list);
    return it == m.per_list.end() ? 0 : it->second;
}

void write_text(const Report& r, std::ostream& out, bool md) {
    const auto names = list_names(r);
    const char* h = md ? "## " : "== ";
    out << (md ? "# " : "") << "Mailing-list report " << format_date_utc(r.since) << " .. "
        << format_date_utc(r.until) << "\n\n";
    if (md) out << "| figure | value |\n| --- | ---: |\n";
    for (const auto& t : totals(r)) {
        if (md) out << "| " << t.label << " | " << t.value << " |\n";
        else out << std::left << std::setw(24) << t.label << t.value << '\n';
    }
    out << '\n' << h << "per list\n";
    if (md) out << "\n| list | deliveries | subscribers |\n| --- | ---: | ---: |\n";
    for (const auto& l : r.lists) {
        if (md) out << "| " << l.name << " | " << l.deliveries << " | " << l.subscribers << " |\n";
        else
            out << "  " << std::left << std::setw(12) << l.name << std::right << std::setw(8)
                << l.deliveries << " deliveries" << std::setw(8) << l.subscribers
                << " subscribers\n";
    }
    out << '\n' << h << "per month (emails, then deliveries per list)\n";
    if (md) {
        out << "\n| month | emails |";
        for (const auto& n : names) out << ' ' << n << " |";
        out << "\n| --- | ---: |";
        for (size_t i = 0; i < names.size(); ++i) out << " ---: |";
        out << '\n';
    } else {
        out << "  month     emails";
        for (const auto& n : names) out << ' ' << std::setw(9) << n;
        out << '\n';
    }
    for (const auto& m : r.months) {
        if (md) {
            out << "| " << m.month << " | " << m.emails << " |";
            for (const auto& n : names) out << ' ' << month_count(m, n) << " |";
        } else {
            out << "  " << m.month << std::setw(9) << m.emails;
            for (const auto& n : names) out << ' ' << std::setw(9) << month_count(m, n);
        }
        out << '\n';
    }
    out << '\n' << h << "posters per organisation (mail domain)\n";
    if (md) out << "\n| domain | posters | emails |\n| --- | ---: | ---: |\n";
    for (const auto& o : r.organisations) {
        if (md) out << "| " << o.domain << " | " << o.posters << " | " << o.emails << " |\n";
        else
            out << "  " << std::left << std::setw(28) << o.domain << std::right << std::setw(5)
                << o.posters << " posters" << std::setw(6) << o.emails << " emails\n";
    }
    out << '\n' << h << "busiest threads\n";
    if (md) out << "\n| thread | emails | first | last | subject |\n| ---: | ---: | --- | --- | --- |\n";
    for (const auto& t : r.busiest) {
        if (md)
            out << "| " << t.thread_id << " | " << t.emails << " | " << format_date_utc(t.first)
                << " | " << format_date_utc(t.last) << " | " << t.subject << " |\n";
        else
            out << "  #" << std::left << std::setw(6) << t.thread_id << std::right << std::setw(4)
                << t.emails << "  " << format_date_utc(t.first) << ".." << format_date_utc(t.last)
                << "  " << t.subject << '\n';
    }
}

void write_csv(const Report& r, std::ostream& out) {
    out << "section,key,list,value\n";
    for (const auto& t : totals(r)) out << "total," << t.key << ",," << t.value << '\n';
    for (const auto& l : r.lists) {
        out << "list,deliveries," << csv_field(l.name) << ',' << l.deliveries << '\n';
        out << "list,subscribers," << csv_field(l.name) << ',' << l.subscribers << '\n';
    }
    for (const auto& m : r.months) {
        out << "month," << m.month << ",," << m.emails << '\n';
        for (const auto& [n, c] : m.per_list) out << "month," << m.month << ',' << csv_field(n) << ',' << c << '\n';
    }
    for (const auto& o : r.organisations) {
        out << "organisation_posters," << csv_field(o.domain) << ",," << o.posters << '\n';
        out << "organisation_emails," << csv_field(o.domain) << ",," << o.emails << '\n';
    }
    for (const auto& t : r.busiest)
        out << "thread," << t.thread_id << ',' << csv_field(t.subject) << ',' << t.emails << '\n';
}

void write_json(const Report& r, std::ostream& out) {
    out << "{\"format_version\":" << kReportFormatVersion << ",\"since\":\"" << format_date_utc(r.since) << "\",\"until\":\""
        << format_date_utc(r.until) << '"';
    for (const auto& t : totals(r)) out << ",\"" << t.key << "\":" << t.value;
    out << ",\"lists\":[";
    for (size_t i = 0; i < r.lists.size(); ++i)
        out << (i ? "," : "") << "{\"name\":\"" << json_escape(r.lists[i].name)
            << "\",\"deliveries\":" << r.lists[i].deliveries << ",\"subscribers\":"
            << r.lists[i].subscribers << '}';
    out << "],\"months\":[";
    for (size_t i = 0; i < r.months.size(); ++i) {
        out << (i ? "," : "") << "{\"month\":\"" << r.months[i].month << "\",\"emails\":"
            << r.months[i].emails << ",\"lists\":{";
        bool first = true;
        for (const auto& [n, c] : r.months[i].per_list) {
            out << (first ? "" : ",") << '"' << json_escape(n) << "\":" << c;
            first = false;
        }
        out << "}}";
    }
    out << "],\"organisations\":[";
    for (size_t i = 0; i < r.organisations.size(); ++i)
        out << (i ? "," : "") << "{\"domain\":\"" << json_escape(r.organisations[i].domain)
            << "\",\"posters\":" << r.organisations[i].posters << ",\"emails\":"
            << r.organisations[i].emails << '}';
    out << "],\"busiest_threads\":[";
    for (size_t i = 0; i < r.busiest.size(); ++i) {
        const auto& t = r.busiest[i];
        out << (i ? "," : "") << "{\"thread\":" << t.thread_id << ",\"emails\":" << t.emails
            << ",\"first\":\"" << format_date_utc(t.first) << "\",\"last\":\""
            << format_date_utc(t.last) << "\",\"subject\":\"" << json_escape(t.subject) << "\"}";
    }
    out << "]}\n";
}

/// One HTML table row; `head`: th cells.
void html_row(std::ostream& out, const std::vector<std::string>& cells, bool head = false) {
    out << "<tr>";
    for (const auto& c : cells) out << (head ? "<th>" : "<td>") << html_escape(c) << (head ? "</th>" : "</td>");
    out << "</tr>\n";
}

/// A standalone page (no script, no external resource): the same sections as
/// the text form, as tables, with the chart inline.
void write_html(const Report& r, std::ostream& out) {
    const auto names = list_names(r);
    const std::string title =
        "Mailing-list report " + format_date_utc(r.since) + " .. " + format_date_utc(r.until);
    out << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" << html_escape(title)
        << "</title>\n<style>table{border-collapse:collapse;margin-bottom:1em}"
           "td,th{border:1px solid #ccc;padding:2px 6px}td{text-align:right}</style></head>\n"
           "<body>\n<h1>"
        << html_escape(title) << "</h1>\n<table>\n";
    for (const auto& t : totals(r)) html_row(out, {t.label, std::to_string(t.value)});
    out << "</table>\n<h2>Per list</h2>\n<table>\n";
    html_row(out, {"list", "deliveries", "subscribers"}, true);
    for (const auto& l : r.lists)
        html_row(out, {l.name, std::to_string(l.deliveries), std::to_string(l.subscribers)});
    std::string svg = report_chart_svg(r);
    if (const size_t decl_end = svg.find("?>\n"); svg.rfind("<?xml", 0) == 0 && decl_end != std::string::npos)
        svg.erase(0, decl_end + 3); // no XML declaration inside HTML
    out << "</table>\n<h2>Per month</h2>\n" << svg << "<table>\n";
    std::vector<std::string> head{"month", "emails"};
    head.insert(head.end(), names.begin(), names.end());
    html_row(out, head, true);
    for (const auto& m : r.months) {
        std::vector<std::string> row{m.month, std::to_string(m.emails)};
        for (const auto& n : names) row.push_back(std::to_string(month_count(m, n)));
        html_row(out, row);
    }
    out << "</table>\n<h2>Posters per organisation (mail domain)</h2>\n<table>\n";
    html_row(out, {"domain", "posters", "emails"}, true);
    for (const auto& o : r.organisations)
        html_row(out, {o.domain, std::to_string(o.posters), std::to_string(o.emails)});
    out << "</table>\n<h2>Busiest threads</h2>\n<table>\n";
    html_row(out, {"thread", "emails", "first", "last", "subject"}, true);
    for (const auto& t : r.busiest)
        html_row(out, {std::to_string(t.thread_id), std::to_string(t.emails), format_date_utc(t.first),
                       format_date_utc(t.last), t.subject});
    out << "</table>\n</body></html>\n";
}

} // namespace

void write_report(const Report& r, ReportFormat format, std::ostream& out) {
    switch (format) {
    case ReportFormat::text: write_text(r, out, false); break;
    case ReportFormat::md: write_text(r, out, true); break;
    case ReportFormat::csv: write_csv(r, out); break;
    case ReportFormat::json: write_json(r, out); break;
    case ReportFormat::html: write_html(r, out); break;
    }
}

std::string report_chart_svg(const Report& r) {
    static const char* const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                          "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
    const auto names = list_names(r);
    const int bar = 14, gap = 4, left = 50, top = 40, plot_h = 300;
    const int n = static_cast<int>(r.months.size());
    const int width = left + std::max(n, 1) * (bar + gap) + 160;
    const int height = top + plot_h + 70;
    int64_t max_total = 1;
    for (const auto& m : r.months) {
        int64_t s = 0;
        for (const auto& [k, c] : m.per_list) s += c;
        max_total = std::max(max_total, s);
    }
    std::ostringstream s;
    s << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
      << "width=\"" << width << "\" height=\"" << height << "\" font-family=\"sans-serif\" "
      << "font-size=\"10\">\n<title>" << html_escape("List deliveries per month, " +
                                                      format_date_utc(r.since) + " .. " +
                                                      format_date_utc(r.until))
      << "</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << left << "\" y=\"20\" font-size=\"14\">"
      << html_escape("Messages per month per list, " + format_date_utc(r.since) + " .. " +
                     format_date_utc(r.until))
      << "</text>\n";
    // Axes and a few gridlines.
    for (int g = 0; g <= 4; ++g) {
        int64_t v = max_total * g / 4;
        int y = top + plot_h - static_cast<int>(v * plot_h / max_total);
        s << "<line x1=\"" << left << "\" y1=\"" << y << "\" x2=\"" << left + n * (bar + gap)
          << "\" y2=\"" << y << "\" stroke=\"#ddd\"/>\n<text x=\"" << left - 4 << "\" y=\""
          << y + 3 << "\" text-anchor=\"end\">" << v << "</text>\n";
    }
    for (int i = 0; i < n; ++i) {
        const auto& m = r.months[static_cast<size_t>(i)];
        int x = left + i * (bar + gap);
        int y = top + plot_h;
        for (size_t k = 0; k < names.size(); ++k) {
            int64_t c = month_count(m, names[k]);
            if (c == 0) continue;
            int h = static_cast<int>(c * plot_h / max_total);
            y -= h;
            s << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << bar << "\" height=\""
              << h << "\" fill=\"" << palette[k % 8] << "\"><title>" << html_escape(names[k])
              << ' ' << m.month << ": " << c << "</title></rect>\n";
        }
        s << "<text transform=\"translate(" << x + bar - 3 << ',' << top + plot_h + 6
          << ") rotate(60)\">" << html_escape(m.month) << "</text>\n";
    }
    s << "<line x1=\"" << left << "\" y1=\"" << top + plot_h << "\" x2=\""
      << left + n * (bar + gap) << "\" y2=\"" << top + plot_h << "\" stroke=\"black\"/>\n";
    int lx = left + n * (bar + gap) + 20;
    for (size_t k = 0; k < names.size(); ++k) {
        int ly = top + static_cast<int>(k) * 16;
        s << "<rect x=\"" << lx << "\" y=\"" << ly << "\" width=\"10\" height=\"10\" fill=\""
          << palette[k % 8] << "\"/>\n<text x=\"" << lx + 14 << "\" y=\"" << ly + 9 << "\">"
          << html_escape(names[k]) << "</text>\n";
    }
    s << "</svg>\n";
    return s.str();
}

} // namespace mlarc
