// mlarc.cgi and mlarc.fcgi: the archive in a browser. The CGI answers one
// request from its environment (REQUEST_METHOD, PATH_INFO, QUERY_STRING) or,
// for tests, from NAME=VALUE arguments (`mlarc.cgi PATH_INFO=/search q=x`: a
// name other than REQUEST_METHOD, PATH_INFO and QUERY_STRING becomes a query
// parameter). Built with MLARC_FASTCGI, the same code answers requests in an
// FCGX_Accept_r loop, keeping the store and the index open between requests
// and reopening the index to its newest revision before each one, and
// keeps the pages it made while the archive stays unchanged (cache.hpp;
// MLARC_WEB_CACHE_MB, default 32, 0: off). After MLARC_WEB_MAX_BAD_REQUESTS
// answers of 400 (default 10,000; 0: never) it starts afresh: execs itself on
// the same listening socket (cache.hpp says why).
//
// The archive is the directory in $MLARC_ARCHIVE, never a request parameter.
// Everything is read-only (lib/query opens the store and index read-only).
#include "cache.hpp"
#include "pages.hpp"

#include "index/xapian_db.hpp"
#include "query/archive.hpp"
#include "util/strings.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>

#ifdef MLARC_FASTCGI
#include <fcgiapp.h>
#include <unistd.h>
#endif

namespace mlarc::web {
namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

std::string archive_dir() {
    std::string dir = env("MLARC_ARCHIVE");
    return dir.empty() ? "mlarc-data" : dir;
}

#ifndef MLARC_FASTCGI
int run_cgi(int argc, char** argv) {
    std::string method = env("REQUEST_METHOD"), path = env("PATH_INFO"), query = env("QUERY_STRING");
    if (argc > 1 && method.empty()) method = "GET";
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        size_t eq = arg.find('=');
        if (eq == std::string_view::npos) {
            std::cerr << "usage: mlarc.cgi [PATH_INFO=/path] [REQUEST_METHOD=GET] [QUERY_STRING=...] "
                         "[name=value]...\n";
            return 2;
        }
        std::string_view name = arg.substr(0, eq), value = arg.substr(eq + 1);
        if (name == "PATH_INFO") path = value;
        else if (name == "REQUEST_METHOD") method = value;
        else if (name == "QUERY_STRING") query = value;
        else {
            if (!query.empty()) query += '&';
            query += percent_encode(name) + "=" + percent_encode(value);
        }
    }
    Archive archive = Archive::at(archive_dir());
    Response r = handle(archive, settings_from_env(), method, path, query);
    std::string head = header_block(r);
    std::fwrite(head.data(), 1, head.size(), stdout);
    if (method != "HEAD") std::fwrite(r.body.data(), 1, r.body.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
}
#else
/// run_fcgi()'s answer when the process should start afresh.
constexpr int kStartAfresh = -1;

int run_fcgi() {
    if (FCGX_Init() != 0) {
        std::cerr << "mlarc.fcgi: FCGX_Init failed\n";
        return 1;
    }
    FCGX_Request req;
    FCGX_InitRequest(&req, 0, 0);
    Archive archive = Archive::at(archive_dir());
    const Settings settings = settings_from_env();
    const size_t cache_bytes = cache_bytes_from_env();
    const bool cache_on = cache_bytes > 0;
    ResponseCache cache(cache_bytes);
    const uint64_t max_bad = max_bad_requests_from_env();
    uint64_t bad = 0;
    while (FCGX_Accept_r(&req) == 0) {
        // Pick up what `mlarc import` / `mlarc index` committed since the
        // last request: new lists, a new index revision, a new archive.
        archive.refresh();
        auto param = [&](const char* name) {
            const char* v = FCGX_GetParam(name, req.envp);
            return std::string(v ? v : "");
        };
        std::string method = param("REQUEST_METHOD");
        Response r =
            cache_on ? handle_cached(cache, archive, settings, method, param("PATH_INFO"),
                                     param("QUERY_STRING"))
                     : handle(archive, settings, method, param("PATH_INFO"), param("QUERY_STRING"));
        std::string head = header_block(r);
        FCGX_PutStr(head.data(), static_cast<int>(head.size()), req.out);
        if (method != "HEAD") {
            // FCGX_PutStr takes an int length: write big bodies in pieces.
            for (size_t pos = 0; pos < r.body.size(); pos += (1u << 20)) {
                size_t len = std::min<size_t>(1u << 20, r.body.size() - pos);
                FCGX_PutStr(r.body.data() + pos, static_cast<int>(len), req.out);
            }
        }
        FCGX_Finish_r(&req);
        if (r.status == 400 && max_bad > 0 && ++bad >= max_bad) {
            // cache.hpp, max_bad_requests_from_env(): start afresh.
            std::cerr << "mlarc.fcgi: " << bad
                      << " bad requests answered (MLARC_WEB_MAX_BAD_REQUESTS); starting afresh\n";
            return kStartAfresh;
        }
    }
    return 0;
}
#endif

} // namespace
} // namespace mlarc::web

int main([[maybe_unused]] int argc, [[maybe_unused]] char** argv) {
#ifdef MLARC_FASTCGI
    const int rc = mlarc::web::run_fcgi(); // the archive and the cache are closed now
    if (rc == mlarc::web::kStartAfresh) {
        // The same program again in this process: a fresh address space
        // (what libxapian lost is gone) on the same listening socket (fd 0,
        // which exec keeps open), so the server sees no gap: connections
        // made meanwhile wait in the socket's backlog. Exiting instead made
        // lighttpd answer 503 while both of its processes restarted at once.
        std::cerr.flush();
        // The binary's own path (exec'ing /proc/self/exe would name the
        // process "exe" in ps and top).
        char self[4096];
        const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
        if (n > 0) {
            self[n] = '\0';
            ::execv(self, argv);
        }
        ::execv("/proc/self/exe", argv);
        std::cerr << "mlarc.fcgi: cannot start afresh (" << std::strerror(errno)
                  << "); exiting, the server starts a new process\n";
        return 0;
    }
    return rc;
#else
    return mlarc::web::run_cgi(argc, argv);
#endif
}
