// Purpose: the small, dependency-free primitives of mlarc-sample-gen. These are
// a fixed PRNG (splitmix64), integer-only calendar arithmetic, and the text
// encoders a mail archive needs (base64, quoted-printable, RFC 2047 encoded
// words, RFC 2231 parameter values, header folding, HTML escaping).
// Everything here is deterministic and uses only integers. There is no
// <random> and no libm, so output is byte-identical across compilers and
// standard-library versions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sample_gen {

// ---------------------------------------------------------------------------
// PRNG

/// One splitmix64 step: advances `state` and returns a well-mixed 64-bit value.
inline uint64_t splitmix64(uint64_t& state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/// Mixes two values into one seed (order matters).
inline uint64_t mix_seed(uint64_t a, uint64_t b) {
    uint64_t s = a ^ (b * 0xD6E8FEB86659FD93ULL);
    splitmix64(s);
    return splitmix64(s);
}

/// A deterministic random stream. Every draw is integer arithmetic on the
/// splitmix64 output, so it is identical on every platform.
class Rng {
  public:
    explicit Rng(uint64_t seed) : state_(seed) {}
    uint64_t next() { return splitmix64(state_); }
    /// Uniform in [0, n); n > 0. The modulo bias is below 2^-40 for our n.
    uint64_t below(uint64_t n) { return next() % n; }
    /// Uniform in [lo, hi], inclusive.
    int64_t range(int64_t lo, int64_t hi) {
        return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1)));
    }
    /// True with probability num/den.
    bool chance(uint64_t num, uint64_t den) { return below(den) < num; }
    template <typename C> const auto& pick(const C& c) { return c[below(std::size(c))]; }
    /// Index drawn with the given integer weights (sum > 0).
    size_t weighted(const std::vector<uint32_t>& w, uint64_t total) {
        uint64_t r = below(total);
        for (size_t i = 0; i < w.size(); ++i) {
            if (r < w[i]) return i;
            r -= w[i];
        }
        return w.size() - 1;
    }

  private:
    uint64_t state_;
};

// ---------------------------------------------------------------------------
// Calendar (proleptic Gregorian, UTC, seconds since 1970-01-01)

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
inline int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct Civil {
    int64_t year;
    int month, day, hour, minute, second, weekday; // weekday: 0 = Sunday
};

inline Civil civil_from_time(int64_t t) {
    int64_t days = t / 86400;
    int64_t secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        --days;
    }
    const int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    Civil c{};
    c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    c.year = yoe + era * 400 + (c.month <= 2);
    c.hour = static_cast<int>(secs / 3600);
    c.minute = static_cast<int>(secs / 60 % 60);
    c.second = static_cast<int>(secs % 60);
    c.weekday = static_cast<int>(((days % 7) + 11) % 7); // 1970-01-01 was a Thursday
    return c;
}

