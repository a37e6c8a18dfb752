// Implementation of the import pipeline (see importer.hpp).
#include "ingest/importer.hpp"

#include "ingest/list_route.hpp"
#include "mime/decode.hpp"
#include "registry/extract.hpp"
#include "registry/registry.hpp"
#include "store/purge.hpp"
#include "store/raw_codec.hpp"
#include "util/date.hpp"
#include "util/lock.hpp"
#include "util/progress.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_set>
#include <variant>

namespace mlarc {

namespace {

using Clock = std::chrono::steady_clock;

int64_t now_utc() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Quarantined {
    std::string raw;
    std::string reason;
    std::string raw_hash;
    uint64_t offset = 0;
};

using Decoded = std::variant<IncomingMessage, Quarantined>;

struct Batch {
    std::vector<RawMessage> raw;
    uint64_t end_offset = 0; // offset just past the last message of the batch
    bool eof = false;
};

/// The identity of a message's content, used to tell a second delivery of the
/// same message (a cross-post: each list adds its own List-Id, subject tag and
/// footer, so the bytes differ) from different content reusing a Message-ID.
/// It hashes what the author wrote in the headers: sender, Date, subject
/// without list tags, recipients.
std::string content_identity(const ParsedMessage& p) {
    std::string key = p.from.address;
    key += '\n';
    key += p.date_header;
    key += '\n';
    key += normalise_subject(p.subject);
    for (const auto* v : {&p.to, &p.cc}) {
        key += '\n';
        for (const auto& a : *v) {
            key += a.address;
            key += ',';
        }
    }
    return sha256_hex(key);
}

/// Synthetic Message-ID for a message without one: a hash of its bytes with
/// line endings normalised, so re-imports give the same id.
std::string synthetic_mid(std::string_view raw) {
    std::string norm;
    norm.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
        norm += raw[i];
    }
    return sha256_hex(norm) + "@generated.invalid";
}

/// Deliverable mentions (registry/extract.hpp) in the subject, the body text
/// (quoted lines skipped) and the attachment file names; none without a registry.
std::vector<DeliverableMention> deliverable_mentions(const ParsedMessage& p,
                                                     const std::vector<Deliverable>& registry) {
    std::vector<DeliverableMention> out;
    if (registry.empty()) return out;
    auto scan = [&](std::string_view text, MentionContext ctx, const char* context) {
        for (auto& found : find_mentions(text, registry, ctx))
            out.push_back({std::move(found.deliverable_id),
                           std::string(mention_kind_name(found.kind)), std::move(found.text),
                           context});
    };
    scan(p.subject, MentionContext::subject, "subject");
    scan(p.body_text, MentionContext::body, "body");
    for (const auto& a : p.attachments)
        if (!a.filename.empty()) scan(a.filename, MentionContext::attachment_name, "attachment");
    return out;
}

/// What the decode workers share; read-only while they run.
struct DecodeContext {
    const ImportOptions& opts;
    const std::vector<Deliverable>& registry; // deliverables; empty without a registry
    const ListRouter& router;
    std::set<std::string> registry_lists; // names of the registry's lists (lists.tsv)
};

Decoded decode_one(RawMessage& rm, int64_t now, const DecodeContext& cx) {
    const ImportOptions& opts = cx.opts;
    const auto t0 = Clock::now();
    // Most messages have no escaped From line: decoded from the raw bytes in place.
    std::string unescaped;
    if (needs_unescape(rm.raw, rm.escaping)) unescaped = unescape(rm.raw, rm.escaping);
    const std::string_view msg = unescaped.empty() ? std::string_view(rm.raw) : unescaped;
    DecodeOptions dopts;
    // The store derives the header text from the raw bytes (encode_message_text).
    dopts.header_fields = false;
    auto parsed = decode_message(msg, dopts);
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    std::optional<ListInfo> routed;
    if (parsed.ok()) routed = cx.router.route(parsed->list_ids);
    const bool no_list = parsed.ok() && !routed;
    if (!parsed.ok() || secs > opts.max_decode_seconds || no_list) {
        Quarantined q;
        q.reason = !parsed.ok() ? parsed.error().message
                   : no_list    ? "no list: no List-Id header names a known list and no --list was given"
                                : "timeout: decoding took " + std::to_string(secs) + " s";
        q.raw_hash = sha256_hex(rm.raw);
        q.offset = rm.offset;
        q.raw = std::move(rm.raw);
        return q;
    }
    IncomingMessage m;
    m.parsed = std::move(*parsed);
    m.flags = m.parsed.flags | rm.flags;
    if (m.parsed.message_id.empty()) {
        m.mid = synthetic_mid(msg);
        m.flags |= flag_generated_mid;
    } else {
        m.mid = m.parsed.message_id;
    }
    const DateChoice d = choose_date(m.parsed.date_header, rm.from_line, m.parsed.received_dates, now);
    m.date_utc = d.utc;
    m.date_offset = d.offset_minutes;
    m.date_source = d.source;
    m.flags |= d.flags;
    m.content_hash = content_identity(m.parsed);
    // Deliverable mentions only in the registry's lists: the registry's
    // deliverables are that group's documents (docs/fgdpm.md).
    if (cx.registry_lists.count(routed->name))
        m.mentions = deliverable_mentions(m.parsed, cx.registry);
    m.normalised_subject = normalise_subject(m.parsed.subject);
    m.reply_subject = is_reply_subject(m.parsed.subject);
    m.from_line = std::move(rm.from_line);
    m.escaping = static_cast<int>(rm.escaping);
    m.raw_size = rm.raw.size();
    EncodedRaw enc = encode_raw(rm.raw);
    m.codec = static_cast<int>(enc.codec);
    m.raw_encoded = std::move(enc.bytes);
    m.source_offset = rm.offset;
    // The text is kept compressed; the decoded copies are not needed any more.
    encode_message_text(m, msg);
    std::string().swap(m.parsed.body_text);
    std::string().swap(m.parsed.attachment_text);
    std::vector<Header>().swap(m.parsed.headers);
    return m;
}

/// decode_one() that turns an exception (out of memory, say) into quarantine:
/// the message is kept either way.
Decoded decode_or_quarantine(RawMessage& rm, int64_t now, const DecodeContext& cx) {
    try {
        return decode_one(rm, now, cx);
    } catch (const std::exception& e) {
        Quarantined q;
        q.reason = std::string("internal error while decoding: ") + e.what();
        q.raw_hash = sha256_hex(rm.raw);
        q.offset = rm.offset;
        q.raw = std::move(rm.raw);
        return q;
    }
}

/// Decode workers that live for the whole import (starting threads per batch
/// cost thread start-up and fresh malloc arenas every 2000 messages). submit()
/// queues a batch and returns at once; wait() returns its results in input
/// order. Workers take the messages of the oldest batch first, so batch N is
/// done before N+1 is started.
class DecodePool {
  public:
    struct Job {
        std::vector<RawMessage> raw;
        std::vector<std::optional<Decoded>> out;
        size_t next = 0;      // next message to hand out (under mu_)
        size_t remaining = 0; // messages not decoded yet (under mu_)
        int64_t now = 0;
    };

