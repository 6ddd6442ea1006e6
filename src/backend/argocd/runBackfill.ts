/**
 * Backfill, effects: list the Applications through the configured API and
 * ingest each one's status.history (ingestApplicationState, mode history), so
 * syncs that happened while the backend was down appear, marked reconstructed,
 * under the ids they would have had live. One app failing does not stop the
 * others; the report names it.
 */
import type { AppRef } from '../store/types';
import type { IngestItemResult } from '../api/contract';
import { readAppNamespace } from './application';
import type { ArgocdClient } from './client';
import { type IngestApplicationDeps, ingestApplicationState } from './ingestApplicationState';

export interface BackfillReport {
  instance: string;
  source: ArgocdClient['kind'];
  applications: number;
  /** Events newly stored (not duplicates). */
  stored: number;
  apps: Array<{ app: AppRef; results: IngestItemResult[] }>;
  failures: Array<{ app: AppRef; message: string }>;
}

/** @throws UpstreamError (and its 401/403/404 kinds) when the applications cannot be listed. */
export async function runBackfill(
  deps: IngestApplicationDeps & { client: ArgocdClient },
  instance: string,
): Promise<BackfillReport> {
  const applications = await deps.client.listApplications();
  const report: BackfillReport = {
    instance,
    source: deps.client.kind,
    applications: applications.length,
    stored: 0,
    apps: [],
    failures: [],
  };
  for (const app of applications) {
    const ref: AppRef = { instance, namespace: readAppNamespace(app), name: app.metadata.name };
    try {
      const { results } = await ingestApplicationState(deps, app, { instance, mode: 'history' });
      report.stored += results.filter((result) => result.status === 'stored').length;
      report.apps.push({ app: ref, results });
    } catch (error) {
      report.failures.push({ app: ref, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}
