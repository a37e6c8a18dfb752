// libFuzzer target for the MIME decoder, decode_message().
// The body, with the invariants it checks, is run_mime() in harness_mime.hpp,
// shared with the replay test (tests/unit/fuzz_replay/). Build and run with
// `make -f Makefile.dist fuzz` (docs/reliability.md).
#include "fuzz/harness_mime.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return mlarc::fuzz::report(mlarc::fuzz::run_mime(mlarc::fuzz::as_text(data, size)), "fuzz_mime");
}
