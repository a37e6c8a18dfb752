// `mlarc quarantine list|show|export`: the messages the importer could not
// store (store/quarantine.hpp). `list` prints each one's reason, source file,
// offset and size, then the counts per reason kind (--format text|json);
// `show ID` writes its bytes exactly as stored; `export` writes the chosen
// ones as an mboxrd file, so they can be fixed and imported again.
#include "cli/commands.hpp"
#include "search/common.hpp"

#include "mbox/reader.hpp"
#include "query/archive.hpp"
#include "store/quarantine.hpp"
#include "util/date.hpp"
#include "util/strings.hpp"

#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>

namespace mlarc::cli {

namespace {

struct QuarantineArgs {
    std::string archive;
    std::string reason; // a reason kind ("no list"); "" = all
    std::string format = "text";
    bool summary = false;
    int64_t id = 0;
    std::vector<int64_t> ids;
    std::string output;
};

int fail(std::string_view cmd, const Error& e) {
    return report("quarantine " + std::string(cmd), e);
}

Archive archive_of(const QuarantineArgs& a) {
    QueryArgs q;
    q.archive = a.archive;
    return Archive::at(q.archive_dir());
}

std::string where(const QuarantineEntry& e) {
    if (e.source_path.empty()) return "(unknown source)";
    return e.source_offset >= 0 ? e.source_path + " @ " + std::to_string(e.source_offset)
                                : e.source_path;
}

int run_list(const QuarantineArgs& a) {
    Archive archive = archive_of(a);
    auto store = archive.store();
    if (!store.ok()) return fail("list", store.error());
    auto entries = quarantine_entries(**store, trim(a.reason));
    if (!entries.ok()) return fail("list", entries.error());
    const auto counts = quarantine_counts(*entries);
    if (a.format == "json") {
        std::cout << "{\"total\":" << entries->size() << ",\"reasons\":[";
        for (size_t i = 0; i < counts.size(); ++i)
            std::cout << (i ? "," : "") << "{\"reason\":\"" << json_escape(counts[i].first)
                      << "\",\"count\":" << counts[i].second << '}';
        std::cout << ']';
        if (!a.summary) {
            std::cout << ",\"messages\":[";
            for (size_t i = 0; i < entries->size(); ++i) {
                const auto& e = (*entries)[i];
                std::cout << (i ? "," : "") << "{\"id\":" << e.id << ",\"reason\":\""
                          << json_escape(e.reason) << "\",\"kind\":\""
                          << json_escape(quarantine_reason_kind(e.reason)) << "\",\"source\":\""
                          << json_escape(e.source_path) << "\",\"offset\":";
                if (e.source_offset >= 0)
                    std::cout << e.source_offset;
                else
                    std::cout << "null";
                std::cout << ",\"size\":" << e.size << ",\"list\":\"" << json_escape(e.list)
                          << "\",\"quarantined_at\":\"" << format_iso8601(e.created_at, 0) << "\"}";
            }
            std::cout << ']';
        }
        std::cout << "}\n";
        return 0;
    }
    if (!a.summary)
        for (const auto& e : *entries)
            std::cout << e.id << '\t' << e.size << " bytes\t" << where(e) << '\t' << e.reason
                      << '\n';
    std::cout << "quarantined: " << entries->size();
    for (size_t i = 0; i < counts.size(); ++i)
        std::cout << (i ? ", " : " (") << counts[i].first << ' ' << counts[i].second;
    std::cout << (counts.empty() ? "" : ")") << '\n';
    return 0;
}

Error no_entry(int64_t id) {
    return make_error(Errc::not_found, "no quarantined message " + std::to_string(id),
                      "`mlarc quarantine list` shows the ids");
}

int run_show(const QuarantineArgs& a) {
    if (a.id < 1)
        return fail("show", make_error(Errc::usage, "bad quarantine id " + std::to_string(a.id),
                                       "ids are the numbers `mlarc quarantine list` prints first"));
    Archive archive = archive_of(a);
    auto store = archive.store();
    if (!store.ok()) return fail("show", store.error());
    auto m = quarantine_message(**store, a.id);
    if (!m.ok()) return fail("show", m.error());
    if (!*m) return fail("show", no_entry(a.id));
    const std::string& raw = (*m)->second;
    std::cout.write(raw.data(), static_cast<std::streamsize>(raw.size()));
    std::cout.flush();
    return std::cout ? 0 : fail("show", make_error(Errc::io, "cannot write the message"));
}

/// How the stored bytes are escaped: as the framer of the source's format
/// escapes them (mbox/reader.cpp open_source).
Escaping escaping_of(const QuarantineEntry& e) {
    if (e.source_format == "mboxo" || e.source_format == "mboxcl") return Escaping::mboxo;
    if (e.source_format == "mboxcl2" || e.source_format == "maildir") return Escaping::none;
    std::error_code ec;
    if (e.source_path.empty() || std::filesystem::is_directory(e.source_path, ec) ||
        ascii_lower(std::filesystem::path(e.source_path).extension().string()) == ".eml")
        return Escaping::none;
    return Escaping::mboxrd;
}

/// "From MAILER-DAEMON Thu Jan  1 00:00:00 1970" for the quarantine time.
std::string from_line(int64_t utc) {
    const std::time_t t = static_cast<std::time_t>(utc);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    const size_t n = std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm);
    return "From MAILER-DAEMON " + std::string(buf, n) + '\n';
}

int run_export(const QuarantineArgs& a) {
    Archive archive = archive_of(a);
    auto store = archive.store();
    if (!store.ok()) return fail("export", store.error());
    std::vector<int64_t> ids = a.ids;
    if (ids.empty()) {
        auto entries = quarantine_entries(**store, trim(a.reason));
        if (!entries.ok()) return fail("export", entries.error());
        for (const auto& e : *entries)
            ids.push_back(e.id);
    }
    std::ofstream file;
    if (!a.output.empty()) {
        file.open(a.output, std::ios::binary | std::ios::trunc);
        if (!file) return fail("export", make_error(Errc::unreadable, "cannot create " + a.output));
    }
    std::ostream& out = a.output.empty() ? std::cout : file;
    size_t written = 0;
    for (int64_t id : ids) {
        auto m = quarantine_message(**store, id);
        if (!m.ok()) return fail("export", m.error());
        if (!*m) return fail("export", no_entry(id));
        const std::string msg = unescape((*m)->second, escaping_of((*m)->first));
        std::string chunk = from_line((*m)->first.created_at) + escape_mboxrd(msg);
        const bool crlf = msg.size() >= 2 && msg.compare(msg.size() - 2, 2, "\r\n") == 0;
        if (msg.empty() || msg.back() != '\n') chunk += '\n';
        chunk += crlf ? "\r\n" : "\n";
        out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        ++written;
    }
    out.flush();
    if (!out)
        return fail("export", make_error(Errc::io, "cannot write the mbox output",
                                         "check the disk space and the output file"));
    if (!a.output.empty())
        std::cout << "wrote " << written << " quarantined message(s) to " << a.output << '\n';
    return 0;
}

} // namespace

