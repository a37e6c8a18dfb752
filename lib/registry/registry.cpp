// Loading and validation of the FG-DPM registry tables (data/registry/*.tsv)
// and the search for the registry folder. One table reader serves the three
// files; each file's converter validates its columns and reports the first
// problem with its file and line. See registry.hpp for the rules.
#include "registry/registry.hpp"

#include "registry/detail.hpp"
#include "registry/extract.hpp"
#include "registry/roster.hpp"
#include "util/date.hpp"
#include "util/strings.hpp"

#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <map>
#include <optional>
#include <sstream>

#ifndef MLARC_DEFAULT_REGISTRY
#error "MLARC_DEFAULT_REGISTRY must be defined by the build (lib/CMakeLists.txt)"
#endif

namespace mlarc {
namespace {

using registry_detail::parse_small_uint;

/// A place in a registry file, for error messages.
struct Where {
    std::string_view file;
    size_t line = 0; // 0: the file as a whole

    [[nodiscard]] Error error(const std::string& message) const {
        std::string where(file);
        if (line > 0) where += ":" + std::to_string(line);
        return make_error(Errc::bad_input, where + ": " + message);
    }
};

/// One record: its line and its fields, in the order of the requested columns.
struct Record {
    size_t line = 0;
    std::vector<std::string_view> fields;
};

std::vector<std::string_view> split_tabs(std::string_view line) {
    std::vector<std::string_view> out;
    size_t start = 0;
    while (true) {
        const size_t tab = line.find('\t', start);
        out.push_back(trim(line.substr(start, tab == std::string_view::npos ? tab : tab - start)));
        if (tab == std::string_view::npos) return out;
        start = tab + 1;
    }
}

/// Reads a registry table: comments and blank lines skipped, a header naming
/// every column of `columns`, records with as many fields as the header and no
/// empty field in those columns. The records view into `content`.
Result<std::vector<Record>> read_table(std::string_view content, std::string_view file,
                                       std::initializer_list<std::string_view> columns) {
    std::vector<std::string_view> header;
    std::vector<size_t> positions; // of `columns` in the header
    size_t header_line = 0;
    std::vector<Record> records;
    std::optional<Error> error;
    registry_detail::for_each_line(content, [&](size_t no, std::string_view line) {
        if (error || trim(line).empty() || line.front() == '#') return;
        const Where at{file, no};
        std::vector<std::string_view> fields = split_tabs(line);
        if (header_line == 0) {
            header_line = no;
            header = std::move(fields);
            for (size_t i = 0; i < header.size() && !error; ++i)
                for (size_t j = 0; j < i && !error; ++j)
                    if (header[i] == header[j])
                        error = at.error("column '" + std::string(header[i]) + "' named twice");
            for (std::string_view c : columns) {
                size_t p = 0;
                while (p < header.size() && header[p] != c)
                    ++p;
                if (p == header.size() && !error)
                    error = at.error("header lacks column '" + std::string(c) + "'");
                positions.push_back(p);
            }
            return;
        }
        if (fields.size() != header.size()) {
            error = at.error("expected " + std::to_string(header.size()) +
                             " tab-separated columns, found " + std::to_string(fields.size()));
            return;
        }
        Record r{no, {}};
        for (size_t i = 0; i < positions.size(); ++i) {
            const std::string_view v = fields[positions[i]];
            if (v.empty() && !error) error = at.error("empty " + std::string(columns.begin()[i]));
            r.fields.push_back(v);
        }
        records.push_back(std::move(r));
    });
    if (error) return *error;
    if (header_line == 0) return Where{file, 0}.error("no header line");
    if (records.empty()) return Where{file, header_line}.error("no records after the header");
    return records;
}

/// Remembers the first line of each key of one column.
class UniqueCheck {
  public:
    explicit UniqueCheck(std::string what) : what_(std::move(what)) {}
    /// An error when `key` was already seen.
    std::optional<Error> add(const std::string& key, const std::string& shown, const Where& at) {
        const auto [it, fresh] = first_.emplace(key, at.line);
        if (fresh) return std::nullopt;
        return at.error("duplicate " + what_ + " '" + shown + "' (first on line " +
                        std::to_string(it->second) + ")");
    }

