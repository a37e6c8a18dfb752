// Store implementation: migrations, lists, sources, batches, message insert
// with dedup and threading (thread/threader.hpp over an SQL-backed graph).
#include "store/store.hpp"

#include "mime/decode.hpp"
#include "thread/threader.hpp"
#include "util/strings.hpp"

#include <sqlite3.h>

#include <chrono>
#include <span>
#include <unordered_map>
#include <utility>

namespace mlarc {

namespace {

struct Migration {
    const char* name;
    const char* sql;
};
const Migration kMigrations[] = {
#include "store/migrations.inc"
};

/// The highest message id ever given: a purged message's id (kept in
/// tombstones) is never given to another message.
constexpr const char* kMaxIdSql =
    "SELECT max(coalesce((SELECT max(id) FROM messages), 0), "
    "coalesce((SELECT max(message_id) FROM tombstones), 0))";

int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

int store_schema_version() { return static_cast<int>(std::size(kMigrations)); }

struct Store::Impl : ThreadGraph {
    sql::Db db;
    std::filesystem::path dir;
    StoreOptions opts;
    std::optional<sql::Transaction> tx;
    int64_t seq = 0;
    int64_t next_id = 1;
    int64_t subject_window = 30 * 86400;
    struct SqlHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, sql::Stmt, SqlHash, std::equal_to<>> stmts;

    /// Prepared statement cache keyed by SQL text.
    Result<sql::Stmt*> st(const char* sql) {
        auto it = stmts.find(std::string_view(sql));
        if (it != stmts.end()) return &it->second;
        auto s = db.prepare(sql);
        if (!s.ok()) return s.error();
        return &stmts.emplace(sql, std::move(*s)).first->second;
    }

    // ThreadGraph over thread_nodes / messages / subject_threads. Errors inside
    // the graph callbacks are recorded and reported by add_message.
    std::optional<Error> graph_error;
    void fail(const Error& e) {
        if (!graph_error) graph_error = e;
    }

    std::optional<ThreadNode> find(const std::string& mid) override {
        auto s = st("SELECT thread_id, parent_mid, parent_reason, message_id FROM thread_nodes "
                    "WHERE mid=?");
        if (!s.ok()) return fail(s.error()), std::nullopt;
        sql::Stmt& q = **s;
        q.bind(1, mid);
        auto r = q.step();
        std::optional<ThreadNode> out;
        if (!r.ok()) fail(r.error());
        else if (*r)
            out = ThreadNode{mid, q.int64(0), q.text(1), q.text(2), q.is_null(3)};
        q.reset();
        return out;
    }
    /// The message add_message is threading: its own node is put with the id
    /// its row is about to get (no lookup, no update afterwards).
    std::string_view adding_mid;
    int64_t adding_id = 0;

    void put(const ThreadNode& n) override {
        const bool own = !adding_mid.empty() && n.mid == adding_mid;
        auto s = own ? st("INSERT OR REPLACE INTO thread_nodes(mid, thread_id, parent_mid, "
                          "parent_reason, message_id) VALUES(?,?,?,?,?)")
                     : st("INSERT OR REPLACE INTO thread_nodes(mid, thread_id, parent_mid, "
                          "parent_reason, message_id) VALUES(?,?,?,?,(SELECT id FROM messages "
                          "WHERE mid=?1 AND mid_seq=1))");
        if (!s.ok()) return fail(s.error());
        (*s)->bind(1, n.mid).bind(2, n.thread_id);
        if (own) (*s)->bind(5, adding_id);
        if (n.parent_mid.empty()) (*s)->bind_null(3).bind_null(4);
        else (*s)->bind(3, n.parent_mid).bind(4, n.parent_reason);
        if (auto r = (*s)->run(); !r.ok()) fail(r.error());
    }
    void merge(int64_t from, int64_t into) override {
        for (const char* q : {"UPDATE thread_nodes SET thread_id=?2 WHERE thread_id=?1",
                              "UPDATE subject_threads SET thread_id=?2 WHERE thread_id=?1",
                              "UPDATE messages SET thread_id=?2, change_seq=?3 WHERE thread_id=?1"}) {
            auto s = st(q);
            if (!s.ok()) return fail(s.error());
            (*s)->bind(1, from).bind(2, into).bind(3, seq);
            if (auto r = (*s)->run(); !r.ok()) return fail(r.error());
        }
    }
    std::optional<std::pair<int64_t, std::string>>
    find_subject(int64_t list_id, const std::string& subject, int64_t date) override {
        auto s = st("SELECT thread_id, root_mid, last_date FROM subject_threads WHERE list_id=? AND "
                    "subject=?");
        if (!s.ok()) return fail(s.error()), std::nullopt;
        sql::Stmt& q = **s;
        q.bind(1, list_id).bind(2, subject);
        auto r = q.step();
        std::optional<std::pair<int64_t, std::string>> out;
        if (!r.ok()) fail(r.error());
        else if (*r && date - q.int64(2) <= subject_window && q.int64(2) - date <= subject_window)
            out = std::make_pair(q.int64(0), q.text(1));
        q.reset();
        return out;
    }

