/**
 * The reported_deploys table (migration 011): each app's latest deploy as
 * each other tool reported it (chains/readReportedDeploy.ts). A report older
 * than the one kept for the same app and tool changes nothing, so a late or
 * re-sent deploy cannot undo a newer one or a removal.
 */
import type { ReportedDeploy } from '../chains/readReportedDeploy';
import type { SqlQueryable } from './sqlExecutor';

/** Saves the reports; resolves with the apps whose kept report changed. */
export async function saveReportedDeploys(
  sql: SqlQueryable,
  deploys: readonly ReportedDeploy[],
): Promise<Array<{ namespace: string; name: string }>> {
  if (deploys.length === 0) return [];
  const rows = deploys.map((deploy) => ({
    namespace: deploy.app.namespace,
    name: deploy.app.name,
    source: deploy.source,
    predicate: deploy.predicate,
    artifact_id: deploy.artifactId ?? null,
    environment_id: deploy.environmentId ?? null,
    event_time: deploy.time,
    context_id: deploy.contextId,
  }));
  // Newest report per (app, tool) within the batch first: one statement may not update a row twice.
  const { rows: changed } = await sql.query<{ namespace: string; name: string }>(
    `INSERT INTO reported_deploys AS kept
       (app_namespace, app_name, source, predicate, artifact_id, environment_id, event_time, context_id)
     SELECT DISTINCT ON (r.namespace, r.name, r.source)
       r.namespace, r.name, r.source, r.predicate, r.artifact_id, r.environment_id, r.event_time::timestamptz, r.context_id
     FROM jsonb_to_recordset($1::jsonb) AS r(namespace text, name text, source text, predicate text,
                                             artifact_id text, environment_id text, event_time text, context_id text)
     ORDER BY r.namespace, r.name, r.source, r.event_time::timestamptz DESC, r.context_id DESC
     ON CONFLICT (app_namespace, app_name, source) DO UPDATE
       SET predicate = excluded.predicate, artifact_id = excluded.artifact_id,
           environment_id = excluded.environment_id, event_time = excluded.event_time,
           context_id = excluded.context_id
       WHERE excluded.event_time > kept.event_time
          OR (excluded.event_time = kept.event_time AND excluded.context_id > kept.context_id)
     RETURNING app_namespace AS namespace, app_name AS name`,
    [JSON.stringify(rows)],
  );
  return changed;
}

/** Every kept report of an app still deployed (not removed), oldest first. */
export async function listReportedDeploys(sql: SqlQueryable): Promise<ReportedDeploy[]> {
  const { rows } = await sql.query<{
    namespace: string;
    name: string;
    source: string;
    predicate: ReportedDeploy['predicate'];
    artifact_id: string | null;
    environment_id: string | null;
    event_time: string;
    context_id: string;
  }>(
    `SELECT app_namespace AS namespace, app_name AS name, source, predicate, artifact_id, environment_id,
            to_char(event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS event_time, context_id
     FROM reported_deploys WHERE predicate <> 'removed'
     ORDER BY event_time, app_namespace, app_name, source`,
  );
  return rows.map((row) => ({
    app: { namespace: row.namespace, name: row.name },
    source: row.source,
    contextId: row.context_id,
    predicate: row.predicate,
    ...(row.artifact_id ? { artifactId: row.artifact_id } : {}),
    ...(row.environment_id ? { environmentId: row.environment_id } : {}),
    time: row.event_time,
  }));
}
