// Helpers shared by the mime unit tests: decode-and-require, CRLF conversion,
// and the "every output string is valid UTF-8 without NUL" check applied to
// every decoded message.
#pragma once

#include "test_support.hpp"

#include "mime/decode.hpp"

#include <string>
#include <string_view>

namespace mlarc::test {

/// LF -> CRLF.
inline std::string crlf(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

inline bool has(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

/// Name of the first output field that is not valid UTF-8 or holds a NUL, or "".
inline std::string unclean_field(const ParsedMessage& m) {
    auto bad = [](std::string_view s) { return !is_valid_utf8(s) || s.find('\0') != std::string_view::npos; };
    if (bad(m.message_id)) return "message_id";
    if (bad(m.subject)) return "subject";
    if (bad(m.from.address) || bad(m.from.name)) return "from";
    if (bad(m.date_header)) return "date_header";
    if (bad(m.body_text)) return "body_text";
    if (bad(m.attachment_text)) return "attachment_text";
    for (const auto& r : m.references)
        if (bad(r)) return "references";
    for (const auto& r : m.in_reply_to)
        if (bad(r)) return "in_reply_to";
    for (const auto* list : {&m.to, &m.cc, &m.reply_to})
        for (const auto& a : *list)
            if (bad(a.address) || bad(a.name)) return "to/cc/reply_to";
    for (const auto& l : m.list_ids)
        if (bad(l)) return "list_ids";
    for (const auto& h : m.headers)
        if (bad(h.name) || bad(h.value)) return "headers";
    for (const auto& a : m.attachments)
        if (bad(a.filename) || bad(a.content_type)) return "attachments";
    for (const auto& r : m.received_dates)
        if (bad(r)) return "received_dates";
    for (const auto& w : m.warnings)
        if (bad(w)) return "warnings";
    return {};
}

/// Decodes `raw`, requiring success and clean output.
inline ParsedMessage decoded(std::string_view raw, const DecodeOptions& options = {}) {
    auto r = decode_message(raw, options);
    REQUIRE(r.ok());
    CHECK(unclean_field(*r).empty());
    return std::move(r).value();
}

} // namespace mlarc::test
