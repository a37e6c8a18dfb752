// MLARC_FAULT parsing and the per-point counters (see fault.hpp).
#include "util/fault.hpp"

#include <csignal>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

namespace mlarc {

namespace {

struct Rule {
    std::string point;
    unsigned long nth = 0;
    int signal = SIGKILL;
    unsigned long seen = 0;
};

struct Faults {
    std::mutex m;
    std::vector<Rule> rules;
};

// Parses "point:N[:action],..."; malformed entries are ignored (this is a
// testing aid, never set in production).
Faults* load() {
    const char* env = std::getenv("MLARC_FAULT");
    if (env == nullptr || *env == '\0') return nullptr;
    auto* f = new Faults; // lives for the life of the process
    std::string_view all(env);
    while (!all.empty()) {
        const auto comma = all.find(',');
        std::string_view item = all.substr(0, comma);
        all = comma == std::string_view::npos ? std::string_view{} : all.substr(comma + 1);
        const auto c1 = item.find(':');
        if (c1 == std::string_view::npos) continue;
        Rule r;
        r.point = std::string(item.substr(0, c1));
        std::string_view rest = item.substr(c1 + 1);
        const auto c2 = rest.find(':');
        r.nth = std::strtoul(std::string(rest.substr(0, c2)).c_str(), nullptr, 10);
        if (c2 != std::string_view::npos && rest.substr(c2 + 1) == "stop") r.signal = SIGSTOP;
        if (r.nth > 0) f->rules.push_back(std::move(r));
    }
    return f;
}

} // namespace

void fault_point(std::string_view name) {
    static Faults* const faults = load();
    if (faults == nullptr) return;
    int sig = 0;
    {
        std::lock_guard<std::mutex> l(faults->m);
        for (auto& r : faults->rules)
            if (r.point == name && ++r.seen == r.nth) sig = r.signal;
    }
    if (sig != 0) std::raise(sig);
}

} // namespace mlarc
