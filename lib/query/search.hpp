// Searching an archive: a user query plus filters -> threads or messages,
// counts and facets. The value types here are what the renderers
// (render/renderer.hpp) print; no Xapian type appears in this header.
//
// The query language (docs/search.md) is Xapian's QueryParser configured by
// looping over the index schema table (index/schema.hpp kIndexFields): free-
// text fields (body, subject, attachment) are ordinary prefixes, every other
// field a boolean filter prefix with its own value rules (from: exact address
// or words, list:/wg: checked against the archive, id: without <>, date:A..B
// through a range processor on the date slot...). Flags such as --list and
// --since become filter queries built by the same code, never query text.
//
// Results are threads by default (one hit per thread, represented by its
// first message in the sort order: newest, oldest or most relevant match) or
// messages. Totals are exact up to kExactTotalBound matching messages (those of a
// date-sorted thread search on one local index always) and estimates above,
// flagged as such; `count` is always exact. Nothing is silently cut off.
#pragma once

#include "util/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc {

class Archive;

/// What to search for: the user's query text and the command-line filters.
struct QuerySpec {
    std::string text;                // query language text; "" or blanks = everything
    std::vector<std::string> lists;  // --list NAME|ADDRESS (several: any of them)
    std::optional<int> wg;           // --wg N: the lists whose lists.wg is N
    std::string author;              // --author: same rules as from:
    std::string since, until;        // --since/--until (util/date.hpp parse_user_date forms)
    std::optional<int64_t> now;      // "now" for relative dates (tests); unset: the clock
};

enum class SortOrder { newest, oldest, relevance };

/// "newest", "oldest" or "relevance". Errors: usage.
Result<SortOrder> parse_sort_order(std::string_view name);
std::string_view sort_order_name(SortOrder s);

/// Totals are exact while at most this many messages match.
inline constexpr uint64_t kExactTotalBound = 10000;
/// Largest --limit and --offset accepted.
inline constexpr size_t kMaxLimit = 100000;
inline constexpr size_t kMaxOffset = 1000000;

struct SearchOptions {
    SortOrder sort = SortOrder::newest;
    size_t offset = 0;
    size_t limit = 20;
    bool messages = false;          // one hit per message instead of per thread
    bool snippets = true;           // needs the store (message bodies)
    bool facets = false;            // also compute facets (see facets())
    uint64_t facet_author_max = 0;  // with facets: count authors only up to this many
                                    // matching messages (0: always); above it
                                    // Facets::authors is empty
    std::string hi_start, hi_end;   // snippet highlight markers (the renderer's)
    size_t snippet_bytes = 200;     // approximate snippet length
    double time_limit = 0;          // seconds of matching (Xapian's per-Enquire time
                                    // limit); 0: none. See SearchResult::timed_out.
};

/// A count, exact or estimated.
struct Total {
    uint64_t value = 0;
    bool exact = true;
};

struct AuthorRef {
    std::string name;    // display name ("" when the mail had none)
    std::string address; // lower-cased
    bool matched = false;// wrote at least one matching message of the thread
};

/// One result line: a thread (represented by its best-ranked matching
/// message) or a message.
struct Hit {
    int64_t message_id = 0;  // the matching message shown (messages.id == Xapian docid)
    std::string mid;         // its Message-ID
    int64_t thread_id = 0;
    std::string subject;     // its subject
    int64_t date_utc = 0;    // its date (threads are ordered by it)
    int date_offset = 0;
    int64_t first_utc = 0;   // thread: oldest message; message mode: date_utc
    int64_t last_utc = 0;    // thread: newest message; message mode: date_utc
    uint64_t matched = 1;    // thread: matching messages in it; message mode: 1
    uint64_t total = 1;      // messages in the thread (message mode too)
    std::vector<std::string> lists;  // thread: lists of all its messages; sorted
    std::vector<AuthorRef> authors;  // thread: matching authors first (in date order), then
                                     // the others; message mode: its author
    uint32_t attachments = 0;        // attachments of the message shown
    uint32_t flags = 0;              // MessageFlag bits of the message shown
    std::string snippet;             // body extract, matches between hi_start/hi_end
};

struct FacetCount {
    std::string key;   // list name, author address, or YYYY-MM
    std::string label; // author: display name; else == key
    uint64_t count = 0;// matching messages
};

struct Facets {
    uint64_t messages = 0;             // matching messages (each counted once per facet)
    std::vector<FacetCount> lists;     // by count, descending (then name)
    std::vector<FacetCount> authors;   // by count, descending (then address); top `max_authors`
    uint64_t authors_total = 0;        // distinct authors before cutting
    std::vector<FacetCount> months;    // ascending YYYY-MM (only months with matches)
};

struct SearchResult {
    std::string query;       // the user's text
    std::string description; // the parsed query (Xapian::Query::get_description())
    bool by_thread = true;   // hits are threads (false: messages)
    SortOrder sort = SortOrder::newest;
    Total messages;          // matching messages
    Total threads;           // matching threads (thread mode; message mode: not computed,
                             // value 0 and exact false)
    size_t offset = 0;
    size_t limit = 0;
    std::vector<Hit> hits;
    uint64_t skipped = 0;    // hits dropped: in the index but not (yet) in the store
    std::vector<std::string> missing_shards; // not empty: a partial result (index/shards.hpp)
    std::optional<Facets> facets;
    bool timed_out = false;  // time_limit was reached: hits, totals and facets may be
                             // incomplete (the web front end answers 503)
};

/// The parsed form of `spec` (Xapian's description), as --explain prints it.
/// Errors: usage for every query problem (unknown prefix, bad syntax, bad
/// date, unknown list or wg, leading wildcard, pure NOT, too long/too many
/// terms), with a message saying what is wrong and a hint saying what is
/// right; the errors of Archive::index() and Archive::store() (the store is
/// opened only for wg: and for list names that are not in the index).
Result<std::string> explain_query(Archive& archive, const QuerySpec& spec);

/// Searches. Errors: those of explain_query(); usage for a wildcard that
/// matches too many words or a limit/offset out of range; the index's and
/// the store's read errors.
Result<SearchResult> search(Archive& archive, const QuerySpec& spec, const SearchOptions& opts);

/// Number of matching messages, or of distinct threads with a match. Always
/// exact. Errors: as search().
Result<uint64_t> count(Archive& archive, const QuerySpec& spec, bool threads);

/// Counts of matching messages per list, per author (top `max_authors`,
/// 0 = all) and per month. Errors: as search().
Result<Facets> facets(Archive& archive, const QuerySpec& spec, size_t max_authors = 20);

/// The months (key and label YYYY-MM) that hold messages matching `spec`,
/// newest first, with their message counts: the month browser of the web
/// front end. One count per month term of the index (index/schema.hpp
/// month:), no pass over every match. Errors: as search().
Result<std::vector<FacetCount>> month_counts(Archive& archive, const QuerySpec& spec);

/// Ids of the matching messages, ascending; with whole_threads, of every
/// message in a thread with a match. Errors: as search().
Result<std::vector<int64_t>> matching_ids(Archive& archive, const QuerySpec& spec,
                                          bool whole_threads);

} // namespace mlarc
