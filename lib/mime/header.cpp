// Header blocks (FAILURE-MODES B.15): splitting "name: value" fields off a
// message or a MIME part, one linear pass over LF-terminated lines.
//
// Written here rather than taken from mimetic because mimetic 0.9.8's header
// parser passes values as C strings (a NUL cuts the field), treats a bare CR as
// a line break, ends the header at the first line without a colon (the rest of
// the header becomes body) and has no size limits. Here a line without a valid
// name is dropped (flag_header_defect), a bare CR stays inside the line, one
// field is capped at max_header_bytes and a block at max_headers fields.
// Values are views into the input, unfolded only when needed.
#include "mime/detail.hpp"

#include <algorithm>
#include <cstring>

namespace mlarc::mime_detail {
namespace {

/// A valid field name: printable ASCII without ':' (trailing blanks removed by the caller).
bool valid_name(std::string_view name) {
    if (name.empty()) return false;
    for (char c : name)
        if (c <= 32 || c >= 127 || c == ':') return false;
    return true;
}

void note(HeaderBlock& hb, uint32_t flag, const char* text) {
    hb.flags |= flag;
    for (const auto& n : hb.notes)
        if (n == text) return;
    hb.notes.emplace_back(text);
}

} // namespace

HeaderBlock parse_header_block(std::string_view data, BlockKind kind, const DecodeOptions& options) {
    HeaderBlock hb;
    hb.fields.reserve(32); // one allocation for a typical header
    const size_t n = data.size();
    size_t pos = 0;
    if (kind != BlockKind::part && data.substr(0, 5) == "From ") { // an mbox From_ line left in place
        const void* nl = std::memchr(data.data(), '\n', n);
        pos = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data.data()) + 1 : n;
    }
    enum class Current { none, field, ignored } current = Current::none;
    size_t value_start = 0; // of the current field
    bool first = true;
    while (pos < n) {
        const void* nl = std::memchr(data.data() + pos, '\n', n - pos);
        const size_t eol = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data.data()) : n;
        const size_t next = nl ? eol + 1 : n;
        size_t end = eol; // line content without CR LF
        if (end > pos && data[end - 1] == '\r') --end;
        const std::string_view line = data.substr(pos, end - pos);
        if (line.empty()) {
            hb.body = data.substr(next);
            return hb;
        }
        if (is_blank(line[0])) {
            if (current == Current::field) {
                auto& f = hb.fields.back();
                if (end - value_start > options.max_header_bytes) {
                    f.value = data.substr(value_start, options.max_header_bytes);
                    note(hb, flag_header_defect, "header field truncated at max_header_bytes");
                    current = Current::ignored;
                } else {
                    f.value = data.substr(value_start, end - value_start);
                }
                f.folded = true;
            } else if (current == Current::none) {
                note(hb, flag_header_defect, "continuation line without a header field dropped");
            }
        } else {
            const size_t colon = line.find(':');
            std::string_view name = colon == std::string_view::npos ? line : line.substr(0, colon);
            while (!name.empty() && is_blank(name.back())) name.remove_suffix(1);
            if (colon == std::string_view::npos || !valid_name(name)) {
                if (kind != BlockKind::message && first) {
                    note(hb, flag_mime_defect, "MIME part without a header");
                    hb.body = data;
                    return hb;
                }
                if (line.size() >= 2 && line[0] == '-' && line[1] == '-') {
                    note(hb, flag_header_defect, "no blank line between header and body");
                    hb.body = data.substr(pos);
                    return hb;
                }
                note(hb, flag_header_defect, "header line without a colon dropped");
                current = Current::none;
            } else if (hb.fields.size() >= options.max_headers) {
                note(hb, flag_header_defect, "header fields beyond max_headers ignored");
                current = Current::ignored;
            } else {
                value_start = pos + colon + 1;
                const size_t len = std::min(end - value_start, options.max_header_bytes);
                if (len < end - value_start)
                    note(hb, flag_header_defect, "header field truncated at max_header_bytes");
                hb.fields.push_back({name, data.substr(value_start, len), false});
                current = len < end - value_start ? Current::ignored : Current::field;
            }
        }
        first = false;
        pos = next;
    }
    hb.body = data.substr(n); // header only, no body
    return hb;
}

const RawField* find_field(const HeaderBlock& block, std::string_view name) {
    for (const auto& f : block.fields)
        if (iequals(f.name, name)) return &f;
    return nullptr;
}

std::string unfold(std::string_view folded, uint32_t* flags) {
    folded = trim(folded);
    std::string out;
    out.reserve(folded.size());
    size_t pos = 0;
    while (pos < folded.size()) { // copy the runs between line breaks
        const void* nl = std::memchr(folded.data() + pos, '\n', folded.size() - pos);
        size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - folded.data()) : folded.size();
        const size_t next = nl ? end + 1 : end;
        if (end > pos && folded[end - 1] == '\r') --end;
        const size_t start = out.size();
        out.append(folded.data() + pos, end - pos);
        pos = next;
        char* bare_cr = static_cast<char*>(std::memchr(out.data() + start, '\r', out.size() - start));
        for (; bare_cr; bare_cr = static_cast<char*>(std::memchr(bare_cr, '\r', out.data() + out.size() - bare_cr))) {
            *bare_cr = ' '; // a bare CR is not a line break
            if (flags) *flags |= flag_header_defect;
        }
    }
    return out;
}

} // namespace mlarc::mime_detail
