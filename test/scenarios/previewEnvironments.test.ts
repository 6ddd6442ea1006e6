/**
 * Use case 5 of the talk, preview environments: an inbound `preview` action on
 * `portal` creates (or updates) a preview Application from the template the
 * user gave when a change is opened or updated, syncs the previews again on the
 * talk's advanced signals (a DB schema artifact published, a dependency's
 * service upgraded), and removes the preview when the change is merged. Real
 * backend on PostgreSQL; Argo CD is an in-process Argo CD API stand-in: the
 * shared one (sync, get) composed with create (`POST /api/v1/applications?upsert=`),
 * delete and list-by-label-selector, as the Argo CD API documents them.
 *
 *   change.created ─fires─▶ POST /applications?upsert=true (portal-<change>) + /sync {infos} ─▶ service.deployed (preview) ─TRIGGER─▶ change.created
 *   change.updated ─fires─▶ upsert with the new revision + /sync                               ─▶ service.upgraded (preview)
 *   artifact.published (DB schema) / auth upgraded ─fires─▶ /sync of every preview of portal
 *   change.merged  ─fires─▶ DELETE /applications/portal-<change>                              ─▶ service.removed (preview)
 */
import { createEvent } from '../../src/cdevents';
import type { FiringListResponse } from '../../src/backend/api/triggerContract';
import { CAUSE_EVENT_INFO } from '../../src/backend/argocd/mapApplicationState';
import { startPreviewApiStandIn } from '../../src/dev-host/startPreviewApiStandIn';
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

const token = 'argocd-token-preview-environments';
const editor = { 'argocd-username': 'alice@example.com', 'argocd-user-groups': 'web' };
const REV_1 = '1'.repeat(40);
const REV_2 = '2'.repeat(40);
const change = 'acme/portal/pull/42';
const preview = 'portal-acme-portal-pull-42';

const template = {
  metadata: { name: 'portal-{{change}}' },
  spec: {
    project: 'previews',
    source: { repoURL: 'https://github.com/acme/portal.git', path: 'deploy/preview', targetRevision: '{{revision}}' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'preview-{{change}}' },
  },
};

function application(name: string, revision: string, at: string, history: string[], image: string) {
  const entries = history.map((rev): [string, string] => [rev, at]);
  return buildSyncedApplication({
    name,
    revision,
    finishedAt: at,
    images: [image],
    history: entries,
    automated: false,
  });
}

