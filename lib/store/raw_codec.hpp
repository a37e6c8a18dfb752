// How raw message bytes are kept in message_raw.raw: codec 0 is the bytes as
// they are, codec 1 is one zstd frame of them. Compression is done by import
// workers (it is the second most expensive step after MIME decoding) and undone
// by `show --raw` and `export`. The round trip is exact.
#pragma once

#include "util/result.hpp"

#include <string>
#include <string_view>

namespace mlarc {

enum class RawCodec : int { plain = 0, zstd = 1 };

struct EncodedRaw {
    RawCodec codec = RawCodec::plain;
    std::string bytes;
};

/// Compresses with zstd level 1 when that saves space; else keeps it plain.
EncodedRaw encode_raw(std::string_view raw);
/// Inverse of encode_raw. Errors: bad_input for a corrupt frame or unknown codec.
Result<std::string> decode_raw(int codec, std::string_view bytes, size_t raw_size);

} // namespace mlarc
