// Threads linked to deliverables: queries over the deliverable_mentions the
// importer stores (message subject, body outside quoted lines, attachment
// names; registry/extract.hpp finds them).
//
// - deliverable_threads(): the threads in which at least one message mentions
//   a deliverable, with the whole thread's first/last date, message and
//   participant counts, and how many of its messages mention it;
// - thread_links(): the deliverables one thread touches, with the evidence
//   (message, where, kind, the text matched);
// - links_summary(): every registry deliverable with its message and thread
//   counts and first/last mention; a deliverable with no mention is "never
//   discussed".
// - rescan_mentions(): re-derives every stored message's mentions from its
//   stored subject, body text and attachment names with a given registry.
// Each view renders as a LinksTable in text, Markdown, CSV, JSON or HTML
// (write_links(); the JSON carries "format_version").
#pragma once

#include "registry/registry.hpp"
#include "report/report.hpp"
#include "store/store.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace mlarc {

struct LinkedThread {
    int64_t thread_id = 0;
    int64_t first = 0, last = 0; // dates of the thread's first and last message
    int64_t messages = 0, participants = 0;
    int64_t mentioning = 0;      // messages of the thread that mention the deliverable
    std::string subject;         // of the thread's first message
};

/// Threads mentioning `deliverable_id` (a canonical id, "D3.2"), oldest first.
Result<std::vector<LinkedThread>> deliverable_threads(Store& store,
                                                      const std::string& deliverable_id);

struct LinkEvidence {
    std::string deliverable_id;
    std::string mid;
    int64_t date = 0;
    std::string context; // subject | body | attachment
    std::string kind;
    std::string text;
};

/// The mentions in thread `thread_id`, by deliverable then date. Errors:
/// not_found when no message has that thread id.
Result<std::vector<LinkEvidence>> thread_links(Store& store, int64_t thread_id);

struct DeliverableLinks {
    std::string id, title;
    int64_t messages = 0, threads = 0;
    int64_t first = 0, last = 0; // first and last mentioning message; 0 when never discussed
    [[nodiscard]] bool never_discussed() const { return messages == 0; }
};

/// Every deliverable of `registry`, in registry order.
Result<std::vector<DeliverableLinks>> links_summary(Store& store, const Registry& registry);

/// What rescan_mentions() changed.
struct RescanSummary {
    int64_t messages = 0;         // messages scanned
    int64_t changed = 0;          // messages whose mentions changed (re-indexed)
    int64_t mentions_before = 0;  // deliverable_mentions rows before
    int64_t mentions_after = 0;   // and after
};

/// Recomputes the mentions of every stored message from its stored subject,
/// body text (message_text.body, quoted lines skipped as at import) and
/// attachment file names with `deliverables`, in one transaction. As at
/// import, only messages in one of the registry's `lists` (by name) are
/// scanned; the others end with no mentions. A message
/// whose set of mentions changed gets the transaction's change number, so
/// the next `mlarc index` re-indexes it (its doc: terms). Idempotent: a second
/// run with the same registry changes nothing. Needs the archive lock.
Result<RescanSummary> rescan_mentions(Store& store, const std::vector<Deliverable>& deliverables,
                                      const std::vector<ListEntry>& lists);

/// JSON "format_version" of write_links(); bumped on incompatible changes.
constexpr int kLinksFormatVersion = 1;

/// One view as a table. Cells are text; `numeric` columns are numbers in JSON;
/// a "-" cell is null in JSON.
struct LinksTable {
    std::string view;  // deliverable | thread | summary
    std::string title; // first line of the text form
    std::vector<std::string> columns;
    std::vector<bool> numeric;
    std::vector<std::vector<std::string>> rows;
};

LinksTable deliverable_threads_table(const Deliverable& d, const std::vector<LinkedThread>& threads);
LinksTable thread_links_table(int64_t thread_id, const std::vector<LinkEvidence>& evidence);
/// The "status" column is "NEVER DISCUSSED" for a deliverable without mentions.
LinksTable links_summary_table(const std::vector<DeliverableLinks>& summary);

/// text: the title line, then tab-separated header and rows; md: a heading and
/// a table; csv: header and rows; json: {"format_version":1,"view":...,
/// "title":...,"rows":[{column: value}...]}.
void write_links(const LinksTable& t, ReportFormat format, std::ostream& out);

} // namespace mlarc
