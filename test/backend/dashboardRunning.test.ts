/**
 * What runs where (the dashboard's matrix, issue 19): per environment the newest service event, with
 * since when its artifact runs there, read by store/dashboardQueries.ts on PGlite and PostgreSQL.
 * The age a cell shows is that of the artifact in the environment, not of the last sync.
 */
import { buildNewEvent } from '../../src/backend/api/buildNewEvent';
import { fetchRunning } from '../../src/backend/store/dashboardQueries';
import type { EventStore } from '../../src/backend/store/types';
import { createTestStore, storeKinds, type TestStore } from '../helpers/backend';

jest.setTimeout(60_000);

const app = { instance: 'default', namespace: 'argocd', name: 'runs' };

function serviceEvent(id: string, predicate: string, environment: string, artifactId: string, timestamp: string) {
  const event = buildNewEvent({
    context: {
      specversion: '0.5.1',
      id,
      source: '/argocd/default/argocd',
      type: `dev.cdevents.service.${predicate}.0.3.0`,
      timestamp,
    },
    subject: { id: 'argocd/runs', content: { environment: { id: environment }, artifactId } },
  });
  return { ...event, direction: 'emitted' as const };
}

describe.each(storeKinds)('what runs where, on %s', (kind) => {
  let testStore: TestStore;
  let store: EventStore;
  beforeAll(async () => {
    testStore = await createTestStore(kind);
    store = testStore.store;
    const outcomes = await store.insertEvents([
      // staging: 1.0 deployed, synced again with the same artifact, then 1.1.
      serviceEvent('s1', 'deployed', 'staging', 'pkg:oci/runs@1.0', '2026-03-01T10:00:00Z'),
      serviceEvent('s2', 'upgraded', 'staging', 'pkg:oci/runs@1.0', '2026-03-02T10:00:00Z'),
      serviceEvent('s3', 'upgraded', 'staging', 'pkg:oci/runs@1.1', '2026-03-03T10:00:00Z'),
      // prod: 1.0, a re-sync of it; then 1.1, rolled back to 1.0.
      serviceEvent('p1', 'deployed', 'prod', 'pkg:oci/runs@1.0', '2026-03-01T12:00:00Z'),
      serviceEvent('p2', 'upgraded', 'prod', 'pkg:oci/runs@1.0', '2026-03-02T12:00:00Z'),
      serviceEvent('p3', 'upgraded', 'prod', 'pkg:oci/runs@1.1', '2026-03-04T12:00:00Z'),
      serviceEvent('p4', 'rolledback', 'prod', 'pkg:oci/runs@1.0', '2026-03-05T12:00:00Z'),
      // dev: removed after its deploy, so nothing runs there.
      serviceEvent('d1', 'deployed', 'dev', 'pkg:oci/runs@1.1', '2026-03-02T09:00:00Z'),
      serviceEvent('d2', 'removed', 'dev', 'pkg:oci/runs@1.1', '2026-03-03T09:00:00Z'),
    ]);
    expect(outcomes.every((outcome) => outcome.status === 'stored')).toBe(true);
  });
  afterAll(() => testStore?.close());

  it('gives each environment its running artifact, the last event, and since when that artifact runs there', async () => {
    const running = await fetchRunning(store.sql, app);
    expect(
      running.map(({ environment, artifactId, predicate, timestamp, runningSince }) => ({
        environment,
        artifactId,
        predicate,
        timestamp,
        runningSince,
      })),
    ).toEqual([
      // A rollback to 1.0 runs since the rollback, not since 1.0 first came on 03-01.
      {
        environment: 'prod',
        artifactId: 'pkg:oci/runs@1.0',
        predicate: 'rolledback',
        timestamp: '2026-03-05T12:00:00.000Z',
        runningSince: '2026-03-05T12:00:00.000Z',
      },
      {
        environment: 'staging',
        artifactId: 'pkg:oci/runs@1.1',
        predicate: 'upgraded',
        timestamp: '2026-03-03T10:00:00.000Z',
        runningSince: '2026-03-03T10:00:00.000Z',
      },
    ]);
  });

  it('keeps the age of an artifact synced again unchanged', async () => {
    await store.insertEvents([serviceEvent('s4', 'upgraded', 'staging', 'pkg:oci/runs@1.1', '2026-03-06T10:00:00Z')]);
    const staging = (await fetchRunning(store.sql, app)).find((row) => row.environment === 'staging');
    expect(staging).toMatchObject({ timestamp: '2026-03-06T10:00:00.000Z', runningSince: '2026-03-03T10:00:00.000Z' });
  });
});
