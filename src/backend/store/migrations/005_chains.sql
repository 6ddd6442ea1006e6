-- Correlation keys for causal chains: one row per (kind, value) an event
-- carries (its artifact purl at a version, repository@revision, pipeline run,
-- test suite run, change, environment, chainId), written in the same
-- transaction as the event. Chain queries ask "the events nearest in time to T
-- that share this key", which is one range scan of the primary key; a jsonb
-- expression index per payload path could not order by time across paths.
CREATE TABLE event_keys (
  kind text NOT NULL,
  value text NOT NULL,
  -- A copy of events.sort_time.
  sort_time timestamptz NOT NULL,
  event_seq bigint NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
  PRIMARY KEY (kind, value, sort_time, event_seq)
);

-- Reading one event's keys, and the cascade when an event is deleted.
CREATE INDEX event_keys_event ON event_keys (event_seq);
