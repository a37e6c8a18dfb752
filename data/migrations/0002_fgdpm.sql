-- mlarc store schema, version 2: the FG-DPM job (subscriber rosters and
-- deliverable mentions).
--
-- subscriber_snapshots  one row per imported roster: the list, the date the
--                       roster describes ('as_of', YYYY-MM-DD), the file it came
--                       from and when it was imported (UTC seconds). Importing
--                       a roster for the same list and date replaces the row.
-- subscribers           the members of one snapshot: address lower-cased, the
--                       name and organisation when the roster gives them.
--                       Subscriber counts "as of D" use, per list, the latest
--                       snapshot dated on or before D.
-- deliverable_mentions  deliverable mentions found at import time in a
--                       message's subject, body (quoted lines excepted) and
--                       attachment file names: the deliverable id ("D3.2"),
--                       the kind (registry/extract.hpp mention_kind_name), the
--                       text matched and where it was found ('context':
--                       subject | body | attachment).

CREATE TABLE subscriber_snapshots (
    id          INTEGER PRIMARY KEY,
    list_id     INTEGER NOT NULL REFERENCES lists(id),
    as_of       TEXT NOT NULL,
    source_path TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    UNIQUE (list_id, as_of)
);

CREATE TABLE subscribers (
    snapshot_id  INTEGER NOT NULL REFERENCES subscriber_snapshots(id) ON DELETE CASCADE,
    address      TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (snapshot_id, address)
) WITHOUT ROWID;

CREATE TABLE deliverable_mentions (
    message_id     INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    deliverable_id TEXT NOT NULL,
    kind           TEXT NOT NULL,
    matched_text   TEXT NOT NULL,
    context        TEXT NOT NULL
);
CREATE INDEX deliverable_mentions_message ON deliverable_mentions(message_id);
CREATE INDEX deliverable_mentions_deliverable ON deliverable_mentions(deliverable_id);
