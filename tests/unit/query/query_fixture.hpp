// Shared by the query tests: a small indexed archive built with the index
// tests' TestArchive (a store in a temporary directory filled with hand-made
// messages, then indexed), with a second list that has a WG number, a
// cross-post, a thread with a missing parent, an attachment and a non-ASCII
// subject; and helpers to compare parsed queries with Xapian's own
// description of the expected query.
#pragma once

#include "unit/index/index_fixture.hpp"

#include "query/archive.hpp"
#include "query/messages.hpp"
#include "query/search.hpp"

#include <string>

namespace mlarc::test {

/// 2018-06-15T12:00:00Z: "now" for relative dates.
inline constexpr int64_t kNow = 1529064000;

/// The archive every query test uses (see the file comment).
class QueryArchive {
  public:
    QueryArchive() {
        wg3_ = a_.store().ensure_list(ListInfo{0, "fgdpm-wg3", "wg3@lists.example.org", 3, "WG 3"})->id;
        Msg root;
        root.mid = "root@test";
        root.subject = "Cache coherency on R10000";
        root.body = "We discussed cache coherency at length.\n";
        root.date_utc = 1514764800; // 2018-01-01
        Msg reply;
        reply.mid = "reply@test";
        reply.references = {"root@test"};
        reply.subject = "Re: Cache coherency on R10000";
        reply.body = "On Mon, Ralf wrote:\n> We discussed cache coherency\nI agree about the kernel.\n";
        reply.from_addr = "bob@example.org";
        reply.from_name = "Bob Smith";
        reply.date_utc = 1514851200; // 2018-01-02
        Msg late;
        late.mid = "late@test";
        late.references = {"root@test", "missing@test"}; // parent not in the archive: a ghost
        late.subject = "Re: Cache coherency on R10000";
        late.body = "Late answer about the kernel build.\n";
        late.date_utc = 1520208000; // 2018-03-05
        late.attachments = {{2, "fix.patch", "text/x-patch", 120}};
        Msg other;
        other.mid = "other@test";
        other.subject = "Übersicht: Kernel für MIPS";
        other.body = "A kernel overview in German.\n";
        other.from_addr = "carol@example.de";
        other.from_name = "Carol Müller";
        other.date_utc = 1546300800; // 2019-01-01
        ids_ = a_.add({root, reply, late, other});
        Msg wg;
        wg.mid = "wg@test";
        wg.subject = "WG meeting minutes";
        wg.body = "Minutes of the kernel meeting.\n";
        wg.date_utc = 1527811200; // 2018-06-01
        wg_ids_ = a_.add({wg}, wg3_);
        // The root cross-posted to the WG list: one message in two lists.
        a_.add({root}, wg3_);
        a_.index();
    }

    const std::filesystem::path& path() const { return a_.path(); }
    TestArchive& archive() { return a_; }
    int64_t id(size_t i) const { return ids_.at(i); }  // root, reply, late, other
    int64_t wg_id() const { return wg_ids_.at(0); }
    int64_t thread_of(int64_t id) { return a_.thread_of(id); }

  private:
    TestArchive a_;
    int64_t wg3_ = 0;
    std::vector<int64_t> ids_, wg_ids_;
};

/// The parsed form of `text` (with `now` fixed), or the error text prefixed
/// with "error: ".
inline std::string parsed(Archive& a, const std::string& text, QuerySpec spec = {}) {
    spec.text = text;
    spec.now = kNow;
    auto r = explain_query(a, spec);
    if (!r.ok()) return "error: " + r.error().what();
    return *r;
}

/// Description of a boolean (weight 0) filter on `q`, as the parser gives it.
inline std::string filter_of(const Xapian::Query& q) {
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, 0).get_description();
}

} // namespace mlarc::test
