/**
 * The effects around the pure mapping, for one Application state: load the
 * app's memory, look up the received event that caused its sync, map, store the
 * emitted events through the same path as ingest (direction emitted, attributed
 * to the app with rule `emitted`), then save memory and snapshot.
 *
 * Why events are stored before memory is saved, in separate transactions: the
 * ids are deterministic, so if the process dies in between, the next
 * notification maps the same state to the same events and they come back as
 * duplicates. Memory is saved with a compare-and-set; a caller that loses the
 * race (a second notification controller posting the same state) maps again
 * against the winner's memory, which emits nothing new.
 *
 * Forwarding needs no call here: migration 003's insert trigger enqueues every
 * stored emitted event for the sinks in the same transaction as the event.
 */
import type { CDEvent } from '../../cdevents';
import type { IngestItemResult } from '../api/contract';
import { storeEvents } from '../api/storeEvents';
import { buildAppProfile } from '../chains/buildAppProfile';
import AsyncLock from 'async-lock';
import type { ApplicationStore, StoredApplication } from '../store/applicationStore';
import { listLoggedStates, logStates } from '../store/applicationStateLog';
import { reattributeRecentEvents } from '../store/appProfileQueries';
import { findPublishedArtifact } from '../store/findPublishedArtifact';
import { findRecordedCause } from '../store/triggerStore';
import type { AppRef, EventStore } from '../store/types';
import { buildLiveArtifactIds } from './appIdentity';
import { buildStateKey, compareApplicationStates, compareStatesForOrder } from './applicationClock';
import { type Application, readAppNamespace } from './application';
import { buildHistoryEvents } from './buildHistoryEvents';
import { type SyncCause, isReconstructedEvent } from './emissionDraft';
import { type MapResult, mapApplicationState, readOperationCause } from './mapApplicationState';
import { placeLateState } from './placeLateState';

export interface IngestApplicationDeps {
  store: EventStore;
  applications: ApplicationStore;
  now: () => Date;
  /** Called when what the app deploys or where changed, so cached app profiles are reloaded. */
  onProfileChanged?: () => void;
}

export interface IngestApplicationOptions {
  instance: string;
  /** live: a notification's current state; history: only the syncs in status.history (backfill). */
  mode: 'live' | 'history';
}

/**
 * Attempts at saving memory before giving up; each lost race means another writer made progress,
 * so N writers posting one state at once need up to N attempts. 5 failed the 6-writer race test
 * once ingest got fast enough for the writers to stay in step.
 */
const maxAttempts = 10;

async function findCause(deps: IngestApplicationDeps, app: Application, ref: AppRef): Promise<SyncCause | undefined> {
  const state = app.status?.operationState;
  if (state?.phase !== 'Succeeded') return undefined;
  // An inbound trigger's action (a rollback carries no operation info) recorded the event that caused it.
  const triggered = state.startedAt ? await findRecordedCause(deps.store.sql, ref, state.startedAt) : undefined;
  if (triggered) {
    return {
      contextId: triggered.contextId,
      ...(triggered.chainId ? { chainId: triggered.chainId } : {}),
      reason: triggered.reason,
    };
  }
  // Before the artifact guess: the operation itself names an event (`argocd app sync --info`, or a tool's).
  const named = readOperationCause(app);
  if (named) return named;
  const published = await findPublishedArtifact(
    deps.store.sql,
    buildLiveArtifactIds(app).all,
    state.finishedAt ?? state.startedAt,
  );
  if (!published) return undefined;
  return {
    contextId: published.contextId,
    ...(published.chainId ? { chainId: published.chainId } : {}),
    reason: `artifact.published of ${published.purl}`,
  };
}

async function storeEmitted(
  deps: IngestApplicationDeps,
  ref: AppRef,
  events: CDEvent[],
  receivedAt: Date,
): Promise<IngestItemResult[]> {
  const attribution = {
    app: ref,
    attribution: { rule: 'emitted' as const, detail: `emitted by Argo CD for ${ref.namespace}/${ref.name}` },
  };
  const results: IngestItemResult[] = [];
  // storeEvents marks a whole batch reconstructed or not; reconstructed events come first, so two batches keep order.
  for (const reconstructed of [true, false]) {
    const batch = events.filter((event) => isReconstructedEvent(event) === reconstructed);
    if (batch.length === 0) continue;
    const stored = await storeEvents(deps.store, batch, {
      receivedAt,
      reconstructed,
      extraAttributions: [attribution],
    });
    results.push(...stored.map((result) => ({ ...result, index: results.length + result.index })));
  }
  return results;
}

/**
 * When what the app deploys or where changed (images, sources, destination),
 * recent received events may now concern it: re-attribute them (bounded; see
 * store/appProfileQueries.ts).
 */
async function reattributeIfChanged(
  deps: IngestApplicationDeps,
  instance: string,
  before: Application | undefined,
  after: Application,
): Promise<void> {
  const describe = (app: Application) => {
    const { artifacts, repositories, environments } = buildAppProfile({ instance, application: app });
    return JSON.stringify([artifacts.map((a) => a.purl), repositories, environments]);
  };
  if (before && describe(before) === describe(after)) return;
  // Events that arrive from now on must see the new profile, not a cached one from before this notification.
  deps.onProfileChanged?.();
  await reattributeRecentEvents(deps.store.sql, buildAppProfile({ instance, application: after }));
}

/**
 * What one Application state became: applied (maybe emitting nothing new); late, when it was older
 * than the last applied state and was mapped in its place among the app's logged states (results
 * are what it added); or stale, when it changes nothing (already seen, or older than the log).
 */
