/**
 * Triggers over HTTP on the real backend, applied to in-process servers that
 * follow the Kubernetes and Argo CD APIs' documented behaviour (409 Conflict on
 * a stale resourceVersion, 403 Forbidden, 404 NotFound; sync with infos).
 *
 *   artifact.published ──fires──▶ inbound rule ──POST /sync (once, 2 replicas)──▶ Argo CD
 *          ▲                                                                       │ sync done, notification
 *          └────────────── RELATION TRIGGER ◀── service.upgraded ◀── backend ◀────┘
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type {
  AuditListResponse,
  DryRunResponse,
  FiringListResponse,
  TriggerListResponse,
  TriggerValidationErrorBody,
  TriggerWriteResponse,
} from '../../src/backend/api/triggerContract';
import type { EventListResponse } from '../../src/backend/api/contract';
import { createStore } from '../../src/backend/store/createStore';
import type { EventStore } from '../../src/backend/store/types';
import { listOwnedConfigMapKeys } from '../../src/backend/triggers/buildOutboundPlan';
import { parseEditorPolicy } from '../../src/backend/triggers/editorPolicy';
import {
  type TestBackend,
  createTestDatabase,
  ingestHeaders,
  postEvents,
  proxyHeaders,
  startBackend,
  testIngestToken,
} from '../helpers/backend';
import { startArgocdApiStandIn } from '../helpers/argocdApiStandIn';
import {
  type ApiStandIn,
  type ClusterObject,
  type ClusterState,
  createClusterState,
  startKubernetesApiStandIn,
} from '../helpers/kubernetesApiStandIn';

jest.setTimeout(60_000);

const app = { namespace: 'argocd', name: 'auth' };
const editor = { 'argocd-username': 'alice@example.com', 'argocd-user-groups': 'developers,platform-team' };
const k8sToken = 'kubernetes-token-0123456789';
const argocdToken = 'argocd-token-0123456789';

function buildApplication(): ClusterObject {
  const at = '2025-10-01T10:00:00Z';
  const source = { repoURL: 'https://github.com/example/auth.git', path: 'deploy', targetRevision: 'v1.0.0' };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'auth',
      namespace: 'argocd',
      uid: '4b1f6a52-7b0e-4f3e-9f55-0c8d1a2b3c4d',
      annotations: { 'team.example.com/owner': 'identity', 'notifications.argoproj.io/subscribe.on-sync.slack': 'ops' },
    },
    spec: { project: 'default', source, destination: { server: 'https://kubernetes.default.svc', namespace: 'auth' } },
    status: {
      sync: { status: 'Synced', revision: 'v1.0.0' },
      health: { status: 'Healthy' },
      operationState: {
        phase: 'Succeeded',
        startedAt: at,
        finishedAt: '2025-10-01T10:00:05Z',
        operation: { sync: { revision: 'v1.0.0' } },
        syncResult: { revision: 'v1.0.0', source },
      },
      history: [{ id: 0, revision: 'v1.0.0', source, deployStartedAt: at, deployedAt: '2025-10-01T10:00:05Z' }],
    },
  };
}

/** argocd-notifications-cm as an operator left it: entries of theirs, in their own formatting. */
function buildNotificationsConfigMap(): ClusterObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'argocd-notifications-cm', namespace: 'argocd' },
    data: {
      'service.slack': 'token: $slack-token\n',
      'trigger.on-sync': "- when: app.status.operationState.phase in ['Succeeded']\n  send: [app-sync]\n",
      subscriptions: '- recipients: [slack:ops]\n  triggers: [on-sync]\n',
    },
  };
}

function publishedArtifact(id: string, version: string) {
  return {
    context: {
      specversion: '0.5.1',
      id,
      source: '/ci/auth',
      type: 'dev.cdevents.artifact.published.0.3.0',
      timestamp: new Date().toISOString(),
      chainId: `chain-${id}`,
    },
    subject: { id: `pkg:oci/auth@${version}?repository_url=ghcr.io/example/auth`, content: {} },
  };
}

const syncRule = {
  kind: 'inbound',
  name: 'deploy new images',
  match: { types: ['dev.cdevents.artifact.published'], artifactPurl: 'pkg:oci/auth@*' },
  action: 'sync-revision',
  cooldownSeconds: 0,
};

