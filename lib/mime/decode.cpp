// decode_message(): raw RFC 5322 bytes -> ParsedMessage (FAILURE-MODES B, C, D).
//
// The MIME walk is ours, iterative over boundaries with an explicit work stack,
// and mimetic's MIME parser is not used. Tested against mimetic 0.9.8 it is
// unsafe here: it recurses once per nesting level with no depth or part
// limit (recursion bombs), its random-access boundary search matches a
// boundary anywhere in a line, gives up on the enclosing boundaries once the
// current one is missing, reads one byte before a one-byte block, and its
// header reader cuts fields at NUL and ends the header at a line without a
// colon. mimetic is still used where it is sound: the Base64 decoder (codec.cpp).
//
// How the walk works: each entity's header is split off (header.cpp); a
// multipart body is cut at its delimiter lines in one scan ("--b" at a line
// start followed only by "--", blanks and the line end, so prefix boundaries
// do not match), the children are pushed in reverse so they pop in document
// order. Limits: an entity deeper than max_depth (root = 0; a message/rfc822
// body is one level below its part) and entities beyond max_parts are not
// walked (flag_mime_limit), so work is O(size * max_depth) at worst and the
// stack is a vector. Defects (missing/empty/oversize boundary, no delimiter,
// missing close, parts after the close, boundary reused by a child) set
// flag_mime_defect and keep the text reachable: a multipart without usable
// delimiters is read as text/plain. Bodies are views into the input; only
// base64/QP-encoded bodies and converted text are copied.
//
// What goes where: inline text/* parts -> body_text (HTML through
// html_to_text; in multipart/alternative text/plain wins, the other
// alternatives are walked for attachments and HTML detection only); text/*
// with Content-Disposition attachment -> attachment_text; leaves with a file
// name, an attachment disposition or a non-text type -> attachments (decoded
// size); the From/Date/Subject of an embedded message/rfc822 -> body_text of
// the outer message. multipart/encrypted and application/pkcs7-mime give no
// text and flag_encrypted. Several Content-Type headers: the first wins.
#include "mime/detail.hpp"

#include <algorithm>
#include <cstring>
#include <memory>

namespace mlarc {
namespace {

using namespace mime_detail;

enum class Cte { identity, base64, quoted_printable };

struct Work {
    std::string_view data;          // header + body of the entity
    size_t depth = 0;
    bool digest_child = false;      // default type message/rfc822
    bool suppressed = false;        // a losing multipart/alternative branch: no text
    bool embedded = false;          // the message inside a message/rfc822 part
    std::string_view parent_boundary;
};

struct Split {
    std::vector<std::string_view> parts;
    bool defect = false;
    bool limited = false;
};

/// Cuts a multipart body at the delimiter lines of `boundary` (at most `budget` parts).
Split split_multipart(std::string_view body, std::string_view boundary, size_t budget) {
    Split s;
    const std::string delim = "--" + std::string(boundary);
    constexpr auto npos = std::string_view::npos;
    const size_t n = body.size();
    size_t open = npos; // start of the current part's content
    bool closed = false;
    size_t from = 0;
    auto add = [&](size_t end) {
        if (s.parts.size() >= budget) {
            s.limited = true;
            return false;
        }
        s.parts.push_back(body.substr(open, end > open ? end - open : 0));
        return true;
    };
    while (true) {
        const size_t p = find_bytes(body, delim, from);
        if (p == npos) break;
        from = p + 1;
        if (p > 0 && body[p - 1] != '\n') continue;
        size_t k = p + delim.size();
        const bool closing = body.compare(k, 2, "--") == 0;
        if (closing) k += 2;
        while (k < n && is_blank(body[k])) ++k;
        if (k < n && body[k] != '\r' && body[k] != '\n') continue; // a longer boundary, or junk
        if (k < n && body[k] == '\r') ++k;
        if (k < n && body[k] == '\n') ++k;
        size_t end = p; // the line break before the delimiter belongs to it
        if (end > 0 && body[end - 1] == '\n') --end;
        if (end > 0 && body[end - 1] == '\r') --end;
        if (open != npos) {
            if (!add(end)) return s;
        } else if (closing ? !closed : closed) {
            s.defect = true; // a close before any part, or a part after the close
        }
        closed = closing || closed;
        open = closing ? npos : k;
        from = k;
    }
    if (open != npos) {
        add(n);
        s.defect = true; // no close delimiter: EOF closes
    }
    return s;
}

/// The Content-Transfer-Encoding; anything but the five RFC 2045 values spelt
/// right sets flag_bad_cte. Misspelt base64/quoted-printable ("quoted printable",
/// "quoted-printable;") still decode as such; everything else is read as 8bit.
Cte parse_cte(const HeaderBlock& hb, uint32_t& flags) {
    const RawField* f = find_field(hb, "Content-Transfer-Encoding");
    if (!f) return Cte::identity;
    const std::string value = unfold(f->value, nullptr);
    std::string exact, letters;
    for (char c : value) {
        exact += lower(c);
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) letters += lower(c);
    }
    const bool known = exact == "7bit" || exact == "8bit" || exact == "binary" || exact == "base64" ||
                       exact == "quoted-printable";
    if (!known) flags |= flag_bad_cte;
    if (letters == "base64") return Cte::base64;
    if (letters == "quotedprintable") return Cte::quoted_printable;
    return Cte::identity;
}

bool is_message_type(std::string_view t) {
    return t == "message/rfc822" || t == "message/global" || t == "message/news";
}

/// Preference among alternatives for the text: text/plain, HTML, a multipart
/// (multipart/related around HTML), other text, anything else.
int alternative_rank(std::string_view type) {
    if (type == "text/plain") return 4;
    if (type == "text/html") return 3;
    if (type.starts_with("multipart/")) return 2;
    return type.starts_with("text/") ? 1 : 0;
}

class Walker {
  public:
    Walker(const DecodeOptions& options, ParsedMessage& msg) : opt_(options), msg_(msg) {}

