// Searching (see search.hpp): result pages collapsed to threads, exact
// counts, facets and the id sets `export` needs.
//
// Where the time goes, and why it is spent this way (BASELINE.md: notmuch
// answers `count` in 4-10 ms and a first page of threads in 9-84 ms):
//  - A page is one Enquire sorted by the date slot (boolean weighting, no
//    relevance work) or by BM25, WITHOUT Enquire's collapse key (measured on
//    linux-mips: collapse makes a sorted `kernel` page 4-5x slower); threads
//    are read off the head of the sorted list (see thread_page()). Totals are
//    exact up to kExactTotalBound messages, and flagged "about" above it.
//  - Each thread on the page then needs its total (the frequency of its
//    XTHREAD term: free), the messages that match (one filtered Enquire for
//    the whole page) and its authors, lists and dates (the document data of
//    its messages, read through the XTHREAD posting list). No SQLite.
//  - Snippets need message bodies, the one thing the index does not keep:
//    one prepared SQLite statement, one primary-key lookup per hit. A hit
//    whose row is missing (the index is ahead of the store while an import
//    runs) is dropped and counted (FAILURE-MODES 45).
//  - Counts and facets make the matcher visit every match (check_at_least =
//    document count); a MatchSpy collects what facets and thread counts need
//    while it does.
#include "query/detail.hpp"
#include "query/snippet.hpp"

#include "index/columns.hpp"
#include "index/document.hpp"
#include "store/store.hpp"
#include "util/date.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace mlarc {

using query_detail::compile;
using query_detail::doc_data;
using query_detail::read_index;

namespace {

std::string thread_term(int64_t thread_id) {
    return make_term(prefix_of(FieldId::thread), std::to_string(thread_id));
}

int64_t thread_of_value(const std::string& v) {
    return static_cast<int64_t>(Xapian::sortable_unserialise(v));
}

Total total_of(Xapian::doccount lower, Xapian::doccount estimated, Xapian::doccount upper) {
    return Total{estimated, lower == upper};
}

/// Collapses blanks (newlines included) into single spaces.
std::string one_line(std::string_view s) {
    static constexpr std::array<bool, 256> kBlank = [] {
        std::array<bool, 256> t{};
        for (unsigned char c : {' ', '\t', '\n', '\r', '\f', '\v'})
            t[c] = true;
        return t;
    }();
    auto is_blank = [](char c) { return kBlank[static_cast<unsigned char>(c)]; };
    std::string out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_blank(s[i]))
            ++i;
        size_t j = i;
        while (j < s.size() && !is_blank(s[j]))
            ++j;
        if (j == i) break;
        if (!out.empty()) out += ' ';
        out.append(s.substr(i, j - i));
        i = j;
    }
    return out;
}

/// Runs `q` over every match (boolean weighting) with `spies` watching.
void spy_all(Xapian::Database& db, const Xapian::Query& q,
             std::initializer_list<Xapian::MatchSpy*> spies, double time_limit = 0) {
    Xapian::Enquire e(db);
    if (time_limit > 0) e.set_time_limit(time_limit);
    e.set_query(q);
    e.set_weighting_scheme(Xapian::BoolWeight());
    e.set_docid_order(Xapian::Enquire::ASCENDING);
    for (auto* spy : spies)
        e.add_matchspy(spy);
    (void)e.get_mset(0, 0, db.get_doccount());
}

void spy_all(Xapian::Database& db, const Xapian::Query& q, Xapian::MatchSpy& spy) {
    spy_all(db, q, {&spy});
}

/// Collects the document ids of the matches and reads nothing else.
class DocidSpy : public Xapian::MatchSpy {
  public:
    void operator()(const Xapian::Document& doc, double) override { ids.push_back(doc.get_docid()); }
    std::vector<Xapian::docid> ids;
};

/// True for one local database. DocidSpy is only valid there: over shards a
/// match spy sees each shard's own docids, and a remote shard cannot run a
/// spy that has no serialisation (Xapian's remote protocol).
bool single_database(const Xapian::Database& db) {
    return db.size() == 1;
}

/// The ids of every match of `q` on one local database, ascending. A query
/// of one term (a word, from:, list:..., most searches) is read straight off
/// its posting list: the matcher calls a spy through a Document per match,
/// about 600 instructions each (callgrind, a `kernel` page of the whole
/// linux-mips corpus: 18.6 M of the command's 63 M), the posting list a few
/// tens.
std::vector<Xapian::docid> matching_ids(Xapian::Database& db, const Xapian::Query& q,
                                        double time_limit = 0) {
    Xapian::Query leaf = q; // (a boolean filter alone is 0 * term)
    if (leaf.get_type() == Xapian::Query::OP_SCALE_WEIGHT && leaf.get_num_subqueries() == 1)
        leaf = leaf.get_subquery(0);
    if (leaf.get_type() == Xapian::Query::LEAF_TERM) {
        const auto t = leaf.get_terms_begin();
        if (t != leaf.get_terms_end()) {
            // The term once: `*t` makes a new std::string at every call
            // (2.1 M instructions over `kernel`'s 31,143 matches).
            const std::string term = *t;
            std::vector<Xapian::docid> ids;
            ids.reserve(db.get_termfreq(term));
            const auto end = db.postlist_end(term);
            for (auto p = db.postlist_begin(term); p != end; ++p)
                ids.push_back(*p);
            return ids;
        }
    }
    DocidSpy spy;
    spy_all(db, q, {&spy}, time_limit);
    return std::move(spy.ids);
}

/// Calls take(i, value) for each ids[i] (ascending) that has a value in
/// `slot`, walking the slot's value stream once with skip_to. (Stepping
/// with ++ to near ids cost more: 72 -> 88 M instructions for a `kernel`
/// page of the whole linux-mips corpus, callgrind.)
template <typename Take>
void for_each_value(Xapian::Database& db, Xapian::valueno slot,
                    const std::vector<Xapian::docid>& ids, Take&& take) {
    const auto end = db.valuestream_end(slot);
    auto v = db.valuestream_begin(slot);
    for (size_t i = 0; i < ids.size() && v != end; ++i) {
        v.skip_to(ids[i]);
        if (v != end && v.get_docid() == ids[i]) take(i, *v);
    }
}

