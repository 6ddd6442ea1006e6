/**
 * Use case 4 of the talk, testing on deploy: "test portal, admin and store when
 * auth is deployed". Each test app has an inbound trigger that syncs it when
 * auth's service.upgraded (emitted by this backend) names staging; the sync
 * runs the test app's hook, whose test tool reports testsuiterun.finished
 * against auth in staging and links it to the cause Argo CD recorded in the
 * operation's info. Real backend on PostgreSQL, in-process Argo CD API stand-in.
 *
 *   auth upgraded (staging, emitted) ──fires──▶ portal / admin / store rules ──POST /sync {infos}──▶ Argo CD
 *        ▲                                                                                    │ hook runs tests
 *        └───────────── RELATION TRIGGER ◀── testsuiterun.finished × 3 (test tool) ◀──────────┘
 */
import { createEvent } from '../../src/cdevents';
import type { ChainResponse, EventRecord } from '../../src/backend/api/contract';
import type { FiringListResponse } from '../../src/backend/api/triggerContract';
import { CAUSE_EVENT_INFO } from '../../src/backend/argocd/mapApplicationState';
import { parseEditorPolicy } from '../../src/backend/triggers/editorPolicy';
import { buildSyncedApplication } from '../helpers/argocdApplications';
import {
  listAppEvents,
  notifyArgocd,
  postEvents,
  proxyHeaders,
  startBackend,
  type TestBackend,
} from '../helpers/backend';
import { startArgocdApiStandIn } from '../helpers/argocdApiStandIn';
import {
  type ApiStandIn,
  type ClusterObject,
  type ClusterState,
  createClusterState,
} from '../helpers/kubernetesApiStandIn';

const argocdToken = 'argocd-token-testing-on-deploy';
const editor = { 'argocd-username': 'alice@example.com', 'argocd-user-groups': 'qa' };
const staging = 'https://staging.k8s.example.com';
const testApps = ['portal', 'admin', 'store'];

function application(name: string, revision: string, finishedAt: string, history: string[]) {
  return buildSyncedApplication({
    name,
    destination: { server: staging, namespace: name },
    revision,
    finishedAt,
    images: [`ghcr.io/acme/${name}:1.0.0`],
    history: history.map((rev) => [rev, finishedAt]),
  });
}

