// Purpose: checks the invariants of mlarc-sample-gen (data/generator), the
// synthetic FG-DPM archive used by other tests and benchmarks. It runs the
// binary at --scale 1 into a temp dir and checks the result with its own small
// parsers, independent of mlarc_lib:
//   - six mboxes;
//   - exactly 991 distinct Message-IDs dated inside 2017-07-19 .. 2019-07-15 UTC;
//   - From_ lines in UTC agree with the Date headers;
//   - exactly 732 distinct subscribers in the latest roster snapshots;
//   - cross-posts between fgdpm.mbox and the WG mboxes;
//   - byte-identical output for the same seed, different output for another;
//   - truth.tsv consistent with messages.tsv, and every deliverable but the
//     documented never-discussed ones mentioned.
// The binary is found next to the mlarc binary's build tree:
// <build>/data/generator/mlarc-sample-gen.
#include "test_support.hpp"

#include "mime/decode.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using mlarc::test::read_file;
using mlarc::test::TempDir;

namespace {

const char* const k_lists[] = {"fgdpm", "fgdpmwg1", "fgdpmwg2", "fgdpmwg3", "fgdpmwg4", "fgdpmwg5"};
const std::set<std::string> k_never_discussed = {"D2.3", "D5.4"};

fs::path generator_binary() {
    // MLARC_TEST_BINARY is <build>/cli/mlarc.
    return fs::path(MLARC_TEST_BINARY).parent_path().parent_path() / "data" / "generator" /
           "mlarc-sample-gen";
}

/// Runs the generator; FAILs the test when the binary is missing or fails.
void generate(const fs::path& out, const std::string& args) {
    const fs::path bin = generator_binary();
    if (!fs::exists(bin))
        FAIL("mlarc-sample-gen not found at " << bin.string()
                                              << "; build the target mlarc-sample-gen first "
                                                 "(cmake --build <build> --target mlarc-sample-gen)");
    const std::string cmd = "'" + bin.string() + "' --out '" + out.string() + "' " + args + " > /dev/null";
    const int rc = std::system(cmd.c_str());
    if (rc != 0) FAIL("generator failed (status " << rc << "): " << cmd);
}

/// The scale-1 archive for the default seed, generated once for all tests.
const TempDir& archive() {
    static std::unique_ptr<TempDir> dir;
    if (!dir) {
        auto d = std::make_unique<TempDir>();
        generate(d->path(), "--scale 1");
        dir = std::move(d);
    }
    return *dir;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
        const size_t p = s.find(sep, start);
        out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
        if (p == std::string::npos) break;
        start = p + 1;
    }
    return out;
}

std::vector<std::string> lines_of(const std::string& s) {
    auto v = split(s, '\n');
    if (!v.empty() && v.back().empty()) v.pop_back();
    return v;
}

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::string trim(const std::string& s) {
    const size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    const size_t e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

// --- dates ------------------------------------------------------------------

int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int month_index(const std::string& m) {
    static const char* names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i)
        if (m == names[i]) return i + 1;
    return 0;
}

int64_t hms_seconds(const std::string& hms) {
    const auto p = split(hms, ':');
    if (p.size() != 3) return -1;
    return std::stoll(p[0]) * 3600 + std::stoll(p[1]) * 60 + std::stoll(p[2]);
}

/// "Tue, 5 Sep 2017 09:12:44 +0800 (CST)" -> seconds since the epoch (UTC),
/// or -1 when it does not parse.
int64_t parse_rfc5322_date(const std::string& value) {
    std::istringstream in(value);
    std::vector<std::string> tok;
    for (std::string t; in >> t;)
        tok.push_back(t);
    size_t i = (!tok.empty() && tok[0].back() == ',') ? 1 : 0;
    if (tok.size() < i + 5) return -1;
    const int day = std::stoi(tok[i]);
    const int mon = month_index(tok[i + 1]);
    const int64_t year = std::stoll(tok[i + 2]);
    const int64_t secs = hms_seconds(tok[i + 3]);
    const std::string& zone = tok[i + 4];
    if (mon == 0 || secs < 0 || zone.size() != 5 || (zone[0] != '+' && zone[0] != '-')) return -1;
    const int off = (std::stoi(zone.substr(1, 2)) * 60 + std::stoi(zone.substr(3, 2))) * (zone[0] == '-' ? -1 : 1);
    return days_from_civil(year, mon, day) * 86400 + secs - off * 60;
}