    void run(HeaderBlock root, std::string_view data) {
        Work top;
        top.data = data;
        process(top, std::move(root));
        while (!stack_.empty()) {
            Work w = stack_.back();
            stack_.pop_back();
            HeaderBlock hb = parse_header_block(w.data, w.embedded ? BlockKind::embedded : BlockKind::part, opt_);
            process(w, std::move(hb));
        }
        if (html_text_ && !plain_text_) msg_.flags |= flag_html_only;
    }

  private:
    void warn(uint32_t flag, const std::string& text) {
        msg_.flags |= flag;
        if (msg_.warnings.size() >= 32) return;
        for (const auto& w : msg_.warnings)
            if (w == text) return;
        msg_.warnings.push_back(text);
    }

    void limit(const char* what) {
        warn(flag_mime_limit, std::string("MIME ") + what + " limit reached: the rest is kept opaque, not indexed");
    }

    /// Effective lower-case type/subtype of an entity.
    std::string entity_type(const HeaderBlock& hb, const Work& w, HeaderParams& ct) {
        const RawField* f = find_field(hb, "Content-Type");
        if (f) {
            ct = parse_header_params(unfold(f->value, nullptr));
            size_t count = 0;
            for (const auto& field : hb.fields) count += iequals(field.name, "Content-Type");
            if (count > 1) warn(flag_mime_defect, "several Content-Type headers: the first wins");
        }
        if (ct.value.empty()) return w.digest_child ? "message/rfc822" : "text/plain";
        const size_t slash = ct.value.find('/');
        const bool printable = std::all_of(ct.value.begin(), ct.value.end(), [](char c) { return c > 32 && c < 127; });
        if (!printable || slash == std::string::npos || slash == 0 || slash + 1 == ct.value.size()) {
            warn(flag_mime_defect, "malformed Content-Type");
            return std::string_view(ct.value).starts_with("text") ? "text/plain" : "application/octet-stream";
        }
        return ct.value;
    }

