// Private to the mbox module: recognising From_ lines and header lines.
//
// These are the pure, allocation-free predicates behind the split rules of
// reader.hpp (FAILURE-MODES A.2). classify_from_line() tells a body line that
// merely starts with "From " from an envelope line:
//   loose  - "From " + sender token + a tail holding a time (hh:mm or
//            hh:mm:ss) and a year (a number after the time, or any 4-digit
//            number), or "From -" with anything after it. The pipermail form
//            "From user at host  Mon Dec  1 00:00:18 2008" is loose (and strict).
//   strict - additionally the tail right after the sender (after "user at host"
//            in pipermail, after "-") is an asctime date: day-name month day
//            time [zone] year, e.g. "Mon Sep 17 00:00:00 2001"; or the line is
//            the bare "From -" of Mozilla mailboxes.
// A strict line is also loose. "From time to time" is neither.
#pragma once

#include <string_view>

namespace mlarc::mbox_detail {

enum class FromLine { none, loose, strict };

/// `line` excludes the '\n' (a trailing '\r' and blanks are ignored).
FromLine classify_from_line(std::string_view line);

/// "Name: value" (also the obsolete "Name : value"): a field name of printable
/// ASCII without ':' then optional blanks and a colon.
bool is_header_line(std::string_view line);

/// Empty or only spaces, tabs and CR.
bool is_blank_line(std::string_view line);

} // namespace mlarc::mbox_detail
