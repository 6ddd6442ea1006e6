/**
 * Which service event a successful sync is: the first deployment, an upgrade
 * to a new revision, a rollback to a revision deployed before, or a re-sync of
 * the revision already deployed (no service event). "Revision" here is the
 * deployment key: revisions plus sources (buildDeploymentKey). Decided from the app's
 * `status.history` (what Argo CD recorded before this sync), so the live
 * mapping and the backfill decide alike; the remembered revisions extend the
 * history beyond Argo CD's limit of 10 entries.
 *
 * Argo CD marks no rollback as such: `argocd app rollback` starts an ordinary
 * sync operation to the revision (and source) of a history entry, so a
 * rollback is recognised by its revisions, never by a flag.
 */
import { buildDeploymentKey } from './appMemory';
import { type ApplicationSource, type RevisionHistory, normaliseRevisions } from './application';

export type SyncPredicate = 'deployed' | 'upgraded' | 'rolledback';

export type SyncDecision = { predicate: SyncPredicate } | { predicate: 'resynced' };

function toMillis(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? undefined : millis;
}

/** Oldest first, by id where both have one (Argo CD numbers entries in order), else by deploy time. */
export function sortHistory(history: RevisionHistory[]): RevisionHistory[] {
  return [...history].sort((a, b) => {
    if (typeof a.id === 'number' && typeof b.id === 'number') return a.id - b.id;
    return (toMillis(a.deployStartedAt ?? a.deployedAt) ?? 0) - (toMillis(b.deployStartedAt ?? b.deployedAt) ?? 0);
  });
}

/**
 * The history entries recorded before the sync that started at `startedAt`,
 * oldest first, and that sync's own entry when Argo CD has recorded it.
 */
export function splitHistoryAt(
  history: RevisionHistory[],
  startedAt: string,
): { entry?: RevisionHistory; earlier: RevisionHistory[] } {
  const start = toMillis(startedAt);
  const sorted = sortHistory(history);
  const index = sorted.findIndex((item) => start !== undefined && toMillis(item.deployStartedAt) === start);
  if (index >= 0) return { entry: sorted[index], earlier: sorted.slice(0, index) };
  const earlier = sorted.filter((item) => {
    const at = toMillis(item.deployStartedAt ?? item.deployedAt);
    return at === undefined || start === undefined || at < start;
  });
  return { earlier };
}

/** The sources a history entry recorded: multi-source `sources`, else `source`. */
export function readEntrySources(entry: RevisionHistory): ApplicationSource[] {
  if (Array.isArray(entry.sources) && entry.sources.length > 0) return entry.sources;
  return entry.source ? [entry.source] : [];
}

/**
 * Classifies a successful sync of `revisions` from `sources`.
 * @param earlier history entries before this sync, oldest first
 * @param entryId this sync's history id when known: above 0 means deployments happened before the visible history
 * @param remembered deployment keys seen before (AppMemory.knownRevisions) and the last deployed one
 */
export function classifySync(input: {
  revisions: string[];
  sources: ApplicationSource[];
  earlier: RevisionHistory[];
  entryId?: number;
  remembered?: { knownRevisions: string[]; deployedKey?: string };
}): SyncDecision {
  const key = buildDeploymentKey(input.revisions, input.sources);
  const earlierKeys = input.earlier.map((item) => buildDeploymentKey(normaliseRevisions(item), readEntrySources(item)));
  const previousKey = earlierKeys.length > 0 ? earlierKeys[earlierKeys.length - 1] : input.remembered?.deployedKey;
  if (previousKey === undefined) {
    const deployedBefore = (input.entryId ?? 0) > 0 || (input.remembered?.knownRevisions.length ?? 0) > 0;
    return { predicate: deployedBefore ? 'upgraded' : 'deployed' };
  }
  if (previousKey === key) return { predicate: 'resynced' };
  const before = new Set([...earlierKeys.slice(0, -1), ...(input.remembered?.knownRevisions ?? [])]);
  return { predicate: before.has(key) ? 'rolledback' : 'upgraded' };
}