    void process(const Work& w, HeaderBlock hb) {
        msg_.flags |= hb.flags;
        for (const auto& n : hb.notes) warn(0, n);
        HeaderParams ct;
        const std::string type = entity_type(hb, w, ct);
        const Cte cte = parse_cte(hb, msg_.flags);
        if (w.embedded && !w.suppressed) embedded_summary(hb);
        if (w.digest_child && is_message_type(type) && !find_field(hb, "Content-Type") &&
            (find_field(hb, "From") || find_field(hb, "Subject"))) {
            // A digest entry without the blank line before it: its header is the
            // message's own header, so the whole part is the message.
            Work inner = w;
            inner.digest_child = false;
            inner.embedded = true;
            process(inner, parse_header_block(w.data, BlockKind::embedded, opt_));
            return;
        }
        if (std::string_view(type).starts_with("multipart/")) {
            if (multipart(w, hb, ct, type, cte)) return;
            leaf(w, hb, ct, "text/plain", cte); // unusable multipart: its body as text
        } else if (is_message_type(type)) {
            message(w, hb, cte);
        } else {
            leaf(w, hb, ct, type, cte);
        }
    }

    /// Moves `s` where it lives as long as the walker; returns a view of it.
    std::string_view keep(std::string s) {
        arena_.push_back(std::make_unique<std::string>(std::move(s)));
        return *arena_.back();
    }

    /// Body after undoing a Content-Transfer-Encoding on a composite entity
    /// (not allowed, but seen); the decoded copy lives as long as the walker.
    std::string_view composite_body(const HeaderBlock& hb, Cte cte) {
        if (cte == Cte::identity) return hb.body;
        warn(flag_mime_defect, "encoded multipart or message body");
        return keep(cte == Cte::base64 ? decode_base64(hb.body) : decode_quoted_printable(hb.body));
    }

    /// False when the entity is not usable as a multipart (read it as text).
    bool multipart(const Work& w, const HeaderBlock& hb, const HeaderParams& ct, const std::string& type, Cte cte) {
        if (type == "multipart/encrypted") {
            warn(flag_encrypted, "encrypted part: not indexed");
            return true;
        }
        const std::string_view boundary = ct.raw("boundary");
        if (boundary.empty() || boundary.size() > 2048) {
            warn(flag_mime_defect, "multipart without a usable boundary: read as text/plain");
            return false;
        }
        if (boundary == w.parent_boundary) warn(flag_mime_defect, "multipart reuses its parent's boundary");
        if (w.depth + 1 > opt_.max_depth) {
            limit("depth");
            return true;
        }
        if (parts_ >= opt_.max_parts) {
            limit("part count");
            return true;
        }
        const std::string_view body = composite_body(hb, cte);
        Split split = split_multipart(body, boundary, opt_.max_parts - parts_);
        if (split.parts.empty()) {
            warn(flag_mime_defect, "no boundary delimiter found: multipart read as text/plain");
            return false;
        }
        if (split.defect) warn(flag_mime_defect, "malformed multipart delimiters");
        if (split.limited) limit("part count");
        parts_ += split.parts.size();
        const std::string_view kept_boundary = keep(std::string(boundary)); // children compare against it
        const bool digest = type == "multipart/digest";
        const size_t winner = type == "multipart/alternative" ? choose_alternative(split.parts, digest)
                                                              : std::string_view::npos;
        for (size_t k = split.parts.size(); k-- > 0;) {
            Work child;
            child.data = split.parts[k];
            child.depth = w.depth + 1;
            child.digest_child = digest;
            child.suppressed = w.suppressed || (winner != std::string_view::npos && k != winner);
            child.parent_boundary = kept_boundary;
            stack_.push_back(child);
        }
        return true;
    }

    /// The alternative to take text from: text/plain, else HTML, else a
    /// multipart, else other text, else the first.
    size_t choose_alternative(const std::vector<std::string_view>& parts, bool digest) {
        size_t best = 0;
        int best_rank = -1;
        for (size_t k = 0; k < parts.size(); ++k) {
            const HeaderBlock hb = parse_header_block(parts[k], BlockKind::part, opt_);
            const RawField* f = find_field(hb, "Content-Type");
            std::string t = f ? parse_header_params(unfold(f->value, nullptr)).value : std::string();
            if (t.empty()) t = digest ? "message/rfc822" : "text/plain";
            const int rank = alternative_rank(t);
            if (rank > best_rank) {
                best_rank = rank;
                best = k;
            }
        }
        return best;
    }