/// What facets are made of: per facet value slot (schema.hpp), the matches
/// holding each value, and the number of matches.
struct FacetCounts {
    uint64_t matches = 0;
    std::unordered_map<std::string, uint64_t> lists, authors, months;
    /// Single database only: each author's first matches in docid order (up
    /// to kNameProbe), where its display name is looked for.
    std::unordered_map<std::string, std::vector<Xapian::docid>> author_docs;
    bool have_author_docs = false;
};

/// Matches of an author looked at for its display name.
constexpr size_t kNameProbe = 50;

/// Over shards (local or remote): Xapian::ValueCountMatchSpy on the facet
/// slots, the one spy that Xapian's remote protocol can run on a stock
/// xapian-tcpsrv. (A spy of our own, reading the document data, made remote
/// shards fail.)
FacetCounts spy_facets(Xapian::Database& db, const Xapian::Query& q, double time_limit) {
    Xapian::ValueCountMatchSpy lists{kSlotFacetLists}, authors{kSlotFacetAuthor},
        months{kSlotFacetMonth};
    spy_all(db, q, {&lists, &authors, &months}, time_limit);
    FacetCounts f;
    f.matches = months.get_total();
    auto take = [](const Xapian::ValueCountMatchSpy& spy, auto& into) {
        for (auto v = spy.values_begin(); v != spy.values_end(); ++v)
            into[*v] += v.get_termfreq();
    };
    take(lists, f.lists);
    take(authors, f.authors);
    take(months, f.months);
    return f;
}

/// The month facet (facet_month_value(), as in kSlotFacetMonth) of each date
/// in `dates`, counted into `months`. Matches come in docid order, which is
/// nearly date order: the month of the match before is checked first ([lo,
/// hi) in UTC), and only a date outside it costs a calendar conversion and a
/// lookup.
void count_months(const std::vector<double>& dates,
                  std::unordered_map<std::string, uint64_t>& months) {
    std::unordered_map<int64_t, std::pair<int64_t, uint64_t>> by_month; // -> (a date, count)
    int64_t lo = 1, hi = 0;
    uint64_t* n = nullptr;
    for (double d : dates) {
        const auto utc = static_cast<int64_t>(d);
        if (utc < lo || utc >= hi) {
            const CivilTime t = civil_from_utc(utc);
            lo = utc_from_civil(CivilTime{t.year, t.month, 1, 0, 0, 0});
            hi = t.month == 12 ? utc_from_civil(CivilTime{t.year + 1, 1, 1, 0, 0, 0})
                               : utc_from_civil(CivilTime{t.year, t.month + 1, 1, 0, 0, 0});
            n = &by_month.try_emplace(t.year * 100 + t.month, utc, 0).first->second.second;
        }
        ++*n;
    }
    for (const auto& [key, first_and_n] : by_month)
        months[facet_month_value(first_and_n.first)] += first_and_n.second;
}

/// stream_facets() from the column file (index/columns.hpp), when it holds
/// every document's author and lists: counted per table entry (an array
/// index per match instead of a value-stream skip_to and a string hash),
/// turned into facet values once per distinct entry. The same counts as the
/// value streams: empty addresses and list sets are not counted (Xapian
/// stores no empty value), entries sharing an address are summed. nullopt
/// when a match has no cell or no date (the caller reads the value streams).
std::optional<FacetCounts> column_facets(const Columns& cols, const std::vector<Xapian::docid>& ids,
                                         const std::vector<double>* dates, uint64_t author_max) {
    if (!cols.has_authors()) return std::nullopt;
    FacetCounts f;
    f.matches = ids.size();
    f.have_author_docs = true;
    const bool want_authors = !(author_max && ids.size() > author_max);
    const bool have_dates = dates && dates->size() == ids.size();
    std::vector<double> own_dates;
    if (!have_dates) own_dates.reserve(ids.size());
    std::unordered_map<uint32_t, uint64_t> sets;
    struct Author {
        uint64_t n = 0;
        std::vector<Xapian::docid> first;
    };
    std::unordered_map<uint32_t, Author> authors;
    uint32_t last_set = Columns::kNone;
    uint64_t* last_n = nullptr;
    for (Xapian::docid id : ids) {
        const Columns::Cell* c = cols.cell(id);
        if (!c || c->lists == Columns::kNone || c->author == Columns::kNone) return std::nullopt;
        if (!have_dates) {
            if (std::isnan(c->date)) return std::nullopt;
            own_dates.push_back(c->date);
        }
        if (!last_n || c->lists != last_set) last_n = &sets[c->lists], last_set = c->lists;
        ++*last_n;
        if (want_authors) {
            Author& a = authors[c->author];
            ++a.n;
            if (a.first.size() < kNameProbe) a.first.push_back(id);
        }
    }
    count_months(have_dates ? *dates : own_dates, f.months);
    std::vector<std::string_view> names;
    for (const auto& [set, n] : sets) {
        names.clear(); // lists() appends
        if (!cols.lists(set, names)) return std::nullopt;
        std::string v = facet_lists_value(std::vector<std::string>(names.begin(), names.end()));
        if (!v.empty()) f.lists[v] += n;
    }
    for (auto& [i, a] : authors) {
        const auto who = cols.author(i);
        if (!who) return std::nullopt;
        if (who->address.empty()) continue;
        std::string addr(who->address);
        f.authors[addr] += a.n;
        auto& first = f.author_docs[addr];
        if (first.empty()) {
            first = std::move(a.first);
        } else { // two names of one address: the first matches of both
            first.insert(first.end(), a.first.begin(), a.first.end());
            std::sort(first.begin(), first.end());
            if (first.size() > kNameProbe) first.resize(kNameProbe);
        }
    }
    return f;
}

