// libFuzzer target for subscriber roster files (Mailman list_members output
// and CSV exports). The body, with the invariants it checks, is run_roster()
// in harness_roster.hpp, shared with the replay test (tests/unit/fuzz_replay/).
// Build and run with `make -f Makefile.dist fuzz` (docs/reliability.md).
#include "fuzz/harness_roster.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return mlarc::fuzz::report(mlarc::fuzz::run_roster(mlarc::fuzz::as_text(data, size)), "fuzz_roster");
}
