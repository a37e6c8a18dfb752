// The FG-DPM activity report: figures over a date range, computed from the
// store with SQL (see docs/fgdpm.md for how each figure is counted).
//
// - emails: distinct messages (one row of `messages`) dated in the range and
//   delivered to at least one of the selected lists; a cross-post counts once.
// - deliveries: (message, list) rows of `message_lists` for those messages and
//   the selected lists; a cross-post counts once per list.
// - threads started: emails that are the first message (earliest date, then
//   lowest id) of their thread; replies: the other emails.
// - posters: distinct From addresses (lower-cased), one person's addresses
//   counted once when ReportOptions::aliases maps them to a main address
//   (registry aliases.tsv); organisations: posters grouped by the mail domain
//   of their (main) address.
// - subscribers: count_subscribers() as of the range's last day.
// - busiest threads: the 10 threads with most emails in the range.
// Also renders the report (text, Markdown, CSV, JSON, a standalone HTML page
// with the chart inline) and an SVG chart of deliveries per month per list.
#pragma once

#include "registry/registry.hpp"
#include "report/subscribers.hpp"
#include "store/store.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace mlarc {

struct ReportOptions {
    int64_t since = 0;                // UTC seconds, inclusive
    int64_t until = 0;                // UTC seconds, inclusive
    std::vector<std::string> lists;   // list names; empty: every list
    size_t top_threads = 10;
    AddressAliases aliases;           // address -> the person's main address
};

struct ListFigures {
    std::string name;
    int64_t deliveries = 0;  // emails of the range delivered to this list
    int64_t subscribers = 0; // as of the range's last day
};

struct MonthFigures {
    std::string month; // YYYY-MM
    int64_t emails = 0;
    std::map<std::string, int64_t> per_list; // deliveries
};

struct OrgFigures {
    std::string domain;
    int64_t posters = 0;
    int64_t emails = 0;
};

struct ThreadFigures {
    int64_t thread_id = 0;
    std::string subject; // of the thread's first message
    int64_t emails = 0;  // in the range
    int64_t first = 0, last = 0;
};

struct Report {
    int64_t since = 0, until = 0;
    int64_t emails = 0, deliveries = 0, threads_started = 0, replies = 0, posters = 0;
    int64_t subscribers = 0; // distinct across the selected lists
    std::vector<ListFigures> lists;
    std::vector<MonthFigures> months;
    std::vector<OrgFigures> organisations; // most posters first
    std::vector<ThreadFigures> busiest;
};

Result<Report> build_report(Store& store, const ReportOptions& opts);

enum class ReportFormat { text, md, csv, json, html };
/// "text", "md", "csv", "json", "html"; Errc::usage otherwise.
/// The report's JSON carries "format_version" (this value).
constexpr int kReportFormatVersion = 1;
Result<ReportFormat> parse_report_format(std::string_view name);

void write_report(const Report& r, ReportFormat format, std::ostream& out);

/// A standalone SVG (no script): stacked bars of deliveries per month, one
/// colour per list, with axes, month labels and a legend.
std::string report_chart_svg(const Report& r);

} // namespace mlarc
