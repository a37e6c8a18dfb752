// A loop over the rows of a prepared statement, shared by the store's
// set-based readers (index feed, purge, quarantine).
#pragma once

#include "store/sqlite.hpp"
#include "util/result.hpp"

namespace mlarc::sql {

/// Steps `q` to the end, calling row(q) for each row.
template <typename F> Status for_each_row(Stmt& q, F&& row) {
    for (;;) {
        auto r = q.step();
        if (!r.ok()) return r.error();
        if (!*r) return {};
        row(q);
    }
}

} // namespace mlarc::sql
