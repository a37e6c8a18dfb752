// Reading the quarantine table (see quarantine.hpp).
#include "store/quarantine.hpp"

#include "store/rows.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace mlarc {

namespace {

constexpr const char* kColumns =
    "SELECT q.id, q.reason, coalesce(s.path, ''), coalesce(s.format, ''), "
    "coalesce(q.source_offset, -1), coalesce(l.name, ''), length(q.raw), q.created_at";
constexpr const char* kFrom = " FROM quarantine q LEFT JOIN sources s ON s.id = q.source_id "
                              "LEFT JOIN lists l ON l.id = q.list_id";

QuarantineEntry entry_from_row(const sql::Stmt& r) {
    return QuarantineEntry{r.int64(0),
                           r.text(1),
                           r.text(2),
                           r.text(3),
                           r.int64(4),
                           r.text(5),
                           static_cast<uint64_t>(r.int64(6)),
                           r.int64(7)};
}

bool same_ascii_nocase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

} // namespace

std::string quarantine_reason_kind(std::string_view reason) {
    std::string_view k = reason.substr(0, reason.find(':'));
    while (!k.empty() && std::isspace(static_cast<unsigned char>(k.front())))
        k.remove_prefix(1);
    while (!k.empty() && std::isspace(static_cast<unsigned char>(k.back())))
        k.remove_suffix(1);
    return std::string(k);
}

Result<std::vector<QuarantineEntry>> quarantine_entries(Store& store, std::string_view kind) {
    auto q = store.db().prepare(std::string(kColumns) + kFrom + " ORDER BY q.id");
    if (!q.ok()) return q.error();
    std::vector<QuarantineEntry> out;
    MLARC_TRY_STATUS(sql::for_each_row(*q, [&](const sql::Stmt& r) {
        QuarantineEntry e = entry_from_row(r);
        if (kind.empty() || same_ascii_nocase(quarantine_reason_kind(e.reason), kind))
            out.push_back(std::move(e));
    }));
    return out;
}

Result<std::optional<std::pair<QuarantineEntry, std::string>>> quarantine_message(Store& store,
                                                                                  int64_t id) {
    using Out = std::optional<std::pair<QuarantineEntry, std::string>>;
    auto q = store.db().prepare(std::string(kColumns) + ", q.raw" + kFrom + " WHERE q.id=?");
    if (!q.ok()) return q.error();
    q->bind(1, id);
    auto r = q->step();
    if (!r.ok()) return r.error();
    if (!*r) return Out{};
    return Out{std::make_pair(entry_from_row(*q), q->blob(8))};
}

std::vector<std::pair<std::string, int64_t>>
quarantine_counts(const std::vector<QuarantineEntry>& entries) {
    std::map<std::string, int64_t> by_kind;
    for (const auto& e : entries)
        ++by_kind[quarantine_reason_kind(e.reason)];
    std::vector<std::pair<std::string, int64_t>> out(by_kind.begin(), by_kind.end());
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    return out;
}

} // namespace mlarc