/// On one local database: the matching docids (ascending), then one pass
/// along each facet slot's value stream. A ValueCountMatchSpy fetched the
/// three values through each match's Document and kept a std::map of
/// strings per slot: with the display-name lookups (one query per shown
/// author) the facets of a `kernel` page cost 116 M instructions, more than
/// the page itself (callgrind, whole linux-mips corpus). `dates`, when given
/// (parallel to `ids`, the date slot of each match, read for the page
/// already), gives the months without reading their slot.
FacetCounts stream_facets(Xapian::Database& db, const std::vector<Xapian::docid>& ids,
                          const std::vector<double>* dates = nullptr, uint64_t author_max = 0,
                          const Columns* cols = nullptr) {
    if (cols) {
        if (auto f = column_facets(*cols, ids, dates, author_max)) return std::move(*f);
    }
    FacetCounts f;
    f.matches = ids.size();
    f.have_author_docs = true;
    // Most messages are in the list of the message before: one hash lookup
    // per change of value, not per match.
    std::string last_lists;
    uint64_t* last_n = nullptr;
    for_each_value(db, kSlotFacetLists, ids, [&](size_t, const std::string& v) {
        if (!last_n || v != last_lists) last_n = &f.lists[v], last_lists = v;
        ++*last_n;
    });
    if (dates && dates->size() == ids.size()) {
        count_months(*dates, f.months);
    } else {
        for_each_value(db, kSlotFacetMonth, ids,
                       [&](size_t, const std::string& v) { ++f.months[v]; });
    }
    if (author_max && ids.size() > author_max) return f; // authors not counted
    struct Author {
        uint64_t n = 0;
        std::vector<Xapian::docid> first;
    };
    std::unordered_map<std::string, Author> authors;
    for_each_value(db, kSlotFacetAuthor, ids, [&](size_t i, const std::string& v) {
        Author& a = authors[v];
        ++a.n;
        if (a.first.size() < kNameProbe) a.first.push_back(ids[i]);
    });
    f.authors.reserve(authors.size());
    f.author_docs.reserve(authors.size());
    for (auto& [addr, a] : authors) {
        f.authors.emplace(addr, a.n);
        f.author_docs.emplace(addr, std::move(a.first));
    }
    return f;
}

FacetCounts count_facets(Xapian::Database& db, const Xapian::Query& q, double time_limit,
                         uint64_t author_max = 0, const Columns* cols = nullptr) {
    if (!single_database(db)) {
        FacetCounts f = spy_facets(db, q, time_limit);
        if (author_max && f.matches > author_max) f.authors.clear();
        return f;
    }
    return stream_facets(db, matching_ids(db, q, time_limit), nullptr, author_max, cols);
}

/// The name shown for `addr`: the first non-empty author name on the matches
/// of `q` from that exact address, in docid order (among its first
/// kNameProbe matches); empty if none. With a single database those matches
/// were noted while counting; over shards they are found through the
/// author's A term.
std::string author_name(Xapian::Database& db, const Xapian::Query& q, const FacetCounts& counts,
                        const std::string& addr) {
    if (addr.empty() || !index_field(FieldId::from).exact) return {};
    auto name_in = [&](const Xapian::Document& doc) -> std::string {
        auto d = decode_doc_data(doc.get_data());
        return d.ok() && d->from_addr == addr ? d->from_name : std::string();
    };
    if (counts.have_author_docs) {
        const auto it = counts.author_docs.find(addr);
        if (it == counts.author_docs.end()) return {};
        for (Xapian::docid id : it->second)
            if (std::string name = name_in(db.get_document(id)); !name.empty()) return name;
        return {};
    }
    Xapian::Enquire e(db);
    e.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, q,
                      Xapian::Query(make_term(prefix_of(FieldId::from), ascii_lower(addr)))));
    e.set_weighting_scheme(Xapian::BoolWeight());
    e.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::MSet ms = e.get_mset(0, kNameProbe);
    for (auto it = ms.begin(); it != ms.end(); ++it)
        if (std::string name = name_in(it.get_document()); !name.empty()) return name;
    return {};
}

/// The facets of `counts` (the matches of `q`), the top `max_authors`
/// authors named (0: all).
Facets facets_of(Xapian::Database& db, const Xapian::Query& q, const FacetCounts& counts,
                 size_t max_authors) {
    Facets f;
    f.messages = counts.matches;
    auto by_count = [](const FacetCount& a, const FacetCount& b) {
        return a.count != b.count ? a.count > b.count : a.key < b.key;
    };
    std::unordered_map<std::string, uint64_t> lists; // a key holds all lists of a message
    for (const auto& [v, n] : counts.lists)
        for (auto& l : split(v, '\0', true))
            lists[l] += n;
    for (auto& [name, n] : lists)
        f.lists.push_back({name, name, n});
    std::sort(f.lists.begin(), f.lists.end(), by_count);
    for (const auto& [v, n] : counts.authors)
        f.authors.push_back({v, v, n});
    std::sort(f.authors.begin(), f.authors.end(), by_count);
    f.authors_total = f.authors.size();
    if (max_authors && f.authors.size() > max_authors) f.authors.resize(max_authors);
    for (auto& a : f.authors)
        if (std::string name = author_name(db, q, counts, a.key); !name.empty())
            a.label = std::move(name);
    for (const auto& [v, n] : counts.months)
        f.months.push_back({v, v, n});
    std::sort(f.months.begin(), f.months.end(),
              [](const FacetCount& a, const FacetCount& b) { return a.key < b.key; });
    return f;
}

