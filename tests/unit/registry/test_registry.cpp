// Tests of registry/registry: the real data/registry tables (18 deliverables,
// 6 lists, 8 meetings and the facts taken from the final report), broken
// inline TSV with line-numbered errors, and the registry folder search.
#include "test_support.hpp"

#include "registry/registry.hpp"
#include "util/date.hpp"

#include <cstdlib>
#include <optional>
#include <set>
#include <string>

using namespace mlarc;

namespace {

const Registry& real_registry() {
    static const Registry reg = [] {
        Result<Registry> r = load_registry(default_registry_dir());
        if (!r) FAIL("cannot load " << default_registry_dir().string() << ": " << r.error().what());
        return std::move(r).value();
    }();
    return reg;
}

/// The error message of a parse that must fail.
template <typename T> std::string error_of(const Result<T>& r) {
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::bad_input);
    return r.error().message;
}

constexpr const char* kDelivHeader = "id\twg\tshort_name\ttitle\toutput_doc\n";
constexpr const char* kListHeader = "name\taddress\twg\ttitle\n";
constexpr const char* kMeetHeader =
    "number\tstart\tend\tcity\tinput_docs\toutput_docs\tparticipants\n";

/// Sets or unsets MLARC_REGISTRY for the life of the object, then restores it.
class RegistryEnv {
  public:
    explicit RegistryEnv(const char* value) {
        if (const char* old = std::getenv("MLARC_REGISTRY")) old_ = old;
        if (value)
            ::setenv("MLARC_REGISTRY", value, 1);
        else
            ::unsetenv("MLARC_REGISTRY");
    }
    ~RegistryEnv() {
        if (old_)
            ::setenv("MLARC_REGISTRY", old_->c_str(), 1);
        else
            ::unsetenv("MLARC_REGISTRY");
    }
    RegistryEnv(const RegistryEnv&) = delete;
    RegistryEnv& operator=(const RegistryEnv&) = delete;

  private:
    std::optional<std::string> old_;
};

} // namespace

TEST_CASE("the real registry loads 6 lists and 18 deliverables and 8 meetings", "[registry]") {
    const Registry& reg = real_registry();
    REQUIRE(reg.lists.size() == 6);
    REQUIRE(reg.deliverables.size() == 18);
    REQUIRE(reg.meetings.size() == 8);

    const ListEntry* main = reg.find_list("fgdpm");
    REQUIRE(main);
    CHECK(main->wg == 0);
    CHECK(main->address == "fgdpm@lists.itu.int");
    for (int wg = 1; wg <= 5; ++wg) {
        const ListEntry* l = reg.find_list("fgdpmwg" + std::to_string(wg));
        REQUIRE(l);
        CHECK(l->wg == wg);
    }

    std::set<std::string> ids;
    for (const Deliverable& d : reg.deliverables)
        ids.insert(d.id);
    CHECK(ids.size() == 18);
    CHECK(ids.count("D0.1") == 1);
    CHECK(ids.count("D5.4") == 1);

    // From the final report.
    const Deliverable* d32 = reg.find_deliverable("D3.2");
    REQUIRE(d32);
    CHECK(d32->title == "SensorThings API - Sensing");
    CHECK(d32->output_doc == "FG-DPM-O-156");
    CHECK(d32->output_number == 156);
    CHECK(d32->revision == 0);
    CHECK(d32->wg == 3);
    const Deliverable* d01 = reg.find_deliverable("D0.1");
    REQUIRE(d01);
    CHECK(d01->output_doc == "FG-DPM-O-172-R2");
    CHECK(d01->output_number == 172);
    CHECK(d01->revision == 2);

    // Every output document falls in the range of a meeting (README).
    for (const Deliverable& d : reg.deliverables) {
        bool in_range = false;
        for (const Meeting& m : reg.meetings)
            in_range = in_range || m.output_docs.contains(d.output_number);
        CHECK(in_range);
    }
}

