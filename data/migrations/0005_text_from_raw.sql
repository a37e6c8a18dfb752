-- mlarc store schema: header and body text derived from the raw message.
--
-- message_text_z  a headers or body column may now hold an empty BLOB: the
--                 marker that the text is read from the message's raw bytes
--                 (store/raw_codec.hpp): the headers decoded again
--                 (decode_header_fields), the body as the bytes after the
--                 first empty line (raw_body_section). An import writes the
--                 marker for every message's headers and for a body that is
--                 that section byte for byte (most plain-text mail), so that
--                 text is neither compressed nor stored twice. Rows written
--                 before keep their text.
-- message_text    the view reads a marked column through the SQL function
--                 mlarc_raw_text() from message_raw (only when the column is
--                 read); mlarc_text() gives NULL for the marker. Readers'
--                 queries are unchanged; the triggers are as in 0004.
--
-- No row is rewritten: the migration is instant whatever the archive size.

DROP VIEW message_text;

CREATE VIEW message_text(message_id, headers, body, attachment_text) AS
    SELECT t.message_id,
        coalesce(mlarc_text(t.headers),
                 (SELECT mlarc_raw_text('headers', r.codec, r.raw, r.raw_size, r.escaping)
                  FROM message_raw r WHERE r.message_id = t.message_id)),
        coalesce(mlarc_text(t.body),
                 (SELECT mlarc_raw_text('body', r.codec, r.raw, r.raw_size, r.escaping)
                  FROM message_raw r WHERE r.message_id = t.message_id)),
        mlarc_text(t.attachment_text)
    FROM message_text_z t;

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