    DecodePool(unsigned workers, const DecodeContext& cx) : cx_(cx) {
        for (unsigned k = 0; k < std::max(1u, workers); ++k)
            threads_.emplace_back([this] { work(); });
    }
    ~DecodePool() {
        {
            std::lock_guard lk(mu_);
            stop_ = true;
        }
        wake_.notify_all();
        for (auto& t : threads_)
            t.join();
    }
    DecodePool(const DecodePool&) = delete;
    DecodePool& operator=(const DecodePool&) = delete;

    std::shared_ptr<Job> submit(std::vector<RawMessage> raw) {
        auto job = std::make_shared<Job>();
        job->raw = std::move(raw);
        job->out.resize(job->raw.size());
        job->remaining = job->raw.size();
        job->now = now_utc();
        if (job->raw.empty()) return job;
        {
            std::lock_guard lk(mu_);
            queue_.push_back(job);
        }
        wake_.notify_all();
        return job;
    }

    std::vector<Decoded> wait(Job& job) {
        {
            std::unique_lock lk(mu_);
            done_.wait(lk, [&] { return job.remaining == 0; });
        }
        std::vector<Decoded> res;
        res.reserve(job.out.size());
        for (auto& d : job.out)
            res.push_back(std::move(*d));
        return res;
    }

