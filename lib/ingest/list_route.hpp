// Which list an imported message is filed under. A message whose List-Id
// header names a known list (one of the registry's lists.tsv, or the list given
// with --list when that was an address) belongs to that list: "<fgdpmwg3.
// lists.itu.int>" names fgdpmwg3@lists.itu.int, and a bare "<fgdpmwg3>" names
// the list called fgdpmwg3. The first List-Id that names a known list wins. A
// message without such a List-Id goes to the --list list; without --list it
// has no list and the importer quarantines it with reason "no list" (nothing is
// lost; re-importing the file with --list files it).
//
// List-Id wins over --list because each list server adds its own List-Id to
// the copy it delivers: in one mbox mixing several lists' traffic (a personal
// mailbox, an export of a whole group) the header is the only per-message
// record of the list, while --list is one value for the whole file.
#pragma once

#include "registry/registry.hpp"
#include "store/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace mlarc {

class ListRouter {
  public:
    /// `fallback`: the --list list, if any; `known`: the registry's lists.
    ListRouter(std::optional<ListInfo> fallback, const std::vector<ListEntry>& known);

    /// The list a message with these List-Id values (lower-cased ids without
    /// the angle brackets, as ParsedMessage::list_ids) is filed under, or
    /// nullopt when it has none. The result's id is 0 (not yet in a store).
    std::optional<ListInfo> route(const std::vector<std::string>& list_ids) const;

    bool has_fallback() const { return fallback_.has_value(); }

  private:
    std::optional<ListInfo> fallback_;
    std::vector<ListInfo> known_;
};

/// The List-Id a list's address stands for: "fgdpmwg3@lists.itu.int" ->
/// "fgdpmwg3.lists.itu.int" (lower-cased); "" for an empty address.
std::string list_id_of_address(std::string_view address);

} // namespace mlarc