async function call<T>(
  backend: TestBackend,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = editor,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${backend.url}/api/v1/applications/argocd/auth/triggers${path}`, {
    method,
    headers: {
      ...proxyHeaders(app),
      ...headers,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function notifyBackend(url: string, application: ClusterObject): Promise<void> {
  const response = await fetch(`${url}/api/v1/argocd/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${testIngestToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ app: application, context: {} }),
  });
  if (response.status !== 200) throw new Error(`notification answered ${response.status}: ${await response.text()}`);
}

interface Cluster {
  state: ClusterState;
  kubernetes: ApiStandIn;
  argocd: ApiStandIn;
  /** Where finished syncs are posted, as Argo CD's notifications controller would. */
  notifyUrl: { current?: string };
  close(): Promise<void>;
}

async function startCluster(options: { forbidden?: string[]; forbiddenApps?: string[] } = {}): Promise<Cluster> {
  const state = createClusterState({ applications: [buildApplication()], configMaps: [buildNotificationsConfigMap()] });
  const notifyUrl: { current?: string } = {};
  const kubernetes = await startKubernetesApiStandIn({ state, token: k8sToken, forbidden: options.forbidden });
  const argocd = await startArgocdApiStandIn({
    state,
    token: argocdToken,
    forbiddenApps: options.forbiddenApps,
    onApplicationChanged: (application) =>
      notifyUrl.current ? notifyBackend(notifyUrl.current, application) : undefined,
  });
  return {
    state,
    kubernetes,
    argocd,
    notifyUrl,
    async close() {
      await kubernetes.close();
      await argocd.close();
    },
  };
}

function clusterConfig(cluster: Cluster) {
  return {
    kubernetesUrl: cluster.kubernetes.url,
    kubernetesToken: k8sToken,
    argocdUrl: cluster.argocd.url,
    argocdToken,
    triggerEditors: parseEditorPolicy('user:alice@example.com,group:release-managers'),
  };
}

