// Structured header values with parameters (Content-Type, Content-Disposition;
// FAILURE-MODES C.23-24): "type/subtype; name=value; name="quoted \" value"",
// with comments, blanks around '=' (`boundary =bar`), odd capitalisation, and
// RFC 2231 extended parameters: name*=charset'lang'%XX, continuations
// name*0=, name*1*= reassembled by index (in any order), the extended form
// winning over a plain one of the same name.
//
// Written here rather than taken from mimetic because mimetic 0.9.8's
// ContentType splits quoted values at ';' (boundary="a;b" -> `"a`), keeps
// comments in values ("us-ascii (Plain text)") and knows nothing of RFC 2231.
// One forward pass; at most 256 parameters are kept.
#include "mime/detail.hpp"

#include <algorithm>
#include <map>

namespace mlarc {
namespace {

using mime_detail::is_ws;
using mime_detail::lower;

constexpr size_t kMaxParams = 256;

/// Skips a comment starting at s[i] == '(' (nesting counted, not recursed).
size_t skip_comment(std::string_view s, size_t i) {
    int depth = 0;
    for (; i < s.size(); ++i) {
        if (s[i] == '\\') {
            ++i;
        } else if (s[i] == '(') {
            ++depth;
        } else if (s[i] == ')' && --depth == 0) {
            return i + 1;
        }
    }
    return s.size();
}

/// Text up to the next ';' (or end) with comments and outer blanks removed; i moves past it.
std::string read_unquoted(std::string_view s, size_t& i) {
    std::string v;
    while (i < s.size() && s[i] != ';') {
        if (s[i] == '(') {
            i = skip_comment(s, i);
            continue;
        }
        v += s[i++];
    }
    return std::string(trim(v));
}

/// A quoted string starting at s[i] == '"'; an unterminated one runs to the end.
std::string read_quoted(std::string_view s, size_t& i) {
    std::string v;
    for (++i; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            v += s[++i];
        } else if (s[i] == '"') {
            ++i;
            break;
        } else if (s[i] != '\r' && s[i] != '\n') {
            v += s[i];
        }
    }
    return v;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = lower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

struct Segment {
    long index;   // -1 for the single "name*" form
    bool encoded; // ends with '*': charset'lang'%XX (first segment) or %XX
    std::string value;
};

/// Joins RFC 2231 segments (sorted by index, first of a duplicated index wins)
/// into UTF-8.
std::string assemble_2231(std::vector<Segment>& segs) {
    std::stable_sort(segs.begin(), segs.end(), [](const Segment& a, const Segment& b) { return a.index < b.index; });
    std::string charset, bytes;
    long last = -2;
    bool first = true;
    for (auto& s : segs) {
        if (s.index == last) continue;
        last = s.index;
        std::string_view v = s.value;
        if (first && s.encoded) {
            const size_t q1 = v.find('\'');
            const size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
            if (q2 != std::string_view::npos) {
                charset = std::string(v.substr(0, q1));
                v = v.substr(q2 + 1);
            }
        }
        first = false;
        bytes += s.encoded ? percent_decode(v) : std::string(v);
    }
    std::string out;
    mime_detail::append_converted(out, bytes, charset.empty() ? "us-ascii" : charset, "windows-1252", nullptr);
    return out;
}

} // namespace

const MimeParam* HeaderParams::find(std::string_view name) const {
    for (const auto& p : params)
        if (p.name == name) return &p;
    return nullptr;
}

std::string_view HeaderParams::raw(std::string_view name) const {
    const MimeParam* p = find(name);
    return p ? std::string_view(p->value) : std::string_view();
}

HeaderParams parse_header_params(std::string_view s) {
    HeaderParams hp;
    size_t i = 0;
    const std::string main = read_unquoted(s, i);
    for (size_t k = 0; k < main.size(); ++k) { // "text / plain" joins, "text/plain junk" stops
        if (!is_ws(main[k])) {
            hp.value += lower(main[k]);
            continue;
        }
        size_t j = k;
        while (j < main.size() && is_ws(main[j])) ++j;
        if (!(hp.value.ends_with('/') || (j < main.size() && main[j] == '/'))) break;
        k = j - 1;
    }
    std::map<std::string, std::vector<Segment>> extended;
    size_t count = 0;
    while (i < s.size() && count < kMaxParams) {
        ++i; // ';'
        while (i < s.size() && is_ws(s[i])) ++i;
        std::string name;
        while (i < s.size() && s[i] != '=' && s[i] != ';') {
            if (s[i] == '(') {
                i = skip_comment(s, i);
                continue;
            }
            if (!is_ws(s[i])) name += lower(s[i]);
            ++i;
        }
        if (i >= s.size() || s[i] != '=') continue; // "; foo;" without a value
        ++i;
        while (i < s.size() && is_ws(s[i])) ++i;
        std::string value;
        if (i < s.size() && s[i] == '"') {
            value = read_quoted(s, i);
            read_unquoted(s, i); // junk after the closing quote
        } else {
            value = read_unquoted(s, i);
        }
        if (name.empty()) continue;
        ++count;
        const size_t star = name.find('*');
        if (star == std::string::npos) {
            if (!hp.find(name)) hp.params.push_back({name, std::move(value), false});
            continue;
        }
        // name*  |  name*N  |  name*N*
        std::string_view rest = std::string_view(name).substr(star + 1);
        Segment seg{-1, false, std::move(value)};
        if (!rest.empty() && rest.back() == '*') {
            seg.encoded = true;
            rest.remove_suffix(1);
        } else if (rest.empty()) {
            seg.encoded = true; // "name*"
        }
        if (!rest.empty()) {
            if (rest.size() > 4 || !std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; }))
                continue;
            seg.index = std::stol(std::string(rest));
        }
        extended[name.substr(0, star)].push_back(std::move(seg));
    }
    for (auto& entry : extended) {
        // Not a structured binding: clang 14 cannot capture one in a lambda.
        const std::string& name = entry.first;
        std::string text = assemble_2231(entry.second);
        auto it = std::find_if(hp.params.begin(), hp.params.end(), [&name](const MimeParam& p) { return p.name == name; });
        if (it == hp.params.end()) {
            hp.params.push_back({name, std::move(text), true});
        } else if (!text.empty()) { // name*= wins over name=
            it->value = std::move(text);
            it->extended = true;
        }
    }
    return hp;
}

std::string param_text(const HeaderParams& params, std::string_view name, uint32_t* flags) {
    const MimeParam* p = params.find(name);
    if (!p) return {};
    if (p->extended) return p->value;
    return decode_rfc2047(p->value, flags);
}

} // namespace mlarc
