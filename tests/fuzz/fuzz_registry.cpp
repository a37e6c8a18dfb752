// libFuzzer target for the registry files (lists, deliverables and meetings
// TSV), document identifiers and deliverable mentions. The body, with the
// invariants it checks, is run_registry() in harness_registry.hpp, shared with
// the replay test (tests/unit/fuzz_replay/). Build and run with
// `make -f Makefile.dist fuzz` (docs/reliability.md).
#include "fuzz/harness_registry.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return mlarc::fuzz::report(mlarc::fuzz::run_registry(mlarc::fuzz::as_text(data, size)), "fuzz_registry");
}