  private:
    void work() {
        std::unique_lock lk(mu_);
        for (;;) {
            wake_.wait(lk, [&] { return stop_ || !queue_.empty(); });
            if (stop_) return;
            std::shared_ptr<Job> job = queue_.front();
            const size_t i = job->next++;
            if (job->next == job->raw.size()) queue_.pop_front();
            lk.unlock();
            job->out[i].emplace(decode_or_quarantine(job->raw[i], job->now, cx_));
            lk.lock();
            if (--job->remaining == 0) done_.notify_all();
        }
    }

    const DecodeContext& cx_;
    std::mutex mu_;
    std::condition_variable wake_, done_;
    std::deque<std::shared_ptr<Job>> queue_;
    bool stop_ = false;
    std::vector<std::thread> threads_;
};

/// Frames the batches of one source on a thread of its own and queues each
/// for decoding as soon as it is read, keeping at most `ahead` batches queued
/// beyond the one being stored: framing and decompression then run beside
/// the SQLite writer instead of between its batches. next() hands the
/// batches over in input order.
class BatchReader {
  public:
    struct Item {
        std::shared_ptr<DecodePool::Job> job;
        uint64_t end_offset = 0; // just past the batch's last message
        uint64_t bytes_done = 0; // of the source, for the progress bar
    };

    /// `read` runs on the reader thread; an empty batch that is not at the end
    /// of the input (stop_after reached) ends the reading too.
    BatchReader(std::function<Result<Batch>()> read, std::function<uint64_t()> bytes_done,
                DecodePool& pool, size_t ahead)
        : read_(std::move(read)), bytes_done_(std::move(bytes_done)), pool_(pool), ahead_(ahead),
          thread_([this] { run(); }) {}
    ~BatchReader() {
        cancel();
        thread_.join();
        for (auto& it : queue_)
            (void)pool_.wait(*it.job); // the workers go idle before we return
    }
    BatchReader(const BatchReader&) = delete;
    BatchReader& operator=(const BatchReader&) = delete;

    /// The next batch, or nullopt when the reader is done; then status() says
    /// whether reading failed and eof() whether the input was read to its end.
    std::optional<Item> next() {
        std::unique_lock lk(mu_);
        cv_.wait(lk, [&] { return !queue_.empty() || done_; });
        if (queue_.empty()) return std::nullopt;
        Item it = std::move(queue_.front());
        queue_.pop_front();
        cv_.notify_all();
        return it;
    }
    /// Stops reading after the batch in hand (the writer failed).
    void cancel() {
        std::lock_guard lk(mu_);
        cancelled_ = true;
        cv_.notify_all();
    }
    Status status() {
        std::lock_guard lk(mu_);
        return status_;
    }
    bool eof() {
        std::lock_guard lk(mu_);
        return eof_;
    }
    /// True once the whole input is read and every batch taken: the moment to
    /// start reading the next file (no more batches are alive then than while
    /// reading one file).
    bool drained() {
        std::lock_guard lk(mu_);
        return done_ && queue_.empty();
    }

  private:
    void run() {
        Status status;
        bool eof = false;
        for (;;) {
            {
                std::unique_lock lk(mu_);
                cv_.wait(lk, [&] { return cancelled_ || queue_.size() < ahead_; });
                if (cancelled_) break;
            }
            auto b = read_();
            if (!b.ok()) {
                status = b.error();
                break;
            }
            const bool last = b->eof || b->raw.empty();
            eof = b->eof;
            if (!b->raw.empty()) {
                Item it{pool_.submit(std::move(b->raw)), b->end_offset, bytes_done_()};
                std::lock_guard lk(mu_);
                queue_.push_back(std::move(it));
                cv_.notify_all();
            }
            if (last) break;
        }
        std::lock_guard lk(mu_);
        status_ = status;
        eof_ = eof;
        done_ = true;
        cv_.notify_all();
    }

