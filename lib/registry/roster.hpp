// Subscriber rosters: reads a list's member export, either Mailman's
// `list_members` output or a CSV file from a spreadsheet, into the set of
// subscribed addresses with the lines that could not be used.
//
// Format detection, on the first line that is neither blank nor a '#' comment
// (after an optional UTF-8 BOM):
// - CSV when that line has no '@' and one of its fields, split on ',', ';' or
//   TAB (the first of these that yields such a field), names an address column;
//   also CSV when `filename` ends in ".csv" (any case), in which case a header
//   without an address column is an error.
// - Otherwise Mailman: every line is one member.
//
// Mailman lines: "addr", "Name <addr>", "\"Last, First\" <addr>", "addr (Name)".
//
// CSV (RFC 4180 on one line): fields separated by the detected delimiter; a
// field may be quoted with '"', inside which the delimiter is literal and '""'
// is a quote. A quoted field may not span lines (an unterminated quote makes the
// line a problem). Header names are compared ASCII case-insensitively, ignoring
// spaces, '-' and '_':
//   address column: email, e-mail, address, mail, email address, mail address
//   name column: name, full name, display name, real name; else first name /
//     given name + last name / surname / family name, joined with a space
//   organisation column: organisation, organization, org, company, affiliation,
//     entity, institution
// The address field may itself be "Name <addr>" (the name column wins).
// A record must have as many fields as the header.
//
// Every member line yields either an entry or a problem, never both:
// - entries: the address trimmed and ASCII lower-cased (local part included),
//   in file order, each address once;
// - problems (1-based line, the line as written without its line break, reason):
//   "not an email address", "no address", "unterminated quoted field",
//   "expected N fields, found M", and "duplicate" for a later line repeating
//   an address already taken (case-insensitively). Problems are never counted
//   as members.
// Blank lines and '#' comment lines are skipped silently; CR before LF is
// dropped.
//
// Errors (Errc::bad_input, "FILE:LINE: ..." or "FILE: ..."): the content holds
// a NUL byte (binary); a CSV header (".csv" file) without an address column;
// lines were present but none gave an address. Empty content is an empty roster.
#pragma once

#include "util/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc {

struct RosterEntry {
    std::string address; // lower-cased, trimmed
    std::string name;    // "" when unknown
    std::string organisation;
};

struct RosterProblem {
    size_t line = 0;    // 1-based
    std::string text;   // the line as written
    std::string reason; // "duplicate", "not an email address", ...
};

enum class RosterFormat { mailman, csv };

struct Roster {
    RosterFormat format = RosterFormat::mailman;
    std::vector<RosterEntry> entries;
    std::vector<RosterProblem> problems;
};

/// Parses a roster file's content; `filename` is used for detection (".csv")
/// and in error messages.
Result<Roster> parse_roster(std::string_view content, std::string_view filename);

/// A quick plausibility check, not RFC 5321 validation: one '@'; a local part of
/// 1-64 bytes without whitespace, control characters or any of ()<>[]\,;:"
/// and without a leading, trailing or doubled '.'; a domain of 1-253 bytes made
/// of at least two dot-separated labels of letters, digits, '-' or UTF-8 bytes,
/// no label empty or starting/ending with '-', the last label at least 2 bytes
/// and not all digits; 254 bytes at most in all.
bool is_plausible_address(std::string_view address);

} // namespace mlarc
