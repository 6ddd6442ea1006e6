-- Triggers (src/backend/triggers): per Argo CD app, outbound rules (which
-- moments of the app are emitted, to which sinks) and inbound rules (which
-- received CDEvents make Argo CD act on the app). See docs/adr/0005-triggers.md.

CREATE TABLE triggers (
  id text PRIMARY KEY,
  instance text NOT NULL,
  app_namespace text NOT NULL,
  app_name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('outbound', 'inbound')),
  name text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  -- The normalised rule: moments and sinks (outbound); match, action, cooldown (inbound).
  spec jsonb NOT NULL,
  -- Counts writes, so an edit made from a stale form is refused instead of lost.
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text NOT NULL,
  -- How applying an outbound rule to Argo CD went (annotations, argocd-notifications-cm).
  applied jsonb
);

CREATE INDEX triggers_app ON triggers (instance, app_namespace, app_name);
CREATE INDEX triggers_inbound ON triggers (kind) WHERE enabled;

-- Received events not yet evaluated against inbound rules, written by a trigger
-- in the transaction that stores the event: nothing acknowledged is missed, even
-- across a crash, and ingest does no evaluation work of its own.
CREATE TABLE trigger_inbox (
  event_seq bigint PRIMARY KEY REFERENCES events (seq) ON DELETE CASCADE,
  enqueued_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION trigger_inbox_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO trigger_inbox (event_seq) VALUES (NEW.seq) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER events_enqueue_trigger_inbox
  AFTER INSERT ON events
  FOR EACH ROW
  WHEN (NEW.direction = 'received')
  EXECUTE FUNCTION trigger_inbox_enqueue();

-- One row per (inbound rule, event) that matched: the unique key is the claim
-- that makes an action run once across replicas. Cooldown skips are rows too,
-- so the panel can say why nothing happened.
CREATE TABLE trigger_firings (
  id bigserial PRIMARY KEY,
  trigger_id text NOT NULL REFERENCES triggers (id) ON DELETE CASCADE,
  event_seq bigint NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
  action text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'skipped')),
  reason text NOT NULL,
  detail text,
  fired_at timestamptz NOT NULL,
  finished_at timestamptz,
  claimed_by text,
  CONSTRAINT trigger_firings_once UNIQUE (trigger_id, event_seq)
);

CREATE INDEX trigger_firings_recent ON trigger_firings (trigger_id, fired_at DESC);
CREATE INDEX trigger_firings_pending ON trigger_firings (id) WHERE status = 'pending';

-- The cause of an action on an app (its event), until the app's next sync
-- event consumes it: the Argo CD mapping links that event to it with RELATION
-- TRIGGER and continues its chain.
CREATE TABLE trigger_causes (
  firing_id bigint PRIMARY KEY REFERENCES trigger_firings (id) ON DELETE CASCADE,
  instance text NOT NULL,
  app_namespace text NOT NULL,
  app_name text NOT NULL,
  context_id text NOT NULL,
  chain_id text,
  reason text NOT NULL,
  recorded_at timestamptz NOT NULL
);

CREATE INDEX trigger_causes_app ON trigger_causes (instance, app_namespace, app_name, recorded_at DESC);

-- Every change to a trigger: who, when, before and after.
CREATE TABLE trigger_audit (
  id bigserial PRIMARY KEY,
  trigger_id text NOT NULL,
  instance text NOT NULL,
  app_namespace text NOT NULL,
  app_name text NOT NULL,
  change text NOT NULL CHECK (change IN ('create', 'update', 'delete')),
  actor text NOT NULL,
  actor_groups text[] NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL,
  before jsonb,
  after jsonb
);

CREATE INDEX trigger_audit_app ON trigger_audit (instance, app_namespace, app_name, id DESC);

-- Outbound rules choose, per app, which emitted events leave and for which
-- sinks. The outbox (003) enqueues an emitted event for every enabled sink; this
-- check drops the rows an app's outbound rules exclude. An app without outbound
-- rules keeps the default: everything is forwarded.
CREATE FUNCTION trigger_outbound_moment(p_type text, p_payload jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN p_type LIKE 'dev.cdevents.service.deployed.%' OR p_type LIKE 'dev.cdevents.service.upgraded.%' THEN 'deployed'
    WHEN p_type LIKE 'dev.cdevents.service.rolledback.%' THEN 'rolled-back'
    WHEN p_type LIKE 'dev.cdevents.service.removed.%' THEN 'removed'
    WHEN p_type LIKE 'dev.cdevents.incident.resolved.%' THEN 'recovered'
    WHEN p_type LIKE 'dev.cdevents.incident.detected.%' THEN
      CASE WHEN p_payload #>> '{customData,argocd,incident,kind}' = 'sync-failed' THEN 'sync-failed' ELSE 'degraded' END
    ELSE NULL
  END
$$;

CREATE FUNCTION trigger_outbound_filter() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  e record;
  moment text;
  app_ns text;
  app_nm text;
BEGIN
  SELECT type, payload, instance INTO e FROM events WHERE seq = NEW.event_seq;
  app_ns := e.payload #>> '{customData,argocd,application,namespace}';
  app_nm := e.payload #>> '{customData,argocd,application,name}';
  IF app_nm IS NULL OR NOT EXISTS (
    SELECT 1 FROM triggers t
    WHERE t.kind = 'outbound' AND t.app_name = app_nm AND t.app_namespace = app_ns
      AND t.instance = coalesce(e.instance, e.payload #>> '{customData,argocd,instance}', t.instance)
  ) THEN
    RETURN NEW;
  END IF;
  moment := trigger_outbound_moment(e.type, e.payload);
  IF moment IS NULL THEN
    RETURN NEW;
  END IF;
  IF EXISTS (
    SELECT 1 FROM triggers t
    WHERE t.kind = 'outbound' AND t.enabled AND t.app_name = app_nm AND t.app_namespace = app_ns
      AND t.instance = coalesce(e.instance, e.payload #>> '{customData,argocd,instance}', t.instance)
      AND t.spec -> 'moments' ? moment
      AND (jsonb_array_length(t.spec -> 'sinks') = 0 OR t.spec -> 'sinks' ? NEW.sink)
  ) THEN
    RETURN NEW;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER outbox_trigger_outbound_filter
  BEFORE INSERT ON outbox
  FOR EACH ROW
  EXECUTE FUNCTION trigger_outbound_filter();