    Status migrate();
    Status create_file(const std::filesystem::path& file);
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() {
    if (impl_ && impl_->tx) impl_->tx.reset(); // rolls back
    if (impl_) impl_->stmts.clear();
}

sql::Db& Store::db() { return impl_->db; }
const std::filesystem::path& Store::dir() const { return impl_->dir; }

Status Store::Impl::migrate() {
    auto v = db.query_int("PRAGMA user_version");
    if (!v.ok()) return v.error();
    const int have = static_cast<int>(v->value_or(0));
    const int want = store_schema_version();
    if (have > want)
        return make_error(Errc::schema,
                          "archive " + dir.string() + " has schema version " + std::to_string(have) +
                              ", newer than this mlarc understands (" + std::to_string(want) + ")",
                          "use a newer mlarc");
    if (have == want) return {};
    if (have > 0) {
        // Keep a copy of the older archive before changing it.
        auto bak = dir / ("store.sqlite.v" + std::to_string(have) + ".bak");
        std::error_code ec;
        std::filesystem::remove(bak, ec);
        auto s = db.prepare("VACUUM INTO ?");
        if (!s.ok()) return s.error();
        s->bind(1, bak.string());
        MLARC_TRY_STATUS(s->run());
    }
    auto mtx = sql::Transaction::begin(db);
    if (!mtx.ok()) return mtx.error();
    for (int i = have; i < want; ++i) {
        if (auto st = db.exec(kMigrations[i].sql); !st.ok()) {
            Error e = st.error();
            e.message = std::string("migration ") + kMigrations[i].name + ": " + e.message;
            return e;
        }
    }
    MLARC_TRY_STATUS(db.exec("PRAGMA user_version=" + std::to_string(want)));
    return mtx->commit();
}

namespace {
/// StoreOptions::cache_kib.
Status set_cache(sql::Db& db, const StoreOptions& opts) {
    if (opts.cache_kib <= 0) return {};
    return db.exec("PRAGMA cache_size=-" + std::to_string(opts.cache_kib));
}
} // namespace

/// Creates a new store as `file`: made and migrated under a temporary name,
/// checkpointed, then renamed into place, so a writer killed while creating
/// the archive leaves no half-made store.sqlite (with a hot journal a
/// read-only open could not roll back), only a temporary file the next
/// writer replaces.
Status Store::Impl::create_file(const std::filesystem::path& file) {
    namespace fs = std::filesystem;
    const fs::path tmp = fs::path(file).concat(".new");
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        fs::remove(fs::path(tmp).concat(suffix), ec);
    {
        auto created = sql::Db::open(tmp, sql::OpenMode::read_write_create);
        if (!created.ok()) return created.error();
        db = std::move(*created);
        MLARC_TRY_STATUS(migrate());
        MLARC_TRY_STATUS(db.exec("PRAGMA wal_checkpoint(TRUNCATE)"));
        db = sql::Db();
    }
    fs::rename(tmp, file, ec);
    if (ec)
        return make_error(Errc::io, "cannot create " + file.string() + ": " + ec.message());
    for (const char* suffix : {"-wal", "-shm"})
        fs::remove(fs::path(tmp).concat(suffix), ec);
    return {};
}

Result<Store> Store::open(const std::filesystem::path& dir, Mode mode, const StoreOptions& opts) {
    auto impl = std::make_unique<Impl>();
    impl->dir = dir;
    impl->opts = opts;
    impl->subject_window = static_cast<int64_t>(opts.subject_window_days) * 86400;
    const auto file = dir / "store.sqlite";
    std::error_code ec;
    if (mode == Mode::read_only) {
        if (!std::filesystem::exists(file, ec))
            return make_error(Errc::not_found, "no archive at " + dir.string(),
                              "import mail first: mlarc import --archive " + dir.string() +
                                  " --list NAME FILE, or pass --archive DIR / set MLARC_ARCHIVE");
        auto db = sql::Db::open(file, sql::OpenMode::read_only);
        if (!db.ok()) return db.error();
        impl->db = std::move(*db);
        MLARC_TRY_STATUS(set_cache(impl->db, opts));
        auto v = impl->db.query_int("PRAGMA user_version");
        if (!v.ok()) return v.error();
        if (v->value_or(0) != store_schema_version())
            return make_error(Errc::schema,
                              "archive " + dir.string() + " has schema version " +
                                  std::to_string(v->value_or(0)) +
                                  (v->value_or(0) > store_schema_version()
                                       ? ", newer than this mlarc understands ("
                                       : ", this mlarc uses ") +
                                  std::to_string(store_schema_version()) +
                                  (v->value_or(0) > store_schema_version() ? ")" : ""),
                              v->value_or(0) < store_schema_version()
                                  ? "run any writing command (e.g. mlarc import) to migrate it"
                                  : "use a newer mlarc");
        return Store(std::move(impl));
    }
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return make_error(Errc::unreadable, "cannot create archive directory " + dir.string() +
                                                ": " + ec.message());
    if (!std::filesystem::exists(file, ec)) MLARC_TRY_STATUS(impl->create_file(file));
    auto db = sql::Db::open(file, sql::OpenMode::read_write);
    if (!db.ok()) return db.error();
    impl->db = std::move(*db);
    MLARC_TRY_STATUS(set_cache(impl->db, opts));
    MLARC_TRY_STATUS(impl->migrate());
    MLARC_TRY_STATUS(impl->db.exec("PRAGMA wal_autocheckpoint=8192"));
    auto mx = impl->db.query_int(kMaxIdSql);
    if (!mx.ok()) return mx.error();
    impl->next_id = mx->value_or(0) + 1;
    return Store(std::move(impl));
}

// ---- lists -------------------------------------------------------------------

namespace {
ListInfo list_from_row(const sql::Stmt& q) {
    return ListInfo{q.int64(0), q.text(1), q.text(2), q.is_null(3) ? -1 : static_cast<int>(q.int64(3)),
                    q.text(4)};
}
} // namespace

Result<std::vector<ListInfo>> Store::lists() {
    auto q = impl_->db.prepare("SELECT id, name, address, wg, title FROM lists ORDER BY name");
    if (!q.ok()) return q.error();
    std::vector<ListInfo> out;
    for (;;) {
        auto r = q->step();
        if (!r.ok()) return r.error();
        if (!*r) break;
        out.push_back(list_from_row(*q));
    }
    return out;
}

Result<std::optional<ListInfo>> Store::find_list(std::string_view key) {
    auto q = impl_->db.prepare("SELECT id, name, address, wg, title FROM lists WHERE name=?1 "
                               "COLLATE NOCASE OR address=?1 COLLATE NOCASE ORDER BY id LIMIT 1");
    if (!q.ok()) return q.error();
    q->bind(1, key);
    auto r = q->step();
    if (!r.ok()) return r.error();
    if (!*r) return std::optional<ListInfo>{};
    return std::optional<ListInfo>{list_from_row(*q)};
}

Result<ListInfo> Store::ensure_list(const ListInfo& list) {
    auto found = find_list(list.name);
    if (!found.ok()) return found.error();
    if (*found) return **found;
    auto q = impl_->db.prepare("INSERT INTO lists(name, address, wg, title) VALUES(?,?,?,?)");
    if (!q.ok()) return q.error();
    q->bind(1, list.name).bind(2, list.address).bind(4, list.title);
    if (list.wg >= 0) q->bind(3, list.wg);
    else q->bind_null(3);
    MLARC_TRY_STATUS(q->run());
    ListInfo out = list;
    out.id = impl_->db.last_insert_rowid();
    return out;
}

// ---- sources -----------------------------------------------------------------

Result<std::optional<SourceInfo>> Store::find_source(const std::string& path) {
    auto q = impl_->db.prepare("SELECT id, path, list_id, format, size, mtime, inode, head_hash, "
                               "done_offset, complete FROM sources WHERE path=?");
    if (!q.ok()) return q.error();
    q->bind(1, path);
    auto r = q->step();
    if (!r.ok()) return r.error();
    if (!*r) return std::optional<SourceInfo>{};
    SourceInfo s{q->int64(0),
                 q->text(1),
                 q->int64(2),
                 q->text(3),
                 static_cast<uint64_t>(q->int64(4)),
                 q->int64(5),
                 static_cast<uint64_t>(q->int64(6)),
                 q->text(7),
                 static_cast<uint64_t>(q->int64(8)),
                 q->int64(9) != 0};
    return std::optional<SourceInfo>{s};
}

Result<SourceInfo> Store::create_source(const SourceInfo& s) {
    auto q = impl_->db.prepare("INSERT INTO sources(path, list_id, format) VALUES(?,?,?)");
    if (!q.ok()) return q.error();
    q->bind(1, s.path).bind(2, s.list_id).bind(3, s.format);
    MLARC_TRY_STATUS(q->run());
    SourceInfo out = s;
    out.id = impl_->db.last_insert_rowid();
    return out;
}

Status Store::save_source(const SourceInfo& s) {
    auto q = impl_->st("UPDATE sources SET list_id=?, format=?, size=?, mtime=?, inode=?, "
                       "head_hash=?, done_offset=?, complete=? WHERE id=?");
    if (!q.ok()) return q.error();
    (*q)->bind(1, s.list_id).bind(2, s.format).bind(3, s.size).bind(4, s.mtime).bind(5, s.inode);
    (*q)->bind(6, s.head_hash).bind(7, s.done_offset).bind(8, s.complete ? 1 : 0).bind(9, s.id);
    return (*q)->run();
}

// ---- batches -----------------------------------------------------------------

Status Store::begin_batch() {
    auto tx = sql::Transaction::begin(impl_->db);
    if (!tx.ok()) return tx.error();
    impl_->tx.emplace(std::move(*tx));
    auto v = impl_->db.query_int("SELECT value FROM meta WHERE key='change_seq'");
    if (!v.ok()) return v.error();
    impl_->seq = v->value_or(0) + 1;
    return {};
}

Status Store::commit_batch() {
    auto q = impl_->st("UPDATE meta SET value=? WHERE key='change_seq'");
    if (!q.ok()) return q.error();
    (*q)->bind(1, std::to_string(impl_->seq));
    MLARC_TRY_STATUS((*q)->run());
    auto st = impl_->tx->commit();
    impl_->tx.reset();
    if (!st.ok()) {
        // The failed transaction was rolled back: re-read the id counter.
        auto mx = impl_->db.query_int(kMaxIdSql);
        if (mx.ok()) impl_->next_id = mx->value_or(0) + 1;
    }
    return st;
}

void Store::rollback_batch() {
    impl_->tx.reset();
    auto mx = impl_->db.query_int(kMaxIdSql);
    if (mx.ok()) impl_->next_id = mx->value_or(0) + 1;
}

int64_t Store::batch_seq() const { return impl_->seq; }

Result<int64_t> Store::change_seq() {
    auto v = impl_->db.query_int("SELECT value FROM meta WHERE key='change_seq'");
    if (!v.ok()) return v.error();
    return v->value_or(0);
}

// ---- messages ----------------------------------------------------------------

namespace {

Status insert_mentions(Store::Impl& im, int64_t id, const std::vector<DeliverableMention>& ms) {
    for (const auto& dm : ms) {
        auto d = im.st("INSERT INTO deliverable_mentions(message_id, deliverable_id, kind, "
                       "matched_text, context) VALUES(?,?,?,?,?)");
        if (!d.ok()) return d.error();
        (*d)->bind(1, id).bind(2, dm.deliverable_id).bind(3, dm.kind).bind(4, dm.text);
        (*d)->bind(5, dm.context);
        MLARC_TRY_STATUS((*d)->run());
    }
    return {};
}

/// The mentions `ms` for message `id` when it has none stored yet.
Status add_missing_mentions(Store::Impl& im, int64_t id,
                            const std::vector<DeliverableMention>& ms) {
    if (ms.empty()) return {};
    auto q = im.st("SELECT 1 FROM deliverable_mentions WHERE message_id=? LIMIT 1");
    if (!q.ok()) return q.error();
    (*q)->bind(1, id);
    auto r = (*q)->step();
    (*q)->reset();
    if (!r.ok()) return r.error();
    if (*r) return {};
    return insert_mentions(im, id, ms);
}

/// Binds without a copy: `t` must outlive the statement's run().
void bind_text(sql::Stmt& s, int i, const StoredText& t) {
    if (t.derived)
        s.bind_blob_ref(i, std::string_view("", 0)); // the marker: an empty BLOB
    else if (t.compressed)
        s.bind_blob_ref(i, t.bytes);
    else
        s.bind_ref(i, t.bytes);
}

} // namespace

std::string addresses_json(const ParsedMessage& p) {
    std::string out = "{";
    auto role = [&out](std::string_view name, std::span<const Address> addrs) {
        if (addrs.empty()) return;
        if (out.size() > 1) out += ',';
        out += '"';
        out += name;
        out += "\":[";
        for (size_t i = 0; i < addrs.size(); ++i) {
            out += i ? ",[\"" : "[\"";
            out += json_escape(addrs[i].address);
            out += "\",\"";
            out += json_escape(addrs[i].name);
            out += "\"]";
        }
        out += ']';
    };
    role("from", std::span<const Address>(&p.from, 1));
    role("to", p.to);
    role("cc", p.cc);
    role("reply-to", p.reply_to);
    out += '}';
    return out;
}

void encode_message_text(IncomingMessage& m, std::string_view message) {
    // The headers are always what decode_header_fields() reads again from the
    // raw bytes; the body when it is the raw body section byte for byte.
    m.headers_z = derived_text();
    m.body_z = m.parsed.body_text == raw_body_section(message) ? derived_text()
                                                               : encode_text(m.parsed.body_text);
    m.attachment_z = encode_text(m.parsed.attachment_text);
    m.addresses_json = addresses_json(m.parsed);
    m.text_encoded = true;
}

Result<AddOutcome> Store::add_message(const IncomingMessage& m, int64_t list_id,
                                      int64_t source_id) {
    Impl& im = *impl_;
    // Known already? Same Message-ID and same content: a duplicate delivery.
    int64_t max_seq = 0;
    {
        auto q = im.st("SELECT id, mid_seq, content_hash FROM messages WHERE mid=?");
        if (!q.ok()) return q.error();
        (*q)->bind(1, m.mid);
        for (;;) {
            auto r = (*q)->step();
            if (!r.ok()) return r.error();
            if (!*r) break;
            max_seq = std::max(max_seq, (*q)->int64(1));
            if ((*q)->text_view(2) == m.content_hash) {
                int64_t id = (*q)->int64(0);
                (*q)->reset();
                auto ins = im.st("INSERT OR IGNORE INTO message_lists(message_id, list_id, "
                                 "source_id) VALUES(?,?,?)");
                if (!ins.ok()) return ins.error();
                (*ins)->bind(1, id).bind(2, list_id).bind(3, source_id);
                MLARC_TRY_STATUS((*ins)->run());
                if (im.db.changes() == 0) return AddOutcome::duplicate;
                // A message first stored in a list that has no mention scan
                // (ingest/importer.cpp) gets this copy's mentions now.
                MLARC_TRY_STATUS(add_missing_mentions(im, id, m.mentions));
                auto up = im.st("UPDATE messages SET change_seq=? WHERE id=?");
                if (!up.ok()) return up.error();
                (*up)->bind(1, im.seq).bind(2, id);
                MLARC_TRY_STATUS((*up)->run());
                return AddOutcome::duplicate_new_list;
            }
        }
        (*q)->reset();
    }

    const int64_t id = im.next_id;
    const int64_t mid_seq = max_seq + 1;
    uint32_t flags = m.flags;
    ThreadResult tr;
    if (mid_seq == 1) {
        ThreadInput tin{m.mid,         m.parsed.references, m.parsed.in_reply_to,
                        m.normalised_subject, m.reply_subject,   list_id,
                        m.date_utc,    id};
        ThreaderOptions topts;
        topts.subject_threading = im.opts.subject_threading;
        im.graph_error.reset();
        im.adding_mid = m.mid;
        im.adding_id = id;
        tr = thread_message(im, tin, topts);
        im.adding_mid = {};
        if (im.graph_error) return *im.graph_error;
    } else {
        // Another content under a known Message-ID: threading follows the first copy.
        flags |= flag_dup_mid;
        auto n = im.find(m.mid);
        if (im.graph_error) return *im.graph_error;
        tr.thread_id = n ? n->thread_id : id;
        if (n) {
            tr.parent_mid = n->parent_mid;
            tr.parent_reason = n->parent_reason;
        }
    }

    auto q = im.st("INSERT INTO messages(id, mid, mid_seq, content_hash, thread_id, parent_mid, "
                   "parent_reason, date_utc, date_offset, date_source, from_addr, from_name, "
                   "subject, size, flags, source_id, source_offset, change_seq) "
                   "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!q.ok()) return q.error();
    sql::Stmt& s = **q;
    s.bind(1, id).bind(2, m.mid).bind(3, mid_seq).bind(4, m.content_hash).bind(5, tr.thread_id);
    if (tr.parent_mid.empty()) s.bind_null(6).bind_null(7);
    else s.bind(6, tr.parent_mid).bind(7, tr.parent_reason);
    s.bind(8, m.date_utc).bind(9, m.date_offset).bind(10, m.date_source);
    s.bind(11, m.parsed.from.address).bind(12, m.parsed.from.name).bind(13, m.parsed.subject);
    s.bind(14, m.raw_size).bind(15, flags).bind(16, source_id).bind(17, m.source_offset);
    s.bind(18, im.seq);
    MLARC_TRY_STATUS(s.run());
    im.next_id = id + 1;

    {
        auto t = im.st("INSERT INTO message_text_z(message_id, headers, body, attachment_text, "
                       "addresses) VALUES(?,?,?,?,?)");
        if (!t.ok()) return t.error();
        (*t)->bind(1, id);
        if (m.text_encoded) {
            bind_text(**t, 2, m.headers_z);
            bind_text(**t, 3, m.body_z);
            bind_text(**t, 4, m.attachment_z);
            (*t)->bind_ref(5, m.addresses_json);
            MLARC_TRY_STATUS((*t)->run());
        } else {
            const StoredText h = encode_text(headers_text(m.parsed.headers));
            const StoredText b = encode_text(m.parsed.body_text);
            const StoredText a = encode_text(m.parsed.attachment_text);
            const std::string addrs = addresses_json(m.parsed);
            bind_text(**t, 2, h);
            bind_text(**t, 3, b);
            bind_text(**t, 4, a);
            (*t)->bind_ref(5, addrs);
            MLARC_TRY_STATUS((*t)->run());
        }
    }
    {
        auto r = im.st("INSERT INTO message_raw(message_id, escaping, from_line, codec, raw_size, "
                       "raw) VALUES(?,?,?,?,?,?)");
        if (!r.ok()) return r.error();
        (*r)->bind(1, id).bind(2, m.escaping).bind(3, m.from_line).bind(4, m.codec);
        (*r)->bind(5, m.raw_size).bind_blob_ref(6, m.raw_encoded);
        MLARC_TRY_STATUS((*r)->run());
    }
    {
        auto l = im.st("INSERT OR IGNORE INTO message_lists(message_id, list_id, source_id) "
                       "VALUES(?,?,?)");
        if (!l.ok()) return l.error();
        (*l)->bind(1, id).bind(2, list_id).bind(3, source_id);
        MLARC_TRY_STATUS((*l)->run());
    }
    MLARC_TRY_STATUS(insert_mentions(im, id, m.mentions));
    if (!m.parsed.attachments.empty()) {
        auto a = im.st("INSERT OR IGNORE INTO attachments(message_id, part_no, filename, "
                       "content_type, size) VALUES(?,?,?,?,?)");
        if (!a.ok()) return a.error();
        for (const auto& att : m.parsed.attachments) {
            (*a)->bind(1, id).bind(2, att.part_no).bind(3, att.filename);
            (*a)->bind(4, att.content_type).bind(5, att.size);
            MLARC_TRY_STATUS((*a)->run());
        }
    }
    if (!m.normalised_subject.empty()) {
        // First message with this subject in this list defines the entry; later
        // ones only move its last date forward.
        auto u = im.st("INSERT INTO subject_threads(list_id, subject, thread_id, root_mid, "
                       "last_date) VALUES(?1,?2,?3,?4,?5) ON CONFLICT(list_id, subject) DO UPDATE "
                       "SET last_date=max(last_date, excluded.last_date)");
        if (!u.ok()) return u.error();
        (*u)->bind(1, list_id).bind(2, m.normalised_subject).bind(3, tr.thread_id);
        (*u)->bind(4, m.mid).bind(5, m.date_utc);
        MLARC_TRY_STATUS((*u)->run());
    }
    return mid_seq == 1 ? AddOutcome::stored : AddOutcome::stored_dup_mid;
}

Result<bool> Store::add_quarantine(std::string_view raw, std::string_view reason, int64_t source_id,
                                   uint64_t offset, int64_t list_id, std::string_view raw_hash) {
    auto q = impl_->st("INSERT OR IGNORE INTO quarantine(raw_hash, source_id, source_offset, "
                       "list_id, reason, raw, created_at) VALUES(?,?,?,?,?,?,?)");
    if (!q.ok()) return q.error();
    (*q)->bind(1, raw_hash).bind(2, source_id).bind(3, offset).bind(4, list_id).bind(5, reason);
    (*q)->bind_blob(6, raw).bind(7, now_seconds());
    MLARC_TRY_STATUS((*q)->run());
    return impl_->db.changes() > 0;
}

// ---- log and counts ----------------------------------------------------------

Result<int64_t> Store::log_begin(int64_t source_id, uint64_t start_offset) {
    auto q = impl_->db.prepare("INSERT INTO import_log(source_id, started_at, start_offset, "
                               "end_offset, status) VALUES(?,?,?,?, 'running')");
    if (!q.ok()) return q.error();
    q->bind(1, source_id).bind(2, now_seconds()).bind(3, start_offset).bind(4, start_offset);
    MLARC_TRY_STATUS(q->run());
    return impl_->db.last_insert_rowid();
}

Status Store::log_end(int64_t log_id, uint64_t end_offset, int64_t read, int64_t stored,
                      int64_t duplicates, int64_t quarantined, std::string_view status) {
    auto q = impl_->db.prepare("UPDATE import_log SET finished_at=?, end_offset=?, read=?, "
                               "stored=?, duplicates=?, quarantined=?, status=? WHERE id=?");
    if (!q.ok()) return q.error();
    q->bind(1, now_seconds()).bind(2, end_offset).bind(3, read).bind(4, stored);
    q->bind(5, duplicates).bind(6, quarantined).bind(7, status).bind(8, log_id);
    return q->run();
}

Result<StoreCounts> Store::counts() {
    StoreCounts c;
    struct Q {
        int64_t* out;
        const char* sql;
    };
    for (auto [out, sqltext] :
         {Q{&c.messages, "SELECT count(*) FROM messages"},
          Q{&c.threads, "SELECT count(DISTINCT thread_id) FROM messages"},
          Q{&c.lists, "SELECT count(*) FROM lists"},
          Q{&c.memberships, "SELECT count(*) FROM message_lists"},
          Q{&c.quarantined, "SELECT count(*) FROM quarantine"},
          Q{&c.ghosts, "SELECT count(*) FROM thread_nodes WHERE message_id IS NULL"}}) {
        auto v = impl_->db.query_int(sqltext);
        if (!v.ok()) return v.error();
        *out = v->value_or(0);
    }
    return c;
}

} // namespace mlarc
