// The archive's system of record: an SQLite database in the archive directory
// (DIR/store.sqlite). The only user of SQLite besides sqlite.hpp.
//
// Writers (the importer) hold the archive lock (util/lock.hpp) and work in
// batches: begin_batch() opens a transaction and takes the next change number;
// add_message()/add_quarantine()/save_source() write inside it; commit_batch()
// makes it durable. Killing the process at any point loses at most the open
// batch, and since the source's done_offset is saved in the same transaction,
// a re-run resumes exactly where the last commit ended: the same database as an
// uninterrupted run.
//
// Readers (search, CGI, indexer) open it read-only; WAL mode lets them read the
// last committed state while a writer works.
#pragma once

#include "mime/message.hpp"
#include "store/raw_codec.hpp"
#include "store/sqlite.hpp"
#include "util/result.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlarc {

/// Current schema version (PRAGMA user_version) = number of migrations.
int store_schema_version();

struct ListInfo {
    int64_t id = 0;
    std::string name;
    std::string address;
    int wg = -1; // -1 unknown, 0 main list, 1.. working groups
    std::string title;
};

struct SourceInfo {
    int64_t id = 0;
    std::string path; // absolute
    int64_t list_id = 0;
    std::string format;
    uint64_t size = 0;
    int64_t mtime = 0;
    uint64_t inode = 0;
    std::string head_hash;
    uint64_t done_offset = 0;
    bool complete = false;
};

/// A deliverable mention found by the import pipeline (registry/extract.hpp),
/// stored in deliverable_mentions with the message.
struct DeliverableMention {
    std::string deliverable_id; // "D3.2"
    std::string kind;           // mention_kind_name(): "id", "title", ...
    std::string text;           // as matched
    std::string context;        // subject | body | attachment
};

/// A decoded message ready to be stored (built by the import pipeline).
struct IncomingMessage {
    ParsedMessage parsed;
    std::string mid;          // normalised or synthetic; never empty
    std::string content_hash; // identity of the content (see ingest/identity.hpp)
    int64_t date_utc = 0;
    int date_offset = 0;      // minutes east of UTC
    std::string date_source;  // header | from_line | received | none
    uint32_t flags = 0;
    std::string normalised_subject;
    bool reply_subject = false;
    std::string from_line;
    int escaping = 0;
    int codec = 0;            // RawCodec
    std::string raw_encoded;  // raw bytes after encode_raw
    uint64_t raw_size = 0;    // raw bytes before encoding
    uint64_t source_offset = 0;
    std::vector<DeliverableMention> mentions; // empty without a registry
    // The message_text_z columns as stored (encode_message_text); add_message
    // encodes them itself when `text_encoded` is false.
    bool text_encoded = false;
    StoredText headers_z, body_z, attachment_z;
    std::string addresses_json; // addresses_json(parsed), when text_encoded
};

/// The message_text_z.addresses column for `p` (migration 0007): a JSON object
/// role -> [[address, name], ...], "from" always, then "to", "cc" and
/// "reply-to" when present, each in header order.
std::string addresses_json(const ParsedMessage& p);

/// Fills m.headers_z, m.body_z, m.attachment_z and m.addresses_json from m.parsed (headers as
/// "Name: value" lines, body text, attachment text), compressed as
/// store/raw_codec.hpp says. `message` is the message m.parsed was decoded
/// from (m.raw_encoded unescaped): the header text, and the body text when it
/// is that message's body section byte for byte, are kept as the marker that
/// readers derive them from the raw bytes. The import workers call it, so the
/// writer thread does not compress.
void encode_message_text(IncomingMessage& m, std::string_view message);

enum class AddOutcome {
    stored,           // a new message
    stored_dup_mid,   // a new message whose Message-ID was already used by other content
    duplicate,        // same message already stored (membership unchanged)
    duplicate_new_list// same message already stored; now also in this list (cross-post)
};

struct StoreOptions {
    bool subject_threading = true;
    int subject_window_days = 30;
    /// SQLite page cache of this connection in KiB; 0: the default (64 MiB,
    /// lib/store/sqlite.cpp). A reader that streams the store once (the
    /// indexer) gains nothing from a big cache, which only fills up with
    /// pages it will not read again: peak RSS then grew with the archive up
    /// to 64 MiB per connection.
    int cache_kib = 0;
};

struct StoreCounts {
    int64_t messages = 0, threads = 0, lists = 0, memberships = 0, quarantined = 0, ghosts = 0;
};

class Store {
  public:
    enum class Mode { read_only, read_write };

    /// Opens DIR/store.sqlite. read_write creates DIR and the database when
    /// missing and migrates an older schema (after a backup copy
    /// DIR/store.sqlite.v<N>.bak). Errors: not_found (read_only, no archive),
    /// schema (archive made by a newer mlarc), unreadable, locked.
    static Result<Store> open(const std::filesystem::path& dir, Mode mode,
                              const StoreOptions& opts = {});
    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    sql::Db& db();
    const std::filesystem::path& dir() const;

    // Lists.
    Result<ListInfo> ensure_list(const ListInfo& list);
    Result<std::optional<ListInfo>> find_list(std::string_view name_or_address);
    Result<std::vector<ListInfo>> lists();

    // Sources (input files).
    Result<std::optional<SourceInfo>> find_source(const std::string& path);
    Result<SourceInfo> create_source(const SourceInfo& s);
    Status save_source(const SourceInfo& s);

    // Batches.
    Status begin_batch();
    Status commit_batch();
    void rollback_batch();
    int64_t batch_seq() const;

    /// Stores one message (or records the duplicate) in `list_id`. Needs a batch.
    Result<AddOutcome> add_message(const IncomingMessage& m, int64_t list_id, int64_t source_id);
    /// Keeps a message that could not be decoded. Returns false when the same
    /// bytes were already quarantined. Needs a batch.
    Result<bool> add_quarantine(std::string_view raw, std::string_view reason, int64_t source_id,
                                uint64_t offset, int64_t list_id, std::string_view raw_hash);

    // Import log.
    Result<int64_t> log_begin(int64_t source_id, uint64_t start_offset);
    Status log_end(int64_t log_id, uint64_t end_offset, int64_t read, int64_t stored,
                   int64_t duplicates, int64_t quarantined, std::string_view status);

    Result<StoreCounts> counts();
    /// Highest change number committed so far.
    Result<int64_t> change_seq();

    struct Impl; // public so that file-local helpers in store.cpp can use it

  private:
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace mlarc
