// Integration-style tests of the framer on the shared corpora (skipped with a
// reason when ../shared/corpora is absent):
//   [linux-mips]  every linux-mips-*.mbox.zst gives exactly the per-file count
//                 of its README (84,096 in all); about 600 MB of zstd-compressed
//                 mboxrd, so this also keeps the framer's speed honest.
//   [edge]        every file of the edge corpus opens and frames without error;
//                 the known mbox files give the counts of a correct splitter.
#include "mbox_test_util.hpp"
#include "mime/message.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>

using namespace mlarc;
using namespace mlarc::test;
namespace fs = std::filesystem;

namespace {

struct Count {
    size_t messages = 0;
    size_t heuristic = 0;
    size_t flagged = 0;
    std::vector<std::string> warnings;
    std::optional<Error> error;
};

/// Frames `path` without keeping the messages.
Count count_messages(const fs::path& path) {
    Count c;
    auto src = open_source(path);
    if (!src) {
        c.error = src.error();
        return c;
    }
    for (;;) {
        auto m = (*src)->next();
        if (!m) {
            c.error = m.error();
            break;
        }
        if (!*m) break;
        ++c.messages;
        if ((*m)->flags & flag_heuristic_split) ++c.heuristic;
        if ((*m)->flags) ++c.flagged;
    }
    c.warnings = (*src)->take_warnings();
    return c;
}

} // namespace

TEST_CASE("linux-mips corpus: per-file message counts of the README",
          "[mbox][corpus][linux-mips]") {
    MLARC_SKIP_IF_NO_CORPUS(dir, "linux-mips")
    std::ifstream readme(dir / "README.md");
    // Rows of the table: "| linux-mips-2001.mbox.zst | 3740 |".
    std::map<std::string, size_t> expected;
    for (std::string line; std::getline(readme, line);) {
        if (line.rfind("| linux-mips-", 0) != 0) continue;
        size_t name_end = line.find(" |", 2);
        size_t count_end = line.find(" |", name_end + 2);
        if (name_end == std::string::npos || count_end == std::string::npos) continue;
        expected[line.substr(2, name_end - 2)] =
            std::stoul(line.substr(name_end + 3, count_end - name_end - 3));
    }
    REQUIRE(expected.size() == 27);

    size_t total = 0, flagged = 0;
    for (const auto& [name, want] : expected) {
        INFO(name);
        Count c = count_messages(dir / name);
        REQUIRE_FALSE(c.error);
        CHECK(c.messages == want);
        CHECK(c.warnings.empty());
        total += c.messages;
        flagged += c.flagged;
    }
    CHECK(total == 84096);
    CHECK(flagged == 0); // a clean mboxrd archive: no heuristic split, nothing truncated
}

TEST_CASE("edge corpus: every file frames without error", "[mbox][corpus][edge]") {
    MLARC_SKIP_IF_NO_CORPUS(dir, "edge")
    auto inputs = expand_inputs(dir);
    REQUIRE(inputs.ok());
    // Documentation shipped with the corpus, not mail.
    const std::set<std::string> docs{"SOURCES.md", "README", "COPYING"};

    size_t total = 0, inputs_read = 0, heuristic = 0;
    std::map<std::string, size_t> per_file;
    for (const fs::path& p : *inputs) {
        INFO(p.string());
        Count c = count_messages(p);
        if (docs.count(p.filename().string())) {
            REQUIRE(c.error);
            CHECK(c.error->code == Errc::bad_input);
            continue;
        }
        if (c.error) FAIL(c.error->what());
        ++inputs_read;
        total += c.messages;
        heuristic += c.heuristic;
        per_file[fs::relative(p, dir).string()] = c.messages;
    }
    // SOURCES.md counts 415 messages in 404 files (Python); here the 404 files
    // are 350 inputs (Maildirs count as one) and give 414 messages. Per
    // source the counts agree except spamassassin (67 here, 68 there): the
    // difference is spam/008, whose header block holds "From  :<tst1@...>"
    // with no blank line before it and no date - a header line, not a From_
    // line, so a correct splitter does not split there (Python's mailbox
    // splits on every line starting "From "). The five documentation files
    // (SOURCES.md, README, COPYING) are rejected as not mail.
    // notmuch/insert/mbox-attachment.eml gives 2 here as in Python: its inline
    // git patch starts with a valid From_ line after a blank line.
    WARN("edge corpus: " << total << " messages from " << inputs_read << " inputs (" << heuristic
                         << " heuristic splits)");
    CHECK(total >= 400);
    CHECK(per_file["cpython-test_email/mailbox_01.mbox"] == 1); // "From time to time" is body text
    CHECK(per_file["gmime/mbox/input/substring.mbox"] == 3); // "From - " lines without blank line
    CHECK(per_file["spamassassin/nice.mbox"] == 3);
    CHECK(per_file["hyperkitty/non-ascii-headers.txt"] == 6); // pipermail "user at host" form
    CHECK(per_file["spamassassin/spam/008"] == 1);
    CHECK(per_file["ruby-mail/error_emails/cant_parse_from.eml"] == 1);
    CHECK(per_file["mu/cjk"] == 4);
    CHECK(heuristic == 2);
}
