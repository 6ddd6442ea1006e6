-- The Application states each app's notifications carried, newest kept, with
-- the mapping's memory after each one in the Application's own clock order
-- (ADR 0008). A state that arrives after a newer one (a late or retried
-- notification, a second notification controller) is placed among them and
-- the states after it are mapped again, so the events it implies are emitted
-- instead of lost. `state_key` names the state by its clock (resourceVersion,
-- else its times and phases): a re-sent state is the same row.

CREATE TABLE application_states (
  instance text NOT NULL,
  namespace text NOT NULL,
  name text NOT NULL,
  state_key text NOT NULL,
  snapshot jsonb NOT NULL,
  memory jsonb NOT NULL,
  -- No state came before this one: its memory was mapped from none.
  started_empty boolean NOT NULL,
  received_at timestamptz NOT NULL,
  seq bigserial,
  PRIMARY KEY (instance, namespace, name, state_key)
);

-- Trimming keeps the newest rows per app by arrival.
CREATE INDEX application_states_app_seq ON application_states (instance, namespace, name, seq);