void register_quarantine(CLI::App& app, int& status) {
    auto* sub = app.add_subcommand("quarantine",
                                   "Messages the importer could not store: list, show, export");
    sub->require_subcommand(1);
    const char* reason_help = "Only this reason kind (the text before the first ':' of the "
                              "reason, e.g. 'no list'; see `quarantine list`)";
    {
        auto a = std::make_shared<QuarantineArgs>();
        auto* s = sub->add_subcommand(
            "list", "Each quarantined message (id, size, source file @ offset, reason) and the "
                    "counts per reason");
        add_archive_option(s, a->archive);
        s->add_option("--reason", a->reason, reason_help);
        s->add_flag("--summary", a->summary, "Only the counts per reason");
        s->add_option("--format", a->format, "Output format: text or json")
            ->check(CLI::IsMember({"text", "json"}))
            ->capture_default_str();
        s->callback([a, &status] { status = run_list(*a); });
    }
    {
        auto a = std::make_shared<QuarantineArgs>();
        auto* s = sub->add_subcommand(
            "show", "Write a quarantined message's bytes exactly as stored (mbox escaping as in "
                    "its source file)");
        add_archive_option(s, a->archive);
        s->add_option("id", a->id, "Quarantine id (as `quarantine list` prints it)")->required();
        s->callback([a, &status] { status = run_show(*a); });
    }
    {
        auto a = std::make_shared<QuarantineArgs>();
        auto* s = sub->add_subcommand(
            "export", "Write quarantined messages as an mboxrd file, to fix and import again");
        add_archive_option(s, a->archive);
        auto* id = s->add_option("--id", a->ids, "Only this quarantine id (repeatable)");
        s->add_option("--reason", a->reason, reason_help)->excludes(id);
        s->add_option("--output,-o", a->output, "Write to this file instead of standard output");
        s->callback([a, &status] { status = run_export(*a); });
    }
}

} // namespace mlarc::cli
