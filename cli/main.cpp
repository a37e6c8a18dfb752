// mlarc: entry point. Parses the command line with CLI11 and dispatches to the
// subcommand registered by each front end; the exit status is the one the
// subcommand chose (0 ok, 2 usage, 75 archive locked, see util/result.hpp).
#include "cli/commands.hpp"

#include <cstdlib>
#include <initializer_list>
#include <string_view>
#include <iostream>

namespace mlarc::cli {
std::string default_archive_dir() {
    if (const char* env = std::getenv("MLARC_ARCHIVE"); env && *env) return env;
    return "./mlarc-data";
}
} // namespace mlarc::cli

namespace {

using Registrar = void (*)(CLI::App&, int&);

/// The front ends, in the order `mlarc --help` lists them, and the
/// subcommands each registers.
struct FrontEnd {
    Registrar add;
    std::initializer_list<const char*> names;
};
const FrontEnd kFrontEnds[] = {
    {mlarc::cli::register_import, {"import"}},
    {mlarc::cli::register_index, {"index"}},
    {mlarc::cli::register_search, {"search", "count", "facets", "show", "thread", "export"}},
    {mlarc::cli::register_subscribers, {"subscribers"}},
    {mlarc::cli::register_report, {"report", "links"}},
    {mlarc::cli::register_purge, {"purge"}},
    {mlarc::cli::register_quarantine, {"quarantine"}},
};

/// Registers the front end of subcommand `name` only (building every
/// subcommand's options costs about a quarter of a millisecond, a tenth of a
/// `mlarc count`), or all of them when `name` is none of theirs or that
/// front end did not register it after all.
void register_for(CLI::App& app, int& status, const char* name) {
    const FrontEnd* chosen = nullptr;
    for (const auto& f : kFrontEnds)
        for (const char* n : f.names)
            if (name && std::string_view(n) == name) chosen = &f;
    if (chosen) {
        chosen->add(app, status);
        const CLI::App& registered = app;
        if (!registered.get_subcommands([&](const CLI::App* a) { return a->get_name() == name; }).empty()) return;
    }
    for (const auto& f : kFrontEnds)
        if (&f != chosen) f.add(app, status);
}

} // namespace

int main(int argc, char** argv) {
    // std::cout with its own buffer: synchronised with C stdio (the
    // default) every << is an fwrite (callgrind: 25 M of the 155 M
    // instructions of `search --limit 100000 from:ralf@linux-mips.org` went
    // to writing 4,044 lines). Nothing here writes stdout through C stdio;
    // std::cerr is tied to std::cout, so their order is kept.
    std::ios_base::sync_with_stdio(false);
    CLI::App app{"mlarc: mailing-list archive indexer and search engine"};
    app.set_version_flag("--version", std::string("mlarc ") + MLARC_VERSION);
    app.require_subcommand(1);
    int status = 0;
    register_for(app, status, argc > 1 ? argv[1] : nullptr);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    return status;
}
