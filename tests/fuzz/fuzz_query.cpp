// libFuzzer target for the query parser front of the search CLI (query text
// checks, --sort). The body, with the invariants it checks, is run_query() in
// harness_query.hpp, shared with the replay test (tests/unit/fuzz_replay/).
// Build and run with `make -f Makefile.dist fuzz` (docs/reliability.md).
#include "fuzz/harness_query.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return mlarc::fuzz::report(mlarc::fuzz::run_query(mlarc::fuzz::as_text(data, size)), "fuzz_query");
}
