// Fuzz harness for subscriber rosters (lib/registry/roster.hpp): the input is
// parsed as a Mailman list_members export ("members.txt") and as a CSV file
// ("members.csv").
//
// Invariants checked (roster.hpp is the contract):
//  - no exception; errors are Errc::bad_input and name the file first;
//  - entries: plausible addresses (is_plausible_address), trimmed, ASCII
//    lower-case, each address once;
//  - problems: a 1-based line within the input, a non-empty reason, the text
//    being that line of the input (without its line break and CR, and the
//    first line without a UTF-8 BOM: fuzz_roster-bom-first-line-problem.bin);
//  - no line gives both an entry and a problem, so entries + problems never
//    exceed the number of lines.
#pragma once

#include "fuzz/harness_common.hpp"
#include "registry/roster.hpp"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc::fuzz {

inline Verdict run_roster(std::string_view input) {
    Verdict v;
    // The lines as roster.hpp numbers and quotes them: after an optional BOM.
    std::string_view body = input;
    if (body.substr(0, 3) == "\xef\xbb\xbf") body.remove_prefix(3);
    std::vector<std::string_view> lines;
    for (size_t pos = 0; pos < body.size();) {
        const size_t nl = body.find('\n', pos);
        std::string_view line = body.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    for (std::string_view file : {std::string_view("members.txt"), std::string_view("members.csv")}) {
        auto r = parse_roster(input, file);
        if (!r.ok()) {
            v.expect(r.error().code == Errc::bad_input, "a roster error that is not Errc::bad_input");
            if (r.error().message.rfind(std::string(file), 0) != 0)
                v.fail("a roster error that does not name the file first: " + excerpt(r.error().message));
            continue;
        }
        std::set<std::string> seen;
        for (const RosterEntry& e : r->entries) {
            if (!is_plausible_address(e.address))
                v.fail("an implausible address was accepted: \"" + excerpt(e.address) + "\"");
            v.expect(e.address.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ \t") == std::string::npos,
                     "an entry address that is not trimmed and lower-case");
            v.expect(seen.insert(e.address).second, "an address listed twice");
        }
        for (const RosterProblem& p : r->problems) {
            v.expect(p.line >= 1 && p.line <= lines.size(), "a problem on a line the input does not have");
            v.expect(!p.reason.empty(), "a problem without a reason");
            if (p.line >= 1 && p.line <= lines.size() && p.text != lines[p.line - 1])
                v.fail("a problem's text differs from line " + std::to_string(p.line) + ": \"" +
                       excerpt(p.text) + "\"");
        }
        v.expect(r->entries.size() + r->problems.size() <= lines.size(),
                 "more entries and problems than lines");
    }
    return v;
}

} // namespace mlarc::fuzz
