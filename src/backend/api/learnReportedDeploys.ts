/**
 * The effects of deploys other tools report (chains/readReportedDeploy.ts):
 * keep each app's latest report per tool, forget the cached app profiles, and
 * give the apps whose report changed the recent received events they now
 * concern, as a new Argo CD snapshot does (argocd/ingestApplicationState.ts).
 */
import { readReportedDeploy } from '../chains/readReportedDeploy';
import { loadAppProfiles, reattributeRecentEvents } from '../store/appProfileQueries';
import { saveReportedDeploys } from '../store/reportedDeployStore';
import type { SqlQueryable } from '../store/sqlExecutor';
import type { NewEvent } from '../store/types';

/** Learns from the newly stored events; a no-op (no query) when none is another tool's deploy of an app. */
export async function learnReportedDeploys(
  sql: SqlQueryable,
  stored: readonly NewEvent[],
  onProfileChanged?: () => void,
): Promise<void> {
  const deploys = stored.flatMap((event) => readReportedDeploy(event) ?? []);
  if (deploys.length === 0) return;
  const changed = await saveReportedDeploys(sql, deploys);
  if (changed.length === 0) return;
  onProfileChanged?.();
  const names = new Set(changed.map((app) => `${app.namespace}/${app.name}`));
  for (const profile of await loadAppProfiles(sql)) {
    if (profile.serviceIds.some((id) => names.has(id))) await reattributeRecentEvents(sql, profile);
  }
}