TEST_CASE("real meetings: dates are inclusive UTC days and ranges are parsed", "[registry]") {
    const Registry& reg = real_registry();
    const Meeting& first = reg.meetings.front();
    CHECK(first.number == 1);
    for (const Meeting& m : reg.meetings) {
        CHECK(m.start % 86400 == 0);               // midnight UTC of the first day
        CHECK((m.end + 1 - m.start) % 86400 == 0); // last second of the last day
        CHECK(m.start < m.end);
        CHECK(m.participants > 0);
        CHECK(m.output_docs.first <= m.output_docs.last);
    }
    // The last meeting ends on the last day of the group's window.
    CHECK(format_date_utc(reg.meetings.back().end) == "2019-07-15");
}

TEST_CASE("find_deliverable accepts any id or output-document form", "[registry]") {
    const Registry& reg = real_registry();
    const Deliverable* a = reg.find_deliverable("d 3.2");
    REQUIRE(a);
    CHECK(a->id == "D3.2");
    const Deliverable* b = reg.find_deliverable("FG-DPM-O-172");
    REQUIRE(b);
    CHECK(b->id == "D0.1");
    const Deliverable* c = reg.find_deliverable("fgdpm-o-156-r3");
    REQUIRE(c);
    CHECK(c->id == "D3.2");
    CHECK(reg.find_deliverable("D9.9") == nullptr);
    CHECK(reg.find_deliverable("hello") == nullptr);
    CHECK(reg.find_deliverable("FG-DPM-I-156") == nullptr);
}

TEST_CASE("deliverables.tsv: column count errors carry the line number", "[registry]") {
    CHECK(error_of(parse_deliverables(std::string(kDelivHeader) + "D3.2\t3\tx\ty\n",
                                      "deliverables.tsv")) ==
          "deliverables.tsv:2: expected 5 tab-separated columns, found 4");
    // Comments and blank lines count in the numbering.
    const std::string text = "# comment\n\n" + std::string(kDelivHeader) +
                             "D3.1\t3\ta\tb\tFG-DPM-O-155\n# c\n\n"
                             "D3.2\t3\tx\ty\n";
    CHECK(error_of(parse_deliverables(text, "deliverables.tsv")) ==
          "deliverables.tsv:7: expected 5 tab-separated columns, found 4");
    CHECK(error_of(
              parse_deliverables(std::string(kDelivHeader) + "D3.2\t3\tx\ty\tFG-DPM-O-156\textra\n",
                                 "deliverables.tsv")) ==
          "deliverables.tsv:2: expected 5 tab-separated columns, found 6");
}

TEST_CASE("deliverables.tsv: header and ids and wg and output documents are validated",
          "[registry]") {
    const std::string f = "deliverables.tsv";
    auto with = [](const std::string& rows) { return std::string(kDelivHeader) + rows; };

    CHECK(error_of(parse_deliverables("# only comments\n\n", f)) ==
          "deliverables.tsv: no header line");
    CHECK(error_of(parse_deliverables("", f)) == "deliverables.tsv: no header line");
    CHECK(error_of(parse_deliverables("# c\n" + std::string(kDelivHeader), f)) ==
          "deliverables.tsv:2: no records after the header");
    CHECK(error_of(parse_deliverables("id\twg\tshort_name\ttitle\nD3.2\t3\tx\ty\n", f)) ==
          "deliverables.tsv:1: header lacks column 'output_doc'");
    CHECK(error_of(parse_deliverables("id\tid\twg\tshort_name\ttitle\toutput_doc\n", f)) ==
          "deliverables.tsv:1: column 'id' named twice");

    CHECK(error_of(parse_deliverables(with("D3.2\t3\tx\ty\tFG-DPM-O-156\n"
                                           "D3.2\t3\tx\tz\tFG-DPM-O-157\n"),
                                      f)) ==
          "deliverables.tsv:3: duplicate id 'D3.2' (first on line 2)");
    CHECK(error_of(parse_deliverables(with("D3.1\t3\tx\ty\tFG-DPM-O-156\n"
                                           "D3.2\t3\tx\tz\tFG-DPM-O-156-R1\n"),
                                      f)) == "deliverables.tsv:3: duplicate output document number "
                                             "'FG-DPM-O-156-R1' (first on line 2)");
    CHECK(error_of(parse_deliverables(with("D3.1\t3\tx\tSame\tFG-DPM-O-155\n"
                                           "D3.2\t3\tx\tsame\tFG-DPM-O-156\n"),
                                      f)) ==
          "deliverables.tsv:3: duplicate title 'same' (first on line 2)");
    CHECK(error_of(parse_deliverables(with("X3.2\t3\tx\ty\tFG-DPM-O-156\n"), f)) ==
          "deliverables.tsv:2: bad deliverable id 'X3.2' (expected D<wg>.<n>, e.g. D3.2)");
    CHECK(error_of(parse_deliverables(with("D3.2.1\t3\tx\ty\tFG-DPM-O-156\n"), f))
              .find("bad deliverable id") != std::string::npos);
    CHECK(error_of(parse_deliverables(with("d3.2\t3\tx\ty\tFG-DPM-O-156\n"), f))
              .find("bad deliverable id") != std::string::npos); // not canonical
    CHECK(error_of(parse_deliverables(with("D3.2\tthree\tx\ty\tFG-DPM-O-156\n"), f)) ==
          "deliverables.tsv:2: bad wg 'three' (expected a working-group number 0..99)");
    CHECK(error_of(parse_deliverables(with("D3.2\t-3\tx\ty\tFG-DPM-O-156\n"), f))
              .find("bad wg '-3'") != std::string::npos);
    CHECK(error_of(parse_deliverables(with("D3.2\t2\tx\ty\tFG-DPM-O-156\n"), f)) ==
          "deliverables.tsv:2: wg 2 does not match deliverable id D3.2");
    CHECK(error_of(parse_deliverables(with("D3.2\t3\tx\ty\tFG-DPM-I-156\n"), f))
              .find("bad output document") != std::string::npos);
    CHECK(error_of(parse_deliverables(with("D3.2\t3\tx\ty\tD3.2\n"), f))
              .find("bad output document 'D3.2'") != std::string::npos);
    CHECK(error_of(parse_deliverables(with("D3.2\t3\t\ty\tFG-DPM-O-156\n"), f)) ==
          "deliverables.tsv:2: empty short_name");
}

