// Dates: lenient parsing of RFC 5322 Date headers and mbox From_ lines, the
// choice of a message's date when the header is missing or odd (FAILURE-MODES
// items 9-11), the date forms users type on the command line and in queries,
// and ISO 8601 output.
//
// Times are int64 seconds since 1970-01-01T00:00:00Z computed with a proleptic
// Gregorian days-from-civil algorithm (no timegm/mktime, no time_t), so dates
// before 1970 are negative and dates after 2038 work. Flags are MessageFlag bits
// (mime/message.hpp): flag_no_date, flag_bad_date, flag_suspicious_date,
// flag_bad_offset.
#pragma once

#include "util/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc {

/// A broken-down UTC time (proleptic Gregorian calendar).
struct CivilTime {
    int64_t year = 1970;
    int month = 1; // 1-12
    int day = 1;   // 1-31
    int hour = 0;
    int minute = 0;
    int second = 0;
};

/// Days from 1970-01-01 to year-month-day (negative before 1970).
int64_t days_from_civil(int64_t year, int month, int day);
/// Seconds since the epoch of a civil UTC time (no range checks: 31 Feb rolls over).
int64_t utc_from_civil(const CivilTime& t);
/// The civil UTC time of seconds since the epoch.
CivilTime civil_from_utc(int64_t utc);
/// 28-31, or 0 for a month outside 1-12.
int days_in_month(int64_t year, int month);

/// Result of parsing one date string.
struct ParsedDate {
    int64_t utc = 0;        // seconds since the epoch, UTC
    int offset_minutes = 0; // the writer's zone, east of UTC (+0100 -> 60)
    uint32_t flags = 0;     // flag_bad_date / flag_no_date when !ok; flag_bad_offset
    bool ok = false;
};

/// Lenient RFC 5322 date parser. Accepts, besides the RFC form and its obsolete
/// syntax: no day name or a German/French one; day-month-year and month-day
/// orders (asctime "Mon Dec  1 00:00:18 2008 +0100"); month names in English,
/// German, French and Dutch, with or without a trailing dot (Mär, Mrz, Okt, Dez,
/// janv., févr., déc.); 2-digit years (00-49 -> 20xx, 50-99 -> 19xx) and
/// years below 1000 (+1900, so "102" and "0102" -> 2002); missing seconds;
/// dots instead of colons; AM/PM; numeric dates (2024-01-01, 13.06.2002,
/// 06/13/2002) and ISO 8601 "2024-01-01T10:00:00Z" / "...+01:00"; offsets as
/// "+0100", "+01:00", "+01", "0100" (unsigned after the time), "GMT+01:00";
/// named zones (see the table in date.cpp; single military letters and unknown
/// names -> +0000); a zone only in a comment, "(UTC)", "(GMT Standard Time)".
/// A numeric offset beats a zone name. An offset beyond +-14 h (or with minutes
/// >= 60) gives offset 0 and flag_bad_offset.
/// Not ok (flag_bad_date): no day, month or year; hour > 23, minute > 59,
/// 31 Feb; a malformed time ("10:00:t"); RFC 2047 encoded words ("=?...?=");
/// empty input (flag_no_date instead).
ParsedDate parse_rfc5322_date(std::string_view text);

/// Date of an mbox From_ line ("From sender Mon Dec  1 00:00:18 2008",
/// "From user at host  Mon Dec  1 00:00:18 2008", "From - Mon, 1 Dec 2008 ...",
/// "... 2008 remote from host"): the date is what follows the sender, starting at
/// the first day or month name. UTC unless the line carries an offset.
ParsedDate parse_from_line_date(std::string_view from_line);

/// 1980-01-01T00:00:00Z; dates before it are suspicious.
inline constexpr int64_t kSuspiciousBefore = 315532800;

/// True for a date before 1980-01-01 or more than one day after `now`.
bool is_suspicious(int64_t utc, int64_t now);

/// "2018-03-01T10:00:00+01:00": the local time at `offset_minutes` east of UTC.
std::string format_iso8601(int64_t utc, int offset_minutes);
/// "2018-03-01" (UTC).
std::string format_date_utc(int64_t utc);

/// A date typed by a user (CLI options, query `date:` ranges), in UTC:
///   YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (or a space for T),
///   today, yesterday, now, and Nd / Nw / Nm / Ny (N days/weeks/months/years
///   before `now`; months and years are calendar steps, 31 Mar - 1m = 28/29 Feb).
/// Returns the first second of the period named, or with end_of_range the last
/// one ("2018" -> 2018-01-01T00:00:00 or 2018-12-31T23:59:59). "now" and the
/// relative forms name an instant: both ends are the same.
/// Bad input -> Errc::usage with a message listing the accepted forms.
Result<int64_t> parse_user_date(std::string_view text, int64_t now, bool end_of_range);

/// The date chosen for a message.
struct DateChoice {
    int64_t utc = 0;        // 0 only with source "none" (and flags set)
    int offset_minutes = 0; // the writer's zone when the header was used, else 0
    /// The stored date_source: "header" | "from_line" | "received" | "mtime" | "none".
    std::string source = "none";
    uint32_t flags = 0; // flag_no_date, flag_bad_date, flag_suspicious_date, flag_bad_offset
    std::optional<int64_t> header_utc; // the Date header's own value when it parsed
};

/// The fallback chain of FAILURE-MODES items 9-11:
///  - Date header parses and is not suspicious -> "header" (with flag_bad_offset
///    if its offset was out of range).
///  - Header empty -> flag_no_date; unparseable -> flag_bad_date; then the first
///    non-suspicious date among: the From_ line, the Received dates (given newest
///    first), the file mtime.
///  - Header parses but is suspicious (before 1980, after now + 1 day) ->
///    flag_suspicious_date and the first non-suspicious date among the Received
///    dates, the From_ line, the mtime (public-inbox prefers Received); the header
///    date is kept if none is.
///  - When every fallback that parses is suspicious, the first of them is used
///    and flag_suspicious_date is set; when nothing parses, utc = 0 and
///    source = "none" with flag_no_date or flag_bad_date set.
DateChoice choose_date(std::string_view date_header, std::string_view from_line,
                       const std::vector<std::string>& received_dates, int64_t now,
                       std::optional<int64_t> file_mtime = std::nullopt);

} // namespace mlarc
