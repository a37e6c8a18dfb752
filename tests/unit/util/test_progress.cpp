// Tests of util/progress: silent unless enabled on a terminal; the line format;
// redraw and clearing when forced on.
#include "test_support.hpp"

#include "util/progress.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <sstream>
#include <thread>

using namespace mlarc;

namespace {
void wait_past_redraw_interval() {
    std::this_thread::sleep_for(std::chrono::milliseconds(120));
}
} // namespace

TEST_CASE("progress prints nothing when disabled or not a terminal", "[progress]") {
    std::ostringstream out;
    {
        Progress disabled("import", 1000, false, &out, true);
        Progress not_tty("import", 1000, true, &out, false);
        Progress null_stream("import", 1000, true, nullptr, true);
        CHECK_FALSE(disabled.active());
        CHECK_FALSE(not_tty.active());
        CHECK_FALSE(null_stream.active());
        wait_past_redraw_interval();
        for (Progress* p : {&disabled, &not_tty, &null_stream}) {
            p->update(500, 10);
            p->finish();
        }
    }
    CHECK(out.str().empty());
}

TEST_CASE("progress on stderr stays silent when stderr is not a terminal", "[progress]") {
    // Point fd 2 at a file (never a tty) for the duration of the test.
    mlarc::test::TempDir tmp;
    const auto file = tmp / "stderr.txt";
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    REQUIRE(fd >= 0);
    std::cerr.flush();
    const int saved = ::dup(STDERR_FILENO);
    REQUIRE(saved >= 0);
    REQUIRE(::dup2(fd, STDERR_FILENO) == STDERR_FILENO);
    bool active = true;
    {
        Progress p("import", 1000, true);
        active = p.active();
        wait_past_redraw_interval();
        p.update(500, 10);
        p.finish();
    }
    std::cerr.flush();
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    ::close(fd);
    CHECK_FALSE(active);
    CHECK(mlarc::test::read_file(file).empty());
}

TEST_CASE("progress line format", "[progress]") {
    CHECK(Progress::format_line("import", 120000000, 603000000, 12345, 2.0) ==
          "import  12,345 msgs  6,172 msg/s  120.0 MB / 603.0 MB  19%");
    CHECK(Progress::format_line("import", 603000000, 603000000, 10, 0.0) ==
          "import  10 msgs  0 msg/s  603.0 MB / 603.0 MB  100%");
    CHECK(Progress::format_line("index", 5000, 0, 3, 1.0) == "index  3 msgs  3 msg/s  5.0 kB");
    CHECK(Progress::format_line("x", 900, 100, 0, 1.0).find("100%") != std::string::npos);
    CHECK(Progress::format_line("x", UINT64_MAX, UINT64_MAX, 0, 1.0).find("100%") !=
          std::string::npos);
}

TEST_CASE("progress redraws at most every 100 ms and clears at finish", "[progress]") {
    std::ostringstream out;
    Progress p("import", 1000, true, &out, true);
    REQUIRE(p.active());
    p.update(1, 1); // too soon after construction
    CHECK(out.str().empty());
    wait_past_redraw_interval();
    p.update(500, 10);
    const std::string first = out.str();
    CHECK(first.rfind("\rimport  10 msgs", 0) == 0);
    CHECK(first.find("50%") != std::string::npos);
    p.update(600, 11); // rate-limited
    CHECK(out.str() == first);
    wait_past_redraw_interval();
    p.update(1000, 20000);
    const std::string second = out.str().substr(first.size());
    CHECK(second.find("20,000 msgs") != std::string::npos);
    p.finish();
    const std::string tail = out.str().substr(first.size() + second.size());
    const size_t width = second.size() - 1; // minus the '\r'
    CHECK(tail == "\r" + std::string(width, ' ') + "\r");
    p.finish(); // idempotent
    p.update(1, 1);
    CHECK(out.str().size() == first.size() + second.size() + tail.size());
}
