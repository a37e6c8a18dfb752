// The schema table's checks, the term-making rules and the document data
// codec (see schema.hpp for the prose).
#include "index/schema.hpp"

#include "util/date.hpp"
#include "util/sha256.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

namespace mlarc {

namespace {

constexpr bool ids_in_table_order() {
    for (size_t i = 0; i < kIndexFields.size(); ++i)
        if (static_cast<size_t>(kIndexFields[i].id) != i) return false;
    return true;
}
static_assert(ids_in_table_order(), "kIndexFields must be in FieldId order");

bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}

/// Length of `s` cut to at most `max` bytes without splitting a UTF-8 sequence.
size_t utf8_cut(std::string_view s, size_t max) {
    if (s.size() <= max) return s.size();
    size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
        --n;
    return n;
}

// ---- document data codec ----

constexpr char kDocDataVersion = 1;

void put_uint(std::string& out, uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}
void put_int(std::string& out, int64_t v) {
    put_uint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}
void put_str(std::string& out, std::string_view s) {
    put_uint(out, s.size());
    out += s;
}

struct Reader {
    std::string_view in;
    bool ok = true;

    uint64_t uint() {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (in.empty()) break;
            const auto b = static_cast<unsigned char>(in.front());
            in.remove_prefix(1);
            v |= static_cast<uint64_t>(b & 0x7F) << shift;
            if (!(b & 0x80)) return v;
        }
        ok = false;
        return 0;
    }
    int64_t sint() {
        const uint64_t u = uint();
        return static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1);
    }
    std::string str() { return std::string(view()); }
    std::string_view view() {
        const uint64_t n = uint();
        if (!ok || n > in.size()) {
            ok = false;
            return {};
        }
        const std::string_view s = in.substr(0, n);
        in.remove_prefix(n);
        return s;
    }
};

} // namespace

std::vector<std::string_view> field_names(const IndexField& f) {
    std::vector<std::string_view> out{f.name};
    std::string_view a = f.aliases;
    while (!a.empty()) {
        const size_t sp = a.find(' ');
        if (sp != 0) out.push_back(a.substr(0, sp));
        if (sp == std::string_view::npos) break;
        a.remove_prefix(sp + 1);
    }
    return out;
}

const IndexField* find_index_field(std::string_view name) {
    for (const auto& f : kIndexFields)
        for (auto n : field_names(f))
            if (n == name) return &f;
    return nullptr;
}

std::vector<std::string> check_index_schema() {
    std::vector<std::string> problems;
    auto bad = [&](const IndexField& f, const std::string& what) {
        problems.push_back("field '" + std::string(f.name) + "': " + what);
    };
    std::set<std::string_view> names, prefixes;
    std::set<int> slots;
    int default_text = 0;
    for (const auto& f : kIndexFields) {
        for (auto n : field_names(f)) {
            if (n.empty()) bad(f, "empty query name");
            for (char c : n)
                if (!(c >= 'a' && c <= 'z') && c != '_') bad(f, "query name not [a-z_]+");
            if (!names.insert(n).second) bad(f, "query name '" + std::string(n) + "' used twice");
        }
        const std::string_view p = f.prefix;
        if (!p.empty()) {
            if (!prefixes.insert(p).second) bad(f, "prefix used twice");
            for (char c : p)
                if (!is_upper(c)) bad(f, "prefix is not all capitals");
            if (p.size() > 1 && p.front() != 'X') bad(f, "multi-letter prefix must start with X");
            if (p.front() == 'Z') bad(f, "Z is the stem prefix");
        }
        if (f.slot >= 0 && !slots.insert(f.slot).second) bad(f, "value slot used twice");
        if (std::find(kNonFieldSlots.begin(), kNonFieldSlots.end(), f.slot) != kNonFieldSlots.end())
            bad(f, "value slot is a facet or data slot");
        switch (f.kind) {
        case FieldKind::text:
            if (p.empty()) ++default_text;
            break;
        case FieldKind::boolean:
            if (p.empty()) bad(f, "boolean field without a prefix");
            if (f.exact) bad(f, "'exact' applies to text fields");
            break;
        case FieldKind::value:
            if (!p.empty()) bad(f, "value field with a prefix");
            if (f.slot < 0) bad(f, "value field without a slot");
            if (f.exact) bad(f, "'exact' applies to text fields");
            break;
        }
        if (f.example.empty())
            bad(f, "no example");
        else if (!p.empty() || f.kind == FieldKind::value) {
            if (f.example.substr(0, f.name.size() + 1) != std::string(f.name) + ":")
                bad(f, "example does not use the field");
        }
        if (f.about.empty()) bad(f, "no description");
    }
    if (default_text != 1) problems.push_back("there must be exactly one unprefixed text field");
    // No prefix may start another one: a term's prefix must be unambiguous.
    for (auto a : prefixes)
        for (auto b : prefixes)
            if (a != b && b.substr(0, a.size()) == a)
                problems.push_back("prefix " + std::string(a) + " starts prefix " + std::string(b));
    return problems;
}

