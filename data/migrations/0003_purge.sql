-- mlarc store schema, version 3: purging messages (`mlarc purge`).
--
-- Archives receive takedown requests (personal data, spam). `mlarc purge`
-- removes a message and every row about it (text, raw bytes, addresses, list
-- memberships, attachments, deliverable mentions), keeps its node in
-- thread_nodes as a placeholder (message_id NULL) so that replies stay in
-- their thread, and writes a tombstone so that `mlarc index` removes its
-- search document. What was removed, when and why is kept here:
--
-- purge_log     one row per purged message: its former id (messages.id, never
--               given to another message: the next id counts the tombstones
--               too), Message-ID and mid_seq, the content identity
--               ('content_hash', the same hash the importer computes), its
--               thread, date and lists (comma-separated names), the reason the
--               operator gave, how it was selected ('selector': "mid:X",
--               "id:N" or "query:TEXT"), when (UTC seconds) and in which change
--               ('change_seq', also the tombstone's). Neither the author nor the
--               subject nor any text is kept: a takedown for personal data
--               must not leave the data behind in the log.
--               The importer reads (mid, content_hash) from here and skips a
--               message that matches, counted as 'purged': re-importing the
--               same mbox never brings a purged message back, and
--               read = stored + duplicates + quarantined + purged still holds.
-- import_log.purged  messages of that run skipped because they were purged.

CREATE TABLE purge_log (
    id           INTEGER PRIMARY KEY,
    message_id   INTEGER NOT NULL,
    mid          TEXT NOT NULL,
    mid_seq      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    thread_id    INTEGER NOT NULL,
    date_utc     INTEGER NOT NULL,
    lists        TEXT NOT NULL,
    reason       TEXT NOT NULL,
    selector     TEXT NOT NULL,
    purged_at    INTEGER NOT NULL,
    change_seq   INTEGER NOT NULL
);
CREATE INDEX purge_log_identity ON purge_log(mid, content_hash);

ALTER TABLE import_log ADD COLUMN purged INTEGER NOT NULL DEFAULT 0;
