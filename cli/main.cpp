// mlarc: entry point. Parses the command line with CLI11 and dispatches to the
// subcommand registered by each front end; the exit status is the one the
// subcommand chose (0 ok, 2 usage, 75 archive locked, see util/result.hpp).
#include "cli/commands.hpp"

#include <cstdlib>
#include <iostream>

namespace mlarc::cli {
std::string default_archive_dir() {
    if (const char* env = std::getenv("MLARC_ARCHIVE"); env && *env) return env;
    return "./mlarc-data";
}
} // namespace mlarc::cli

int main(int argc, char** argv) {
    CLI::App app{"mlarc: mailing-list archive indexer and search engine"};
    app.set_version_flag("--version", std::string("mlarc ") + MLARC_VERSION);
    app.require_subcommand(1);
    int status = 0;
    mlarc::cli::register_import(app, status);
    mlarc::cli::register_index(app, status);
    mlarc::cli::register_search(app, status);
    mlarc::cli::register_subscribers(app, status);
    mlarc::cli::register_report(app, status);
    mlarc::cli::register_purge(app, status);
    mlarc::cli::register_quarantine(app, status);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    return status;
}
