/**
 * The summary strip's reads for one app: its service events, the artifact
 * publications and incidents shown in its tab, failed runs. Rows come back as
 * the DORA computations read them (src/backend/dora); the figures are made there.
 * An app matches its own event_apps rows and those given for any instance or
 * namespace ('*'), as in the app's tab. `environment` (null: all) narrows
 * service events to that environment, and incidents and runs to that
 * environment or none named.
 */
import type { DashboardDeployment, DashboardIncident } from '../api/contract';
import type { DoraIncident, DoraPublication, DoraServiceEvent } from '../dora';
import { encodeEventKey } from './eventKey';
import type { SqlQueryable } from './sqlExecutor';
import type { AppRef } from './types';

/** Rows per read: far above what an app produces in a window, low enough to bound a request. */
const ROW_LIMIT = 5000;
/** How far before the window a publication may lie and still be what a deployment in it shipped. */
const PUBLICATION_LOOKBACK_MS = 90 * 86_400_000;

const servicePredicates = ['deployed', 'upgraded', 'rolledback', 'removed'];
const failedRunSubjects = ['pipelinerun', 'taskrun', 'testcaserun', 'testsuiterun'];

/** The events of `app` (alias e), once each, whatever the number of reasons. Parameters $1..$3. */
const appEvents = `
  FROM events e
  WHERE EXISTS (
    SELECT 1 FROM event_apps ea
    WHERE ea.event_seq = e.seq AND ea.app_name = $1 AND ea.app_namespace IN ($2, '*') AND ea.instance IN ($3, '*')
  )`;

/**
 * The app's attribution rows joined to their events, for a read of the app's first or last event of a
 * kind (LIMIT 1), ordered by ea.sort_time: PostgreSQL then walks the app's list index from one end.
 * Ordered by e.sort_time with appEvents' EXISTS, it walked every app's events by time until one was
 * this app's (17 ms at 300,000 events, 0.3 ms this way). An event with several reasons is several
 * rows here, which LIMIT 1 does not mind. Parameters $1..$3.
 */
const appEventRowsByTime = `
  FROM event_apps ea JOIN events e ON e.seq = ea.event_seq
  WHERE ea.app_name = $1 AND ea.app_namespace IN ($2, '*') AND ea.instance IN ($3, '*')`;

const environmentOf = `e.payload->'subject'->'content'->'environment'->>'id'`;

function toIso(value: Date | string): string {
  return new Date(value).toISOString();
}

function toTime(value: Date | string): number {
  return new Date(value).getTime();
}

function appParams(app: AppRef): unknown[] {
  return [app.name, app.namespace, app.instance];
}

interface ServiceRow {
  seq: string;
  predicate: string;
  environment: string | null;
  artifact_id: string | null;
  artifacts: unknown;
  sort_time: Date | string;
}

/** Emitted service events (deployed, upgraded, rolledback, removed) in [from, to], oldest first. */
export async function fetchServiceEvents(
  sql: SqlQueryable,
  app: AppRef,
  range: { from: string; to: string; environment: string | null },
): Promise<DoraServiceEvent[]> {
  const { rows } = await sql.query<ServiceRow>(
    `SELECT e.seq::text AS seq, e.predicate, ${environmentOf} AS environment,
       e.payload->'subject'->'content'->>'artifactId' AS artifact_id,
       e.payload->'customData'->'argocd'->'artifacts' AS artifacts, e.sort_time
     ${appEvents} AND e.direction = 'emitted' AND e.subject = 'service' AND e.predicate = ANY($4::text[])
       AND e.sort_time BETWEEN $5::timestamptz AND $6::timestamptz
       AND ($7::text IS NULL OR ${environmentOf} = $7::text)
     ORDER BY e.sort_time, e.seq
     LIMIT ${ROW_LIMIT}`,
    [...appParams(app), servicePredicates, range.from, range.to, range.environment],
  );
  return rows.map((row) => {
    const listed = Array.isArray(row.artifacts)
      ? row.artifacts.filter((item): item is string => typeof item === 'string')
      : [];
    const artifactIds = [...new Set([...(row.artifact_id ? [row.artifact_id] : []), ...listed])];
    return {
      key: encodeEventKey(row.seq),
      predicate: row.predicate,
      time: toTime(row.sort_time),
      environment: row.environment,
      artifactIds,
    };
  });
}

/** The newest deployed, upgraded or rolled back event, whatever its age. */
export async function fetchLastDeployment(
  sql: SqlQueryable,
  app: AppRef,
  environment: string | null,
): Promise<DashboardDeployment | null> {
  const { rows } = await sql.query<Omit<ServiceRow, 'artifacts'>>(
    `SELECT e.seq::text AS seq, e.predicate, ${environmentOf} AS environment,
       e.payload->'subject'->'content'->>'artifactId' AS artifact_id, e.sort_time
     ${appEventRowsByTime} AND e.direction = 'emitted' AND e.subject = 'service' AND e.predicate = ANY($4::text[])
       AND ($5::text IS NULL OR ${environmentOf} = $5::text)
     ORDER BY ea.sort_time DESC, ea.event_seq DESC
     LIMIT 1`,
    [...appParams(app), ['deployed', 'upgraded', 'rolledback'], environment],
  );
  const row = rows[0];
  return row
    ? {
        key: encodeEventKey(row.seq),
        predicate: row.predicate,
        environment: row.environment,
        artifactId: row.artifact_id,
        timestamp: toIso(row.sort_time),
      }
    : null;
}

