/**
 * The developer dashboard's reads for one app: what runs where (the newest
 * emitted service event per environment), the deployments and incidents of a
 * time window, each from app_facts (migration 015) as the summary's reads
 * (summaryQueries.ts). An app matches its own rows and those given for any
 * instance or namespace ('*'), as in the app's tab.
 */
import type { DashboardDeployment, DashboardIncident } from '../api/contract';
import { appFactParams, appFacts } from './appFacts';
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

const deploymentColumns = `f.event_seq::text AS seq, f.predicate, f.environment, f.artifact_id, f.sort_time`;

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
       SELECT DISTINCT ON (f.sort_time, f.event_seq) ${deploymentColumns},
         f.event_seq, coalesce(f.environment, '') AS environment_key
       ${appFacts} AND f.predicate = ANY($5::text[])
       ORDER BY f.sort_time, f.event_seq
     ),
     latest AS (
       SELECT DISTINCT ON (environment_key) * FROM service ORDER BY environment_key, sort_time DESC, event_seq DESC
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
    [...appFactParams(app, 'service'), deploymentPredicates],
    { name: 'cdevents_dashboard_running' },
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
    `SELECT DISTINCT ON (f.sort_time, f.event_seq) ${deploymentColumns}
     ${appFacts} AND f.predicate = ANY($5::text[]) AND f.sort_time BETWEEN $6::timestamptz AND $7::timestamptz
     ORDER BY f.sort_time DESC, f.event_seq DESC
     LIMIT $8`,
    [...appFactParams(app, 'service'), deploymentPredicates, window.from, window.to, window.limit],
    { name: 'cdevents_dashboard_deployments' },
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
    `SELECT DISTINCT ON (f.sort_time, f.event_seq) f.event_seq::text AS seq, f.predicate, f.environment,
       f.description, f.sort_time
     ${appFacts} AND f.sort_time BETWEEN $5::timestamptz AND $6::timestamptz
     ORDER BY f.sort_time DESC, f.event_seq DESC
     LIMIT $7`,
    [...appFactParams(app, 'incident'), window.from, window.to, window.limit],
    { name: 'cdevents_dashboard_incidents' },
  );
  return rows.map((row) => ({
    key: encodeEventKey(row.seq),
    predicate: row.predicate,
    environment: row.environment,
    description: row.description,
    timestamp: toIso(row.sort_time),
  }));
}
