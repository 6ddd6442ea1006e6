-- Deploys other tools report (a CI system's or a progressive-delivery tool's
-- service.deployed/upgraded/rolledback/removed whose subject id, or
-- content.service.id, names an Argo CD app as <namespace>/<name>). They teach
-- the received-event rules what the app runs and where, as the app's own
-- Application snapshot does (store/appProfileQueries.ts). One row per app and
-- reporting tool (context.source): that tool's latest report, by event time;
-- a removal is kept as such, so a late older deploy cannot bring it back.
-- Such events name no Argo CD instance: the row applies to the app of that
-- namespace and name in every instance.

CREATE TABLE reported_deploys (
  app_namespace text NOT NULL,
  app_name text NOT NULL,
  source text NOT NULL,
  predicate text NOT NULL,
  artifact_id text,
  environment_id text,
  event_time timestamptz NOT NULL,
  context_id text NOT NULL,
  PRIMARY KEY (app_namespace, app_name, source)
);
