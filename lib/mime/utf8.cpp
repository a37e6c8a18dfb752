// UTF-8 validation and repair for the mime module: the well-formedness check
// (Unicode table 3-7: no overlongs, surrogates or values above U+10FFFF), a
// classifier that skips ASCII 8 bytes at a time (most mail is ASCII, and every
// body byte passes through it), the windows-1252 decoding used for bytes that
// are not UTF-8, and the small in-place repairs (NUL, CR) applied to text
// after it has been appended to an output buffer.
#include "mime/detail.hpp"

#include <cstring>

namespace mlarc {
namespace mime_detail {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

size_t find_bytes(std::string_view hay, std::string_view needle, size_t from) {
    if (from > hay.size() || needle.size() > hay.size() - from) return std::string_view::npos;
    if (needle.empty()) return from;
    if (needle.size() <= 3) { // memmem's set-up costs more than it saves on short needles
        const char* end = hay.data() + hay.size() - needle.size() + 1;
        for (const char* p = hay.data() + from; p < end; ++p) {
            p = static_cast<const char*>(std::memchr(p, needle[0], static_cast<size_t>(end - p)));
            if (!p) break;
            if (std::memcmp(p, needle.data(), needle.size()) == 0) return static_cast<size_t>(p - hay.data());
        }
        return std::string_view::npos;
    }
    const void* p = memmem(hay.data() + from, hay.size() - from, needle.data(), needle.size());
    return p ? static_cast<size_t>(static_cast<const char*>(p) - hay.data()) : std::string_view::npos;
}

size_t utf8_sequence(const unsigned char* p, size_t avail) {
    const unsigned char c = p[0];
    if (c < 0x80) return 1;
    auto cont = [&](size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return i < avail && p[i] >= lo && p[i] <= hi;
    };
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c >= 0xE1 && c <= 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

TextClass classify(std::string_view s) {
    TextClass r;
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const size_t n = s.size();
    size_t i = 0;
    while (i < n) {
        i = skip_plain_blocks(s, i, high_bytes);
        if (i == n) break;
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        r.ascii = false;
        const size_t len = utf8_sequence(p + i, n - i);
        if (len == 0) {
            r.valid = false;
            return r;
        }
        i += len;
    }
    return r;
}

void append_codepoint(std::string& out, uint32_t cp) {
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

namespace {

// windows-1252 0x80-0x9F (WHATWG: the five undefined bytes map to C1 controls).
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

constexpr const char kReplacement[] = "\xEF\xBF\xBD";

// Shared loop of the two repairers: copies valid UTF-8, hands every NUL and every
// byte that starts no valid sequence to `bad`.
template <typename Bad> void repair_utf8(std::string& out, std::string_view s, Bad bad) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const size_t n = s.size();
    out.reserve(out.size() + n + n / 8);
    size_t run = 0; // start of the pending run of good bytes
    size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c != 0 && c < 0x80) {
            ++i;
            continue;
        }
        const size_t len = c == 0 ? 0 : utf8_sequence(p + i, n - i);
        if (len != 0) {
            i += len;
            continue;
        }
        out.append(s.data() + run, i - run);
        bad(out, c);
        run = ++i;
    }
    out.append(s.data() + run, n - run);
}

} // namespace

void append_cp1252_byte(std::string& out, unsigned char c) {
    if (c == 0) out += kReplacement;
    else if (c >= 0x80 && c <= 0x9F) append_codepoint(out, kCp1252High[c - 0x80]);
    else append_codepoint(out, c);
}

void append_utf8_or_cp1252(std::string& out, std::string_view bytes) {
    repair_utf8(out, bytes, append_cp1252_byte);
}

size_t replace_nul(std::string& out, size_t from) {
    if (from >= out.size() || !std::memchr(out.data() + from, 0, out.size() - from)) return 0;
    std::string tail;
    tail.reserve(out.size() - from + 16);
    size_t count = 0;
    for (size_t i = from; i < out.size(); ++i) {
        if (out[i] == '\0') {
            tail += kReplacement;
            ++count;
        } else {
            tail += out[i];
        }
    }
    out.resize(from);
    out += tail;
    return count;
}

void normalise_newlines(std::string& out, size_t from) {
    if (from >= out.size()) return;
    const void* cr = std::memchr(out.data() + from, '\r', out.size() - from);
    if (!cr) return;
    size_t w = static_cast<size_t>(static_cast<const char*>(cr) - out.data());
    for (size_t r = w; r < out.size(); ++r) {
        if (out[r] == '\r') {
            out[w++] = '\n';
            if (r + 1 < out.size() && out[r + 1] == '\n') ++r;
        } else {
            out[w++] = out[r];
        }
    }
    out.resize(w);
}

size_t utf8_floor(std::string_view s, size_t n) {
    if (n >= s.size()) return s.size();
    size_t k = n;
    while (k > 0 && n - k < 3 && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
    return (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80 ? n : k;
}

} // namespace mime_detail

bool is_valid_utf8(std::string_view s) { return mime_detail::classify(s).valid; }

std::string sanitize_utf8(std::string_view s) {
    std::string out;
    mime_detail::repair_utf8(out, s, [](std::string& o, unsigned char) { o += mime_detail::kReplacement; });
    return out;
}

} // namespace mlarc
