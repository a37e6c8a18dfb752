// libFuzzer target for query text compiled against a small real index, with
// the phrase pair rewrite checked against Xapian's own phrase matching. The
// body, with the invariants it checks, is run_query_index() in
// harness_query_index.hpp, shared with the replay test (tests/unit/fuzz_replay/).
// Build and run with `make -f Makefile.dist fuzz` (docs/reliability.md).
#include "fuzz/harness_query_index.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return mlarc::fuzz::report(mlarc::fuzz::run_query_index(mlarc::fuzz::as_text(data, size)),
                               "fuzz_query_index");
}
