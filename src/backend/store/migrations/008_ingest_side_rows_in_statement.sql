-- Ingest speed, measured with EXPLAIN (ANALYZE) on 500-event batches.
--
-- 1. The trigger inbox is filled by the statement that inserts the events
--    (createEventStore's insert, a data-modifying CTE over the rows it inserted)
--    instead of by the statement-level trigger of 006/007: that trigger copied
--    every new row, payload included, into a transition table only to read its
--    seq. It is the one statement that inserts events, so every stored event
--    still gets its inbox row, atomically with the event. The function stays,
--    unused, so nothing that names it fails.
--
-- 2. The foreign keys from event_keys, event_apps and trigger_inbox to events
--    only ever checked our own writes: all three are written by that same
--    statement from the rows it just inserted, or (addAttributions) by an INSERT
--    that joins events to find the row. The checks were 2,000 primary-key
--    lookups per 500-event batch. What is given up is ON DELETE CASCADE: nothing
--    in the backend deletes events; whoever deletes events by hand deletes these
--    rows by event_seq too.
DROP TRIGGER IF EXISTS events_enqueue_trigger_inbox ON events;

ALTER TABLE event_keys DROP CONSTRAINT IF EXISTS event_keys_event_seq_fkey;
ALTER TABLE event_apps DROP CONSTRAINT IF EXISTS event_apps_event_seq_fkey;
ALTER TABLE trigger_inbox DROP CONSTRAINT IF EXISTS trigger_inbox_event_seq_fkey;
