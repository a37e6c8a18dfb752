// List-Id routing of imported messages (see list_route.hpp).
#include "ingest/list_route.hpp"

#include "util/strings.hpp"

#include <algorithm>

namespace mlarc {

std::string list_id_of_address(std::string_view address) {
    std::string id = ascii_lower(trim(address));
    std::replace(id.begin(), id.end(), '@', '.');
    return id;
}

ListRouter::ListRouter(std::optional<ListInfo> fallback, const std::vector<ListEntry>& known)
    : fallback_(std::move(fallback)) {
    for (const auto& e : known) {
        ListInfo l;
        l.name = e.name;
        l.address = ascii_lower(e.address);
        l.wg = e.wg;
        l.title = e.title;
        known_.push_back(std::move(l));
    }
    // An unregistered --list given as an address is known too.
    if (fallback_ && !fallback_->address.empty() &&
        std::none_of(known_.begin(), known_.end(),
                     [&](const ListInfo& l) { return l.name == fallback_->name; }))
        known_.push_back(*fallback_);
}

std::optional<ListInfo> ListRouter::route(const std::vector<std::string>& list_ids) const {
    for (const auto& raw : list_ids) {
        const std::string id = ascii_lower(trim(raw));
        for (const auto& l : known_)
            if (id == l.name || (!l.address.empty() && id == list_id_of_address(l.address)))
                return l;
    }
    return fallback_;
}

} // namespace mlarc
