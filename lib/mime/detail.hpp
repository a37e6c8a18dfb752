// Internals of the mime module shared by its .cpp files (not a public API:
// other modules include mime/decode.hpp). Byte helpers, the UTF-8 scanners
// and repairers every output string goes through, the charset converter entry
// points that append straight into an output buffer (no intermediate copies on
// the hot path), and the raw header-block splitter used for the message and
// for every MIME part.
#pragma once

#include "mime/decode.hpp"
#include "util/strings.hpp" // trim, ascii_lower

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc::mime_detail {

inline bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
inline bool is_blank(char c) { return c == ' ' || c == '\t'; }
inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool iequals(std::string_view a, std::string_view b);

/// Position of `needle` in `hay` at or after `from` (memmem), or npos.
size_t find_bytes(std::string_view hay, std::string_view needle, size_t from = 0);

// --- word-at-a-time scanning ------------------------------------------------

/// Bytes with the high bit set in a 64-bit word holding 8 input bytes.
inline uint64_t high_bytes(uint64_t w) { return w & 0x8080808080808080ull; }
/// Non-zero if some byte of w (all below 0x80) is below 0x20 (a control byte).
inline uint64_t control_bytes(uint64_t w) { return (w - 0x2020202020202020ull) & ~w & 0x8080808080808080ull; }
/// Non-zero if some byte of w equals c.
inline uint64_t bytes_equal(uint64_t w, unsigned char c) {
    const uint64_t x = w ^ (0x0101010101010101ull * c);
    return (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
}

/// The first position >= from where an 8-byte block has special(block) != 0,
/// or where fewer than 8 bytes are left: callers skip the plain blocks in bulk
/// and look at the rest byte by byte.
template <typename Special> size_t skip_plain_blocks(std::string_view s, size_t from, Special special) {
    while (from + 8 <= s.size()) {
        uint64_t w;
        std::memcpy(&w, s.data() + from, 8);
        if (special(w)) break;
        from += 8;
    }
    return from;
}

// --- UTF-8 -----------------------------------------------------------------

/// Length (1-4) of the well-formed UTF-8 sequence at p (avail bytes left), or 0.
size_t utf8_sequence(const unsigned char* p, size_t avail);

struct TextClass {
    bool ascii = true; // every byte < 0x80
    bool valid = true; // well-formed UTF-8
};
/// One pass, 8 bytes at a time over ASCII runs.
TextClass classify(std::string_view s);

void append_codepoint(std::string& out, uint32_t cp);

/// One windows-1252 byte as UTF-8 (NUL -> U+FFFD).
void append_cp1252_byte(std::string& out, unsigned char c);

/// Valid UTF-8 sequences are copied; every other byte is decoded as
/// windows-1252 (WHATWG table; undefined bytes map to C1 controls). NUL -> U+FFFD.
void append_utf8_or_cp1252(std::string& out, std::string_view bytes);

/// Replaces NUL bytes in out[from..] with U+FFFD; returns how many there were.
size_t replace_nul(std::string& out, size_t from);

/// CRLF and lone CR in out[from..] -> LF.
void normalise_newlines(std::string& out, size_t from);

/// The largest n' <= n that does not cut a UTF-8 sequence of s.
size_t utf8_floor(std::string_view s, size_t n);

/// decode_base64(s).size() without decoding.
uint64_t base64_decoded_size(std::string_view encoded);

// --- charsets --------------------------------------------------------------

/// Appends `bytes` in `charset` converted to UTF-8 (see to_utf8). Bytes that are
/// not valid in it (or an unknown label) are decoded as valid UTF-8 if they
/// are, else with `fallback`. Sets *fell_back (may be null) when the declared
/// charset was not used as is.
void append_converted(std::string& out, std::string_view bytes, std::string_view charset,
                      std::string_view fallback, bool* fell_back);

/// True if the label names a charset we can convert (alias table or iconv).
bool charset_known(std::string_view label);

/// Appends a run of raw header bytes: line breaks removed, valid UTF-8 kept,
/// otherwise decoded with `fallback` (flag_raw_8bit_header); NUL -> U+FFFD
/// (flag_nul_bytes).
void append_header_bytes(std::string& out, std::string_view bytes, std::string_view fallback,
                         uint32_t* flags);

/// append_header_bytes into a fresh string.
std::string header_text(std::string_view bytes, std::string_view fallback = "windows-1252",
                        uint32_t* flags = nullptr);

// --- header blocks ---------------------------------------------------------

struct RawField {
    std::string_view name;  // as written, no trailing blanks
    std::string_view value; // after the colon, still folded (may hold CR/LF), capped
    bool folded = false;    // has continuation lines
};

struct HeaderBlock {
    std::vector<RawField> fields; // at most max_headers
    std::string_view body;        // what follows the blank line (or the headerless part)
    uint32_t flags = 0;           // flag_header_defect / flag_mime_defect
    std::vector<std::string> notes; // warnings
};

enum class BlockKind {
    message,  // the message being decoded
    embedded, // the body of a message/rfc822 part
    part,     // a MIME part
};

/// Splits a header block off `data` in one pass over LF-terminated lines (CRLF
/// accepted). Lines without a valid "name:" are dropped (flag_header_defect);
/// a line starting with "--" ends the block (a missing blank line before a
/// boundary). A leading mbox "From " line of a message or embedded message is
/// skipped. For a part or an embedded message, a first line that is not a
/// header means there is no header at all (flag_mime_defect).
HeaderBlock parse_header_block(std::string_view data, BlockKind kind, const DecodeOptions& options);

/// First field called `name` (ASCII case-insensitive), or null.
const RawField* find_field(const HeaderBlock& block, std::string_view name);

/// Folded raw value -> one line: CRLF/LF removed, a bare CR becomes a space
/// (flag_header_defect), outer whitespace trimmed. Bytes are left as they are.
std::string unfold(std::string_view folded, uint32_t* flags);

} // namespace mlarc::mime_detail
