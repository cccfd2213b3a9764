-- Index only the rows the queries look for, so handling a message writes fewer pages: the inbox's
-- unprocessed events (processing one removes it from the index instead of moving it to the far end
-- of a second region), and outbox rows that have a platform reference (a queued message has none).
-- A query on `platform_ref = $n` implies it is not null, so both engines still use the index.
DROP INDEX inbox_unprocessed;
CREATE INDEX inbox_unprocessed ON inbox (received_at, key) WHERE processed_at IS NULL;
DROP INDEX outbox_platform_ref;
CREATE INDEX outbox_platform_ref ON outbox (platform_ref) WHERE platform_ref IS NOT NULL;
