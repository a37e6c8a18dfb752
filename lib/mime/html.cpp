// HTML to searchable text (FAILURE-MODES C.27): a single forward scan, no
// regular expressions, no DOM. Tags are dropped whole, including every
// attribute value (quoted values may contain '>'); the content of script,
// style, xml and template elements and comments is dropped; entities are
// decoded (named Latin-1 and typographic ones, decimal and hex, with the
// HTML5 windows-1252 remap of &#128;-&#159;); block elements become line
// breaks and runs of blanks collapse to one space. Text inside <blockquote>
// (what mail clients use for the quoted part of a reply) comes out with "> "
// line prefixes, one '>' per nesting level (at most kMaxQuoteDepth), like a
// plain-text reply, so readers and the deliverable-mention scanner can tell it
// from what the author wrote. Every byte is looked at a bounded number of
// times, so hostile markup costs linear time.
#include "mime/detail.hpp"

#include <algorithm>
#include <cstring>

namespace mlarc {
namespace {

using mime_detail::lower;

constexpr const char* kLatin1Names[96] = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",    "copy",
    "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn", "sup2",   "sup3",
    "acute",  "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",   "raquo",  "frac14", "frac12",
    "frac34", "iquest", "Agrave", "Aacute", "Acirc",  "Atilde", "Auml",   "Aring",  "AElig",  "Ccedil",
    "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave", "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde",
    "Ograve", "Oacute", "Ocirc",  "Otilde", "Ouml",   "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",
    "Uuml",   "Yacute", "THORN",  "szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",
    "aelig",  "ccedil", "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",
    "eth",    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave",
    "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml"};

struct Entity {
    const char* name;
    uint32_t cp;
};

constexpr Entity kEntities[] = {
    {"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"AMP", '&'},      {"LT", '<'},       {"GT", '>'},       {"QUOT", '"'},     {"ensp", 0x2002},
    {"emsp", 0x2003},  {"thinsp", 0x2009},{"zwnj", 0x200C},  {"zwj", 0x200D},   {"lrm", 0x200E},
    {"rlm", 0x200F},   {"ndash", 0x2013}, {"mdash", 0x2014}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
    {"sbquo", 0x201A}, {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"bdquo", 0x201E}, {"dagger", 0x2020},
    {"Dagger", 0x2021},{"bull", 0x2022},  {"hellip", 0x2026},{"permil", 0x2030},{"prime", 0x2032},
    {"Prime", 0x2033}, {"lsaquo", 0x2039},{"rsaquo", 0x203A},{"oline", 0x203E}, {"euro", 0x20AC},
    {"trade", 0x2122}, {"larr", 0x2190},  {"uarr", 0x2191},  {"rarr", 0x2192},  {"darr", 0x2193},
    {"harr", 0x2194},  {"minus", 0x2212}, {"le", 0x2264},    {"ge", 0x2265},    {"ne", 0x2260},
    {"asymp", 0x2248}, {"infin", 0x221E}, {"OElig", 0x0152}, {"oelig", 0x0153}, {"Scaron", 0x0160},
    {"scaron", 0x0161},{"Yuml", 0x0178},  {"fnof", 0x0192},  {"circ", 0x02C6},  {"tilde", 0x02DC},
    {"alpha", 0x03B1}, {"beta", 0x03B2},  {"gamma", 0x03B3}, {"delta", 0x03B4}, {"pi", 0x03C0},
    {"mu", 0x03BC},    {"sigma", 0x03C3}, {"omega", 0x03C9}, {"hearts", 0x2665},{"check", 0x2713},
};

bool named_entity(std::string_view name, uint32_t& cp) {
    for (size_t k = 0; k < 96; ++k)
        if (name == kLatin1Names[k]) {
            cp = static_cast<uint32_t>(160 + k);
            return true;
        }
    for (const auto& e : kEntities)
        if (name == e.name) {
            cp = e.cp;
            return true;
        }
    return false;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

bool one_of(std::string_view name, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), name) != set.end();
}

/// Deepest blockquote nesting shown as '>' prefixes (deeper ones look like
/// this depth), so hostile nesting cannot make the output quadratic.
constexpr int kMaxQuoteDepth = 8;

/// Collects text with collapsed blanks and at most two consecutive line breaks;
/// lines inside a blockquote start with one '>' per level, then a space.
class TextSink {
  public:
    void space() { space_ = true; }
    /// Entering (+1) or leaving (-1) a blockquote; unbalanced closes are ignored.
    void quote(int delta) { depth_ = std::max(0, depth_ + delta); }
    void line_break(int n) { breaks_ = std::min(2, std::max(breaks_, n)); }
    void add_break() { breaks_ = std::min(2, breaks_ + 1); }
    void byte(char c) {
        flush_separators();
        out_ += c;
    }
    void codepoint(uint32_t cp) {
        if (cp == 0xA0 || cp == ' ') {
            space_ = true;
            return;
        }
        flush_separators();
        if (cp >= 0x80 && cp <= 0x9F) mime_detail::append_cp1252_byte(out_, static_cast<unsigned char>(cp));
        else mime_detail::append_codepoint(out_, cp);
    }
    std::string take() {
        if (!out_.empty() && out_.back() == ' ') out_.pop_back();
        return std::move(out_);
    }

