import type { EventRecord } from '../../backend/api/contract';
import { eventTime } from '../format/describeEventType';
import { isDeployment } from './classifyEvent';
import { readContent, readString } from './readPayload';

/**
 * Another tool's event and ours of one sync are the same moment: Argo CD's own notification
 * templates (the Argo CD proposal's format, the argo-cdviz demo) report the sync this backend also
 * reported. Both times come from the same operation (finishedAt), so a minute is plenty; a revision
 * both name must agree.
 */
const SAME_MOMENT_MS = 60_000;

/** The revisions an event names: customData.argocd.revision(s), and the version of its artifactId purl. */
function readRevisions(event: EventRecord): Set<string> {
  const revisions = new Set<string>();
  const argocd = ['customData', 'argocd'];
  const single = readString(event.payload, [...argocd, 'revision']);
  if (single) revisions.add(single);
  const custom = (event.payload as { customData?: { argocd?: { revisions?: unknown } } } | null)?.customData?.argocd
    ?.revisions;
  if (Array.isArray(custom)) for (const value of custom) if (typeof value === 'string' && value) revisions.add(value);
  const artifactId = readContent(event.payload).artifactId;
  if (typeof artifactId === 'string') {
    const path = artifactId.split(/[?#]/)[0]!;
    const at = path.lastIndexOf('@');
    if (at > 0) revisions.add(decodeURIComponent(path.slice(at + 1)));
  }
  return revisions;
}

function kindOf(event: EventRecord): 'deploy' | 'removed' | undefined {
  if (isDeployment(event)) return 'deploy';
  return event.subject === 'service' && event.predicate === 'removed' ? 'removed' : undefined;
}

function sameMoment(received: EventRecord, emitted: EventRecord): boolean {
  const kind = kindOf(received);
  if (!kind || kind !== kindOf(emitted)) return false;
  if (Math.abs(Date.parse(eventTime(received)) - Date.parse(eventTime(emitted))) > SAME_MOMENT_MS) return false;
  const theirs = readRevisions(received);
  const ours = readRevisions(emitted);
  return theirs.size === 0 || ours.size === 0 || [...theirs].some((revision) => ours.has(revision));
}

/** For each received service event that describes the same sync as one of ours in the list: ours. */
export function findSameMoments(events: readonly EventRecord[]): Map<string, EventRecord> {
  const emitted = events.filter((event) => event.direction === 'emitted' && kindOf(event));
  const found = new Map<string, EventRecord>();
  if (emitted.length === 0) return found;
  for (const event of events) {
    if (event.direction !== 'received' || !kindOf(event)) continue;
    const ours = emitted.find((candidate) => sameMoment(event, candidate));
    if (ours) found.set(event.key, ours);
  }
  return found;
}
