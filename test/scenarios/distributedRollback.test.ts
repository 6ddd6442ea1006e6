/**
 * Use case 3 of the talk, distributed rollback: an inbound trigger on `portal`
 * rolls portal back when an `incident.detected` names the artifact of `auth`, a
 * service portal depends on, in production. Real backend on PostgreSQL; Argo CD
 * is an in-process Argo CD API stand-in (rollback as the API documents it), and
 * the test plays Argo CD's notification controller, which posts the app once
 * the rollback finished.
 *
 *   incident.detected (auth's artifact, prod/auth) ──fires──▶ portal's rule ──POST /rollback──▶ Argo CD
 *          ▲                                                                                     │
 *          └──────── RELATION TRIGGER ◀── service.rolledback (portal, emitted) ◀── notification ┘
 */
import { createEvent } from '../../src/cdevents';
import type { ChainResponse } from '../../src/backend/api/contract';
import type { FiringListResponse, TriggerWriteResponse } from '../../src/backend/api/triggerContract';
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
import { type ApiStandIn, type ClusterObject, createClusterState } from '../helpers/kubernetesApiStandIn';

const argocdToken = 'argocd-token-distributed-rollback';
const editor = { 'argocd-username': 'alice@example.com', 'argocd-user-groups': 'developers' };
const prod = 'https://prod.k8s.example.com';
const authPurl = 'pkg:oci/auth@1.4.0?repository_url=ghcr.io/acme/auth';

/** Pinned to a revision, as a rollback re-syncs the history entry's source with its revision. */
function application(name: string, history: Array<[string, string]>, image: string) {
  const [revision, finishedAt] = history[history.length - 1]!;
  const destination = { server: prod, namespace: name };
  return buildSyncedApplication({ name, destination, revision, finishedAt, images: [image], history });
}

