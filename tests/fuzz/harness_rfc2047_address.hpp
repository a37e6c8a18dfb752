// Fuzz harness for the header-value helpers of lib/mime (mime/decode.hpp):
// decode_rfc2047, parse_address_list, parse_id_list, normalise_message_id,
// html_to_text, and the charset/UTF-8, transfer-encoding and parameter helpers
// they are made of. The whole input is the header value (or HTML document);
// to_utf8 also gets it split into a charset label (the first line, when it is
// short) and bytes.
//
// Invariants checked:
//  - every returned string is valid UTF-8 without NUL (the contract of
//    decode.hpp), and is_valid_utf8 agrees with a reference validator written
//    here (Unicode table 3-7);
//  - sanitize_utf8 leaves clean text unchanged;
//  - parse_id_list: at most `max` ids, no duplicates, no blank or angle
//    brackets inside an id, and a capped list is the uncapped one's first id
//    plus its last max-1 ids;
//  - output sizes stay linear in the input (no amplification): html_to_text
//    and decode_rfc2047 <= 3 bytes per input byte (+ small constant), base64
//    <= 3/4, quoted-printable <= 1;
//  - parse_header_params: at most 256 parameters, lower-case names and value.
#pragma once

#include "fuzz/harness_common.hpp"
#include "mime/decode.hpp"
#include "mime/message.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc::fuzz {
namespace rfc2047_harness {

inline bool clean_text(std::string_view s) {
    return is_valid_utf8(s) && s.find('\0') == std::string_view::npos;
}

inline void expect_text(Verdict& v, std::string_view s, const char* what) {
    if (!clean_text(s)) v.fail(std::string(what) + " is not valid UTF-8 without NUL: \"" + excerpt(s) + "\"");
}

/// Reference UTF-8 validator, decoding code points the slow, obvious way.
inline bool reference_valid_utf8(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t len = 0;
        uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if ((c & 0xE0) == 0xC0) {
            len = 2, cp = c & 0x1Fu;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, cp = c & 0x0Fu;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, cp = c & 0x07u;
        } else {
            return false;
        }
        if (i + len > s.size()) return false;
        for (size_t k = 1; k < len; ++k) {
            const auto t = static_cast<unsigned char>(s[i + k]);
            if ((t & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (t & 0x3Fu);
        }
        static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

inline void check_id_list(std::string_view value, Verdict& v) {
    const std::vector<std::string> all = parse_id_list(value, SIZE_MAX);
    for (size_t i = 0; i < all.size(); ++i) {
        const std::string& id = all[i];
        expect_text(v, id, "a parse_id_list id");
        v.expect(!id.empty(), "parse_id_list returned an empty id");
        v.expect(id.find_first_of(" \t\r\n<>") == std::string::npos,
                 "parse_id_list id holds a blank or an angle bracket");
        v.expect(std::find(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(i), id) ==
                     all.begin() + static_cast<std::ptrdiff_t>(i),
                 "parse_id_list returned a duplicate id");
    }
    for (size_t max : {size_t{0}, size_t{1}, size_t{4}, size_t{1000}}) {
        const std::vector<std::string> capped = parse_id_list(value, max);
        if (all.size() <= max) {
            v.expect(capped == all, "parse_id_list under its cap differs from the uncapped list");
            continue;
        }
        std::vector<std::string> expected;
        if (max > 0) {
            expected.push_back(all.front());
            expected.insert(expected.end(), all.end() - static_cast<std::ptrdiff_t>(max - 1), all.end());
        }
        v.expect(capped == expected, "capped parse_id_list is not the root plus the last max-1 ids");
    }
}

inline void check_params(std::string_view value, Verdict& v) {
    const HeaderParams p = parse_header_params(value);
    v.expect(p.params.size() <= 256, "parse_header_params kept more than 256 parameters");
    auto lower_no_blank = [](std::string_view s) {
        return std::none_of(s.begin(), s.end(), [](char c) {
            return (c >= 'A' && c <= 'Z') || c == ' ' || c == '\t';
        });
    };
    v.expect(lower_no_blank(p.value), "parse_header_params value not lower-case without blanks");
    for (const MimeParam& m : p.params)
        v.expect(lower_no_blank(m.name), "parse_header_params name not lower-case without blanks");
    uint32_t flags = 0;
    expect_text(v, param_text(p, "filename", &flags), "param_text(filename)");
    expect_text(v, param_text(p, "name", &flags), "param_text(name)");
    expect_text(v, param_text(p, "charset", &flags), "param_text(charset)");
}

} // namespace rfc2047_harness

inline Verdict run_rfc2047_address(std::string_view input) {
    using namespace rfc2047_harness;
    Verdict v;
    const size_t n = input.size();

    // RFC 2047, with a fallback charset picked by the input length.
    static constexpr std::string_view kFallbacks[] = {"windows-1252", "utf-8", "shift_jis",
                                                      "x-no-such-charset", "iso-2022-jp"};
    uint32_t flags = 0;
    const std::string decoded =
        decode_rfc2047(input, &flags, kFallbacks[n % std::size(kFallbacks)]);
    expect_text(v, decoded, "decode_rfc2047");
    v.expect(decoded.size() <= 3 * n + 16, "decode_rfc2047 output more than 3 bytes per input byte");

    // Addresses, raw and pipermail-deobfuscated.
    for (bool deobfuscate : {false, true}) {
        const std::vector<Address> list = parse_address_list(input, deobfuscate);
        v.expect(list.size() <= n + 1, "parse_address_list returned more addresses than bytes");
        for (const Address& a : list) {
            expect_text(v, a.address, "a parsed address");
            expect_text(v, a.name, "a parsed display name");
        }
    }

    // Message ids.
    const std::string mid = normalise_message_id(input);
    expect_text(v, mid, "normalise_message_id");
    v.expect(mid.size() <= 3 * n, "normalise_message_id grew the id");
    check_id_list(input, v);

    // HTML.
    const std::string text = html_to_text(input);
    expect_text(v, text, "html_to_text");
    v.expect(text.size() <= 3 * n + 8, "html_to_text output more than 3 bytes per input byte");

    // UTF-8 and charsets.
    const bool valid = is_valid_utf8(input);
    v.expect(valid == reference_valid_utf8(input), "is_valid_utf8 disagrees with the reference validator");
    const std::string sane = sanitize_utf8(input);
    expect_text(v, sane, "sanitize_utf8");
    if (clean_text(input)) v.expect(sane == input, "sanitize_utf8 changed clean text");
    const size_t nl = input.find('\n');
    const bool labelled = nl != std::string_view::npos && nl <= 64;
    const std::string_view charset = labelled ? input.substr(0, nl) : std::string_view("utf-8");
    const std::string_view bytes = labelled ? input.substr(nl + 1) : input;
    bool fell_back = false;
    expect_text(v, to_utf8(bytes, charset, &fell_back), "to_utf8");

    // Transfer encodings and parameters.
    v.expect(decode_base64(input).size() <= n / 4 * 3 + 3, "decode_base64 output too long");
    v.expect(decode_quoted_printable(input).size() <= n, "decode_quoted_printable output too long");
    v.expect(decode_quoted_printable(input, true).size() <= n, "Q decoding output too long");
    check_params(input, v);
    return v;
}

} // namespace mlarc::fuzz