    std::function<Result<Batch>()> read_;
    std::function<uint64_t()> bytes_done_;
    DecodePool& pool_;
    const size_t ahead_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Item> queue_;
    bool cancelled_ = false, done_ = false, eof_ = false;
    Status status_;
    std::thread thread_; // last: starts when everything above is ready
};

struct FileIdentity {
    uint64_t size = 0;
    int64_t mtime = 0;
    uint64_t inode = 0;
    std::string head_hash;
};

/// Size, mtime, inode and the hash of the first `head_len` bytes (at most
/// 64 KiB) of a file, so that a file that grew since it was last read (its
/// first `old size` bytes unchanged) is recognised; for a
/// directory (Maildir) the size is the sum of its files and the hash covers
/// their names.
Result<FileIdentity> identify(const std::filesystem::path& p, uint64_t head_len = 65536) {
    FileIdentity id;
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0)
        return make_error(Errc::not_found, p.string() + ": " + std::strerror(errno));
    id.mtime = st.st_mtime;
    id.inode = st.st_ino;
    if (S_ISDIR(st.st_mode)) {
        std::string names;
        std::error_code ec;
        for (const char* sub : {"cur", "new"}) {
            auto d = p / sub;
            if (!std::filesystem::is_directory(d, ec)) continue;
            std::vector<std::filesystem::path> files;
            for (const auto& e : std::filesystem::directory_iterator(d, ec)) files.push_back(e.path());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                names += f.filename().string();
                names += '\n';
                id.size += std::filesystem::file_size(f, ec);
            }
        }
        id.head_hash = sha256_hex(names);
        return id;
    }
    id.size = static_cast<uint64_t>(st.st_size);
    std::ifstream in(p, std::ios::binary);
    if (!in) return make_error(Errc::unreadable, p.string() + ": cannot read: " + std::strerror(errno));
    std::string head(std::min<uint64_t>(head_len, 65536), '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
    id.head_hash = sha256_hex(head);
    return id;
}

class Importer {
  public:
    Importer(const ImportOptions& o, Store& s, const ListInfo& l, ImportSummary& sum,
             std::vector<Deliverable> deliverables, ListRouter router,
             std::set<std::string> registry_lists)
        : opts_(o), store_(s), list_(l), summary_(sum), deliverables_(std::move(deliverables)),
          router_(std::move(router)), cx_{opts_, deliverables_, router_, std::move(registry_lists)},
          jobs_(o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency())) {}

    /// Imports the files and Maildirs in order. `from_dir`: found inside a
    /// directory, where a file that is not mail (a README, say) is skipped with
    /// a warning. A damaged file does not stop the others; a full disk or a
    /// lost lock does. The first error is returned.
    Status import_files(const std::vector<std::pair<std::filesystem::path, bool>>& files);
    /// Messages with these purge_identity_key()s are skipped, counted as purged.
    void skip_purged(std::unordered_set<std::string> keys) { purged_ = std::move(keys); }

  private:
    /// A file made ready to read: what is known before its first batch. Made
    /// without writing to the store, so one made ahead and not used leaves
    /// nothing behind.
    struct Prepared {
        FileSummary fs;
        std::filesystem::path abs;
        SourceInfo src;
        uint64_t start = 0;                    // byte offset reading starts at
        std::unique_ptr<MessageSource> source; // null: nothing to read (fs.status says why)
        std::unique_ptr<BatchReader> reader;   // framing on its own thread (start_reading)
    };
    Result<Prepared> prepare(const std::filesystem::path& input, bool from_dir);
    void start_reading(Prepared& p);
    /// Stores the prepared file's messages; calls `read_next` once its reader
    /// has read it all (to start reading the next file meanwhile).
    Status import_prepared(Prepared& p, const std::function<void()>& read_next);
    Result<Batch> read_batch(MessageSource& src);
    Status store_batch(std::vector<Decoded>& decoded, SourceInfo& src, uint64_t end_offset,
                       FileSummary& fs);
    /// The store id of each decoded message's list (0 for a quarantined one).
    Result<std::vector<int64_t>> message_lists(const std::vector<Decoded>& decoded);
    DecodePool& pool() {
        if (!pool_) pool_ = std::make_unique<DecodePool>(jobs_, cx_);
        return *pool_;
    }

    const ImportOptions& opts_;
    Store& store_;
    ListInfo list_;
    ImportSummary& summary_;
    std::vector<Deliverable> deliverables_;   // for mentions; empty without a registry
    ListRouter router_;                       // List-Id -> list (ingest/list_route.hpp)
    DecodeContext cx_;                        // what the decode workers read
    std::map<std::string, int64_t> list_ids_; // lists ensured in the store, by name
    unsigned jobs_;
    std::atomic<uint64_t> total_read_{0};    // by the reader threads (two at a file change)
    std::unordered_set<std::string> purged_; // store/purge.hpp purged_identities()
    std::unique_ptr<DecodePool> pool_; // started by the first file that is read; last member:
                                       // its workers stop before cx_ goes
};