    void message(const Work& w, const HeaderBlock& hb, Cte cte) {
        if (w.depth + 1 > opt_.max_depth) return limit("depth");
        if (parts_ >= opt_.max_parts) return limit("part count");
        ++parts_;
        Work inner;
        inner.data = composite_body(hb, cte);
        inner.depth = w.depth + 1;
        inner.suppressed = w.suppressed;
        inner.embedded = true;
        stack_.push_back(inner);
    }

    /// From/Date/Subject of an embedded message, as text of the outer one.
    void embedded_summary(const HeaderBlock& hb) {
        std::string lines;
        for (const char* name : {"From", "Date", "Subject"}) {
            if (const RawField* f = find_field(hb, name)) {
                lines += name;
                lines += ": ";
                lines += decode_rfc2047(unfold(f->value, &msg_.flags), &msg_.flags, opt_.fallback_charset);
                lines += '\n';
            }
        }
        if (lines.empty()) return;
        separate(msg_.body_text);
        if (!msg_.body_text.empty()) msg_.body_text += '\n';
        msg_.body_text += lines;
    }

    static void separate(std::string& text) {
        if (!text.empty() && text.back() != '\n') text += '\n';
    }

    void leaf(const Work& w, const HeaderBlock& hb, const HeaderParams& ct, const std::string& type, Cte cte) {
        ++leaf_no_;
        const bool html = type == "text/html";
        const bool is_text = std::string_view(type).starts_with("text/") || type == "message/delivery-status" ||
                             type == "message/disposition-notification";
        if (html) msg_.has_html = true;
        if (type == "application/pkcs7-mime" || type == "application/x-pkcs7-mime")
            warn(flag_encrypted, "S/MIME part: not indexed");
        HeaderParams disp;
        if (const RawField* f = find_field(hb, "Content-Disposition"))
            disp = parse_header_params(unfold(f->value, nullptr));
        const bool attachment = disp.value == "attachment";
        std::string filename = param_text(disp, "filename", &msg_.flags);
        if (filename.empty()) filename = param_text(ct, "name", &msg_.flags);
        const bool record = !filename.empty() || attachment || !is_text;
        std::string* target = !is_text ? nullptr : attachment ? &msg_.attachment_text
                                                              : (w.suppressed ? nullptr : &msg_.body_text);
        const bool extract = leaf_no_ == opt_.extract_part;
        if (!record && !target && !extract) return;
        std::string decoded;
        std::string_view bytes = hb.body;
        uint64_t size = bytes.size();
        if (cte == Cte::base64 && !target && !extract) {
            size = base64_decoded_size(bytes); // a binary attachment: its size is all we need
        } else if (cte != Cte::identity) {
            decoded = cte == Cte::base64 ? decode_base64(bytes) : decode_quoted_printable(bytes);
            bytes = decoded;
            size = bytes.size();
        }
        if (extract) msg_.extracted = bytes;
        if (record) msg_.attachments.push_back({leaf_no_, std::move(filename), type, size});
        if (target) append_text(*target, bytes, ct.raw("charset"), html, target == &msg_.body_text);
    }

    void append_text(std::string& target, std::string_view bytes, std::string_view charset, bool html, bool body) {
        const size_t max = opt_.max_text_per_part;
        const size_t cap = max * (html ? 16 : 4);
        if (bytes.size() > cap) {
            bytes = bytes.substr(0, utf8_floor(bytes, cap));
            warn(0, "text part truncated at max_text_per_part");
        }
        // No charset parameter: UTF-8 if valid, else the fallback, without a flag.
        const std::string_view declared = charset.empty() ? std::string_view("utf-8") : charset;
        bool fell_back = false;
        separate(target);
        const size_t start = target.size();
        if (html) {
            std::string markup;
            append_converted(markup, bytes, declared, opt_.fallback_charset, &fell_back);
            target += html_to_text(markup);
        } else {
            append_converted(target, bytes, declared, opt_.fallback_charset, &fell_back);
            normalise_newlines(target, start);
        }
        if (target.size() - start > max) {
            target.resize(start + utf8_floor(std::string_view(target).substr(start), max));
            warn(0, "text part truncated at max_text_per_part");
        }
        if (fell_back && !charset.empty())
            warn(flag_charset_fallback, "charset \"" + header_text(charset.substr(0, 64)) + "\" unknown or wrong: fell back");
        else if (fell_back)
            warn(0, "text without a charset is not UTF-8: decoded as " + header_text(opt_.fallback_charset));
        if (body && target.find_first_not_of(" \t\n", start) != std::string::npos)
            (html ? html_text_ : plain_text_) = true;
    }