inline int64_t time_from_civil(int64_t y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

inline constexpr const char* k_day_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
inline constexpr const char* k_month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
inline constexpr const char* k_month_long[] = {"January", "February", "March",     "April",
                                               "May",     "June",     "July",      "August",
                                               "September", "October", "November", "December"};

inline void append_2d(std::string& out, int v) {
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
}

/// RFC 5322 date in local time: "Tue, 5 Sep 2017 09:12:44 +0800".
/// `offset_min` is the zone offset east of UTC in minutes.
inline std::string rfc5322_date(int64_t t_utc, int offset_min) {
    const Civil c = civil_from_time(t_utc + offset_min * 60);
    std::string out;
    out.reserve(32);
    out += k_day_names[c.weekday];
    out += ", ";
    out += std::to_string(c.day);
    out += ' ';
    out += k_month_names[c.month - 1];
    out += ' ';
    out += std::to_string(c.year);
    out += ' ';
    append_2d(out, c.hour);
    out += ':';
    append_2d(out, c.minute);
    out += ':';
    append_2d(out, c.second);
    out += ' ';
    const int a = offset_min < 0 ? -offset_min : offset_min;
    out += offset_min < 0 ? '-' : '+';
    append_2d(out, a / 60);
    append_2d(out, a % 60);
    return out;
}

/// asctime/ctime form used on mbox From_ lines, in UTC: "Tue Sep  5 01:12:44 2017".
inline std::string asctime_utc(int64_t t_utc) {
    const Civil c = civil_from_time(t_utc);
    std::string out;
    out.reserve(24);
    out += k_day_names[c.weekday];
    out += ' ';
    out += k_month_names[c.month - 1];
    out += ' ';
    if (c.day < 10) out += ' ';
    out += std::to_string(c.day);
    out += ' ';
    append_2d(out, c.hour);
    out += ':';
    append_2d(out, c.minute);
    out += ':';
    append_2d(out, c.second);
    out += ' ';
    out += std::to_string(c.year);
    return out;
}

/// ISO 8601 UTC: "2017-09-05T01:12:44Z".
inline std::string iso_utc(int64_t t_utc) {
    const Civil c = civil_from_time(t_utc);
    std::string out = std::to_string(c.year);
    out += '-';
    append_2d(out, c.month);
    out += '-';
    append_2d(out, c.day);
    out += 'T';
    append_2d(out, c.hour);
    out += ':';
    append_2d(out, c.minute);
    out += ':';
    append_2d(out, c.second);
    out += 'Z';
    return out;
}

/// "5 September 2017" (dates written in prose).
inline std::string long_date(int64_t t) {
    const Civil c = civil_from_time(t);
    return std::to_string(c.day) + " " + k_month_long[c.month - 1] + " " + std::to_string(c.year);
}

// ---------------------------------------------------------------------------
// Encoders

inline bool is_alnum(unsigned char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

inline bool is_ascii(std::string_view s) {
    for (unsigned char ch : s)
        if (ch >= 0x80) return false;
    return true;
}

/// Base64 (RFC 4648). `line_len` > 0 wraps with LF every line_len output chars.
inline std::string base64(std::string_view in, size_t line_len = 0) {
    static constexpr char tbl[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve(in.size() * 4 / 3 + in.size() / 57 + 8);
    size_t col = 0;
    auto put = [&](char ch) {
        if (line_len && col == line_len) {
            out += '\n';
            col = 0;
        }
        out += ch;
        ++col;
    };
    size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
        const uint32_t v = (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8) |
                           uint32_t(uint8_t(in[i + 2]));
        put(tbl[v >> 18]);
        put(tbl[(v >> 12) & 63]);
        put(tbl[(v >> 6) & 63]);
        put(tbl[v & 63]);
    }
    if (i < in.size()) {
        uint32_t v = uint32_t(uint8_t(in[i])) << 16;
        if (i + 1 < in.size()) v |= uint32_t(uint8_t(in[i + 1])) << 8;
        put(tbl[v >> 18]);
        put(tbl[(v >> 12) & 63]);
        put(i + 1 < in.size() ? tbl[(v >> 6) & 63] : '=');
        put('=');
    }
    if (line_len) out += '\n';
    return out;
}

inline constexpr char k_hex[] = "0123456789ABCDEF";

/// Quoted-printable body encoding (RFC 2045): LF line breaks kept as hard
/// breaks, soft breaks ("=\n") keep encoded lines at most 76 characters.
inline std::string quoted_printable(std::string_view in) {
    std::string out;
    out.resize(in.size() * 3 + in.size() / 24 + 16); // worst case
    char* o = out.data();
    size_t col = 0;
    const size_t n = in.size();
    for (size_t i = 0; i < n; ++i) {
        const unsigned char ch = static_cast<unsigned char>(in[i]);
        if (ch == '\n') {
            *o++ = '\n';
            col = 0;
            continue;
        }
        // Fast path: a printable character far from the 76-column limit.
        if (ch >= 33 && ch <= 126 && ch != '=' && col < 74) {
            *o++ = static_cast<char>(ch);
            ++col;
            continue;
        }
        const bool at_eol = i + 1 == n || in[i + 1] == '\n';
        const bool literal = (ch >= 33 && ch <= 126 && ch != '=') || (ch == ' ' && !at_eol);
        const size_t need = literal ? 1 : 3;
        // Leave room for the soft break '=' unless this is the last char of the line.
        if (col + need > (at_eol ? 76u : 75u)) {
            *o++ = '=';
            *o++ = '\n';
            col = 0;
        }
        if (literal) {
            *o++ = static_cast<char>(ch);
        } else {
            *o++ = '=';
            *o++ = k_hex[ch >> 4];
            *o++ = k_hex[ch & 15];
        }
        col += need;
    }
    out.resize(static_cast<size_t>(o - out.data()));
    return out;
}

/// Length of the UTF-8 sequence that starts with `lead` (1 for ASCII/invalid).
inline size_t utf8_len(unsigned char lead) {
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
}

/// UTF-8 to ISO-8859-1; code points above U+00FF become '?'.
inline std::string utf8_to_latin1(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const size_t n = utf8_len(c);
        if (n == 1) {
            out += static_cast<char>(c);
        } else if (n == 2 && i + 1 < s.size()) {
            const unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
            out += cp <= 0xFF ? static_cast<char>(cp) : '?';
        } else {
            out += '?';
        }
        i += n;
    }
    return out;
}

/// True when every code point of the UTF-8 text is at most U+00FF.
inline bool fits_latin1(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0xC4) return false; // lead bytes of U+0100 and above
        i += utf8_len(c);
    }
    return true;
}

