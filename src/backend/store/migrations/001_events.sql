-- Events, one row per identity (context.source, context.id), and why each is
-- shown in which app's tab. seq orders inserts and gives the opaque event key.

CREATE TABLE events (
  seq bigserial PRIMARY KEY,
  source text NOT NULL,
  context_id text NOT NULL,
  type text,
  subject text,
  predicate text,
  type_version text,
  spec_version text,
  -- context.timestamp when it parses; the list orders by sort_time.
  event_time timestamptz,
  received_at timestamptz NOT NULL,
  sort_time timestamptz GENERATED ALWAYS AS (coalesce(event_time, received_at)) STORED,
  subject_id text,
  chain_id text,
  links jsonb NOT NULL DEFAULT '[]',
  -- The context ids the links point at, so chain lookups use a GIN index.
  link_context_ids text[] NOT NULL DEFAULT '{}',
  payload jsonb NOT NULL,
  -- sha256 of the payload's canonical JSON: a replay with another payload is a conflict.
  payload_hash text NOT NULL,
  verdict text NOT NULL CHECK (verdict IN ('valid', 'invalid', 'unknown-type')),
  problems jsonb NOT NULL DEFAULT '[]',
  direction text NOT NULL CHECK (direction IN ('emitted', 'received')),
  reconstructed boolean NOT NULL DEFAULT false,
  -- The Argo CD instance an emitted event came from, when its source names one.
  instance text,
  CONSTRAINT events_identity UNIQUE (source, context_id)
);

CREATE INDEX events_sort_time ON events (sort_time DESC, seq DESC);
CREATE INDEX events_context_id ON events (context_id);
CREATE INDEX events_chain_id ON events (chain_id) WHERE chain_id IS NOT NULL;
CREATE INDEX events_subject_id ON events (subject_id) WHERE subject_id IS NOT NULL;
CREATE INDEX events_link_context_ids ON events USING gin (link_context_ids);

-- instance or app_namespace '*' means "any": an event from a tool that cannot
-- know the Argo CD instance (or namespace) is shown in every matching app's tab.
CREATE TABLE event_apps (
  event_seq bigint NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
  instance text NOT NULL,
  app_namespace text NOT NULL,
  app_name text NOT NULL,
  rule text NOT NULL,
  detail text NOT NULL,
  -- A copy of events.sort_time so one app's page is read in index order.
  sort_time timestamptz NOT NULL,
  PRIMARY KEY (event_seq, instance, app_namespace, app_name, rule)
);

CREATE INDEX event_apps_list ON event_apps (app_name, sort_time DESC, event_seq DESC);
