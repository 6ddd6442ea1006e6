/**
 * GET /api/v1/applications/{namespace}/{name}/summary: the summary strip's
 * figures for auth, from events that reached the real backend through its
 * public routes (the Argo CD notifications webhook and POST /api/v1/events),
 * on PGlite and on PostgreSQL. "Now" is 2026-03-31T12:00Z; the window is 30 days.
 *
 *   03-10 08:00 artifact.published auth 1.0.0 ──2 h──▶ 10:00 auth deployed 1.0.0
 *   03-20 09:00 artifact.published auth 2.0.0 ──4 h──▶ 13:00 auth upgraded 2.0.0
 *   03-20 14:00 incident.detected ──90 min──▶ 15:30 incident.resolved (same subject id)
 *   03-20 16:00 auth rolled back to 1.0.0;  03-25 incident.detected (still open)
 *   02-01 auth-staging deployed (outside the window, another app)
 */
import { createEvent } from '../../src/cdevents';
import type { AppSummaryResponse, ErrorBody } from '../../src/backend/api/contract';
import { buildSyncedApplication, type SyncedApplication } from '../helpers/argocdApplications';
import { notifyArgocd, postEvents, proxyHeaders, startBackend, storeKinds, type TestBackend } from '../helpers/backend';

const now = new Date('2026-03-31T12:00:00Z');
const prod = { server: 'https://prod.k8s.example.com', namespace: 'auth' };
const environment = `${prod.server}/${prod.namespace}`;
const repo = 'https://github.com/acme/auth';
/** auth's spec follows main: each sync records the revision main pointed to. */
const authApp = {
  name: 'auth',
  project: 'identity',
  repoURL: `${repo}.git`,
  targetRevision: 'main',
  destination: prod,
};
const REV_1 = '1'.repeat(40);
const REV_2 = '2'.repeat(40);
const image = (tag: string, digit: string) =>
  `pkg:oci/auth@sha256%3A${digit.repeat(64)}?repository_url=ghcr.io/acme/auth&tag=${tag}`;

function tool(id: string, type: string, timestamp: string, subject: { id: string; content: Record<string, unknown> }) {
  return createEvent({ type, source: 'https://tools.example.com', id, timestamp, subject });
}

/** auth as Argo CD notifies it after a sync of `revision` finished at `finishedAt`, with its history so far. */
function auth(revision: string, finishedAt: string, tag: string, history: Array<[string, string]>) {
  const images = [`ghcr.io/acme/auth:${tag}`];
  return buildSyncedApplication({ ...authApp, revision, finishedAt, images, history });
}