Result<Batch> Importer::read_batch(MessageSource& src) {
    Batch b;
    size_t bytes = 0;
    while (b.raw.size() < opts_.batch_messages && bytes < opts_.batch_bytes) {
        if (opts_.stop_after && total_read_ >= opts_.stop_after) break;
        auto r = src.next();
        if (!r.ok()) return r.error();
        if (!*r) {
            b.eof = true;
            break;
        }
        bytes += (*r)->raw.size();
        b.end_offset = (*r)->end_offset;
        b.raw.push_back(std::move(**r));
        ++total_read_;
    }
    return b;
}

Result<std::vector<int64_t>> Importer::message_lists(const std::vector<Decoded>& decoded) {
    std::vector<int64_t> ids(decoded.size(), 0);
    for (size_t i = 0; i < decoded.size(); ++i) {
        const auto* m = std::get_if<IncomingMessage>(&decoded[i]);
        if (!m) continue;
        std::optional<ListInfo> l = router_.route(m->parsed.list_ids);
        if (!l) continue; // cannot happen: decode_one quarantines those
        auto it = list_ids_.find(l->name);
        if (it == list_ids_.end()) {
            auto e = store_.ensure_list(*l);
            if (!e.ok()) return e.error();
            it = list_ids_.emplace(l->name, e->id).first;
        }
        ids[i] = it->second;
    }
    return ids;
}

Status Importer::store_batch(std::vector<Decoded>& decoded, SourceInfo& src, uint64_t end_offset,
                             FileSummary& fs) {
    auto lists = message_lists(decoded); // before the batch: a list row is kept either way
    if (!lists.ok()) return lists.error();
    MLARC_TRY_STATUS(store_.begin_batch());
    int64_t stored = 0, dups = 0, quar = 0, purged = 0;
    size_t index = 0;
    for (auto& d : decoded) {
        const int64_t list_id = (*lists)[index++];
        if (auto* q = std::get_if<Quarantined>(&d)) {
            auto r = store_.add_quarantine(q->raw, q->reason, src.id, q->offset, list_.id, q->raw_hash);
            if (!r.ok()) return store_.rollback_batch(), r.error();
            ++quar;
            continue;
        }
        auto& m = std::get<IncomingMessage>(d);
        if (!purged_.empty() && purged_.count(purge_identity_key(m.mid, m.content_hash))) {
            ++purged;
            continue;
        }
        auto r = store_.add_message(m, list_id, src.id);
        if (!r.ok()) {
            Error e = r.error();
            e.message += " (message at byte " + std::to_string(m.source_offset) + " of " + src.path + ")";
            store_.rollback_batch();
            return e;
        }
        if (*r == AddOutcome::stored || *r == AddOutcome::stored_dup_mid) ++stored;
        else ++dups;
    }
    src.done_offset = end_offset;
    if (auto st = store_.save_source(src); !st.ok()) return store_.rollback_batch(), st.error();
    if (auto st = store_.commit_batch(); !st.ok()) return st.error();
    fs.read += stored + dups + quar + purged;
    fs.purged += purged;
    fs.stored += stored;
    fs.duplicates += dups;
    fs.quarantined += quar;
    return {};
}

