// From_ line and header line recognition (see from_line.hpp). Works on
// string_views of the read buffer: no allocation, bounded work per line (at
// most kMaxTokens tokens are looked at).
#include "mbox/from_line.hpp"

#include <array>
#include <cstddef>

namespace mlarc::mbox_detail {
namespace {

constexpr size_t kMaxTokens = 16;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

bool all_digits(std::string_view s, size_t min_len, size_t max_len) {
    if (s.size() < min_len || s.size() > max_len) return false;
    for (char c : s)
        if (!is_digit(c)) return false;
    return true;
}

/// hh:mm or hh:mm:ss with one- or two-digit hours.
bool is_time(std::string_view s) {
    size_t colon = s.find(':');
    if (colon == std::string_view::npos || !all_digits(s.substr(0, colon), 1, 2)) return false;
    std::string_view rest = s.substr(colon + 1);
    if (rest.size() == 2) return all_digits(rest, 2, 2);
    return rest.size() == 5 && rest[2] == ':' && all_digits(rest.substr(0, 2), 2, 2) &&
           all_digits(rest.substr(3), 2, 2);
}

/// Case-insensitive match of the first three letters against a name list,
/// allowing a trailing comma ("Mon,").
template <size_t N> bool is_name(std::string_view s, const std::array<std::string_view, N>& names) {
    if (!s.empty() && s.back() == ',') s.remove_suffix(1);
    if (s.size() != 3) return false;
    for (std::string_view n : names) {
        bool eq = true;
        for (size_t i = 0; i < 3; ++i)
            if ((s[i] | 0x20) != (n[i] | 0x20)) eq = false;
        if (eq) return true;
    }
    return false;
}

constexpr std::array<std::string_view, 7> kDays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/// "+0200", "-0400", "UTC", "CEST", "GMT+0100" and the like.
bool is_zone(std::string_view s) {
    if (s.size() == 5 && (s[0] == '+' || s[0] == '-')) return all_digits(s.substr(1), 4, 4);
    if (s.empty() || s.size() > 8) return false;
    for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '+' ||
              c == '-'))
            return false;
    return !is_digit(s[0]);
}

struct Tokens {
    std::array<std::string_view, kMaxTokens> t{};
    size_t n = 0;
};

Tokens tokenize(std::string_view s) {
    Tokens out;
    size_t i = 0;
    while (i < s.size() && out.n < kMaxTokens) {
        while (i < s.size() && is_blank(s[i]))
            ++i;
        size_t start = i;
        while (i < s.size() && !is_blank(s[i]))
            ++i;
        if (i > start) out.t[out.n++] = s.substr(start, i - start);
    }
    return out;
}

/// asctime date starting at token `s`: day-name month day time [zone] year.
bool asctime_at(const Tokens& tk, size_t s) {
    if (s + 5 > tk.n) return false;
    if (!is_name(tk.t[s], kDays) || !is_name(tk.t[s + 1], kMonths) ||
        !all_digits(tk.t[s + 2], 1, 2) || !is_time(tk.t[s + 3]))
        return false;
    if (all_digits(tk.t[s + 4], 1, 4)) return true;
    return s + 6 <= tk.n && is_zone(tk.t[s + 4]) && all_digits(tk.t[s + 5], 1, 4);
}

/// A time token and a year: a number after the time, or any 4-digit number.
bool has_time_and_year(const Tokens& tk, size_t from) {
    bool seen_time = false, year = false;
    for (size_t i = from; i < tk.n; ++i) {
        if (is_time(tk.t[i]))
            seen_time = true;
        else if (all_digits(tk.t[i], 4, 4) || (seen_time && all_digits(tk.t[i], 1, 4)))
            year = true;
    }
    return seen_time && year;
}

} // namespace

FromLine classify_from_line(std::string_view line) {
    if (line.size() < 5 || line.substr(0, 5) != "From ") return FromLine::none;
    Tokens tk = tokenize(line.substr(5));
    if (tk.n == 0) return FromLine::none;
    if (tk.t[0] == "-") {
        // Mozilla "From - Mon Jan  1 00:00:00 2001" or a bare "From -".
        return tk.n == 1 || asctime_at(tk, 1) ? FromLine::strict : FromLine::loose;
    }
    if (!has_time_and_year(tk, 1)) return FromLine::none;
    bool pipermail = tk.n > 3 && tk.t[1] == "at";
    return asctime_at(tk, 1) || (pipermail && asctime_at(tk, 3)) ? FromLine::strict
                                                                 : FromLine::loose;
}

bool is_header_line(std::string_view line) {
    size_t i = 0;
    while (i < line.size() && line[i] > ' ' && line[i] < 127 && line[i] != ':')
        ++i;
    if (i == 0) return false;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
        ++i;
    return i < line.size() && line[i] == ':';
}

bool is_blank_line(std::string_view line) {
    for (char c : line)
        if (!is_blank(c)) return false;
    return true;
}

} // namespace mlarc::mbox_detail
