// Registers the search front end's subcommands (search, count, facets, show,
// thread, export) with the `mlarc` binary, and the option handling they
// share (see common.hpp).
#include "cli/commands.hpp"
#include "search/common.hpp"

#include "util/strings.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace mlarc::cli {

QuerySpec QueryArgs::spec() const {
    QuerySpec s;
    s.text = join(words, " ");
    s.lists = lists;
    if (wg >= 0) s.wg = wg;
    s.author = author;
    s.since = since;
    s.until = until;
    return s;
}

std::string QueryArgs::archive_dir() const {
    return archive.empty() ? default_archive_dir() : archive;
}

Archive QueryArgs::open_archive() const {
    Archive a = Archive::at(archive_dir());
    a.allow_partial(allow_partial);
    return a;
}

void warn_if_partial(std::string_view command, const Archive& archive) {
    const auto missing = archive.missing_shards();
    if (missing.empty()) return;
    std::cout.flush();
    std::cerr << "mlarc " << command << ": partial result: search index shard(s) "
              << join(missing, ", ") << " did not answer\n";
}

void add_archive_option(CLI::App* sub, std::string& archive) {
    sub->add_option("--archive", archive, "Archive directory (default $MLARC_ARCHIVE or ./mlarc-data)");
}

void add_query_options(CLI::App* sub, QueryArgs& a) {
    add_archive_option(sub, a.archive);
    sub->add_option("--list", a.lists, "Only messages of this list (name or address; repeat for any of several)")
        ->allow_extra_args(false); // one value per --list: what follows is the query
    sub->add_option("--wg", a.wg, "Only messages of the list(s) of working group N")
        ->check(CLI::Range(0, 999999));
    sub->add_option("--author", a.author, "Only messages from this author (address, name or words)");
    sub->add_option("--since", a.since, "Only messages from this date on (2018, 2018-03, 2018-03-05, 3m, yesterday)");
    sub->add_option("--until", a.until, "Only messages up to the end of this date");
    sub->add_flag("--allow-partial", a.allow_partial,
                  "With a sharded index: search the shards that answer when some remote shard "
                  "does not, and mark the result partial (docs/scaling.md)");
    sub->add_option("query", a.words, "Query (see docs/search.md): words, \"phrases\", from:, list:, date:A..B, AND/OR/NOT")
        ->expected(1, -1); // min 1 (but optional): lets "--" pass a query starting with "-"
}

void lazy_options(CLI::App* sub, std::function<void(CLI::App*)> add) {
    sub->preparse_callback([sub, add = std::move(add)](std::size_t) { add(sub); });
}

void add_format_option(CLI::App* sub, std::string& format) {
    sub->add_option("--format", format, "Output format: text, json or csv")
        ->check(CLI::IsMember({"text", "json", "csv"}))
        ->capture_default_str();
}

Result<std::unique_ptr<Renderer>> stdout_renderer(const std::string& format, bool explain) {
    auto f = parse_format(format);
    if (!f.ok()) return f.error();
    RenderOptions o;
    const char* no_color = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    o.color = *f == Format::text && ::isatty(1) && !(no_color && *no_color) &&
              !(term && std::string_view(term) == "dumb");
    o.explain = explain;
    return make_renderer(*f, std::cout, std::cerr, o);
}

int report(std::string_view command, const Error& e) {
    std::cout.flush();
    std::cerr << "mlarc " << command << ": " << e.what() << '\n';
    return exit_code(e.code);
}

void register_search(CLI::App& app, int& status) {
    register_search_commands(app, status);
    register_show_commands(app, status);
}

} // namespace mlarc::cli
