// Subscriber roster parsing: format detection, Mailman member lines, one-line
// RFC 4180 CSV records, address plausibility and de-duplication. See
// roster.hpp for the rules.
#include "registry/roster.hpp"

#include "registry/detail.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <unordered_set>

namespace mlarc {
namespace {

using registry_detail::iequals;
using registry_detail::is_alnum;
using registry_detail::is_blank;
using registry_detail::is_digit;

constexpr size_t npos = std::string_view::npos;

// --- Member text: "Name <addr>", "addr (Name)", "addr" -----------------------

struct Member {
    std::string address; // lower-cased; valid only when reason is empty
    std::string name;
    std::string reason; // why the text is not a member, "" when it is
};

/// `s` without one pair of surrounding double quotes, with \" and \\ unescaped.
std::string unquote(std::string_view s) {
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::string(s);
    std::string out;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
        if (s[i] == '\\' && i + 2 < s.size()) ++i;
        out += s[i];
    }
    return out;
}

Member parse_member(std::string_view text) {
    Member m;
    std::string_view t = trim(text);
    std::string_view addr = t;
    const size_t lt = t.rfind('<');
    if (lt != npos) {
        const size_t gt = t.find('>', lt);
        if (gt == npos || !trim(t.substr(gt + 1)).empty()) {
            m.reason = "not an email address";
            return m;
        }
        addr = trim(t.substr(lt + 1, gt - lt - 1));
        m.name = unquote(trim(t.substr(0, lt)));
    } else if (!t.empty() && t.back() == ')' && t.find('(') != npos) {
        const size_t lp = t.find('(');
        addr = trim(t.substr(0, lp));
        m.name = std::string(trim(t.substr(lp + 1, t.size() - lp - 2)));
    }
    if (starts_with_icase(addr, "mailto:")) addr.remove_prefix(7);
    if (addr.empty()) {
        m.reason = "no address";
        return m;
    }
    if (!is_plausible_address(addr)) {
        m.reason = "not an email address";
        return m;
    }
    m.address = ascii_lower(addr);
    return m;
}

// --- CSV ----------------------------------------------------------------------

/// Splits one CSV line on `delim` into trimmed fields; nullopt when a quoted
/// field is left open. Leading blanks before an opening quote are ignored and
/// text after a closing quote is kept.
std::optional<std::vector<std::string>> split_csv(std::string_view line, char delim) {
    std::vector<std::string> fields;
    size_t i = 0;
    while (true) {
        std::string field;
        size_t j = i;
        while (j < line.size() && is_blank(line[j]))
            ++j;
        if (j < line.size() && line[j] == '"') {
            bool closed = false;
            for (++j; j < line.size(); ++j) {
                if (line[j] != '"') {
                    field += line[j];
                } else if (j + 1 < line.size() && line[j + 1] == '"') {
                    field += '"';
                    ++j;
                } else {
                    closed = true;
                    ++j;
                    break;
                }
            }
            if (!closed) return std::nullopt;
            i = j;
        }
        const size_t end = std::min(line.find(delim, i), line.size());
        field += line.substr(i, end - i);
        fields.emplace_back(trim(field));
        if (end == line.size()) break;
        i = end + 1;
    }
    return fields;
}

/// A header name folded for comparison: lower-case, without ' ', '-', '_', '.'.
std::string header_key(std::string_view name) {
    std::string out;
    for (char c : ascii_lower(name))
        if (c != ' ' && c != '-' && c != '_' && c != '.') out += c;
    return out;
}

template <size_t N>
int find_column(const std::vector<std::string>& header,
                const std::array<std::string_view, N>& names) {
    for (size_t i = 0; i < header.size(); ++i) {
        const std::string key = header_key(header[i]);
        for (std::string_view n : names)
            if (key == n) return static_cast<int>(i);
    }
    return -1;
}

constexpr std::array<std::string_view, 5> kAddressColumns{"email", "address", "mail",
                                                          "emailaddress", "mailaddress"};
constexpr std::array<std::string_view, 4> kNameColumns{"name", "fullname", "displayname",
                                                       "realname"};
constexpr std::array<std::string_view, 3> kFirstNameColumns{"firstname", "givenname", "forename"};
constexpr std::array<std::string_view, 3> kLastNameColumns{"lastname", "surname", "familyname"};
constexpr std::array<std::string_view, 7> kOrgColumns{
    "organisation", "organization", "org", "company", "affiliation", "entity", "institution"};

/// The CSV layout found in a header line.
struct CsvLayout {
    char delim = ',';
    size_t fields = 0;
    int address = -1, name = -1, first = -1, last = -1, org = -1;
};

/// The layout of `line` as a CSV header, when some delimiter yields an address column.
std::optional<CsvLayout> detect_csv_header(std::string_view line) {
    for (char delim : {',', ';', '\t'}) {
        const auto header = split_csv(line, delim);
        if (!header) continue;
        CsvLayout l;
        l.address = find_column(*header, kAddressColumns);
        if (l.address < 0) continue;
        l.delim = delim;
        l.fields = header->size();
        l.name = find_column(*header, kNameColumns);
        l.first = find_column(*header, kFirstNameColumns);
        l.last = find_column(*header, kLastNameColumns);
        l.org = find_column(*header, kOrgColumns);
        return l;
    }
    return std::nullopt;
}

/// The field at `column` of a record, "" for a missing column.
std::string_view field_at(const std::vector<std::string>& record, int column) {
    return column >= 0 && static_cast<size_t>(column) < record.size()
               ? std::string_view(record[static_cast<size_t>(column)])
               : std::string_view();
}

/// One CSV record as a member (reason set when it is not one).
Member parse_csv_record(std::string_view line, const CsvLayout& layout, std::string* organisation) {
    Member m;
    const auto record = split_csv(line, layout.delim);
    if (!record) {
        m.reason = "unterminated quoted field";
        return m;
    }
    if (record->size() != layout.fields) {
        m.reason = "expected " + std::to_string(layout.fields) + " fields, found " +
                   std::to_string(record->size());
        return m;
    }
    m = parse_member(field_at(*record, layout.address));
    if (!m.reason.empty()) return m;
    if (layout.name >= 0) {
        m.name = std::string(field_at(*record, layout.name));
    } else if (layout.first >= 0 || layout.last >= 0) {
        const std::string joined = std::string(field_at(*record, layout.first)) + " " +
                                   std::string(field_at(*record, layout.last));
        m.name = std::string(trim(joined));
    }
    *organisation = std::string(field_at(*record, layout.org));
    return m;
}

bool ends_with_icase(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

Error roster_error(std::string_view filename, size_t line, const std::string& message) {
    std::string where(filename);
    if (line > 0) where += ":" + std::to_string(line);
    return make_error(Errc::bad_input, where + ": " + message);
}

} // namespace

bool is_plausible_address(std::string_view a) {
    const size_t at = a.find('@');
    if (a.size() > 254 || at == npos || at != a.rfind('@')) return false;
    const std::string_view local = a.substr(0, at);
    const std::string_view domain = a.substr(at + 1);
    if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
        local.find("..") != npos)
        return false;
    for (char c : local) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F || std::string_view("()<>[]\\,;:\"").find(c) != npos)
            return false;
    }
    if (domain.empty() || domain.size() > 253) return false;
    size_t labels = 0;
    std::string_view last;
    for (size_t start = 0; start <= domain.size();) {
        const size_t dot = std::min(domain.find('.', start), domain.size());
        const std::string_view label = domain.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        for (char c : label)
            if (!is_alnum(c) && c != '-' && static_cast<unsigned char>(c) < 0x80) return false;
        ++labels;
        last = label;
        start = dot + 1;
    }
    bool all_digits = true;
    for (char c : last)
        all_digits = all_digits && is_digit(c);
    return labels >= 2 && last.size() >= 2 && !all_digits;
}

