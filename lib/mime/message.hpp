// Value types produced by the MIME decoder (mime/decode.hpp) and consumed by
// the store. Plain data, no library types: the store, the indexer and tests use
// them without knowing mimetic exists.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mlarc {

/// Bits on a stored message saying what was odd about it. Values are stored in
/// SQLite (messages.flags) and must never be renumbered.
enum MessageFlag : uint32_t {
    flag_none = 0,
    flag_heuristic_split = 1u << 0,   // From_ split where the previous line was not blank
    flag_bad_content_length = 1u << 1,// mboxcl Content-Length ignored
    flag_truncated = 1u << 2,         // message cut short (EOF inside headers/base64)
    flag_no_date = 1u << 3,           // no Date header
    flag_bad_date = 1u << 4,          // Date header unparseable
    flag_suspicious_date = 1u << 5,   // before 1980 or after now+1 day
    flag_generated_mid = 1u << 6,     // no Message-ID; synthetic one made
    flag_dup_mid = 1u << 7,           // same Message-ID as another message, other content
    flag_header_defect = 1u << 8,     // lines without colon, bare CR, oversize header...
    flag_bad_encoded_word = 1u << 9,  // RFC 2047 word that failed to decode
    flag_raw_8bit_header = 1u << 10,  // unencoded non-UTF-8 bytes in headers
    flag_mime_defect = 1u << 11,      // boundary problems and similar
    flag_mime_limit = 1u << 12,       // depth/part limit hit, rest kept opaque
    flag_charset_fallback = 1u << 13, // unknown/lying charset, fell back
    flag_bad_cte = 1u << 14,          // unknown or broken Content-Transfer-Encoding
    flag_oversize = 1u << 15,         // larger than max_message_size
    flag_encrypted = 1u << 16,        // encrypted part(s), headers only indexed
    flag_html_only = 1u << 17,        // text came from HTML
    flag_no_archive = 1u << 18,       // X-No-Archive: yes
    flag_bad_offset = 1u << 19,       // timezone offset beyond +-14h, treated as +0000
    flag_nul_bytes = 1u << 20,        // NUL bytes in the message
};

/// Returns the flag names set in `flags`, comma separated (e.g. "no_date,bad_date").
std::string flag_names(uint32_t flags);

struct Address {
    std::string address; // lower-cased addr-spec (or raw text when unparsable)
    std::string name;    // decoded display name, UTF-8, may be empty
};

struct Attachment {
    int part_no = 0;          // 1-based index of the leaf part in walk order
    std::string filename;     // decoded (RFC 2231/2047), UTF-8, may be empty
    std::string content_type; // lower-case type/subtype
    uint64_t size = 0;        // decoded size in bytes
};

struct Header {
    std::string name;  // as written (case kept)
    std::string value; // unfolded, RFC 2047 decoded, UTF-8
};

/// One message decoded. All strings are valid UTF-8.
struct ParsedMessage {
    std::string message_id;              // normalised: no angle brackets, trimmed; "" if none
    std::vector<std::string> references; // normalised ids from References, in order (capped)
    std::vector<std::string> in_reply_to;// normalised ids from In-Reply-To
    std::string subject;                 // decoded
    Address from;                        // first parsable mailbox of From (or raw text)
    std::vector<Address> to, cc, reply_to;
    std::vector<std::string> list_ids;   // List-Id values (the id inside <...>, lower-cased)
    std::string date_header;             // raw Date header value ("" if none)
    std::vector<Header> headers;         // all headers, decoded, in order (capped)
    std::string body_text;               // text for display/indexing: text parts, HTML as text
    std::string quoted_text;             // reserved: quoted parts kept apart if split (may be empty)
    std::string attachment_text;         // text of text/* attachments (for indexing)
    std::vector<Attachment> attachments;
    std::string extracted;               // DecodeOptions::extract_part's decoded bytes (else "")
    std::vector<std::string> received_dates; // raw date parts of Received headers, newest first
    uint32_t flags = 0;                  // MessageFlag bits
    bool has_html = false;
    std::vector<std::string> warnings;   // human-readable notes on defects found
};

} // namespace mlarc
