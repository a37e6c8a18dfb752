// The indexer (see indexer.hpp): decides between an in-place update and a
// full build, runs the single-writer pipeline or the parallel shards, merges
// shards by compaction, swaps a fresh index in atomically, and reports stats.
//
// Threads never share a Xapian object: every shard thread owns its database,
// store connection and builder; in the pipeline, builder threads own their
// builders and hand finished documents (with no other handle left on them) to
// the one writer thread. The calling thread only supervises and reports
// progress.
#include "index/indexer.hpp"

#include "index/columns.hpp"
#include "index/shards.hpp"
#include "index/xapian_db.hpp"
#include "store/index_feed.hpp"
#include "util/fault.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

namespace mlarc {

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr size_t kReadChunk = 256;        // messages per SQLite read
constexpr size_t kQueueChunks = 4;        // chunks in flight between pipeline stages
constexpr size_t kAutoRebuildMin = 20000; // an update this large, and at least half the
                                          // archive, is done as a full build

/// The store connections of the indexer read each message once, in id order:
/// a small SQLite page cache (the B-tree paths in use) is all they need. With
/// the store's default 64 MiB per connection, peak RSS grew with the archive
/// (tests/bench/scale.sh: 67 MB at 10,000 messages, 190 MB at 100,000, two
/// shard threads and the planning connection each filling its cache).
StoreOptions feed_store_options() {
    StoreOptions o;
    o.cache_kib = 4096;
    return o;
}

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// A blocking queue of bounded size. close() wakes everybody: push then
/// fails, pop drains what is left and then returns nullopt.
template <typename T> class BoundedQueue {
  public:
    explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}
    bool push(T v) {
        std::unique_lock<std::mutex> l(m_);
        not_full_.wait(l, [&] { return closed_ || q_.size() < capacity_; });
        if (closed_) return false;
        q_.push_back(std::move(v));
        not_empty_.notify_one();
        return true;
    }
    std::optional<T> pop() {
        std::unique_lock<std::mutex> l(m_);
        not_empty_.wait(l, [&] { return closed_ || !q_.empty(); });
        if (q_.empty()) return std::nullopt;
        T v = std::move(q_.front());
        q_.pop_front();
        not_full_.notify_one();
        return v;
    }
    void close() {
        std::lock_guard<std::mutex> l(m_);
        closed_ = true;
        not_full_.notify_all();
        not_empty_.notify_all();
    }

  private:
    std::mutex m_;
    std::condition_variable not_full_, not_empty_;
    std::deque<T> q_;
    size_t capacity_;
    bool closed_ = false;
};

/// What the threads of one run share: counters for progress, the first error
/// and the cancel flag it raises.
struct RunState {
    std::atomic<uint64_t> docs{0};
    std::atomic<uint64_t> bytes{0};
    std::atomic<bool> cancel{false};
    std::mutex m;
    std::optional<Error> error;
    std::function<void()> on_cancel; // wakes blocked threads (closes queues)

    void fail(Error e) {
        {
            std::lock_guard<std::mutex> l(m);
            if (!error) error = std::move(e);
        }
        cancel = true;
        if (on_cancel) on_cancel();
    }
    Status status() {
        std::lock_guard<std::mutex> l(m);
        if (error) return *error;
        return {};
    }
};

/// Runs `tasks` on their own threads; the calling thread reports progress
/// about ten times a second until all have finished.
void run_tasks(std::vector<std::function<void()>> tasks, RunState& st, uint64_t bytes_total,
               const IndexOptions& opts) {
    std::mutex m;
    std::condition_variable cv;
    size_t finished = 0;
    std::vector<std::thread> threads;
    threads.reserve(tasks.size());
    for (auto& task : tasks) {
        try {
            threads.emplace_back([&, t = std::move(task)] {
                t();
                std::lock_guard<std::mutex> l(m);
                ++finished;
                cv.notify_all();
            });
        } catch (const std::system_error& e) {
            st.fail(make_error(Errc::internal, std::string("cannot start a thread: ") + e.what(),
                               "try --jobs 1"));
            break;
        }
    }
    auto report = [&] {
        if (opts.progress)
            opts.progress(IndexProgress{"index", st.docs.load(), st.bytes.load(), bytes_total});
    };
    {
        std::unique_lock<std::mutex> l(m);
        while (finished < threads.size()) {
            cv.wait_for(l, std::chrono::milliseconds(100));
            l.unlock();
            report();
            l.lock();
        }
    }
    for (auto& t : threads)
        t.join();
    report();
}

/// Adds documents to one database, committing every `batch` documents.
class BatchWriter {
  public:
    BatchWriter(Xapian::WritableDatabase& db, size_t batch, RunState& st,
                const std::function<void(uint64_t)>& after_commit)
        : db_(db), batch_(batch), st_(st), after_commit_(after_commit) {}

