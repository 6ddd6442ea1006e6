-- App facts (issue 17): what the summary strip, the DORA trends and the dashboard read of an app, one
-- narrow row per event and app it is shown for: emitted service events, artifact publications,
-- incidents, failed runs. Those routes read windows of 30 days, 13 weeks, or the whole history
-- (incidents still open, what runs where). Read from events through event_apps, each row fetched a
-- wide event (and its payload's JSON) and the planner's costs grew with every app's events, not this
-- app's: at 10,000,000 events (bench scale) the summary took 413 ms p50 where it took 37 ms at
-- 1,000,000. Here they are one index range per app and kind, a few hundred small rows at most.
--
-- The rows are written by a statement trigger on event_apps, so every way an attribution is stored
-- (ingest, attributions learnt later from chains and app profiles) writes its facts in the same
-- statement. Partitioned by week like events, so retention drops a week's facts with its events.

CREATE TABLE app_facts (
  app_name text NOT NULL,
  -- 'service' (emitted service.*), 'publication' (artifact.published with a purl), 'incident'
  -- (incident.*), 'failed_run' (pipeline, task, test case or suite run finished with failure or error).
  fact text NOT NULL CHECK (fact IN ('service', 'publication', 'incident', 'failed_run')),
  sort_time timestamptz NOT NULL,
  event_seq bigint NOT NULL,
  app_namespace text NOT NULL,
  instance text NOT NULL,
  predicate text NOT NULL,
  -- subject.content.environment.id
  environment text,
  -- subject.content.artifactId and customData.argocd.artifacts (service events)
  artifact_id text,
  artifacts jsonb,
  -- The subject's id: a publication's purl, the incident that pairs detection and resolution.
  subject_id text,
  -- subject.content.description (incidents)
  description text,
  -- The key is each read's range; the other columns ride in the index, so a read is an index-only scan
  -- of the app's few leaf pages instead of a heap page per row (one app's rows are spread among every
  -- app's, in arrival order). At 10,000,000 events, where reads no longer find the heap in
  -- shared_buffers, the summary took 58 ms p50 with heap fetches (bench scale).
  PRIMARY KEY (app_name, fact, sort_time, event_seq, app_namespace, instance)
    INCLUDE (predicate, environment, artifact_id, artifacts, subject_id, description)
) PARTITION BY RANGE (sort_time);

-- Retention's row-by-row deletes find an event's facts by seq.
CREATE INDEX app_facts_event ON app_facts (event_seq);

-- The fact an event is, or null: the one definition the trigger and the backfill share.
CREATE FUNCTION cdevents_app_fact(e events) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN e.direction = 'emitted' AND e.subject = 'service' THEN 'service'
    WHEN e.subject = 'artifact' AND e.predicate = 'published' AND e.subject_id IS NOT NULL THEN 'publication'
    WHEN e.subject = 'incident' THEN 'incident'
    WHEN e.subject IN ('pipelinerun', 'taskrun', 'testcaserun', 'testsuiterun') AND e.predicate = 'finished'
      AND lower(e.payload->'subject'->'content'->>'outcome') IN ('failure', 'error') THEN 'failed_run'
  END
$$;

-- Week partitions as 014's, now for app_facts too.
CREATE OR REPLACE FUNCTION cdevents_add_week_partition(p_at timestamptz) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  week_start timestamptz := date_trunc('week', p_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  parent text;
  partition_name text;
  created boolean := false;
BEGIN
  PERFORM pg_advisory_xact_lock(4202617);
  FOREACH parent IN ARRAY ARRAY['events', 'event_apps', 'event_keys', 'app_facts'] LOOP
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

-- app_facts' week for every week events has.
SELECT cdevents_add_week_partition(substring(c.relname FROM '[0-9]{8}$')::date::timestamp AT TIME ZONE 'UTC')
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'events'::regclass AND c.relname ~ '^events_w[0-9]{8}$';

-- The facts of the events stored so far.
INSERT INTO app_facts (app_name, fact, sort_time, event_seq, app_namespace, instance, predicate, environment,
  artifact_id, artifacts, subject_id, description)
SELECT DISTINCT ON (ea.app_name, ea.sort_time, ea.event_seq, ea.app_namespace, ea.instance)
  ea.app_name, cdevents_app_fact(e), ea.sort_time, ea.event_seq, ea.app_namespace, ea.instance, e.predicate,
  e.payload->'subject'->'content'->'environment'->>'id',
  e.payload->'subject'->'content'->>'artifactId',
  e.payload->'customData'->'argocd'->'artifacts',
  e.subject_id,
  e.payload->'subject'->'content'->>'description'
FROM event_apps ea
JOIN events e ON e.seq = ea.event_seq AND e.sort_time = ea.sort_time
WHERE cdevents_app_fact(e) IS NOT NULL;

-- New attributions write their facts. Each new attribution's event is one primary-key probe (its sort_time
-- names the partition), once per event however many apps it is shown for; a join the planner might hash
-- would read every partition of events per statement. (Storing 500 of bench scale's events into 1,000,000,
-- p50 of 40: probing once per attribution row, 80.5 ms vs 69.2 ms with the trigger disabled; this way,
-- 54.1 ms vs 50.2 ms.)
CREATE FUNCTION app_facts_from_attributions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO app_facts (app_name, fact, sort_time, event_seq, app_namespace, instance, predicate, environment,
    artifact_id, artifacts, subject_id, description)
  WITH facts AS (
    SELECT n.event_seq, n.sort_time, f.*
    FROM (SELECT DISTINCT event_seq, sort_time FROM new_attributions) n
    CROSS JOIN LATERAL (
      SELECT cdevents_app_fact(e) AS fact, e.predicate,
        e.payload->'subject'->'content'->'environment'->>'id' AS environment,
        e.payload->'subject'->'content'->>'artifactId' AS artifact_id,
        e.payload->'customData'->'argocd'->'artifacts' AS artifacts,
        e.subject_id,
        e.payload->'subject'->'content'->>'description' AS description
      FROM events e
      WHERE e.seq = n.event_seq AND e.sort_time = n.sort_time
      OFFSET 0
    ) f
    WHERE f.fact IS NOT NULL
  )
  SELECT DISTINCT ON (a.app_name, a.sort_time, a.event_seq, a.app_namespace, a.instance)
    a.app_name, f.fact, a.sort_time, a.event_seq, a.app_namespace, a.instance, f.predicate, f.environment,
    f.artifact_id, f.artifacts, f.subject_id, f.description
  FROM facts f JOIN new_attributions a ON a.event_seq = f.event_seq AND a.sort_time = f.sort_time
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER event_apps_write_app_facts
  AFTER INSERT ON event_apps
  REFERENCING NEW TABLE AS new_attributions
  FOR EACH STATEMENT
  EXECUTE FUNCTION app_facts_from_attributions();

ANALYZE app_facts;
