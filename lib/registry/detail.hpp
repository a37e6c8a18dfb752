// Internals of the registry module shared by its .cpp files (not a public API:
// other modules include registry/registry.hpp, extract.hpp or roster.hpp).
// ASCII byte classes, a strict small-integer parser, case-insensitive
// comparison and the line iterator the TSV and roster readers share (BOM and
// CR handling, 1-based line numbers).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace mlarc::registry_detail {

inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
inline bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_alnum(char c) {
    return is_digit(c) || is_alpha(c);
}
inline bool is_blank(char c) {
    return c == ' ' || c == '\t';
}
inline bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
inline char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// ASCII case-insensitive equality.
inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

/// A non-negative decimal integer of 1-9 digits and nothing else ("007" -> 7).
inline std::optional<int> parse_small_uint(std::string_view s) {
    if (s.empty() || s.size() > 9) return std::nullopt;
    int v = 0;
    for (char c : s) {
        if (!is_digit(c)) return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

/// Calls f(line_number, line) for every line of `content`: 1-based numbers, a
/// leading UTF-8 BOM dropped, the '\n' and a '\r' before it removed. A final
/// line without '\n' is included; an empty content has no lines.
template <typename F> void for_each_line(std::string_view content, F&& f) {
    if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
    size_t line_no = 0;
    while (!content.empty()) {
        const size_t nl = content.find('\n');
        std::string_view line = content.substr(0, nl);
        content.remove_prefix(nl == std::string_view::npos ? content.size() : nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        f(++line_no, line);
    }
}

} // namespace mlarc::registry_detail
