// The table of fuzz harnesses by target name, for the replay test
// (tests/unit/fuzz_replay/), which runs each saved input through the harness
// its file or folder name points to: tests/fuzz/regressions/<target>-*.bin
// and tests/fuzz/seeds/<name>/*.
//
// Adding a fuzz target: write harness_<name>.hpp (an inline run_<name>()
// returning a Verdict) and fuzz_<name>.cpp, add one mlarc_fuzz_target() line
// to tests/fuzz/CMakeLists.txt and one line to the table below.
#pragma once

#include "fuzz/harness_cgi_request.hpp"
#include "fuzz/harness_common.hpp"
#include "fuzz/harness_date.hpp"
#include "fuzz/harness_mbox.hpp"
#include "fuzz/harness_mime.hpp"
#include "fuzz/harness_query.hpp"
#include "fuzz/harness_query_index.hpp"
#include "fuzz/harness_registry.hpp"
#include "fuzz/harness_rfc2047_address.hpp"
#include "fuzz/harness_roster.hpp"

#include <string_view>

namespace mlarc::fuzz {

struct Harness {
    std::string_view name; // the target is fuzz_<name>
    Verdict (*run)(std::string_view input);
};

inline constexpr Harness kHarnesses[] = {
    {"mbox", run_mbox},
    {"mime", run_mime},
    {"rfc2047_address", run_rfc2047_address},
    {"date", run_date},
    {"query", run_query},
    {"query_index", run_query_index},
    {"cgi_request", run_cgi_request},
    {"registry", run_registry},
    {"roster", run_roster},
};

} // namespace mlarc::fuzz
