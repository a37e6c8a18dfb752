-- mlarc store schema: a message's addresses kept in its message_text_z row.
--
-- message_text_z.addresses  the From, To, Cc and Reply-To addresses as one JSON
--                 object, role -> array of [address, name] in header order:
--                 {"from":[["a@x.org","A"]],"to":[["b@y.org",""],...],...}
--                 ("from" always, the other roles when present). Written by
--                 the import workers, so the store's writer thread inserts one
--                 row fewer per address: 743,807 single-address rows for
--                 linux-mips's 84,037 messages were, after the index on them
--                 went (0006), still its largest cost.
-- message_addresses  now a view over that column with the same columns as
--                 the table it replaces (message_id, role, position, address,
--                 name; position counts from 0 within a role), so readers'
--                 queries, and a site's own SQL, are unchanged. It is read
--                 by message id (show, the index feed). Rows leave with their
--                 message_text_z row (purge).
-- messages_from   the index on messages(from_addr) is dropped: nothing looks
--                 messages up by sender in SQL (the report's poster counts
--                 scan lower(from_addr), which no index serves; searches by
--                 sender go through the search index).
--
-- The existing address rows are moved into the new column, then the table is
-- dropped. A site that wants an index by address can materialise the view:
--   CREATE TABLE addr AS SELECT * FROM message_addresses;
--   CREATE INDEX addr_address ON addr(address);

DROP INDEX IF EXISTS messages_from;

ALTER TABLE message_text_z ADD COLUMN addresses TEXT NOT NULL DEFAULT '{}';

-- The rows arrive ordered by (message_id, role's rank, position), which also
-- serves both GROUP BYs: each array keeps the positions' order and the roles
-- come in the order the importer writes them, so a migrated row is the same
-- text as one imported since.
CREATE TEMP TABLE mlarc_addresses_0007 AS
    SELECT message_id, json_group_object(role, json(list)) AS addresses
    FROM (SELECT message_id, rank, role, json_group_array(json_array(address, name)) AS list
          FROM (SELECT message_id, CASE role WHEN 'from' THEN 0 WHEN 'to' THEN 1
                                             WHEN 'cc' THEN 2 ELSE 3 END AS rank,
                       role, position, address, name
                FROM message_addresses ORDER BY message_id, rank, role, position)
          GROUP BY message_id, rank, role)
    GROUP BY message_id;

UPDATE message_text_z SET addresses = a.addresses
    FROM mlarc_addresses_0007 a WHERE a.message_id = message_text_z.message_id;

DROP TABLE mlarc_addresses_0007;
DROP TABLE message_addresses;

CREATE VIEW message_addresses(message_id, role, position, address, name) AS
    SELECT t.message_id, r.key, a.key, a.value ->> 0, a.value ->> 1
    FROM message_text_z t, json_each(t.addresses) r, json_each(r.value) a;
