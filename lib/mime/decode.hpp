// The MIME decoder: one RFC 5322 message (bytes, already mbox-unescaped) ->
// ParsedMessage (mime/message.hpp), plus the helpers it is made of, public so
// that other modules and the tests can use them on their own.
//
// Robustness rules (FAILURE-MODES B, C, D): decode_message() never throws and
// fails only for input that is not a message at all; everything else decodes
// leniently and records what was odd in MessageFlag bits and warnings. Every
// string it (or any helper here) returns is valid UTF-8 without NUL bytes. The
// MIME walk is iterative with hard depth and part limits, and every scanner is
// linear in its input, so recursion bombs, part floods and pathological headers
// cost bounded time and stack. The module is the only user of mimetic and iconv;
// neither appears in this header.
#pragma once

#include "mime/message.hpp"
#include "util/result.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc {

struct DecodeOptions {
    size_t max_depth = 20;              // deepest MIME entity (root = 0); deeper is opaque
    size_t max_parts = 1000;            // MIME entities below the root; more are opaque
    size_t max_header_bytes = 102400;   // one header field longer than this is truncated
    size_t max_headers = 1000;          // fields after this many in one header block are ignored
    size_t max_text_per_part = 1 << 20; // bytes of UTF-8 text kept from one part
    size_t max_references = 1000;       // ids kept from References / In-Reply-To
    std::string fallback_charset = "windows-1252"; // for 8-bit bytes of unknown charset
    bool deobfuscate_at = false;        // pipermail "user at host" in address headers -> user@host
    int extract_part = 0;               // leaf part (Attachment::part_no) whose decoded bytes
                                        // go to ParsedMessage::extracted; 0: none
    bool header_fields = true;          // false: ParsedMessage::headers stays empty (the
                                        // fields it names and the flags are the same); for a
                                        // caller that derives the header text later
};

/// Decodes one message. Errc::bad_input only when `raw` is empty or has no
/// header field at all; all other defects are flags and warnings.
Result<ParsedMessage> decode_message(std::string_view raw, const DecodeOptions& options = {});

/// The root header fields of `raw` exactly as decode_message() puts them in
/// ParsedMessage::headers with the same options, without decoding the body:
/// the store derives a message's header text from its raw bytes with it
/// instead of keeping a second copy (store/raw_codec.hpp). Never throws; empty
/// when no field parses.
std::vector<Header> decode_header_fields(std::string_view raw, const DecodeOptions& options = {});

/// The header text shown for a message: "Name: value\n" per field, in order.
std::string headers_text(const std::vector<Header>& headers);

/// What follows the first empty line of `raw` (the first "\n\n"), or an empty
/// view when there is none. For most plain-text mail the decoded body text is
/// exactly these bytes, and the store then keeps only a marker (raw_codec.hpp).
std::string_view raw_body_section(std::string_view raw);

// --- header text -----------------------------------------------------------

/// Decodes RFC 2047 encoded words in a header value (unfolded or not; line
/// breaks are removed). Adjacent encoded words of one charset are joined
/// before conversion (split multibyte characters survive) and whitespace
/// between encoded words is dropped. Encoded words inside words or quotes are
/// decoded too; B/Q letters may be lower case; an RFC 2231 language suffix
/// (=?utf-8*ja?...) is ignored. Unknown charsets and undecodable words stay
/// literal (flag_bad_encoded_word). Raw 8-bit bytes are kept when valid UTF-8,
/// else decoded with `fallback_charset` (flag_raw_8bit_header). NUL -> U+FFFD
/// (flag_nul_bytes). `flags` may be null.
std::string decode_rfc2047(std::string_view value, uint32_t* flags = nullptr,
                           std::string_view fallback_charset = "windows-1252");

/// True when `value` is printable ASCII and tabs without "=?": decode_rfc2047()
/// gives it back unchanged and sets no flag.
bool plain_header_text(std::string_view value);

// --- charsets and UTF-8 ----------------------------------------------------