    const DecodeOptions& opt_;
    ParsedMessage& msg_;
    std::vector<Work> stack_;
    std::vector<std::unique_ptr<std::string>> arena_; // decoded bodies, boundaries: the stack views them
    size_t parts_ = 0;
    int leaf_no_ = 0;
    bool plain_text_ = false;
    bool html_text_ = false;
};

enum class Known { other, message_id, references, in_reply_to, subject, from, to, cc, reply_to, list_id,
                   date, received, x_no_archive };

/// The header fields read into ParsedMessage, by case-insensitive name.
Known known_field(std::string_view name) {
    static constexpr std::pair<std::string_view, Known> kNames[] = {
        {"message-id", Known::message_id}, {"references", Known::references},
        {"in-reply-to", Known::in_reply_to}, {"subject", Known::subject}, {"from", Known::from},
        {"to", Known::to}, {"cc", Known::cc}, {"reply-to", Known::reply_to}, {"list-id", Known::list_id},
        {"date", Known::date}, {"received", Known::received}, {"x-no-archive", Known::x_no_archive}};
    for (const auto& [n, k] : kNames)
        if (n.size() == name.size() && iequals(n, name)) return k;
    return Known::other;
}

/// Fills the message-level fields from the root header.
void read_root_header(const HeaderBlock& hb, const DecodeOptions& opt, ParsedMessage& m) {
    // Raw 8-bit header bytes that are not UTF-8: the body's charset is the best
    // guess (a mail client writes both the same way), then the fallback.
    std::string fallback = opt.fallback_charset;
    if (const RawField* ct = find_field(hb, "Content-Type")) {
        const HeaderParams params = parse_header_params(unfold(ct->value, nullptr));
        const std::string_view cs = params.raw("charset");
        if (!cs.empty() && charset_known(cs)) fallback = std::string(cs);
    }
    bool seen[16] = {}; // Known values already read (the first field of a kind wins)
    if (opt.header_fields) m.headers.reserve(hb.fields.size());
    std::string unfolded, decoded_only;
    for (const auto& f : hb.fields) {
        // Most fields are one line: no copy until the decoded value.
        const bool folded = f.folded || std::memchr(f.value.data(), '\r', f.value.size());
        if (folded) unfolded = unfold(f.value, &m.flags);
        const std::string_view value = folded ? std::string_view(unfolded) : trim(f.value);
        const Known kind = known_field(f.name);
        // The decoded value, kept in m.headers; without header_fields only when
        // a field below reads it or decoding can set a flag.
        if (opt.header_fields)
            m.headers.push_back({std::string(f.name), decode_rfc2047(value, &m.flags, fallback)});
        else if (kind == Known::subject || kind == Known::from || !plain_header_text(value))
            decoded_only = decode_rfc2047(value, &m.flags, fallback);
        const std::string& decoded = opt.header_fields ? m.headers.back().value : decoded_only;
        // Address headers: raw 8-bit bytes to UTF-8 first (a Big5 trail byte can be '@').
        auto addresses = [&] {
            return parse_address_list(header_text(value, fallback), opt.deobfuscate_at);
        };
        const bool first = !seen[static_cast<int>(kind)];
        seen[static_cast<int>(kind)] = true;
        switch (kind) {
        case Known::message_id:
            if (first) m.message_id = normalise_message_id(value);
            break;
        case Known::references:
            if (first) m.references = parse_id_list(value, opt.max_references);
            break;
        case Known::in_reply_to:
            if (first) m.in_reply_to = parse_id_list(value, opt.max_references);
            break;
        case Known::subject:
            if (first) m.subject = decoded;
            break;
        case Known::from:
            if (!first) break;
            for (auto& a : addresses()) {
                if (!a.address.empty() && a.address.find_first_of(" \t") == std::string::npos) {
                    m.from = std::move(a);
                    break;
                }
            }
            if (m.from.address.empty()) { // unparsable: the raw text is the author key
                const std::string_view raw = trim(decoded);
                m.from = {std::string(raw.substr(0, utf8_floor(raw, 256))), {}};
            }
            break;
        case Known::to:
        case Known::cc:
        case Known::reply_to: {
            auto& list = kind == Known::to ? m.to : kind == Known::cc ? m.cc : m.reply_to;
            for (auto& a : addresses()) list.push_back(std::move(a));
            break;
        }
        case Known::list_id: {
            std::string_view id = value;
            const size_t lt = id.rfind('<');
            const size_t gt = lt == std::string_view::npos ? lt : id.find('>', lt);
            id = trim(gt == std::string_view::npos ? id : id.substr(lt + 1, gt - lt - 1));
            if (!id.empty()) m.list_ids.push_back(header_text(ascii_lower(id), fallback));
            break;
        }
        case Known::date:
            if (first) m.date_header = header_text(value, fallback);
            break;
        case Known::received:
            if (const size_t semi = value.rfind(';'); semi != std::string::npos)
                m.received_dates.push_back(header_text(trim(value.substr(semi + 1)), fallback));
            break;
        case Known::x_no_archive:
            if (value.size() >= 3 && iequals(value.substr(0, 3), "yes")) m.flags |= flag_no_archive;
            break;
        case Known::other:
            break;
        }
    }
}

Result<ParsedMessage> decode_checked(std::string_view raw, const DecodeOptions& opt) {
    if (trim(raw).empty()) return make_error(Errc::bad_input, "empty message");
    HeaderBlock hb = parse_header_block(raw, BlockKind::message, opt);
    if (hb.fields.empty())
        return make_error(Errc::bad_input, "not a message: no header field found",
                          "a message starts with header lines such as \"From: ...\"");
    ParsedMessage m;
    if (std::memchr(raw.data(), 0, raw.size())) m.flags |= flag_nul_bytes;
    read_root_header(hb, opt, m);
    Walker(opt, m).run(std::move(hb), raw);
    return m;
}

/// Last resort after an unexpected exception: the header fields that parse, the
/// body as text.
ParsedMessage decode_plain(std::string_view raw, const DecodeOptions& opt) {
    ParsedMessage m;
    m.flags |= flag_mime_defect;
    m.warnings.emplace_back("MIME decoding failed: body kept as plain text");
    HeaderBlock hb = parse_header_block(raw, BlockKind::message, opt);
    read_root_header(hb, opt, m);
    const std::string_view body = hb.body.substr(0, utf8_floor(hb.body, opt.max_text_per_part));
    append_utf8_or_cp1252(m.body_text, body);
    normalise_newlines(m.body_text, 0);
    return m;
}

} // namespace

