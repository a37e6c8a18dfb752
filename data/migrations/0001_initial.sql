-- mlarc store schema, version 1.
--
-- SQLite is the system of record: it keeps every message's raw bytes, so the
-- Xapian index can be rebuilt from it at any time. Prose for each table:
--
-- meta            key/value: schema facts, the change counter ('change_seq').
-- lists           one row per mailing list (main list and WG lists).
-- sources         one row per input file/Maildir ever imported: its identity at
--                 the last run (size, mtime, inode, hash of its first 64 KiB) and
--                 the uncompressed offset up to which messages are committed
--                 ('done_offset'), so a grown mbox resumes and an unchanged one
--                 is skipped without parsing.
-- import_log      one row per (run, source): what was read and what became of it.
-- messages        one row per distinct message: Message-ID ('mid', no angle
--                 brackets) plus 'mid_seq' (1 for the first content seen with
--                 that id, 2.. for different content under the same id),
--                 the identity hash ('content_hash'), date as UTC seconds plus the
--                 original offset in minutes and where the date came from,
--                 author, subject, size, flags (mime/message.hpp MessageFlag),
--                 thread, parent link and why it was made, and 'change_seq': the
--                 import batch that last changed the row (the indexer's cursor).
-- message_text    decoded headers and text (display and indexing), kept apart
--                 so scans of messages stay small.
-- message_raw     the message bytes exactly as read (codec 0 plain, 1 zstd),
--                 how they were escaped in the mbox, and the From_ line.
-- message_lists   list membership: a cross-post is one message in two lists.
-- message_addresses  from/to/cc/reply-to addresses (lower-cased) and names.
-- attachments     attachment metadata per part.
-- thread_nodes    the thread graph: one node per Message-ID seen, including
--                 placeholder ("ghost") nodes for referenced messages that are
--                 not (yet) in the archive, with the parent link and its reason
--                 (references | in-reply-to | subject).
-- subject_threads (list, normalised subject) -> thread, for the switchable
--                 subject-joining heuristic.
-- quarantine      messages that could not be stored, raw bytes and the reason.
-- tombstones      deleted messages, so the indexer removes their documents.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE lists (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    address TEXT,
    wg      INTEGER,
    title   TEXT
);

CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL UNIQUE,
    list_id     INTEGER NOT NULL REFERENCES lists(id),
    format      TEXT NOT NULL,
    size        INTEGER NOT NULL DEFAULT 0,
    mtime       INTEGER NOT NULL DEFAULT 0,
    inode       INTEGER NOT NULL DEFAULT 0,
    head_hash   TEXT NOT NULL DEFAULT '',
    done_offset INTEGER NOT NULL DEFAULT 0,
    complete    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE import_log (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES sources(id),
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    start_offset INTEGER NOT NULL,
    end_offset   INTEGER NOT NULL,
    read         INTEGER NOT NULL DEFAULT 0,
    stored       INTEGER NOT NULL DEFAULT 0,
    duplicates   INTEGER NOT NULL DEFAULT 0,
    quarantined  INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL
);

CREATE TABLE messages (
    id            INTEGER PRIMARY KEY,
    mid           TEXT NOT NULL,
    mid_seq       INTEGER NOT NULL DEFAULT 1,
    content_hash  TEXT NOT NULL,
    thread_id     INTEGER NOT NULL,
    parent_mid    TEXT,
    parent_reason TEXT,
    date_utc      INTEGER NOT NULL,
    date_offset   INTEGER NOT NULL,
    date_source   TEXT NOT NULL,
    from_addr     TEXT NOT NULL,
    from_name     TEXT NOT NULL,
    subject       TEXT NOT NULL,
    size          INTEGER NOT NULL,
    flags         INTEGER NOT NULL,
    source_id     INTEGER REFERENCES sources(id),
    source_offset INTEGER,
    change_seq    INTEGER NOT NULL,
    UNIQUE (mid, mid_seq)
);
CREATE INDEX messages_thread ON messages(thread_id);
CREATE INDEX messages_change ON messages(change_seq);
CREATE INDEX messages_date ON messages(date_utc);
CREATE INDEX messages_from ON messages(from_addr);

CREATE TABLE message_text (
    message_id      INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    headers         TEXT NOT NULL,
    body            TEXT NOT NULL,
    attachment_text TEXT NOT NULL DEFAULT ''
);

CREATE TABLE message_raw (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    escaping   INTEGER NOT NULL,
    from_line  TEXT NOT NULL,
    codec      INTEGER NOT NULL,
    raw_size   INTEGER NOT NULL,
    raw        BLOB NOT NULL
);

CREATE TABLE message_lists (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    list_id    INTEGER NOT NULL REFERENCES lists(id),
    source_id  INTEGER REFERENCES sources(id),
    PRIMARY KEY (message_id, list_id)
) WITHOUT ROWID;
CREATE INDEX message_lists_list ON message_lists(list_id, message_id);

CREATE TABLE message_addresses (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    address    TEXT NOT NULL,
    name       TEXT NOT NULL,
    PRIMARY KEY (message_id, role, position)
) WITHOUT ROWID;
CREATE INDEX message_addresses_address ON message_addresses(address);

CREATE TABLE attachments (
    message_id   INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    part_no      INTEGER NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    PRIMARY KEY (message_id, part_no)
) WITHOUT ROWID;

CREATE TABLE thread_nodes (
    mid           TEXT PRIMARY KEY,
    thread_id     INTEGER NOT NULL,
    parent_mid    TEXT,
    parent_reason TEXT,
    message_id    INTEGER
) WITHOUT ROWID;
CREATE INDEX thread_nodes_thread ON thread_nodes(thread_id);

CREATE TABLE subject_threads (
    list_id    INTEGER NOT NULL,
    subject    TEXT NOT NULL,
    thread_id  INTEGER NOT NULL,
    root_mid   TEXT NOT NULL,
    last_date  INTEGER NOT NULL,
    PRIMARY KEY (list_id, subject)
) WITHOUT ROWID;
CREATE INDEX subject_threads_thread ON subject_threads(thread_id);

CREATE TABLE quarantine (
    id            INTEGER PRIMARY KEY,
    raw_hash      TEXT NOT NULL UNIQUE,
    source_id     INTEGER REFERENCES sources(id),
    source_offset INTEGER,
    list_id       INTEGER REFERENCES lists(id),
    reason        TEXT NOT NULL,
    raw           BLOB NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE tombstones (
    message_id INTEGER PRIMARY KEY,
    change_seq INTEGER NOT NULL
);
CREATE INDEX tombstones_change ON tombstones(change_seq);

INSERT INTO meta(key, value) VALUES ('change_seq', '0');