    /// Throws Xapian::Error.
    void add(int64_t id, const Xapian::Document& doc, uint64_t bytes) { // id: the docid
        db_.replace_document(static_cast<Xapian::docid>(id), doc);
        ++written_;
        st_.docs.fetch_add(1, std::memory_order_relaxed);
        st_.bytes.fetch_add(bytes, std::memory_order_relaxed);
        if (++pending_ >= batch_) {
            db_.commit();
            pending_ = 0;
            fault_point("xapian-commit-after"); // kill tests (util/fault.hpp)
            if (after_commit_) after_commit_(written_);
        }
    }

  private:
    Xapian::WritableDatabase& db_;
    size_t batch_;
    RunState& st_;
    const std::function<void(uint64_t)>& after_commit_;
    size_t pending_ = 0;
    uint64_t written_ = 0;
};

/// Xapian docids are 32-bit; SQLite ids beyond that cannot be indexed.
Status check_docid_range(const IndexFeedPlan& plan) {
    if (!plan.ids.empty() &&
        (plan.ids.front() < 1 || plan.ids.back() > std::numeric_limits<Xapian::docid>::max()))
        return make_error(Errc::internal, "message id " + std::to_string(plan.ids.back()) +
                                              " is outside the range of search index document ids");
    return {};
}

/// The metadata written with the last commit of a build or update.
void set_index_metadata(Xapian::WritableDatabase& db, int64_t last_seq, const BuilderOptions& bo) {
    db.set_metadata(std::string(kMetaSchema), std::to_string(kIndexSchemaVersion));
    db.set_metadata(std::string(kMetaLastSeq), std::to_string(last_seq));
    db.set_metadata(std::string(kMetaLevel), std::string(index_level_name(bo.level)));
    db.set_metadata(std::string(kMetaLanguage), bo.language);
    db.set_metadata(std::string(kMetaStemming), bo.language == "none" ? "none" : "all");
    db.set_metadata(std::string(kMetaPairWords),
                    bo.level == IndexLevel::full ? bo.pair_words : std::string());
}

struct BuiltDoc {
    int64_t id;
    Xapian::Document doc;
    uint64_t bytes;
};

/// The ids at positions [begin, end) of a plan's id set, read in chunks of
/// kReadChunk (of those in shard `only.k` of `only.route`, when set).
struct IdSpan {
    const IdRuns& ids;
    size_t begin = 0, end = 0;
    struct Filter {
        ShardRoute route;
        unsigned k = 0;
    };
    std::optional<Filter> only;

    /// Fills `chunk` with the next ids from `pos` on (advancing it); false at
    /// the end.
    bool next(size_t& pos, std::vector<int64_t>& chunk) const {
        chunk.clear();
        while (pos < end && chunk.size() < kReadChunk) {
            const size_t want =
                only ? (kReadChunk - chunk.size()) * only->route.n : kReadChunk - chunk.size();
            const size_t take = std::min(want, end - pos);
            const size_t mark = chunk.size();
            ids.slice(pos, take, chunk);
            pos += take;
            if (only)
                chunk.erase(
                    std::remove_if(chunk.begin() + static_cast<std::ptrdiff_t>(mark), chunk.end(),
                                   [&](int64_t id) { return only->route.shard_of(id) != only->k; }),
                    chunk.end());
        }
        return !chunk.empty();
    }
};

/// The single-writer pipeline: a reader thread (SQLite chunks), `builders`
/// builder threads, and one writer thread adding to `db`. Returns when all
/// documents of `ids` are in `db` (committed up to the last partial batch).
Status write_pipeline(Xapian::WritableDatabase& db, Store& store, const IdSpan& ids,
                      uint64_t bytes_total, const BuilderOptions& bo, unsigned builders,
                      size_t batch, const IndexOptions& opts) {
    RunState st;
    std::vector<DocumentBuilder> made;
    for (unsigned i = 0; i < builders; ++i) {
        auto b = DocumentBuilder::create(bo);
        if (!b.ok()) return b.error();
        made.push_back(std::move(*b));
    }
    BoundedQueue<std::vector<FeedMessage>> read_q(kQueueChunks);
    BoundedQueue<std::vector<BuiltDoc>> built_q(kQueueChunks);
    st.on_cancel = [&] {
        read_q.close();
        built_q.close();
    };
    std::atomic<unsigned> builders_left{builders};

    std::vector<std::function<void()>> tasks;
    tasks.emplace_back([&] {
        std::vector<int64_t> chunk;
        for (size_t pos = ids.begin; !st.cancel && ids.next(pos, chunk);) {
            auto msgs = read_feed_messages(store, chunk);
            if (!msgs.ok()) return st.fail(msgs.error());
            if (!read_q.push(std::move(*msgs))) break;
        }
        read_q.close();
    });
    for (auto& builder : made) {
        tasks.emplace_back([&] {
            while (auto chunk = read_q.pop()) {
                if (st.cancel) break;
                std::vector<BuiltDoc> out;
                out.reserve(chunk->size());
                for (const auto& m : *chunk) {
                    auto doc = builder.build(m);
                    if (!doc.ok()) {
                        st.fail(doc.error());
                        break;
                    }
                    out.push_back(BuiltDoc{m.id, std::move(*doc), m.size});
                }
                if (st.cancel || !built_q.push(std::move(out))) break;
            }
            if (--builders_left == 0) built_q.close();
        });
    }
    tasks.emplace_back([&] {
        BatchWriter w(db, batch, st, opts.after_commit);
        try {
            while (auto chunk = built_q.pop()) {
                if (st.cancel) break;
                for (const auto& d : *chunk)
                    w.add(d.id, d.doc, d.bytes);
            }
        } catch (const Xapian::Error& e) {
            st.fail(xapian_error(e, "write the search index " + index_path(opts.archive).string()));
        }
    });
    run_tasks(std::move(tasks), st, bytes_total, opts);
    return st.status();
}

