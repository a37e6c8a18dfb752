// Charset conversion to UTF-8 (FAILURE-MODES D.29-30): the WHATWG-style alias
// table, glibc iconv behind a per-thread cache of RAII handles, and the
// fallback rules: an unknown label, a declared charset the bytes are not valid
// in, or a single-byte label on valid multi-byte UTF-8 (the common lie) yield
// the bytes themselves when they are valid UTF-8, else the fallback charset
// (windows-1252 by default, applied only to the bytes that are not UTF-8).
//
// Fast paths, because every body byte comes through here: ASCII text in an
// ASCII-compatible charset, UTF-8, and the Latin-1/windows-1252 family never
// reach iconv. Whether an iconv charset is ASCII-compatible is measured once per
// charset and thread by converting a probe (this catches UTF-7, UTF-16, HZ and
// EBCDIC); stateful ISO-2022 text is never fast-pathed when it holds ESC/SO/SI.
#include "mime/detail.hpp"

#include <cerrno>
#include <cstring>
#include <iconv.h>
#include <memory>
#include <unordered_map>
#include <vector>

namespace mlarc {
namespace mime_detail {
namespace {

enum class Kind { utf8, ascii, cp1252, iconv, unknown };

struct Alias {
    const char* label;
    Kind kind;
    const char* iconv_name; // for Kind::iconv
};

// Lower-case labels. Anything not listed is tried with iconv under its own name.
constexpr Alias kAliases[] = {
    {"utf-8", Kind::utf8, nullptr}, {"utf8", Kind::utf8, nullptr},
    {"unicode-1-1-utf-8", Kind::utf8, nullptr}, {"unicode11utf8", Kind::utf8, nullptr},
    {"unicode20utf8", Kind::utf8, nullptr}, {"x-unicode20utf8", Kind::utf8, nullptr},
    {"us-ascii", Kind::ascii, nullptr}, {"ascii", Kind::ascii, nullptr},
    {"ansi_x3.4-1968", Kind::ascii, nullptr}, {"ansi_x3.4-1986", Kind::ascii, nullptr},
    {"iso646-us", Kind::ascii, nullptr}, {"us", Kind::ascii, nullptr},
    {"csascii", Kind::ascii, nullptr}, {"iso-ir-6", Kind::ascii, nullptr},
    {"cp367", Kind::ascii, nullptr}, {"ibm367", Kind::ascii, nullptr},
    {"iso-8859-1", Kind::cp1252, nullptr}, {"iso8859-1", Kind::cp1252, nullptr},
    {"iso_8859-1", Kind::cp1252, nullptr}, {"iso_8859-1:1987", Kind::cp1252, nullptr},
    {"iso88591", Kind::cp1252, nullptr}, {"8859-1", Kind::cp1252, nullptr},
    {"latin1", Kind::cp1252, nullptr}, {"latin-1", Kind::cp1252, nullptr},
    {"l1", Kind::cp1252, nullptr}, {"iso-ir-100", Kind::cp1252, nullptr},
    {"cp819", Kind::cp1252, nullptr}, {"ibm819", Kind::cp1252, nullptr},
    {"csisolatin1", Kind::cp1252, nullptr}, {"windows-1252", Kind::cp1252, nullptr},
    {"cp1252", Kind::cp1252, nullptr}, {"x-cp1252", Kind::cp1252, nullptr},
    {"cp-1252", Kind::cp1252, nullptr}, {"win-1252", Kind::cp1252, nullptr},
    {"ks_c_5601-1987", Kind::iconv, "CP949"}, {"ks_c_5601-1989", Kind::iconv, "CP949"},
    {"ksc5601", Kind::iconv, "CP949"}, {"ksc_5601", Kind::iconv, "CP949"},
    {"euc-kr", Kind::iconv, "CP949"}, {"euckr", Kind::iconv, "CP949"},
    {"korean", Kind::iconv, "CP949"}, {"csksc56011987", Kind::iconv, "CP949"},
    {"iso-ir-149", Kind::iconv, "CP949"}, {"windows-949", Kind::iconv, "CP949"},
    {"x-windows-949", Kind::iconv, "CP949"}, {"cp949", Kind::iconv, "CP949"},
    {"uhc", Kind::iconv, "CP949"}, {"cseuckr", Kind::iconv, "CP949"},
    {"gb2312", Kind::iconv, "GB18030"}, {"gb_2312-80", Kind::iconv, "GB18030"},
    {"gb_2312", Kind::iconv, "GB18030"}, {"csgb2312", Kind::iconv, "GB18030"},
    {"gbk", Kind::iconv, "GB18030"}, {"x-gbk", Kind::iconv, "GB18030"},
    {"cp936", Kind::iconv, "GB18030"}, {"ms936", Kind::iconv, "GB18030"},
    {"windows-936", Kind::iconv, "GB18030"}, {"chinese", Kind::iconv, "GB18030"},
    {"iso-ir-58", Kind::iconv, "GB18030"}, {"euc-cn", Kind::iconv, "GB18030"},
    {"x-euc-cn", Kind::iconv, "GB18030"}, {"csiso58gb231280", Kind::iconv, "GB18030"},
    {"gb18030", Kind::iconv, "GB18030"},
    {"shift_jis", Kind::iconv, "CP932"}, {"shift-jis", Kind::iconv, "CP932"},
    {"sjis", Kind::iconv, "CP932"}, {"x-sjis", Kind::iconv, "CP932"},
    {"ms_kanji", Kind::iconv, "CP932"}, {"csshiftjis", Kind::iconv, "CP932"},
    {"windows-31j", Kind::iconv, "CP932"}, {"cp932", Kind::iconv, "CP932"},
    {"ms932", Kind::iconv, "CP932"}, {"x-ms-cp932", Kind::iconv, "CP932"},
    {"iso-2022-jp", Kind::iconv, "ISO-2022-JP-2"}, {"csiso2022jp", Kind::iconv, "ISO-2022-JP-2"},
    {"iso-2022-jp-1", Kind::iconv, "ISO-2022-JP-2"}, {"iso-2022-jp-2", Kind::iconv, "ISO-2022-JP-2"},
    {"euc-jp", Kind::iconv, "EUC-JP-MS"}, {"x-euc-jp", Kind::iconv, "EUC-JP-MS"},
    {"cseucpkdfmtjapanese", Kind::iconv, "EUC-JP-MS"},
    {"utf-7", Kind::iconv, "UTF-7"}, {"utf7", Kind::iconv, "UTF-7"},
    {"unicode-1-1-utf-7", Kind::iconv, "UTF-7"}, {"csunicode11utf7", Kind::iconv, "UTF-7"},
    {"x-unicode-2-0-utf-7", Kind::iconv, "UTF-7"},
    {"big5", Kind::iconv, "BIG5-HKSCS"}, {"big-5", Kind::iconv, "BIG5-HKSCS"},
    {"cn-big5", Kind::iconv, "BIG5-HKSCS"}, {"x-x-big5", Kind::iconv, "BIG5-HKSCS"},
    {"csbig5", Kind::iconv, "BIG5-HKSCS"}, {"big5-hkscs", Kind::iconv, "BIG5-HKSCS"},
    {"tis-620", Kind::iconv, "CP874"}, {"iso-8859-11", Kind::iconv, "CP874"},
    {"windows-874", Kind::iconv, "CP874"}, {"dos-874", Kind::iconv, "CP874"},
    {"iso-8859-8-i", Kind::iconv, "ISO-8859-8"}, {"iso-8859-8-e", Kind::iconv, "ISO-8859-8"},
    {"csiso88598i", Kind::iconv, "ISO-8859-8"}, {"logical", Kind::iconv, "ISO-8859-8"},
    {"visual", Kind::iconv, "ISO-8859-8"},
    {"iso-8859-6-i", Kind::iconv, "ISO-8859-6"}, {"iso-8859-6-e", Kind::iconv, "ISO-8859-6"},
    {"macintosh", Kind::iconv, "MACINTOSH"}, {"mac", Kind::iconv, "MACINTOSH"},
    {"x-mac-roman", Kind::iconv, "MACINTOSH"}, {"csmacintosh", Kind::iconv, "MACINTOSH"},
    {"", Kind::unknown, nullptr}, {"unknown", Kind::unknown, nullptr},
    {"x-unknown", Kind::unknown, nullptr}, {"unknown-8bit", Kind::unknown, nullptr},
    {"x-user-defined", Kind::unknown, nullptr}, {"none", Kind::unknown, nullptr},
    {"default", Kind::unknown, nullptr}, {"8bit", Kind::unknown, nullptr},
    {"7bit", Kind::ascii, nullptr},
};

struct Resolved {
    Kind kind = Kind::unknown;
    std::string iconv_name;
    bool single_byte = false; // a one-byte-per-character charset (the UTF-8 lie test)
};

bool label_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
           c == ':' || c == '+' || c == '(' || c == ')';
}

Resolved resolve(std::string_view label) {
    static const std::unordered_map<std::string_view, const Alias*> table = [] {
        std::unordered_map<std::string_view, const Alias*> m;
        for (const auto& a : kAliases) m.emplace(a.label, &a);
        return m;
    }();
    label = trim(label);
    while (!label.empty() && (label.front() == '"' || label.front() == '\'')) label.remove_prefix(1);
    while (!label.empty() && (label.back() == '"' || label.back() == '\'')) label.remove_suffix(1);
    if (auto star = label.find('*'); star != std::string_view::npos) label = label.substr(0, star);
    const std::string key = ascii_lower(trim(label));
    Resolved r;
    if (key.size() > 64) return r;
    for (char c : key)
        if (!label_char(c)) return r;
    if (auto it = table.find(key); it != table.end()) {
        r.kind = it->second->kind;
        if (it->second->iconv_name) r.iconv_name = it->second->iconv_name;
    } else {
        r.kind = Kind::iconv;
        for (char c : key) r.iconv_name += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    }
    if (r.kind == Kind::iconv) {
        for (std::string_view p : {"ISO-8859", "ISO8859", "ISO_8859", "WINDOWS-125", "CP125", "KOI8", "MACINTOSH", "CP874"})
            if (r.iconv_name.compare(0, p.size(), p) == 0) r.single_byte = true;
    }
    return r;
}

/// An iconv conversion descriptor to UTF-8, closed on destruction.
class IconvHandle {
  public:
    explicit IconvHandle(const std::string& from) : cd_(iconv_open("UTF-8", from.c_str())) {}
    ~IconvHandle() {
        if (ok()) iconv_close(cd_);
    }
    IconvHandle(const IconvHandle&) = delete;
    IconvHandle& operator=(const IconvHandle&) = delete;
    [[nodiscard]] bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
    [[nodiscard]] iconv_t get() const { return cd_; }

