/**
 * Argo CD Application state → CDEvents. Pure: given what was emitted before
 * (AppMemory) and the Application a notification carried, returns the events
 * that are new and the memory to keep.
 *
 * Why state, not the trigger that fired: the notification controller is
 * edge-triggered, skips intermediate states (a short Running phase is often
 * never seen), loses events when a send fails under oncePer, and may send the
 * same state twice (retries, two controllers). So every call compares the whole
 * state with memory, ids are derived from the facts (app uid, operation start,
 * revisions, transition), and a state already handled emits nothing.
 *
 *   sync Succeeded, new op      → service.deployed | upgraded | rolledback (classifySync)
 *   history entries not yet seen → the same, reconstructed (a notification was lost)
 *   metadata.deletionTimestamp  → service.removed
 *   sync Failed/Error, health Degraded/Missing, sync Unknown → incident.detected (one per kind while open)
 *   Healthy + Synced, no failed or running op → incident.resolved for each open incident, same subject id
 */
import type { CDEvent } from '../../cdevents';
import { type AppIdentity, buildAppIdentity, buildLiveArtifactIds, readSyncedSources } from './appIdentity';
import {
  type AppMemory,
  type IncidentKind,
  type OpenIncident,
  RESOLVED_INCIDENTS_LIMIT,
  appendBounded,
  resumeMemory,
} from './appMemory';
import { type Application, readHistory, readImages, readOperationRevisions } from './application';
import { readNewestConditionTime } from './applicationClock';
import { splitHistoryAt } from './classifySync';
import { buildDeterministicId } from './deterministicId';
import {
  type EmissionDraft,
  type SyncCause,
  appendEvent,
  buildArgocdCustomData,
  emitSyncEvent,
  normaliseTime,
} from './emissionDraft';
import { reconstructMissedSyncs } from './buildHistoryEvents';

export interface MapOptions {
  /** The Argo CD instance the app lives in: context.source is `/argocd/<instance>/<namespace>`. */
  instance: string;
  /** The clock, used only when the Application carries no time for a transition. */
  now: () => Date;
  /** The received event that caused the current sync, when the caller found one. */
  cause?: SyncCause;
}

export interface MapResult {
  events: CDEvent[];
  memory: AppMemory;
}

/**
 * Operation info items an inbound trigger sets on the sync it starts
 * (`operation.info`, as `argocd app sync --info` does), naming the CDEvent that caused it.
 */
export const CAUSE_EVENT_INFO = 'cdevents-event-id';
export const CAUSE_CHAIN_INFO = 'cdevents-chain-id';

/**
 * The cause the sync's operation names, if any. Our inbound triggers set it, but so can anyone
 * (`argocd app sync --info cdevents-event-id=…`, another tool), so the reason says only what is
 * known: the operation names the event. A firing of our own is found in trigger_causes first
 * (ingestApplicationState.findCause), with the rule's name.
 */
export function readOperationCause(app: Application): SyncCause | undefined {
  const info = app.status?.operationState?.operation?.info;
  if (!Array.isArray(info)) return undefined;
  const valueOf = (name: string) => info.find((item) => item?.name === name)?.value || undefined;
  const contextId = valueOf(CAUSE_EVENT_INFO);
  if (!contextId) return undefined;
  const chainId = valueOf(CAUSE_CHAIN_INFO);
  const by = app.status?.operationState?.operation?.initiatedBy?.username;
  return {
    contextId,
    ...(chainId ? { chainId } : {}),
    reason: `the sync's operation names this event (operation.info ${CAUSE_EVENT_INFO}${by ? `, sync started by ${by}` : ''})`,
  };
}

function laterThan(candidate: string | undefined, reference: string | undefined): boolean {
  if (!candidate) return false;
  if (!reference) return true;
  return Date.parse(candidate) > Date.parse(reference);
}

function maxTime(...values: Array<string | undefined>): string | undefined {
  let best: string | undefined;
  for (const value of values) {
    const time = normaliseTime(value);
    if (time && (!best || time > best)) best = time;
  }
  return best;
}

