// The store's index feed: the change plan (ids in a change_seq range,
// tombstones) and the chunked reads with lists, addresses and attachments.
#include "index_fixture.hpp"

#include "store/index_feed.hpp"

using namespace mlarc;
using mlarc::test::Msg;
using mlarc::test::TestArchive;

TEST_CASE("feed: plan covers the change range, reads carry every field", "[index][feed]") {
    TestArchive a;
    Msg m1;
    m1.mid = "one@test";
    m1.cc = {{"cc@example.org", "Cc Person"}};
    m1.attachments = {{2, "a.pdf", "application/pdf", 10}, {3, "b.txt", "text/plain", 5}};
    m1.attachment_text = "attached words";
    m1.flags = flag_no_archive;
    Msg m2;
    m2.mid = "two@test";
    m2.to = {{"x@example.org", "X"}, {"y@example.org", "Y"}};
    const auto ids1 = a.add({m1, m2});
    const int64_t other = a.list("other-list");
    Msg m3;
    m3.mid = "three@test";
    const auto ids2 = a.add({m3}, other);

    auto all = plan_index_feed(a.store(), 0);
    REQUIRE(all.ok());
    CHECK(all->to_seq == 2);
    CHECK(all->ids.to_vector() == std::vector<int64_t>{ids1[0], ids1[1], ids2[0]});
    CHECK(all->total_bytes() > 0);
    CHECK(all->bytes.total() == all->total_bytes());
    CHECK(all->deleted.empty());

    auto later = plan_index_feed(a.store(), 1);
    REQUIRE(later.ok());
    CHECK(later->ids.to_vector() == ids2);
    auto none = plan_index_feed(a.store(), 2);
    REQUIRE(none.ok());
    CHECK(none->ids.empty());

    // Out of order, duplicated and missing ids are fine.
    const std::vector<int64_t> ask{ids2[0], ids1[1], ids1[0], ids1[0], 999999};
    auto msgs = read_feed_messages(a.store(), ask);
    REQUIRE(msgs.ok());
    REQUIRE(msgs->size() == 3);
    const FeedMessage& f1 = (*msgs)[0];
    CHECK(f1.id == ids1[0]);
    CHECK(f1.mid == "one@test");
    CHECK(f1.mid_seq == 1);
    CHECK(f1.from_addr == "ralf@linux-mips.org");
    CHECK(f1.from_name == "Ralf Baechle");
    CHECK(f1.subject == "a subject");
    CHECK(f1.date_utc == 1514764800);
    CHECK(f1.flags == flag_no_archive);
    CHECK(f1.lists == std::vector<std::string>{"linux-mips"});
    REQUIRE(f1.to.size() == 1);
    CHECK(f1.to[0].address == "linux-mips@linux-mips.org");
    REQUIRE(f1.cc.size() == 1);
    CHECK(f1.cc[0].name == "Cc Person");
    REQUIRE(f1.attachments.size() == 2);
    CHECK(f1.attachments[0].filename == "a.pdf");
    CHECK(f1.attachments[1].content_type == "text/plain");
    CHECK(f1.body == "some body text");
    CHECK(f1.attachment_text == "attached words");
    CHECK((*msgs)[1].to.size() == 2);
    CHECK((*msgs)[1].to[1].address == "y@example.org");
    CHECK((*msgs)[2].lists == std::vector<std::string>{"other-list"});

    auto n = count_indexable_messages(a.store());
    REQUIRE(n.ok());
    CHECK(*n == 3);
}

TEST_CASE("feed: cross-posts and deletions show up as changes", "[index][feed]") {
    TestArchive a;
    Msg m;
    m.mid = "cross@test";
    const auto ids = a.add({m});
    const int64_t other = a.list("other-list");
    a.add({m}, other); // the same message from another list: a new membership
    auto plan = plan_index_feed(a.store(), 1);
    REQUIRE(plan.ok());
    CHECK(plan->ids.to_vector() == ids);
    auto msgs = read_feed_messages(a.store(), plan->ids.to_vector());
    REQUIRE(msgs.ok());
    CHECK((*msgs)[0].lists == std::vector<std::string>{"linux-mips", "other-list"});

    a.remove(ids[0]);
    auto del = plan_index_feed(a.store(), 2);
    REQUIRE(del.ok());
    CHECK(del->ids.empty());
    CHECK(del->deleted == ids);
    auto gone = read_feed_messages(a.store(), ids);
    REQUIRE(gone.ok());
    CHECK(gone->empty());
}

TEST_CASE("feed: id runs hold a sorted id set by runs of consecutive ids", "[index][feed]") {
    IdRuns r;
    CHECK(r.empty());
    CHECK(r.upper_bound(5) == 0);
    for (int64_t id : {1, 2, 3, 5, 6, 9})
        r.push_back(id);
    CHECK(r.size() == 6);
    CHECK(r.run_count() == 3);
    CHECK(r.front() == 1);
    CHECK(r.back() == 9);
    CHECK(r.to_vector() == std::vector<int64_t>{1, 2, 3, 5, 6, 9});
    const std::vector<std::pair<int64_t, size_t>> bounds{{0, 0}, {1, 1}, {3, 3}, {4, 3},
                                                         {5, 4}, {8, 5}, {9, 6}, {100, 6}};
    for (const auto& [v, pos] : bounds) {
        INFO("upper_bound(" << v << ")");
        CHECK(r.upper_bound(v) == pos);
    }
    std::vector<int64_t> out;
    r.slice(2, 3, out);
    CHECK(out == std::vector<int64_t>{3, 5, 6});
    out.clear();
    r.slice(4, 100, out);
    CHECK(out == std::vector<int64_t>{6, 9});
    out.clear();
    r.slice(6, 1, out);
    CHECK(out.empty());

    IdRuns big; // a full build without holes is one run, whatever its size
    for (int64_t id = 1; id <= 1'000'000; ++id)
        big.push_back(id);
    CHECK(big.run_count() == 1);
    CHECK(big.upper_bound(500'000) == 500'000);
    out.clear();
    big.slice(999'998, 5, out);
    CHECK(out == std::vector<int64_t>{999'999, 1'000'000});
}

TEST_CASE("feed: the byte profile is exact on small plans and close on large ones",
          "[index][feed]") {
    ByteProfile small;
    for (uint64_t b : {10, 20, 30, 40})
        small.add(b);
    CHECK(small.total() == 100);
    CHECK(small.position_reaching(30) == 2);
    CHECK(small.position_reaching(31) == 3);
    CHECK(small.position_reaching(100) == 4);
    CHECK(small.position_reaching(101) == 4);
    CHECK(small.bytes_before(0) == 0);
    CHECK(small.bytes_before(2) == 30);
    CHECK(small.bytes_before(4) == 100);

    // 1,000,000 ids of one byte each: the samples thin out, the error stays
    // within one step (1,000,000 / (kMaxSamples / 2) ids).
    ByteProfile big;
    const size_t n = 1'000'000;
    for (size_t i = 0; i < n; ++i)
        big.add(1);
    const auto step = static_cast<int64_t>(n / (ByteProfile::kMaxSamples / 2)) + 1;
    const auto half = static_cast<int64_t>(big.position_reaching(n / 2));
    CHECK(half >= static_cast<int64_t>(n / 2));
    CHECK(half - static_cast<int64_t>(n / 2) <= step);
    const auto before = static_cast<int64_t>(big.bytes_before(n / 3));
    CHECK(before <= static_cast<int64_t>(n / 3));
    CHECK(static_cast<int64_t>(n / 3) - before <= step);
}