  private:
    iconv_t cd_;
};

struct Converter {
    explicit Converter(const std::string& name) : handle(name) {}
    IconvHandle handle;
    bool ascii_compatible = false;
};

/// Converts with `conv` and appends; each byte iconv rejects becomes U+FFFD.
/// Returns the number of rejected bytes.
size_t iconv_append(std::string& out, const Converter& conv, std::string_view bytes) {
    iconv_t cd = conv.handle.get();
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    char* in = const_cast<char*>(bytes.data()); // iconv's signature; input is not modified
    size_t in_left = bytes.size();
    size_t pos = out.size();
    out.resize(pos + in_left * 2 + 16);
    size_t errors = 0;
    auto room = [&](size_t need) {
        if (out.size() - pos < need) out.resize(out.size() + need + in_left * 2 + 16);
    };
    while (true) {
        char* op = out.data() + pos;
        size_t out_left = out.size() - pos;
        const size_t rc = in_left ? iconv(cd, &in, &in_left, &op, &out_left)
                                  : iconv(cd, nullptr, nullptr, &op, &out_left);
        pos = static_cast<size_t>(op - out.data());
        if (rc != static_cast<size_t>(-1)) {
            if (in_left == 0) break;
            continue;
        }
        if (errno == E2BIG) {
            room(out.size() - pos + 64);
            continue;
        }
        room(3);
        std::memcpy(out.data() + pos, "\xEF\xBF\xBD", 3);
        pos += 3;
        ++errors;
        if (errno != EILSEQ || in_left == 0) break; // EINVAL: truncated sequence at the end
        ++in;
        --in_left;
    }
    out.resize(pos);
    return errors;
}

/// The thread's converter for an iconv charset name, or null if iconv does not
/// know it. Handles live until the thread ends, or until the cache holds 64
/// charsets and is reset: a returned pointer is valid until the next call.
const Converter* converter(const std::string& name) {
    thread_local std::unordered_map<std::string, std::unique_ptr<Converter>> cache;
    if (auto it = cache.find(name); it != cache.end()) return it->second.get();
    if (cache.size() >= 64) cache.clear();
    auto conv = std::make_unique<Converter>(name);
    if (!conv->handle.ok()) {
        conv.reset();
    } else {
        std::string probe;
        for (int c = 1; c < 0x80; ++c)
            if (c != 0x0E && c != 0x0F && c != 0x1B) probe += static_cast<char>(c);
        std::string got;
        conv->ascii_compatible = iconv_append(got, *conv, probe) == 0 && got == probe;
    }
    return cache.emplace(name, std::move(conv)).first->second.get();
}

void append_cp1252(std::string& out, std::string_view bytes) {
    // Not UTF-8 as a whole, so every byte is windows-1252 (ASCII runs copied).
    size_t run = 0;
    for (size_t i = 0; i < bytes.size(); ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c < 0x80) continue;
        out.append(bytes.data() + run, i - run);
        append_cp1252_byte(out, c);
        run = i + 1;
    }
    out.append(bytes.data() + run, bytes.size() - run);
}

/// Text that failed in its declared CJK charset is often in a sibling one
/// (EUC-JP or Shift_JIS labelled iso-2022-jp, Big5 labelled gb2312): the first
/// sibling that converts without error is taken.
bool convert_with_sibling(const std::string& iconv_name, std::string_view bytes, std::string& out) {
    static const std::unordered_map<std::string_view, std::vector<std::string>> siblings = {
        {"ISO-2022-JP-2", {"EUC-JP-MS", "CP932"}},
        {"EUC-JP-MS", {"CP932"}},
        {"CP932", {"EUC-JP-MS"}},
        {"GB18030", {"BIG5-HKSCS"}},
        {"BIG5-HKSCS", {"GB18030"}},
    };
    const auto it = siblings.find(iconv_name);
    if (it == siblings.end()) return false;
    for (const auto& name : it->second) {
        const Converter* conv = converter(name);
        out.clear();
        if (conv && iconv_append(out, *conv, bytes) == 0) return true;
    }
    return false;
}

bool has_shift_bytes(std::string_view s) {
    return std::memchr(s.data(), 0x1B, s.size()) || std::memchr(s.data(), 0x0E, s.size()) ||
           std::memchr(s.data(), 0x0F, s.size());
}

/// Bytes of unknown charset that are not valid UTF-8.
void append_fallback(std::string& out, std::string_view bytes, std::string_view fallback) {
    const Resolved r = resolve(fallback);
    const Converter* conv = r.kind == Kind::iconv ? converter(r.iconv_name) : nullptr;
    if (!conv) {
        append_utf8_or_cp1252(out, bytes);
        return;
    }
    const size_t start = out.size();
    if (iconv_append(out, *conv, bytes) != 0) {
        out.resize(start);
        append_utf8_or_cp1252(out, bytes);
    }
}

} // namespace