/// One or more RFC 2047 "B" encoded words for UTF-8 text, split on character
/// boundaries so that each word stays within 75 characters.
inline std::string encoded_words_b(std::string_view utf8) {
    std::string out;
    size_t i = 0;
    while (i < utf8.size()) {
        size_t j = i;
        // 45 raw bytes -> 60 base64 chars + 12 of "=?UTF-8?B?" "?=" = 72.
        while (j < utf8.size()) {
            const size_t n = utf8_len(static_cast<unsigned char>(utf8[j]));
            if (j + n - i > 45) break;
            j += n;
        }
        if (!out.empty()) out += ' ';
        out += "=?UTF-8?B?";
        out += base64(utf8.substr(i, j - i));
        out += "?=";
        i = j;
    }
    return out;
}

/// One or more RFC 2047 "Q" encoded words in ISO-8859-1 for UTF-8 text whose
/// code points fit Latin-1.
inline std::string encoded_words_q_latin1(std::string_view utf8) {
    const std::string raw = utf8_to_latin1(utf8);
    std::string out;
    std::string word;
    auto flush = [&] {
        if (!out.empty()) out += ' ';
        out += "=?ISO-8859-1?Q?" + word + "?=";
        word.clear();
    };
    for (unsigned char ch : raw) {
        std::string piece;
        if (ch == ' ') {
            piece = "_";
        } else if (ch < 0x80 && (is_alnum(ch) || ch == '-' || ch == '.' || ch == ',')) {
            piece = std::string(1, static_cast<char>(ch));
        } else {
            piece = {'=', k_hex[ch >> 4], k_hex[ch & 15]};
        }
        if (word.size() + piece.size() > 56) flush();
        word += piece;
    }
    if (!word.empty()) flush();
    return out;
}

/// Header text as written by a mail client: ASCII stays as is; otherwise the
/// leading ASCII words stay readable and the rest becomes encoded words
/// (Q/ISO-8859-1 when `prefer_latin1` and the text fits, else B/UTF-8).
inline std::string encode_header_text(std::string_view utf8, bool prefer_latin1) {
    if (is_ascii(utf8)) return std::string(utf8);
    size_t first_non_ascii = 0;
    while (static_cast<unsigned char>(utf8[first_non_ascii]) < 0x80)
        ++first_non_ascii;
    size_t cut = utf8.rfind(' ', first_non_ascii);
    cut = cut == std::string_view::npos ? 0 : cut + 1;
    std::string out(utf8.substr(0, cut));
    const std::string_view rest = utf8.substr(cut);
    out += (prefer_latin1 && fits_latin1(rest)) ? encoded_words_q_latin1(rest)
                                                : encoded_words_b(rest);
    return out;
}

/// RFC 2231 extended value: UTF-8''percent-encoded.
inline std::string rfc2231_value(std::string_view utf8) {
    std::string out = "UTF-8''";
    for (unsigned char ch : utf8) {
        if (is_alnum(ch) || ch == '-' || ch == '.' || ch == '_') {
            out += static_cast<char>(ch);
        } else {
            out += '%';
            out += k_hex[ch >> 4];
            out += k_hex[ch & 15];
        }
    }
    return out;
}

