// Purpose: reads the FG-DPM registry (data/registry/{lists,deliverables,
// meetings}.tsv) for mlarc-sample-gen. The format is described in
// data/registry/README.md: '#' comment lines and blank lines are skipped, the
// first other line is a header naming the tab-separated columns, and columns
// are looked up by name. Errors name the file and line.
#include "model.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>
#include <tuple>

namespace sample_gen {
namespace {

using Row = std::map<std::string, std::string>;

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
        const size_t tab = line.find('\t', start);
        out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
    }
    return out;
}

std::vector<Row> read_tsv(const std::filesystem::path& path,
                          const std::vector<std::string>& required) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open registry file " + path.string());
    std::vector<std::string> header;
    std::vector<Row> rows;
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        auto fields = split_tabs(line);
        if (header.empty()) {
            header = std::move(fields);
            for (const auto& r : required) {
                bool found = false;
                for (const auto& h : header)
                    found = found || h == r;
                if (!found)
                    throw std::runtime_error(path.string() + ": header lacks column '" + r + "'");
            }
            continue;
        }
        if (fields.size() != header.size())
            throw std::runtime_error(path.string() + ":" + std::to_string(line_no) + ": " +
                                     std::to_string(fields.size()) + " fields, header has " +
                                     std::to_string(header.size()));
        Row row;
        for (size_t i = 0; i < header.size(); ++i)
            row[header[i]] = fields[i];
        rows.push_back(std::move(row));
    }
    if (header.empty()) throw std::runtime_error(path.string() + ": no header line");
    return rows;
}

int to_int(const std::string& s, const std::filesystem::path& file) {
    size_t pos = 0;
    int v = 0;
    try {
        v = std::stoi(s, &pos);
    } catch (const std::exception&) {
        pos = 0;
    }
    if (pos != s.size() || s.empty())
        throw std::runtime_error(file.string() + ": '" + s + "' is not a number");
    return v;
}

int64_t to_date(const std::string& s, const std::filesystem::path& file) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        throw std::runtime_error(file.string() + ": '" + s + "' is not a YYYY-MM-DD date");
    return time_from_civil(to_int(s.substr(0, 4), file), to_int(s.substr(5, 2), file),
                           to_int(s.substr(8, 2), file));
}

std::pair<int, int> to_range(const std::string& s, const std::filesystem::path& file) {
    const size_t dash = s.find('-');
    if (dash == std::string::npos)
        throw std::runtime_error(file.string() + ": '" + s + "' is not a FIRST-LAST range");
    return {to_int(s.substr(0, dash), file), to_int(s.substr(dash + 1), file)};
}

} // namespace

size_t Registry::list_of_wg(int wg) const {
    for (size_t i = 0; i < lists.size(); ++i)
        if (lists[i].wg == wg) return i;
    return 0;
}

Registry load_registry(const std::filesystem::path& dir) {
    Registry reg;
    const auto lists_path = dir / "lists.tsv";
    for (auto& row : read_tsv(lists_path, {"name", "address", "wg", "title"})) {
        ListInfo l;
        l.name = row["name"];
        l.address = row["address"];
        l.wg = to_int(row["wg"], lists_path);
        l.title = row["title"];
        l.tag = l.name;
        if (!l.tag.empty() && l.tag[0] >= 'a' && l.tag[0] <= 'z') l.tag[0] = static_cast<char>(l.tag[0] - 32);
        reg.lists.push_back(std::move(l));
    }
    // The main list first, then the working groups in order.
    std::stable_sort(reg.lists.begin(), reg.lists.end(),
                     [](const ListInfo& a, const ListInfo& b) { return a.wg < b.wg; });
    if (reg.lists.empty() || reg.lists[0].wg != 0)
        throw std::runtime_error(lists_path.string() + ": needs a main list with wg 0");
    if (reg.lists.size() > 8)
        throw std::runtime_error(lists_path.string() + ": at most 8 lists are supported");

    const auto deliv_path = dir / "deliverables.tsv";
    for (auto& row : read_tsv(deliv_path, {"id", "wg", "short_name", "title", "output_doc"})) {
        Deliverable d;
        d.id = row["id"];
        d.wg = to_int(row["wg"], deliv_path);
        d.short_name = row["short_name"];
        d.title = row["title"];
        d.output_doc = row["output_doc"];
        if (d.id.size() < 4 || d.id[0] != 'D')
            throw std::runtime_error(deliv_path.string() + ": bad deliverable id '" + d.id + "'");
        d.number = d.id.substr(1);
        const std::string prefix = "FG-DPM-";
        d.short_doc = d.output_doc.rfind(prefix, 0) == 0 ? d.output_doc.substr(prefix.size())
                                                         : d.output_doc;
        for (auto never : k_never_discussed)
            if (d.id == never) d.discussed = false;
        reg.deliverables.push_back(std::move(d));
    }
    if (reg.deliverables.empty() || reg.deliverables.size() > 120)
        throw std::runtime_error(deliv_path.string() + ": expected 1..120 deliverables");

    const auto meet_path = dir / "meetings.tsv";
    for (auto& row : read_tsv(meet_path, {"number", "start", "end", "city", "input_docs",
                                          "output_docs", "participants"})) {
        Meeting m;
        m.number = to_int(row["number"], meet_path);
        m.start = to_date(row["start"], meet_path);
        m.end = to_date(row["end"], meet_path);
        m.city = row["city"];
        std::tie(m.in_first, m.in_last) = to_range(row["input_docs"], meet_path);
        std::tie(m.out_first, m.out_last) = to_range(row["output_docs"], meet_path);
        m.participants = to_int(row["participants"], meet_path);
        reg.meetings.push_back(std::move(m));
    }
    if (reg.meetings.empty()) throw std::runtime_error(meet_path.string() + ": no meetings");
    std::stable_sort(reg.meetings.begin(), reg.meetings.end(),
                     [](const Meeting& a, const Meeting& b) { return a.start < b.start; });
    return reg;
}

} // namespace sample_gen
