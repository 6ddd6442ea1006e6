-- Inbound rules also see the events this backend emits, so a rule on one app can
-- act on another app's deployment (the talk's "testing on deploy": sync the test
-- apps when auth is deployed in staging). Every stored event gets its inbox row
-- in the transaction that stores it, one statement-level INSERT per insert
-- statement. A rule never fires on its own app's emitted events: the worker
-- skips those (src/backend/triggers/isOwnEmittedEvent.ts), so a rollback rule
-- cannot keep answering its own rollback.
--
-- Self-contained: it (re)defines the function and the trigger whatever 004 or
-- 006 left, so the inbox's semantics are the ones written here.

CREATE OR REPLACE FUNCTION trigger_inbox_enqueue_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO trigger_inbox (event_seq)
  SELECT seq FROM new_events ORDER BY seq
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS events_enqueue_trigger_inbox ON events;

CREATE TRIGGER events_enqueue_trigger_inbox
  AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT
  EXECUTE FUNCTION trigger_inbox_enqueue_rows();
