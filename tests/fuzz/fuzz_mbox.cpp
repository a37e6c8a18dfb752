// libFuzzer target for mbox framing of arbitrary bytes (all formats, compressed magic prefixes).
// The body, with the invariants it checks, is run_mbox() in harness_mbox.hpp,
// shared with the replay test (tests/unit/fuzz_replay/). Build and run with
// `make -f Makefile.dist fuzz` (docs/reliability.md).
#include "fuzz/harness_mbox.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return mlarc::fuzz::report(mlarc::fuzz::run_mbox(mlarc::fuzz::as_text(data, size)), "fuzz_mbox");
}