/// One shard of a full build: its own store connection, builder and database
/// for the ids of one contiguous range (or, for a sharded layout, of one
/// shard: `route` maps message ids to that shard's local docids).
Status build_shard(const fs::path& dir, const fs::path& archive, const IdSpan& ids,
                   const BuilderOptions& bo, size_t batch, RunState& st, const IndexOptions& opts,
                   ShardRoute route = {}) {
    auto store = Store::open(archive, Store::Mode::read_only, feed_store_options());
    if (!store.ok()) return store.error();
    auto builder = DocumentBuilder::create(bo);
    if (!builder.ok()) return builder.error();
    try {
        Xapian::WritableDatabase db(dir.string(),
                                    Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
        BatchWriter w(db, batch, st, opts.after_commit);
        std::vector<int64_t> chunk;
        for (size_t pos = ids.begin; !st.cancel && ids.next(pos, chunk);) {
            auto msgs = read_feed_messages(*store, chunk);
            if (!msgs.ok()) return msgs.error();
            for (const auto& m : *msgs) {
                auto doc = builder->build(m);
                if (!doc.ok()) return doc.error();
                w.add(route.local_docid(m.id), *doc, m.size);
            }
        }
        db.commit();
        db.close();
    } catch (const Xapian::Error& e) {
        return xapian_error(e, "write the search index shard " + dir.string());
    }
    return {};
}

/// Cuts `plan` into `n` contiguous id ranges of about equal bytes; returns
/// the n+1 boundaries (positions in plan.ids).
std::vector<size_t> balanced_cuts(const IndexFeedPlan& plan, size_t n) {
    std::vector<size_t> cuts{0};
    for (size_t k = 1; k < n; ++k)
        cuts.push_back(
            std::max(cuts.back(), plan.bytes.position_reaching(plan.total_bytes() / n * k)));
    cuts.push_back(plan.ids.size());
    return cuts;
}

/// Swaps `fresh` in as `live` with one rename, so a reader opens either the
/// old or the new index; the old one is then deleted.
Status swap_into_place(const fs::path& fresh, const fs::path& live) {
    std::error_code ec;
    if (!fs::exists(live, ec)) {
        fs::rename(fresh, live, ec);
        if (ec)
            return make_error(Errc::io, "cannot move " + fresh.string() + " to " + live.string() +
                                            ": " + ec.message());
    } else if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, live.c_str(), RENAME_EXCHANGE) == 0) {
        fs::remove_all(fresh, ec); // now the old index
    } else {
        // No RENAME_EXCHANGE on this file system: two renames, a brief gap.
        const fs::path old = fs::path(live).concat(".old");
        fs::remove_all(old, ec);
        fs::rename(live, old, ec);
        if (!ec) fs::rename(fresh, live, ec);
        if (ec)
            return make_error(Errc::io, "cannot swap in the rebuilt index " + fresh.string() +
                                            ": " + ec.message());
        fs::remove_all(old, ec);
    }
    // Make the rename itself durable.
    if (int fd = ::open(live.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
        (void)::fsync(fd);
        ::close(fd);
    }
    return {};
}

/// Level and language recorded in an existing index (defaults when it has
/// none or cannot be read).
BuilderOptions recorded_settings(const fs::path& live) {
    BuilderOptions bo;
    try {
        Xapian::Database db(live.string());
        if (auto lv = parse_index_level(db.get_metadata(std::string(kMetaLevel))); lv.ok())
            bo.level = *lv;
        if (auto lang = db.get_metadata(std::string(kMetaLanguage)); !lang.empty())
            bo.language = lang;
        // An index made before phrase pairs has none: its updates add none.
        bo.pair_words = db.get_metadata(std::string(kMetaPairWords));
    } catch (const Xapian::Error&) {
    }
    return bo;
}

unsigned job_count(const IndexOptions& opts) {
    return opts.jobs ? opts.jobs : std::max(1u, std::thread::hardware_concurrency());
}

size_t batch_of(const IndexOptions& opts) {
    return opts.batch_size ? opts.batch_size : kDefaultIndexBatch;
}