TEST_CASE("deliverables.tsv: output documents are normalised and CRLF and BOM accepted",
          "[registry]") {
    const std::string text = "\xEF\xBB\xBF" +
                             std::string("id\twg\tshort_name\ttitle\toutput_doc\r\n") +
                             "D0.1\t0\tTerms\t Baseline terms \tfgdpm-o-172r2\r\n";
    auto r = parse_deliverables(text, "deliverables.tsv");
    REQUIRE(r.ok());
    REQUIRE(r->size() == 1);
    CHECK(r->at(0).output_doc == "FG-DPM-O-172-R2");
    CHECK(r->at(0).output_number == 172);
    CHECK(r->at(0).revision == 2);
    CHECK(r->at(0).title == "Baseline terms"); // fields are trimmed
}

TEST_CASE("columns are looked up by name and extra columns ignored", "[registry]") {
    auto r =
        parse_lists("wg\tnote\ttitle\tname\taddress\n3\tx\tWG3\tfgdpmwg3\tfgdpmwg3@lists.itu.int\n",
                    "lists.tsv");
    REQUIRE(r.ok());
    CHECK(r->at(0).name == "fgdpmwg3");
    CHECK(r->at(0).wg == 3);
    CHECK(r->at(0).title == "WG3");
}

TEST_CASE("lists.tsv: bad WG numbers and addresses and duplicates", "[registry]") {
    const std::string f = "lists.tsv";
    auto with = [](const std::string& rows) { return std::string(kListHeader) + rows; };
    CHECK(error_of(parse_lists(with("fgdpm\tfgdpm@lists.itu.int\tx\tMain\n"), f)) ==
          "lists.tsv:2: bad wg 'x' (expected a working-group number 0..99)");
    CHECK(error_of(parse_lists(with("fgdpm\tfgdpm@lists.itu.int\t100\tMain\n"), f))
              .find("bad wg '100'") != std::string::npos);
    CHECK(
        error_of(parse_lists(with("fgdpm\tfgdpm@lists.itu.int\t1.5\tMain\n"), f)).find("bad wg") !=
        std::string::npos);
    CHECK(error_of(parse_lists(with("fgdpm\tnot an address\t0\tMain\n"), f)) ==
          "lists.tsv:2: bad address 'not an address'");
    CHECK(error_of(parse_lists(with("FG DPM\tfgdpm@lists.itu.int\t0\tMain\n"), f))
              .find("bad list name") != std::string::npos);
    CHECK(error_of(parse_lists(with("a\ta@lists.itu.int\t1\tA\nb\tb@lists.itu.int\t1\tB\n"), f)) ==
          "lists.tsv:3: duplicate wg '1' (first on line 2)");
    CHECK(error_of(parse_lists(with("a\ta@lists.itu.int\t1\tA\nb\tA@Lists.itu.int\t2\tB\n"), f)) ==
          "lists.tsv:3: duplicate address 'A@Lists.itu.int' (first on line 2)");
}