describe('trigger routes (in-process Kubernetes API stand-in)', () => {
  let cluster: Cluster;
  let backend: TestBackend;

  beforeAll(async () => {
    cluster = await startCluster();
    backend = await startBackend({ config: clusterConfig(cluster) });
  });
  afterAll(async () => {
    await backend?.close();
    await cluster?.close();
  });

  it('lets anyone the proxy admits read, and says who may write', async () => {
    const reader = await call<TriggerListResponse>(backend, 'GET', '', undefined, { 'argocd-username': 'bob' });
    expect(reader.status).toBe(200);
    expect(reader.body.access.canWrite).toBe(false);
    expect(reader.body.access.reason).toContain('CDEVENTS_TRIGGER_EDITORS');
    expect(reader.body.moments.map((moment) => moment.id)).toContain('rolled-back');
    const writer = await call<TriggerListResponse>(backend, 'GET', '');
    expect(writer.body.access).toEqual({
      canWrite: true,
      reason: 'user alice@example.com is listed in CDEVENTS_TRIGGER_EDITORS',
    });
  });

  it.each([
    ['a user outside the policy', { 'argocd-username': 'bob', 'argocd-user-groups': 'developers' }],
    ['a request without Argocd-Username', {} as Record<string, string>],
  ])('refuses a write from %s with 403 naming the policy', async (_label, headers) => {
    const response = await call<{ error: { name: string; message: string } }>(backend, 'POST', '', syncRule, headers);
    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain('CDEVENTS_TRIGGER_EDITORS');
  });

  it('lets a member of a listed group write', async () => {
    const response = await call<TriggerWriteResponse>(
      backend,
      'POST',
      '',
      { ...syncRule, name: 'by group' },
      { 'argocd-username': 'carol', 'argocd-user-groups': 'release-managers' },
    );
    expect(response.status).toBe(201);
    expect(response.body.trigger?.createdBy).toBe('carol');
    await call(backend, 'DELETE', `/${response.body.trigger!.id}`, undefined, editor);
  });

  it.each([
    ['no name', { ...syncRule, name: '' }, 'name'],
    ['no event type', { ...syncRule, match: { types: [] } }, 'match.types'],
    ['a type outside CDEvents', { ...syncRule, match: { types: ['com.example.thing'] } }, 'match.types'],
    [
      'a purl pattern that is not a purl',
      { ...syncRule, match: { types: ['dev.cdevents.artifact'], artifactPurl: 'auth*' } },
      'match.artifactPurl',
    ],
    ['an unknown action', { ...syncRule, action: 'restart' }, 'action'],
    ['a negative cooldown', { ...syncRule, cooldownSeconds: -5 }, 'cooldownSeconds'],
    ['annotate without a key', { ...syncRule, action: 'annotate' }, 'annotationKey'],
    ['an unknown moment', { kind: 'outbound', name: 'x', moments: ['exploded'] }, 'moments'],
    [
      'an outcome no CDEvent carries',
      { ...syncRule, match: { types: ['dev.cdevents.testcaserun.finished'], outcome: 'maybe' } },
      'match.outcome',
    ],
  ])('answers 400 with the problem at its field for %s', async (_label, body, field) => {
    const response = await call<TriggerValidationErrorBody>(backend, 'POST', '', body);
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('ValidationError');
    expect(Object.keys(response.body.error.fields)).toContain(field);
    expect(response.body.error.message).toContain(field);
  });

  it('refuses an outcome outside the spec with 400 naming the field and the allowed values', async () => {
    const response = await call<TriggerValidationErrorBody>(backend, 'POST', '', {
      ...syncRule,
      name: 'maybe',
      match: { types: ['dev.cdevents.testcaserun.finished'], outcome: 'maybe' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.fields['match.outcome']).toBe(
      'the outcome must be one of cancel, error, fail, failure, pass, success (or left empty): "maybe" is none',
    );
    const accepted = await call<TriggerWriteResponse>(backend, 'POST', '', {
      ...syncRule,
      name: 'failed tests',
      match: { types: ['dev.cdevents.testcaserun.finished'], outcome: 'Failure' },
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.trigger?.match?.outcome).toBe('failure');
    await call(backend, 'DELETE', `/${accepted.body.trigger!.id}`);
  });

  it('refuses a second trigger of the same name on the app with 409 naming it, on create and on rename', async () => {
    const first = await call<TriggerWriteResponse>(backend, 'POST', '', { ...syncRule, name: 'only once' });
    expect(first.status).toBe(201);
    const second = await call<{ error: { name: string; message: string; fields: Record<string, string> } }>(
      backend,
      'POST',
      '',
      { ...syncRule, name: '  only once ' },
    );
    expect(second.status).toBe(409);
    expect(second.body.error.name).toBe('ConflictError');
    expect(second.body.error.message).toBe(
      'argocd/auth already has an inbound trigger named "only once": choose another name',
    );
    expect(second.body.error.fields.name).toBe(second.body.error.message);

    const other = await call<TriggerWriteResponse>(backend, 'POST', '', { ...syncRule, name: 'another' });
    const renamed = await call<{ error: { message: string } }>(backend, 'PUT', `/${other.body.trigger!.id}`, {
      ...syncRule,
      name: 'only once',
    });
    expect(renamed.status).toBe(409);
    expect(renamed.body.error.message).toContain('"only once"');
    // Saving a rule under its own name is no clash.
    const resaved = await call(backend, 'PUT', `/${first.body.trigger!.id}`, { ...syncRule, name: 'only once' });
    expect(resaved.status).toBe(200);
    const list = await call<TriggerListResponse>(backend, 'GET', '');
    expect(list.body.items.filter((item) => item.name === 'only once')).toHaveLength(1);
    await call(backend, 'DELETE', `/${first.body.trigger!.id}`);
    await call(backend, 'DELETE', `/${other.body.trigger!.id}`);
  });

  it('applies an outbound rule: owned annotations and ConfigMap keys written, everything else byte for byte', async () => {
    const before = structuredClone(cluster.state.configMaps.get('argocd/argocd-notifications-cm')!);
    const created = await call<TriggerWriteResponse>(backend, 'POST', '', {
      kind: 'outbound',
      name: 'deploys and rollbacks',
      moments: ['deployed', 'rolled-back', 'degraded'],
      sinks: [],
    });
    expect(created.status).toBe(201);
    expect(created.body.applied?.status).toBe('applied');
    const annotations = (cluster.state.applications.get('argocd/auth')!.metadata.annotations ?? {}) as Record<
      string,
      string
    >;
    expect(annotations).toEqual({
      'team.example.com/owner': 'identity',
      'notifications.argoproj.io/subscribe.on-sync.slack': 'ops',
      'notifications.argoproj.io/subscribe.cdevents-on-deployed.cdevents': '',
      'notifications.argoproj.io/subscribe.cdevents-on-health-degraded.cdevents': '',
      'notifications.argoproj.io/subscribe.cdevents-on-sync-status-unknown.cdevents': '',
    });
    const data = cluster.state.configMaps.get('argocd/argocd-notifications-cm')!.data as Record<string, string>;
    for (const [key, value] of Object.entries(before.data as Record<string, string>)) expect(data[key]).toBe(value);
    // Every owned key (the whole generator output but `subscriptions`), so the global subscription keeps working.
    expect(Object.keys(data).sort()).toEqual(
      [...Object.keys(before.data as object), ...listOwnedConfigMapKeys()].sort(),
    );
    expect(data['service.webhook.cdevents']).toContain('/api/v1/argocd/notifications?instance=default');
    // What the panel previews before saving (the catalog's owned keys) and lists after it is what was written.
    const catalog = await call<TriggerListResponse>(backend, 'GET', '');
    expect([...created.body.applied!.configMapKeysWritten].sort()).toEqual(
      [...catalog.body.configMap.ownedKeys].sort(),
    );
    expect(created.body.trigger!.effect.configMapKeys).toEqual(catalog.body.configMap.ownedKeys);

    // Narrowing the moments removes only our annotations that no rule wants any more.
    const updated = await call<TriggerWriteResponse>(backend, 'PUT', `/${created.body.trigger!.id}`, {
      kind: 'outbound',
      name: 'deploys only',
      moments: ['deployed'],
      version: created.body.trigger!.version,
    });
    expect(updated.status).toBe(200);
    expect(updated.body.applied?.annotationsRemoved.sort()).toEqual([
      'notifications.argoproj.io/subscribe.cdevents-on-health-degraded.cdevents',
      'notifications.argoproj.io/subscribe.cdevents-on-sync-status-unknown.cdevents',
    ]);
    const deleted = await call<TriggerWriteResponse>(backend, 'DELETE', `/${created.body.trigger!.id}`);
    expect(deleted.status).toBe(200);
    expect(cluster.state.applications.get('argocd/auth')!.metadata.annotations).toEqual({
      'team.example.com/owner': 'identity',
      'notifications.argoproj.io/subscribe.on-sync.slack': 'ops',
    });
  });

  it('refuses an edit from a stale version with 409 and keeps the newer one', async () => {
    const created = await call<TriggerWriteResponse>(backend, 'POST', '', { ...syncRule, name: 'v1' });
    const id = created.body.trigger!.id;
    expect((await call(backend, 'PUT', `/${id}`, { ...syncRule, name: 'v2', version: 1 })).status).toBe(200);
    const stale = await call<{ error: { message: string } }>(backend, 'PUT', `/${id}`, {
      ...syncRule,
      name: 'v3',
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toContain('version 2');
    expect((await call<{ name: string }>(backend, 'GET', `/${id}`)).body.name).toBe('v2');
    await call(backend, 'DELETE', `/${id}`);
  });

  it('audits every change with who, when, before and after', async () => {
    const created = await call<TriggerWriteResponse>(backend, 'POST', '', { ...syncRule, name: 'audited' });
    const id = created.body.trigger!.id;
    await call(backend, 'PUT', `/${id}`, { ...syncRule, name: 'audited', enabled: false });
    await call(backend, 'DELETE', `/${id}`);
    const audit = await call<AuditListResponse>(backend, 'GET', '/audit');
    const mine = audit.body.items.filter((item) => item.triggerId === id);
    expect(mine.map((item) => item.change)).toEqual(['delete', 'update', 'create']);
    expect(mine.every((item) => item.actor === 'alice@example.com')).toBe(true);
    expect(mine[0]!.actorGroups).toEqual(['developers', 'platform-team']);
    expect(mine[1]!.before?.enabled).toBe(true);
    expect(mine[1]!.after?.enabled).toBe(false);
    expect(mine[2]!.before).toBeNull();
    expect(mine[0]!.after).toBeNull();
  });

  it('dry-runs in the order events happened: a backlog posted newest first is not skipped as "cooldown"', async () => {
    // Three releases a day apart, posted in one go and newest first, as a backfill would.
    const releases = ['3', '2', '1'].map((minor, index) => ({
      ...publishedArtifact(`dry-run-1.${minor}.0`, `1.${minor}.0`),
      context: {
        ...publishedArtifact(`dry-run-1.${minor}.0`, `1.${minor}.0`).context,
        timestamp: new Date(Date.UTC(2025, 8, 10 - index, 10)).toISOString(),
      },
    }));
    for (const release of releases) expect((await postEvents(backend.url, release)).status).toBe(200);
    const result = await call<DryRunResponse>(backend, 'POST', '/dry-run', {
      ...syncRule,
      name: 'draft',
      match: { types: ['dev.cdevents.artifact.published'], artifactPurl: 'pkg:oci/auth@1.*' },
      cooldownSeconds: 600,
    });
    expect(result.status).toBe(200);
    expect(result.body.items.map((item) => [item.event.id, item.outcome, item.event.at, item.action])).toEqual([
      ['dry-run-1.3.0', 'fire', '2025-09-10T10:00:00.000Z', 'sync argocd/auth to 1.3.0'],
      ['dry-run-1.2.0', 'fire', '2025-09-09T10:00:00.000Z', 'sync argocd/auth to 1.2.0'],
      ['dry-run-1.1.0', 'fire', '2025-09-08T10:00:00.000Z', 'sync argocd/auth to 1.1.0'],
    ]);
  });

  it('reads a preview template sent as YAML text, and answers 400 naming the line of a problem', async () => {
    const preview = (templateText: string) => ({
      kind: 'inbound',
      name: 'previews from YAML',
      match: { types: ['dev.cdevents.change'] },
      action: 'preview',
      preview: { templateText },
    });
    const text = 'metadata:\n  name: auth-{{change}}  # one per change\nspec:\n  project: default\n';
    const created = await call<TriggerWriteResponse>(backend, 'POST', '', preview(text));
    expect(created.status).toBe(201);
    expect(created.body.trigger?.preview).toEqual({
      template: { metadata: { name: 'auth-{{change}}' }, spec: { project: 'default' } },
      templateText: text,
    });
    await call(backend, 'DELETE', `/${created.body.trigger!.id}`);

    const refused = await call<TriggerValidationErrorBody>(
      backend,
      'POST',
      '',
      preview('metadata:\n  name: auth-{{change}}\n spec: {}\n'),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields['preview.template']).toBe(
      'line 3, column 1: All mapping items must start at the same column',
    );
  });

  it('answers 404 for a trigger of another app or an unknown id', async () => {
    expect((await call(backend, 'GET', '/no-such-trigger')).status).toBe(404);
    expect((await call(backend, 'DELETE', '/no-such-trigger')).status).toBe(404);
  });
});

describe('applying outbound rules when Kubernetes refuses (in-process Kubernetes API stand-in)', () => {
  it('retries a ConfigMap write that got 409 Conflict against the newer object, keeping the other writer’s entry', async () => {
    const cluster = await startCluster();
    let conflicts = 0;
    const kubernetes = await startKubernetesApiStandIn({
      state: cluster.state,
      token: k8sToken,
      // Another writer changes the ConfigMap between our read and our write, twice.
      beforeConfigMapWrite: (state, key) => {
        if (conflicts >= 2) return;
        conflicts += 1;
        const current = state.configMaps.get(key)!;
        state.configMaps.set(key, {
          ...current,
          data: { ...(current.data as object), [`template.other-${conflicts}`]: 'message: hi\n' },
          metadata: { ...current.metadata, resourceVersion: state.nextResourceVersion() },
        });
      },
    });
    const backend = await startBackend({ config: { ...clusterConfig(cluster), kubernetesUrl: kubernetes.url } });
    try {
      const created = await call<TriggerWriteResponse>(backend, 'POST', '', {
        kind: 'outbound',
        name: 'o',
        moments: ['deployed'],
      });
      expect(created.body.applied).toMatchObject({ status: 'applied', attempts: 3 });
      const data = cluster.state.configMaps.get('argocd/argocd-notifications-cm')!.data as Record<string, string>;
      expect(data['template.other-1']).toBe('message: hi\n');
      expect(data['template.other-2']).toBe('message: hi\n');
      expect(data['trigger.cdevents-on-deployed']).toContain("phase == 'Succeeded'");
      expect(kubernetes.requests.filter((request) => request.method === 'PUT')).toHaveLength(3);
    } finally {
      await backend.close();
      await kubernetes.close();
      await cluster.close();
    }
  });

  it.each([
    [
      '403 Forbidden on the ConfigMap',
      { forbidden: ['update configmaps'] },
      /answered 403.*cannot update resource "configmaps"/,
    ],
    ['404 NotFound for the Application', { missingApp: true }, /answered 404.*applications "auth" not found/],
  ])('saves the rule and reports %s as not applied', async (_label, setup, message) => {
    const cluster = await startCluster({ forbidden: 'forbidden' in setup ? setup.forbidden : [] });
    if ('missingApp' in setup) cluster.state.applications.clear();
    const backend = await startBackend({ config: clusterConfig(cluster) });
    try {
      const created = await call<TriggerWriteResponse>(backend, 'POST', '', {
        kind: 'outbound',
        name: 'o',
        moments: ['deployed'],
      });
      expect(created.status).toBe(201);
      expect(created.body.applied?.status).toBe('failed');
      expect(created.body.applied?.message).toMatch(message);
      const listed = await call<TriggerListResponse>(backend, 'GET', '');
      expect(listed.body.items[0]?.applied?.status).toBe('failed');
    } finally {
      await backend.close();
      await cluster.close();
    }
  });
});

async function waitFor<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('an artifact.published fires a sync once across two replicas on PostgreSQL (in-process Argo CD API stand-in)', () => {
  let cluster: Cluster;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const stores: EventStore[] = [];
  const replicas: TestBackend[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    database = await createTestDatabase('cdevents_triggers');
    for (let index = 0; index < 2; index += 1) {
      const store = await createStore({ databaseUrl: database.url, dataDir: '', databasePoolSize: 4 });
      stores.push(store);
      replicas.push(await startBackend({ config: clusterConfig(cluster), deps: { store } }));
    }
    cluster.notifyUrl.current = replicas[0]!.url;
    await notifyBackend(replicas[0]!.url, cluster.state.applications.get('argocd/auth')!);
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    for (const store of stores) await store.close();
    await database?.drop();
    await cluster?.close();
  });

  it('syncs to the artifact’s version once, records the firing, and the next service.upgraded links back to it', async () => {
    const created = await call<TriggerWriteResponse>(replicas[1]!, 'POST', '', syncRule);
    expect(created.status).toBe(201);
    expect(created.body.trigger!.effect.apiCalls[0]).toContain('POST /api/v1/applications/auth/sync');

    expect((await postEvents(replicas[1]!.url, publishedArtifact('auth-1.1.0', 'v1.1.0'))).status).toBe(200);
    await Promise.all(
      replicas.flatMap((replica) => [replica.app.triggerWorker.runOnce(), replica.app.triggerWorker.runOnce()]),
    );

    const firings = await waitFor(async () => {
      const response = await call<FiringListResponse>(replicas[0]!, 'GET', '/firings');
      return response.body.items.some((item) => item.status === 'succeeded') ? response.body.items : undefined;
    }, 'the firing to finish');
    expect(firings).toHaveLength(1);
    expect(firings[0]).toMatchObject({ status: 'succeeded', event: { id: 'auth-1.1.0' } });
    expect(firings[0]!.detail).toContain('to v1.1.0');
    const syncs = cluster.argocd.requests.filter((request) => request.path.endsWith('/sync'));
    expect(syncs).toHaveLength(1);
    expect(syncs[0]!.body).toMatchObject({
      revision: 'v1.1.0',
      appNamespace: 'argocd',
      infos: [
        { name: 'cdevents-event-id', value: 'auth-1.1.0' },
        { name: 'cdevents-chain-id', value: 'chain-auth-1.1.0' },
      ],
    });

    // Argo CD's notifications controller posts the finished sync after the sync call answered.
    const upgraded = await waitFor(async () => {
      const page = await fetch(`${replicas[0]!.url}/api/v1/applications/argocd/auth/events?direction=emitted`, {
        headers: proxyHeaders(app),
      });
      const items = ((await page.json()) as EventListResponse).items;
      return items.find((item) => item.type?.startsWith('dev.cdevents.service.upgraded'));
    }, "the sync's service.upgraded");
    expect(upgraded?.links).toContainEqual(
      expect.objectContaining({
        linkType: 'RELATION',
        linkKind: 'TRIGGER',
        target: { contextId: 'auth-1.1.0' },
        // The firing of ours names its rule; the operation's info alone could have been set by anyone.
        tags: { reason: 'fired trigger "deploy new images" (sync-revision)' },
      }),
    );
    expect(upgraded?.chainId).toBe('chain-auth-1.1.0');

    // The event that fired the rule is in the app's tab, saying so.
    const received = await fetch(`${replicas[0]!.url}/api/v1/applications/argocd/auth/events?direction=received`, {
      headers: proxyHeaders(app),
    });
    const fired = ((await received.json()) as EventListResponse).items.find((item) => item.id === 'auth-1.1.0');
    expect(fired?.attributions.map((attribution) => attribution.rule)).toContain('trigger');
  });

  it('skips a second matching event inside the cooldown and says why', async () => {
    const created = await call<TriggerWriteResponse>(replicas[0]!, 'POST', '', {
      ...syncRule,
      name: 'refresh on test runs',
      match: { types: ['dev.cdevents.artifact.published'], artifactPurl: 'pkg:oci/auth@v2*' },
      action: 'refresh',
      cooldownSeconds: 3600,
    });
    for (const version of ['v2.0.0', 'v2.0.1']) {
      expect((await postEvents(replicas[0]!.url, publishedArtifact(`auth-${version}`, version))).status).toBe(200);
      await replicas[0]!.app.triggerWorker.runOnce();
    }
    const firings = (await call<FiringListResponse>(replicas[0]!, 'GET', '/firings')).body.items.filter(
      (item) => item.triggerId === created.body.trigger!.id,
    );
    expect(firings.map((item) => [item.event.id, item.status])).toEqual([
      ['auth-v2.0.1', 'skipped'],
      ['auth-v2.0.0', 'succeeded'],
    ]);
    expect(firings[0]!.reason).toContain('cooldown');
    expect(cluster.argocd.requests.filter((request) => request.path.includes('refresh=normal'))).toHaveLength(1);

    const dryRun = await call<DryRunResponse>(replicas[0]!, 'POST', `/${created.body.trigger!.id}/dry-run`);
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.items.map((item) => [item.event.id, item.outcome])).toEqual([
      ['auth-v2.0.1', 'cooldown'],
      ['auth-v2.0.0', 'fire'],
    ]);
    expect(dryRun.body.items[1]!.action).toBe('refresh argocd/auth');
    expect(dryRun.body.items[1]!.reasons).toContain('type is dev.cdevents.artifact.published.0.3.0');
  });

  it('records a failed action with Argo CD’s answer when the token may not act on the app (403)', async () => {
    const forbidden = await startArgocdApiStandIn({
      state: cluster.state,
      token: argocdToken,
      forbiddenApps: ['argocd/auth'],
    });
    const replica = await startBackend({
      config: { ...clusterConfig(cluster), argocdUrl: forbidden.url },
      deps: { store: stores[0]! },
    });
    try {
      const created = await call<TriggerWriteResponse>(replica, 'POST', '', {
        ...syncRule,
        name: 'annotate',
        match: { types: ['dev.cdevents.artifact.published'], artifactPurl: 'pkg:oci/auth@v3*' },
        action: 'annotate',
        annotationKey: 'example.com/last-artifact',
      });
      for (const replicaToStop of replicas) await replicaToStop.app.triggerWorker.stop();
      expect((await postEvents(replica.url, publishedArtifact('auth-v3', 'v3.0.0'))).status).toBe(200);
      await replica.app.triggerWorker.runOnce();
      const firing = (await call<FiringListResponse>(replica, 'GET', '/firings')).body.items.find(
        (item) => item.triggerId === created.body.trigger!.id,
      );
      expect(firing?.status).toBe('failed');
      expect(firing?.detail).toMatch(/answered 403: permission denied: applications, update, default\/auth/);
    } finally {
      await replica.close();
      await forbidden.close();
      for (const replicaToStart of replicas) replicaToStart.app.triggerWorker.start();
    }
  });
});

describe('events stored but not yet evaluated survive a restart (PGlite)', () => {
  it('evaluates them when the backend starts again', async () => {
    const cluster = await startCluster();
    const dataDir = mkdtempSync(join(tmpdir(), 'cdevents-triggers-'));
    try {
      let store = await createStore({ databaseUrl: undefined, dataDir, databasePoolSize: 1 });
      let backend = await startBackend({ config: clusterConfig(cluster), deps: { store } });
      await call(backend, 'POST', '', { ...syncRule, action: 'refresh' });
      await backend.app.triggerWorker.stop();
      expect((await postEvents(backend.url, publishedArtifact('auth-restart', 'v9.0.0'), ingestHeaders())).status).toBe(
        200,
      );
      await backend.close();
      await store.close();
      expect(cluster.argocd.requests).toHaveLength(0);

      store = await createStore({ databaseUrl: undefined, dataDir, databasePoolSize: 1 });
      backend = await startBackend({ config: clusterConfig(cluster), deps: { store } });
      try {
        await backend.app.triggerWorker.runOnce();
        expect(cluster.argocd.requests.map((request) => request.path)).toEqual([
          '/api/v1/applications/auth?refresh=normal&appNamespace=argocd',
        ]);
      } finally {
        await backend.close();
        await store.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await cluster.close();
    }
  });
});

describe('outbound rules choose what is forwarded (in-process Kubernetes API stand-in)', () => {
  let cluster: Cluster;
  let backend: TestBackend;
  beforeAll(async () => {
    cluster = await startCluster();
    backend = await startBackend({ config: clusterConfig(cluster) });
    // What startForwarding registers from CDEVENTS_SINKS at start; the test helper does not forward.
    await backend.store.sql.query(
      `INSERT INTO outbox_sinks (name, kind, spec_version, max_attempts)
       VALUES ('audit', 'http', '0.5.1', 5), ('flux', 'http', '0.4.1', 5)`,
    );
  });
  afterAll(async () => {
    await backend?.close();
    await cluster?.close();
  });

  it('queues only the app’s chosen moments, and only for its chosen sinks', async () => {
    const created = await call<TriggerWriteResponse>(backend, 'POST', '', {
      kind: 'outbound',
      name: 'deploys to Flux',
      moments: ['deployed'],
      sinks: ['flux'],
    });
    expect(created.status).toBe(201);

    const deployed = buildApplication();
    await notifyBackend(backend.url, deployed);
    const degraded = structuredClone(deployed);
    (degraded.status as { health: { status: string; message?: string } }).health = {
      status: 'Degraded',
      message: 'Deployment "auth" exceeded its progress deadline',
    };
    await notifyBackend(backend.url, degraded);

    const { rows: emitted } = await backend.store.sql.query<{ type: string }>(
      `SELECT type FROM events WHERE direction = 'emitted' ORDER BY seq`,
    );
    expect(emitted.map((row) => row.type.split('.').slice(2, 4).join('.'))).toEqual([
      'service.deployed',
      'incident.detected',
    ]);
    const { rows: queued } = await backend.store.sql.query<{ sink: string; type: string }>(
      `SELECT o.sink, e.type FROM outbox o JOIN events e ON e.seq = o.event_seq ORDER BY o.sink, e.seq`,
    );
    expect(queued.map((row) => [row.sink, row.type.split('.').slice(2, 4).join('.')])).toEqual([
      ['flux', 'service.deployed'],
    ]);
  });
});
