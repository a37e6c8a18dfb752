// Fuzz harness for the date parsers of lib/util (util/date.hpp):
// parse_rfc5322_date, parse_from_line_date, parse_user_date, and choose_date
// fed with the input's lines (Date header, From_ line, Received dates).
//
// Invariants checked:
//  - a parsed date has an offset within +-14 h, is not flagged bad/no date,
//    and survives format_iso8601 -> parse_rfc5322_date unchanged (utc and
//    offset): the ISO form the archive writes must read back;
//  - civil_from_utc and utc_from_civil are inverse on every parsed value;
//  - a date that does not parse says why (flag_bad_date or flag_no_date);
//  - parse_user_date: the start of a period is not after its end, and only
//    Errc::usage is returned;
//  - choose_date names one of its documented sources.
// Arithmetic overflow and other undefined behaviour are caught by UBSan in
// the fuzz build.
#pragma once

#include "fuzz/harness_common.hpp"
#include "mime/message.hpp"
#include "util/date.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mlarc::fuzz {
namespace date_harness {

inline void check_parsed(const ParsedDate& d, const char* who, Verdict& v) {
    if (!d.ok) {
        v.expect((d.flags & (flag_bad_date | flag_no_date)) != 0,
                 "a date that did not parse has neither flag_bad_date nor flag_no_date");
        return;
    }
    v.expect((d.flags & (flag_bad_date | flag_no_date)) == 0, "a parsed date is flagged bad/no date");
    v.expect(d.offset_minutes >= -14 * 60 && d.offset_minutes <= 14 * 60, "offset beyond +-14 h");
    v.expect(utc_from_civil(civil_from_utc(d.utc)) == d.utc, "civil_from_utc/utc_from_civil disagree");
    const std::string iso = format_iso8601(d.utc, d.offset_minutes);
    const ParsedDate again = parse_rfc5322_date(iso);
    if (!again.ok || again.utc != d.utc || again.offset_minutes != d.offset_minutes)
        v.fail(std::string(who) + ": format_iso8601 output \"" + iso + "\" does not parse back to " +
               std::to_string(d.utc) + " " + std::to_string(d.offset_minutes));
}

} // namespace date_harness

inline Verdict run_date(std::string_view input) {
    using namespace date_harness;
    Verdict v;
    check_parsed(parse_rfc5322_date(input), "parse_rfc5322_date", v);
    check_parsed(parse_from_line_date(input), "parse_from_line_date", v);

    constexpr int64_t kNow = 1700000000; // 2023-11-14T22:13:20Z
    auto start = parse_user_date(input, kNow, false);
    auto end = parse_user_date(input, kNow, true);
    v.expect(static_cast<bool>(start) == static_cast<bool>(end),
             "parse_user_date accepts a text for one end of a range only");
    if (!start) v.expect(start.error().code == Errc::usage, "parse_user_date error is not Errc::usage");
    if (start && end) v.expect(*start <= *end, "parse_user_date: start of the period after its end");

    // Line 1: Date header, line 2: From_ line, further lines: Received dates.
    std::vector<std::string> lines;
    for (size_t pos = 0; pos <= input.size() && lines.size() < 16;) {
        const size_t nl = input.find('\n', pos);
        lines.emplace_back(input.substr(pos, nl == std::string_view::npos ? nl : nl - pos));
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    if (lines.size() >= 2) {
        const std::vector<std::string> received(lines.begin() + 2, lines.end());
        const DateChoice c = choose_date(lines[0], lines[1], received, kNow, kNow - 86400);
        v.expect(c.source == "header" || c.source == "from_line" || c.source == "received" ||
                     c.source == "mtime" || c.source == "none",
                 "choose_date returned an undocumented source");
        v.expect(c.source != "none", "choose_date ignored the file mtime");
    }
    return v;
}

} // namespace mlarc::fuzz