std::string make_term(std::string_view prefix, std::string_view value) {
    std::string t(prefix);
    if (!value.empty() && prefix_needs_colon(prefix, value.front())) t += ':';
    for (char c : value)
        if (c != '\0') t += c;
    t.resize(utf8_cut(t, kMaxTermBytes));
    return t;
}

size_t text_prefix_length(std::string_view term) {
    size_t n = 0;
    while (n < term.size() && is_upper(term[n]))
        ++n;
    return n;
}

std::string pair_term(std::string_view first, std::string_view second) {
    second.remove_prefix(std::min(text_prefix_length(first), second.size()));
    if (kPairPrefix.size() + first.size() + 1 + second.size() > kMaxTermBytes) return {};
    std::string t;
    t.reserve(kPairPrefix.size() + first.size() + 1 + second.size());
    t.append(kPairPrefix).append(first).append(1, ' ').append(second);
    return t;
}

std::vector<std::string> split_pair_words(std::string_view meta) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < meta.size()) {
        const size_t sp = std::min(meta.find(' ', i), meta.size());
        if (sp > i) out.emplace_back(meta.substr(i, sp - i));
        i = sp + 1;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::string mid_term(std::string_view mid) {
    const std::string_view q = prefix_of(FieldId::mid);
    if (mid.size() <= kMaxPlainMidBytes) return make_term(q, mid);
    return make_term(q, "sha256:" + sha256_hex(mid));
}

std::string facet_lists_value(std::vector<std::string> lists) {
    std::sort(lists.begin(), lists.end());
    lists.erase(std::unique(lists.begin(), lists.end()), lists.end());
    std::string out;
    for (const auto& l : lists) {
        if (l.empty()) continue;
        if (!out.empty()) out += '\0';
        out += l;
    }
    return out;
}

std::string facet_month_value(int64_t utc) {
    const CivilTime t = civil_from_utc(utc);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02d", static_cast<long long>(t.year), t.month);
    return buf;
}

std::string encode_doc_data(const DocData& d) {
    std::string out;
    out.reserve(64 + d.mid.size() + d.subject.size() + d.from_name.size() + d.from_addr.size());
    out += kDocDataVersion;
    put_int(out, d.id);
    put_str(out, d.mid);
    put_int(out, d.mid_seq);
    put_str(out, d.subject);
    put_str(out, d.from_name);
    put_str(out, d.from_addr);
    put_int(out, d.date_utc);
    put_int(out, d.date_offset);
    put_uint(out, d.lists.size());
    for (const auto& l : d.lists)
        put_str(out, l);
    put_int(out, d.thread_id);
    put_uint(out, d.flags);
    put_uint(out, d.size);
    put_uint(out, d.attachments);
    return out;
}

Result<DocData> decode_doc_data(std::string_view data) {
    if (data.empty() || data.front() != kDocDataVersion)
        return make_error(Errc::bad_input, "search index document data has an unknown format",
                          "run `mlarc index --rebuild`");
    Reader r{data.substr(1)};
    DocData d;
    d.id = r.sint();
    d.mid = r.str();
    d.mid_seq = r.sint();
    d.subject = r.str();
    d.from_name = r.str();
    d.from_addr = r.str();
    d.date_utc = r.sint();
    d.date_offset = static_cast<int>(r.sint());
    const uint64_t nlists = r.uint();
    for (uint64_t i = 0; r.ok && i < nlists; ++i)
        d.lists.push_back(r.str());
    d.thread_id = r.sint();
    d.flags = static_cast<uint32_t>(r.uint());
    d.size = r.uint();
    d.attachments = static_cast<uint32_t>(r.uint());
    if (!r.ok || !r.in.empty())
        return make_error(Errc::bad_input, "search index document data is damaged",
                          "run `mlarc index --rebuild`");
    return d;
}

bool decode_doc_data_author(std::string_view data, DocDataAuthor& out) {
    if (data.empty() || data.front() != kDocDataVersion) return false;
    Reader r{data.substr(1)};
    (void)r.sint(); // id
    (void)r.view(); // mid
    (void)r.sint(); // mid_seq
    (void)r.view(); // subject
    out.from_name = r.view();
    out.from_addr = r.view();
    out.date_utc = r.sint();
    (void)r.sint(); // date_offset
    const uint64_t nlists = r.uint();
    out.lists.clear();
    for (uint64_t i = 0; r.ok && i < nlists; ++i)
        out.lists.push_back(r.view());
    return r.ok;
}

} // namespace mlarc
