// How message bytes are kept compressed in the store.
//
// message_raw.raw: codec 0 is the bytes as they are, codec 1 is one zstd frame
// of them. Compression is done by import workers (it is the second most
// expensive step after MIME decoding) and undone by `show --raw` and `export`.
// The round trip is exact.
//
// message_text_z (migration 0004): the decoded headers, body and attachment
// text of a message, each kept as TEXT when short or incompressible, else as a
// BLOB holding one zstd frame of the UTF-8 text. Since migration 0005 a third
// form, an empty BLOB, marks a headers or body column as derived from the raw
// message: the headers are decode_header_fields() of it, the body its
// raw_body_section() (mime/decode.hpp), both of the raw bytes unescaped. An
// import writes the marker for every message's headers (shown, never indexed,
// and as large as the bodies) and for a body that is the raw body section byte
// for byte (nine in ten messages of a plain-text list): neither is compressed
// or written twice. Readers never see the difference: they read the view
// message_text, whose columns go through the SQL functions mlarc_text() and
// mlarc_raw_text() (registered on every connection by sql::Db::open), which
// turn every form back into the text.
#pragma once

#include "util/result.hpp"

#include <cstddef>
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

/// One column of message_text_z as stored: `compressed` (a BLOB, one zstd
/// frame) or the text itself (TEXT).
struct StoredText {
    bool compressed = false;
    bool derived = false; // the marker: read from the raw message (bytes empty)
    std::string bytes;
};

/// Compresses text of 128 bytes or more when that saves space.
StoredText encode_text(std::string_view text);
/// The marker of a column derived from the raw message.
inline StoredText derived_text() {
    return {false, true, {}};
}

/// Which text derive_text() reads from a raw message.
enum class DerivedPart { headers, body };
/// The text a marked column stands for, from message_raw's codec, raw,
/// raw_size and escaping. Errors: bad_input for a damaged raw message.
Result<std::string> derive_text(DerivedPart part, int codec, std::string_view raw, size_t raw_size,
                                int escaping);

/// The size the zstd frame `frame` decompresses to; false when it is not one
/// complete zstd frame that records its size.
bool zstd_frame_content_size(std::string_view frame, size_t& size);
/// Decompresses the zstd frame `frame` into exactly `size` bytes at `out`;
/// false when the frame is damaged or of another size.
bool zstd_decompress_into(std::string_view frame, char* out, size_t size);

} // namespace mlarc
