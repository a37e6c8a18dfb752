// `mlarc search`, `mlarc count` and `mlarc facets`: parse the options, call
// lib/query (search.hpp), hand the result to a renderer. Nothing else.
#include "search/common.hpp"

#include "query/archive.hpp"

#include <memory>

namespace mlarc::cli {

namespace {

struct SearchArgs {
    QueryArgs q;
    std::string sort = "newest";
    size_t limit = 20;
    size_t offset = 0;
    bool messages = false;
    std::string format = "text";
    bool facets = false;
    bool explain = false;
    bool no_snippets = false;
};

struct CountArgs {
    QueryArgs q;
    bool threads = false;
    std::string format = "text";
};

struct FacetArgs {
    QueryArgs q;
    size_t top = 20;
    std::string format = "text";
};

int run_search(const SearchArgs& a) {
    auto sort = parse_sort_order(a.sort);
    if (!sort.ok()) return report("search", sort.error());
    auto renderer = stdout_renderer(a.format, a.explain);
    if (!renderer.ok()) return report("search", renderer.error());
    SearchOptions o;
    o.sort = *sort;
    o.limit = a.limit;
    o.offset = a.offset;
    o.messages = a.messages;
    o.facets = a.facets;
    o.snippets = !a.no_snippets;
    std::tie(o.hi_start, o.hi_end) = (*renderer)->highlight_markers();
    Archive archive = a.q.open_archive();
    auto r = search(archive, a.q.spec(), o);
    if (!r.ok()) return report("search", r.error());
    (*renderer)->search(*r);
    warn_if_partial("search", archive);
    return 0;
}

int run_count(const CountArgs& a) {
    auto renderer = stdout_renderer(a.format);
    if (!renderer.ok()) return report("count", renderer.error());
    Archive archive = a.q.open_archive();
    auto n = count(archive, a.q.spec(), a.threads);
    if (!n.ok()) return report("count", n.error());
    (*renderer)->count(*n, a.threads);
    warn_if_partial("count", archive);
    return 0;
}

int run_facets(const FacetArgs& a) {
    auto renderer = stdout_renderer(a.format);
    if (!renderer.ok()) return report("facets", renderer.error());
    Archive archive = a.q.open_archive();
    auto f = facets(archive, a.q.spec(), a.top);
    if (!f.ok()) return report("facets", f.error());
    (*renderer)->facets(*f);
    warn_if_partial("facets", archive);
    return 0;
}

} // namespace

void register_search_commands(CLI::App& app, int& status) {
    {
        auto a = std::make_shared<SearchArgs>();
        auto* sub = app.add_subcommand("search", "Search the archive: threads (or messages) matching a query");
        lazy_options(sub, [a](CLI::App* s) {
            add_query_options(s, a->q);
            s->add_option("--sort", a->sort, "Order: newest, oldest or relevance")
                ->check(CLI::IsMember({"newest", "oldest", "relevance"}))
                ->capture_default_str();
            s->add_option("--limit", a->limit, "Results per page")
                ->check(CLI::Range(size_t{1}, kMaxLimit))
                ->capture_default_str();
            s->add_option("--offset", a->offset, "Skip this many results (next pages)")
                ->check(CLI::Range(size_t{0}, kMaxOffset));
            s->add_flag("--messages", a->messages, "One result per message instead of per thread");
            add_format_option(s, a->format);
            s->add_flag("--facets", a->facets, "Also count the matches per list, author and month");
            s->add_flag("--explain", a->explain, "Also print the parsed query");
            s->add_flag("--no-snippets", a->no_snippets,
                        "Leave out the text extracts (faster: no store access)");
        });
        sub->callback([a, &status] { status = run_search(*a); });
    }
    {
        auto a = std::make_shared<CountArgs>();
        auto* sub = app.add_subcommand("count", "Print the number of matching messages (or threads)");
        lazy_options(sub, [a](CLI::App* s) {
            add_query_options(s, a->q);
            s->add_flag("--threads", a->threads, "Count distinct threads with a match");
            add_format_option(s, a->format);
        });
        sub->callback([a, &status] { status = run_count(*a); });
    }
    {
        auto a = std::make_shared<FacetArgs>();
        auto* sub = app.add_subcommand("facets", "Count the matching messages per list, author and month");
        lazy_options(sub, [a](CLI::App* s) {
            add_query_options(s, a->q);
            s->add_option("--top", a->top, "Authors to list (0: all)")->capture_default_str();
            add_format_option(s, a->format);
        });
        sub->callback([a, &status] { status = run_facets(*a); });
    }
}

} // namespace mlarc::cli