/// "From sender Tue Sep  5 01:12:44 2017" -> seconds since the epoch (UTC).
int64_t parse_from_line(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> tok;
    for (std::string t; in >> t;)
        tok.push_back(t);
    if (tok.size() != 7) return -1;
    const int mon = month_index(tok[3]);
    const int64_t secs = hms_seconds(tok[5]);
    if (mon == 0 || secs < 0) return -1;
    return days_from_civil(std::stoll(tok[6]), mon, std::stoi(tok[4])) * 86400 + secs;
}

const int64_t k_window_start = days_from_civil(2017, 7, 19) * 86400;
const int64_t k_window_end = days_from_civil(2019, 7, 15) * 86400 + 86399;

// --- mbox -------------------------------------------------------------------

struct MboxEntry {
    std::string from_line;
    std::map<std::string, std::string> headers; // lower-case name -> unfolded value
};

/// Splits an mboxrd file at envelope lines and parses each header block.
std::vector<MboxEntry> read_mbox(const fs::path& p) {
    std::vector<MboxEntry> out;
    const auto lines = lines_of(read_file(p));
    bool in_header = false;
    std::string last;
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string& l = lines[i];
        if (l.rfind("From ", 0) == 0 && (i == 0 || lines[i - 1].empty())) {
            out.push_back({l, {}});
            in_header = true;
            last.clear();
            continue;
        }
        if (!in_header) continue;
        if (l.empty()) {
            in_header = false;
        } else if ((l[0] == ' ' || l[0] == '\t') && !last.empty()) {
            out.back().headers[last] += " " + trim(l);
        } else if (const size_t colon = l.find(':'); colon != std::string::npos) {
            last = lower(l.substr(0, colon));
            out.back().headers[last] = trim(l.substr(colon + 1));
        }
    }
    return out;
}

// --- rosters ----------------------------------------------------------------

bool valid_address(const std::string& a) {
    const size_t at = a.find('@');
    if (at == std::string::npos || at == 0 || a.find('@', at + 1) != std::string::npos) return false;
    if (a.find_first_of(" \t<>(),;\"") != std::string::npos) return false;
    const std::string domain = a.substr(at + 1);
    return domain.find('.') != std::string::npos && domain.front() != '.' && domain.back() != '.';
}

/// RFC 4180 fields of one CSV line (no embedded newlines in our files).
std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                out.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                out.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            out.emplace_back();
        } else {
            out.back() += c;
        }
    }
    return out;
}

struct RosterCount {
    std::set<std::string> subscribers; // lower-cased, latest snapshot per list
    std::vector<std::string> malformed;
    std::set<std::string> lists;
};

RosterCount read_rosters(const fs::path& dir) {
    // Latest snapshot per list, from names "<list>-YYYY-MM-DD.<txt|csv>".
    std::map<std::string, std::pair<std::string, fs::path>> latest;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().stem().string();
        if (name.size() < 12 || name[name.size() - 11] != '-') continue;
        const std::string list = name.substr(0, name.size() - 11);
        const std::string date = name.substr(name.size() - 10);
        auto it = latest.find(list);
        if (it == latest.end() || date > it->second.first) latest[list] = {date, e.path()};
    }
    RosterCount rc;
    for (const auto& [list, snap] : latest) {
        rc.lists.insert(list);
        const auto lines = lines_of(read_file(snap.second));
        std::vector<std::string> values;
        if (snap.second.extension() == ".csv") {
            REQUIRE_FALSE(lines.empty());
            const auto header = csv_fields(lines[0]);
            const auto col = std::find(header.begin(), header.end(), "email") - header.begin();
            REQUIRE(static_cast<size_t>(col) < header.size());
            for (size_t i = 1; i < lines.size(); ++i) {
                if (trim(lines[i]).empty()) continue;
                const auto f = csv_fields(lines[i]);
                values.push_back(static_cast<size_t>(col) < f.size() ? trim(f[static_cast<size_t>(col)]) : "");
            }
        } else {
            for (const auto& raw : lines) {
                const std::string l = trim(raw);
                if (l.empty() || l[0] == '#') continue;
                const size_t lt = l.rfind('<'), gt = l.rfind('>');
                values.push_back(lt != std::string::npos && gt > lt ? l.substr(lt + 1, gt - lt - 1) : l);
            }
        }
        for (const auto& v : values) {
            if (valid_address(v)) rc.subscribers.insert(lower(v));
            else rc.malformed.push_back(v);
        }
    }
    return rc;
}

