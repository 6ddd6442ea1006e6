/**
 * The shared step of the live mapping and the backfill: building one emitted
 * event with its deterministic id, its chain links and chainId, and advancing
 * the app's memory. Pure: the draft is a value the caller threads through.
 */
import { type CDEvent, type EmbeddedLink, createEvent } from '../../cdevents';
import { type AppIdentity, buildArtifactIds } from './appIdentity';
import { type AppMemory, KNOWN_REVISIONS_LIMIT, appendBounded, buildDeploymentKey } from './appMemory';
import { type ApplicationSource, type OperationInitiator, type RevisionHistory } from './application';
import { classifySync } from './classifySync';
import { buildDeterministicId } from './deterministicId';

/** A received event that caused a sync: an inbound trigger's event or an artifact.published with the same purl. */
export interface SyncCause {
  contextId: string;
  chainId?: string;
  /** Why it is the cause, for the link's tags, e.g. "artifact.published of pkg:oci/…". */
  reason: string;
}

export interface EmissionDraft {
  identity: AppIdentity;
  memory: AppMemory;
  events: CDEvent[];
}

export interface DraftEvent {
  /** "<subject>.<predicate>", e.g. "service.deployed". */
  type: string;
  id: string;
  timestamp: string;
  subject: { id: string; content: Record<string, unknown> };
  customData: Record<string, unknown>;
  /** The chain this event starts when it continues none (deterministic, so re-sends agree). */
  newChainId: string;
  /** True when the event begins a new chain unless a cause names one (a sync); false to continue the app's chain. */
  startsChain: boolean;
  cause?: SyncCause;
}

/** Normalises an Argo CD time (RFC 3339) to ISO 8601 UTC; undefined when it does not parse. */
export function normaliseTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? undefined : new Date(millis).toISOString();
}

/** Appends an event to the draft with a PATH link from the app's previous event and the right chainId. */
export function appendEvent(draft: EmissionDraft, spec: DraftEvent): void {
  const links: EmbeddedLink[] = [];
  if (draft.memory.lastEventId) links.push({ linkType: 'PATH', from: { contextId: draft.memory.lastEventId } });
  if (spec.cause) {
    links.push({
      linkType: 'RELATION',
      linkKind: 'TRIGGER',
      target: { contextId: spec.cause.contextId },
      tags: { reason: spec.cause.reason },
    });
  }
  const chainId =
    spec.cause?.chainId ?? (spec.startsChain ? spec.newChainId : (draft.memory.chainId ?? spec.newChainId));
  const event = createEvent(
    {
      type: spec.type,
      source: draft.identity.source,
      id: spec.id,
      timestamp: spec.timestamp,
      subject: spec.subject,
      chainId,
      ...(links.length > 0 ? { links } : {}),
      customData: spec.customData,
    },
    {
      now: () => new Date(spec.timestamp),
      newId: () => spec.id,
    },
  );
  draft.events.push(event as CDEvent);
  draft.memory = { ...draft.memory, lastEventId: spec.id, chainId };
}

/** What one successful sync was, read from the live operation or from a history entry. */
export interface SyncFacts {
  startedAt: string;
  finishedAt?: string;
  revisions: string[];
  sources: ApplicationSource[];
  images?: string[];
  initiatedBy?: OperationInitiator;
  /** operation.sync.autoHealAttemptsCount of a live automated sync: above 0, Argo CD's self-heal started it. */
  autoHealAttempts?: number;
  /** status.history before this sync, oldest first. */
  earlier: RevisionHistory[];
  historyId?: number;
  reconstructed: boolean;
  /** Extra customData.argocd fields (live status, operation message). */
  details?: Record<string, unknown>;
  cause?: SyncCause;
}

/** The id of a successful sync's service event: the same live and reconstructed, whatever its predicate. */
export function buildSyncEventId(uid: string, startedAt: string, revisions: string[]): string {
  return buildDeterministicId([uid, 'sync-succeeded', normaliseTime(startedAt) ?? startedAt, ...revisions]);
}

/**
 * Who started a sync, as the emitted event says it: `{username}` for a person
 * or an API token, `{automated: true, reason}` for Argo CD's auto-sync, whose
 * reason is `self-heal` when operation.sync.autoHealAttemptsCount is set (the
 * live state drifted from a revision already synced) and `out-of-sync`
 * otherwise (the desired state changed: a new revision or spec).
 */