  private:
    std::string what_;
    std::map<std::string, size_t> first_;
};

Result<int> parse_wg(std::string_view v, const Where& at) {
    const std::optional<int> wg = parse_small_uint(v);
    if (!wg || *wg > 99)
        return at.error("bad wg '" + std::string(v) + "' (expected a working-group number 0..99)");
    return *wg;
}

/// Days since the epoch of a strict "YYYY-MM-DD" with a real calendar day.
std::optional<int64_t> parse_iso_day(std::string_view v) {
    if (v.size() != 10 || v[4] != '-' || v[7] != '-') return std::nullopt;
    const auto y = parse_small_uint(v.substr(0, 4));
    const auto m = parse_small_uint(v.substr(5, 2));
    const auto d = parse_small_uint(v.substr(8, 2));
    if (!y || !m || !d || *d < 1 || *d > days_in_month(*y, *m)) return std::nullopt;
    return days_from_civil(*y, *m, *d);
}

/// "041-078" with FIRST <= LAST.
std::optional<DocRange> parse_range(std::string_view v) {
    const size_t dash = v.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const auto first = parse_small_uint(v.substr(0, dash));
    const auto last = parse_small_uint(v.substr(dash + 1));
    if (!first || !last || *first > *last) return std::nullopt;
    return DocRange{*first, *last};
}

Result<std::string> read_text(const std::filesystem::path& path) {
    const std::string name = path.filename().string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return make_error(Errc::not_found, name + ": no such file",
                          "looked for " + path.string() +
                              "; set MLARC_REGISTRY to a folder holding the registry files");
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::unreadable, name + ": cannot open " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return make_error(Errc::io, name + ": read error on " + path.string());
    return ss.str();
}

template <typename T>
Result<T> load_file(const std::filesystem::path& path,
                    Result<T> (*parse)(std::string_view, std::string_view)) {
    Result<std::string> text = read_text(path);
    if (!text) return text.error();
    Result<T> parsed = parse(*text, path.filename().string());
    if (!parsed) {
        Error e = parsed.error();
        e.hint = "fix " + path.string() + " (format: data/registry/README.md)";
        return e;
    }
    return parsed;
}

} // namespace

Result<std::vector<ListEntry>> parse_lists(std::string_view content, std::string_view filename) {
    auto records = read_table(content, filename, {"name", "address", "wg", "title"});
    if (!records) return records.error();
    std::vector<ListEntry> out;
    UniqueCheck names("name"), addresses("address"), wgs("wg");
    for (const Record& r : *records) {
        const Where at{filename, r.line};
        ListEntry e;
        e.name = std::string(r.fields[0]);
        for (char c : e.name)
            if (!((c >= 'a' && c <= 'z') || registry_detail::is_digit(c) || c == '.' || c == '_' ||
                  c == '-'))
                return at.error("bad list name '" + e.name + "' (expected [a-z0-9._-]+)");
        e.address = std::string(r.fields[1]);
        if (!is_plausible_address(e.address)) return at.error("bad address '" + e.address + "'");
        Result<int> wg = parse_wg(r.fields[2], at);
        if (!wg) return wg.error();
        e.wg = *wg;
        e.title = std::string(r.fields[3]);
        for (auto err :
             {names.add(e.name, e.name, at), addresses.add(ascii_lower(e.address), e.address, at),
              wgs.add(std::to_string(e.wg), std::to_string(e.wg), at)})
            if (err) return *err;
        out.push_back(std::move(e));
    }
    return out;
}

Result<std::vector<Deliverable>> parse_deliverables(std::string_view content,
                                                    std::string_view filename) {
    auto records = read_table(content, filename, {"id", "wg", "short_name", "title", "output_doc"});
    if (!records) return records.error();
    std::vector<Deliverable> out;
    UniqueCheck ids("id"), titles("title"), numbers("output document number");
    for (const Record& r : *records) {
        const Where at{filename, r.line};
        Deliverable d;
        d.id = std::string(r.fields[0]);
        const std::optional<DocId> id = parse_doc_id(d.id);
        if (!id || id->type != DocId::Type::deliverable || format_doc_id(*id) != d.id)
            return at.error("bad deliverable id '" + d.id + "' (expected D<wg>.<n>, e.g. D3.2)");
        Result<int> wg = parse_wg(r.fields[1], at);
        if (!wg) return wg.error();
        d.wg = *wg;
        if (d.wg != id->wg)
            return at.error("wg " + std::to_string(d.wg) + " does not match deliverable id " +
                            d.id);
        d.short_name = std::string(r.fields[2]);
        d.title = std::string(r.fields[3]);
        const std::optional<DocId> doc = parse_doc_id(r.fields[4]);
        if (!doc || doc->type != DocId::Type::output_doc)
            return at.error("bad output document '" + std::string(r.fields[4]) +
                            "' (expected FG-DPM-O-<nnn> or FG-DPM-O-<nnn>-R<n>)");
        d.output_doc = format_doc_id(*doc);
        d.output_number = doc->number;
        d.revision = doc->revision;
        for (auto err : {ids.add(d.id, d.id, at), titles.add(ascii_lower(d.title), d.title, at),
                         numbers.add(std::to_string(d.output_number), d.output_doc, at)})
            if (err) return *err;
        out.push_back(std::move(d));
    }
    return out;
}

Result<std::vector<Meeting>> parse_meetings(std::string_view content, std::string_view filename) {
    auto records =
        read_table(content, filename,
                   {"number", "start", "end", "city", "input_docs", "output_docs", "participants"});
    if (!records) return records.error();
    std::vector<Meeting> out;
    UniqueCheck numbers("meeting number");
    for (const Record& r : *records) {
        const Where at{filename, r.line};
        Meeting m;
        const std::optional<int> number = parse_small_uint(r.fields[0]);
        if (!number || *number < 1)
            return at.error("bad meeting number '" + std::string(r.fields[0]) + "'");
        m.number = *number;
        if (auto err = numbers.add(std::to_string(m.number), std::to_string(m.number), at))
            return *err;
        const std::optional<int64_t> start = parse_iso_day(r.fields[1]);
        const std::optional<int64_t> end = parse_iso_day(r.fields[2]);
        if (!start || !end)
            return at.error("bad " + std::string(start ? "end" : "start") + " date '" +
                            std::string(r.fields[start ? 2 : 1]) + "' (expected YYYY-MM-DD)");
        if (*end < *start)
            return at.error("end date " + std::string(r.fields[2]) + " is before start date " +
                            std::string(r.fields[1]));
        m.start = *start * 86400;
        m.end = *end * 86400 + 86399;
        m.city = std::string(r.fields[3]);
        const std::optional<DocRange> in = parse_range(r.fields[4]);
        const std::optional<DocRange> outputs = parse_range(r.fields[5]);
        if (!in || !outputs)
            return at.error("bad " + std::string(in ? "output_docs" : "input_docs") + " range '" +
                            std::string(r.fields[in ? 5 : 4]) +
                            "' (expected FIRST-LAST with FIRST <= LAST, e.g. 041-078)");
        m.input_docs = *in;
        m.output_docs = *outputs;
        const std::optional<int> participants = parse_small_uint(r.fields[6]);
        if (!participants)
            return at.error("bad participants '" + std::string(r.fields[6]) +
                            "' (expected a headcount)");
        m.participants = *participants;
        out.push_back(std::move(m));
    }
    return out;
}

Result<AddressAliases> parse_aliases(std::string_view content, std::string_view filename) {
    auto records = read_table(content, filename, {"address", "person"});
    if (!records) return records.error();
    AddressAliases out;
    std::map<std::string, size_t> line_of;
    for (const Record& r : *records) {
        const Where at{filename, r.line};
        const std::string address = ascii_lower(r.fields[0]);
        const std::string person = ascii_lower(r.fields[1]);
        for (const std::string* a : {&address, &person})
            if (!is_plausible_address(*a)) return at.error("bad address '" + *a + "'");
        if (address == person) return at.error("'" + address + "' is mapped to itself");
        if (const auto it = line_of.find(address); it != line_of.end())
            return at.error("duplicate address '" + address + "' (first on line " +
                            std::to_string(it->second) + ")");
        line_of.emplace(address, r.line);
        out.emplace(address, person);
    }
    for (const auto& [address, person] : out)
        if (out.count(person))
            return Where{filename, line_of[address]}.error(
                "'" + address + "' is mapped to '" + person +
                "', which is itself mapped: map every address to the main one");
    return out;
}

Result<AddressAliases> load_aliases(const std::filesystem::path& path) {
    return load_file(path, &parse_aliases);
}

Result<AddressAliases> load_aliases_if_present(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::exists(dir / "aliases.tsv", ec)) return AddressAliases{};
    return load_aliases(dir / "aliases.tsv");
}

