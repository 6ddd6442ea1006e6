/**
 * What the backend remembers about one Application between notifications: what
 * it has already emitted, so a re-sent or repeated state emits nothing new, and
 * what the next event links to. Stored as jsonb in the applications table; the
 * shape is versioned so an old row can be recognised and dropped.
 */
import type { ApplicationSource } from './application';
import { buildDigest } from './deterministicId';

export type IncidentKind = 'sync-failed' | 'health' | 'sync-unknown';

export interface OpenIncident {
  kind: IncidentKind;
  /** The incident's subject id; the resolution reuses it so the pair correlates. */
  subjectId: string;
  /** context.id of the incident.detected event. */
  eventId: string;
  description: string;
  detectedAt: string;
}

export interface AppMemory {
  version: 1;
  /** The Application's metadata.uid: an app deleted and re-created under the same name starts afresh. */
  uid: string;
  /** startedAt of the newest sync operation handled, ISO 8601. */
  lastOperationStartedAt?: string;
  /** Deployment key (buildDeploymentKey) of the newest successful sync handled. */
  deployedKey?: string;
  /** Deployment keys seen before, newest last, bounded: rollbacks beyond status.history's 10 entries. */
  knownRevisions: string[];
  openIncidents: OpenIncident[];
  /** Subject ids of recently resolved incidents, so a late re-send of the old bad state does not reopen one. */
  resolvedIncidents: string[];
  /** context.id of the last event emitted for this app: the next one's PATH link. */
  lastEventId?: string;
  chainId?: string;
  removedEventId?: string;
}

export const KNOWN_REVISIONS_LIMIT = 50;
export const RESOLVED_INCIDENTS_LIMIT = 20;

export function createEmptyMemory(uid: string): AppMemory {
  return { version: 1, uid, knownRevisions: [], openIncidents: [], resolvedIncidents: [] };
}

/** The remembered state when it belongs to this app (same uid, known shape), else a fresh one. */
export function resumeMemory(previous: unknown, uid: string): AppMemory {
  if (typeof previous !== 'object' || previous === null) return createEmptyMemory(uid);
  const memory = previous as Partial<AppMemory>;
  if (memory.version !== 1 || memory.uid !== uid) return createEmptyMemory(uid);
  return {
    ...createEmptyMemory(uid),
    ...memory,
    knownRevisions: Array.isArray(memory.knownRevisions) ? [...memory.knownRevisions] : [],
    openIncidents: Array.isArray(memory.openIncidents) ? [...memory.openIncidents] : [],
    resolvedIncidents: Array.isArray(memory.resolvedIncidents) ? [...memory.resolvedIncidents] : [],
  };
}

/** Appends to a bounded list, dropping the oldest and any earlier copy of the value. */
export function appendBounded(list: string[], value: string, limit: number): string[] {
  const next = list.filter((item) => item !== value);
  next.push(value);
  return next.slice(Math.max(0, next.length - limit));
}

/**
 * What a sync deployed, as one key: its revisions in source order and a digest
 * of its sources. The sources count because a change of inline Helm values or
 * of a path deploys something new at the same chart version or commit (the
 * captured podinfo app re-synced chart 6.9.0 with a new `valuesObject`).
 */
export function buildDeploymentKey(revisions: readonly string[], sources: readonly ApplicationSource[]): string {
  return JSON.stringify([revisions, buildDigest(sources)]);
}