TEST_CASE("meetings.tsv: bad dates and ranges and numbers", "[registry]") {
    const std::string f = "meetings.tsv";
    auto with = [](const std::string& rows) { return std::string(kMeetHeader) + rows; };
    CHECK(error_of(parse_meetings(with("1\t2018-02-30\t2018-03-01\tGeneva\t001-040\t001-018\t10\n"),
                                  f)) ==
          "meetings.tsv:2: bad start date '2018-02-30' (expected YYYY-MM-DD)");
    CHECK(error_of(
              parse_meetings(with("1\t2018-03-01\t2018-3-2\tGeneva\t001-040\t001-018\t10\n"), f)) ==
          "meetings.tsv:2: bad end date '2018-3-2' (expected YYYY-MM-DD)");
    CHECK(error_of(parse_meetings(with("1\t2018-03-05\t2018-03-01\tGeneva\t001-040\t001-018\t10\n"),
                                  f)) ==
          "meetings.tsv:2: end date 2018-03-01 is before start date 2018-03-05");
    CHECK(error_of(
              parse_meetings(with("1\t2018-03-01\t2018-03-02\tGeneva\t040-001\t001-018\t10\n"), f))
              .find("bad input_docs range '040-001'") != std::string::npos);
    CHECK(error_of(parse_meetings(with("1\t2018-03-01\t2018-03-02\tGeneva\t001-040\t18\t10\n"), f))
              .find("bad output_docs range '18'") != std::string::npos);
    CHECK(error_of(parse_meetings(
              with("1\t2018-03-01\t2018-03-02\tGeneva\t001-040\t001-018\tmany\n"), f)) ==
          "meetings.tsv:2: bad participants 'many' (expected a headcount)");
    CHECK(error_of(parse_meetings(with("0\t2018-03-01\t2018-03-02\tGeneva\t001-040\t001-018\t1\n"),
                                  f)) == "meetings.tsv:2: bad meeting number '0'");
    CHECK(error_of(parse_meetings(with("1\t2018-03-01\t2018-03-02\tGeneva\t001-040\t001-018\t1\n"
                                       "1\t2018-04-01\t2018-04-02\tKobe\t041-050\t019-020\t1\n"),
                                  f)) ==
          "meetings.tsv:3: duplicate meeting number '1' (first on line 2)");

    auto ok = parse_meetings(with("2\t2016-02-29\t2016-02-29\tGeneva\t041-078\t019-035\t55\n"), f);
    REQUIRE(ok.ok());
    CHECK(format_iso8601(ok->at(0).start, 0) == "2016-02-29T00:00:00+00:00");
    CHECK(format_iso8601(ok->at(0).end, 0) == "2016-02-29T23:59:59+00:00");
    CHECK(ok->at(0).input_docs.first == 41);
    CHECK(ok->at(0).input_docs.contains(78));
    CHECK_FALSE(ok->at(0).input_docs.contains(79));
}

