/**
 * Use case 2 of the talk, the developer dashboard: "what is running right now,
 * where is the bottleneck, how long did end-to-end take", across the apps a
 * user may see. This file checks the backend's part through the real backend on
 * PostgreSQL: one app's dashboard answer, asked as Argo CD's proxy asks it.
 *
 *   change.merged 09:00 ◀─TRIGGER─ pipelinerun.started 09:05 ┄run┄ pipelinerun.finished 09:20
 *     ◀─PATH─ artifact.published 09:22 ┄purl┄ auth upgraded in production 11:00 (emitted)
 *   incident.detected 11:30 in production; auth-staging deployed 08:00 (yesterday's build)
 */
import { createEvent } from '../../src/cdevents';
import type { EmbeddedLink } from '../../src/cdevents/types';
import type { AppDashboardResponse } from '../../src/backend/api/contract';
import { buildSyncedApplication, type SyncedApplication } from '../helpers/argocdApplications';
import { notifyArgocd, postEvents, proxyHeaders, startBackend, type TestBackend } from '../helpers/backend';

const at = (time: string) => `2026-03-02T${time}:00Z`;
const now = new Date(at('12:00'));
const prod = { server: 'https://prod.k8s.example.com', namespace: 'auth' };
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
const purl = (tag: string, digit: string) =>
  `pkg:oci/auth@sha256%3A${digit.repeat(64)}?repository_url=ghcr.io/acme/auth&tag=${tag}`;
const runId = 'https://ci.example.com/runs/77';

/** A tool's CDEvent, built (and so validated) by our own builder. */
function generated(
  id: string,
  type: string,
  timestamp: string,
  subject: { id: string; content: Record<string, unknown> },
  links?: EmbeddedLink[],
) {
  return createEvent({ type, source: 'https://ci.example.com', id, timestamp, subject, ...(links ? { links } : {}) });
}

/** auth as Argo CD notifies it after a sync of `revision` finished at `finishedAt`, with its history so far. */
function auth(revision: string, finishedAt: string, image: string, history: Array<[string, string]>) {
  return buildSyncedApplication({ ...authApp, revision, finishedAt, images: [image], history });
}

describe('developer dashboard: what is running right now, where is the bottleneck, how long did end-to-end take (real backend on PostgreSQL)', () => {
  let backend: TestBackend;

  const notify = (app: SyncedApplication) => notifyArgocd(backend, app);

  async function dashboard(headers = proxyHeaders({ namespace: 'argocd', name: 'auth' }), query = '') {
    return fetch(`${backend.url}/api/v1/applications/argocd/auth/dashboard${query}`, { headers });
  }

  beforeAll(async () => {
    backend = await startBackend({ store: 'postgres', deps: { clock: { now: () => now } } });
    // Yesterday: 1.0.0 went to production.
    await notify(auth(REV_1, '2026-03-01T08:00:00Z', 'ghcr.io/acme/auth:1.0.0', [[REV_1, '2026-03-01T08:00:00Z']]));
    const { status } = await postEvents(backend.url, [
      generated('pr-12-merged', 'change.merged', at('09:00'), {
        id: 'acme/auth/pull/12',
        content: { repository: { id: repo } },
      }),
      generated(
        'run-77-started',
        'pipelinerun.started',
        at('09:05'),
        { id: runId, content: { pipelineName: 'build', uri: runId } },
        [{ linkType: 'RELATION', linkKind: 'TRIGGER', target: { contextId: 'pr-12-merged' } }],
      ),
      generated('run-77-finished', 'pipelinerun.finished', at('09:20'), {
        id: runId,
        content: { pipelineName: 'build', uri: runId, outcome: 'success' },
      }),
      generated('auth-2.0.0-published', 'artifact.published', at('09:22'), { id: purl('2.0.0', 'b'), content: {} }, [
        { linkType: 'PATH', from: { contextId: 'run-77-finished' } },
      ]),
    ]);
    expect(status).toBe(200);
    await notify(
      auth(REV_2, at('11:00'), 'ghcr.io/acme/auth:2.0.0', [
        [REV_1, '2026-03-01T08:00:00Z'],
        [REV_2, at('11:00')],
      ]),
    );
    await postEvents(backend.url, [
      generated('incident-9', 'incident.detected', at('11:30'), {
        id: 'incident-9',
        content: { environment: { id: `${prod.server}/${prod.namespace}` }, description: 'login errors above 2 %' },
      }),
    ]);
  }, 60_000);
  afterAll(() => backend?.close());

  async function read(): Promise<AppDashboardResponse> {
    const response = await dashboard();
    expect(response.status).toBe(200);
    return (await response.json()) as AppDashboardResponse;
  }

  it('answers what is running right now: the newest deployment per environment, with its artifact', async () => {
    const { running } = await read();
    expect(running).toEqual([
      expect.objectContaining({
        environment: 'https://prod.k8s.example.com/auth',
        predicate: 'upgraded',
        artifactId: 'pkg:oci/auth@2.0.0?repository_url=ghcr.io/acme/auth',
        timestamp: '2026-03-02T11:00:00.000Z',
      }),
    ]);
  });

  it('lists the last 24 hours of deployments and incidents, not older ones', async () => {
    const { deployments, incidents, from, to } = await read();
    expect({ from, to }).toEqual({ from: '2026-03-01T12:00:00.000Z', to: '2026-03-02T12:00:00.000Z' });
    expect(deployments.map((d) => d.timestamp)).toEqual(['2026-03-02T11:00:00.000Z']);
    expect(incidents).toEqual([
      expect.objectContaining({ predicate: 'detected', description: 'login errors above 2 %' }),
    ]);
  });

  it('finds the slowest step of the path change → deploy, and how long end to end took', async () => {
    const { leadTimes } = await read();
    expect(leadTimes).toHaveLength(1);
    expect(leadTimes[0]!.steps).toEqual([
      { from: 'change', to: 'build', seconds: 5 * 60 },
      { from: 'build', to: 'artifact', seconds: 17 * 60 },
      { from: 'artifact', to: 'deploy', seconds: 98 * 60 },
    ]);
    expect(leadTimes[0]!.totalSeconds).toBe(2 * 3600);
  });

  it('takes a longer window when asked, and refuses one beyond a week with a message naming it', async () => {
    const week = await dashboard(undefined, '?hours=168');
    expect(((await week.json()) as AppDashboardResponse).deployments).toHaveLength(2);
    const tooLong = await dashboard(undefined, '?hours=1000');
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: { message: string } }).error.message).toMatch(/hours/);
  });

  it.each([
    ['another app named by Argo CD than the path', { ...proxyHeaders({ namespace: 'argocd', name: 'portal' }) }, 403],
    [
      'no app named by Argo CD',
      { 'x-cdevents-proxy-secret': proxyHeaders({ namespace: 'a', name: 'b' })['x-cdevents-proxy-secret']! },
      400,
    ],
    ['no proxy secret (not through Argo CD)', { 'argocd-application-name': 'argocd:auth' }, 401],
  ])('refuses a request with %s', async (_name, headers, status) => {
    const response = await dashboard(headers as Record<string, string>);
    expect(response.status).toBe(status);
    const body = (await response.json()) as { statusCode: number; error: { message: string } };
    expect(body.statusCode).toBe(status);
    expect(body.error.message.length).toBeGreaterThan(10);
  });
});