struct Paths {
    fs::path live, fresh, shards;
    explicit Paths(const fs::path& archive)
        : live(index_path(archive)), fresh(fs::path(archive) / "xapian.new"),
          shards(fs::path(archive) / "xapian.shards") {}
};

/// Swaps xapian.new in as the live index, holding the live index's write lock
/// so nobody writes it while it is swapped out.
Status install_fresh(const Paths& p) {
    std::optional<Xapian::WritableDatabase> guard;
    try {
        if (fs::exists(p.live)) guard.emplace(p.live.string(), Xapian::DB_OPEN);
    } catch (const Xapian::DatabaseLockError& e) {
        return xapian_error(e, "replace the search index");
    } catch (const Xapian::Error&) {
        // Damaged or of another version: exactly what a rebuild replaces.
    }
    MLARC_TRY_STATUS(swap_into_place(p.fresh, p.live));
    return {};
}

/// Builds a fresh index of the whole store and swaps it in.
Status full_build(Store& store, const IndexOptions& opts, const BuilderOptions& bo,
                  IndexReport& rep) {
    const Paths p(opts.archive);
    auto plan = plan_index_feed(store, 0);
    if (!plan.ok()) return plan.error();
    MLARC_TRY_STATUS(check_docid_range(*plan));
    const unsigned jobs = job_count(opts);
    size_t n = 1;
    if (opts.mode != IndexMode::single_writer)
        n = std::clamp<size_t>(plan->ids.size() / std::max<size_t>(1, opts.min_shard_docs), 1,
                               jobs);
    std::error_code ec;
    fs::create_directories(p.shards, ec);
    if (ec) return make_error(Errc::io, "cannot create " + p.shards.string() + ": " + ec.message());
    auto shard_dir = [&](size_t k) { return p.shards / std::to_string(k); };

    if (n == 1) {
        Xapian::WritableDatabase db(shard_dir(0).string(),
                                    Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
        MLARC_TRY_STATUS(write_pipeline(db, store, IdSpan{plan->ids, 0, plan->ids.size(), {}},
                                        plan->total_bytes(), bo, std::max(1u, jobs - 1),
                                        batch_of(opts), opts));
        set_index_metadata(db, plan->to_seq, bo);
        db.commit();
        db.close();
        rep.mode = IndexMode::single_writer;
        rep.threads = std::max(1u, jobs - 1) + 1;
    } else {
        const auto cuts = balanced_cuts(*plan, n);
        RunState st;
        std::vector<std::function<void()>> tasks;
        for (size_t k = 0; k < n; ++k) {
            tasks.emplace_back([&, k] {
                const IdSpan ids{plan->ids, cuts[k], cuts[k + 1], {}};
                if (auto s =
                        build_shard(shard_dir(k), opts.archive, ids, bo, batch_of(opts), st, opts);
                    !s.ok())
                    st.fail(s.error());
            });
        }
        run_tasks(std::move(tasks), st, plan->total_bytes(), opts);
        MLARC_TRY_STATUS(st.status());
        // The merged index takes its metadata from shard 0.
        Xapian::WritableDatabase first(shard_dir(0).string(), Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
        set_index_metadata(first, plan->to_seq, bo);
        first.commit();
        first.close();
        rep.mode = IndexMode::shards;
        rep.threads = static_cast<unsigned>(n);
    }

    // Merge (or, for one shard, just compact) into xapian.new, keeping docids.
    const auto t_compact = Clock::now();
    if (opts.progress)
        opts.progress(IndexProgress{"compact", plan->ids.size(), plan->total_bytes(), 0});
    {
        Xapian::Database all;
        for (size_t k = 0; k < n; ++k)
            all.add_database(Xapian::Database(shard_dir(k).string()));
        all.compact(p.fresh.string(), Xapian::DBCOMPACT_NO_RENUMBER);
    }
    rep.compact_seconds = seconds_since(t_compact);
    fs::remove_all(p.shards, ec);
    MLARC_TRY_STATUS(install_fresh(p));
    rep.indexed = plan->ids.size();
    rep.to_seq = plan->to_seq;
    rep.rebuilt = true;
    return {};
}

// ---- Sharded layout (index/shards.hpp) -------------------------------------

/// Builds a fresh index of `n` shards (message id m in shard (m-1) % n as
/// local docid (m-1)/n + 1) and swaps it in. At most `jobs` shards are built
/// at a time, each by one thread into xapian.shards/<k> and then compacted
/// into xapian.new/shard<k>; every shard carries the index metadata; the stub
/// xapian.new/XAPIANDB lists them in order.
Status sharded_full_build(Store& store, unsigned n, const IndexOptions& opts,
                          const BuilderOptions& bo, IndexReport& rep) {
    const Paths p(opts.archive);
    auto planned = plan_index_feed(store, 0);
    if (!planned.ok()) return planned.error();
    const IndexFeedPlan& plan = *planned;
    MLARC_TRY_STATUS(check_docid_range(plan));
    const ShardRoute route{n};
    std::error_code ec;
    fs::create_directories(p.shards, ec);
    if (!ec) fs::create_directories(p.fresh, ec);
    if (ec) return make_error(Errc::io, "cannot create " + p.fresh.string() + ": " + ec.message());

    RunState st;
    std::atomic<unsigned> next{0};
    std::atomic<uint64_t> compact_ms{0};
    std::vector<std::function<void()>> tasks;
    const unsigned workers = std::min(n, job_count(opts));
    for (unsigned w = 0; w < workers; ++w) {
        tasks.emplace_back([&] {
            for (unsigned k = next++; k < n && !st.cancel; k = next++) {
                const fs::path tmp = p.shards / std::to_string(k);
                const IdSpan ids{plan.ids, 0, plan.ids.size(), IdSpan::Filter{route, k}};
                if (auto s =
                        build_shard(tmp, opts.archive, ids, bo, batch_of(opts), st, opts, route);
                    !s.ok())
                    return st.fail(s.error());
                const auto t0 = Clock::now();
                try {
                    {
                        Xapian::WritableDatabase db(tmp.string(),
                                                    Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
                        set_index_metadata(db, plan.to_seq, bo);
                        db.commit();
                    }
                    Xapian::Database(tmp.string())
                        .compact((p.fresh / shard_dir_name(k)).string(),
                                 Xapian::DBCOMPACT_NO_RENUMBER);
                } catch (const Xapian::Error& e) {
                    return st.fail(xapian_error(e, "write the search index shard " + tmp.string()));
                }
                std::error_code gone;
                fs::remove_all(tmp, gone);
                compact_ms += static_cast<uint64_t>(seconds_since(t0) * 1000);
            }
        });
    }
    run_tasks(std::move(tasks), st, plan.total_bytes(), opts);
    MLARC_TRY_STATUS(st.status());
    MLARC_TRY_STATUS(write_shard_stub(p.fresh, local_shard_stub(n)));
    fs::remove_all(p.shards, ec);
    MLARC_TRY_STATUS(install_fresh(p));
    rep.mode = IndexMode::shards;
    rep.threads = workers;
    rep.compact_seconds = static_cast<double>(compact_ms.load()) / 1000.0;
    rep.indexed = plan.ids.size();
    rep.to_seq = plan.to_seq;
    rep.rebuilt = true;
    return {};
}

/// The shard count to build: --shards, else the index's own (1 for a new
/// one). Errors: usage (a different count without --rebuild, or an index
/// listing remote shards, which only the machine holding them can update).
Result<unsigned> shard_layout(const IndexOptions& opts, const Paths& p, bool have_index) {
    if (opts.shards > kMaxShards)
        return make_error(Errc::usage, "--shards must be 1.." + std::to_string(kMaxShards));
    if (!have_index) return std::max(1u, opts.shards);
    if (is_sharded_index(p.live)) {
        auto stub = read_shard_stub(p.live);
        if (!stub.ok()) return stub.error();
        if (stub->has_remote())
            return make_error(Errc::usage,
                              "the search index " + p.live.string() +
                                  " lists shards served by xapian-tcpsrv",
                              "run `mlarc index` on the machine that holds the shards (see "
                              "docs/scaling.md)");
    }
    const unsigned have = index_shard_count(p.live);
    if (opts.shards && opts.shards != have && !opts.rebuild)
        return make_error(Errc::usage, "the search index has " + std::to_string(have) + " shard(s)",
                          "add --rebuild to rebuild it with --shards " +
                              std::to_string(opts.shards));
    return opts.shards ? opts.shards : have;
}
// ---- end of the sharded layout ---------------------------------------------

/// IndexOptions::compact_if_mostly_updated: compacts the live index (docids
/// kept) into xapian.new and swaps it in.
Status compact_if_mostly_updated(const IndexOptions& opts, IndexReport& rep) {
    const Paths p(opts.archive);
    if (!opts.compact_if_mostly_updated || is_sharded_index(p.live)) return {};
    const uint64_t updated = opts.prior_updated + rep.indexed;
    if (updated == 0) return {};
    const auto t0 = Clock::now();
    {
        Xapian::Database db(p.live.string());
        if (updated * 2 < db.get_doccount()) return {};
        if (opts.progress) opts.progress(IndexProgress{"compact", rep.indexed, 0, 0});
        db.compact(p.fresh.string(), Xapian::DBCOMPACT_NO_RENUMBER);
    }
    MLARC_TRY_STATUS(install_fresh(p));
    rep.compact_seconds = seconds_since(t0);
    return {};
}

/// Where a large update of a one-database index is cut in two (see
/// update_with_side_shard): the index into plan.ids from which documents go
/// to a side shard, or 0 for none. Only new documents (ids above the live
/// index's last docid, so the two docid ranges cannot overlap) go there, and
/// only when the merge the side shard needs costs less than it saves: when
/// the new documents are at least half of the index after the update, or
/// when the index is compacted after this run anyway (an import whose
/// follower and final update rewrote most of it).
size_t side_shard_cut(const IndexFeedPlan& plan, Xapian::docid last_docid,
                      Xapian::doccount doccount, const IndexOptions& opts) {
    if (opts.mode == IndexMode::single_writer || job_count(opts) < 2) return 0;
    const size_t first_new = plan.ids.upper_bound(static_cast<int64_t>(last_docid));
    const size_t fresh = plan.ids.size() - first_new;
    if (fresh < std::max<size_t>(opts.min_shard_docs, 1)) return 0;
    const uint64_t after = uint64_t{doccount} + fresh;
    const bool compacted_anyway =
        opts.compact_if_mostly_updated && (opts.prior_updated + plan.ids.size()) * 2 >= after;
    if (fresh * 2 < after && !compacted_anyway) return 0;
    // Balance by bytes: the live writer takes the updates and the first new
    // documents, the side shard the rest, about half of all the bytes each.
    return std::clamp(plan.bytes.position_reaching((plan.total_bytes() + 1) / 2), first_new,
                      plan.ids.size() - 1);
}

/// Removes the documents of the tombstoned ids of `plan`, first of all: an
/// id that was deleted and then reused must end up with the new message's
/// document. Throws Xapian::Error.
void delete_documents(Xapian::WritableDatabase& db, const IndexFeedPlan& plan, IndexReport& rep) {
    for (int64_t id : plan.deleted) {
        try {
            db.delete_document(static_cast<Xapian::docid>(id));
            ++rep.deleted;
        } catch (const Xapian::DocNotFoundError&) {
        }
    }
}

/// Applies the changes of `plan` to the live index in place.
Status update_in_place(Store& store, const IndexFeedPlan& plan, const IndexOptions& opts,
                       const BuilderOptions& bo, IndexReport& rep) {
    MLARC_TRY_STATUS(check_docid_range(plan));
    Xapian::WritableDatabase db(Paths(opts.archive).live.string(), Xapian::DB_OPEN);
    MLARC_TRY_STATUS(check_index_schema_version(db));
    delete_documents(db, plan, rep);
    const unsigned jobs = job_count(opts);
    const unsigned builders = plan.ids.size() <= kReadChunk ? 1 : std::max(1u, jobs - 1);
    MLARC_TRY_STATUS(write_pipeline(db, store, IdSpan{plan.ids, 0, plan.ids.size(), {}},
                                    plan.total_bytes(), bo, builders, batch_of(opts), opts));
    set_index_metadata(db, plan.to_seq, bo);
    db.commit();
    db.close();
    rep.mode = IndexMode::single_writer;
    rep.threads = builders + 1;
    rep.indexed = plan.ids.size();
    rep.to_seq = plan.to_seq;
    return compact_if_mostly_updated(opts, rep);
}

/// A large update on both cores: the documents of plan.ids before `cut` go
/// into the live index through the writer pipeline while one more thread
/// builds those from `cut` on into a side shard (xapian.shards/side), then
/// the two are merged by compaction into xapian.new, which gets the new
/// last_seq and is swapped in. (One Xapian database has one writer: without
/// the side shard a large update ran at the speed of that one thread, and an
/// import's last update threw away what its follower had indexed to rebuild
/// from scratch on two shards.) The live index is committed without the new
/// last_seq, so a kill before the swap leaves extra documents under the old
/// cursor, which the next run writes again: it converges like any update.
Status update_with_side_shard(Store& store, const IndexFeedPlan& plan, size_t cut,
                              const IndexOptions& opts, const BuilderOptions& bo,
                              IndexReport& rep) {
    MLARC_TRY_STATUS(check_docid_range(plan));
    const Paths p(opts.archive);
    const uint64_t live_bytes = plan.bytes.bytes_before(cut);
    std::error_code ec;
    fs::create_directories(p.shards, ec);
    if (ec) return make_error(Errc::io, "cannot create " + p.shards.string() + ": " + ec.message());
    const fs::path side = p.shards / "side";
    RunState side_st;
    Status side_status;
    std::thread side_thread;
    try {
        side_thread = std::thread([&] {
            side_status =
                build_shard(side, opts.archive, IdSpan{plan.ids, cut, plan.ids.size(), {}}, bo,
                            batch_of(opts), side_st, opts);
        });
    } catch (const std::system_error& e) {
        return make_error(Errc::internal, std::string("cannot start a thread: ") + e.what(),
                          "try --jobs 1");
    }
    struct Join { // the side thread is joined on every way out
        RunState& st;
        std::thread& t;
        ~Join() {
            st.cancel = true;
            if (t.joinable()) t.join();
        }
    };
    Status live_status;
    {
        Join join{side_st, side_thread};
        try {
            Xapian::WritableDatabase db(p.live.string(), Xapian::DB_OPEN);
            live_status = check_index_schema_version(db);
            if (live_status.ok()) delete_documents(db, plan, rep);
            if (live_status.ok())
                live_status =
                    write_pipeline(db, store, IdSpan{plan.ids, 0, cut, {}}, live_bytes, bo,
                                   std::max(1u, job_count(opts) - 1), batch_of(opts), opts);
            if (live_status.ok()) db.commit(); // the old last_seq: see above
            db.close();
        } catch (const Xapian::Error& e) {
            live_status = xapian_error(e, "update the search index " + p.live.string());
        }
        if (!live_status.ok()) side_st.cancel = true;
        side_thread.join();
    }
    MLARC_TRY_STATUS(live_status);
    MLARC_TRY_STATUS(side_status);
    fault_point("side-shard-built"); // kill tests (util/fault.hpp)

    const auto t_compact = Clock::now();
    if (opts.progress)
        opts.progress(IndexProgress{"compact", plan.ids.size(), plan.total_bytes(), 0});
    try {
        {
            Xapian::Database both(p.live.string());
            both.add_database(Xapian::Database(side.string()));
            both.compact(p.fresh.string(), Xapian::DBCOMPACT_NO_RENUMBER);
        }
        Xapian::WritableDatabase fresh(p.fresh.string(), Xapian::DB_OPEN);
        set_index_metadata(fresh, plan.to_seq, bo);
        fresh.commit();
        fresh.close();
    } catch (const Xapian::Error& e) {
        return xapian_error(e, "merge the search index " + p.fresh.string());
    }
    rep.compact_seconds = seconds_since(t_compact);
    MLARC_TRY_STATUS(install_fresh(p));
    fs::remove_all(p.shards, ec);
    rep.mode = IndexMode::shards;
    rep.threads = std::max(1u, job_count(opts) - 1) + 2;
    rep.indexed = plan.ids.size();
    rep.to_seq = plan.to_seq;
    return {};
}

Result<IndexReport> run_index(const IndexOptions& opts) {
    const auto t0 = Clock::now();
    IndexReport rep;
    auto store = Store::open(opts.archive, Store::Mode::read_only, feed_store_options());
    if (!store.ok()) return store.error();
    const Paths p(opts.archive);
    // Leftovers of a build that was killed (we hold the archive lock, so no
    // other build is using them).
    std::error_code ec;
    fs::remove_all(p.fresh, ec);
    fs::remove_all(p.shards, ec);

    const bool have_index = fs::exists(p.live, ec);
    auto layout = shard_layout(opts, p, have_index);
    if (!layout.ok()) return layout.error();
    rep.shards = *layout;
    BuilderOptions bo = have_index ? recorded_settings(p.live) : BuilderOptions{};
    // An index of an older schema is derived data: rebuilt, not refused (a
    // newer one is refused by check_index_schema_version below).
    const bool rebuild = opts.rebuild || (have_index && index_schema_is_older(p.live));
    if (have_index && !rebuild && *layout == index_shard_count(p.live)) {
        int64_t last = 0;
        Xapian::docid last_docid = 0;
        Xapian::doccount doccount = 0;
        try {
            Xapian::Database rdb(p.live.string());
            MLARC_TRY_STATUS(check_index_schema_version(rdb));
            last = metadata_int(rdb, kMetaLastSeq);
            last_docid = rdb.get_lastdocid();
            doccount = rdb.get_doccount();
        } catch (const Xapian::Error& e) {
            return xapian_error(e, "open the search index " + p.live.string());
        }
        if (opts.level && *opts.level != bo.level)
            return make_error(Errc::usage,
                              "the search index was built with --level " +
                                  std::string(index_level_name(bo.level)),
                              "add --rebuild to rebuild it with --level " +
                                  std::string(index_level_name(*opts.level)));
        if (opts.language && *opts.language != bo.language)
            return make_error(Errc::usage,
                              "the search index was built with --language " + bo.language,
                              "add --rebuild to rebuild it with --language " + *opts.language);
        rep.from_seq = last;
        rep.level = bo.level;
        rep.language = bo.language;
        auto current = store->change_seq();
        if (!current.ok()) return current.error();
        if (*current == last) {
            rep.up_to_date = true;
            rep.to_seq = last;
            MLARC_TRY_STATUS(compact_if_mostly_updated(opts, rep));
            rep.seconds = seconds_since(t0);
            return rep;
        }
        // An index ahead of its store (a store restored from a backup) is
        // rebuilt; so is an update touching most of the archive.
        if (*current > last && opts.mode != IndexMode::shards) {
            auto plan = plan_index_feed(*store, last);
            if (!plan.ok()) return plan.error();
            auto total = count_indexable_messages(*store);
            if (!total.ok()) return total.error();
            const bool most = plan->ids.size() >= kAutoRebuildMin &&
                              plan->ids.size() * 2 >= static_cast<uint64_t>(*total);
            // An update mostly of new documents runs on both cores with a
            // side shard and keeps what is indexed; one rewriting most old
            // documents is done as a (parallel) rebuild.
            const size_t cut =
                *layout == 1 ? side_shard_cut(*plan, last_docid, doccount, opts) : 0;
            if (cut > 0) {
                MLARC_TRY_STATUS(update_with_side_shard(*store, *plan, cut, opts, bo, rep));
                rep.seconds = seconds_since(t0);
                return rep;
            }
            if (opts.mode == IndexMode::single_writer || !most) {
                MLARC_TRY_STATUS(update_in_place(*store, *plan, opts, bo, rep));
                rep.seconds = seconds_since(t0);
                return rep;
            }
        }
    }
    if (opts.level) bo.level = *opts.level;
    if (opts.language) bo.language = *opts.language;
    auto pairs = default_pair_words(bo.level, bo.language);
    if (!pairs.ok()) return pairs.error();
    bo.pair_words = std::move(*pairs);
    rep.level = bo.level;
    rep.language = bo.language;
    if (*layout > 1)
        MLARC_TRY_STATUS(sharded_full_build(*store, *layout, opts, bo, rep));
    else
        MLARC_TRY_STATUS(full_build(*store, opts, bo, rep));
    rep.seconds = seconds_since(t0);
    return rep;
}

uint64_t directory_bytes(const fs::path& dir) {
    uint64_t total = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec)) total += it->file_size(ec);
    return total;
}

} // namespace

