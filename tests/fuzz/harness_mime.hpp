// Fuzz harness for the MIME decoder (lib/mime decode_message): arbitrary bytes
// are one message, as the importer hands it over after framing.
//
// Each input is decoded twice: with the default DecodeOptions (the limits of
// docs/reliability.md) and with tiny limits (depth 3, 8 parts, 200-byte
// header fields, 10 headers, 256 bytes of text per part, 4 references,
// pipermail de-obfuscation on), so that every limit path is reached by small
// inputs. Invariants checked (mime/decode.hpp is the contract):
//  - decode_message() fails only with bad_input, and only for input that is
//    blank or has no header field; it never falls back to the "MIME decoding
//    failed" path, which means an exception was thrown inside (a bug hidden
//    by the catch);
//  - every output string (ids, subject, addresses, headers, texts, file
//    names, dates, warnings) is valid UTF-8 (mlarc's is_valid_utf8) without
//    NUL bytes;
//  - bounded output: headers <= max_headers, references and in_reply_to <=
//    max_references, attachments <= max_parts + 1, warnings <= 32, and the
//    text at most 4 bytes per input byte plus a constant (no amplification).
#pragma once

#include "fuzz/harness_common.hpp"
#include "mime/decode.hpp"
#include "mime/message.hpp"

#include <string>
#include <string_view>

namespace mlarc::fuzz {
namespace mime_harness {

/// Valid UTF-8 and no NUL: what every decoder output must be.
inline bool clean_text(std::string_view s) {
    return is_valid_utf8(s) && s.find('\0') == std::string_view::npos;
}

inline void expect_text(Verdict& v, std::string_view s, const char* field) {
    if (!clean_text(s))
        v.fail(std::string(field) + " is not valid UTF-8 without NUL: \"" + excerpt(s) + "\"");
}

inline void expect_addresses(Verdict& v, const std::vector<Address>& list, const char* field) {
    for (const Address& a : list) {
        expect_text(v, a.address, field);
        expect_text(v, a.name, field);
    }
}

inline void check_decode(std::string_view raw, const DecodeOptions& opt, Verdict& v) {
    auto r = decode_message(raw, opt);
    if (!r) {
        v.expect(r.error().code == Errc::bad_input,
                 "decode_message() failed with a code other than bad_input (an exception inside?)");
        // bad_input is for blank input or input without any header field; a
        // message with a valid "Name: value" first line must decode.
        const size_t colon = raw.find(':');
        const size_t nl = raw.find('\n');
        bool first_line_header = colon != std::string_view::npos && colon > 0 &&
                                 (nl == std::string_view::npos || colon < nl);
        for (size_t i = 0; first_line_header && i < colon; ++i) {
            const auto c = static_cast<unsigned char>(raw[i]);
            first_line_header = c > 32 && c < 127;
        }
        v.expect(!first_line_header || raw.substr(0, 5) == "From ",
                 "decode_message() rejects a message whose first line is a header field");
        return;
    }
    const ParsedMessage& m = *r;
    for (const std::string& w : m.warnings) {
        expect_text(v, w, "a warning");
        if (w.find("MIME decoding failed") != std::string::npos)
            v.fail("decode_message() fell back to plain text: an exception was thrown inside");
    }
    expect_text(v, m.message_id, "message_id");
    for (const auto& id : m.references)
        expect_text(v, id, "a References id");
    for (const auto& id : m.in_reply_to)
        expect_text(v, id, "an In-Reply-To id");
    expect_text(v, m.subject, "subject");
    expect_text(v, m.from.address, "from.address");
    expect_text(v, m.from.name, "from.name");
    expect_addresses(v, m.to, "a To address");
    expect_addresses(v, m.cc, "a Cc address");
    expect_addresses(v, m.reply_to, "a Reply-To address");
    for (const auto& id : m.list_ids)
        expect_text(v, id, "a List-Id");
    expect_text(v, m.date_header, "date_header");
    for (const Header& h : m.headers) {
        expect_text(v, h.name, "a header name");
        expect_text(v, h.value, "a header value");
    }
    expect_text(v, m.body_text, "body_text");
    expect_text(v, m.quoted_text, "quoted_text");
    expect_text(v, m.attachment_text, "attachment_text");
    for (const Attachment& a : m.attachments) {
        expect_text(v, a.filename, "an attachment file name");
        expect_text(v, a.content_type, "an attachment content type");
    }
    for (const auto& d : m.received_dates)
        expect_text(v, d, "a Received date");

    v.expect(m.headers.size() <= opt.max_headers, "more headers than max_headers");
    v.expect(m.references.size() <= opt.max_references, "more References ids than max_references");
    v.expect(m.in_reply_to.size() <= opt.max_references, "more In-Reply-To ids than max_references");
    v.expect(m.attachments.size() <= opt.max_parts + 1, "more attachments than max_parts + 1");
    v.expect(m.warnings.size() <= 32, "more than 32 warnings");
    const size_t text = m.body_text.size() + m.attachment_text.size() + m.quoted_text.size();
    if (text > 4 * raw.size() + 64)
        v.fail("text output of " + std::to_string(text) + " bytes for " + std::to_string(raw.size()) +
               " bytes of input");
}

} // namespace mime_harness

inline Verdict run_mime(std::string_view input) {
    using namespace mime_harness;
    Verdict v;
    check_decode(input, DecodeOptions{}, v);
    DecodeOptions tight;
    tight.max_depth = 3;
    tight.max_parts = 8;
    tight.max_header_bytes = 200;
    tight.max_headers = 10;
    tight.max_text_per_part = 256;
    tight.max_references = 4;
    tight.deobfuscate_at = true;
    check_decode(input, tight, v);
    return v;
}

} // namespace mlarc::fuzz