/// The encoded document data (encode_doc_data) of many documents, fetched at
/// once and kept in one buffer.
class DocBytes {
  public:
    /// Adds the data of those of `ids` not held yet. On one local database
    /// they are read in docid order along the data slot's value stream (a
    /// skip_to each, no zlib: `search --limit 100000 from:ralf@linux-mips.org`
    /// on the whole linux-mips corpus read 14,000 documents' data one by one,
    /// about 17,000 instructions each, half of them inflating); documents
    /// without the slot (an index made before it) and sharded indexes are
    /// read one by one, as doc_data() does.
    void fetch(Xapian::Database& db, std::vector<Xapian::docid> ids) {
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        ids.erase(
            std::remove_if(ids.begin(), ids.end(), [&](Xapian::docid id) { return held(id); }),
            ids.end());
        const size_t old = at_.size();
        std::vector<bool> got(ids.size(), false);
        if (single_database(db)) {
            for_each_value(db, kSlotDocData, ids, [&](size_t i, const std::string& v) {
                add(ids[i], v);
                got[i] = true;
            });
        }
        for (size_t i = 0; i < ids.size(); ++i) {
            if (got[i]) continue;
            add(ids[i], query_detail::doc_data_bytes(db.get_document(ids[i], Xapian::DOC_ASSUME_VALID)));
        }
        if (!std::is_sorted(at_.begin() + static_cast<std::ptrdiff_t>(old), at_.end()))
            std::sort(at_.begin() + static_cast<std::ptrdiff_t>(old), at_.end());
        std::inplace_merge(at_.begin(), at_.begin() + static_cast<std::ptrdiff_t>(old), at_.end());
    }
    /// The bytes of `id` (empty when not fetched).
    std::string_view get(Xapian::docid id) const {
        const auto it = std::lower_bound(at_.begin(), at_.end(), Entry{id, 0, 0});
        if (it == at_.end() || it->id != id) return {};
        return std::string_view(bytes_).substr(it->offset, it->size);
    }

  private:
    struct Entry {
        Xapian::docid id;
        size_t offset, size;
        bool operator<(const Entry& o) const { return id < o.id; }
    };
    bool held(Xapian::docid id) const { return !get(id).empty(); }
    void add(Xapian::docid id, std::string_view v) {
        at_.push_back(Entry{id, bytes_.size(), v.size()});
        bytes_.append(v);
    }
    std::vector<Entry> at_; // sorted by id
    std::string bytes_;
};

Error damaged_doc_data(Xapian::docid id) {
    return make_error(Errc::bad_input,
                      "search index document data of message " + std::to_string(id) + " is damaged",
                      "run `mlarc index --rebuild`");
}

/// Thread totals, matching counts, dates, lists and authors of thread hits.
/// `all_matches`: every match of `q`, ascending, when the page was made
/// from them (thread_page_by_date); the matching messages of the threads are
/// then looked up there. Otherwise they are found by a query: `q` filtered
/// by the threads' terms (an OR of 4,044 terms for `--limit 100000
/// from:ralf@linux-mips.org` cost 103 M of the command's 360 M instructions).
Status fill_threads(Xapian::Database& db, const Xapian::Query& q, std::vector<Hit>& hits,
                    DocBytes& docs, const std::vector<Xapian::docid>* all_matches,
                    const Columns* cols) {
    if (cols && !cols->has_authors()) cols = nullptr; // an index without the data slot
    if (hits.empty()) return {};
    // Every message of every thread (members[first[i] .. first[i + 1]) for
    // hit i; their number is the thread's total), their data read at once in
    // docid order.
    std::vector<Xapian::docid> members;
    std::vector<size_t> first;
    first.reserve(hits.size() + 1);
    for (auto& h : hits) {
        first.push_back(members.size());
        const std::string t = thread_term(h.thread_id);
        for (auto p = db.postlist_begin(t); p != db.postlist_end(t); ++p)
            members.push_back(*p);
        h.total = members.size() - first.back();
    }
    first.push_back(members.size());
    const auto sum = static_cast<Xapian::doccount>(members.size());
    if (!cols) docs.fetch(db, members);

    std::unordered_set<Xapian::docid> matched_set;
    if (!all_matches) {
        std::vector<Xapian::Query> terms;
        for (const auto& h : hits)
            terms.emplace_back(thread_term(h.thread_id));
        Xapian::Enquire e(db);
        e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q,
                                  Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end())));
        e.set_weighting_scheme(Xapian::BoolWeight());
        e.set_docid_order(Xapian::Enquire::ASCENDING);
        const Xapian::MSet ms = e.get_mset(0, sum, sum);
        matched_set.insert(ms.begin(), ms.end());
    }
    auto is_match = [&](Xapian::docid id) {
        return all_matches ? std::binary_search(all_matches->begin(), all_matches->end(), id)
                           : matched_set.count(id) > 0;
    };

    struct Msg {
        int64_t date;
        std::string_view name, address;
        bool matched;
    };
    std::vector<Msg> msgs;
    std::vector<std::string_view> lists, seen;
    DocDataAuthor d;
    for (size_t i = 0; i < hits.size(); ++i) {
        Hit& h = hits[i];
        msgs.clear();
        lists.clear();
        h.matched = 0;
        h.first_utc = h.last_utc = h.date_utc;
        for (size_t k = first[i]; k < first[i + 1]; ++k) {
            const Xapian::docid id = members[k];
            if (cols) { // the column file has it all
                const Columns::Cell* c = cols->cell(id);
                const auto a = c ? cols->author(c->author) : std::nullopt;
                d.lists.clear();
                if (!a || std::isnan(c->date) || !cols->lists(c->lists, d.lists))
                    return damaged_doc_data(id);
                d.from_name = a->name;
                d.from_addr = a->address;
                d.date_utc = static_cast<int64_t>(c->date);
            } else if (!decode_doc_data_author(docs.get(id), d)) {
                return damaged_doc_data(id);
            }
            const bool m = is_match(id);
            h.matched += m ? 1 : 0;
            h.first_utc = std::min(h.first_utc, d.date_utc);
            h.last_utc = std::max(h.last_utc, d.date_utc);
            lists.insert(lists.end(), d.lists.begin(), d.lists.end());
            msgs.push_back({d.date_utc, d.from_name, d.from_addr, m});
        }
        std::stable_sort(msgs.begin(), msgs.end(), [](const Msg& a, const Msg& b) {
            if (a.matched != b.matched) return a.matched;
            return a.date < b.date;
        });
        // Distinct authors (by address, or name without one), first seen
        // first; a thread has a few, so a sorted vector of keys does.
        seen.clear();
        h.authors.clear();
        for (const auto& m : msgs) {
            const std::string_view key = m.address.empty() ? m.name : m.address;
            const auto at = std::lower_bound(seen.begin(), seen.end(), key);
            if (at != seen.end() && *at == key) continue;
            seen.insert(at, key);
            h.authors.push_back(AuthorRef{std::string(m.name), std::string(m.address), m.matched});
        }
        std::sort(lists.begin(), lists.end());
        lists.erase(std::unique(lists.begin(), lists.end()), lists.end());
        h.lists.assign(lists.begin(), lists.end());
    }
    return {};
}

