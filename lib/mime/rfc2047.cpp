// RFC 2047 encoded words in header values (FAILURE-MODES B.16-17), lenient:
// words inside other words or quotes are decoded, B/Q may be lower case, an
// RFC 2231 language suffix (=?utf-8*ja?...) is ignored, and the bytes of
// adjacent words in one charset are joined before conversion so a multibyte
// character split across two words survives. A word with an unknown charset,
// a non-base64 B text or no "?=" before the next blank stays literal
// (flag_bad_encoded_word). Text outside words goes through the raw 8-bit rule
// (valid UTF-8 kept, else the fallback charset, flag_raw_8bit_header).
//
// Linear time on hostile input: each candidate "=?" costs at most the charset
// length (<= 75) plus a scan that the next candidate never repeats (the search
// for the terminating "?=" is bounded by the next blank, whose position is
// cached because candidates move forward).
#include "mime/detail.hpp"

namespace mlarc {
namespace {

using mime_detail::is_ws;

bool charset_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':' || c == '*' || c == '+' || c == '(' || c == ')';
}

bool base64_text(std::string_view s) {
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '+' || c == '/' || c == '=';
        if (!ok) return false;
    }
    return true;
}

bool all_ws(std::string_view s) {
    for (char c : s)
        if (!is_ws(c)) return false;
    return true;
}

std::string_view charset_base(std::string_view cs) { return cs.substr(0, cs.find('*')); }

} // namespace

/// One pass, 8 bytes at a time (most header values).
bool plain_header_text(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        i = mime_detail::skip_plain_blocks(s, i, [](uint64_t w) {
            return mime_detail::high_bytes(w) | mime_detail::control_bytes(w) | mime_detail::bytes_equal(w, '=');
        });
        if (i == s.size()) break;
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80 || (c < 0x20 && c != '\t')) return false;
        if (c == '=' && i + 1 < s.size() && s[i + 1] == '?') return false;
        ++i;
    }
    return true;
}

std::string decode_rfc2047(std::string_view in, uint32_t* flags, std::string_view fallback) {
    using namespace mime_detail;
    constexpr auto npos = std::string_view::npos;
    std::string out;
    if (plain_header_text(in)) return std::string(in);
    if (find_bytes(in, "=?") == npos) {
        append_header_bytes(out, in, fallback, flags);
        return out;
    }
    out.reserve(in.size());
    std::string pending;            // bytes of adjacent words in one charset
    std::string_view pending_cs;    // their charset ("" = none pending)
    auto flush = [&] {
        if (pending_cs.empty()) return;
        bool fell_back = false;
        append_converted(out, pending, pending_cs, fallback, &fell_back);
        if (fell_back && flags) *flags |= flag_charset_fallback;
        pending.clear();
        pending_cs = {};
    };
    auto bad_word = [&] {
        if (flags) *flags |= flag_bad_encoded_word;
    };

    size_t next_ws = 0, ws_from = 0; // cache: first blank at or after ws_from (npos = none)
    bool ws_cached = false;
    auto blank_at_or_after = [&](size_t x) {
        if (!ws_cached || x < ws_from || (next_ws != npos && x > next_ws)) {
            next_ws = x;
            while (next_ws < in.size() && !is_ws(in[next_ws])) ++next_ws;
            if (next_ws == in.size()) next_ws = npos;
            ws_from = x;
            ws_cached = true;
        }
        return next_ws;
    };

    size_t literal = 0; // start of text not yet emitted
    bool after_word = false;
    size_t i = 0;
    while (true) {
        const size_t p = find_bytes(in, "=?", i);
        if (p == npos) break;
        // "=?" charset "?" B|Q "?"
        size_t q = p + 2;
        while (q < in.size() && q - p - 2 <= 75 && charset_char(in[q])) ++q;
        if (q == p + 2 || q + 2 >= in.size() || in[q] != '?' || in[q + 2] != '?' ||
            !(lower(in[q + 1]) == 'b' || lower(in[q + 1]) == 'q')) {
            i = p + 2;
            continue;
        }
        const std::string_view charset = in.substr(p + 2, q - p - 2);
        const bool base64 = lower(in[q + 1]) == 'b';
        const size_t text_start = q + 3;
        const size_t blank = blank_at_or_after(text_start);
        const size_t end = find_bytes(in.substr(0, blank == npos ? in.size() : blank), "?=", text_start);
        if (end == npos) {
            bad_word();
            if (blank == npos) break;
            i = blank;
            continue;
        }
        const std::string_view text = in.substr(text_start, end - text_start);
        i = end + 2;
        if ((base64 && !base64_text(text)) || !charset_known(charset)) {
            bad_word(); // stays in the literal text
            continue;
        }
        const std::string_view gap = in.substr(literal, p - literal);
        if (!(after_word && all_ws(gap))) {
            flush();
            append_header_bytes(out, gap, fallback, flags);
        }
        if (!pending_cs.empty() && !iequals(charset_base(pending_cs), charset_base(charset))) flush();
        pending += base64 ? decode_base64(text) : decode_quoted_printable(text, true);
        pending_cs = charset;
        after_word = true;
        literal = i;
    }
    flush();
    append_header_bytes(out, in.substr(literal), fallback, flags);
    return out;
}

} // namespace mlarc
