// Fuzz harness for the query parser front of the search CLI (lib/query): the
// checks query text goes through before Xapian's QueryParser sees it
// (check_query_text: length, UTF-8, quotes, parentheses, nesting, leading
// wildcards, unknown or empty "word:" prefixes) and parse_sort_order (--sort).
// query/detail.hpp is private to the query module; the harness includes it on
// purpose, as the mbox harness does with the framer.
//
// Compiling an accepted text against an index (Xapian's parser and the field
// processors) needs an archive on disk and is covered by tests/unit/query, not
// here.
//
// Invariants checked:
//  - no exception; a rejected text is Errc::usage with a non-empty message;
//  - an accepted text is at most kMaxQueryBytes, valid UTF-8 (as the web and
//    CLI promise before Xapian runs), and has balanced parentheses outside
//    double quotes, nested at most kMaxNesting deep;
//  - the verdict is deterministic (the same text twice gives the same answer);
//  - parse_sort_order accepts only what sort_order_name gives back.
#pragma once

#include "fuzz/harness_common.hpp"
#include "mime/decode.hpp"
#include "query/detail.hpp"
#include "query/search.hpp"

#include <algorithm>
#include <string>
#include <string_view>

namespace mlarc::fuzz {
namespace query_harness {

/// Parentheses outside double quotes: balanced, and the deepest nesting.
inline bool balanced_parens(std::string_view text, int& deepest) {
    int depth = 0;
    bool quoted = false;
    deepest = 0;
    for (char c : text) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '(') deepest = std::max(deepest, ++depth);
        if (c == ')' && --depth < 0) return false;
    }
    return depth == 0;
}

/// The checks of one query text (also used by the CGI harness for `q`).
inline void check_query(std::string_view text, Verdict& v) {
    const Status first = query_detail::check_query_text(text);
    const Status again = query_detail::check_query_text(text);
    v.expect(first.ok() == again.ok(), "check_query_text is not deterministic");
    if (!first.ok()) {
        v.expect(first.error().code == Errc::usage, "check_query_text error is not Errc::usage");
        v.expect(!first.error().message.empty(), "check_query_text error without a message");
        return;
    }
    v.expect(text.size() <= query_detail::kMaxQueryBytes, "an over-long query text was accepted");
    v.expect(is_valid_utf8(text), "a query text that is not valid UTF-8 was accepted");
    int deepest = 0;
    if (!balanced_parens(text, deepest))
        v.fail("unbalanced parentheses accepted: \"" + excerpt(text) + "\"");
    else
        v.expect(deepest <= query_detail::kMaxNesting, "nesting deeper than kMaxNesting accepted");
}

} // namespace query_harness

inline Verdict run_query(std::string_view input) {
    Verdict v;
    query_harness::check_query(input, v);
    const auto sort = parse_sort_order(input);
    if (sort.ok())
        v.expect(sort_order_name(*sort) == input, "parse_sort_order accepted a name it does not give back");
    else
        v.expect(sort.error().code == Errc::usage, "parse_sort_order error is not Errc::usage");
    return v;
}

} // namespace mlarc::fuzz