/// Bodies from the store -> highlighted snippets (query/snippet.hpp). Hits
/// whose message is not in the store are dropped and counted in `skipped`.
Status add_snippets(Archive& archive, const Xapian::Query& q, const Archive::IndexSettings& index,
                    const SearchOptions& o, std::vector<Hit>& hits, uint64_t& skipped) {
    if (hits.empty()) return {};
    auto store = archive.store();
    if (!store.ok()) return store.error();
    auto st = (*store)->db().prepare("SELECT body FROM message_text WHERE message_id=?");
    if (!st.ok()) return st.error();
    const Xapian::Stem stem =
        index.stemming == "none" ? Xapian::Stem() : Xapian::Stem(index.language);
    query_detail::Snippeter snippeter(query_detail::highlight_terms(q, index.stemming == "all"),
                                      stem);
    // The snippet comes from the first kMaxSnippetSource bytes of the body.
    // Most are settled within its first kFirstTry bytes (a query without
    // free-text terms takes the head; a one-word query stops at its first
    // match): those bytes are tried first, cut after their last whole line so
    // that indexable_text() (line by line, forward only) gives the start of
    // what the whole head gives, and that snippet is kept when the Snippeter
    // says no longer text could change it.
    constexpr size_t kMaxSnippetSource = 32 * 1024;
    constexpr size_t kFirstTry = 4 * 1024;
    std::vector<Hit> kept;
    kept.reserve(hits.size());
    for (auto& h : hits) {
        st->bind(1, h.message_id);
        auto row = st->step();
        if (!row.ok()) return row.error();
        if (!*row) {
            ++skipped;
            st->reset();
            continue;
        }
        const std::string_view body = st->text_view(0).substr(0, kMaxSnippetSource);
        bool settled = false;
        if (body.size() > kFirstTry) {
            const size_t eol = body.substr(0, kFirstTry).rfind('\n');
            if (eol != std::string_view::npos) {
                const std::string text = one_line(indexable_text(body.substr(0, eol + 1)));
                h.snippet = snippeter.make(text, o.snippet_bytes, o.hi_start, o.hi_end, &settled);
            }
        }
        if (!settled)
            h.snippet = snippeter.make(one_line(indexable_text(body)), o.snippet_bytes, o.hi_start, o.hi_end);
        st->reset();
        kept.push_back(std::move(h));
    }
    hits = std::move(kept);
    return {};
}