std::string_view index_mode_name(IndexMode mode) {
    switch (mode) {
    case IndexMode::automatic:
        return "auto";
    case IndexMode::single_writer:
        return "single";
    case IndexMode::shards:
        return "shards";
    }
    return "auto";
}

Result<IndexMode> parse_index_mode(std::string_view name) {
    for (auto m : {IndexMode::automatic, IndexMode::single_writer, IndexMode::shards})
        if (name == index_mode_name(m)) return m;
    return make_error(Errc::usage, "unknown index mode '" + std::string(name) + "'",
                      "use auto, single or shards");
}

Result<IndexReport> index_archive(const IndexOptions& opts) {
    try {
        auto rep = run_index(opts);
        if (rep.ok() && opts.columns) {
            if (auto st = refresh_columns(index_path(opts.archive)); !st.ok()) return st.error();
        }
        return rep;
    } catch (const Xapian::Error& e) {
        return xapian_error(e, "update the search index " + index_path(opts.archive).string());
    } catch (const fs::filesystem_error& e) {
        return make_error(Errc::io, std::string("search index: ") + e.what());
    } catch (const std::bad_alloc&) {
        return make_error(Errc::internal, "out of memory while indexing",
                          "lower --batch or --jobs");
    } catch (const std::exception& e) {
        return make_error(Errc::internal, std::string("indexing failed: ") + e.what());
    }
}