describe('testing on deploy: test portal, admin and store when auth is deployed (real backend on PostgreSQL, in-process Argo CD API stand-in)', () => {
  let backend: TestBackend;
  let argocd: ApiStandIn;
  let state: ClusterState;
  const changed: ClusterObject[] = [];
  let upgrade: EventRecord;

  const notify = (app: object) => notifyArgocd(backend, app);
  const tab = (name: string) => listAppEvents(backend, name);

  async function createTrigger(app: string, body: object) {
    const response = await fetch(`${backend.url}/api/v1/applications/argocd/${app}/triggers`, {
      method: 'POST',
      headers: { ...proxyHeaders({ namespace: 'argocd', name: app }), ...editor, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
  }

  async function firings(app: string) {
    const response = await fetch(`${backend.url}/api/v1/applications/argocd/${app}/triggers/firings`, {
      headers: proxyHeaders({ namespace: 'argocd', name: app }),
    });
    return ((await response.json()) as FiringListResponse).items;
  }

  beforeAll(async () => {
    const REV_1 = '1'.repeat(40);
    const auth = application('auth', REV_1, '2026-03-02T09:00:00Z', [REV_1]);
    const apps = testApps.map((name) => application(name, 'f'.repeat(40), '2026-03-02T08:00:00Z', ['f'.repeat(40)]));
    state = createClusterState({ applications: [auth, ...apps] });
    argocd = await startArgocdApiStandIn({
      state,
      token: argocdToken,
      onApplicationChanged: (app) => void changed.push(app),
    });
    backend = await startBackend({
      store: 'postgres',
      config: { argocdUrl: argocd.url, argocdToken, triggerEditors: parseEditorPolicy('group:qa') },
    });
    await backend.app.triggerWorker.stop();
    for (const app of [auth, ...apps]) await notify(app);
    // What happened before the rules existed is evaluated before they do.
    await backend.app.triggerWorker.runOnce();

    for (const app of testApps) {
      await createTrigger(app, {
        kind: 'inbound',
        name: 'test when auth is deployed in staging',
        match: {
          types: ['dev.cdevents.service.deployed', 'dev.cdevents.service.upgraded'],
          subjectId: 'argocd/auth',
          environment: `${staging}/auth`,
        },
        action: 'sync',
        cooldownSeconds: 0,
      });
    }
    // A rule on auth that would match auth's own deployment: it must not fire (it could loop).
    await createTrigger('auth', {
      kind: 'inbound',
      name: 'resync on my own deployments',
      match: { types: ['dev.cdevents.service'], subjectId: 'argocd/auth' },
      action: 'sync',
      cooldownSeconds: 0,
    });

    // Auth 2.0 reaches staging: Argo CD's notification controller posts it.
    const REV_2 = '2'.repeat(40);
    await notify({
      ...application('auth', REV_2, '2026-03-02T10:00:00Z', [REV_1, REV_2]),
      status: {
        ...(application('auth', REV_2, '2026-03-02T10:00:00Z', [REV_1, REV_2]).status as object),
        summary: { images: ['ghcr.io/acme/auth:2.0.0'] },
      },
    });
    upgrade = (await tab('auth')).find((e) => e.predicate === 'upgraded')!;
    await backend.app.triggerWorker.runOnce();
    for (const app of changed.splice(0)) await notify(app);

    // Each test app's sync hook runs its suite against auth in staging and reports it, linking the cause.
    for (const name of testApps) {
      const info = (
        state.applications.get(`argocd/${name}`)!.status as {
          operationState: { operation: { info?: Array<{ name: string; value: string }> } };
        }
      ).operationState.operation.info;
      const cause = info?.find((item) => item.name === CAUSE_EVENT_INFO)?.value;
      const { status } = await postEvents(
        backend.url,
        createEvent({
          type: 'testsuiterun.finished',
          source: 'https://testkube.example.com',
          id: `${name}-e2e-after-auth-2.0`,
          timestamp: '2026-03-02T10:10:00Z',
          subject: {
            id: `${name}-e2e-after-auth-2.0`,
            content: { environment: { id: `${staging}/auth` }, testSuite: { id: `${name}-e2e` }, outcome: 'success' },
          },
          ...(cause ? { links: [{ linkType: 'RELATION', linkKind: 'TRIGGER', target: { contextId: cause } }] } : {}),
        }),
      );
      expect(status).toBe(200);
    }
  }, 60_000);

  afterAll(async () => {
    await backend?.close();
    await argocd?.close();
  });

  it("syncs portal, admin and store once each on auth's upgrade in staging, naming it in the sync's info", () => {
    const syncs = argocd.requests.filter((r) => r.method === 'POST');
    expect(syncs.map((r) => r.path).sort()).toEqual(testApps.map((name) => `/api/v1/applications/${name}/sync`).sort());
    for (const sync of syncs) {
      expect((sync.body as { infos: unknown[] }).infos).toContainEqual({ name: CAUSE_EVENT_INFO, value: upgrade.id });
    }
  });

  it("never fires a rule on its own app's emitted events (auth's rule on auth's deployment)", async () => {
    expect(await firings('auth')).toEqual([]);
  });

  it.each(testApps)("shows auth's upgrade in %s's tab as the event that fired its trigger", async (name) => {
    const fired = (await tab(name)).find((e) => e.id === upgrade.id);
    expect(fired?.attributions).toContainEqual(
      expect.objectContaining({ rule: 'trigger', detail: expect.stringContaining('test when auth is deployed') }),
    );
    expect(await firings(name)).toEqual([expect.objectContaining({ status: 'succeeded' })]);
  });

  it('brings the test suite runs back as received events of auth', async () => {
    const runs = (await tab('auth')).filter((e) => e.subject === 'testsuiterun');
    expect(runs.map((e) => e.id).sort()).toEqual(testApps.map((name) => `${name}-e2e-after-auth-2.0`).sort());
    expect(runs.every((e) => e.direction === 'received')).toBe(true);
  });

  it('draws deploy → tests in the chain from auth’s upgrade', async () => {
    const response = await fetch(`${backend.url}/api/v1/events/${upgrade.key}/chain`, {
      headers: proxyHeaders({ namespace: 'argocd', name: 'auth' }),
    });
    const chain = (await response.json()) as ChainResponse;
    const tests = chain.nodes.filter((n) => n.stage === 'test');
    expect(tests).toHaveLength(3);
    for (const test of tests) {
      expect(chain.edges).toContainEqual(
        expect.objectContaining({ from: upgrade.key, to: test.key, kind: 'explicit', linkKind: 'TRIGGER' }),
      );
    }
  });
});