  private:
    void flush_separators() {
        if (out_.empty()) {
            prefix(false);
        } else if (breaks_ > 0) {
            while (!out_.empty() && out_.back() == ' ') out_.pop_back();
            for (int b = 1; b < breaks_; ++b) { // a blank line: ">" alone inside a quote
                out_ += '\n';
                prefix(true);
            }
            out_ += '\n';
            prefix(false);
        } else if (space_ && out_.back() != '\n') {
            out_ += ' ';
        }
        breaks_ = 0;
        space_ = false;
    }
    /// The quote prefix of a new line ("> ", ">> "); `blank`: without the space.
    void prefix(bool blank) {
        if (depth_ == 0) return;
        out_.append(static_cast<size_t>(std::min(depth_, kMaxQuoteDepth)), '>');
        if (!blank) out_ += ' ';
    }
    std::string out_;
    int breaks_ = 0;
    int depth_ = 0;
    bool space_ = false;
};

/// Decodes the entity at h[i] == '&' into sink; returns the index after it
/// (i + 1 with a literal '&' when it is not an entity).
size_t entity(std::string_view h, size_t i, TextSink& sink) {
    size_t j = i + 1;
    if (j < h.size() && h[j] == '#') {
        ++j;
        const bool hex = j < h.size() && (h[j] == 'x' || h[j] == 'X');
        if (hex) ++j;
        uint32_t cp = 0;
        size_t digits = 0;
        for (; j < h.size(); ++j, ++digits) {
            const char c = h[j];
            int d = -1;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (hex && lower(c) >= 'a' && lower(c) <= 'f') d = lower(c) - 'a' + 10;
            if (d < 0) break;
            if (cp <= 0x10FFFF) cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
        }
        if (digits == 0) {
            sink.byte('&');
            return i + 1;
        }
        if (j < h.size() && h[j] == ';') ++j;
        sink.codepoint(cp > 0x10FFFF ? 0xFFFD : cp);
        return j;
    }
    while (j < h.size() && j - i <= 10 && is_alnum(h[j])) ++j;
    uint32_t cp = 0;
    if (j < h.size() && h[j] == ';' && named_entity(h.substr(i + 1, j - i - 1), cp)) {
        sink.codepoint(cp);
        return j + 1;
    }
    sink.byte('&');
    return i + 1;
}

/// Index after the end of the element `name`'s raw content ("</name ...>"), or h.size().
size_t skip_raw_text(std::string_view h, size_t i, std::string_view name) {
    for (; i + 1 < h.size(); ++i) {
        if (h[i] != '<' || h[i + 1] != '/') continue;
        size_t k = i + 2;
        size_t m = 0;
        while (m < name.size() && k + m < h.size() && lower(h[k + m]) == name[m]) ++m;
        if (m == name.size() && (k + m >= h.size() || !is_alnum(h[k + m]))) {
            const void* gt = std::memchr(h.data() + k + m, '>', h.size() - k - m);
            return gt ? static_cast<size_t>(static_cast<const char*>(gt) - h.data()) + 1 : h.size();
        }
    }
    return h.size();
}

} // namespace

std::string html_to_text(std::string_view input) {
    std::string repaired;
    std::string_view h = input;
    if (!mime_detail::classify(h).valid || std::memchr(h.data(), 0, h.size())) {
        repaired = sanitize_utf8(h);
        h = repaired;
    }
    TextSink sink;
    size_t i = 0;
    const size_t n = h.size();
    while (i < n) {
        const char c = h[i];
        if (c == '&') {
            i = entity(h, i, sink);
            continue;
        }
        if (mime_detail::is_ws(c)) {
            sink.space();
            ++i;
            continue;
        }
        if (c != '<' || i + 1 >= n) {
            sink.byte(c);
            ++i;
            continue;
        }
        if (h.compare(i, 4, "<!--") == 0) {
            const size_t e = mime_detail::find_bytes(h, "-->", i + 4);
            i = e == std::string_view::npos ? n : e + 3;
            continue;
        }
        const bool closing = h[i + 1] == '/';
        const size_t name_at = i + 1 + (closing ? 1 : 0);
        if (h[i + 1] == '!' || h[i + 1] == '?') { // doctype, CDATA, processing instruction
            const void* gt = std::memchr(h.data() + i, '>', n - i);
            i = gt ? static_cast<size_t>(static_cast<const char*>(gt) - h.data()) + 1 : n;
            continue;
        }
        if (name_at >= n || !is_alpha(h[name_at])) { // "a < b": text
            sink.byte(c);
            ++i;
            continue;
        }
        std::string name;
        size_t k = name_at;
        for (; k < n && is_alnum(h[k]); ++k)
            if (name.size() < 16) name += lower(h[k]);
        // To the end of the tag; quoted attribute values may hold '>'.
        char last = 0;
        while (k < n && h[k] != '>') {
            if ((h[k] == '"' || h[k] == '\'') && last == '=') {
                const void* q = std::memchr(h.data() + k + 1, h[k], n - k - 1);
                k = q ? static_cast<size_t>(static_cast<const char*>(q) - h.data()) + 1 : n;
                last = 0;
                continue;
            }
            if (!mime_detail::is_ws(h[k])) last = h[k];
            ++k;
        }
        const bool self_closing = k > 0 && k < n && h[k - 1] == '/';
        i = k < n ? k + 1 : n;
        if (!closing && !self_closing && one_of(name, {"script", "style", "xml", "template"})) {
            i = skip_raw_text(h, i, name);
            continue;
        }
        if (name == "blockquote") {
            sink.line_break(1);
            sink.quote(closing ? -1 : self_closing ? 0 : 1);
        } else if (name == "br") {
            sink.add_break();
        } else if (name == "td" || name == "th") {
            sink.space();
        } else if (one_of(name, {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
                                 "dl", "dt", "dd", "table", "thead", "tbody", "tfoot",
                                 "pre", "hr", "address", "article", "aside", "section", "header",
                                 "footer", "nav", "main", "figure", "figcaption", "form", "fieldset",
                                 "legend", "title", "option", "center", "body", "caption"})) {
            sink.line_break(1);
        }
    }
    return sink.take();
}

} // namespace mlarc
