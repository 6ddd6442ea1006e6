-- The Argo CD Applications the backend has heard of: one row per
-- (instance, namespace, name), holding the last Application snapshot a
-- notification or a backfill carried (what attribution and the chains read:
-- images, sources, revisions, destination) and the mapping's memory (what was
-- already emitted, so a re-sent state emits nothing). `revision` counts writes:
-- a writer saves memory only if the revision it read is still current, so two
-- notification controllers posting at once cannot both advance it.

CREATE TABLE applications (
  instance text NOT NULL,
  namespace text NOT NULL,
  name text NOT NULL,
  uid text NOT NULL,
  snapshot jsonb NOT NULL,
  memory jsonb NOT NULL,
  revision bigint NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (instance, namespace, name)
);

-- Received-event rules compare every event with the known apps by name.
CREATE INDEX applications_name ON applications (name);