Result<std::vector<ListEntry>> load_lists(const std::filesystem::path& path) {
    return load_file(path, &parse_lists);
}
Result<std::vector<Deliverable>> load_deliverables(const std::filesystem::path& path) {
    return load_file(path, &parse_deliverables);
}
Result<std::vector<Meeting>> load_meetings(const std::filesystem::path& path) {
    return load_file(path, &parse_meetings);
}

Result<Registry> load_registry(const std::filesystem::path& dir) {
    Registry reg;
    auto lists = load_lists(dir / "lists.tsv");
    if (!lists) return lists.error();
    auto deliverables = load_deliverables(dir / "deliverables.tsv");
    if (!deliverables) return deliverables.error();
    auto meetings = load_meetings(dir / "meetings.tsv");
    if (!meetings) return meetings.error();
    reg.lists = std::move(*lists);
    reg.deliverables = std::move(*deliverables);
    reg.meetings = std::move(*meetings);
    for (const Deliverable& d : reg.deliverables) {
        bool found = false;
        for (const ListEntry& l : reg.lists)
            found = found || l.wg == d.wg;
        if (!found)
            return make_error(Errc::bad_input,
                              "deliverables.tsv: " + d.id + " belongs to wg " +
                                  std::to_string(d.wg) + ", which has no list in lists.tsv",
                              "fix " + dir.string());
    }
    return reg;
}

