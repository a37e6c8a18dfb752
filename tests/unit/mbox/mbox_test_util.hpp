// Helpers for the mbox unit tests: read every message of an input into a
// vector (with the warnings and the error that ended it), and write test data
// compressed with gzip, xz or zstd using the libraries directly.
#pragma once

#include "mbox/reader.hpp"
#include "test_support.hpp"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <optional>
#include <string>
#include <vector>

namespace mlarc::test {

struct ReadOutcome {
    std::vector<RawMessage> messages;
    std::vector<std::string> warnings;
    std::optional<Error> open_error; // open_source failed
    std::optional<Error> error;      // next() failed after `messages`
};

inline ReadOutcome read_all(const std::filesystem::path& path, const OpenOptions& opts = {}) {
    ReadOutcome out;
    auto src = open_source(path, opts);
    if (!src) {
        out.open_error = src.error();
        return out;
    }
    for (int guard = 0; guard < 10'000'000; ++guard) {
        auto r = (*src)->next();
        if (!r) {
            out.error = r.error();
            // After an error an mbox source must end.
            auto again = (*src)->next();
            if (again && *again) out.error->message += " [BUG: messages after the error]";
            break;
        }
        if (!*r) break;
        out.messages.push_back(std::move(**r));
    }
    out.warnings = (*src)->take_warnings();
    return out;
}

/// Writes `data` to a temp file `name` and reads it.
inline ReadOutcome read_text(const TempDir& dir, const std::string& data,
                             const OpenOptions& opts = {}, const std::string& name = "in.mbox") {
    write_file(dir / name, data);
    return read_all(dir / name, opts);
}

inline std::string gzip_compress(const std::string& in) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&z, static_cast<uLong>(in.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

inline std::string xz_compress(const std::string& in) {
    lzma_stream s = LZMA_STREAM_INIT;
    REQUIRE(lzma_easy_encoder(&s, 6, LZMA_CHECK_CRC64) == LZMA_OK);
    std::string out(in.size() + in.size() / 2 + 1024, '\0');
    s.next_in = reinterpret_cast<const uint8_t*>(in.data());
    s.avail_in = in.size();
    s.next_out = reinterpret_cast<uint8_t*>(out.data());
    s.avail_out = out.size();
    REQUIRE(lzma_code(&s, LZMA_FINISH) == LZMA_STREAM_END);
    out.resize(s.total_out);
    lzma_end(&s);
    return out;
}

inline std::string zstd_compress(const std::string& in) {
    std::string out(ZSTD_compressBound(in.size()), '\0');
    size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
    REQUIRE(!ZSTD_isError(n));
    out.resize(n);
    return out;
}

} // namespace mlarc::test