std::vector<std::vector<std::string>> read_tsv(const fs::path& p) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& l : lines_of(read_file(p)))
        rows.push_back(split(l, '\t'));
    return rows;
}

/// Deliverable ids of the registry in the source tree.
std::vector<std::string> registry_deliverables() {
    // MLARC_TEST_FIXTURES is <source>/tests/fixtures.
    const fs::path reg = fs::path(MLARC_TEST_FIXTURES).parent_path().parent_path() / "data" / "registry" /
                         "deliverables.tsv";
    if (!fs::exists(reg)) FAIL("registry not found at " << reg.string());
    std::vector<std::string> ids;
    bool header = true;
    for (const auto& l : lines_of(read_file(reg))) {
        if (l.empty() || l[0] == '#') continue;
        if (header) {
            header = false;
            continue;
        }
        ids.push_back(split(l, '\t')[0]);
    }
    return ids;
}

/// All regular files under `dir`, relative path -> contents.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = read_file(e.path());
    return out;
}

} // namespace

TEST_CASE("the generator binary exists and writes the six mboxes", "[generator]") {
    const auto& dir = archive();
    for (const char* l : k_lists) {
        INFO(l);
        CHECK(fs::file_size(dir / (std::string(l) + ".mbox")) > 0);
    }
    CHECK(fs::is_directory(dir / "rosters"));
    CHECK(fs::exists(dir / "messages.tsv"));
    CHECK(fs::exists(dir / "truth.tsv"));
}

TEST_CASE("exactly 991 distinct emails fall inside the window", "[generator]") {
    const auto& dir = archive();
    std::map<std::string, int64_t> dates; // Message-ID -> instant
    size_t entries = 0;
    for (const char* l : k_lists) {
        for (const auto& e : read_mbox(dir / (std::string(l) + ".mbox"))) {
            ++entries;
            const auto mid = e.headers.find("message-id");
            const auto date = e.headers.find("date");
            REQUIRE(mid != e.headers.end());
            REQUIRE(date != e.headers.end());
            const int64_t t = parse_rfc5322_date(date->second);
            INFO(e.from_line << " / Date: " << date->second);
            REQUIRE(t >= 0);
            CHECK(parse_from_line(e.from_line) == t); // envelope in UTC, same instant
            dates[mid->second] = t;
        }
    }
    size_t in_window = 0, outside = 0;
    for (const auto& [mid, t] : dates)
        (t >= k_window_start && t <= k_window_end ? in_window : outside) += 1;
    CHECK(in_window == 991);
    CHECK(outside >= 10);
    CHECK(outside <= 20);
    CHECK(entries > dates.size()); // cross-posts and duplicate deliveries

    // messages.tsv agrees: one row per distinct email.
    const auto rows = read_tsv(dir / "messages.tsv");
    REQUIRE(rows.size() == dates.size() + 1);
    CHECK(rows[0] == std::vector<std::string>{"message_id", "date_utc", "lists", "in_window", "thread_root", "author"});
    size_t flagged = 0;
    for (size_t i = 1; i < rows.size(); ++i) {
        REQUIRE(rows[i].size() == 6);
        CHECK(dates.count("<" + rows[i][0] + ">") == 1);
        flagged += rows[i][3] == "1";
    }
    CHECK(flagged == 991);
}

TEST_CASE("rosters hold exactly 732 distinct subscribers in their latest snapshots", "[generator]") {
    const auto& dir = archive();
    const RosterCount rc = read_rosters(dir / "rosters");
    CHECK(rc.lists.size() == 6);
    CHECK(rc.subscribers.size() == 732);
    CHECK(rc.malformed.size() == 2); // "not-an-address" and "jean.dupont(at)orange.com"
    // An older snapshot exists, and it is not the one that counts.
    CHECK(fs::exists(dir / "rosters" / "fgdpmwg3-2018-06-30.txt"));
    CHECK(fs::exists(dir / "rosters" / "fgdpmwg3-2019-07-15.txt"));
}

