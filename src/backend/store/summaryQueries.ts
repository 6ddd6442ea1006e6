/**
 * The summary strip's reads for one app: its service events, the artifact
 * publications and incidents shown in its tab, failed runs. Rows come back as
 * the DORA computations read them (src/backend/dora); the figures are made there.
 * Each read is one index range of app_facts (migration 015), which holds these
 * kinds of event per app they are shown for, so its cost follows the app's own
 * history, not the store's. An app matches its own rows and those given for any
 * instance or namespace ('*'), as in the app's tab. `environment` (null: all) narrows
 * service events to that environment, and incidents and runs to that
 * environment or none named.
 */
import type { DashboardDeployment, DashboardIncident } from '../api/contract';
import type { DoraIncident, DoraPublication, DoraServiceEvent } from '../dora';
import { appFactParams, appFacts } from './appFacts';
import { encodeEventKey } from './eventKey';
import type { SqlQueryable } from './sqlExecutor';
import type { AppRef } from './types';

/** Rows per read: far above what an app produces in a window, low enough to bound a request. */
const ROW_LIMIT = 5000;
/** How far before the window a publication may lie and still be what a deployment in it shipped. */
export const PUBLICATION_LOOKBACK_MS = 90 * 86_400_000;

const servicePredicates = ['deployed', 'upgraded', 'rolledback', 'removed'];

function toIso(value: Date | string): string {
  return new Date(value).toISOString();
}

function toTime(value: Date | string): number {
  return new Date(value).getTime();
}

interface ServiceRow {
  seq: string;
  predicate: string;
  environment: string | null;
  artifact_id: string | null;
  artifacts: unknown;
  sort_time: Date | string;
}

/**
 * Emitted service events (deployed, upgraded, rolledback, removed) in [from, to], oldest first; the
 * newest ROW_LIMIT of them, since the strip's window is the newest part of the trends' range.
 */
export async function fetchServiceEvents(
  sql: SqlQueryable,
  app: AppRef,
  range: { from: string; to: string; environment: string | null },
): Promise<DoraServiceEvent[]> {
  const { rows } = await sql.query<ServiceRow>(
    `SELECT DISTINCT ON (f.sort_time, f.event_seq) f.event_seq::text AS seq, f.predicate, f.environment,
       f.artifact_id, f.artifacts, f.sort_time
     ${appFacts} AND f.predicate = ANY($5::text[])
       AND f.sort_time BETWEEN $6::timestamptz AND $7::timestamptz
       AND ($8::text IS NULL OR f.environment = $8::text)
     ORDER BY f.sort_time DESC, f.event_seq DESC
     LIMIT ${ROW_LIMIT}`,
    [...appFactParams(app, 'service'), servicePredicates, range.from, range.to, range.environment],
    { name: 'cdevents_summary_services' },
  );
  return rows.reverse().map((row) => {
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
    `SELECT f.event_seq::text AS seq, f.predicate, f.environment, f.artifact_id, f.sort_time
     ${appFacts} AND f.predicate = ANY($5::text[]) AND ($6::text IS NULL OR f.environment = $6::text)
     ORDER BY f.sort_time DESC, f.event_seq DESC
     LIMIT 1`,
    [...appFactParams(app, 'service'), ['deployed', 'upgraded', 'rolledback'], environment],
    { name: 'cdevents_summary_last_deployment' },
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
    `SELECT DISTINCT f.environment
     ${appFacts} AND f.environment IS NOT NULL
     ORDER BY 1
     LIMIT 100`,
    appFactParams(app, 'service'),
    { name: 'cdevents_summary_environments' },
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
    `SELECT DISTINCT ON (f.sort_time, f.event_seq) f.event_seq::text AS seq, f.subject_id AS purl, f.sort_time
     ${appFacts} AND f.sort_time BETWEEN $5::timestamptz AND $6::timestamptz
     ORDER BY f.sort_time DESC, f.event_seq DESC
     LIMIT ${ROW_LIMIT}`,
    [...appFactParams(app, 'publication'), since, range.to],
    { name: 'cdevents_summary_publications' },
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
       SELECT DISTINCT ON (f.sort_time, f.event_seq) f.event_seq::text AS seq, f.event_seq AS order_seq,
         f.predicate, f.subject_id, f.environment, f.description, f.sort_time
       ${appFacts} AND f.sort_time <= $5::timestamptz
         AND ($6::text IS NULL OR f.environment IS NULL OR f.environment = $6::text)
       ORDER BY f.sort_time DESC, f.event_seq DESC
       LIMIT ${ROW_LIMIT}
     ) newest
     ORDER BY sort_time, order_seq`,
    [...appFactParams(app, 'incident'), range.to, range.environment],
    { name: 'cdevents_summary_incidents' },
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
    `SELECT count(DISTINCT f.event_seq)::text AS failures
     ${appFacts} AND f.sort_time BETWEEN $5::timestamptz AND $6::timestamptz
       AND ($7::text IS NULL OR f.environment IS NULL OR f.environment = $7::text)`,
    [...appFactParams(app, 'failed_run'), range.from, range.to, range.environment],
    { name: 'cdevents_summary_failed_runs' },
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
    `SELECT f.sort_time
     ${appFacts} AND ($5::text IS NULL OR f.environment = $5::text)
     ORDER BY f.sort_time, f.event_seq
     LIMIT 1`,
    [...appFactParams(app, 'service'), environment],
    { name: 'cdevents_summary_first_service' },
  );
  return rows[0] ? toTime(rows[0].sort_time) : null;
}