/// Distinct thread ids of the documents `ids` (matching_threads(): those
/// matching `q`): their thread slot read through one value stream in docid order. (A
/// ValueCountMatchSpy reads the slot through each match's Document and keeps
/// a map of strings: about twice the instructions, callgrind on the
/// 2017-2019 linux-mips slice, a `kernel` page.)
std::vector<int64_t> threads_of(Xapian::Database& db, std::vector<Xapian::docid> ids,
                                const Columns* cols) {
    std::sort(ids.begin(), ids.end());
    std::vector<int64_t> out;
    out.reserve(ids.size());
    if (cols) {
        for (Xapian::docid id : ids) {
            const Columns::Cell* c = cols->cell(id);
            if (c && c->thread != Columns::kNoThread) out.push_back(c->thread);
        }
    } else {
        for_each_value(db, kSlotThread, ids,
                       [&](size_t, const std::string& v) { out.push_back(thread_of_value(v)); });
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<int64_t> matching_threads(Xapian::Database& db, const Xapian::Query& q,
                                      const Columns* cols) {
    if (single_database(db)) {
        return threads_of(db, matching_ids(db, q), cols);
    }
    Xapian::ValueCountMatchSpy spy(kSlotThread); // serialisable: works on remote shards
    spy_all(db, q, spy);
    std::vector<int64_t> out;
    for (auto v = spy.values_begin(); v != spy.values_end(); ++v)
        out.push_back(thread_of_value(*v));
    std::sort(out.begin(), out.end());
    return out;
}

/// The documents of one result page, in display order, with the totals and
/// the MSet they came from (MSet::snippet() needs it).
struct Page {
    std::vector<Xapian::docid> docs;
    Total messages;
    Total threads{0, false};
    Xapian::MSet mset;
    /// Every match, ascending, when the page was made from them all
    /// (thread_page_by_date): facets are then counted without a second
    /// pass over the query.
    std::vector<Xapian::docid> matches;
    std::vector<double> match_dates; // parallel to matches: the date slot
    bool have_matches = false;
};

/// Sorts the matches: by the date slot (boolean weighting: the matcher
/// visits every match, so totals are exact) or by BM25 relevance (newest
/// first among equals; totals exact up to kExactTotalBound).
Xapian::Enquire sorted_enquire(Xapian::Database& db, const Xapian::Query& q, SortOrder sort,
                               double time_limit) {
    Xapian::Enquire e(db);
    e.set_query(q);
    if (time_limit > 0) e.set_time_limit(time_limit);
    if (sort == SortOrder::relevance) {
        e.set_sort_by_relevance_then_value(kSlotDate, true);
    } else {
        e.set_weighting_scheme(Xapian::BoolWeight());
        e.set_sort_by_value(kSlotDate, sort == SortOrder::newest);
    }
    return e;
}

/// Thread pages, without Enquire's collapse key (which makes the matcher keep
/// a heap entry per thread: several times slower than a plain sort on large
/// result sets). The matches are sorted once; the threads are then read off
/// the head of that list in order, each represented by its first message
/// there (its newest, oldest or best match), until the page is full. The
/// thread total is exact when the whole list was read or at most
/// kExactTotalBound messages match (one counting pass); above that it is
/// estimated from the part read, and flagged as an estimate.
Page thread_page(Xapian::Database& db, const Xapian::Query& q, const SearchOptions& o,
                 const Columns* cols) {
    Xapian::Enquire e = sorted_enquire(db, q, o.sort, o.time_limit);
    // The matcher visits every match up to kExactTotalBound anyway (for the
    // exact total): the spy keeps their ids, so counting the threads needs no
    // second pass over the query.
    DocidSpy spy;
    if (single_database(db)) e.add_matchspy(&spy); // else matching_threads() below
    const size_t need = o.offset + o.limit;
    Xapian::doccount want = static_cast<Xapian::doccount>(std::max<size_t>(64, need * 4));
    Page p;
    std::vector<Xapian::docid> reps;
    Xapian::doccount scanned = 0;
    for (;;) {
        spy.ids.clear();
        p.mset = e.get_mset(0, want, std::max<Xapian::doccount>(want, kExactTotalBound));
        reps.clear();
        std::unordered_set<std::string> seen;
        std::unordered_set<int64_t> seen_ids; // from the column file
        scanned = 0;
        for (auto it = p.mset.begin(); it != p.mset.end() && reps.size() <= need; ++it) {
            ++scanned;
            const Columns::Cell* c = cols ? cols->cell(*it) : nullptr;
            if (c ? seen_ids.insert(c->thread).second
                  : seen.insert(it.get_document().get_value(kSlotThread)).second)
                reps.push_back(*it);
        }
        if (reps.size() > need || p.mset.size() < want) break;
        want *= 4;
    }
    const Xapian::doccount total = p.mset.get_matches_estimated();
    p.messages = total_of(p.mset.get_matches_lower_bound(), total, p.mset.get_matches_upper_bound());
    // The spy saw every match: keep them (ascending) for the facets and the
    // thread lines, as thread_page_by_date() does, instead of a second pass
    // over the query for each (web `q=irq&sort=relevance`: 30.9 -> 29.5 M
    // instructions, `q=octeon&sort=relevance` 22.1 -> 20.4 M).
    const bool spied_all = p.messages.exact && spy.ids.size() == total;
    if (spied_all) {
        if (!std::is_sorted(spy.ids.begin(), spy.ids.end()))
            std::sort(spy.ids.begin(), spy.ids.end());
        p.matches = spy.ids;
        p.have_matches = true;
    }
    if (scanned == total && p.messages.exact) {
        p.threads = Total{reps.size(), true};
    } else if (total <= kExactTotalBound && p.messages.exact) {
        p.threads = Total{
            (spied_all ? threads_of(db, std::move(spy.ids), cols) : matching_threads(db, q, cols))
                .size(),
            true};
    } else {
        const double ratio = static_cast<double>(reps.size()) / std::max<Xapian::doccount>(scanned, 1);
        p.threads = Total{std::max<uint64_t>(reps.size(), static_cast<uint64_t>(ratio * total + 0.5)), false};
    }
    for (size_t i = o.offset; i < reps.size() && i < need; ++i) p.docs.push_back(reps[i]);
    return p;
}

/// The number of distinct thread ids key(x) over `v`: a bitmap over the ids'
/// range when it is at most 64 ids per element (thread ids are store ids, dense
/// in practice), else a sort.
template <typename T, typename Key>
uint64_t count_distinct_threads(const std::vector<T>& v, Key key) {
    if (v.empty()) return 0;
    int64_t lo = key(v.front()), hi = lo;
    for (const T& x : v) {
        lo = std::min(lo, key(x));
        hi = std::max(hi, key(x));
    }
    const auto span = static_cast<uint64_t>(hi - lo) + 1;
    if (span / 64 <= v.size()) {
        std::vector<uint64_t> bits(span / 64 + 1, 0);
        uint64_t n = 0;
        for (const T& x : v) {
            const auto i = static_cast<uint64_t>(key(x) - lo);
            const uint64_t bit = uint64_t{1} << (i % 64);
            n += (bits[i / 64] & bit) ? 0 : 1;
            bits[i / 64] |= bit;
        }
        return n;
    }
    std::vector<int64_t> ids;
    ids.reserve(v.size());
    for (const T& x : v)
        ids.push_back(key(x));
    std::sort(ids.begin(), ids.end());
    return static_cast<uint64_t>(std::unique(ids.begin(), ids.end()) - ids.begin());
}

/// Thread pages sorted by date on one local database. Xapian's sort by value
/// fetches each match's date through its own lookup (about 1,300
/// instructions a match; callgrind, `mlarc search kernel` on the 2017-2019
/// linux-mips slice: half of the whole command). Here the matcher only
/// collects the matching docids (boolean weighting, docid order), then one
/// pass along the date value stream and one along the thread stream read
/// both values of every match in docid order, and the sort happens in
/// memory: about a third of the instructions, and the message and thread
/// totals come out exact at any size.
Page thread_page_by_date(Xapian::Database& db, const Xapian::Query& q, const SearchOptions& o,
                         const Columns* cols) {
    std::vector<Xapian::docid> ids = matching_ids(db, q, o.time_limit); // ascending
    struct Match {
        double date;
        Xapian::docid id;
        int64_t thread;
    };
    std::vector<Match> m(ids.size(), Match{0, 0, 0});
    auto read_slot = [&](Xapian::valueno slot, auto&& store) {
        for_each_value(db, slot, ids, [&](size_t i, const std::string& v) {
            store(m[i], Xapian::sortable_unserialise(v));
        });
    };
    for (size_t i = 0; i < ids.size(); ++i)
        m[i].id = ids[i];
    if (cols) { // the same values, from the column file: no value stream reads
        for (Match& x : m) {
            const Columns::Cell* c = cols->cell(x.id);
            if (!c) continue;
            if (!std::isnan(c->date)) x.date = c->date;
            if (c->thread != Columns::kNoThread) x.thread = c->thread;
        }
    } else {
        read_slot(kSlotDate, [](Match& x, double d) { x.date = d; });
        read_slot(kSlotThread, [](Match& x, double t) { x.thread = static_cast<int64_t>(t); });
    }
    std::vector<double> dates(m.size());
    for (size_t i = 0; i < m.size(); ++i)
        dates[i] = m[i].date;
    const bool newest = o.sort == SortOrder::newest;
    auto before = [newest](const Match& a, const Match& b) {
        if (a.date != b.date) return newest ? a.date > b.date : a.date < b.date;
        return a.id < b.id;
    };
    Page p;
    p.messages = Total{m.size(), true};
    // The thread total: distinct thread ids of all matches.
    p.threads = Total{count_distinct_threads(m, [](const Match& x) { return x.thread; }), true};
    // The page: only the head of the date order is sorted, grown until it
    // holds the page's threads (a thread appears once per matching message).
    const size_t need = o.offset + o.limit;
    size_t head = std::min(m.size(), std::max<size_t>(64, need * 4));
    for (;;) {
        // The head: selected in linear time, then sorted (a partial_sort's
        // heap cost log(head) comparisons per match).
        const auto mid = m.begin() + static_cast<std::ptrdiff_t>(head);
        std::nth_element(m.begin(), mid, m.end(), before);
        std::sort(m.begin(), mid, before);
        std::unordered_set<int64_t> seen;
        size_t reps = 0;
        p.docs.clear();
        for (size_t i = 0; i < head && reps < need; ++i) {
            if (!seen.insert(m[i].thread).second) continue;
            if (reps >= o.offset) p.docs.push_back(m[i].id);
            ++reps;
        }
        if (reps >= need || head == m.size()) break;
        head = std::min(m.size(), head * 4);
    }
    p.matches = std::move(ids);
    p.match_dates = std::move(dates);
    p.have_matches = true;
    return p;
}

/// Message pages.
Page message_page(Xapian::Database& db, const Xapian::Query& q, const SearchOptions& o) {
    Xapian::Enquire e = sorted_enquire(db, q, o.sort, o.time_limit);
    Page p;
    p.mset = e.get_mset(static_cast<Xapian::doccount>(o.offset), static_cast<Xapian::doccount>(o.limit),
                        static_cast<Xapian::doccount>(std::max<uint64_t>(o.offset + o.limit, kExactTotalBound)));
    p.messages = total_of(p.mset.get_matches_lower_bound(), p.mset.get_matches_estimated(),
                          p.mset.get_matches_upper_bound());
    for (auto it = p.mset.begin(); it != p.mset.end(); ++it) p.docs.push_back(*it);
    return p;
}

} // namespace

Result<SortOrder> parse_sort_order(std::string_view name) {
    if (name == "newest") return SortOrder::newest;
    if (name == "oldest") return SortOrder::oldest;
    if (name == "relevance") return SortOrder::relevance;
    return make_error(Errc::usage, "unknown sort order '" + std::string(name) + "'",
                      "use newest, oldest or relevance");
}

std::string_view sort_order_name(SortOrder s) {
    switch (s) {
    case SortOrder::newest: return "newest";
    case SortOrder::oldest: return "oldest";
    case SortOrder::relevance: return "relevance";
    }
    return "newest";
}

Result<std::string> explain_query(Archive& archive, const QuerySpec& spec) {
    return read_index(archive, [&](Xapian::Database& db) -> Result<std::string> {
        auto c = compile(archive, db, spec);
        if (!c.ok()) return c.error();
        return c->description;
    });
}

Result<SearchResult> search(Archive& archive, const QuerySpec& spec, const SearchOptions& o) {
    if (o.limit < 1 || o.limit > kMaxLimit)
        return make_error(Errc::usage, "--limit must be between 1 and " + std::to_string(kMaxLimit),
                          "page through long results with --offset");
    if (o.offset > kMaxOffset)
        return make_error(Errc::usage, "--offset must be at most " + std::to_string(kMaxOffset),
                          "narrow the query (e.g. with --since) instead of paging that far");
    auto settings = archive.index_settings();
    if (!settings.ok()) return settings.error();
    auto out = read_index(archive, [&](Xapian::Database& db) -> Result<SearchResult> {
        auto c = compile(archive, db, spec);
        if (!c.ok()) return c.error();
        const Xapian::Query* q = &c->query;
        const auto started = std::chrono::steady_clock::now();
        auto over_time = [&] {
            return o.time_limit > 0 &&
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() >=
                       o.time_limit;
        };
        SearchResult res;
        res.query = spec.text;
        res.description = c->description;
        res.by_thread = !o.messages;
        res.sort = o.sort;
        res.offset = o.offset;
        res.limit = o.limit;

        Page page = !res.by_thread ? message_page(db, *q, o)
                    : o.sort != SortOrder::relevance && single_database(db)
                        ? thread_page_by_date(db, *q, o, archive.columns(db))
                        : thread_page(db, *q, o, archive.columns(db));
        res.messages = page.messages;
        res.threads = page.threads;
        if (over_time()) {
            res.timed_out = true;
            return res;
        }
        DocBytes docs;
        docs.fetch(db, page.docs);
        for (Xapian::docid id : page.docs) {
            auto d = decode_doc_data(docs.get(id));
            if (!d.ok()) return d.error();
            Hit h;
            h.message_id = d->id;
            h.mid = std::move(d->mid);
            h.thread_id = d->thread_id;
            h.subject = std::move(d->subject);
            h.date_utc = h.first_utc = h.last_utc = d->date_utc;
            h.date_offset = d->date_offset;
            h.attachments = d->attachments;
            h.flags = d->flags;
            h.lists = std::move(d->lists);
            h.authors.push_back(AuthorRef{std::move(d->from_name), std::move(d->from_addr), true});
            res.hits.push_back(std::move(h));
        }
        if (res.by_thread) {
            MLARC_TRY_STATUS(fill_threads(db, *q, res.hits, docs,
                                          page.have_matches ? &page.matches : nullptr,
                                          archive.columns(db)));
        } else {
            for (auto& h : res.hits)
                h.total = db.get_termfreq(thread_term(h.thread_id));
        }
        if (o.snippets && !res.hits.empty()) {
            MLARC_TRY_STATUS(add_snippets(archive, c->parsed, *settings, o, res.hits, res.skipped));
        }
        if (o.facets) {
            res.facets =
                facets_of(db, *q,
                          page.have_matches ? stream_facets(db, page.matches, &page.match_dates,
                                                            o.facet_author_max, archive.columns(db))
                                            : count_facets(db, *q, o.time_limit, o.facet_author_max,
                                                           archive.columns(db)),
                          20);
        }
        res.timed_out = over_time();
        return res;
    });
    if (out.ok()) out->missing_shards = archive.missing_shards();
    return out;
}

Result<uint64_t> count(Archive& archive, const QuerySpec& spec, bool threads) {
    return read_index(archive, [&](Xapian::Database& db) -> Result<uint64_t> {
        auto c = compile(archive, db, spec);
        if (!c.ok()) return c.error();
        const Xapian::Query* q = &c->query;
        if (threads)
            return static_cast<uint64_t>(matching_threads(db, *q, archive.columns(db)).size());
        // One term (a word, from:address, list:x...): its frequency is the
        // exact count, no need to walk its posting list.
        Xapian::Query leaf = *q; // (a boolean filter alone is 0 * term)
        if (leaf.get_type() == Xapian::Query::OP_SCALE_WEIGHT && leaf.get_num_subqueries() == 1)
            leaf = leaf.get_subquery(0);
        if (leaf.get_type() == Xapian::Query::LEAF_TERM) {
            const auto t = leaf.get_terms_begin();
            if (t != leaf.get_terms_end()) return static_cast<uint64_t>(db.get_termfreq(*t));
        }
        Xapian::Enquire e(db);
        e.set_query(*q);
        e.set_weighting_scheme(Xapian::BoolWeight());
        e.set_docid_order(Xapian::Enquire::ASCENDING);
        const Xapian::MSet ms = e.get_mset(0, 0, db.get_doccount());
        if (ms.get_matches_lower_bound() == ms.get_matches_upper_bound())
            return static_cast<uint64_t>(ms.get_matches_estimated());
        // Never seen with a single local database, but a count must be exact.
        return static_cast<uint64_t>(e.get_mset(0, db.get_doccount()).size());
    });
}

Result<Facets> facets(Archive& archive, const QuerySpec& spec, size_t max_authors) {
    return read_index(archive, [&](Xapian::Database& db) -> Result<Facets> {
        auto c = compile(archive, db, spec);
        if (!c.ok()) return c.error();
        const Xapian::Query* q = &c->query;
        return facets_of(db, *q, count_facets(db, *q, 0, 0, archive.columns(db)), max_authors);
    });
}

namespace {

/// For every term with `prefix`: the number of matches of `q` that have it
/// (the term's frequency when `q` matches everything), as (term, count).
std::vector<std::pair<std::string, uint64_t>>
term_counts(Xapian::Database& db, const Xapian::Query& q, const std::string& prefix) {
    std::vector<std::pair<std::string, uint64_t>> out;
    const bool all = q.get_type() == Xapian::Query::LEAF_MATCH_ALL;
    Xapian::Enquire e(db);
    e.set_weighting_scheme(Xapian::BoolWeight());
    e.set_docid_order(Xapian::Enquire::ASCENDING);
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
        const std::string term = *t;
        uint64_t n = 0;
        if (all) {
            n = t.get_termfreq();
        } else {
            e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(term)));
            n = e.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
        }
        if (n) out.emplace_back(term.substr(prefix.size()), n);
    }
    return out;
}