/** The environments the app's service events name, sorted. */
export async function fetchServiceEnvironments(sql: SqlQueryable, app: AppRef): Promise<string[]> {
  const { rows } = await sql.query<{ environment: string }>(
    `SELECT DISTINCT ${environmentOf} AS environment
     ${appEvents} AND e.direction = 'emitted' AND e.subject = 'service' AND ${environmentOf} IS NOT NULL
     ORDER BY 1
     LIMIT 100`,
    appParams(app),
  );
  return rows.map((row) => row.environment);
}

/** artifact.published events in the app's tab from 90 days before `from` up to `to`, newest first. */
export async function fetchArtifactPublications(
  sql: SqlQueryable,
  app: AppRef,
  range: { from: string; to: string },
): Promise<DoraPublication[]> {
  const since = new Date(Date.parse(range.from) - PUBLICATION_LOOKBACK_MS).toISOString();
  const { rows } = await sql.query<{ seq: string; purl: string; sort_time: Date | string }>(
    `SELECT e.seq::text AS seq, e.subject_id AS purl, e.sort_time
     ${appEvents} AND e.subject = 'artifact' AND e.predicate = 'published' AND e.subject_id IS NOT NULL
       AND e.sort_time BETWEEN $4::timestamptz AND $5::timestamptz
     ORDER BY e.sort_time DESC, e.seq DESC
     LIMIT ${ROW_LIMIT}`,
    [...appParams(app), since, range.to],
  );
  return rows.map((row) => ({ key: encodeEventKey(row.seq), purl: row.purl, time: toTime(row.sort_time) }));
}

export type SummaryIncident = DoraIncident & { description: string | null };

/**
 * Incident events in the app's tab up to `to`, whatever their age (an incident
 * detected long ago may still be open), oldest first; the newest ROW_LIMIT.
 */
export async function fetchIncidentHistory(
  sql: SqlQueryable,
  app: AppRef,
  range: { to: string; environment: string | null },
): Promise<SummaryIncident[]> {
  const { rows } = await sql.query<{
    seq: string;
    predicate: string;
    subject_id: string | null;
    environment: string | null;
    description: string | null;
    sort_time: Date | string;
  }>(
    `SELECT * FROM (
       SELECT e.seq::text AS seq, e.seq AS order_seq, e.predicate, e.subject_id, ${environmentOf} AS environment,
         e.payload->'subject'->'content'->>'description' AS description, e.sort_time
       ${appEvents} AND e.subject = 'incident' AND e.sort_time <= $4::timestamptz
         AND ($5::text IS NULL OR ${environmentOf} IS NULL OR ${environmentOf} = $5::text)
       ORDER BY e.sort_time DESC, e.seq DESC
       LIMIT ${ROW_LIMIT}
     ) newest
     ORDER BY sort_time, order_seq`,
    [...appParams(app), range.to, range.environment],
  );
  return rows.map((row) => ({
    key: encodeEventKey(row.seq),
    predicate: row.predicate,
    subjectId: row.subject_id,
    time: toTime(row.sort_time),
    environment: row.environment,
    description: row.description,
  }));
}

/** An incident as the strip shows it. */
export function toDashboardIncident(incident: SummaryIncident): DashboardIncident {
  return {
    key: incident.key,
    predicate: incident.predicate,
    environment: incident.environment,
    description: incident.description,
    timestamp: new Date(incident.time).toISOString(),
  };
}

/** Finished pipeline, task, test case and test suite runs in [from, to] whose outcome is failure or error. */
export async function countFailedRuns(
  sql: SqlQueryable,
  app: AppRef,
  range: { from: string; to: string; environment: string | null },
): Promise<number> {
  const { rows } = await sql.query<{ failures: string }>(
    `SELECT count(*)::text AS failures
     ${appEvents} AND e.subject = ANY($4::text[]) AND e.predicate = 'finished'
       AND lower(e.payload->'subject'->'content'->>'outcome') IN ('failure', 'error')
       AND e.sort_time BETWEEN $5::timestamptz AND $6::timestamptz
       AND ($7::text IS NULL OR ${environmentOf} IS NULL OR ${environmentOf} = $7::text)`,
    [...appParams(app), failedRunSubjects, range.from, range.to, range.environment],
  );
  return Number(rows[0]?.failures ?? 0);
}

/** When the app's first emitted service event happened (in `environment`, or any), ms since the epoch; null when none. */
export async function fetchFirstServiceTime(
  sql: SqlQueryable,
  app: AppRef,
  environment: string | null,
): Promise<number | null> {
  const { rows } = await sql.query<{ sort_time: Date | string }>(
    `SELECT e.sort_time
     ${appEventRowsByTime} AND e.direction = 'emitted' AND e.subject = 'service'
       AND ($4::text IS NULL OR ${environmentOf} = $4::text)
     ORDER BY ea.sort_time, ea.event_seq
     LIMIT 1`,
    [...appParams(app), environment],
  );
  return rows[0] ? toTime(rows[0].sort_time) : null;
}
