// Fuzz harness for query text compiled against a real index: the whole query
// module front (check_query_text, Xapian's QueryParser with our field
// processors, the filters) and the phrase pair rewrite (with_phrase_pairs,
// index/schema.hpp), on a small archive built once per process in a
// temporary directory (200 messages of text made from a fixed vocabulary in
// which common words sit next to each other in many orders).
//
// Invariants checked:
//  - no exception; an accepted text that does not compile is Errc::usage
//    (a query problem) with a message;
//  - the query as run (through phrase pairs) matches exactly the documents
//    the query as parsed matches (Xapian checking positions), whatever the
//    operators around the phrases (NEAR, ADJ/n, OR, NOT, wildcards, fields);
//  - compiling is deterministic.
#pragma once

#include "fuzz/harness_common.hpp"
#include "index/indexer.hpp"
#include "query/archive.hpp"
#include "query/detail.hpp"
#include "store/store.hpp"
#include "xapian_support.hpp"

#include <unistd.h>

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlarc::fuzz {
namespace query_index_harness {

/// The words the archive's text is made of: most of the pair words and some
/// ordinary ones, so that random phrases over them match now and then.
inline constexpr std::array<std::string_view, 24> kWords{
    "the",  "of",    "to",     "a",       "in",     "and",     "is",  "for",
    "this", "patch", "kernel", "meeting", "cache",  "minutes", "fix", "on",
    "it",   "not",   "data",   "group",   "report", "with",    "by",  "tlb"};

/// A small indexed archive in a temporary directory, removed at exit.
class FuzzArchive {
  public:
    FuzzArchive() {
        dir_ = std::filesystem::temp_directory_path() /
               ("mlarc-fuzz-query-index-" + std::to_string(::getpid()));
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
        ok_ = build();
        if (ok_) archive_.emplace(Archive::at(dir_));
    }
    ~FuzzArchive() {
        archive_.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    FuzzArchive(const FuzzArchive&) = delete;
    FuzzArchive& operator=(const FuzzArchive&) = delete;

    bool ok() const { return ok_; }
    Archive& archive() { return *archive_; }

  private:
    bool build() {
        auto store = Store::open(dir_, Store::Mode::read_write);
        if (!store.ok()) return false;
        auto list = store->ensure_list(ListInfo{0, "fgdpm", "fgdpm@example.org", -1, ""});
        auto wg = store->ensure_list(ListInfo{0, "fgdpmwg3", "wg3@example.org", 3, "WG 3"});
        if (!list.ok() || !wg.ok()) return false;
        SourceInfo si;
        si.path = "/fuzz/input.mbox";
        si.list_id = list->id;
        si.format = "mboxrd";
        auto src = store->create_source(si);
        if (!src.ok() || !store->begin_batch().ok()) return false;
        uint64_t x = 20170719; // a fixed LCG: the same archive every run
        auto word = [&] {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            return kWords[(x >> 33) % kWords.size()];
        };
        auto text = [&](int n) {
            std::string t;
            for (int i = 0; i < n; ++i)
                t.append(i ? " " : "").append(word());
            return t;
        };
        for (int i = 0; i < 200; ++i) {
            IncomingMessage in;
            in.mid = "m" + std::to_string(i) + "@fuzz";
            in.parsed.message_id = in.mid;
            in.parsed.subject = text(5);
            in.parsed.from = Address{"author" + std::to_string(i % 4) + "@example.org",
                                     std::string(word()) + " " + std::string(word())};
            in.parsed.body_text = text(100) + ".\n" + text(30) + "\n";
            in.parsed.headers = {{"Subject", in.parsed.subject}};
            in.content_hash = "hash-" + in.mid;
            in.date_utc = 1514764800 + i * 86400;
            in.date_source = "header";
            in.raw_size = in.parsed.body_text.size() + 200;
            if (!store->add_message(in, i % 3 ? list->id : wg->id, src->id).ok()) return false;
        }
        if (!store->commit_batch().ok()) return false;
        IndexOptions o;
        o.archive = dir_;
        o.jobs = 1;
        return index_archive(o).ok();
    }

    std::filesystem::path dir_;
    bool ok_ = false;
    std::optional<Archive> archive_;
};

inline FuzzArchive& fuzz_archive() {
    static FuzzArchive a;
    return a;
}

} // namespace query_index_harness

inline Verdict run_query_index(std::string_view input) {
    using namespace query_index_harness;
    Verdict v;
    FuzzArchive& fa = fuzz_archive();
    if (!fa.ok()) {
        v.fail("could not build the fuzz archive in " +
               std::filesystem::temp_directory_path().string());
        return v;
    }
    if (!query_detail::check_query_text(input).ok()) return v; // fuzz_query's ground
    QuerySpec spec;
    spec.text = std::string(input);
    spec.now = 1529064000;
    struct Out {
        std::string run, parsed;
        std::vector<Xapian::docid> through_pairs, as_parsed;
    };
    auto once = [&] {
        return query_detail::read_index(fa.archive(), [&](Xapian::Database& db) -> Result<Out> {
            auto c = query_detail::compile(fa.archive(), db, spec);
            if (!c.ok()) return c.error();
            return Out{c->query.get_description(), c->parsed.get_description(),
                       test::enquire_ids(db, c->query), test::enquire_ids(db, c->parsed)};
        });
    };
    const auto first = once();
    const auto again = once();
    v.expect(first.ok() == again.ok(), "compiling is not deterministic");
    if (!first.ok()) {
        if (first.error().code != Errc::usage)
            v.fail("query \"" + excerpt(input) +
                   "\" failed with a non-usage error: " + first.error().what());
        v.expect(!first.error().message.empty(), "a query error without a message");
        return v;
    }
    if (again.ok()) v.expect(first->run == again->run, "compiling is not deterministic");
    if (first->through_pairs != first->as_parsed)
        v.fail("phrase pairs change the matches of \"" + excerpt(input) +
               "\": " + std::to_string(first->through_pairs.size()) + " as run (" +
               excerpt(first->run, 200) + "), " + std::to_string(first->as_parsed.size()) +
               " as parsed");
    return v;
}

} // namespace mlarc::fuzz
