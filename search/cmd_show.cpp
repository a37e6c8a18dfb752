// `mlarc show`, `mlarc thread` and `mlarc export`: parse the options, call
// lib/query (messages.hpp), render or write the bytes. Nothing else.
#include "search/common.hpp"

#include "query/archive.hpp"
#include "query/messages.hpp"

#include <fstream>
#include <iostream>
#include <memory>

namespace mlarc::cli {

namespace {

struct ShowArgs {
    std::string archive;
    std::string id;
    bool raw = false;
    bool all_headers = false;
    std::string format = "text";
};

struct ThreadArgs {
    std::string archive;
    std::string id;
    std::string format = "text";
};

struct ExportArgs {
    QueryArgs q;
    bool threads = false;
    std::string output;
};

std::string archive_or_default(const std::string& a) {
    QueryArgs q;
    q.archive = a;
    return q.archive_dir();
}

int run_show(const ShowArgs& a) {
    Archive archive = Archive::at(archive_or_default(a.archive));
    auto id = resolve_message(archive, a.id);
    if (!id.ok()) return report("show", id.error());
    if (a.raw) {
        auto raw = read_raw(archive, *id);
        if (!raw.ok()) return report("show", raw.error());
        std::cout.write(raw->data(), static_cast<std::streamsize>(raw->size()));
        std::cout.flush();
        return std::cout ? 0 : report("show", make_error(Errc::io, "cannot write the message"));
    }
    auto renderer = stdout_renderer(a.format);
    if (!renderer.ok()) return report("show", renderer.error());
    auto m = read_message(archive, *id);
    if (!m.ok()) return report("show", m.error());
    (*renderer)->message(*m, a.all_headers);
    return 0;
}

int run_thread(const ThreadArgs& a) {
    auto renderer = stdout_renderer(a.format);
    if (!renderer.ok()) return report("thread", renderer.error());
    Archive archive = Archive::at(archive_or_default(a.archive));
    auto tid = resolve_thread(archive, a.id);
    if (!tid.ok()) return report("thread", tid.error());
    auto t = read_thread(archive, *tid);
    if (!t.ok()) return report("thread", t.error());
    (*renderer)->thread(*t);
    return 0;
}

int run_export(const ExportArgs& a) {
    Archive archive = a.q.open_archive();
    auto ids = matching_ids(archive, a.q.spec(), a.threads);
    if (!ids.ok()) return report("export", ids.error());
    std::ofstream file;
    if (!a.output.empty()) {
        file.open(a.output, std::ios::binary | std::ios::trunc);
        if (!file) return report("export", make_error(Errc::unreadable, "cannot create " + a.output));
    }
    std::ostream& out = a.output.empty() ? std::cout : file;
    auto rep = export_mbox(archive, *ids, out);
    if (!rep.ok()) return report("export", rep.error());
    if (rep->missing)
        std::cerr << "mlarc export: " << rep->missing
                  << " matching messages are not in the store (the index is ahead of it) and were "
                     "left out\n";
    return 0;
}

} // namespace

void register_show_commands(CLI::App& app, int& status) {
    {
        auto a = std::make_shared<ShowArgs>();
        auto* sub = app.add_subcommand("show", "Show a message: decoded headers and text, or --raw bytes");
        lazy_options(sub, [a](CLI::App* s) {
            add_archive_option(s, a->archive);
            s->add_option("id", a->id, "Message number (docid:N) or Message-ID (with or without <>)")
                ->required();
            s->add_flag("--raw", a->raw, "Print the message exactly as it was imported (RFC 5322 bytes)");
            s->add_flag("--all-headers", a->all_headers, "Also print every stored header");
            add_format_option(s, a->format);
        });
        sub->callback([a, &status] { status = run_show(*a); });
    }
    {
        auto a = std::make_shared<ThreadArgs>();
        auto* sub = app.add_subcommand("thread", "Show a thread as a reply tree, oldest first");
        lazy_options(sub, [a](CLI::App* s) {
            add_archive_option(s, a->archive);
            s->add_option("id", a->id, "Thread id (thread:N), or a message number or Message-ID in it")
                ->required();
            add_format_option(s, a->format);
        });
        sub->callback([a, &status] { status = run_thread(*a); });
    }
    {
        auto a = std::make_shared<ExportArgs>();
        auto* sub = app.add_subcommand("export", "Write the matching messages as an mboxrd file");
        lazy_options(sub, [a](CLI::App* s) {
            add_query_options(s, a->q);
            s->add_flag("--threads", a->threads, "Write every message of each thread with a match");
            s->add_option("--output,-o", a->output, "Write to this file instead of standard output");
        });
        sub->callback([a, &status] { status = run_export(*a); });
    }
}

} // namespace mlarc::cli
