// Unit tests of Maildir reading, single message files and expand_inputs() on
// a directory tree (hidden files, nested Maildirs, Maildirs with extra
// folders), plus the From_ line classifier used by the splitter.
#include "mbox/from_line.hpp"
#include "mbox_test_util.hpp"

#include <catch2/catch.hpp>

using namespace mlarc;
using namespace mlarc::test;
namespace fs = std::filesystem;

TEST_CASE("Maildir: cur/ and new/, sorted by name, tmp/ and hidden files ignored",
          "[mbox][maildir]") {
    TempDir dir;
    fs::path md = dir / "Mail";
    for (const char* sub : {"cur", "new", "tmp"})
        fs::create_directories(md / sub);
    write_file(md / "cur" / "1700000002.b:2,S", "Subject: two\n\n>From kept as is\n");
    write_file(md / "cur" / "1700000001.a:2,", "Subject: one\n\nx\n");
    write_file(md / "new" / "1700000003.c",
               "From mutt Mon Jan  1 10:00:00 2001\nSubject: three\n\ny\n");
    write_file(md / "tmp" / "1700000000.partial", "Subject: in delivery\n\n");
    write_file(md / "cur" / ".hidden", "Subject: hidden\n\n");
    write_file(md / "new" / "1700000004.empty", "");

    auto r = read_all(md);
    REQUIRE_FALSE(r.open_error);
    REQUIRE_FALSE(r.error);
    REQUIRE(r.messages.size() == 3);
    CHECK(r.messages[0].origin == "cur/1700000001.a:2,");
    CHECK(r.messages[1].origin == "cur/1700000002.b:2,S");
    CHECK(r.messages[2].origin == "new/1700000003.c");
    CHECK(r.messages[1].raw == "Subject: two\n\n>From kept as is\n");
    CHECK(r.messages[1].escaping == Escaping::none);
    CHECK(r.messages[0].from_line.empty());
    CHECK(r.messages[2].from_line == "From mutt Mon Jan  1 10:00:00 2001");
    CHECK(r.messages[2].raw == "Subject: three\n\ny\n");
    REQUIRE(r.warnings.size() == 1);
    CHECK_THAT(r.warnings[0], Catch::Contains("1700000004.empty"));

    auto src = open_source(md);
    REQUIRE(src.ok());
    CHECK((*src)->bytes_total() == fs::file_size(md / "cur" / "1700000001.a:2,") +
                                       fs::file_size(md / "cur" / "1700000002.b:2,S") +
                                       fs::file_size(md / "new" / "1700000003.c"));

    OpenOptions o;
    o.format = MboxFormat::maildir;
    auto as_file = open_source(md / "cur" / "1700000001.a:2,", o);
    REQUIRE_FALSE(as_file.ok());
    CHECK(as_file.error().code == Errc::bad_input);
}

TEST_CASE("a single message file is one message", "[mbox][maildir]") {
    TempDir dir;
    std::string eml =
        "Received: from x\n\tby y\nSubject: eml\n\nbody\n\nFrom a Mon Jan  1 10:00:00 2001\n";
    write_file(dir / "m.eml", eml);
    auto r = read_all(dir / "m.eml");
    REQUIRE(r.messages.size() == 1);
    CHECK(r.messages[0].raw == eml);
    CHECK(r.messages[0].escaping == Escaping::none);
    CHECK(r.warnings.size() == 1);
}

TEST_CASE("expand_inputs on a directory tree", "[mbox][maildir]") {
    TempDir dir;
    fs::path root = dir / "archive";
    fs::create_directories(root / "lists" / "b");
    fs::create_directories(root / "md" / "cur");
    fs::create_directories(root / "md" / "new");
    fs::create_directories(root / "md" / "sub" / "cur");
    fs::create_directories(root / ".git");
    write_file(root / "a.mbox", "x");
    write_file(root / ".hidden.mbox", "x");
    write_file(root / ".git" / "config", "x");
    write_file(root / "lists" / "z.mbox.gz", "x");
    write_file(root / "lists" / "b" / "2001.mbox", "x");
    write_file(root / "md" / "cur" / "1", "x");
    write_file(root / "md" / "extra.mbox", "x");
    write_file(root / "md" / "sub" / "cur" / "2", "x");
    fs::create_directory_symlink(root, root / "lists" / "loop");

    auto r = expand_inputs(root);
    REQUIRE(r.ok());
    std::vector<fs::path> want{
        root / "a.mbox", root / "lists" / "b" / "2001.mbox", root / "lists" / "z.mbox.gz",
        root / "md",     root / "md" / "extra.mbox",         root / "md" / "sub"};
    CHECK(*r == want);

    auto file = expand_inputs(root / "a.mbox");
    REQUIRE(file.ok());
    CHECK(*file == std::vector<fs::path>{root / "a.mbox"});

    auto md = expand_inputs(root / "md" / "sub");
    REQUIRE(md.ok());
    CHECK(*md == std::vector<fs::path>{root / "md" / "sub"});

    auto missing = expand_inputs(root / "nope");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == Errc::not_found);
    CHECK_THAT(missing.error().message, Catch::Contains("nope"));
}

TEST_CASE("From_ line classification", "[mbox]") {
    using mbox_detail::classify_from_line;
    using mbox_detail::FromLine;
    CHECK(classify_from_line("From MAILER-DAEMON Fri May 19 04:56:53 102") == FromLine::strict);
    CHECK(classify_from_line("From a@b Mon Jan  1 10:00:00 2001\r") == FromLine::strict);
    CHECK(classify_from_line("From a@b Mon Jan  1 10:00 +0100 2001") == FromLine::strict);
    CHECK(classify_from_line("From user at host  Mon Dec  1 00:00:18 2008") == FromLine::strict);
    CHECK(classify_from_line("From MAILER-DAEMON Sun Aug  7 11:40:37 2022 extra info") ==
          FromLine::strict);
    CHECK(classify_from_line("From - ") == FromLine::strict);
    CHECK(classify_from_line("From - Mon Jan  1 10:00:00 2001") == FromLine::strict);
    CHECK(classify_from_line("From a@b Sat, 5 Feb 2022 10:19:09 -0400") == FromLine::loose);
    CHECK(classify_from_line("From - whatever") == FromLine::loose);
    CHECK(classify_from_line("From time to time") == FromLine::none);
    CHECK(classify_from_line("From a@b Mon Jan  1 10:00:00") == FromLine::none); // no year
    CHECK(classify_from_line("From one solid piece of aluminum comes a MacBook Pro") ==
          FromLine::none);
    CHECK(classify_from_line("From  :<tst1@example.com>") == FromLine::none);
    CHECK(classify_from_line("From ") == FromLine::none);
    CHECK(classify_from_line("From: a@b Mon Jan  1 10:00:00 2001") == FromLine::none);
    CHECK(classify_from_line(">From a@b Mon Jan  1 10:00:00 2001") == FromLine::none);

    using mbox_detail::is_header_line;
    CHECK(is_header_line("Subject: x"));
    CHECK(is_header_line("X-Odd :x"));
    CHECK_FALSE(is_header_line("From - "));
    CHECK_FALSE(is_header_line(" continued: x"));
    CHECK_FALSE(is_header_line("no colon here"));
}
