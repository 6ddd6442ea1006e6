/**
 * The developer dashboard's reads for one app: what runs where (the newest
 * emitted service event per environment), the deployments and incidents of a
 * time window. An app matches its own event_apps rows and those given for any
 * instance or namespace ('*'), as in the app's tab.
 */
import type { DashboardDeployment, DashboardIncident } from '../api/contract';
import { encodeEventKey } from './eventKey';
import type { SqlQueryable } from './sqlExecutor';
import type { AppRef } from './types';

interface DeploymentRow {
  seq: string;
  predicate: string;
  environment: string | null;
  artifact_id: string | null;
  sort_time: Date | string;
}

interface IncidentRow {
  seq: string;
  predicate: string;
  environment: string | null;
  description: string | null;
  sort_time: Date | string;
}

const deploymentPredicates = ['deployed', 'upgraded', 'rolledback', 'removed'];

/** The events of `app` (alias e), once each, whatever the number of reasons. */
const appEvents = `
  FROM events e
  WHERE EXISTS (
    SELECT 1 FROM event_apps ea
    WHERE ea.event_seq = e.seq AND ea.app_name = $1 AND ea.app_namespace IN ($2, '*') AND ea.instance IN ($3, '*')
  )`;

const deploymentColumns = `e.seq::text AS seq, e.predicate,
  e.payload->'subject'->'content'->'environment'->>'id' AS environment,
  e.payload->'subject'->'content'->>'artifactId' AS artifact_id, e.sort_time`;

function toIso(value: Date | string): string {
  return new Date(value).toISOString();
}

function toDeployment(row: DeploymentRow): DashboardDeployment {
  return {
    key: encodeEventKey(row.seq),
    predicate: row.predicate,
    environment: row.environment,
    artifactId: row.artifact_id,
    timestamp: toIso(row.sort_time),
  };
}

/**
 * The newest emitted service event per environment, unless it says the service was removed, with
 * since when its artifact runs there: the first of the events in a row that name that artifact (a
 * re-sync of the same artifact does not make it younger; another artifact or a removal in between does).
 */
export async function fetchRunning(sql: SqlQueryable, app: AppRef): Promise<DashboardDeployment[]> {
  const { rows } = await sql.query<DeploymentRow & { running_since: Date | string }>(
    `WITH service AS (
       SELECT ${deploymentColumns},
         coalesce(e.payload->'subject'->'content'->'environment'->>'id', '') AS environment_key
       ${appEvents} AND e.direction = 'emitted' AND e.subject = 'service' AND e.predicate = ANY($4::text[])
     ),
     latest AS (
       SELECT DISTINCT ON (environment_key) * FROM service ORDER BY environment_key, sort_time DESC, seq DESC
     )
     SELECT l.seq, l.predicate, l.environment, l.artifact_id, l.sort_time,
       (SELECT min(s.sort_time) FROM service s
        WHERE s.environment_key = l.environment_key
          AND s.sort_time > coalesce(
            (SELECT max(o.sort_time) FROM service o
             WHERE o.environment_key = l.environment_key
               AND (o.artifact_id IS DISTINCT FROM l.artifact_id OR o.predicate = 'removed')),
            '-infinity'::timestamptz)) AS running_since
     FROM latest l
     WHERE l.predicate <> 'removed'
     ORDER BY l.environment`,
    [app.name, app.namespace, app.instance, deploymentPredicates],
  );
  return rows.map((row) => ({ ...toDeployment(row), runningSince: toIso(row.running_since ?? row.sort_time) }));
}

/** Emitted service events in [from, to], newest first. */
export async function fetchDeployments(
  sql: SqlQueryable,
  app: AppRef,
  window: { from: string; to: string; limit: number },
): Promise<DashboardDeployment[]> {
  const { rows } = await sql.query<DeploymentRow>(
    `SELECT ${deploymentColumns}
     ${appEvents} AND e.direction = 'emitted' AND e.subject = 'service' AND e.predicate = ANY($4::text[])
       AND e.sort_time BETWEEN $5::timestamptz AND $6::timestamptz
     ORDER BY e.sort_time DESC, e.seq DESC
     LIMIT $7`,
    [app.name, app.namespace, app.instance, deploymentPredicates, window.from, window.to, window.limit],
  );
  return rows.map(toDeployment);
}

/** Incident events in the app's tab in [from, to], newest first. */
export async function fetchIncidents(
  sql: SqlQueryable,
  app: AppRef,
  window: { from: string; to: string; limit: number },
): Promise<DashboardIncident[]> {
  const { rows } = await sql.query<IncidentRow>(
    `SELECT e.seq::text AS seq, e.predicate,
       e.payload->'subject'->'content'->'environment'->>'id' AS environment,
       e.payload->'subject'->'content'->>'description' AS description, e.sort_time
     ${appEvents} AND e.subject = 'incident' AND e.sort_time BETWEEN $4::timestamptz AND $5::timestamptz
     ORDER BY e.sort_time DESC, e.seq DESC
     LIMIT $6`,
    [app.name, app.namespace, app.instance, window.from, window.to, window.limit],
  );
  return rows.map((row) => ({
    key: encodeEventKey(row.seq),
    predicate: row.predicate,
    environment: row.environment,
    description: row.description,
    timestamp: toIso(row.sort_time),
  }));
}
