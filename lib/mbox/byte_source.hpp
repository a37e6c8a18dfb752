// Private to the mbox module: the decompression layer under the framer.
//
// open_byte_source() opens a file and looks at its first bytes: gzip (1f 8b),
// xz (fd 37 7a 58 5a 00) and zstd (28 b5 2f fd) streams are decoded on the fly,
// anything else is passed through. The file name plays no part. Each source
// reads the file in 1 MiB chunks and owns its file descriptor and decoder
// state (RAII), so memory stays bounded whatever the file size. Concatenated
// gzip members, xz streams and zstd frames are decoded one after the other.
#pragma once

#include "util/result.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

namespace mlarc::mbox_detail {

inline constexpr size_t kChunkSize = size_t{1} << 20;

class ByteSource {
  public:
    virtual ~ByteSource() = default;
    /// Reads up to `cap` bytes of the uncompressed stream into `dst`. Returns 0
    /// at the end of the stream. Errors: io (read failure), bad_input (corrupt or
    /// truncated compressed data, with the compressed byte offset).
    virtual Result<size_t> read(char* dst, size_t cap) = 0;
    /// Skips `n` bytes of the uncompressed stream (seeks on plain files,
    /// decodes and discards on compressed ones). Returns the bytes skipped,
    /// fewer than `n` only at the end of the stream.
    virtual Result<uint64_t> skip(uint64_t n);
    /// Bytes of the file consumed so far (compressed bytes when compressed).
    virtual uint64_t file_bytes_done() const = 0;
    /// The file size in bytes.
    virtual uint64_t file_size() const = 0;
    /// "plain", "gzip", "xz" or "zstd".
    virtual std::string_view kind() const = 0;
};

/// Opens `path` for reading. Errors: not_found, unreadable (with strerror),
/// bad_input (a directory or other non-regular file), io.
Result<std::unique_ptr<ByteSource>> open_byte_source(const std::filesystem::path& path);

} // namespace mlarc::mbox_detail
