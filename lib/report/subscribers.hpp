// Subscriber rosters in the store: imports a list's member export (any format
// registry/roster.hpp parse_roster() reads) as a dated snapshot, and counts
// subscribers as of a date.
//
// A snapshot is (list, as_of date). Importing a roster for the same list and
// date again replaces that snapshot. "Subscribers as of D" uses, for every
// list, the latest snapshot dated on or before D; a list without one counts 0.
// Addresses are compared lower-cased, so the distinct count across lists
// counts a person on several lists once.
#pragma once

#include "registry/roster.hpp"
#include "store/store.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlarc {

struct RosterImportResult {
    std::string list;                   // list name
    std::string as_of;                  // YYYY-MM-DD
    int64_t snapshot_id = 0;
    size_t members = 0;                 // addresses stored
    bool replaced = false;              // an earlier import of the same snapshot was replaced
    std::vector<RosterProblem> problems; // lines skipped (1-based line numbers)
};

/// Reads `path` with parse_roster() and stores it as the snapshot of `list`
/// (a list name or address; created, completed from the registry, when the
/// archive does not know it yet) dated `as_of` (YYYY-MM-DD). Needs a writable
/// store (the caller holds the archive lock). Errors: usage (bad date or
/// list), not_found/unreadable (file), bad_input (not a roster).
Result<RosterImportResult> import_roster(Store& store, std::string_view list,
                                         std::string_view as_of,
                                         const std::filesystem::path& path);

/// (list, date) suggested by a roster file name "<list>-YYYY-MM-DD.ext", as the
/// sample generator and Mailman exports name them; empty strings otherwise.
std::pair<std::string, std::string> roster_name_hint(const std::filesystem::path& path);

struct SubscriberCounts {
    std::string as_of;                                  // YYYY-MM-DD, "" = latest
    int64_t distinct = 0;                               // across the lists counted
    std::vector<std::pair<std::string, int64_t>> per_list; // by list name, lists with a snapshot
    std::vector<std::pair<std::string, std::string>> snapshots; // list -> snapshot date used
};

/// Subscribers as of `as_of` (YYYY-MM-DD; "" for the latest snapshots), over
/// `lists` (names; empty: every list).
Result<SubscriberCounts> count_subscribers(Store& store, std::string_view as_of,
                                           const std::vector<std::string>& lists);

/// " AND <column> IN (?n, ?n+1, ...)" for `count` names starting at parameter
/// `first`, or "" when count is 0 (shared by the report queries).
std::string sql_in_clause(std::string_view column, size_t count, int first);

} // namespace mlarc
