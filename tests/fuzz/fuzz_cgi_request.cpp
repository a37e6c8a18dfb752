// libFuzzer target for the web front end's request parsing (PATH_INFO,
// QUERY_STRING, percent-decoding, the `q` parameter's query checks). The body,
// with the invariants it checks, is run_cgi_request() in
// harness_cgi_request.hpp, shared with the replay test (tests/unit/fuzz_replay/).
// Build and run with `make -f Makefile.dist fuzz` (docs/reliability.md).
#include "fuzz/harness_cgi_request.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return mlarc::fuzz::report(mlarc::fuzz::run_cgi_request(mlarc::fuzz::as_text(data, size)),
                               "fuzz_cgi_request");
}