bool charset_known(std::string_view label) {
    const Resolved r = resolve(label);
    if (r.kind == Kind::unknown) return false;
    return r.kind != Kind::iconv || converter(r.iconv_name) != nullptr;
}

void append_converted(std::string& out, std::string_view bytes, std::string_view charset,
                      std::string_view fallback, bool* fell_back) {
    const size_t start = out.size();
    const Resolved r = resolve(charset);
    const Converter* conv = r.kind == Kind::iconv ? converter(r.iconv_name) : nullptr;
    const Kind kind = (r.kind == Kind::iconv && !conv) ? Kind::unknown : r.kind;
    const TextClass tc = classify(bytes);
    bool fb = false;
    switch (kind) {
    case Kind::utf8:
        if (tc.valid) {
            out += bytes;
        } else {
            append_fallback(out, bytes, fallback);
            fb = true;
        }
        break;
    case Kind::ascii:
    case Kind::unknown:
    case Kind::cp1252:
        if (tc.valid) {
            out += bytes; // ASCII, or a lie: valid multi-byte UTF-8 under a legacy/unknown label
            fb = !tc.ascii;
        } else if (kind == Kind::cp1252) {
            append_cp1252(out, bytes);
        } else {
            append_fallback(out, bytes, fallback);
            fb = true;
        }
        break;
    case Kind::iconv:
        if (tc.ascii && conv->ascii_compatible && !has_shift_bytes(bytes)) {
            out += bytes;
        } else if (r.single_byte && tc.valid && !tc.ascii) {
            out += bytes;
            fb = true;
        } else if (size_t errors = iconv_append(out, *conv, bytes); errors != 0) {
            fb = true;
            std::string sibling;
            if (tc.valid) {
                out.resize(start);
                out += bytes;
            } else if (convert_with_sibling(r.iconv_name, bytes, sibling)) {
                out.resize(start);
                out += sibling;
            } else if (errors * 20 > bytes.size()) { // mostly wrong: not this charset at all
                out.resize(start);
                append_fallback(out, bytes, fallback);
            }
        }
        if (!classify(std::string_view(out).substr(start)).valid) { // iconv output, verified
            std::string tail = sanitize_utf8(std::string_view(out).substr(start));
            out.resize(start);
            out += tail;
        }
        break;
    }
    replace_nul(out, start);
    if (fell_back && fb) *fell_back = true;
}

