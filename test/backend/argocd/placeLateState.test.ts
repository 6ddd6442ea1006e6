import { type AppMemory, type Application, buildStateKey, mapApplicationState } from '../../../src/backend/argocd';
import { type StateLogEntry, placeLateState } from '../../../src/backend/argocd/placeLateState';
import { patchApp } from './fixtures';
import { REV, buildState } from './states';

const fixedNow = () => new Date('2025-10-09T00:00:00Z');
const mapState = (memory: AppMemory | undefined, app: Application) =>
  mapApplicationState(memory, app, { instance: 'test', now: fixedNow });

const withVersion = (app: Application, resourceVersion: string) => patchApp(app, { metadata: { resourceVersion } });

const synced = { op: { phase: 'Succeeded', revision: REV.A, startedAt: '2025-10-02T10:00:00Z' } } as const;
const history: Array<[string, string]> = [[REV.A, '2025-10-02T10:00:00Z']];
const healthy = withVersion(
  buildState({ ...synced, history, health: { status: 'Healthy', since: '2025-10-02T10:00:04Z' } }),
  '100',
);
const degraded = withVersion(
  buildState({
    ...synced,
    history,
    health: { status: 'Degraded', since: '2025-10-02T11:00:00Z', message: 'CrashLoopBackOff' },
  }),
  '200',
);
const healed = withVersion(
  buildState({ ...synced, history, health: { status: 'Healthy', since: '2025-10-02T11:30:00Z' } }),
  '300',
);

/** Applies states in order the way ingest does, logging each with the memory after it. */
function logInOrder(states: Application[]): StateLogEntry[] {
  let memory: AppMemory | undefined;
  return states.map((app, seq) => {
    const startedEmpty = memory === undefined;
    memory = mapState(memory, app).memory;
    return { key: buildStateKey(app), snapshot: app, memory, seq, startedEmpty };
  });
}

const typesAndTimes = (events: Array<{ context: { type: string; timestamp: string } }>) =>
  events.map((event) => `${event.context.type} ${event.context.timestamp}`);

describe('placing a late Application state among the logged ones (pure)', () => {
  it('recovers an incident that began and ended between the notifications that did arrive', () => {
    const log = logInOrder([healthy, healed]);
    const placement = placeLateState(log, { key: buildStateKey(degraded), app: degraded }, mapState)!;
    expect(typesAndTimes(placement.events).filter((row) => row.includes('incident'))).toEqual([
      'dev.cdevents.incident.detected.0.3.0 2025-10-02T11:00:00.000Z',
      'dev.cdevents.incident.resolved.0.3.0 2025-10-02T11:30:00.000Z',
    ]);
    // The late state and the one after it, with the memory the in-order fold would have.
    expect(placement.remapped.map((state) => state.key)).toEqual(['rv:200', 'rv:300']);
    expect(placement.memory).toEqual(logInOrder([healthy, degraded, healed]).at(-1)!.memory);
  });

  it('maps a state older than every logged one from nothing when the oldest logged one had nothing before it', () => {
    const log = logInOrder([degraded, healed]);
    const placement = placeLateState(log, { key: buildStateKey(healthy), app: healthy }, mapState)!;
    expect(placement.remapped.map((state) => [state.key, state.startedEmpty])).toEqual([
      ['rv:100', true],
      ['rv:200', false],
      ['rv:300', false],
    ]);
    expect(placement.memory).toEqual(logInOrder([healthy, degraded, healed]).at(-1)!.memory);
  });

  it('cannot place a state older than a log that began after the app was first seen (trimmed or older than the log)', () => {
    const log = logInOrder([degraded, healed]).map((entry) => ({ ...entry, startedEmpty: false }));
    expect(placeLateState(log, { key: buildStateKey(healthy), app: healthy }, mapState)).toBeUndefined();
  });
});
