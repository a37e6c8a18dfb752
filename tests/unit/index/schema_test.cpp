// The schema table is consistent (unique names, prefixes and slots, Omega
// prefix conventions), terms follow QueryParser's rules and the 245-byte
// limit, the document data round-trips and the facet keys are built right.
#include "index/schema.hpp"
#include "util/strings.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace mlarc;

TEST_CASE("the schema table is consistent", "[index][schema]") {
    const auto problems = check_index_schema();
    for (const auto& p : problems)
        INFO(p);
    CHECK(problems.empty());
}

TEST_CASE("schema table: prefixes, slots and kinds", "[index][schema]") {
    std::set<std::string_view> prefixes;
    std::set<int> slots;
    for (const auto& f : kIndexFields) {
        INFO(f.name);
        if (!f.prefix.empty()) {
            CHECK(prefixes.insert(f.prefix).second);
            CHECK(f.prefix.front() >= 'A');
            CHECK(f.prefix.front() <= 'Z');
            CHECK(f.prefix.front() != 'Z');
            if (f.prefix.size() > 1) CHECK(f.prefix.front() == 'X');
        }
        if (f.kind == FieldKind::boolean) CHECK(!f.prefix.empty());
        if (f.slot >= 0) CHECK(slots.insert(f.slot).second);
        CHECK(find_index_field(f.name) == &f);
    }
    CHECK(index_field(FieldId::date).slot == static_cast<int>(kSlotDate));
    CHECK(index_field(FieldId::thread).slot == static_cast<int>(kSlotThread));
    CHECK(index_field(FieldId::size).slot == static_cast<int>(kSlotSize));
    CHECK(find_index_field("mid") == &index_field(FieldId::mid));
    CHECK(find_index_field("author") == &index_field(FieldId::from));
    CHECK(find_index_field("wg") == nullptr); // the query layer maps wg: to list:
    CHECK(prefix_of(FieldId::from) == "A");
    CHECK(prefix_of(FieldId::subject) == "S");
    CHECK(prefix_of(FieldId::mid) == "Q");
    CHECK(prefix_of(FieldId::list) == "XLIST");
    CHECK(prefix_of(FieldId::has) == "K");
    CHECK(prefix_of(FieldId::year) == "Y");
    CHECK(prefix_of(FieldId::month) == "M");
}

TEST_CASE("terms: QueryParser's colon rule, NUL, 240-byte cut", "[index][schema]") {
    CHECK(make_term("XLIST", "linux-mips") == "XLISTlinux-mips");
    CHECK(make_term("XLIST", "Linux") == "XLIST:Linux");
    CHECK(make_term("Q", "Pine.LNX.4@x") == "QPine.LNX.4@x"); // one-letter prefix: no colon
    CHECK(make_term("K", std::string("a\0b", 3)) == "Kab");
    const std::string long_value(300, 'a');
    CHECK(make_term("XTO", long_value).size() == kMaxTermBytes);
    // Never cut inside a UTF-8 sequence: "é" is 2 bytes.
    std::string accents;
    for (int i = 0; i < 150; ++i)
        accents += "\xc3\xa9";
    const std::string t = make_term("XTO", accents);
    CHECK(t.size() <= kMaxTermBytes);
    CHECK((t.size() - 3) % 2 == 0);
}

TEST_CASE("Message-ID terms: long ids are hashed", "[index][schema]") {
    CHECK(mid_term("abc@example.org") == "Qabc@example.org");
    const std::string long_mid(kMaxPlainMidBytes + 1, 'x');
    const std::string t = mid_term(long_mid);
    CHECK(t.rfind("Qsha256:", 0) == 0);
    CHECK(t.size() == 1 + 7 + 64);
    CHECK(mid_term(long_mid) == t); // deterministic
    CHECK(mid_term(std::string(kMaxPlainMidBytes, 'x')).size() == kMaxPlainMidBytes + 1);
}

TEST_CASE("document data round-trips", "[index][schema]") {
    DocData d;
    d.id = 4711;
    d.mid = "abc@example.org";
    d.mid_seq = 2;
    d.subject = "Re: [PATCH] tabs\tand\nnewlines \xe6\x97\xa5\xe6\x9c\xac";
    d.from_name = "Ralf";
    d.from_addr = "ralf@linux-mips.org";
    d.date_utc = -86400 * 365; // before 1970
    d.date_offset = -300;
    d.lists = {"linux-mips", "fgdpmwg3"};
    d.thread_id = 42;
    d.flags = 1u << 18;
    d.size = 123456789;
    d.attachments = 3;
    const std::string enc = encode_doc_data(d);
    auto back = decode_doc_data(enc);
    REQUIRE(back.ok());
    CHECK(*back == d);
    CHECK(decode_doc_data(encode_doc_data(DocData{})).ok());

    CHECK(decode_doc_data("").error().code == Errc::bad_input);
    CHECK(decode_doc_data(enc.substr(0, enc.size() - 1)).error().code == Errc::bad_input);
    CHECK(decode_doc_data(enc + "x").error().code == Errc::bad_input);
    CHECK(decode_doc_data("\x09garbage").error().code == Errc::bad_input);

    // The author part a thread line needs, as views.
    DocDataAuthor a;
    REQUIRE(decode_doc_data_author(enc, a));
    CHECK(a.from_name == d.from_name);
    CHECK(a.from_addr == d.from_addr);
    CHECK(a.date_utc == d.date_utc);
    CHECK(a.lists == std::vector<std::string_view>{"linux-mips", "fgdpmwg3"});
    CHECK_FALSE(decode_doc_data_author("", a));
    CHECK_FALSE(decode_doc_data_author("\x09garbage", a));
    // Cut inside the lists: not whole.
    const size_t lists_end = enc.find("fgdpmwg3") + 8;
    CHECK_FALSE(decode_doc_data_author(enc.substr(0, lists_end - 1), a));
}

TEST_CASE("facet keys: lists sorted and joined, months YYYY-MM, slots of their own",
          "[index][schema]") {
    CHECK(facet_lists_value({}) == "");
    CHECK(facet_lists_value({"linux-mips"}) == "linux-mips");
    const std::string both = facet_lists_value({"linux-mips", "fgdpmwg3", "linux-mips", ""});
    CHECK(both == std::string("fgdpmwg3\0linux-mips", 19));
    CHECK(split(both, '\0', true) == std::vector<std::string>{"fgdpmwg3", "linux-mips"});
    CHECK(facet_month_value(1514854800) == "2018-01"); // 2018-01-02T01:00:00Z
    CHECK(facet_month_value(-1) == "1969-12");
    CHECK(facet_month_value(0) == "1970-01");
    std::set<int> slots;
    for (const auto& f : kIndexFields)
        if (f.slot >= 0) slots.insert(f.slot);
    for (unsigned s : kNonFieldSlots)
        CHECK(slots.insert(static_cast<int>(s)).second);
}