/// Converts `bytes` in `charset` to UTF-8, through an alias table
/// (ks_c_5601-1987 -> CP949, gb2312 -> GB18030, shift_jis -> CP932,
/// iso-8859-1/us-ascii -> windows-1252, iso-2022-jp -> ISO-2022-JP-2,
/// utf8 -> UTF-8, unicode-1-1-utf-7 -> UTF-7, ...) and glibc iconv. An unknown
/// label, bytes invalid in the declared charset, or a single-byte label on
/// text that is valid multi-byte UTF-8 (a common lie) give UTF-8 when the bytes
/// are valid UTF-8, else windows-1252 for the bytes that are not; *fell_back is
/// then set (it may be null). Japanese and Chinese text that fails in its label
/// is first tried in the sibling encodings (EUC-JP/Shift_JIS, GB18030/Big5).
/// NUL -> U+FFFD. The result is always valid UTF-8.
std::string to_utf8(std::string_view bytes, std::string_view charset, bool* fell_back = nullptr);

/// True for well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool is_valid_utf8(std::string_view s);

/// Valid UTF-8 kept; each byte of an invalid sequence and each NUL -> U+FFFD.
std::string sanitize_utf8(std::string_view s);

// --- addresses and ids -----------------------------------------------------

/// Parses an address list header (raw or decoded): mailboxes, "name <addr>",
/// "addr (comment)", quoted names, groups (members kept, `undisclosed-recipients:;`
/// gives nothing), '@' in display names, double '@'. Non-recursive and linear
/// (99999 colons or parentheses are harmless). Addresses are ASCII lower-cased;
/// names are RFC 2047 decoded. An item without an addr-spec keeps its raw text
/// as address. With `deobfuscate_at`, pipermail's "user at host.org" becomes
/// "user@host.org".
std::vector<Address> parse_address_list(std::string_view header, bool deobfuscate_at = false);

/// Message-ID normalisation: trim, take the first <...> (else the first
/// whitespace-separated token), strip angle brackets. "" if nothing is left.
std::string normalise_message_id(std::string_view value);

/// Ids of a References / In-Reply-To value: every <...> in order (internal
/// whitespace removed), else the tokens containing '@'. Duplicates dropped.
/// Over `max` ids, the first (thread root) and the last max-1 (nearest
/// ancestors) are kept.
std::vector<std::string> parse_id_list(std::string_view value, size_t max);

// --- bodies ----------------------------------------------------------------

/// Text of an HTML document: tags removed (attribute values never kept),
/// script/style/xml/template content and comments dropped, entities decoded
/// (named, decimal, hex), block elements -> line breaks, whitespace collapsed.
/// Linear time, no regular expressions.
std::string html_to_text(std::string_view html);

/// Base64 body decoding, lenient: non-alphabet bytes skipped, missing padding
/// ok; a line of plain text after a blank or padded line (a list footer) ends
/// the data.
std::string decode_base64(std::string_view encoded);

/// Quoted-printable decoding, lenient: bad escapes ("=ZZ") kept literally,
/// soft line breaks (also at EOF) removed. `q_encoding` also maps '_' to a
/// space (RFC 2047 "Q").
std::string decode_quoted_printable(std::string_view encoded, bool q_encoding = false);

// --- structured header parameters (RFC 2045 / RFC 2231) ----------------------

struct MimeParam {
    std::string name;      // lower-case, without RFC 2231 '*' suffixes
    std::string value;     // raw (unquoted) value; UTF-8 when `extended`
    bool extended = false; // assembled from RFC 2231 name*=, name*0*=, ... parts
};

struct HeaderParams {
    std::string value;              // lower-case main value, whitespace removed ("multipart/mixed")
    std::vector<MimeParam> params;  // in order of appearance, one per name (first wins)

    /// The parameter called `name` (lower-case), or null.
    [[nodiscard]] const MimeParam* find(std::string_view name) const;
    /// Its raw value, or "" (for boundary, charset...).
    [[nodiscard]] std::string_view raw(std::string_view name) const;
};

/// Parses "type/subtype; a=b; c="d e"" (Content-Type, Content-Disposition):
/// quoted strings with escapes, comments, blanks around '=', RFC 2231
/// continuations (in any order), charset'language'%XX values. A name*= value
/// wins over a plain one. Bounded: at most 256 parameters.
HeaderParams parse_header_params(std::string_view value);

/// A parameter as UTF-8 text (file names): the RFC 2231 value, else the plain
/// value with RFC 2047 words and raw 8-bit bytes decoded. "" if absent.
std::string param_text(const HeaderParams& params, std::string_view name, uint32_t* flags = nullptr);

} // namespace mlarc
