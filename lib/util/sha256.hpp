// SHA-256 (FIPS 180-4), small and dependency-free, for content hashes: the
// synthetic Message-ID of messages without one (FAILURE-MODES item 12), the
// duplicate-content check (item 13) and the resume fingerprint of an mbox
// (sha256 of its first 64 kB, item 43). Streaming: update() any number of
// times, then finish().
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mlarc {

class Sha256 {
  public:
    using Digest = std::array<uint8_t, 32>;

    Sha256() { reset(); }

    /// Starts a new hash (finish() does this too).
    void reset();
    void update(const void* data, size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    /// Pads, returns the 32-byte digest and resets the object for reuse.
    Digest finish();
    /// finish() as 64 lower-case hex digits.
    std::string finish_hex();

  private:
    void compress(const uint8_t* block);

    std::array<uint32_t, 8> state_{};
    std::array<uint8_t, 64> buffer_{};
    size_t buffered_ = 0;
    uint64_t total_bytes_ = 0;
};

/// One-shot digest of `data`.
Sha256::Digest sha256(std::string_view data);
/// One-shot digest of `data` as 64 lower-case hex digits.
std::string sha256_hex(std::string_view data);
/// Lower-case hex of a digest.
std::string to_hex(const Sha256::Digest& digest);

} // namespace mlarc
