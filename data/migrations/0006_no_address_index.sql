-- mlarc store schema: no index on message_addresses(address).
--
-- Nothing in mlarc looks message_addresses up by address: messages are read
-- by id (show, the index feed, purge), and searching by sender or recipient
-- goes through the search index (from:, to:, cc: fields). Keeping the index
-- cost the importer a random insert into a string-keyed b-tree for each of
-- the ~9 addresses of every message (743,807 rows for linux-mips's 84,037
-- messages), the largest single cost of the store's writer. A site that
-- queries the store by address with its own SQL can create it again:
--   CREATE INDEX message_addresses_address ON message_addresses(address);

DROP INDEX IF EXISTS message_addresses_address;
