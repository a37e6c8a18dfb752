// `mlarc index`: brings the archive's search index (ARCHIVE/xapian) up to date
// with its store, or rebuilds it (--rebuild). Thin: parses options, takes the
// archive lock, calls index_archive() (index/indexer.hpp), shows a progress bar
// on a terminal and prints a one-line summary (and figures with --stats).
//
// run_index_after_import() is the same work for `mlarc import`, which calls it
// while it still holds the archive lock: it must not take the lock again (a
// second flock on the same file from the same process would fail).
#include "cli/commands.hpp"

#include "index/indexer.hpp"
#include "util/lock.hpp"
#include "util/progress.hpp"
#include "util/strings.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

namespace mlarc::cli {

namespace {

struct IndexArgs {
    std::string archive;
    bool rebuild = false;
    unsigned jobs = 0;
    size_t batch = 0;
    std::string level;
    std::string language;
    std::string mode = "auto";
    unsigned shards = 0;
    bool stats = false;
    double wait = 0;
    bool quiet = false;
};

int fail(const Error& e) {
    std::cerr << "mlarc index: " << e.what() << '\n';
    return exit_code(e.code);
}

/// Feeds IndexProgress into a progress bar, one bar per phase.
class ProgressView {
  public:
    explicit ProgressView(bool enabled) : enabled_(enabled) {}
    void operator()(const IndexProgress& p) {
        if (!bar_ || p.phase != phase_) {
            bar_.reset();
            phase_ = p.phase;
            bar_ = std::make_unique<Progress>(std::string(p.phase), p.bytes_total, enabled_);
        }
        bar_->update(p.bytes_done, p.docs_done);
    }
    void finish() { bar_.reset(); }