function handleLiveSync(draft: EmissionDraft, app: Application, cause: SyncCause | undefined): void {
  const state = app.status?.operationState;
  const sync = state?.operation?.sync;
  if (state?.phase !== 'Succeeded' || !normaliseTime(state.startedAt)) return;
  // Argo CD records neither dry runs nor selective syncs in its history; neither do we, so backfill agrees.
  if (sync?.dryRun || (Array.isArray(sync?.resources) && sync.resources.length > 0)) return;
  if (!laterThan(state.startedAt, draft.memory.lastOperationStartedAt)) return;
  const { entry, earlier } = splitHistoryAt(readHistory(app), state.startedAt!);
  emitSyncEvent(
    draft,
    {
      startedAt: state.startedAt!,
      finishedAt: state.finishedAt,
      revisions: readOperationRevisions(app),
      sources: readSyncedSources(app),
      images: readImages(app),
      initiatedBy: state.operation?.initiatedBy,
      autoHealAttempts: sync?.autoHealAttemptsCount,
      earlier,
      historyId: entry?.id,
      reconstructed: false,
      details: {
        syncStatus: app.status?.sync?.status,
        healthStatus: app.status?.health?.status,
        operation: { phase: state.phase, ...(state.message ? { message: state.message } : {}) },
      },
      // The caller's cause (a firing of ours, found by ingest) names the rule; the operation's info does not.
      cause: cause ?? readOperationCause(app),
    },
    app.spec?.project,
  );
}

interface BadCondition {
  kind: IncidentKind;
  description: string;
  /** The time the condition began, when the app says; part of the incident's identity. */
  since?: string;
  /** The Application field `since` was read from, for customData.argocd.timeFrom. */
  sinceFrom?: string;
}

/** Argo CD's error conditions (ComparisonError, InvalidSpecError, …): what makes the sync status Unknown. */
const isErrorCondition = (type: string) => type.endsWith('Error');

function findBadConditions(app: Application, deployedBefore: boolean): BadCondition[] {
  const status = app.status ?? {};
  const state = status.operationState;
  const conditions: BadCondition[] = [];
  if (state?.phase === 'Failed' || state?.phase === 'Error') {
    conditions.push({
      kind: 'sync-failed',
      description: `Sync ${state.phase.toLowerCase()}${state.message ? `: ${state.message}` : ''}`,
      since: state.finishedAt ?? state.startedAt,
      sinceFrom: state.finishedAt ? 'status.operationState.finishedAt' : 'status.operationState.startedAt',
    });
  }
  const health = status.health?.status;
  // Missing is the normal state of an app never deployed, or whose running sync has not created its resources yet.
  if (health === 'Degraded' || (health === 'Missing' && deployedBefore && state?.phase !== 'Running')) {
    conditions.push({
      kind: 'health',
      description: `Health ${health}${status.health?.message ? `: ${status.health.message}` : ''}`,
      since: status.health?.lastTransitionTime,
      sinceFrom: 'status.health.lastTransitionTime',
    });
  }
  if (status.sync?.status === 'Unknown') {
    conditions.push({
      kind: 'sync-unknown',
      description: 'Sync status Unknown: Argo CD cannot compare the app with Git',
      since: readNewestConditionTime(app, isErrorCondition),
      sinceFrom: 'status.conditions[].lastTransitionTime',
    });
  }
  return conditions;
}

function isRecovered(app: Application): boolean {
  const phase = app.status?.operationState?.phase;
  return (
    app.status?.health?.status === 'Healthy' &&
    app.status?.sync?.status === 'Synced' &&
    phase !== 'Failed' &&
    phase !== 'Error' &&
    phase !== 'Running' &&
    phase !== 'Terminating'
  );
}

function incidentContent(identity: AppIdentity, description: string, artifactId: string): Record<string, unknown> {
  return {
    description,
    environment: identity.environment,
    service: { id: identity.subjectId, source: identity.source },
    artifactId,
  };
}

