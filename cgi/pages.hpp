// The pages of the web front end (cgi/): one entry point that maps a parsed
// request to a response, shared by the CGI and the FastCGI binaries. Every
// page is built from lib/query results; JSON comes from lib/render, the same
// versioned JSON as `mlarc --format json`. Every value that comes from the
// archive or the request is HTML-escaped for its context here (FAILURE-MODES
// 49-50); messages flagged X-No-Archive never appear.
#pragma once

#include "request.hpp"

#include <string>
#include <string_view>

namespace mlarc {
class Archive;
}

namespace mlarc::web {

struct Settings {
    bool obfuscate = false; // MLARC_OBFUSCATE_ADDRESSES=1
    std::string base;       // URL path prefix of the application ("" = at the root)
    double query_seconds = 2; // MLARC_QUERY_TIME_LIMIT: matching time of one search (0: none);
                              // over it the search page answers 503
};

/// Settings from the environment: MLARC_OBFUSCATE_ADDRESSES, MLARC_BASE_URL,
/// MLARC_QUERY_TIME_LIMIT (seconds, 0 to 3600; another value keeps the
/// default and is reported on stderr, the server's log).
Settings settings_from_env();

/// Answers one request. Never throws; errors become 400/404/405/503 pages
/// with escaped messages (details of server-side failures go to stderr only).
Response handle(Archive& archive, const Settings& settings, std::string_view method,
                std::string_view path_info, std::string_view query_string);

} // namespace mlarc::web