describe('distributed rollback: an incident in a service portal depends on rolls portal back (real backend on PostgreSQL, in-process Argo CD API stand-in)', () => {
  let backend: TestBackend;
  let argocd: ApiStandIn;
  /** Applications Argo CD changed, waiting for the notification controller to post them. */
  const changed: ClusterObject[] = [];

  const notify = (app: object) => notifyArgocd(backend, app);
  const tab = (name: string) => listAppEvents(backend, name);

  beforeAll(async () => {
    const portal = application(
      'portal',
      [
        ['a'.repeat(40), '2026-03-02T08:00:00Z'],
        ['b'.repeat(40), '2026-03-02T10:00:00Z'],
      ],
      'ghcr.io/acme/portal:2.0.0',
    );
    const auth = application('auth', [['c'.repeat(40), '2026-03-02T09:00:00Z']], 'ghcr.io/acme/auth:1.4.0');
    const state = createClusterState({ applications: [portal, auth] });
    // Argo CD's notification controller posts after the operation, not inside the API call that started it.
    argocd = await startArgocdApiStandIn({
      state,
      token: argocdToken,
      onApplicationChanged: (app) => void changed.push(app),
    });
    backend = await startBackend({
      store: 'postgres',
      config: { argocdUrl: argocd.url, argocdToken, triggerEditors: parseEditorPolicy('group:developers') },
    });
    // The test drives evaluation itself, so the notification comes after the rollback is recorded, as in a cluster.
    await backend.app.triggerWorker.stop();
    await notify(portal);
    await notify(auth);

    const created = await fetch(`${backend.url}/api/v1/applications/argocd/portal/triggers`, {
      method: 'POST',
      headers: {
        ...proxyHeaders({ namespace: 'argocd', name: 'portal' }),
        ...editor,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        kind: 'inbound',
        name: 'roll back when auth fails in production',
        match: {
          types: ['dev.cdevents.incident.detected'],
          artifactPurl: 'pkg:oci/auth@*',
          environment: `${prod}/auth`,
        },
        action: 'rollback',
        cooldownSeconds: 0,
      }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as TriggerWriteResponse).trigger?.effect.apiCalls.join(' ')).toMatch(/rollback/);

    const { status } = await postEvents(
      backend.url,
      createEvent({
        type: 'incident.detected',
        source: 'https://alertmanager.example.com',
        id: 'incident-auth-500s',
        timestamp: '2026-03-02T11:00:00Z',
        subject: {
          id: 'incident-auth-500s',
          content: { description: 'auth answers 500', environment: { id: `${prod}/auth` }, artifactId: authPurl },
        },
      }),
    );
    expect(status).toBe(200);
    await backend.app.triggerWorker.runOnce();
    for (const app of changed.splice(0)) await notify(app);
  }, 60_000);

  afterAll(async () => {
    await backend?.close();
    await argocd?.close();
  });

  it('asks Argo CD to roll portal back to its previous revision, and only portal', () => {
    const calls = argocd.requests.filter((r) => r.method === 'POST').map((r) => r.path);
    expect(calls).toEqual(['/api/v1/applications/portal/rollback']);
    expect(argocd.requests.find((r) => r.path.endsWith('/rollback'))?.body).toMatchObject({ id: 0 });
  });

  it('records the firing with the incident that caused it', async () => {
    const response = await fetch(`${backend.url}/api/v1/applications/argocd/portal/triggers/firings`, {
      headers: proxyHeaders({ namespace: 'argocd', name: 'portal' }),
    });
    const { items } = (await response.json()) as FiringListResponse;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      status: 'succeeded',
      triggerName: 'roll back when auth fails in production',
      event: { id: 'incident-auth-500s', type: 'dev.cdevents.incident.detected.0.3.0' },
    });
    expect(items[0]!.reason).toMatch(/environment is https:\/\/prod\.k8s\.example\.com\/auth/);
    expect(items[0]!.detail).toMatch(/rolled argocd\/portal back to a{40}/);
  });

  it("links portal's service.rolledback to the incident with RELATION TRIGGER", async () => {
    const rollback = (await tab('portal')).find((e) => e.predicate === 'rolledback');
    expect(rollback).toMatchObject({ direction: 'emitted', subject: 'service' });
    expect(rollback!.links).toContainEqual(
      expect.objectContaining({
        linkType: 'RELATION',
        linkKind: 'TRIGGER',
        target: expect.objectContaining({ contextId: 'incident-auth-500s' }),
      }),
    );
  });

  it("shows the incident in portal's tab because it fired portal's trigger, and in auth's by its environment", async () => {
    const inPortal = (await tab('portal')).find((e) => e.id === 'incident-auth-500s');
    expect(inPortal?.attributions.map((a) => a.rule)).toContain('trigger');
    const inAuth = (await tab('auth')).find((e) => e.id === 'incident-auth-500s');
    expect(inAuth?.attributions.map((a) => a.rule)).toContain('environment');
  });

  it('draws incident → rollback across apps in the chain view', async () => {
    const rollback = (await tab('portal')).find((e) => e.predicate === 'rolledback')!;
    const response = await fetch(`${backend.url}/api/v1/events/${rollback.key}/chain`, {
      headers: proxyHeaders({ namespace: 'argocd', name: 'portal' }),
    });
    const chain = (await response.json()) as ChainResponse;
    const incident = chain.nodes.find((n) => n.id === 'incident-auth-500s')!;
    expect(incident.stage).toBe('incident');
    expect(incident.apps.map((a) => a.name)).toEqual(expect.arrayContaining(['auth', 'portal']));
    expect(chain.edges).toContainEqual(
      expect.objectContaining({
        from: incident.key,
        to: rollback.key,
        kind: 'explicit',
        reason: 'relation',
        linkKind: 'TRIGGER',
      }),
    );
    expect(chain.nodes.find((n) => n.key === rollback.key)?.stage).toBe('rollback');
  });
});
