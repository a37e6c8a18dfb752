// Output of the search commands: ONE writer interface (notmuch's "sprinter"
// idea) with a text, a JSON and a CSV implementation, so every command prints
// every format the same way and a new format is one new class.
//
// Text is for people and golden tests: stable column order, UTC dates, no
// colour unless RenderOptions::color (then matches in snippets are bold).
// JSON is versioned ("format_version": 1) and described by
// docs/search-json-schema.json; in JSON, snippet matches are marked «like
// this» (U+00AB, U+00BB). CSV (RFC 4180, one header row) is for
// spreadsheets: a result page that does not hold every match says so on the
// error stream, since CSV has nowhere to put totals.
#pragma once

#include "query/messages.hpp"
#include "query/search.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace mlarc {

enum class Format { text, json, csv };

/// "text", "json" or "csv". Errors: usage.
Result<Format> parse_format(std::string_view name);

/// Version of the JSON output; bump on incompatible changes.
inline constexpr int kJsonFormatVersion = 1;

struct RenderOptions {
    bool color = false;   // text: ANSI bold for snippet matches (set on a terminal only)
    bool explain = false; // search: also print the parsed query
};

class Renderer {
  public:
    virtual ~Renderer() = default;

    /// What MSet::snippet() should put around a match for this format.
    virtual std::pair<std::string, std::string> highlight_markers() const = 0;

    /// A page of threads or messages: a header with the totals and the page,
    /// then one entry per hit (and the facets when computed).
    virtual void search(const SearchResult& r) = 0;
    /// Facets alone (`mlarc facets`).
    virtual void facets(const Facets& f) = 0;
    /// `mlarc count`.
    virtual void count(uint64_t n, bool threads) = 0;
    /// `mlarc show`: headers and text. all_headers: every stored header too.
    virtual void message(const MessageView& m, bool all_headers) = 0;
    /// `mlarc thread`: the tree.
    virtual void thread(const ThreadView& t) = 0;
};

/// A renderer writing results to `out` and notes (e.g. a CSV page that is not
/// complete) to `err`.
std::unique_ptr<Renderer> make_renderer(Format format, std::ostream& out, std::ostream& err,
                                        const RenderOptions& opts = {});

} // namespace mlarc