function handleIncidents(draft: EmissionDraft, app: Application, now: () => Date): void {
  const { identity } = draft;
  const artifactId = buildLiveArtifactIds(app).primary;
  // The last resort is the receive time; the event then says so (timeFrom: 'received').
  const reconciledAt = normaliseTime(app.status?.reconciledAt);
  const observed = reconciledAt
    ? { time: reconciledAt, from: 'status.reconciledAt' }
    : { time: now().toISOString(), from: 'received' };
  if (draft.memory.openIncidents.length > 0 && isRecovered(app)) {
    for (const incident of draft.memory.openIncidents) {
      const recoveredAt = maxTime(app.status?.health?.lastTransitionTime, app.status?.operationState?.finishedAt);
      const resolvedAt =
        recoveredAt && recoveredAt >= incident.detectedAt
          ? {
              time: recoveredAt,
              from:
                recoveredAt === normaliseTime(app.status?.health?.lastTransitionTime)
                  ? 'status.health.lastTransitionTime'
                  : 'status.operationState.finishedAt',
            }
          : observed.time >= incident.detectedAt
            ? observed
            : { time: incident.detectedAt, from: 'incident.detectedAt' };
      const timestamp = resolvedAt.time;
      appendEvent(draft, {
        type: 'incident.resolved',
        id: buildDeterministicId([identity.uid, 'incident.resolved', incident.subjectId]),
        timestamp,
        subject: {
          id: incident.subjectId,
          content: incidentContent(identity, `Resolved: ${incident.description}`, artifactId),
        },
        customData: buildArgocdCustomData(
          identity,
          {
            incident: { kind: incident.kind, detectedEventId: incident.eventId },
            syncStatus: app.status?.sync?.status,
            healthStatus: app.status?.health?.status,
            timeFrom: resolvedAt.from,
          },
          app.spec?.project,
        ),
        newChainId: buildDeterministicId([identity.uid, 'chain', incident.subjectId]),
        startsChain: false,
      });
      draft.memory = {
        ...draft.memory,
        resolvedIncidents: appendBounded(draft.memory.resolvedIncidents, incident.subjectId, RESOLVED_INCIDENTS_LIMIT),
      };
    }
    draft.memory = { ...draft.memory, openIncidents: [] };
    return;
  }
  if (app.metadata.deletionTimestamp) return;
  const deployedBefore = draft.memory.deployedKey !== undefined || readHistory(app).length > 0;
  for (const condition of findBadConditions(app, deployedBefore)) {
    if (draft.memory.openIncidents.some((open) => open.kind === condition.kind)) continue;
    // Without a start time, the event before it anchors the incident: re-sends of the same state agree.
    const anchor = normaliseTime(condition.since) ?? `after:${draft.memory.lastEventId ?? 'none'}`;
    const subjectId = `${identity.subjectId}/incident/${buildDeterministicId([identity.uid, condition.kind, anchor])}`;
    if (draft.memory.resolvedIncidents.includes(subjectId)) continue;
    const id = buildDeterministicId([identity.uid, 'incident.detected', subjectId]);
    const since = normaliseTime(condition.since);
    const timestamp = since ?? observed.time;
    appendEvent(draft, {
      type: 'incident.detected',
      id,
      timestamp,
      subject: { id: subjectId, content: incidentContent(identity, condition.description, artifactId) },
      customData: buildArgocdCustomData(
        identity,
        {
          incident: { kind: condition.kind },
          syncStatus: app.status?.sync?.status,
          healthStatus: app.status?.health?.status,
          operation: app.status?.operationState?.phase
            ? { phase: app.status.operationState.phase, startedAt: normaliseTime(app.status.operationState.startedAt) }
            : undefined,
          timeFrom: since ? condition.sinceFrom : observed.from,
        },
        app.spec?.project,
      ),
      newChainId: buildDeterministicId([identity.uid, 'chain', subjectId]),
      startsChain: false,
    });
    const opened: OpenIncident = {
      kind: condition.kind,
      subjectId,
      eventId: id,
      description: condition.description,
      detectedAt: timestamp,
    };
    draft.memory = { ...draft.memory, openIncidents: [...draft.memory.openIncidents, opened] };
  }
}

function handleDeletion(draft: EmissionDraft, app: Application): void {
  const deletedAt = normaliseTime(app.metadata.deletionTimestamp);
  if (!deletedAt || draft.memory.removedEventId) return;
  const { identity } = draft;
  const id = buildDeterministicId([identity.uid, 'service.removed', deletedAt]);
  appendEvent(draft, {
    type: 'service.removed',
    id,
    timestamp: deletedAt,
    subject: { id: identity.subjectId, content: { environment: identity.environment } },
    customData: buildArgocdCustomData(
      identity,
      { deletionTimestamp: deletedAt, timeFrom: 'metadata.deletionTimestamp' },
      app.spec?.project,
    ),
    newChainId: buildDeterministicId([identity.uid, 'chain', id]),
    startsChain: false,
  });
  draft.memory = { ...draft.memory, removedEventId: id };
}

/**
 * Maps one observed Application state to the CDEvents it newly implies.
 * Idempotent: mapping the returned memory with the same app again yields no events.
 */
export function mapApplicationState(previous: AppMemory | undefined, app: Application, options: MapOptions): MapResult {
  const draft: EmissionDraft = {
    identity: buildAppIdentity(app, options.instance),
    memory: resumeMemory(previous, app.metadata.uid),
    events: [],
  };
  const state = app.status?.operationState;
  if (draft.memory.lastOperationStartedAt) {
    // Syncs that finished while no notification reached us are in status.history; emit them before the current one.
    reconstructMissedSyncs(draft, app, state?.phase === 'Succeeded' ? state.startedAt : undefined);
  }
  handleLiveSync(draft, app, options.cause);
  handleIncidents(draft, app, options.now);
  handleDeletion(draft, app);
  return { events: draft.events, memory: draft.memory };
}
