// Fuzz harness for the web front end's request parsing (cgi/request.hpp):
// parse_request on a GET with the input's first line as PATH_INFO and the rest
// as QUERY_STRING, percent_decode, and the address obfuscation applied to
// what pages show; an accepted `q` parameter then goes through the query text
// checks of harness_query.hpp, as the search page does.
//
// Invariants checked:
//  - no exception; a rejected request is Errc::usage with a non-empty message;
//  - an accepted request respects kMaxQueryString and kMaxPathInfo, its path
//    is PATH_INFO (or "/"), and every parameter name is one of the whitelist
//    with name and value valid UTF-8 without NUL (FAILURE-MODES 51, 54);
//  - percent_decode never makes text longer, and decoding the percent-encoding
//    of its output gives that output back;
//  - obfuscate_text keeps valid UTF-8 valid and never grows it beyond a small
//    factor (" at " for '@' plus "..." per address).
#pragma once

#include "cgi/request.hpp"
#include "fuzz/harness_common.hpp"
#include "fuzz/harness_query.hpp"
#include "mime/decode.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

namespace mlarc::fuzz {
namespace cgi_harness {

inline constexpr std::array<std::string_view, 12> kWhitelist = {
    "q", "list", "wg", "author", "from", "to", "since", "until", "page", "n", "sort", "format"};

inline bool clean(std::string_view s) {
    return is_valid_utf8(s) && s.find('\0') == std::string_view::npos;
}

/// Every byte as %XX.
inline std::string percent_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out;
}

} // namespace cgi_harness

inline Verdict run_cgi_request(std::string_view input) {
    using namespace cgi_harness;
    Verdict v;
    const size_t nl = input.find('\n');
    const std::string_view path = nl == std::string_view::npos ? input : input.substr(0, nl);
    const std::string_view query = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);

    auto req = web::parse_request("GET", path, query);
    if (!req.ok()) {
        v.expect(req.error().code == Errc::usage, "parse_request error is not Errc::usage");
        v.expect(!req.error().message.empty(), "parse_request error without a message");
    } else {
        v.expect(query.size() <= web::kMaxQueryString, "an over-long query string was accepted");
        v.expect(path.size() <= web::kMaxPathInfo, "an over-long path was accepted");
        v.expect(req->path == (path.empty() ? std::string_view("/") : path), "path differs from PATH_INFO");
        v.expect(clean(req->path), "an accepted path is not valid UTF-8 without NUL");
        for (const auto& [name, value] : req->params) {
            v.expect(std::find(kWhitelist.begin(), kWhitelist.end(), name) != kWhitelist.end(),
                     "a parameter outside the whitelist was accepted");
            v.expect(clean(name) && clean(value), "an accepted parameter is not valid UTF-8 without NUL");
        }
        if (auto q = req->params.find("q"); q != req->params.end()) query_harness::check_query(q->second, v);
    }
    // HEAD is GET without a body; anything else is refused.
    v.expect(!web::parse_request("POST", path, query).ok(), "POST was accepted");

    for (bool plus : {false, true}) {
        const auto decoded = web::percent_decode(query, plus);
        if (!decoded) continue;
        v.expect(decoded->size() <= query.size(), "percent_decode made the text longer");
        const auto again = web::percent_decode(percent_encode(*decoded), plus);
        v.expect(again && *again == *decoded, "percent_decode(percent_encode(x)) != x");
    }
    if (is_valid_utf8(input)) {
        const std::string shown = web::obfuscate_text(input);
        v.expect(is_valid_utf8(shown), "obfuscate_text broke valid UTF-8");
        v.expect(shown.size() <= 3 * input.size() + 16, "obfuscate_text output out of proportion");
    }
    return v;
}

} // namespace mlarc::fuzz