Result<Importer::Prepared> Importer::prepare(const std::filesystem::path& input, bool from_dir) {
    Prepared p;
    FileSummary& fs = p.fs;
    std::error_code ec;
    p.abs = std::filesystem::absolute(input, ec).lexically_normal();
    const auto& abs = p.abs;
    fs.path = abs.string();
    auto found = store_.find_source(fs.path);
    if (!found.ok()) return found.error();
    // Hash as much of the head as the file had when it was last read, to
    // recognise an mbox that only grew.
    auto ident = identify(abs, *found && (*found)->size > 0 ? (*found)->size : 65536);
    if (!ident.ok()) return ident.error();
    // A new file gets its `sources` row only once it has opened as mail, so a
    // README skipped in a corpus directory leaves no row behind.
    SourceInfo& src = p.src;
    if (*found) {
        src = **found;
    } else {
        src.path = fs.path;
        src.list_id = list_.id;
        src.format = std::string(mbox_format_name(opts_.format));
    }
    const bool same_head = src.head_hash == ident->head_hash && ident->size >= src.size;
    if (src.complete && same_head && ident->size == src.size && src.list_id == list_.id) {
        fs.status = "unchanged";
        return p;
    }
    uint64_t start = (same_head && src.list_id == list_.id) ? src.done_offset : 0;
    fs.status = start > 0 ? "resumed" : "imported";
    const bool head_was_partial = ident->size != src.size;
    src.list_id = list_.id;
    src.mtime = ident->mtime;
    src.inode = ident->inode;
    src.complete = false;
    if (head_was_partial || !same_head) {
        auto full = identify(abs);
        if (!full.ok()) return full.error();
        ident = full;
    }
    src.head_hash = ident->head_hash;
    src.size = ident->size;
    src.done_offset = start;

    OpenOptions oo;
    oo.format = opts_.format;
    oo.start_offset = start;
    oo.max_message_size = opts_.max_message_size;
    auto opened = open_source(abs, oo);
    if (!opened.ok() && start > 0) {
        // The resume point is not where a message starts any more: read it all
        // again (deduplication keeps that correct).
        start = 0;
        oo.start_offset = 0;
        src.done_offset = 0;
        fs.status = "imported";
        opened = open_source(abs, oo);
    }
    if (!opened.ok() && from_dir && opened.error().code == Errc::bad_input) {
        fs.status = "skipped";
        fs.warnings.push_back(opened.error().message);
        return p;
    }
    if (!opened.ok()) return opened.error();
    p.start = start;
    p.source = std::move(*opened);
    return p;
}

void Importer::start_reading(Prepared& p) {
    if (!p.source || p.reader) return;
    MessageSource& source = *p.source;
    // The reader thread frames one batch ahead of the one being stored, and
    // the decode workers work on it meanwhile. Two ahead was no faster on the
    // whole linux-mips corpus (the import is CPU-bound on two cores) and held
    // 25 MB more.
    p.reader = std::make_unique<BatchReader>([this, &source] { return read_batch(source); },
                                             [&source] { return source.bytes_done(); }, pool(), 1);
}

Status Importer::import_prepared(Prepared& p, const std::function<void()>& read_next) {
    FileSummary& fs = p.fs;
    SourceInfo& src = p.src;
    if (!p.source) { // unchanged or skipped
        summary_.files.push_back(std::move(fs));
        return {};
    }
    if (src.id == 0) { // a file the store does not know yet
        auto c = store_.create_source(src);
        if (!c.ok()) return c.error();
        src.id = c->id;
    }
    const uint64_t start = p.start;
    MessageSource& source = *p.source;
    auto log_id = store_.log_begin(src.id, start);
    if (!log_id.ok()) return log_id.error();

    Progress progress("import " + p.abs.filename().string(), source.bytes_total(), opts_.progress);
    // This thread only stores, in input order.
    Status result;
    bool eof = false;
    bool next_started = false;
    {
        start_reading(p);
        BatchReader& reader = *p.reader;
        while (auto item = reader.next()) {
            if (!next_started && reader.drained()) {
                next_started = true;
                read_next();
            }
            std::vector<Decoded> decoded = pool().wait(*item->job);
            if (auto st = store_batch(decoded, src, item->end_offset, fs); !st.ok()) {
                result = st;
                reader.cancel();
                break;
            }
            progress.update(item->bytes_done, static_cast<uint64_t>(fs.read));
        }
        if (result.ok()) {
            result = reader.status();
            eof = reader.eof();
        }
        p.reader.reset(); // joins the reader thread
    }
    progress.finish();
    for (auto& w : source.take_warnings()) fs.warnings.push_back(std::move(w));
    const bool completed = result.ok() && eof;
    if (completed) {
        src.complete = true;
        if (auto st = store_.save_source(src); !st.ok() && result.ok()) result = st;
    }
    (void)store_.log_end(*log_id, src.done_offset, fs.read, fs.stored, fs.duplicates,
                         fs.quarantined, completed ? "complete" : (result.ok() ? "stopped" : "error"));
    if (fs.purged) (void)log_purged(store_, *log_id, fs.purged);
    if (!result.ok()) {
        fs.status = "error";
        fs.error = result.error().what();
    }
    summary_.read += fs.read;
    summary_.stored += fs.stored;
    summary_.duplicates += fs.duplicates;
    summary_.quarantined += fs.quarantined;
    summary_.purged += fs.purged;
    summary_.bytes += src.done_offset - start;
    summary_.files.push_back(std::move(fs));
    return result;
}

