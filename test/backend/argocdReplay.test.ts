/**
 * Real-world notification streams on the real app, on PGlite and on the real
 * PostgreSQL: the whole captured corpus posted late, twice, shuffled, by two
 * notification controllers at once and by two backend replicas. A state older
 * than the one last applied is placed among the app's earlier states (`late`,
 * with what it added) or, when it adds nothing, answered `stale`.
 */
import type { EventListResponse, IngestResponse } from '../../src/backend/api/contract';
import { readAppNamespace } from '../../src/backend/argocd';
import { createStore } from '../../src/backend/store/createStore';
import {
  createTestDatabase,
  ingestHeaders,
  proxyHeaders,
  startBackend,
  storeKinds,
  type TestBackend,
} from '../helpers/backend';
import { type CapturedNotification, readCapturedNotifications } from './argocd/fixtures';

jest.setTimeout(120_000);

const corpus = readCapturedNotifications();
const apps = [
  ...new Map(
    corpus.map(({ body }) => [
      `${readAppNamespace(body.app)}/${body.app.metadata.name}`,
      { namespace: readAppNamespace(body.app), name: body.app.metadata.name },
    ]),
  ).values(),
];

/** The same order on every run: a small linear congruential generator, seeded. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function notify(backend: TestBackend, instance: string, item: CapturedNotification): Promise<IngestResponse> {
  const response = await fetch(`${backend.url}/api/v1/argocd/notifications?instance=${instance}`, {
    method: 'POST',
    headers: ingestHeaders(),
    body: JSON.stringify(item.body),
  });
  expect({ file: item.file, status: response.status }).toEqual({ file: item.file, status: 200 });
  return (await response.json()) as IngestResponse;
}

/** Each notification held back behind the next `by` (a slow webhook, a retried send). */
function delayed<T>(items: readonly T[], by: number): T[] {
  const out = [...items];
  for (let index = 0; index + by < out.length; index += by + 1) out.splice(index + by, 0, ...out.splice(index, 1));
  return out;
}

/** Each pair of neighbours swapped (two controllers a step apart). */
function pairsSwapped<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let index = 0; index + 1 < out.length; index += 2) [out[index], out[index + 1]] = [out[index + 1]!, out[index]!];
  return out;
}

/** The rows' event ids (the last field). */
const idsOf = (rows: readonly string[]) => new Set(rows.map((row) => row.split(' ').at(-1)));

/** Deploys, upgrades, rollbacks and removals: what each sync did, whatever else a partial view saw. */
const serviceRows = (rows: readonly string[]) => rows.filter((row) => row.split(' ')[1]!.includes('.service.'));

async function postAll(backend: TestBackend, instance: string, items: readonly CapturedNotification[]) {
  const responses: Array<{ file: string; response: IngestResponse }> = [];
  for (const item of items) responses.push({ file: item.file, response: await notify(backend, instance, item) });
  return responses;
}

/** Every emitted event of every captured app in the instance, as the tabs show them: app, type, subject, time. */
async function readEmitted(backend: TestBackend, instance: string): Promise<string[]> {
  const rows: string[] = [];
  for (const app of apps) {
    const response = await fetch(
      `${backend.url}/api/v1/applications/${app.namespace}/${app.name}/events?direction=emitted&limit=1000`,
      { headers: proxyHeaders({ ...app, instance }) },
    );
    expect(response.status).toBe(200);
    for (const item of ((await response.json()) as EventListResponse).items) {
      const payload = item.payload as { context: { type: string; timestamp: string } };
      const context = payload.context as { type: string; timestamp: string; id?: string };
      rows.push([app.name, context.type, item.subjectId, context.timestamp, context.id].join(' '));
    }
  }
  return rows.sort();
}