IndexFollower::IndexFollower(IndexOptions opts) : opts_(std::move(opts)) {
    opts_.progress = nullptr;
    opts_.compact_if_mostly_updated = false;
    opts_.columns = false;
    thread_ = std::thread([this] { loop(); });
}

IndexFollower::~IndexFollower() {
    stop();
}

void IndexFollower::stop() {
    {
        std::lock_guard<std::mutex> l(m_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void IndexFollower::loop() {
    int failures = 0;
    std::unique_lock<std::mutex> l(m_);
    while (!stopping_ && failures < 3) {
        cv_.wait_for(l, std::chrono::milliseconds(250), [&] { return stopping_; });
        if (stopping_) break;
        l.unlock();
        auto rep = index_archive(opts_);
        if (rep.ok())
            indexed_ += rep->indexed, failures = 0;
        else
            ++failures;
        l.lock();
    }
}

Result<IndexStats> index_stats(const std::filesystem::path& archive) {
    auto reader = IndexReader::open(archive);
    if (!reader.ok()) return reader.error();
    IndexStats s;
    auto st = reader->run([&](Xapian::Database& db) {
        s.documents = db.get_doccount();
        uint64_t terms = 0;
        for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it)
            ++terms;
        s.unique_terms = terms;
        s.last_seq = metadata_int(db, kMetaLastSeq);
        s.schema = static_cast<int>(metadata_int(db, kMetaSchema));
        s.level = db.get_metadata(std::string(kMetaLevel));
        s.language = db.get_metadata(std::string(kMetaLanguage));
        s.pair_words = db.get_metadata(std::string(kMetaPairWords));
    });
    if (!st.ok()) return st.error();
    s.bytes_on_disk = directory_bytes(index_path(archive));
    s.shards = index_shard_count(index_path(archive));
    auto store = Store::open(archive, Store::Mode::read_only);
    if (!store.ok()) return store.error();
    auto seq = store->change_seq();
    if (!seq.ok()) return seq.error();
    s.store_seq = *seq;
    auto n = count_indexable_messages(*store);
    if (!n.ok()) return n.error();
    s.store_messages = *n;
    return s;
}

} // namespace mlarc