TEST_CASE("cross-posts share a Message-ID between fgdpm.mbox and a WG mbox", "[generator]") {
    const auto& dir = archive();
    std::map<std::string, std::string> main_list; // Message-ID -> List-Id
    for (const auto& e : read_mbox(dir / "fgdpm.mbox"))
        main_list[e.headers.at("message-id")] = e.headers.at("list-id");
    size_t cross = 0;
    for (size_t i = 1; i < std::size(k_lists); ++i) {
        std::set<std::string> seen;
        for (const auto& e : read_mbox(dir / (std::string(k_lists[i]) + ".mbox"))) {
            const std::string& mid = e.headers.at("message-id");
            if (!main_list.count(mid) || !seen.insert(mid).second) continue;
            ++cross;
            CHECK(main_list[mid] == "<fgdpm.lists.itu.int>");
            CHECK(e.headers.at("list-id") == "<" + std::string(k_lists[i]) + ".lists.itu.int>");
        }
    }
    CHECK(cross == 40);
}

TEST_CASE("output is byte-identical for the same seed and differs for another", "[generator]") {
    const auto& dir = archive();
    TempDir same, other;
    generate(same.path(), "--scale 1");
    generate(other.path(), "--scale 1 --seed 7");
    const auto a = snapshot(dir.path());
    const auto b = snapshot(same.path());
    REQUIRE(a.size() == b.size());
    for (const auto& [name, bytes] : a) {
        INFO(name);
        REQUIRE(b.count(name) == 1);
        CHECK((b.at(name) == bytes));
    }
    CHECK(read_file(other / "fgdpm.mbox") != a.at("fgdpm.mbox"));
    CHECK(read_file(other / "messages.tsv") != a.at("messages.tsv"));
}

TEST_CASE("truth.tsv rows point at known emails and cover the discussed deliverables", "[generator]") {
    const auto& dir = archive();
    std::set<std::string> ids;
    for (const auto& r : read_tsv(dir / "messages.tsv"))
        ids.insert(r[0]);
    const auto truth = read_tsv(dir / "truth.tsv");
    REQUIRE(truth.size() > 1);
    CHECK(truth[0] == std::vector<std::string>{"message_id", "deliverable", "kind"});
    std::set<std::string> mentioned, kinds;
    std::set<std::vector<std::string>> unique_rows;
    for (size_t i = 1; i < truth.size(); ++i) {
        REQUIRE(truth[i].size() == 3);
        INFO(truth[i][0]);
        CHECK(ids.count(truth[i][0]) == 1);
        CHECK(unique_rows.insert(truth[i]).second);
        mentioned.insert(truth[i][1]);
        kinds.insert(truth[i][2]);
    }
    for (const auto& d : registry_deliverables()) {
        INFO(d);
        CHECK(mentioned.count(d) == (k_never_discussed.count(d) ? 0u : 1u));
    }
    CHECK(kinds == std::set<std::string>{"id", "spaced", "word", "output_doc", "short_output_doc", "title"});
}