TEST_CASE("load_registry: missing files and hints and the cross-file wg check", "[registry]") {
    test::TempDir dir;
    Result<Registry> missing = load_registry(dir.path());
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == Errc::not_found);
    CHECK(missing.error().message == "lists.tsv: no such file");

    test::write_file(dir / "lists.tsv",
                     std::string(kListHeader) + "fgdpm\tfgdpm@lists.itu.int\t0\tMain\n");
    test::write_file(dir / "deliverables.tsv",
                     std::string(kDelivHeader) +
                         "D0.1\t0\ta\tb\tFG-DPM-O-172\nD7.1\t7\tc\td\tFG-DPM-O-180\n");
    test::write_file(dir / "meetings.tsv",
                     std::string(kMeetHeader) +
                         "1\t2017-10-17\t2017-10-19\tSingapore\t001-040\t001-018\t62\n");
    Result<Registry> bad = load_registry(dir.path());
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message ==
          "deliverables.tsv: D7.1 belongs to wg 7, which has no list in lists.tsv");

    test::write_file(dir / "deliverables.tsv", std::string(kDelivHeader) + "D0.1\t0\ta\tb\n");
    Result<std::vector<Deliverable>> line_err = load_deliverables(dir / "deliverables.tsv");
    REQUIRE_FALSE(line_err.ok());
    CHECK(line_err.error().message ==
          "deliverables.tsv:2: expected 5 tab-separated columns, found 4");
    CHECK(line_err.error().hint.find((dir / "deliverables.tsv").string()) != std::string::npos);

    test::write_file(dir / "deliverables.tsv",
                     std::string(kDelivHeader) + "D0.1\t0\ta\tb\tFG-DPM-O-172\n");
    Result<Registry> good = load_registry(dir.path());
    REQUIRE(good.ok());
    CHECK(good->deliverables.size() == 1);
}

TEST_CASE("find_registry_dir: $MLARC_REGISTRY then ARCHIVE/registry then the default",
          "[registry]") {
    test::TempDir archive;
    {
        RegistryEnv env(nullptr);
        auto d = find_registry_dir({});
        REQUIRE(d.ok());
        CHECK(*d == default_registry_dir());
        CHECK(find_registry_dir(archive.path()).value() == default_registry_dir());
        std::filesystem::create_directory(archive / "registry");
        CHECK(find_registry_dir(archive.path()).value() == archive / "registry");
    }
    {
        RegistryEnv env(archive.path().c_str());
        CHECK(find_registry_dir(archive.path()).value() == archive.path());
    }
    {
        const std::string nowhere = (archive / "nowhere").string();
        RegistryEnv env(nowhere.c_str());
        auto d = find_registry_dir(archive.path());
        REQUIRE_FALSE(d.ok());
        CHECK(d.error().code == Errc::not_found);
        CHECK(d.error().message.find("MLARC_REGISTRY=") == 0);
    }
    {
        RegistryEnv env(""); // empty counts as unset
        CHECK(find_registry_dir({}).value() == default_registry_dir());
    }
}

TEST_CASE("aliases.tsv: one person's addresses, validated with line numbers", "[registry][aliases]") {
    const std::string f = "aliases.tsv";
    const std::string header = "# one person, several addresses\naddress\tperson\n";
    auto ok = parse_aliases(header + "J.Smith@Gmail.com\tjohn.smith@itu.int\njs@old.org\tjohn.smith@itu.int\n", f);
    REQUIRE(ok.ok());
    CHECK(*ok == AddressAliases{{"j.smith@gmail.com", "john.smith@itu.int"},
                                {"js@old.org", "john.smith@itu.int"}});
    CHECK(error_of(parse_aliases(header + "a@x.org\tb@x.org\na@X.org\tc@x.org\n", f)) ==
          "aliases.tsv:4: duplicate address 'a@x.org' (first on line 3)");
    CHECK(error_of(parse_aliases(header + "a@x.org\tnot an address\n", f)) ==
          "aliases.tsv:3: bad address 'not an address'");
    CHECK(error_of(parse_aliases(header + "a@x.org\tA@x.org\n", f)) ==
          "aliases.tsv:3: 'a@x.org' is mapped to itself");
    CHECK(error_of(parse_aliases(header + "a@x.org\tb@x.org\nb@x.org\tc@x.org\n", f)).find(
              "aliases.tsv:3: 'a@x.org' is mapped to 'b@x.org', which is itself mapped") == 0);
    CHECK(error_of(parse_aliases(header + "a@x.org\n", f)) ==
          "aliases.tsv:3: expected 2 tab-separated columns, found 1");
    // Absent file: no aliases; present: loaded.
    test::TempDir dir;
    auto none = load_aliases_if_present(dir.path());
    REQUIRE(none.ok());
    CHECK(none->empty());
    test::write_file(dir / "aliases.tsv", header + "a@x.org\tb@y.org\n");
    auto one = load_aliases_if_present(dir.path());
    REQUIRE(one.ok());
    CHECK(one->size() == 1);
}