Status Importer::import_files(const std::vector<std::pair<std::filesystem::path, bool>>& files) {
    Status result;
    // The next file is opened and read (framed and decoded) while this thread
    // stores the last batches of the current one, so the workers do not wait
    // between files (they did for 3 s of 13 over linux-mips's 28 files). It is
    // not made ahead when it is the current file again (its resume point is
    // not saved yet) or when --stop-after is reached.
    std::optional<Result<Prepared>> ahead;
    for (size_t i = 0; i < files.size(); ++i) {
        Result<Prepared> cur = ahead ? std::move(*ahead) : prepare(files[i].first, files[i].second);
        ahead.reset();
        auto read_next = [&] {
            if (i + 1 >= files.size() || !cur.ok()) return;
            if (opts_.stop_after && total_read_ >= opts_.stop_after) return;
            std::error_code ec;
            const auto next = std::filesystem::absolute(files[i + 1].first, ec).lexically_normal();
            if (next == cur->abs) return;
            ahead = prepare(files[i + 1].first, files[i + 1].second);
            if (ahead->ok()) start_reading(**ahead);
        };
        Status st = cur.ok() ? import_prepared(*cur, read_next) : Status(cur.error());
        if (!st.ok()) {
            if (result.ok()) result = st;
            // A damaged file does not stop the others; a full disk or a lost
            // lock does.
            const Errc c = st.error().code;
            if (c != Errc::bad_input && c != Errc::io && c != Errc::unreadable) break;
        }
        if (opts_.stop_after && summary_.read >= static_cast<int64_t>(opts_.stop_after)) break;
    }
    return result;
}

/// Every input expanded (directories to the files in them), each with whether
/// it was found inside a directory given on the command line.
Result<std::vector<std::pair<std::filesystem::path, bool>>>
expand_all(const std::vector<std::filesystem::path>& inputs) {
    std::vector<std::pair<std::filesystem::path, bool>> files;
    for (const auto& in : inputs) {
        auto ex = expand_inputs(in);
        if (!ex.ok()) return ex.error();
        for (auto& f : *ex) files.emplace_back(f, f != in);
    }
    return files;
}

/// Completes a list named on the command line from the group's registry
/// (lists.tsv: address, working-group number, title), matched by name or
/// address. Without a registry, or for a list it does not name, the list is
/// kept as given (no WG number).
ListInfo describe_list(ListInfo list, const std::filesystem::path& archive) {
    auto dir = find_registry_dir(archive);
    if (!dir.ok()) return list;
    auto lists = load_lists(*dir / "lists.tsv");
    if (!lists.ok()) return list;
    for (const auto& e : *lists) {
        if (e.name == list.name || (!list.address.empty() && ascii_lower(e.address) == list.address)) {
            list.name = e.name;
            list.address = e.address;
            list.wg = e.wg;
            list.title = e.title;
            break;
        }
    }
    return list;
}

} // namespace

Result<ListInfo> parse_list_arg(std::string_view value) {
    std::string v(trim(value));
    if (v.empty())
        return make_error(Errc::usage, "--list is missing or empty", "name the list the mail belongs to, e.g. --list fgdpmwg3 or --list fgdpmwg3@lists.itu.int");
    ListInfo l;
    auto at = v.find('@');
    std::string name = ascii_lower(at == std::string::npos ? v : v.substr(0, at));
    if (at != std::string::npos) l.address = ascii_lower(v);
    for (char c : name) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
            return make_error(Errc::usage, "bad list name '" + v + "'",
                              "use letters, digits, '-', '_' or '.', or the list address");
    }
    if (name.empty()) return make_error(Errc::usage, "bad list address '" + v + "'");
    l.name = name;
    return l;
}

