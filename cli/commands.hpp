// How front ends plug into the `mlarc` binary: each folder (importer/,
// indexer/, search/) provides a register function that adds its subcommands to
// the CLI11 app. The subcommand's callback stores its exit status in `status`.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>

namespace mlarc::cli {

/// Archive directory from --archive, else $MLARC_ARCHIVE, else ./mlarc-data.
std::string default_archive_dir();

void register_import(CLI::App& app, int& status);
void register_index(CLI::App& app, int& status);
void register_search(CLI::App& app, int& status);
void register_subscribers(CLI::App& app, int& status);
void register_report(CLI::App& app, int& status);
void register_purge(CLI::App& app, int& status);      // search/cmd_purge.cpp
void register_quarantine(CLI::App& app, int& status); // search/cmd_quarantine.cpp

/// Brings the index of `archive` up to date after an import (indexer/).
/// Returns the exit status.
/// `batch`: documents per index commit, 0 for the default. `followed`:
/// documents an IndexFollower already indexed during the import (counted in
/// the summary; when they are most of the index, it is compacted).
int run_index_after_import(const std::string& archive, bool quiet, size_t batch = 0,
                           uint64_t followed = 0);

} // namespace mlarc::cli
