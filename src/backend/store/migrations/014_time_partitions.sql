-- Time partitions (issue 17, ADR 0011): events, event_apps and event_keys are
-- partitioned by RANGE on sort_time, one partition per UTC week, so retention
-- drops a week's tables instead of deleting its rows one by one (no bloat for
-- autovacuum, no index churn). Existing rows are copied into the new tables;
-- seqs are kept, so event keys already handed out stay valid.
--
-- Idempotent ingest ("a replay is a no-op, a conflicting payload is a
-- conflict, never a second copy") needs one unique (source, context_id)
-- across all time. PostgreSQL requires the partition key in every unique index
-- of a partitioned table, so that identity moves to event_identities, a plain
-- table the ingest statement claims first; it also hands out seq and records
-- sort_time, the partition an identity's event lives in.
--
-- There is no DEFAULT partition: PostgreSQL refuses DETACH PARTITION ...
-- CONCURRENTLY on a table that has one, and retention needs that so a drop
-- never blocks ingest. Weeks are created ahead (here, and by every retention
-- sweep), and the rare event of a week without a partition (an old backfill, a
-- clock far ahead) makes ingest create that week and retry
-- (createEventStore.insertEvents).
--
-- The foreign keys from outbox and trigger_firings to events(seq) cannot stay:
-- a foreign key must reference a unique key, and seq alone no longer is one.
-- Their ON DELETE CASCADE is replaced by explicit deletes in retention
-- (store/expireEvents.ts), the only code that removes events.

CREATE TABLE event_identities (
  source text NOT NULL,
  context_id text NOT NULL,
  seq bigint NOT NULL,
  -- The event's sort_time: which partition holds it.
  sort_time timestamptz NOT NULL,
  PRIMARY KEY (source, context_id)
);

INSERT INTO event_identities (source, context_id, seq, sort_time)
SELECT source, context_id, seq, sort_time FROM events;

-- seq keeps counting where it was; the sequence must outlive the old table.
ALTER SEQUENCE events_seq_seq OWNED BY event_identities.seq;
ALTER TABLE event_identities ALTER COLUMN seq SET DEFAULT nextval('events_seq_seq');

ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_event_seq_fkey;
ALTER TABLE trigger_firings DROP CONSTRAINT IF EXISTS trigger_firings_event_seq_fkey;

ALTER TABLE events RENAME TO events_unpartitioned;
ALTER TABLE event_apps RENAME TO event_apps_unpartitioned;
ALTER TABLE event_keys RENAME TO event_keys_unpartitioned;

CREATE TABLE events (
  seq bigint NOT NULL,
  source text NOT NULL,
  context_id text NOT NULL,
  type text,
  subject text,
  predicate text,
  type_version text,
  spec_version text,
  event_time timestamptz,
  received_at timestamptz NOT NULL,
  -- coalesce(event_time, received_at), written by the ingest statement: a partition key cannot be a
  -- generated column.
  sort_time timestamptz NOT NULL,
  subject_id text,
  chain_id text,
  links jsonb NOT NULL DEFAULT '[]',
  link_context_ids text[] NOT NULL DEFAULT '{}',
  payload jsonb NOT NULL,
  verdict text NOT NULL CHECK (verdict IN ('valid', 'invalid', 'unknown-type')),
  problems jsonb NOT NULL DEFAULT '[]',
  direction text NOT NULL CHECK (direction IN ('emitted', 'received')),
  reconstructed boolean NOT NULL DEFAULT false,
  instance text,
  PRIMARY KEY (seq, sort_time)
) PARTITION BY RANGE (sort_time);

CREATE TABLE event_apps (
  event_seq bigint NOT NULL,
  instance text NOT NULL,
  app_namespace text NOT NULL,
  app_name text NOT NULL,
  rule text NOT NULL,
  detail text NOT NULL,
  sort_time timestamptz NOT NULL,
  PRIMARY KEY (event_seq, instance, app_namespace, app_name, rule, sort_time)
) PARTITION BY RANGE (sort_time);

CREATE TABLE event_keys (
  kind text NOT NULL,
  value text NOT NULL,
  sort_time timestamptz NOT NULL,
  event_seq bigint NOT NULL
) PARTITION BY RANGE (sort_time);

-- The partition name of the week that holds p_at, e.g. events_w20260601 (the week's Monday, UTC).
CREATE FUNCTION cdevents_week_partition_name(p_table text, p_at timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT p_table || '_w' || to_char(date_trunc('week', p_at AT TIME ZONE 'UTC'), 'YYYYMMDD')
$$;

-- Creates the week (Monday 00:00 UTC to the next Monday) that holds p_at for events, event_apps and
-- event_keys, unless it exists; true when it created it. Each table is made standalone and then
-- attached: ATTACH takes a lock that does not block inserts into the other partitions, where CREATE
-- TABLE ... PARTITION OF would lock the whole table. The advisory lock lets replicas and the sweep call
-- this at once.
CREATE FUNCTION cdevents_add_week_partition(p_at timestamptz) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  week_start timestamptz := date_trunc('week', p_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  parent text;
  partition_name text;
  created boolean := false;
BEGIN
  PERFORM pg_advisory_xact_lock(4202617);
  FOREACH parent IN ARRAY ARRAY['events', 'event_apps', 'event_keys'] LOOP
    partition_name := cdevents_week_partition_name(parent, week_start);
    IF EXISTS (
      SELECT FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = parent::regclass AND c.relname = partition_name
    ) THEN
      CONTINUE;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name, parent);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, partition_name,
      week_start, week_start + interval '7 days');
    created := true;
  END LOOP;
  RETURN created;
END
$$;

-- The weeks the existing rows span, and this week and the next four.
SELECT cdevents_add_week_partition(week)
FROM (
  SELECT DISTINCT date_trunc('week', sort_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS week FROM events_unpartitioned
  UNION
  SELECT generate_series(now(), now() + interval '4 weeks', interval '1 week')
) AS weeks;

INSERT INTO events (seq, source, context_id, type, subject, predicate, type_version, spec_version, event_time,
  received_at, sort_time, subject_id, chain_id, links, link_context_ids, payload, verdict, problems, direction,
  reconstructed, instance)
SELECT seq, source, context_id, type, subject, predicate, type_version, spec_version, event_time,
  received_at, sort_time, subject_id, chain_id, links, link_context_ids, payload, verdict, problems, direction,
  reconstructed, instance
FROM events_unpartitioned;

INSERT INTO event_apps (event_seq, instance, app_namespace, app_name, rule, detail, sort_time)
SELECT event_seq, instance, app_namespace, app_name, rule, detail, sort_time FROM event_apps_unpartitioned;

INSERT INTO event_keys (kind, value, sort_time, event_seq)
SELECT kind, value, sort_time, event_seq FROM event_keys_unpartitioned;

DROP TABLE events_unpartitioned, event_apps_unpartitioned, event_keys_unpartitioned;

-- The indexes of 001, 009 (event_keys) and the list's, built once over the copied rows. Each is made on
-- every partition, and on every partition created later.
CREATE INDEX events_sort_time ON events (sort_time DESC, seq DESC);
CREATE INDEX events_context_id ON events (context_id);
CREATE INDEX events_chain_id ON events (chain_id) WHERE chain_id IS NOT NULL;
CREATE INDEX events_subject_id ON events (subject_id) WHERE subject_id IS NOT NULL;
-- fastupdate off: with GIN's pending list, every chain hop's `link_context_ids && …` scanned the whole
-- unmerged list (up to 4 MB) until a vacuum merged it, which made chains 5× slower after a bulk load
-- (bench scale, 100,000 events). Each insert now updates the index itself: few links per event.
CREATE INDEX events_link_context_ids ON events USING gin (link_context_ids) WITH (fastupdate = off);
CREATE INDEX event_apps_list ON event_apps (app_name, sort_time DESC, event_seq DESC);
CREATE INDEX event_keys_event ON event_keys (event_seq);
CREATE INDEX event_keys_lookup ON event_keys (hashtextextended(kind || ' ' || value, 0), sort_time)
  INCLUDE (event_seq);

-- The outbox trigger of 003, on the new table (a row trigger on a partitioned table fires for every partition).
CREATE TRIGGER events_enqueue_outbox
  AFTER INSERT ON events
  FOR EACH ROW
  WHEN (NEW.direction = 'emitted')
  EXECUTE FUNCTION outbox_enqueue_trigger();

-- Planner statistics for the copied rows now, not at autovacuum's leisure (PGlite has none).
ANALYZE event_identities;
ANALYZE events;
ANALYZE event_apps;
ANALYZE event_keys;
