// From-quoting of the mbox variants and the format names (reader.hpp).
//
// mboxrd quotes every line matching ^>*From  with one more '>', so unquoting
// removes one '>' from lines matching ^>+From ; mboxo quotes only ^From  and
// cannot be undone exactly, so unquoting removes the '>' of ^>From  only.
// Both directions copy the text in runs between the affected lines.
#include "mbox/reader.hpp"

#include <cstring>

namespace mlarc {
namespace {

/// Calls fn(pos, quotes) for each line that is `quotes` '>' characters
/// followed by "From ", where pos is the offset of the line start.
template <typename Fn> void for_each_from_line(std::string_view text, Fn fn) {
    size_t ls = 0;
    while (ls < text.size()) {
        size_t q = ls;
        while (q < text.size() && text[q] == '>')
            ++q;
        if (text.compare(q, 5, "From ") == 0) fn(ls, q - ls);
        const void* nl = std::memchr(text.data() + q, '\n', text.size() - q);
        if (!nl) break;
        ls = static_cast<size_t>(static_cast<const char*>(nl) - text.data()) + 1;
    }
}

} // namespace

bool needs_unescape(std::string_view raw, Escaping e) {
    return e != Escaping::none && raw.find(">From ") != std::string_view::npos;
}

std::string unescape(std::string_view raw, Escaping e) {
    // One memmem instead of a look at every line start for most messages.
    if (!needs_unescape(raw, e)) return std::string(raw);
    std::string out;
    out.reserve(raw.size());
    size_t copied = 0;
    for_each_from_line(raw, [&](size_t pos, size_t quotes) {
        if (quotes == 0 || (e == Escaping::mboxo && quotes != 1)) return;
        out.append(raw, copied, pos - copied);
        copied = pos + 1; // drop one '>'
    });
    out.append(raw, copied);
    return out;
}

std::string escape_mboxrd(std::string_view message) {
    std::string out;
    out.reserve(message.size() + 16);
    size_t copied = 0;
    for_each_from_line(message, [&](size_t pos, size_t) {
        out.append(message, copied, pos - copied);
        out += '>';
        copied = pos;
    });
    out.append(message, copied);
    return out;
}

Result<MboxFormat> parse_mbox_format(std::string_view name) {
    for (MboxFormat f : {MboxFormat::automatic, MboxFormat::mboxo, MboxFormat::mboxrd,
                         MboxFormat::mboxcl, MboxFormat::mboxcl2, MboxFormat::maildir})
        if (name == mbox_format_name(f)) return f;
    return make_error(Errc::usage, "unknown mbox format '" + std::string(name) + "'",
                      "use one of auto, mboxo, mboxrd, mboxcl, mboxcl2, maildir");
}

std::string_view mbox_format_name(MboxFormat f) {
    switch (f) {
    case MboxFormat::automatic:
        return "auto";
    case MboxFormat::mboxo:
        return "mboxo";
    case MboxFormat::mboxrd:
        return "mboxrd";
    case MboxFormat::mboxcl:
        return "mboxcl";
    case MboxFormat::mboxcl2:
        return "mboxcl2";
    case MboxFormat::maildir:
        return "maildir";
    }
    return "auto";
}

} // namespace mlarc