describe.each(storeKinds)('the summary strip of an app, on %s (real backend)', (kind) => {
  let backend: TestBackend;

  const notify = (app: SyncedApplication) => notifyArgocd(backend, app);

  async function summary(query = '', name = 'auth', headers = proxyHeaders({ namespace: 'argocd', name })) {
    const response = await fetch(`${backend.url}/api/v1/applications/argocd/${name}/summary${query}`, { headers });
    return { status: response.status, body: (await response.json()) as AppSummaryResponse & ErrorBody };
  }

  beforeAll(async () => {
    backend = await startBackend({ store: kind, deps: { clock: { now: () => now } } });
    const d1 = '2026-03-10T10:00:00Z';
    const d2 = '2026-03-20T13:00:00Z';
    const d3 = '2026-03-20T16:00:00Z';
    expect(
      (
        await postEvents(backend.url, [
          tool('pub-1', 'artifact.published', '2026-03-10T08:00:00Z', { id: image('1.0.0', 'a'), content: {} }),
        ])
      ).status,
    ).toBe(200);
    await notify(auth(REV_1, d1, '1.0.0', [[REV_1, d1]]));
    await postEvents(backend.url, [
      tool('pub-2', 'artifact.published', '2026-03-20T09:00:00Z', { id: image('2.0.0', 'b'), content: {} }),
    ]);
    await notify(
      auth(REV_2, d2, '2.0.0', [
        [REV_1, d1],
        [REV_2, d2],
      ]),
    );
    const incident = { environment: { id: environment }, description: 'login errors above 5 %' };
    await postEvents(backend.url, [
      tool('inc-1', 'incident.detected', '2026-03-20T14:00:00Z', { id: 'alert/auth-login', content: incident }),
      tool('inc-1-resolved', 'incident.resolved', '2026-03-20T15:30:00Z', {
        id: 'alert/auth-login',
        content: incident,
      }),
    ]);
    await notify(
      auth(REV_1, d3, '1.0.0', [
        [REV_1, d1],
        [REV_2, d2],
        [REV_1, d3],
      ]),
    );
    await postEvents(backend.url, [
      tool('smoke-1', 'testsuiterun.finished', '2026-03-20T16:10:00Z', {
        id: 'smoke-1',
        content: { environment: { id: environment }, testSuite: { id: 'smoke' }, outcome: 'failure' },
      }),
      tool('inc-2', 'incident.detected', '2026-03-25T08:00:00Z', {
        id: 'alert/auth-latency',
        content: { environment: { id: environment }, description: 'p99 latency above 2 s' },
      }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await backend?.close();
  });

  it('counts deployments by kind, names the last deploy and the open incident', async () => {
    const { status, body } = await summary();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      app: { namespace: 'argocd', name: 'auth' },
      window: '30d',
      from: '2026-03-01T12:00:00.000Z',
      to: '2026-03-31T12:00:00.000Z',
      environment: null,
      environments: [environment],
      deployments: { total: 3, deployed: 1, upgraded: 1, rolledback: 1 },
      lastDeploy: { predicate: 'rolledback', timestamp: '2026-03-20T16:00:00.000Z', environment },
      failures: 1,
      openIncidents: { count: 1, oldest: { description: 'p99 latency above 2 s', predicate: 'detected' } },
    });
  });

  it('computes the four DORA figures', async () => {
    const { body } = await summary();
    expect(body.dora).toEqual({
      deploymentFrequency: { perDay: 2 / 30, deployments: 2, days: 30 },
      // 2 h and 4 h from publication to deploy; the rollback is no change.
      leadTime: { p50Seconds: 3 * 3600, samples: 2, deployments: 2 },
      // 2.0.0 raised an incident and was rolled back: one failed deployment of two.
      changeFailureRate: { rate: 0.5, failed: 1, deployments: 2, rolledBack: 1, followedByIncident: 1 },
      timeToRestore: { p50Seconds: 90 * 60, samples: 1 },
    });
  });

  it('gives the four figures week by week over the last 13 weeks, missing where nothing is known, for the charts', async () => {
    const { body } = await summary();
    const trends = body.trends!;
    expect(trends.from).toBe('2025-12-30T12:00:00.000Z');
    expect(trends.to).toBe('2026-03-31T12:00:00.000Z');
    expect(trends.weeks).toHaveLength(13);
    expect(trends.weeks[9]).toMatchObject({ from: '2026-03-03T12:00:00.000Z', to: '2026-03-10T12:00:00.000Z' });
    const read = (value: number | { missing: string }) => (typeof value === 'number' ? value : 'missing');
    const column = (pick: (week: (typeof trends.weeks)[number]) => number | { missing: string }) =>
      trends.weeks.map((week) => read(pick(week)));
    const before = Array<string>(9).fill('missing');
    // Nine weeks before auth's first deploy: not zero deployments, unknown. Then 1, 0, 1 (the rollback is no deployment), 0.
    expect(column((week) => week.deployments)).toEqual([...before, 1, 0, 1, 0]);
    expect(column((week) => week.leadTimeSeconds)).toEqual([...before, 2 * 3600, 'missing', 4 * 3600, 'missing']);
    expect(column((week) => week.changeFailureRate)).toEqual([...before, 0, 'missing', 1, 'missing']);
    expect(column((week) => week.timeToRestoreSeconds)).toEqual([...before, 'missing', 'missing', 90 * 60, 'missing']);
    expect(trends.weeks[0]!.deployments).toEqual({
      missing: 'no service event for this app before 2026-03-10T10:00:00.000Z',
    });
  });

  it('shows the same 13-week trends whatever the window, shorter or longer than the trends', async () => {
    const [month, days, year] = await Promise.all([summary(), summary('?window=2d'), summary('?window=365d')]);
    expect(days.body.trends).toEqual(month.body.trends);
    expect(year.body.trends).toEqual(month.body.trends);
    expect(year.body.deployments).toEqual(month.body.deployments);
    expect(year.body.dora.leadTime).toEqual(month.body.dora.leadTime);
  });

  it('says what each figure lacks when the window holds none of its data', async () => {
    const { body } = await summary('?window=2d');
    expect(body.deployments.total).toBe(0);
    expect(body.lastDeploy).toMatchObject({ predicate: 'rolledback' });
    expect(body.dora).toEqual({
      deploymentFrequency: { missing: 'no service.deployed or service.upgraded event for this app in the last 2 days' },
      leadTime: {
        missing: 'no service.deployed or service.upgraded event for this app in the last 2 days to measure from',
      },
      changeFailureRate: { missing: 'no service.deployed or service.upgraded event for this app in the last 2 days' },
      // The 03-25 incident is still open.
      timeToRestore: { missing: 'no incident.resolved event with the subject id of a detected incident' },
    });
  });

  it('narrows to one environment, and another environment has nothing', async () => {
    const own = await summary(`?environment=${encodeURIComponent(environment)}`);
    expect(own.body.deployments.total).toBe(3);
    const other = await summary(`?environment=${encodeURIComponent('https://other/auth')}`);
    expect(other.body).toMatchObject({
      environment: 'https://other/auth',
      deployments: { total: 0 },
      lastDeploy: null,
    });
  });

  it('answers an app it has never heard of with zeros and missing figures, not an error', async () => {
    const { status, body } = await summary('', 'billing');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      deployments: { total: 0 },
      lastDeploy: null,
      failures: 0,
      openIncidents: { count: 0, oldest: null },
      dora: { timeToRestore: { missing: 'no incident.detected event for this app in the last 30 days' } },
    });
  });

  it.each([
    {
      query: '?window=30',
      message: 'window must be a number of days or hours between 1h and 365d, such as 30d or 12h, got "30"',
    },
    { query: '?window=366d', message: 'got "366d"' },
    { query: '?window=0h', message: 'got "0h"' },
  ])('refuses window in $query with 400 naming it', async ({ query, message }) => {
    const { status, body } = await summary(query);
    expect(status).toBe(400);
    expect(body.error.message).toContain(message);
  });

  it('is behind the proxy guards: 401 without the shared secret, 403 for another app than the path', async () => {
    const { 'x-cdevents-proxy-secret': _secret, ...withoutSecret } = proxyHeaders({
      namespace: 'argocd',
      name: 'auth',
    });
    expect((await summary('', 'auth', withoutSecret)).status).toBe(401);
    const forbidden = await summary('', 'auth', proxyHeaders({ namespace: 'argocd', name: 'portal' }));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.name).toBe('ForbiddenError');
  });
});