std::vector<Header> decode_header_fields(std::string_view raw, const DecodeOptions& options) {
    try {
        // The same two steps as decode_checked() and decode_plain(), so the
        // fields are the ones an import stored.
        const HeaderBlock hb = parse_header_block(raw, BlockKind::message, options);
        ParsedMessage m;
        read_root_header(hb, options, m);
        return std::move(m.headers);
    } catch (...) {
        return {};
    }
}

std::string headers_text(const std::vector<Header>& headers) {
    size_t n = 0;
    for (const auto& h : headers)
        n += h.name.size() + h.value.size() + 3;
    std::string out;
    out.reserve(n);
    for (const auto& h : headers) {
        out += h.name;
        out += ": ";
        out += h.value;
        out += '\n';
    }
    return out;
}

std::string_view raw_body_section(std::string_view raw) {
    const size_t blank = raw.find("\n\n");
    return blank == std::string_view::npos ? std::string_view() : raw.substr(blank + 2);
}

Result<ParsedMessage> decode_message(std::string_view raw, const DecodeOptions& options) {
    try {
        return decode_checked(raw, options);
    } catch (...) {
        try {
            return decode_plain(raw, options);
        } catch (...) {
            return make_error(Errc::internal, "MIME decoding failed, also as plain text");
        }
    }
}

} // namespace mlarc
