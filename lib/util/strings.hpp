// Small string helpers shared by every module: ASCII case folding, trimming,
// splitting and joining, subject normalisation for subject-only threading
// (FAILURE-MODES item 35), and the escapers the front ends need to emit JSON,
// CSV, HTML and URLs safely (items 49-51), plus human-readable sizes/counts.
//
// All functions work on bytes: UTF-8 passes through untouched unless a
// function says otherwise. Case folding is ASCII only (locale-independent).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc {

/// ASCII lower-case copy; bytes >= 0x80 are kept as they are.
std::string ascii_lower(std::string_view s);

/// `s` without leading/trailing ASCII whitespace (space, \t, \r, \n, \v, \f).
/// The result views into `s`.
std::string_view trim(std::string_view s);

/// Splits on `sep`. Empty fields are kept ("a,,b" -> {"a","","b"}; "" -> {""})
/// unless skip_empty is true.
std::vector<std::string> split(std::string_view s, char sep, bool skip_empty = false);

/// True if `s` starts with `prefix`, comparing ASCII letters case-insensitively.
bool starts_with_icase(std::string_view s, std::string_view prefix);

/// Concatenates `parts` with `sep` between them. Works for any range of
/// things convertible to std::string_view (vector<string>, vector<string_view>...).
template <typename Range> std::string join(const Range& parts, std::string_view sep) {
    std::string out;
    bool first = true;
    for (const auto& p : parts) {
        if (!first) out += sep;
        out += std::string_view(p);
        first = false;
    }
    return out;
}

/// Removes the leading reply/forward prefixes and mailing-list tags from a
/// (decoded, UTF-8) subject and collapses whitespace runs into one space; the
/// case of the rest is kept (for display). Rules, applied repeatedly at the front:
///  - a reply/forward prefix is one of the words Re, Fwd, Fw, AW, WG, SV, VS,
///    Antw, Ref, TR, RIF, ODP (ASCII case-insensitive) or 回复, 回覆, 答复, 答覆,
///    转发, 轉發, optionally followed by a counter ("[2]", "(2)", "^2"), optional
///    spaces and then ':' or the full-width '：'. It is removed.
///  - a tag "[...]" is a list tag, and is removed, when its content is non-empty,
///    has no whitespace, and is not made of upper-case ASCII letters only.
///    So [linux-mips], [Python-Dev], [Fgdpmwg3], [ruby-talk:12345] go, while
///    keyword tags such as [PATCH], [RFC], [SPAM] and any tag with a space
///    ([PATCH v2 1/3]) are kept in place, and scanning continues after them
///    ("[PATCH] Re: x" -> "[PATCH] x").
std::string strip_subject_prefixes(std::string_view subject);

/// The comparison key for subject-only threading: strip_subject_prefixes()
/// lower-cased (ASCII). "Re: [linux-mips] AW: Foo  bar" -> "foo bar".
std::string normalise_subject(std::string_view subject);

/// True if the leading prefixes of the subject (as strip_subject_prefixes()
/// would remove, list tags skipped) include a reply prefix (Re, AW, SV, VS,
/// Antw, Ref, RIF, ODP, 回复, 回覆, 答复, 答覆). Forward prefixes alone (Fwd, Fw,
/// WG, TR, 转发, 轉發) do not make a reply.
bool is_reply_subject(std::string_view subject);

/// Content of a JSON string (without the surrounding quotes): escapes '"',
/// '\\', control characters (< 0x20 and 0x7F) and U+2028/U+2029; keeps valid
/// UTF-8 as is and replaces each invalid byte with U+FFFD, so the output is
/// always valid JSON.
std::string json_escape(std::string_view s);

/// One RFC 4180 CSV field: quoted (with '"' doubled) when it contains ',', '"',
/// CR or LF, or starts/ends with a space; else returned unchanged.
std::string csv_field(std::string_view s);

/// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view s);

/// RFC 3986 percent-encoding: keeps A-Z a-z 0-9 - . _ ~, encodes every other
/// byte as %XX (upper-case hex). Safe for a path segment or a query value.
std::string percent_encode(std::string_view s);

/// Size with decimal (SI) units, one decimal above 1 kB: "512 B", "1.5 kB",
/// "120.0 MB", "4.7 GB".
std::string human_bytes(uint64_t bytes);

/// Integer with thousands separators: 12345 -> "12,345".
std::string format_count(uint64_t n);

} // namespace mlarc