export function describeInitiator(
  initiatedBy: OperationInitiator | undefined,
  autoHealAttempts?: number,
): Record<string, unknown> | undefined {
  if (!initiatedBy) return undefined;
  const selfHeal = typeof autoHealAttempts === 'number' && autoHealAttempts > 0;
  return {
    ...(initiatedBy.username ? { username: initiatedBy.username } : {}),
    ...(initiatedBy.automated
      ? {
          automated: true,
          reason: selfHeal ? 'self-heal' : 'out-of-sync',
          ...(selfHeal ? { autoHealAttempts } : {}),
        }
      : {}),
  };
}

/** The compact `customData.argocd` every emitted event carries. Never secrets: no helm values, no tokens. */
export function buildArgocdCustomData(
  identity: AppIdentity,
  extra: Record<string, unknown>,
  project?: string,
): Record<string, unknown> {
  // {name, namespace} as cdviz's Argo CD transformer writes it, so tools reading either find the app.
  const argocd: Record<string, unknown> = {
    application: { name: identity.name, namespace: identity.namespace },
    instance: identity.instance,
    ...(project ? { project } : {}),
  };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) argocd[key] = value;
  return { argocd };
}

/**
 * Emits the service event of one successful sync (deployed, upgraded or
 * rolledback) and records it in memory. A re-sync of the revisions already
 * deployed emits nothing but is still recorded as handled.
 */
export function emitSyncEvent(draft: EmissionDraft, facts: SyncFacts, project?: string): void {
  const { identity } = draft;
  const memory = draft.memory;
  const decision = classifySync({
    revisions: facts.revisions,
    sources: facts.sources,
    earlier: facts.earlier,
    entryId: facts.historyId,
    remembered: memory,
  });
  const timestamp = normaliseTime(facts.finishedAt) ?? normaliseTime(facts.startedAt)!;
  const timeFrom = normaliseTime(facts.finishedAt)
    ? facts.reconstructed
      ? 'status.history[].deployedAt'
      : 'status.operationState.finishedAt'
    : facts.reconstructed
      ? 'status.history[].deployStartedAt'
      : 'status.operationState.startedAt';
  if (decision.predicate !== 'resynced') {
    const artifacts = buildArtifactIds({
      appName: identity.name,
      sources: facts.sources,
      revisions: facts.revisions,
      images: facts.images,
    });
    const id = buildSyncEventId(identity.uid, facts.startedAt, facts.revisions);
    appendEvent(draft, {
      type: `service.${decision.predicate}`,
      id,
      timestamp,
      subject: {
        id: identity.subjectId,
        content: { environment: identity.environment, artifactId: artifacts.primary },
      },
      customData: buildArgocdCustomData(
        identity,
        {
          revision: facts.revisions[0],
          revisions: facts.revisions,
          ...facts.details,
          operation: {
            ...((facts.details?.operation as Record<string, unknown> | undefined) ?? {}),
            startedAt: normaliseTime(facts.startedAt),
            ...(facts.finishedAt ? { finishedAt: normaliseTime(facts.finishedAt) } : {}),
            ...(facts.initiatedBy ? { initiatedBy: describeInitiator(facts.initiatedBy, facts.autoHealAttempts) } : {}),
          },
          timeFrom,
          artifacts: artifacts.all,
          ...(facts.historyId !== undefined ? { historyId: facts.historyId } : {}),
          ...(facts.reconstructed ? { reconstructed: true } : {}),
        },
        project,
      ),
      newChainId: buildDeterministicId([identity.uid, 'chain', id]),
      startsChain: true,
      cause: facts.cause,
    });
  }
  const key = buildDeploymentKey(facts.revisions, facts.sources);
  draft.memory = {
    ...draft.memory,
    lastOperationStartedAt: normaliseTime(facts.startedAt),
    deployedKey: key,
    knownRevisions: appendBounded(draft.memory.knownRevisions, key, KNOWN_REVISIONS_LIMIT),
  };
}

/** True when an emitted event was rebuilt from status.history rather than seen live. */
export function isReconstructedEvent(event: CDEvent): boolean {
  const custom = event.customData;
  if (typeof custom !== 'object' || custom === null) return false;
  const argocd = (custom as Record<string, unknown>).argocd;
  return typeof argocd === 'object' && argocd !== null && (argocd as Record<string, unknown>).reconstructed === true;
}
