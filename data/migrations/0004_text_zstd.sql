-- mlarc store schema: message text compressed (import speed, store size).
--
-- message_text_z  what message_text was: the decoded headers, body and
--                 attachment text of each message; a column is kept as TEXT
--                 (short or incompressible text, and every row written before
--                 this migration) or as a BLOB holding one zstd frame of the
--                 UTF-8 text (store/raw_codec.hpp). Compression roughly halves
--                 the store and the bytes an import writes.
-- message_text    now a view over message_text_z with the same columns,
--                 decompressed through the SQL function mlarc_text(), which
--                 every mlarc connection registers (sql::Db::open): readers'
--                 queries are unchanged. Deleting, inserting and updating rows
--                 of the view reach the table through INSTEAD OF triggers (an
--                 insert there stores plain text). The sqlite3 shell does not
--                 know mlarc_text(): inspect message_text_z there, or use
--                 `mlarc show`.
--
-- No row is rewritten: the migration is instant whatever the archive size.

ALTER TABLE message_text RENAME TO message_text_z;

CREATE VIEW message_text(message_id, headers, body, attachment_text) AS
    SELECT message_id, mlarc_text(headers), mlarc_text(body), mlarc_text(attachment_text)
    FROM message_text_z;

CREATE TRIGGER message_text_delete INSTEAD OF DELETE ON message_text
BEGIN
    DELETE FROM message_text_z WHERE message_id = old.message_id;
END;

CREATE TRIGGER message_text_insert INSTEAD OF INSERT ON message_text
BEGIN
    INSERT INTO message_text_z(message_id, headers, body, attachment_text)
    VALUES (new.message_id, new.headers, new.body, coalesce(new.attachment_text, ''));
END;

CREATE TRIGGER message_text_update INSTEAD OF UPDATE ON message_text
BEGIN
    UPDATE message_text_z SET message_id = new.message_id, headers = new.headers,
        body = new.body, attachment_text = new.attachment_text
    WHERE message_id = old.message_id;
END;