/// "Name: value" folded at spaces so that lines stay near 78 columns, with
/// continuation lines starting with a tab or a space (`fold_char`).
inline std::string folded_header(std::string_view name, std::string_view value,
                                 char fold_char = ' ') {
    std::string out(name);
    out += ": ";
    size_t col = out.size();
    size_t i = 0;
    bool first = true;
    while (i < value.size()) {
        size_t sp = value.find(' ', i);
        if (sp == std::string_view::npos) sp = value.size();
        const std::string_view word = value.substr(i, sp - i);
        if (!first && col + 1 + word.size() > 78) {
            out += '\n';
            out += fold_char;
            col = 1;
        } else if (!first) {
            out += ' ';
            ++col;
        }
        out += word;
        col += word.size();
        first = false;
        i = sp + 1;
    }
    out += '\n';
    return out;
}

/// HTML text escaping. With `named_entities`, the Latin-1 letters our text
/// uses become named entities (&eacute;) as Outlook writes them; every other
/// non-ASCII character stays raw UTF-8.
inline void html_escape_to(std::string& out, std::string_view utf8, bool named_entities) {
    struct Named {
        unsigned cp;
        const char* name;
    };
    static constexpr Named named[] = {
        {0xE9, "eacute"}, {0xE8, "egrave"}, {0xEA, "ecirc"}, {0xE0, "agrave"}, {0xE7, "ccedil"},
        {0xF4, "ocirc"},  {0xFC, "uuml"},   {0xF6, "ouml"},  {0xE4, "auml"},   {0xDF, "szlig"},
        {0xF1, "ntilde"}, {0xE1, "aacute"}, {0xED, "iacute"}, {0xF3, "oacute"}, {0xA7, "sect"},
        {0xC9, "Eacute"}, {0xA0, "nbsp"},
    };
    for (size_t i = 0; i < utf8.size();) {
        // Copy the run of characters that need no escaping in one go.
        size_t j = i;
        while (j < utf8.size()) {
            const unsigned char u = static_cast<unsigned char>(utf8[j]);
            if (u >= 0x80 || u == '&' || u == '<' || u == '>' || u == '"') break;
            ++j;
        }
        out.append(utf8.substr(i, j - i));
        i = j;
        if (i == utf8.size()) break;
        const unsigned char c = static_cast<unsigned char>(utf8[i]);
        const size_t n = utf8_len(c);
        if (n == 1) {
            if (c == '&') out += "&amp;";
            else if (c == '<') out += "&lt;";
            else if (c == '>') out += "&gt;";
            else if (c == '"') out += "&quot;";
            else out += static_cast<char>(c);
            ++i;
            continue;
        }
        if (!named_entities) {
            out.append(utf8.substr(i, n));
            i += n;
            continue;
        }
        unsigned cp = c & (n == 2 ? 0x1Fu : n == 3 ? 0x0Fu : 0x07u);
        for (size_t k = 1; k < n && i + k < utf8.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3Fu);
        const char* name = nullptr;
        for (const auto& e : named)
            if (e.cp == cp) name = e.name;
        if (name) {
            out += '&';
            out += name;
            out += ';';
        } else {
            out.append(utf8.substr(i, n));
        }
        i += n;
    }
}

inline std::string html_escape(std::string_view utf8, bool named_entities) {
    std::string out;
    out.reserve(utf8.size() + 16);
    html_escape_to(out, utf8, named_entities);
    return out;
}

/// Lower-cases ASCII letters.
inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& ch : out)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return out;
}

/// Hex digits of a 64-bit value (lower or upper case), zero-padded to `width`.
inline std::string hex64(uint64_t v, int width, bool upper = false) {
    static constexpr char lo[] = "0123456789abcdef";
    const char* digits = upper ? k_hex : lo;
    std::string out(static_cast<size_t>(width), '0');
    for (int i = width - 1; i >= 0 && v; --i) {
        out[static_cast<size_t>(i)] = digits[v & 15];
        v >>= 4;
    }
    return out;
}

} // namespace sample_gen
