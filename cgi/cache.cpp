// mlarc.fcgi's response cache (see cache.hpp).
#include "cache.hpp"

#include "pages.hpp"
#include "query/archive.hpp"

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <optional>

namespace mlarc::web {

namespace {

/// The whole number in environment variable `name`, from 0 to `max`, else
/// `fallback`; a value that is set but not such a number is reported on
/// stderr (the server's log: a typo must not pass for a setting).
uint64_t env_count(const char* name, const char* what, uint64_t max, uint64_t fallback) {
    const char* v = std::getenv(name);
    if (!v) return fallback;
    char* end = nullptr;
    errno = 0;
    const long long n = std::strtoll(v, &end, 10);
    if (end != v && *end == '\0' && errno == 0 && n >= 0 && static_cast<uint64_t>(n) <= max)
        return static_cast<uint64_t>(n);
    std::cerr << "mlarc.fcgi: " << name << "=\"" << v << "\" is not a number " << what
              << "from 0 to " << max << "; using " << fallback << "\n";
    return fallback;
}

} // namespace

size_t cache_bytes_from_env() {
    return static_cast<size_t>(env_count("MLARC_WEB_CACHE_MB", "of MiB ", 4096, kDefaultCacheMiB))
           << 20;
}

uint64_t max_bad_requests_from_env() {
    return env_count("MLARC_WEB_MAX_BAD_REQUESTS", "", 1000000000, kDefaultMaxBadRequests);
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
