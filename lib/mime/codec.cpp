// Content-Transfer-Encoding decoders (FAILURE-MODES C.22), lenient by design.
//
// Base64 uses mimetic's Base64::Decoder: tested sound for what mail needs
// (non-alphabet bytes and bytes >= 0x80 are skipped, missing padding is
// accepted, concatenated padded chunks "QQ==QUI=" decode correctly) at about
// 200 MB/s. One rule is added in front of it: a blank or padded line followed
// by a line of non-base64 text ends the data (Mailman appends its plain-text
// footer to base64 bodies; decoding it would add binary junk).
//
// Quoted-printable is our own: mimetic 0.9.8's QP decoder drops the hard line
// break after a line with trailing blanks ("a  \nb" -> "ab", which merges
// words for the indexer) and keeps the '=' of a soft break at the end of
// input. Ours keeps bad escapes ("=ZZ", "=4") literally, treats "=" + blanks
// + EOL and a final "=" as soft breaks, and copies runs between '=' in bulk.
#include "mime/detail.hpp"

#include <mimetic/codec/base64.h>

#include <array>
#include <cstring>
#include <iterator>

namespace mlarc {

namespace {

// 0: not base64 (skipped), 1: a symbol, 2: '=' padding.
constexpr auto kBase64Class = [] {
    std::array<unsigned char, 256> t{};
    for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<size_t>(c)] = 1;
    for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = 1;
    for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = 1;
    t['+'] = t['/'] = 1;
    t['='] = 2;
    return t;
}();

int base64_class(char c) { return kBase64Class[static_cast<unsigned char>(c)]; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/// Length of the base64 data in a body: it ends before a line holding non-base64
/// text once a padded line or a blank line has been seen (a list footer such as
/// Mailman's appended to a base64 body); junk earlier on is skipped by the decoder.
size_t base64_extent(std::string_view s) {
    bool data = false, ended = false;
    size_t pos = 0;
    while (pos < s.size()) {
        const void* nl = std::memchr(s.data() + pos, '\n', s.size() - pos);
        const size_t eol = nl ? static_cast<size_t>(static_cast<const char*>(nl) - s.data()) : s.size();
        std::string_view line = s.substr(pos, eol - pos);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        if (ended) { // only text after the end of the data is checked for junk
            for (char c : line)
                if (base64_class(c) == 0 && c != ' ' && c != '\t') return pos;
        }
        if (line.empty()) {
            ended = ended || data;
        } else {
            data = true;
            ended = ended || line.back() == '=';
        }
        pos = eol + 1;
    }
    return s.size();
}

} // namespace

std::string decode_base64(std::string_view encoded) {
    encoded = encoded.substr(0, base64_extent(encoded));
    std::string out;
    out.reserve(encoded.size() / 4 * 3 + 3);
    mimetic::Base64::Decoder decoder;
    decoder.process(encoded.begin(), encoded.end(), std::back_inserter(out));
    return out;
}

uint64_t mime_detail::base64_decoded_size(std::string_view encoded) {
    // Mirrors mimetic's Decoder: quanta of 4 symbols ('=' included); a full one
    // gives 3 bytes, or 1-2 when it holds '='; a final partial quantum of 2 or 3
    // symbols is padded.
    encoded = encoded.substr(0, base64_extent(encoded));
    uint64_t size = 0;
    int q[4] = {};
    int n = 0;
    for (char c : encoded) {
        const int k = base64_class(c);
        if (k == 0) continue;
        q[n++] = k;
        if (n == 4) {
            size += q[2] == 2 ? 1 : q[3] == 2 ? 2 : 3;
            n = 0;
        }
    }
    if (n == 2) size += 1;
    if (n == 3) size += q[2] == 2 ? 1 : 2;
    return size;
}

std::string decode_quoted_printable(std::string_view in, bool q_encoding) {
    std::string out;
    out.reserve(in.size());
    const size_t n = in.size();
    size_t i = 0;
    while (i < n) {
        const void* eq = std::memchr(in.data() + i, '=', n - i);
        const size_t next = eq ? static_cast<size_t>(static_cast<const char*>(eq) - in.data()) : n;
        if (q_encoding) {
            for (size_t k = i; k < next; ++k) out += in[k] == '_' ? ' ' : in[k];
        } else {
            out.append(in.data() + i, next - i);
        }
        if (next == n) break;
        i = next + 1; // after '='
        if (i + 1 < n && hex_value(in[i]) >= 0 && hex_value(in[i + 1]) >= 0) {
            out += static_cast<char>(hex_value(in[i]) * 16 + hex_value(in[i + 1]));
            i += 2;
            continue;
        }
        size_t k = i;
        while (k < n && (in[k] == ' ' || in[k] == '\t')) ++k;
        if (k == n) break;                         // soft break at the end of input
        if (in[k] == '\n') { i = k + 1; continue; } // soft line break
        if (in[k] == '\r') {
            i = (k + 1 < n && in[k + 1] == '\n') ? k + 2 : k + 1;
            continue;
        }
        out += '='; // bad escape: literal, the following bytes are copied as text
    }
    return out;
}

} // namespace mlarc
