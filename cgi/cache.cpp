// mlarc.fcgi's response cache (see cache.hpp).
#include "cache.hpp"

#include <cerrno>

#include "pages.hpp"
#include "query/archive.hpp"

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <optional>

namespace mlarc::web {

size_t cache_bytes_from_env() {
    size_t mib = kDefaultCacheMiB;
    if (const char* v = std::getenv("MLARC_WEB_CACHE_MB")) {
        char* end = nullptr;
        long long n = std::strtoll(v, &end, 10);
        if (end != v && *end == '\0' && n >= 0 && n <= 4096)
            mib = static_cast<size_t>(n);
        else // the server's log: a typo must not pass for a setting
            std::cerr << "mlarc.fcgi: MLARC_WEB_CACHE_MB=\"" << v
                      << "\" is not a number of MiB from 0 to 4096; using " << kDefaultCacheMiB
                      << "\n";
    }
    return mib << 20;
}

uint64_t max_bad_requests_from_env() {
    uint64_t n = kDefaultMaxBadRequests;
    if (const char* v = std::getenv("MLARC_WEB_MAX_BAD_REQUESTS")) {
        char* end = nullptr;
        errno = 0;
        const long long x = std::strtoll(v, &end, 10);
        if (end != v && *end == '\0' && errno == 0 && x >= 0 && x <= 1000000000)
            n = static_cast<uint64_t>(x);
        else
            std::cerr << "mlarc.fcgi: MLARC_WEB_MAX_BAD_REQUESTS=\"" << v
                      << "\" is not a number from 0 to 1000000000; using " << kDefaultMaxBadRequests
                      << "\n";
    }
    return n;
}

bool cacheable_path(std::string_view path) {
    if (path.empty() || path == "/" || path == "/search") return true;
    if (path.starts_with("/l/")) return true; // a list, its Atom feed, months, a month
    if (path.starts_with("/t/")) return !path.ends_with("/mbox");
    if (path.starts_with("/m/")) {
        // The message page, not /raw or /a/<part>.
        return !path.ends_with("/raw") && path.find("/a/", 3) == std::string_view::npos;
    }
    return false;
}

void ResponseCache::set_state(const std::string& state) {
    if (state == state_) return;
    lru_.clear();
    map_.clear();
    bytes_ = 0;
    state_ = state;
}

const Response* ResponseCache::find(const std::string& state, const std::string& key) {
    set_state(state);
    auto it = map_.find(key);
    if (it == map_.end()) {
        ++misses_;
        return nullptr;
    }
    lru_.splice(lru_.begin(), lru_, it->second);
    ++hits_;
    return &it->second->response;
}

void ResponseCache::put(const std::string& state, const std::string& key, const Response& r) {
    set_state(state);
    size_t size = key.size() * 2 + r.body.size() + r.content_type.size() + 128;
    for (const auto& [name, value] : r.headers)
        size += name.size() + value.size() + 64;
    if (size > max_bytes_ / 4) return;
    if (auto old = map_.find(key); old != map_.end()) {
        bytes_ -= old->second->bytes;
        lru_.erase(old->second);
        map_.erase(old);
    }
    while (!lru_.empty() && bytes_ + size > max_bytes_) {
        bytes_ -= lru_.back().bytes;
        map_.erase(lru_.back().key);
        lru_.pop_back();
    }
    lru_.push_front(Entry{key, r, size});
    map_[key] = lru_.begin();
    bytes_ += size;
}

Response handle_cached(ResponseCache& cache, Archive& archive, const Settings& settings,
                       std::string_view method, std::string_view path_info,
                       std::string_view query_string) {
    std::optional<std::string> state;
    std::string key;
    if ((method == "GET" || method == "HEAD") && cacheable_path(path_info)) {
        state = archive.state_token();
        if (state) {
            // The UTC day: relative dates (`date:yesterday..`, `since=3m`) move at midnight.
            const auto day = static_cast<long long>(std::time(nullptr) / 86400);
            key.reserve(path_info.size() + query_string.size() + 24);
            key.append(path_info).append(1, '\0').append(query_string).append(1, '\0');
            key += std::to_string(day);
            if (const Response* hit = cache.find(*state, key)) {
                Response r = *hit;
                r.headers.emplace_back("X-Cache", "hit");
                return r;
            }
        }
    }
    Response r = handle(archive, settings, method, path_info, query_string);
    if (state) {
        if (r.status == 200) cache.put(*state, key, r);
        r.headers.emplace_back("X-Cache", "miss");
    }
    return r;
}

} // namespace mlarc::web
