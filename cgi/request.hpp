// The web front end's request and response model, kept apart from the pages so
// that it can be unit-tested: a GET request (method, PATH_INFO, QUERY_STRING)
// turned into a path and a whitelisted, percent-decoded, UTF-8-checked set of
// parameters (FAILURE-MODES 51, 54), and a response (status, headers, body)
// written the same way by the CGI and the FastCGI loop, always with the
// security headers of FAILURE-MODES 49.
#pragma once

#include "util/result.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlarc::web {

/// Largest QUERY_STRING accepted (bytes).
inline constexpr size_t kMaxQueryString = 4096;
/// Largest PATH_INFO accepted (bytes).
inline constexpr size_t kMaxPathInfo = 2048;
/// Page size and offset limits of the web pages.
inline constexpr size_t kMaxPageSize = 200;
inline constexpr size_t kMaxWebOffset = 10000;

/// Percent-decodes `s` ('+' is a space when plus_is_space). nullopt when a
/// '%' is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);

struct Request {
    std::string path;                          // PATH_INFO, "/" when empty
    std::map<std::string, std::string> params; // whitelisted names only
    std::string param(const std::string& name) const;
};

/// Parses a request. Errors (all Errc::usage, the message safe to show once
/// escaped): a method other than GET or HEAD (message starts with "405"),
/// an over-long query string or path, bad percent-encoding, invalid UTF-8 or
/// NUL, an unknown or repeated parameter.
Result<Request> parse_request(std::string_view method, std::string_view path_info,
                              std::string_view query_string);

struct Response {
    int status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers; // extra headers
    std::string body;
};

/// "200 OK", "404 Not Found"...
std::string status_line(int status);

/// The CGI header block ("Status: ...\r\n" ... "\r\n"), the security headers
/// included, for `r`.
std::string header_block(const Response& r);

/// A Content-Disposition value that makes a browser save `filename` (UTF-8)
/// instead of showing it (RFC 6266): `attachment; filename="ASCII"; filename*=
/// UTF-8''PERCENT-ENCODED` (RFC 5987), the ASCII fallback with every character
/// but letters, digits, '.', '-' and '_' replaced by '_' and leading dots cut;
/// `attachment; filename="attachment.bin"` when nothing is left.
std::string content_disposition_attachment(std::string_view filename);

/// `local at domain`, the local part cut to at most 3 characters plus "...":
/// "jane.doe@example.org" -> "jan... at example.org". Not an address: unchanged.
std::string obfuscate_address(std::string_view address);

/// `text` with every e-mail address in it obfuscated as obfuscate_address() does.
std::string obfuscate_text(std::string_view text);

} // namespace mlarc::web
