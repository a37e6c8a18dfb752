// mlarc.fcgi's response cache: whole responses of the pages made only from
// the store and the index (search, list, month, thread and message pages,
// HTML, JSON and Atom), kept in memory between requests and answered again
// while the archive is unchanged. An entry is valid for one archive state
// (Archive::state_token(): the store's SQLite data version and the index's
// UUID and revision) and one UTC day (relative dates such as
// `date:yesterday..` move at midnight); when the state changes, every entry
// goes. Bounded by bytes (least recently used out first); 0 bytes: off.
//
// Why: a CGI pays the process start and the opening of the store and index
// for every request; a FastCGI server pays neither, and for the pages asked
// again and again (a list's front page, a popular search, the permalink
// of a thread linked from elsewhere) it need not search again either. A
// cached answer is the same bytes the page would be made of now (the tests
// check it), marked `X-Cache: hit` (`miss` when it was made).
//
// Not cached: errors and anything but 200, the report and deliverable pages
// (they read the registry files and the clock), raw messages, attachments
// and mbox downloads (big, and cheap to copy out of the store), sharded
// indexes (no revision to key on), responses over a quarter of the budget.
#pragma once

#include "request.hpp"

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mlarc {
class Archive;
}

namespace mlarc::web {

struct Settings;

/// Default budget of the cache in MiB (MLARC_WEB_CACHE_MB overrides; 0: off).
inline constexpr size_t kDefaultCacheMiB = 32;

/// The budget from MLARC_WEB_CACHE_MB (0 to 4096 MiB), in bytes; any other
/// value is reported on stderr and the default used.
size_t cache_bytes_from_env();

/// The other budget of a mlarc.fcgi process: after this many answers of 400
/// (bad requests, query syntax errors among them) it starts afresh when the
/// request is done (execs itself, keeping its listening socket). Why: Debian 12's
/// libxapian (1.4.22) loses 96-192 bytes in QueryParser::parse_query on some
/// syntax errors (a windowed NEAR/ADJ after an operator; fuzz_query_index),
/// which a long-running process would pile up under hostile traffic; the
/// budget bounds that to about 2 MB. Normal use seldom reaches it.
inline constexpr uint64_t kDefaultMaxBadRequests = 10000;

/// The budget from MLARC_WEB_MAX_BAD_REQUESTS (0: never exit; at most 10^9);
/// any other value is reported on stderr and the default used.
uint64_t max_bad_requests_from_env();

/// True for a PATH_INFO whose 200 responses may be cached (see the file
/// comment).
bool cacheable_path(std::string_view path_info);

class ResponseCache {
  public:
    explicit ResponseCache(size_t max_bytes) : max_bytes_(max_bytes) {}

    /// The response stored for `key` while the archive is in `state`, or
    /// nullptr. A new `state` empties the cache first.
    const Response* find(const std::string& state, const std::string& key);
    /// Keeps `r` for `key` in `state` unless it is too big; evicts the least
    /// recently used entries to stay within the budget.
    void put(const std::string& state, const std::string& key, const Response& r);

    size_t bytes() const { return bytes_; }
    size_t entries() const { return map_.size(); }
    uint64_t hits() const { return hits_; }
    uint64_t misses() const { return misses_; }

  private:
    struct Entry {
        std::string key;
        Response response;
        size_t bytes = 0;
    };
    void set_state(const std::string& state);
    size_t max_bytes_;
    size_t bytes_ = 0;
    uint64_t hits_ = 0, misses_ = 0;
    std::string state_;
    std::list<Entry> lru_; // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> map_;
};

/// handle() through `cache`: for a GET or HEAD of a cacheable path, the
/// cached response of the same path, query string and UTC day when the
/// archive is still in the state it was made in; else handle(), its 200
/// response kept. Adds `X-Cache: hit` or `miss` to cacheable requests.
/// Call archive.refresh() first, as for handle().
Response handle_cached(ResponseCache& cache, Archive& archive, const Settings& settings,
                       std::string_view method, std::string_view path_info,
                       std::string_view query_string);

} // namespace mlarc::web
