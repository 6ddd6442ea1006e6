-- The outbox: one row per (emitted event, sink), written in the same transaction
-- as the event itself by a trigger, so no code path that stores an emitted event
-- can forget to forward it and no crash can fall between the insert and the
-- enqueue. Workers claim due rows with FOR UPDATE SKIP LOCKED and a lease
-- (claimed_until, claim_token); see src/backend/sinks/outboxStore.ts.

-- The sinks the backend was started with, mirrored here so the trigger knows
-- where an event goes. A sink dropped from the configuration is disabled, not
-- deleted: its pending rows wait, and resume if it comes back.
CREATE TABLE outbox_sinks (
  name text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('http', 'nats')),
  spec_version text NOT NULL,
  -- NULL forwards every emitted event; otherwise the event type must start with one of these.
  type_prefixes text[],
  max_attempts integer NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  registered_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE outbox (
  event_seq bigint NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
  sink text NOT NULL REFERENCES outbox_sinks (name),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  -- Counted when a row is claimed, so a send that crashes its worker still counts.
  attempts integer NOT NULL DEFAULT 0,
  -- NULL: due at once (never tried).
  next_attempt_at timestamptz,
  claimed_until timestamptz,
  claim_token text,
  last_status_code integer,
  last_error text,
  delivered_at timestamptz,
  enqueued_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_seq, sink)
);

-- The claim query's path: due pending rows only, so delivered history costs nothing.
CREATE INDEX outbox_due ON outbox (next_attempt_at NULLS FIRST, event_seq) WHERE status = 'pending';
CREATE INDEX outbox_sink_status ON outbox (sink, status);

CREATE TABLE delivery_attempts (
  id bigserial PRIMARY KEY,
  event_seq bigint NOT NULL,
  sink text NOT NULL,
  attempt integer NOT NULL,
  at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'dead')),
  status_code integer,
  error text,
  duration_ms integer NOT NULL,
  FOREIGN KEY (event_seq, sink) REFERENCES outbox (event_seq, sink) ON DELETE CASCADE
);
CREATE INDEX delivery_attempts_row ON delivery_attempts (event_seq, sink, id);

-- Enqueues one stored event for every enabled sink whose filter takes it. Idempotent.
-- Only valid emitted events leave: we never send what our own validator rejects.
CREATE FUNCTION outbox_enqueue(p_event_seq bigint) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  inserted integer;
BEGIN
  INSERT INTO outbox (event_seq, sink)
  SELECT e.seq, s.name
  FROM events e
  JOIN outbox_sinks s ON s.enabled
  WHERE e.seq = p_event_seq
    AND e.direction = 'emitted'
    AND e.verdict = 'valid'
    AND (s.type_prefixes IS NULL
         OR EXISTS (SELECT 1 FROM unnest(s.type_prefixes) AS p WHERE starts_with(coalesce(e.type, ''), p)))
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS inserted = ROW_COUNT;
  IF inserted > 0 THEN
    -- Delivered at commit, so a listening worker wakes exactly when the rows are visible.
    PERFORM pg_notify('cdevents_outbox', '');
  END IF;
  RETURN inserted;
END
$$;

CREATE FUNCTION outbox_enqueue_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM outbox_enqueue(NEW.seq);
  RETURN NULL;
END
$$;

CREATE TRIGGER events_enqueue_outbox
  AFTER INSERT ON events
  FOR EACH ROW
  WHEN (NEW.direction = 'emitted')
  EXECUTE FUNCTION outbox_enqueue_trigger();
