// String helpers: case folding, trimming, splitting, subject normalisation and
// the output escapers (JSON, CSV, HTML, URL). See strings.hpp for the rules.
#include "util/strings.hpp"

#include <array>
#include <cstdio>

namespace mlarc {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

struct PrefixWord {
    std::string_view word;
    bool reply; // false: a forward marker
};

// ASCII words compared case-insensitively; they must be followed by a counter,
// spaces or the colon (so "Request:" is not "Re" + "quest:").
constexpr std::array<PrefixWord, 12> kAsciiPrefixes{{
    {"re", true},
    {"aw", true},
    {"sv", true},
    {"vs", true},
    {"antw", true},
    {"ref", true},
    {"rif", true},
    {"odp", true},
    {"fwd", false},
    {"fw", false},
    {"wg", false},
    {"tr", false},
}};
constexpr std::array<PrefixWord, 6> kCjkPrefixes{{
    {"\xe5\x9b\x9e\xe5\xa4\x8d", true},  // 回复
    {"\xe5\x9b\x9e\xe8\xa6\x86", true},  // 回覆
    {"\xe7\xad\x94\xe5\xa4\x8d", true},  // 答复
    {"\xe7\xad\x94\xe8\xa6\x86", true},  // 答覆
    {"\xe8\xbd\xac\xe5\x8f\x91", false}, // 转发
    {"\xe8\xbd\x89\xe7\x99\xbc", false}, // 轉發
}};
constexpr std::string_view kFullWidthColon = "\xef\xbc\x9a"; // ：

// Length of the reply/forward prefix at the start of `s` (0 if none), with the
// counter, spaces and colon included. Sets *reply when the word is a reply marker.
size_t prefix_length(std::string_view s, bool* reply) {
    size_t n = 0;
    bool is_reply = false;
    for (const auto& p : kAsciiPrefixes) {
        if (starts_with_icase(s, p.word) &&
            (s.size() == p.word.size() || !is_alpha(s[p.word.size()]))) {
            n = p.word.size();
            is_reply = p.reply;
            break;
        }
    }
    if (n == 0) {
        for (const auto& p : kCjkPrefixes) {
            if (s.substr(0, p.word.size()) == p.word) {
                n = p.word.size();
                is_reply = p.reply;
                break;
            }
        }
    }
    if (n == 0) return 0;
    // Optional counter: [2], (2), ^2.
    if (n < s.size() && (s[n] == '[' || s[n] == '(' || s[n] == '^')) {
        const char open = s[n];
        size_t j = n + 1;
        while (j < s.size() && is_digit(s[j]))
            ++j;
        if (j == n + 1) return 0;
        if (open != '^') {
            if (j >= s.size() || s[j] != (open == '[' ? ']' : ')')) return 0;
            ++j;
        }
        n = j;
    }
    while (n < s.size() && (s[n] == ' ' || s[n] == '\t'))
        ++n;
    size_t colon = 0;
    if (n < s.size() && s[n] == ':')
        colon = 1;
    else if (s.substr(n, kFullWidthColon.size()) == kFullWidthColon)
        colon = kFullWidthColon.size();
    if (colon == 0) return 0;
    if (reply != nullptr) *reply = is_reply;
    return n + colon;
}

// A "[...]" tag that names a list (removed) rather than a keyword (kept).
bool is_list_tag(std::string_view content) {
    if (content.empty()) return false;
    bool all_upper_letters = true;
    for (char c : content) {
        if (is_space(c)) return false;
        if (!(c >= 'A' && c <= 'Z')) all_upper_letters = false;
    }
    return !all_upper_letters;
}

// Walks the leading prefixes and tags of a subject. Appends kept tags (each
// followed by a space) to *kept, reports whether a reply prefix was seen, and
// returns the offset where the subject proper starts.
size_t scan_subject_prefixes(std::string_view s, std::string* kept, bool* saw_reply) {
    size_t i = 0;
    for (;;) {
        while (i < s.size() && is_space(s[i]))
            ++i;
        if (i >= s.size()) return i;
        bool reply = false;
        if (size_t n = prefix_length(s.substr(i), &reply); n > 0) {
            if (reply && saw_reply != nullptr) *saw_reply = true;
            i += n;
            continue;
        }
        if (s[i] == '[') {
            const size_t close = s.find(']', i + 1);
            if (close != std::string_view::npos) {
                const std::string_view content = s.substr(i + 1, close - i - 1);
                if (!is_list_tag(content) && kept != nullptr) {
                    kept->append(s.substr(i, close + 1 - i));
                    kept->push_back(' ');
                }
                i = close + 1;
                continue;
            }
        }
        return i;
    }
}

std::string collapse_whitespace(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool pending_space = false;
    for (char c : s) {
        if (is_space(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(c);
    }
    return out;
}

// Length of the valid UTF-8 sequence at s[i], or 0 if the byte there does not
// start one (overlong forms, surrogates and code points above U+10FFFF rejected).
size_t utf8_sequence_length(std::string_view s, size_t i) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return 1;
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c == 0xE0) {
        len = 3;
        lo = 0xA0;
    } else if (c >= 0xE1 && c <= 0xEC)
        len = 3;
    else if (c == 0xED) {
        len = 3;
        hi = 0x9F;
    } else if (c >= 0xEE && c <= 0xEF)
        len = 3;
    else if (c == 0xF0) {
        len = 4;
        lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3)
        len = 4;
    else if (c == 0xF4) {
        len = 4;
        hi = 0x8F;
    } else
        return 0;
    if (i + len > s.size()) return 0;
    if (b(i + 1) < lo || b(i + 1) > hi) return 0;
    for (size_t k = 2; k < len; ++k)
        if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
    return len;
}

constexpr char kHex[] = "0123456789ABCDEF";

} // namespace

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = lower(c);
    return out;
}

