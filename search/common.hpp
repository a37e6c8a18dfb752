// Shared by the search front ends (search/*.cpp): the query options every
// query-taking command accepts (bound to one plain struct), the output
// options, and how an error is reported (one line on stderr, exit status from
// its code: 2 for anything the user typed wrong).
#pragma once

#include "query/archive.hpp"
#include "query/search.hpp"
#include "render/renderer.hpp"
#include "util/result.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mlarc::cli {

/// The query and its filters, as typed.
struct QueryArgs {
    std::string archive;
    std::vector<std::string> lists;
    int wg = -1;
    std::string author;
    std::string since, until;
    std::vector<std::string> words; // the QUERY... positionals, joined with spaces
    bool allow_partial = false;     // --allow-partial (sharded indexes, docs/scaling.md)

    QuerySpec spec() const;
    std::string archive_dir() const;
    /// The archive of --archive, with --allow-partial applied.
    Archive open_archive() const;
};

/// Adds --archive, --list, --wg, --author, --since, --until and the QUERY
/// positionals to `sub`.
void add_query_options(CLI::App* sub, QueryArgs& args);
/// Adds --archive only (commands that take an id, not a query).
void add_archive_option(CLI::App* sub, std::string& archive);
/// Adds --format text|json|csv.
void add_format_option(CLI::App* sub, std::string& format);

/// Runs `add` (which adds `sub`'s options) only when the command line names
/// `sub`: CLI11 calls a subcommand's pre-parse callback before it reads the
/// subcommand's own arguments, `--help` included. A process then builds the
/// options of its one command rather than of every command (a third of the
/// user-space instructions of a `mlarc count`, docs/search.md "Speed").
void lazy_options(CLI::App* sub, std::function<void(CLI::App*)> add);

/// A renderer for `format` on stdout/stderr; colour when stdout is a terminal
/// (and NO_COLOR is unset). Errors: usage for an unknown format.
Result<std::unique_ptr<Renderer>> stdout_renderer(const std::string& format, bool explain = false);

/// Prints "mlarc CMD: message (hint: ...)" on stderr; returns the exit status.
int report(std::string_view command, const Error& e);

/// After a successful read: when shards were left out (--allow-partial),
/// says so on stderr ("mlarc COMMAND: partial result: ...").
void warn_if_partial(std::string_view command, const Archive& archive);

void register_search_commands(CLI::App& app, int& status); // search, count, facets
void register_show_commands(CLI::App& app, int& status);   // show, thread, export

} // namespace mlarc::cli