export interface ApplicationIngestOutcome {
  state: 'applied' | 'late' | 'stale';
  /** Why the state is late or stale, naming the field of the Application's clock that decided. */
  staleReason?: string;
  results: IngestItemResult[];
}

/**
 * One app's states are handled one at a time in this process: a newer state and a late one
 * mapped at once would each be mapped against memory the other is about to replace. Replicas are
 * kept apart by the compare-and-set on the applications row (a loser maps again).
 */
const appLocks = new WeakMap<EventStore, AsyncLock>();

function lockFor(store: EventStore): AsyncLock {
  let lock = appLocks.get(store);
  if (!lock) {
    lock = new AsyncLock({ maxPending: Infinity });
    appLocks.set(store, lock);
  }
  return lock;
}

function collectNew(results: IngestItemResult[], into: IngestItemResult[], seen: Set<string>, onlyNew: boolean): void {
  for (const result of results) {
    if (onlyNew && result.status === 'duplicate') continue;
    const identity = `${result.source}\n${result.id}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    into.push({ ...result, index: into.length });
  }
}

/**
 * Maps one Application state and makes it durable. Resolves with what each
 * emitted event became (stored, duplicate, conflict); empty when the state
 * implies nothing new. Resolves only after the events are committed. A state
 * older than the last one applied for the app (applicationClock.ts) is placed
 * among the app's logged states (placeLateState.ts) and resolves as `late`
 * with the events it added, or as `stale` when it changes nothing.
 */
export async function ingestApplicationState(
  deps: IngestApplicationDeps,
  app: Application,
  options: IngestApplicationOptions,
): Promise<ApplicationIngestOutcome> {
  const ref: AppRef = { instance: options.instance, namespace: readAppNamespace(app), name: app.metadata.name };
  return lockFor(deps.store).acquire(JSON.stringify([ref.instance, ref.namespace, ref.name]), () =>
    ingestOneState(deps, app, options, ref),
  );
}

async function ingestOneState(
  deps: IngestApplicationDeps,
  app: Application,
  options: IngestApplicationOptions,
  ref: AppRef,
): Promise<ApplicationIngestOutcome> {
  const results: IngestItemResult[] = [];
  const seen = new Set<string>();
  const key = buildStateKey(app);
  const cause = options.mode === 'live' ? await findCause(deps, app, ref) : undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const stored = await deps.applications.getApplication(ref);
    // Checked on every attempt: a writer that won the race may have applied a newer state meanwhile.
    const clock = stored ? compareApplicationStates(app, stored.snapshot) : { older: false };
    if (clock.older) {
      if (options.mode === 'history') return { state: 'stale', staleReason: clock.reason, results };
      const placed = await placeLate(deps, app, key, ref, stored!, cause);
      if (placed === 'unplaceable') return { state: 'stale', staleReason: clock.reason, results };
      if (placed === 'lost-race') continue;
      collectNew(placed, results, seen, true);
      return { state: 'late', staleReason: clock.reason, results };
    }
    const mapped: MapResult =
      options.mode === 'live'
        ? mapApplicationState(stored?.memory, app, { instance: options.instance, now: deps.now, cause })
        : buildHistoryEvents(stored?.memory, app, { instance: options.instance });
    const now = deps.now();
    collectNew(await storeEmitted(deps, ref, mapped.events, now), results, seen, false);
    const saved = await deps.applications.saveApplication(
      { app: ref, snapshot: app, memory: mapped.memory, updatedAt: now },
      stored?.revision,
    );
    if (saved) {
      if (options.mode === 'live') {
        await logStates(
          deps.store.sql,
          ref,
          [{ key, snapshot: app, memory: mapped.memory, startedEmpty: stored === undefined }],
          now,
          'append',
        );
      }
      await reattributeIfChanged(deps, options.instance, stored?.snapshot, app);
      return { state: 'applied', results };
    }
  }
  throw new Error(
    `could not save the state of ${ref.instance}/${ref.namespace}/${ref.name} after ${maxAttempts} attempts; ` +
      'its events are stored and a re-send is safe',
  );
}

/**
 * A late state: mapped from the memory of the logged state before it, then every logged state
 * after it mapped again, their events stored and the memories saved. The app's snapshot stays
 * the newest state; its memory becomes the one after the newest state.
 */
async function placeLate(
  deps: IngestApplicationDeps,
  app: Application,
  key: string,
  ref: AppRef,
  stored: StoredApplication,
  cause: SyncCause | undefined,
): Promise<IngestItemResult[] | 'unplaceable' | 'lost-race'> {
  const log = await listLoggedStates(deps.store.sql, ref);
  if (log.some((entry) => entry.key === key)) return 'unplaceable'; // a re-send of a state already placed
  const causes = new Map<string, SyncCause | undefined>([[key, cause]]);
  for (const entry of log) {
    if (compareStatesForOrder(app, entry.snapshot) < 0)
      causes.set(entry.key, await findCause(deps, entry.snapshot, ref));
  }
  const placement = placeLateState(log, { key, app }, (memory, state, stateKey) =>
    mapApplicationState(memory, state, { instance: ref.instance, now: deps.now, cause: causes.get(stateKey) }),
  );
  if (!placement) return 'unplaceable';
  const now = deps.now();
  const results = await storeEmitted(deps, ref, placement.events, now);
  const saved = await deps.applications.saveApplication(
    { app: ref, snapshot: stored.snapshot, memory: placement.memory, updatedAt: now },
    stored.revision,
  );
  if (!saved) return 'lost-race';
  await logStates(deps.store.sql, ref, placement.remapped, now, 'replace');
  return results;
}