TEST_CASE("the mail looks like list traffic: encoded names, HTML-only, attachments, invitations",
          "[generator]") {
    const fs::path dir = archive().path();
    int cjk_names = 0, arabic_names = 0, latin_names = 0, encoded_subjects = 0, html_only = 0,
        invitations = 0, no_references_replies = 0;
    auto has_lead = [](const std::string& s, unsigned char lo, unsigned char hi) {
        return std::any_of(s.begin(), s.end(), [&](char c) {
            const auto u = static_cast<unsigned char>(c);
            return u >= lo && u <= hi;
        });
    };
    std::string all;
    for (const char* l : k_lists) {
        const fs::path p = dir / (std::string(l) + ".mbox");
        all += read_file(p);
        for (const auto& e : read_mbox(p)) {
            const auto from = e.headers.find("from");
            REQUIRE(from != e.headers.end());
            if (from->second.find("=?") != std::string::npos) {
                const std::string name = mlarc::decode_rfc2047(from->second);
                cjk_names += has_lead(name, 0xE4, 0xE9);   // CJK ideographs
                arabic_names += has_lead(name, 0xD8, 0xDB); // Arabic block
                latin_names += has_lead(name, 0xC3, 0xC3);  // accented Latin-1 letters
            }
            const auto subject = e.headers.find("subject");
            if (subject != e.headers.end()) {
                encoded_subjects += subject->second.find("=?") != std::string::npos;
                invitations += subject->second.find("Invitation: ") != std::string::npos;
                const bool reply = subject->second.find("Re:") != std::string::npos ||
                                   subject->second.find("RE:") != std::string::npos;
                no_references_replies +=
                    reply && !e.headers.count("references") && !e.headers.count("in-reply-to");
            }
        }
        // HTML-only: an HTML body without a text/plain alternative (Mailman
        // wraps it in multipart/mixed with its plain-text footer).
        const std::string text = read_file(p);
        for (size_t start = 0; start < text.size();) {
            size_t end = text.find("\n\nFrom ", start);
            end = end == std::string::npos ? text.size() : end + 2;
            const std::string_view msg(text.data() + start, end - start);
            html_only += msg.find("Content-Type: text/html") != std::string_view::npos &&
                         msg.find("multipart/alternative") == std::string_view::npos;
            start = end;
        }
    }
    CHECK(cjk_names > 0);
    CHECK(arabic_names > 0);
    CHECK(latin_names > 0);
    CHECK(encoded_subjects > 0);
    CHECK(html_only > 0);
    CHECK(invitations >= 8); // one per meeting, at least
    CHECK(no_references_replies > 0); // broken clients
    CHECK(all.find("<blockquote") != std::string::npos);
    // Attachments named after input documents.
    size_t docs = 0;
    for (size_t at = all.find("filename=\"FG-DPM-I-"); at != std::string::npos;
         at = all.find("filename=\"FG-DPM-I-", at + 1))
        ++docs;
    CHECK(docs > 0);
}

TEST_CASE("rosters hold one address in several cases across lists", "[generator]") {
    const fs::path dir = archive().path() / "rosters";
    std::map<std::string, std::set<std::string>> spellings; // lower-cased -> as written
    for (const auto& e : fs::directory_iterator(dir))
        for (const auto& raw : lines_of(read_file(e.path()))) {
            const std::string l = trim(raw);
            if (l.empty() || l[0] == '#') continue;
            const size_t lt = l.rfind('<'), gt = l.rfind('>');
            std::string a = lt != std::string::npos && gt > lt ? l.substr(lt + 1, gt - lt - 1) : l;
            if (e.path().extension() == ".csv") {
                const auto f = csv_fields(l);
                const auto at = std::find_if(f.begin(), f.end(),
                                             [](const std::string& x) { return x.find('@') != std::string::npos; });
                if (at == f.end()) continue;
                a = trim(*at);
            }
            if (valid_address(a)) spellings[lower(a)].insert(a);
        }
    const auto cased = std::count_if(spellings.begin(), spellings.end(),
                                     [](const auto& kv) { return kv.second.size() > 1; });
    CHECK(cased > 0);
}

TEST_CASE("the scale flag writes N copies: N times 991 in the window, distinct Message-IDs", "[generator]") {
    TempDir scaled;
    generate(scaled.path(), "--scale 3");
    const auto one = lines_of(read_file(archive().path() / "messages.tsv"));
    const auto three = lines_of(read_file(scaled.path() / "messages.tsv"));
    REQUIRE(one.size() > 1);
    // Each copy has its own out-of-window mails, so only the window is exact.
    CHECK(three.size() > 3 * (one.size() - 1) - 30);
    std::set<std::string> ids;
    size_t in_window = 0;
    for (size_t i = 1; i < three.size(); ++i) {
        const auto f = split(three[i], '\t');
        REQUIRE(f.size() == 6);
        ids.insert(f[0]);
        in_window += f[3] == "1";
    }
    CHECK(ids.size() == three.size() - 1);
    CHECK(in_window == 3 * 991);
}