void append_header_bytes(std::string& out, std::string_view bytes, std::string_view fallback,
                         uint32_t* flags) {
    // One pass for the common case: printable ASCII and tabs are copied as they are.
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    size_t i = 0;
    while (i < bytes.size()) {
        i = skip_plain_blocks(bytes, i, [](uint64_t w) { return high_bytes(w) | control_bytes(w); });
        if (i == bytes.size() || p[i] >= 0x80 || (p[i] < 0x20 && p[i] != '\t')) break;
        ++i;
    }
    if (i == bytes.size()) {
        out += bytes;
        return;
    }
    std::string joined;
    if (std::memchr(bytes.data(), '\r', bytes.size()) || std::memchr(bytes.data(), '\n', bytes.size())) {
        for (char c : bytes)
            if (c != '\r' && c != '\n') joined += c;
        bytes = joined;
    }
    const size_t start = out.size();
    if (classify(bytes).valid) {
        out += bytes;
    } else {
        append_fallback(out, bytes, fallback);
        if (flags) *flags |= flag_raw_8bit_header;
    }
    if (replace_nul(out, start) && flags) *flags |= flag_nul_bytes;
}

std::string header_text(std::string_view bytes, std::string_view fallback, uint32_t* flags) {
    std::string out;
    append_header_bytes(out, bytes, fallback, flags);
    return out;
}

} // namespace mime_detail

std::string to_utf8(std::string_view bytes, std::string_view charset, bool* fell_back) {
    std::string out;
    mime_detail::append_converted(out, bytes, charset, "windows-1252", fell_back);
    return out;
}

} // namespace mlarc
