// Helpers for tests that look into a Xapian index directly: the ids a query
// matches, found by the matcher itself (no shortcut of the query module), so a
// test can compare two queries' matches.
#pragma once

#include <xapian.h>

#include <vector>

namespace mlarc::test {

/// Every document `q` matches in `db`, ascending, by a plain Enquire.
inline std::vector<Xapian::docid> enquire_ids(Xapian::Database& db, const Xapian::Query& q) {
    Xapian::Enquire e(db);
    e.set_query(q);
    e.set_weighting_scheme(Xapian::BoolWeight());
    e.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::MSet ms = e.get_mset(0, db.get_doccount());
    return {ms.begin(), ms.end()};
}

} // namespace mlarc::test