  private:
    bool enabled_;
    std::string phase_;
    std::unique_ptr<Progress> bar_;
};

std::string fixed(double v, int decimals) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string summary_line(const IndexReport& r) {
    if (r.up_to_date) return "index: up to date (last_seq " + std::to_string(r.to_seq) + ")";
    std::string out = "index: " + std::string(r.rebuilt ? "built " : "updated ") +
                      format_count(r.indexed) + " documents";
    if (r.deleted) out += ", deleted " + format_count(r.deleted);
    out += " in " + fixed(r.seconds, 2) + " s";
    if (r.seconds > 0 && r.indexed > 0) {
        out += " (" +
               format_count(static_cast<uint64_t>(static_cast<double>(r.indexed) / r.seconds)) +
               " msg/s, " + std::string(index_mode_name(r.mode)) + ", " +
               std::to_string(r.threads) + " threads";
        if (r.rebuilt || r.compact_seconds > 0) out += ", compaction " + fixed(r.compact_seconds, 1) + " s";
        if (r.shards > 1) out += ", " + std::to_string(r.shards) + " shards";
        out += ")";
    }
    out += "; level " + std::string(index_level_name(r.level)) + ", language " + r.language +
           ", last_seq " + std::to_string(r.from_seq) + " -> " + std::to_string(r.to_seq);
    return out;
}

void print_stats(const IndexStats& s) {
    std::cout << "documents:      " << format_count(s.documents) << '\n'
              << "unique terms:   " << format_count(s.unique_terms) << '\n'
              << "last_seq:       " << s.last_seq
              << (s.last_seq == s.store_seq ? " (up to date)"
                                            : " (store is at " + std::to_string(s.store_seq) + ")")
              << '\n'
              << "store messages: " << format_count(static_cast<uint64_t>(s.store_messages)) << '\n'
              << "size on disk:   " << human_bytes(s.bytes_on_disk) << '\n'
              << "level:          " << s.level << '\n'
              << "language:       " << s.language << '\n'
              << "phrase pairs:   "
              << (s.pair_words.empty()
                      ? std::string(s.level == "full"
                                        ? "none (made before them; --rebuild adds them)"
                                        : "none (level light)")
                      : std::to_string(split_pair_words(s.pair_words).size()) + " pair words")
              << '\n'
              << "schema:         " << s.schema << '\n'
              << "shards:         " << s.shards << '\n';
}

/// Runs the indexer; `take_lock` false when the caller already holds it;
/// `followed`: see run_index_after_import().
int run(const IndexArgs& a, bool take_lock, uint64_t followed = 0) {
    IndexOptions o;
    o.compact_if_mostly_updated = followed > 0;
    o.prior_updated = followed;
    o.archive = a.archive.empty() ? default_archive_dir() : a.archive;
    o.rebuild = a.rebuild;
    o.jobs = a.jobs;
    o.batch_size = a.batch;
    o.shards = a.shards;
    if (!a.level.empty()) {
        auto lv = parse_index_level(a.level);
        if (!lv.ok()) return fail(lv.error());
        o.level = *lv;
    }
    if (!a.language.empty()) {
        if (auto st = check_index_language(a.language); !st.ok()) return fail(st.error());
        o.language = a.language;
    }
    auto mode = parse_index_mode(a.mode);
    if (!mode.ok()) return fail(mode.error());
    o.mode = *mode;

    std::optional<ArchiveLock> lock;
    if (take_lock) {
        if (!std::filesystem::is_directory(o.archive))
            return fail(make_error(Errc::not_found, "no archive at " + o.archive.string(),
                                   "import mail first (mlarc import --archive DIR --list NAME "
                                   "FILE), or pass --archive DIR / set MLARC_ARCHIVE"));
        auto l = ArchiveLock::acquire(o.archive, a.wait);
        if (!l.ok()) return fail(l.error());
        lock.emplace(std::move(*l));
    }
    ProgressView view(!a.quiet && ::isatty(2));
    o.progress = [&view](const IndexProgress& p) { view(p); };
    auto rep = index_archive(o);
    view.finish();
    if (!rep.ok()) {
        // A full disk: name the place, whichever step ran out of space.
        Error e = rep.error();
        const std::string where = (o.archive / "xapian").string();
        if (e.code == Errc::disk_full && e.message.find(where) == std::string::npos)
            e.message += " (search index " + where + ")";
        return fail(e);
    }
    if (!a.quiet && followed > 0 && !rep->rebuilt)
        std::cout << "index: updated " << format_count(followed + rep->indexed)
                  << " documents while importing; last_seq " << rep->to_seq << '\n';
    else if (!a.quiet)
        std::cout << summary_line(*rep) << '\n';
    if (a.stats) {
        auto s = index_stats(o.archive);
        if (!s.ok()) return fail(s.error());
        print_stats(*s);
    }
    return 0;
}

} // namespace

void register_index(CLI::App& app, int& status) {
    auto args = std::make_shared<IndexArgs>();
    auto* sub = app.add_subcommand("index", "Bring the search index up to date with the store");
    sub->add_option("--archive", args->archive,
                    "Archive directory (default $MLARC_ARCHIVE or ./mlarc-data)");
    sub->add_flag("--rebuild", args->rebuild,
                  "Build a fresh index and swap it in (after a schema change, or to change "
                  "--level/--language)");
    sub->add_option("--jobs,-j", args->jobs, "Threads (default: number of cores)");
    sub->add_option("--batch", args->batch, "Documents per commit (per shard); default 500")
        ->check(CLI::Range(1, 1000000));
    sub->add_option("--level", args->level,
                    "full (phrase search) or light (no word positions: faster, smaller); "
                    "default: the index's own, full for a new one")
        ->check(CLI::IsMember({"full", "light"}));
    sub->add_option("--language", args->language,
                    "Stemming language (english, german, ...) or none; default: the index's own, "
                    "english for a new one");
    sub->add_option("--mode", args->mode,
                    "auto (shards for full builds, one writer for updates), single or shards")
        ->check(CLI::IsMember({"auto", "single", "shards"}))
        ->capture_default_str();
    sub->add_option("--shards", args->shards,
                    "Split the index into N Xapian databases searched as one (a stub; see "
                    "docs/scaling.md); kept by later runs; changing it needs --rebuild")
        ->check(CLI::Range(1, 256));
    sub->add_flag("--stats", args->stats,
                  "Print documents, unique terms, last_seq and size on disk afterwards");
    sub->add_option("--wait", args->wait, "Wait this many seconds for another writer to finish");
    sub->add_flag("--quiet,-q", args->quiet, "Print nothing but errors (and --stats)");
    sub->callback([args, &status] { status = run(*args, true); });
}

int run_index_after_import(const std::string& archive, bool quiet, size_t batch,
                           uint64_t followed) {
    IndexArgs a;
    a.archive = archive;
    a.quiet = quiet;
    a.batch = batch;
    return run(a, false, followed);
}

} // namespace mlarc::cli