Result<Roster> parse_roster(std::string_view content, std::string_view filename) {
    const size_t nul = content.find('\0');
    if (nul != npos) {
        const std::string_view before = content.substr(0, nul);
        const auto line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
        return roster_error(filename, line, "binary content (NUL byte), not a roster");
    }
    Roster roster;
    const bool csv_name = ends_with_icase(filename, ".csv");
    bool detected = false;
    std::optional<CsvLayout> layout;
    std::optional<Error> error;
    std::unordered_set<std::string> seen; // addresses taken
    size_t member_lines = 0;

    registry_detail::for_each_line(content, [&](size_t no, std::string_view line) {
        const std::string_view t = trim(line);
        if (error || t.empty() || t.front() == '#') return;
        if (!detected) {
            detected = true;
            if (t.find('@') == npos) layout = detect_csv_header(t);
            if (!layout && csv_name) {
                error = roster_error(filename, no,
                                     "CSV header has no address column (email, e-mail, "
                                     "address or mail)");
                return;
            }
            if (layout) {
                roster.format = RosterFormat::csv;
                return;
            }
        }
        ++member_lines;
        RosterEntry entry;
        Member m = layout ? parse_csv_record(line, *layout, &entry.organisation) : parse_member(t);
        if (m.reason.empty() && seen.count(m.address)) m.reason = "duplicate";
        if (!m.reason.empty()) {
            roster.problems.push_back({no, std::string(line), std::move(m.reason)});
            return;
        }
        entry.address = std::move(m.address);
        entry.name = std::move(m.name);
        seen.insert(entry.address);
        roster.entries.push_back(std::move(entry));
    });
    if (error) return *error;
    if (member_lines > 0 && roster.entries.empty()) {
        const RosterProblem& p = roster.problems.front();
        return roster_error(filename, 0,
                            "no valid address in " + std::to_string(member_lines) +
                                " lines (line " + std::to_string(p.line) + ": " + p.reason + ")");
    }
    return roster;
}

} // namespace mlarc
