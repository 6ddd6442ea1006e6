/**
 * Another tool's report of a sync and ours are the same moment: Argo CD's own
 * notification templates (the Argo CD proposal's format, the argo-cdviz demo,
 * ADR 0010) report the sync this backend also reports. Pure.
 *
 * Why in the backend: the tab can only compare the rows it has loaded, so a
 * filter (direction received) or a page boundary hid the match. The list route
 * asks the store for our service events around each received one's time and
 * marks the match on the record.
 */
import type { EventRecord, SameMomentRef } from '../api/contract';
import { extractEventFacts } from './extractEventFacts';

/** Both times come from the same operation (finishedAt), so a minute is plenty. */
export const SAME_MOMENT_WINDOW_MS = 60_000;

const deploymentPredicates = new Set(['deployed', 'upgraded', 'rolledback']);

type MomentKind = 'deploy' | 'removed';

function kindOf(event: Pick<EventRecord, 'subject' | 'predicate'>): MomentKind | undefined {
  if (event.subject !== 'service' || !event.predicate) return undefined;
  if (deploymentPredicates.has(event.predicate)) return 'deploy';
  return event.predicate === 'removed' ? 'removed' : undefined;
}

/** Received service events that may have a counterpart of ours. */
export function canHaveSameMoment(event: EventRecord): boolean {
  return event.direction === 'received' && event.timestamp !== null && kindOf(event) !== undefined;
}

/** The revisions an event names: customData revisions and the versions of its artifactId purls. */
function readRevisions(event: EventRecord): Set<string> {
  const facts = extractEventFacts(event.payload);
  return new Set([...facts.revisions, ...facts.artifacts.flatMap(({ identity }) => identity.versions)]);
}

function isSameMoment(theirs: EventRecord, ours: EventRecord): boolean {
  if (ours.direction !== 'emitted' || kindOf(theirs) !== kindOf(ours) || !theirs.timestamp || !ours.timestamp) {
    return false;
  }
  if (Math.abs(Date.parse(theirs.timestamp) - Date.parse(ours.timestamp)) > SAME_MOMENT_WINDOW_MS) return false;
  // A revision both name must agree; an event naming none is matched by kind and time alone.
  const theirRevisions = readRevisions(theirs);
  const ourRevisions = readRevisions(ours);
  return theirRevisions.size === 0 || ourRevisions.size === 0 || [...theirRevisions].some((r) => ourRevisions.has(r));
}

/** For a received service event: our emitted event of the same sync among the candidates, nearest in time. */
export function findSameMoment(theirs: EventRecord, candidates: readonly EventRecord[]): SameMomentRef | undefined {
  if (!canHaveSameMoment(theirs)) return undefined;
  const distance = (event: EventRecord) => Math.abs(Date.parse(event.timestamp!) - Date.parse(theirs.timestamp!));
  const match = candidates.filter((ours) => isSameMoment(theirs, ours)).sort((a, b) => distance(a) - distance(b))[0];
  return match
    ? {
        key: match.key,
        type: match.type,
        subject: match.subject,
        predicate: match.predicate,
        timestamp: match.timestamp,
      }
    : undefined;
}