describe('preview environments: a preview Application per change, updated on new signals, removed on merge (real backend on PostgreSQL, in-process Argo CD API stand-in)', () => {
  let backend: TestBackend;
  let shared: ApiStandIn;
  let argocd: { url: string; close(): Promise<void> };
  let state: ClusterState;
  /** What Argo CD's notification controller will post: finished syncs and deletions. */
  const changed: ClusterObject[] = [];

  const notify = (app: object) => notifyArgocd(backend, app);
  const tab = (name: string) => listAppEvents(backend, name);

  async function createRule(body: object) {
    const response = await fetch(`${backend.url}/api/v1/applications/argocd/portal/triggers`, {
      method: 'POST',
      headers: {
        ...proxyHeaders({ namespace: 'argocd', name: 'portal' }),
        ...editor,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { error?: { message: string } } };
  }

  /** A tool's event arrives; the backend acts; Argo CD's notification controller posts what changed. */
  async function happen(event: object) {
    expect((await postEvents(backend.url, event)).status).toBe(200);
    await backend.app.triggerWorker.runOnce();
    for (const app of changed.splice(0)) await notify(app);
  }

  function changeEvent(predicate: string, id: string, revision?: string) {
    return createEvent({
      type: `change.${predicate}`,
      source: 'https://github.com/acme/portal',
      id,
      timestamp: new Date().toISOString(),
      subject: { id: change, content: { repository: { id: 'https://github.com/acme/portal' } } },
      ...(revision ? { customData: { git: { revision } } } : {}),
    });
  }

  beforeAll(async () => {
    const portal = application('portal', REV_1, '2026-03-02T08:00:00Z', [REV_1], 'ghcr.io/acme/portal:3.0.0');
    const auth = application('auth', REV_1, '2026-03-02T08:00:00Z', [REV_1], 'ghcr.io/acme/auth:1.0.0');
    state = createClusterState({ applications: [portal, auth] });
    shared = await startArgocdApiStandIn({ state, token, onApplicationChanged: (app) => void changed.push(app) });
    argocd = await startPreviewApiStandIn({ state, shared, token, onDeleted: (app) => void changed.push(app) });
    backend = await startBackend({
      store: 'postgres',
      config: { argocdUrl: argocd.url, argocdToken: token, triggerEditors: parseEditorPolicy('group:web') },
    });
    await backend.app.triggerWorker.stop();
    await notify(portal);
    await notify(auth);
    await backend.app.triggerWorker.runOnce();
    const rules = [
      { name: 'a preview per pull request', match: { types: ['dev.cdevents.change'] } },
      {
        name: 'update previews when the DB schema is published',
        match: { types: ['dev.cdevents.artifact.published'], artifactPurl: 'pkg:generic/portal-db-schema@*' },
      },
      {
        name: 'update previews when auth is upgraded',
        match: { types: ['dev.cdevents.service.upgraded'], subjectId: 'argocd/auth' },
      },
    ];
    for (const rule of rules) {
      const created = await createRule({
        kind: 'inbound',
        action: 'preview',
        cooldownSeconds: 0,
        preview: { template },
        ...rule,
      });
      expect(created.status).toBe(201);
    }
  }, 60_000);

  afterAll(async () => {
    await backend?.close();
    await argocd?.close();
    await shared?.close();
  });

  it('refuses a preview rule whose template would give every change the same Application, saying why', async () => {
    const refused = await createRule({
      kind: 'inbound',
      name: 'one preview for all',
      action: 'preview',
      match: { types: ['dev.cdevents.change'] },
      preview: { template: { metadata: { name: 'portal-preview' }, spec: {} } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toMatch(/metadata\.name must hold \{\{change\}\}/);
  });

  it('creates the preview Application from the template when the change is opened, and syncs it', async () => {
    await happen(changeEvent('created', 'pr-42-opened', REV_1));
    const app = state.applications.get(`argocd/${preview}`) as ClusterObject & {
      spec: { project: string; source: { targetRevision: string }; destination: { namespace: string } };
    };
    expect(app.spec).toMatchObject({
      project: 'previews',
      source: { targetRevision: REV_1 },
      destination: { namespace: 'preview-acme-portal-pull-42' },
    });
    expect(app.metadata.labels).toEqual({
      'cdevents.dev/preview-of': 'portal',
      'cdevents.dev/change': 'acme-portal-pull-42',
    });
  });

  it('emits the preview’s deployment naming the preview (subject) and the change (RELATION TRIGGER)', async () => {
    const deployed = (await tab(preview)).find((e) => e.predicate === 'deployed');
    expect(deployed).toMatchObject({ direction: 'emitted', subjectId: `argocd/${preview}` });
    expect(deployed!.links).toContainEqual(
      expect.objectContaining({
        linkType: 'RELATION',
        linkKind: 'TRIGGER',
        target: expect.objectContaining({ contextId: 'pr-42-opened' }),
      }),
    );
  });

  it('updates the preview to the new revision when the change is updated', async () => {
    await happen(changeEvent('updated', 'pr-42-pushed', REV_2));
    const app = state.applications.get(`argocd/${preview}`) as ClusterObject & {
      spec: { source: { targetRevision: string } };
    };
    expect(app.spec.source.targetRevision).toBe(REV_2);
    const upgraded = (await tab(preview)).find((e) => e.predicate === 'upgraded');
    expect(upgraded!.links).toContainEqual(
      expect.objectContaining({ target: expect.objectContaining({ contextId: 'pr-42-pushed' }) }),
    );
  });

  it.each([
    [
      'a DB schema artifact published',
      () =>
        happen(
          createEvent({
            type: 'artifact.published',
            source: 'https://ci.example.com',
            id: 'schema-17',
            subject: { id: 'pkg:generic/portal-db-schema@17', content: {} },
          }),
        ),
      'schema-17',
    ],
    [
      'a dependency’s service upgraded',
      async () => {
        const upgrade = application('auth', REV_2, new Date().toISOString(), [REV_1, REV_2], 'ghcr.io/acme/auth:2.0.0');
        await notify(upgrade);
        await backend.app.triggerWorker.runOnce();
        for (const app of changed.splice(0)) await notify(app);
      },
      undefined,
    ],
  ])('syncs the previews again on %s, naming it in the sync’s info', async (_signal, signal, causeId) => {
    const seen = shared.requests.length;
    await signal();
    const syncs = shared.requests.slice(seen).filter((r) => r.path === `/api/v1/applications/${preview}/sync`);
    expect(syncs).toHaveLength(1);
    const infos = (syncs[0]!.body as { infos: Array<{ name: string; value: string }> }).infos;
    const cause = infos.find((info) => info.name === CAUSE_EVENT_INFO)!.value;
    if (causeId) expect(cause).toBe(causeId);
    else expect((await tab('auth')).find((e) => e.predicate === 'upgraded')?.id).toBe(cause);
  });

  it('removes the preview when the change is merged, and emits its removal', async () => {
    await happen(changeEvent('merged', 'pr-42-merged'));
    expect(state.applications.has(`argocd/${preview}`)).toBe(false);
    expect((await tab(preview)).map((e) => e.predicate)).toContain('removed');
  });

  it("shows each change event in portal's tab as what fired its preview rule, with what Argo CD did", async () => {
    const response = await fetch(`${backend.url}/api/v1/applications/argocd/portal/triggers/firings`, {
      headers: proxyHeaders({ namespace: 'argocd', name: 'portal' }),
    });
    const details = ((await response.json()) as FiringListResponse).items.map((f) => [f.event.id, f.status, f.detail]);
    expect(details).toEqual(
      expect.arrayContaining([
        [
          'pr-42-opened',
          'succeeded',
          expect.stringMatching(/created or updated the preview argocd\/portal-acme-portal-pull-42/),
        ],
        ['pr-42-merged', 'succeeded', expect.stringMatching(/removed the preview argocd\/portal-acme-portal-pull-42/)],
      ]),
    );
    const opened = (await tab('portal')).find((e) => e.id === 'pr-42-opened');
    expect(opened?.attributions.map((a) => a.rule)).toContain('trigger');
  });
});