describe.each(storeKinds)('replaying the captured Argo CD notifications on %s', (kind) => {
  let backend: TestBackend;
  let once: string[];
  beforeAll(async () => {
    backend = await startBackend({ store: kind });
    await postAll(backend, 'once', corpus);
    once = await readEmitted(backend, 'once');
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('dates every emitted event by the Application, never by the time of the post', async () => {
    expect(once.length).toBeGreaterThan(10);
    for (const row of once) expect(row.split(' ')[3]! < '2025-10-03').toBe(true);
  });

  it('adds nothing when the corpus is posted a second time in order, and answers the older states stale', async () => {
    await postAll(backend, 'twice', corpus);
    const second = await postAll(backend, 'twice', corpus);
    expect(second.flatMap(({ response }) => response.results)).toEqual([]);
    expect(await readEmitted(backend, 'twice')).toEqual(once);
    // The InvalidSpecError state of argocd/aaaaaaa, re-sent after the app's deletion was applied.
    expect(second.find(({ file }) => file === '000_cli_template.json')!.response).toMatchObject({
      state: 'stale',
      message: 'stale: older than the state last applied (metadata.resourceVersion 70734151 < 70747884)',
      results: [],
    });
    expect(second.find(({ file }) => file === '001.json')!.response.state).toBe('applied');
  });

  it('adds nothing when the corpus is posted again shuffled', async () => {
    await postAll(backend, 'then-shuffled', corpus);
    const again = await postAll(backend, 'then-shuffled', shuffled(corpus, 18));
    expect(again.flatMap(({ response }) => response.results)).toEqual([]);
    expect(await readEmitted(backend, 'then-shuffled')).toEqual(once);
  });

  it('yields the same events from a shuffled stream posted once or twice', async () => {
    await postAll(backend, 'shuffled', shuffled(corpus, 7));
    const first = await readEmitted(backend, 'shuffled');
    await postAll(backend, 'shuffled', shuffled(corpus, 99));
    expect(await readEmitted(backend, 'shuffled')).toEqual(first);
    for (const row of first) expect(row.split(' ')[3]! < '2025-10-03').toBe(true);
  });

  it('yields exactly the in-order events when each notification is held behind the next three, or neighbours swap', async () => {
    await postAll(backend, 'delayed', delayed(corpus, 3));
    expect(await readEmitted(backend, 'delayed')).toEqual(once);
    const swapped = await postAll(backend, 'swapped', pairsSwapped(corpus));
    expect(await readEmitted(backend, 'swapped')).toEqual(once);
    // The late half of a swapped pair is mapped in its place, and says so.
    const late = swapped.filter(({ response }) => response.state === 'late');
    expect(late.length).toBeGreaterThan(0);
    expect(late[0]!.response.message).toMatch(
      /^late: older than the state last applied \(.+\); mapped in its place among the app's earlier states$/,
    );
    expect(late.flatMap(({ response }) => response.results).every((result) => result.status !== 'duplicate')).toBe(
      true,
    );
    // Operators see late notifications (two controllers, slow webhooks) on /metrics.
    const metrics = await (await fetch(`${backend.url}/metrics`)).text();
    const lateCount = /^cdevents_argocd_notification_states_total\{state="late"\} (\d+)$/m.exec(metrics);
    expect(Number(lateCount?.[1])).toBeGreaterThanOrEqual(late.length);
  });

  it.each([
    ['shuffled (seed 7)', shuffled(corpus, 7)],
    ['shuffled (seed 5)', shuffled(corpus, 5)],
    ['newest first', [...corpus].reverse()],
  ])('emits every event of the in-order pass, and the same syncs, from a first pass %s', async (name, items) => {
    const instance = name.replace(/[^a-z0-9]+/g, '-').replace(/-$/, '');
    await postAll(backend, instance, items);
    const got = await readEmitted(backend, instance);
    const ids = idsOf(got);
    expect(once.filter((row) => !ids.has(row.split(' ').at(-1)))).toEqual([]);
    expect(serviceRows(got)).toEqual(serviceRows(once));
    for (const row of got) expect(row.split(' ')[3]! < '2025-10-03').toBe(true);
  });

  it('stores each event once when two controllers post the same sequence interleaved', async () => {
    // Controller B lags one notification behind A, and every other pair arrives at the same moment.
    for (let index = 0; index <= corpus.length; index += 1) {
      const a = corpus[index];
      const b = corpus[index - 1];
      if (index % 2 === 0) {
        await Promise.all([a && notify(backend, 'controllers', a), b && notify(backend, 'controllers', b)]);
      } else {
        if (a) await notify(backend, 'controllers', a);
        if (b) await notify(backend, 'controllers', b);
      }
    }
    expect(await readEmitted(backend, 'controllers')).toEqual(once);
  });
});

describe('two backend replicas on one PostgreSQL database, the captured stream split between them', () => {
  it('emits every event of one backend in order, and each sync once', async () => {
    const database = await createTestDatabase();
    const stores = [
      await createStore({ databaseUrl: database.url, dataDir: '', databasePoolSize: 5 }),
      await createStore({ databaseUrl: database.url, dataDir: '', databasePoolSize: 5 }),
    ];
    const replicas = await Promise.all(stores.map((store) => startBackend({ deps: { store } })));
    const single = await startBackend({ store: 'postgres' });
    try {
      await postAll(single, 'replicas', corpus);
      const expected = await readEmitted(single, 'replicas');
      // Neighbours go to different replicas at the same moment: the newer state sometimes wins the race.
      for (let index = 0; index < corpus.length; index += 2) {
        await Promise.all(
          [corpus[index], corpus[index + 1]].map((item, side) => item && notify(replicas[side]!, 'replicas', item)),
        );
      }
      const got = await readEmitted(replicas[0]!, 'replicas');
      const ids = idsOf(got);
      expect(expected.filter((row) => !ids.has(row.split(' ').at(-1)))).toEqual([]);
      expect(serviceRows(got)).toEqual(serviceRows(expected));
      expect(new Set(got).size).toBe(got.length);
    } finally {
      await Promise.all([...replicas, single].map((backend) => backend.close()));
      await Promise.all(stores.map((store) => store.close()));
      await database.drop();
    }
  });
});