Status run_import(const ImportOptions& opts, const std::vector<std::filesystem::path>& inputs,
                  ImportSummary& summary) {
    const auto t0 = Clock::now();
    // The registry's lists, for List-Id routing (ingest/list_route.hpp).
    std::vector<ListEntry> known;
    if (auto dir = find_registry_dir(opts.archive); dir.ok())
        if (auto l = load_lists(*dir / "lists.tsv"); l.ok()) known = std::move(*l);
    std::optional<ListInfo> fallback;
    if (!trim(opts.list).empty()) {
        auto list_arg = parse_list_arg(opts.list);
        if (!list_arg.ok()) return list_arg.error();
        fallback = describe_list(*list_arg, opts.archive);
    } else if (known.empty()) {
        return make_error(Errc::usage, "--list is missing and there is no registry whose lists "
                                       "List-Id headers could name",
                          "name the list the mail belongs to, e.g. --list fgdpmwg3 or "
                          "--list fgdpmwg3@lists.itu.int");
    }
    if (inputs.empty()) return make_error(Errc::usage, "no input files", "give one or more mbox files or Maildirs");
    // Check every input before touching the archive.
    auto expanded = expand_all(inputs);
    if (!expanded.ok()) return expanded.error();
    const auto& files = *expanded;
    std::error_code ec;
    std::filesystem::create_directories(opts.archive, ec);
    if (ec)
        return make_error(Errc::unreadable, "cannot create archive directory " +
                                                opts.archive.string() + ": " + ec.message());
    auto lock = ArchiveLock::acquire(opts.archive, opts.lock_wait_seconds);
    if (!lock.ok()) return lock.error();
    StoreOptions so;
    so.subject_threading = opts.subject_threading;
    auto store = Store::open(opts.archive, Store::Mode::read_write, so);
    if (!store.ok()) return store.error();
    if (opts.on_locked) opts.on_locked();
    // The list a file is recorded under (sources.list_id): --list, or without
    // it the registry's first list (its main list).
    ListInfo file_list;
    if (fallback) {
        file_list = *fallback;
    } else {
        file_list.name = known.front().name;
        file_list.address = ascii_lower(known.front().address);
        file_list.wg = known.front().wg;
        file_list.title = known.front().title;
    }
    auto list = store->ensure_list(file_list);
    if (!list.ok()) return list.error();
    // Deliverable mentions need the registry; without one there are none.
    std::vector<Deliverable> deliverables;
    if (auto dir = find_registry_dir(opts.archive); dir.ok())
        if (auto reg = load_registry(*dir); reg.ok()) deliverables = std::move(reg->deliverables);
    std::set<std::string> registry_lists;
    for (const auto& l : known)
        registry_lists.insert(l.name);
    Importer imp(opts, *store, *list, summary, std::move(deliverables), ListRouter(fallback, known),
                 std::move(registry_lists));
    auto purged = purged_identities(*store);
    if (!purged.ok()) return purged.error();
    imp.skip_purged(std::move(*purged));
    Status result = imp.import_files(files);
    summary.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    if (opts.keep_lock) *opts.keep_lock = std::move(*lock); // held on for the index update
    return result;
}

Result<ImportSummary> count_messages(const std::vector<std::filesystem::path>& inputs,
                                     MboxFormat format) {
    const auto t0 = Clock::now();
    ImportSummary sum;
    auto expanded = expand_all(inputs);
    if (!expanded.ok()) return expanded.error();
    for (const auto& [f, from_dir] : *expanded) {
        {
            OpenOptions oo;
            oo.format = format;
            auto src = open_source(f, oo);
            if (!src.ok() && from_dir && src.error().code == Errc::bad_input) continue;
            if (!src.ok()) return src.error();
            FileSummary fs;
            fs.path = f.string();
            for (;;) {
                auto r = (*src)->next();
                if (!r.ok()) return r.error();
                if (!*r) break;
                ++fs.read;
                sum.bytes += (*r)->end_offset - (*r)->offset;
            }
            sum.read += fs.read;
            sum.files.push_back(std::move(fs));
        }
    }
    sum.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return sum;
}

} // namespace mlarc
