// libFuzzer target for the date parsers (RFC 5322 Date, From_ line, user dates).
// The body, with the invariants it checks, is run_date() in harness_date.hpp,
// shared with the replay test (tests/unit/fuzz_replay/). Build and run with
// `make -f Makefile.dist fuzz` (docs/reliability.md).
#include "fuzz/harness_date.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return mlarc::fuzz::report(mlarc::fuzz::run_date(mlarc::fuzz::as_text(data, size)), "fuzz_date");
}
