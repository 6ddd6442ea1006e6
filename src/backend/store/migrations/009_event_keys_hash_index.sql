-- Ingest speed, measured on 500-event batches (bench/ingest.ts).
--
-- Writing an event's correlation keys was the largest part of an insert's
-- database time: about 1,000 rows per batch, each entered into a primary key
-- of (kind, value, sort_time, event_seq), where values are long purls, and
-- checked for a conflict that cannot happen (each row is written once, by the
-- statement that inserts its event, for a seq that statement has just taken,
-- from a list without repeats: chainQueries.appendEventKeys).
--
-- The lookup index keys each row by a 64-bit hash of "kind value" instead of
-- the text itself (the kinds contain no space), with sort_time after it, so
-- "the events with this key nearest in time to T" is still one range scan of
-- one index. Its entries are a few bytes instead of a purl's length. event_seq is
-- carried in the index, so a lookup reads no table row. A hash collision can
-- only add a candidate: the chain walk (chains/buildChain.ts) links events by
-- the keys it reads for each of them, and drops a candidate that shares none.
--
-- On a large store this builds the index once, at the upgrade.
CREATE INDEX event_keys_lookup ON event_keys (hashtextextended(kind || ' ' || value, 0), sort_time)
  INCLUDE (event_seq);
ALTER TABLE event_keys DROP CONSTRAINT event_keys_pkey;
