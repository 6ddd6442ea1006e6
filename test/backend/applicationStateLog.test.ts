/**
 * The Application state log on PGlite and the real PostgreSQL: what a late
 * notification is placed among (ADR 0008), bounded per app.
 */
import { createEmptyMemory } from '../../src/backend/argocd';
import { STATE_LOG_LIMIT, listLoggedStates, logStates } from '../../src/backend/store/applicationStateLog';
import { type TestStore, createTestStore, storeKinds } from '../helpers/backend';
import { BASE_APP } from './argocd/states';

const app = { instance: 'log', namespace: 'argocd', name: 'auth' };
const other = { ...app, name: 'billing' };
const at = new Date('2025-10-02T12:00:00Z');

const entry = (index: number, memoryUid = 'u') => ({
  key: `rv:${1000 + index}`,
  snapshot: { ...BASE_APP, metadata: { ...BASE_APP.metadata, resourceVersion: String(1000 + index) } },
  memory: createEmptyMemory(memoryUid),
  startedEmpty: index === 0,
});

describe.each(storeKinds)('the Application state log on %s', (kind) => {
  let testStore: TestStore;
  beforeAll(async () => {
    testStore = await createTestStore(kind);
  });
  afterAll(async () => {
    await testStore?.close();
  });

  it(`keeps the newest ${STATE_LOG_LIMIT} states of each app, in arrival order, and other apps' apart`, async () => {
    const sql = testStore.store.sql;
    const states = Array.from({ length: STATE_LOG_LIMIT + 5 }, (_, index) => entry(index));
    await logStates(sql, app, states.slice(0, 10), at, 'append');
    await logStates(sql, app, states.slice(10), at, 'append');
    await logStates(sql, other, [entry(0)], at, 'append');
    const kept = await listLoggedStates(sql, app);
    expect(kept.map((state) => state.key)).toEqual(states.slice(5).map((state) => state.key));
    expect((await listLoggedStates(sql, other)).map((state) => [state.key, state.startedEmpty])).toEqual([
      ['rv:1000', true],
    ]);
  });

  it('keeps a re-sent state as it was, and sets the memory of the states a late one changed', async () => {
    const sql = testStore.store.sql;
    const ref = { ...app, name: 'payments' };
    await logStates(sql, ref, [entry(0, 'first')], at, 'append');
    await logStates(sql, ref, [entry(0, 'again')], at, 'append');
    expect((await listLoggedStates(sql, ref))[0]!.memory.uid).toBe('first');
    await logStates(sql, ref, [{ ...entry(0, 'placed'), startedEmpty: false }], at, 'replace');
    expect((await listLoggedStates(sql, ref)).map((state) => [state.memory.uid, state.startedEmpty])).toEqual([
      ['placed', false],
    ]);
  });
});