const Deliverable* Registry::find_deliverable(std::string_view id) const {
    const std::optional<DocId> parsed = parse_doc_id(id);
    if (!parsed) return nullptr;
    const std::string canonical = format_doc_id(*parsed);
    for (const Deliverable& d : deliverables) {
        if (parsed->type == DocId::Type::deliverable && d.id == canonical) return &d;
        if (parsed->type == DocId::Type::output_doc && d.output_number == parsed->number) return &d;
    }
    return nullptr;
}

const ListEntry* Registry::find_list(std::string_view name) const {
    for (const ListEntry& l : lists)
        if (l.name == name) return &l;
    return nullptr;
}

std::filesystem::path default_registry_dir() {
    return std::filesystem::path(MLARC_DEFAULT_REGISTRY);
}

Result<std::filesystem::path> find_registry_dir(const std::filesystem::path& archive_dir) {
    std::error_code ec;
    if (const char* env = std::getenv("MLARC_REGISTRY"); env && *env) {
        std::filesystem::path p(env);
        if (std::filesystem::is_directory(p, ec)) return p;
        return make_error(Errc::not_found, "MLARC_REGISTRY=" + p.string() + " is not a directory",
                          "unset MLARC_REGISTRY or point it at a folder holding lists.tsv, "
                          "deliverables.tsv and meetings.tsv");
    }
    if (!archive_dir.empty()) {
        std::filesystem::path p = archive_dir / "registry";
        if (std::filesystem::is_directory(p, ec)) return p;
    }
    std::filesystem::path d = default_registry_dir();
    if (std::filesystem::is_directory(d, ec)) return d;
    return make_error(
        Errc::not_found,
        "no registry folder (looked in " +
            (archive_dir.empty() ? std::string() : (archive_dir / "registry").string() + " and ") +
            d.string() + ")",
        "set MLARC_REGISTRY to a folder holding lists.tsv, deliverables.tsv and "
        "meetings.tsv");
}

} // namespace mlarc