std::string_view trim(std::string_view s) {
    size_t b = 0, e = s.size();
    while (b < e && is_space(s[b]))
        ++b;
    while (e > b && is_space(s[e - 1]))
        --e;
    return s.substr(b, e - b);
}

std::vector<std::string> split(std::string_view s, char sep, bool skip_empty) {
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        const size_t pos = s.find(sep, start);
        const std::string_view field =
            s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start);
        if (!(skip_empty && field.empty())) out.emplace_back(field);
        if (pos == std::string_view::npos) break;
        start = pos + 1;
    }
    return out;
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (lower(s[i]) != lower(prefix[i])) return false;
    return true;
}

std::string strip_subject_prefixes(std::string_view subject) {
    std::string out;
    const size_t rest = scan_subject_prefixes(subject, &out, nullptr);
    out.append(subject.substr(rest));
    return collapse_whitespace(out);
}

std::string normalise_subject(std::string_view subject) {
    return ascii_lower(strip_subject_prefixes(subject));
}

bool is_reply_subject(std::string_view subject) {
    bool reply = false;
    scan_subject_prefixes(subject, nullptr, &reply);
    return reply;
}

std::string json_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 8);
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        switch (c) {
        case '"':
            out += "\\\"";
            ++i;
            continue;
        case '\\':
            out += "\\\\";
            ++i;
            continue;
        case '\b':
            out += "\\b";
            ++i;
            continue;
        case '\f':
            out += "\\f";
            ++i;
            continue;
        case '\n':
            out += "\\n";
            ++i;
            continue;
        case '\r':
            out += "\\r";
            ++i;
            continue;
        case '\t':
            out += "\\t";
            ++i;
            continue;
        default:
            break;
        }
        if (c < 0x20 || c == 0x7F) {
            out += "\\u00";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
            ++i;
            continue;
        }
        const size_t len = utf8_sequence_length(s, i);
        if (len == 0) {
            out += "\xef\xbf\xbd"; // U+FFFD
            ++i;
            continue;
        }
        const std::string_view seq = s.substr(i, len);
        if (seq == "\xe2\x80\xa8")
            out += "\\u2028";
        else if (seq == "\xe2\x80\xa9")
            out += "\\u2029";
        else
            out.append(seq);
        i += len;
    }
    return out;
}

std::string csv_field(std::string_view s) {
    const bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos ||
                       (!s.empty() && (s.front() == ' ' || s.back() == ' '));
    if (!quote) return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 16);
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out.push_back(c);
        }
    }
    return out;
}

std::string percent_encode(std::string_view s) {
    std::string out;
    out.reserve(s.size() * 3);
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_alpha(ch) || is_digit(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
        }
    }
    return out;
}

std::string human_bytes(uint64_t bytes) {
    if (bytes < 1000) return std::to_string(bytes) + " B";
    static constexpr const char* kUnits[] = {"kB", "MB", "GB", "TB", "PB", "EB"};
    double v = static_cast<double>(bytes) / 1000.0;
    size_t u = 0;
    // 999.95 would print as "1000.0": move to the next unit instead.
    while (v >= 999.95 && u + 1 < std::size(kUnits)) {
        v /= 1000.0;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[u]);
    return buf;
}

std::string format_count(uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3);
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

} // namespace mlarc