/// "YYYYMM" month term values -> month facet counts, ascending.
std::vector<FacetCount> months_of(const std::vector<std::pair<std::string, uint64_t>>& terms) {
    std::vector<FacetCount> out;
    for (const auto& [ym, n] : terms) {
        if (ym.size() != 6 || ym.find_first_not_of("0123456789") != std::string::npos) continue;
        const std::string key = ym.substr(0, 4) + "-" + ym.substr(4);
        out.push_back({key, key, n});
    }
    return out;
}

} // namespace

Result<std::vector<FacetCount>> month_counts(Archive& archive, const QuerySpec& spec) {
    return read_index(archive, [&](Xapian::Database& db) -> Result<std::vector<FacetCount>> {
        auto c = compile(archive, db, spec);
        if (!c.ok()) return c.error();
        auto out = months_of(term_counts(db, c->query, std::string(prefix_of(FieldId::month))));
        std::reverse(out.begin(), out.end());
        return out;
    });
}

Result<std::vector<int64_t>> matching_ids(Archive& archive, const QuerySpec& spec, bool whole_threads) {
    return read_index(archive, [&](Xapian::Database& db) -> Result<std::vector<int64_t>> {
        auto c = compile(archive, db, spec);
        if (!c.ok()) return c.error();
        const Xapian::Query* q = &c->query;
        std::vector<int64_t> ids;
        if (whole_threads) {
            for (int64_t t : matching_threads(db, *q, archive.columns(db))) {
                const std::string term = thread_term(t);
                for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p)
                    ids.push_back(*p);
            }
            std::sort(ids.begin(), ids.end());
            ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
            return ids;
        }
        Xapian::Enquire e(db);
        e.set_query(*q);
        e.set_weighting_scheme(Xapian::BoolWeight());
        e.set_docid_order(Xapian::Enquire::ASCENDING);
        const Xapian::MSet ms = e.get_mset(0, db.get_doccount());
        ids.reserve(ms.size());
        for (auto it = ms.begin(); it != ms.end(); ++it) ids.push_back(*it);
        return ids;
    });
}

} // namespace mlarc
