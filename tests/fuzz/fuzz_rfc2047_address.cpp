// libFuzzer target for the header-value helpers: RFC 2047 words, address lists, message ids, HTML.
// The body, with the invariants it checks, is run_rfc2047_address() in harness_rfc2047_address.hpp,
// shared with the replay test (tests/unit/fuzz_replay/). Build and run with
// `make -f Makefile.dist fuzz` (docs/reliability.md).
#include "fuzz/harness_rfc2047_address.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return mlarc::fuzz::report(mlarc::fuzz::run_rfc2047_address(mlarc::fuzz::as_text(data, size)), "fuzz_rfc2047_address");
}
