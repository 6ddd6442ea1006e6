/**
 * The applications table (migration 002): per Argo CD app, its last seen
 * snapshot and the Argo CD mapping's memory.
 *
 * Guarantee: saveApplication() is a compare-and-set on `revision`. It writes
 * only when the row is still at the revision the caller loaded (or still absent),
 * and says whether it did; a caller that lost the race reloads and maps again.
 * Because emitted ids are deterministic, mapping again yields duplicates, never
 * new events, so the order "store events, then save memory" is safe to replay
 * after a crash between the two.
 */
import type { Application } from '../argocd/application';
import type { AppMemory } from '../argocd/appMemory';
import type { SqlQueryable } from './sqlExecutor';
import type { AppRef } from './types';

export interface StoredApplication {
  app: AppRef;
  uid: string;
  snapshot: Application;
  memory: AppMemory;
  revision: string;
  updatedAt: string;
}

export interface ApplicationStore {
  getApplication(app: AppRef): Promise<StoredApplication | undefined>;
  /**
   * Writes the snapshot and memory if the row is still at `expectedRevision`
   * (undefined: the row must not exist yet). Resolves true when written.
   */
  saveApplication(
    input: { app: AppRef; snapshot: Application; memory: AppMemory; updatedAt: Date },
    expectedRevision: string | undefined,
  ): Promise<boolean>;
  /** Every known app of an instance (all instances when omitted), for attribution and backfill. */
  listApplications(options?: { instance?: string }): Promise<StoredApplication[]>;
}

interface ApplicationRow {
  instance: string;
  namespace: string;
  name: string;
  uid: string;
  snapshot: Application;
  memory: AppMemory;
  revision: string;
  updated_at: string | Date;
}

const columns = `instance, namespace, name, uid, snapshot, memory, revision::text AS revision, updated_at`;

function toStored(row: ApplicationRow): StoredApplication {
  return {
    app: { instance: row.instance, namespace: row.namespace, name: row.name },
    uid: row.uid,
    snapshot: row.snapshot,
    memory: row.memory,
    revision: row.revision,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

const bulkyAnnotations = ['kubectl.kubernetes.io/last-applied-configuration'];

/**
 * The snapshot worth keeping: the Application without managedFields and
 * last-applied-configuration, which are large and nothing here reads.
 */
export function trimSnapshot(app: Application): Application {
  const metadata: Record<string, unknown> = { ...app.metadata };
  delete metadata.managedFields;
  if (app.metadata.annotations) {
    const annotations = { ...app.metadata.annotations };
    for (const name of bulkyAnnotations) delete annotations[name];
    metadata.annotations = annotations;
  }
  return { ...app, metadata: metadata as Application['metadata'] };
}

export function createApplicationStore(sql: SqlQueryable): ApplicationStore {
  return {
    async getApplication(app) {
      const { rows } = await sql.query<ApplicationRow>(
        `SELECT ${columns} FROM applications WHERE instance = $1 AND namespace = $2 AND name = $3`,
        [app.instance, app.namespace, app.name],
      );
      return rows[0] ? toStored(rows[0]) : undefined;
    },

    async saveApplication(input, expectedRevision) {
      const params = [
        input.app.instance,
        input.app.namespace,
        input.app.name,
        input.snapshot.metadata.uid,
        JSON.stringify(trimSnapshot(input.snapshot)),
        JSON.stringify(input.memory),
        input.updatedAt.toISOString(),
      ];
      if (expectedRevision === undefined) {
        const { rows } = await sql.query(
          `INSERT INTO applications (instance, namespace, name, uid, snapshot, memory, updated_at)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::timestamptz)
           ON CONFLICT (instance, namespace, name) DO NOTHING
           RETURNING 1 AS written`,
          params,
        );
        return rows.length === 1;
      }
      const { rows } = await sql.query(
        `UPDATE applications
         SET uid = $4, snapshot = $5::jsonb, memory = $6::jsonb, updated_at = $7::timestamptz, revision = revision + 1
         WHERE instance = $1 AND namespace = $2 AND name = $3 AND revision = $8::bigint
         RETURNING 1 AS written`,
        [...params, expectedRevision],
      );
      return rows.length === 1;
    },

    async listApplications(options = {}) {
      const { rows } = options.instance
        ? await sql.query<ApplicationRow>(
            `SELECT ${columns} FROM applications WHERE instance = $1 ORDER BY namespace, name`,
            [options.instance],
          )
        : await sql.query<ApplicationRow>(`SELECT ${columns} FROM applications ORDER BY instance, namespace, name`);
      return rows.map(toStored);
    },
  };
}
