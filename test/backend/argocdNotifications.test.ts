/**
 * POST /api/v1/argocd/notifications over real HTTP on the real app, on PGlite
 * and on the real PostgreSQL, fed the notification bodies cdviz captured from a
 * real Argo CD (found by the test-data resolver).
 */
import type { ErrorBody, EventListResponse, IngestResponse } from '../../src/backend/api/contract';
import { createApplicationStore } from '../../src/backend/store/applicationStore';
import {
  ingestHeaders,
  postEvents,
  proxyHeaders,
  startBackend,
  storeKinds,
  type TestBackend,
} from '../helpers/backend';
import { readCapturedNotifications } from './argocd/fixtures';

jest.setTimeout(60_000);

const captured = readCapturedNotifications();
const byFile = (file: string) => captured.find((item) => item.file === file)!.body;
/** The captured podinfo Helm app (uid 648b…), in the order Argo CD sent its states. */
const podinfoStory = captured
  .filter((item) => item.body.app.metadata.uid === '648b3973-e90b-4496-84c0-febef8536eec')
  .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp))
  .map((item) => item.body);

async function notify(
  backend: TestBackend,
  body: unknown,
  options: { instance?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: IngestResponse & ErrorBody }> {
  const query = options.instance ? `?instance=${encodeURIComponent(options.instance)}` : '';
  const response = await fetch(`${backend.url}/api/v1/argocd/notifications${query}`, {
    method: 'POST',
    headers: options.headers ?? ingestHeaders(),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as IngestResponse & ErrorBody };
}

async function listEmitted(backend: TestBackend, instance: string, namespace: string, name: string) {
  const response = await fetch(
    `${backend.url}/api/v1/applications/${namespace}/${name}/events?direction=emitted&limit=1000`,
    {
      headers: proxyHeaders({ namespace, name, instance }),
    },
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as EventListResponse).items;
}

function typeOf(payload: unknown): string {
  const type = (payload as { context: { type: string } }).context.type;
  return type.replace(/^dev\.cdevents\./, '').replace(/\.\d+\.\d+\.\d+$/, '');
}

describe.each(storeKinds)('POST /api/v1/argocd/notifications on %s', (kind) => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startBackend({ store: kind });
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('stores the events a captured notification implies and shows them in the app’s tab', async () => {
    const response = await notify(backend, byFile('010_sync_podinfo_1_4.json'), { instance: 'tab' });
    expect(response.status).toBe(200);
    expect(response.body.mode).toBe('argocd-notification');
    expect(response.body.results.map((result) => [result.status, result.verdict])).toEqual([
      ['stored', 'valid'],
      ['stored', 'valid'],
    ]);
    const items = await listEmitted(backend, 'tab', 'argocd', 'aaaaaaa');
    expect(items.map((item) => typeOf(item.payload)).sort()).toEqual(['incident.detected', 'service.deployed']);
    for (const item of items) {
      expect(item).toMatchObject({ direction: 'emitted', source: '/argocd/tab/argocd', reconstructed: false });
      expect(item.attributions).toContainEqual({ rule: 'emitted', detail: 'emitted by Argo CD for argocd/aaaaaaa' });
    }
  });

  it('emits nothing new when the same notification is sent again', async () => {
    const body = byFile('008_sync_podinfo_1_2.json');
    const first = await notify(backend, body, { instance: 'resend' });
    const again = await notify(backend, body, { instance: 'resend' });
    expect(first.body.results.map((result) => result.status)).toEqual(['stored']);
    expect(again.body.results).toEqual([]);
  });

  it('stores each event once when two notification controllers post the same state at once', async () => {
    const body = byFile('010_sync_podinfo_1_4.json');
    const responses = await Promise.all(Array.from({ length: 6 }, () => notify(backend, body, { instance: 'race' })));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const stored = responses
      .flatMap((response) => response.body.results)
      .filter((result) => result.status === 'stored');
    expect(stored).toHaveLength(2);
    const conflicts = responses
      .flatMap((response) => response.body.results)
      .filter((result) => result.status === 'conflict');
    expect(conflicts).toEqual([]);
    expect(await listEmitted(backend, 'race', 'argocd', 'aaaaaaa')).toHaveLength(2);
  });

  it('turns the captured podinfo story into deploy, incidents, their resolutions, upgrades and removal', async () => {
    for (const body of podinfoStory) expect((await notify(backend, body, { instance: 'story' })).status).toBe(200);
    const items = await listEmitted(backend, 'story', 'argocd', 'aaaaaaa');
    expect(items.map((item) => typeOf(item.payload)).sort()).toEqual(
      [
        'incident.detected',
        'incident.detected',
        'incident.resolved',
        'incident.resolved',
        'service.deployed',
        'service.removed',
        'service.upgraded',
        'service.upgraded',
      ].sort(),
    );
    const subjects = (predicate: string) =>
      items
        .filter((item) => typeOf(item.payload) === predicate)
        .map((item) => item.subjectId)
        .sort();
    expect(subjects('incident.resolved')).toEqual(subjects('incident.detected'));
  });

  it('keeps the last snapshot and the memory of the app in the applications table', async () => {
    await notify(backend, byFile('013_sync_podinfo_2_3.json'), { instance: 'snapshot' });
    const stored = await createApplicationStore(backend.store.sql).getApplication({
      instance: 'snapshot',
      namespace: 'argocd',
      name: 'aaaaaaaaa',
    });
    expect(stored?.uid).toBe('bb42b013-3ce1-4207-a409-2898419d8e74');
    expect(stored?.snapshot.status?.operationState?.phase).toBe('Succeeded');
    expect(JSON.stringify(stored?.snapshot)).not.toContain('managedFields');
    expect(stored?.memory.lastEventId).toBeDefined();
  });

  it('links a deploy to the artifact.published of the image it runs and joins its chain', async () => {
    const published = {
      context: {
        specversion: '0.5.1',
        id: 'published-podinfo-6.9.2',
        source: '/ci/podinfo',
        type: 'dev.cdevents.artifact.published.0.3.0',
        timestamp: '2025-10-02T16:50:00Z',
        chainId: 'chain-from-ci',
      },
      subject: { id: 'pkg:oci/aaaaaaa@6.9.2?repository_url=ghcr.io/stefanprodan/aaaaaaa', content: {} },
    };
    expect((await postEvents(backend.url, published)).status).toBe(200);
    const response = await notify(backend, byFile('022_remove_podinfo_2_1.json'), { instance: 'cause' });
    const upgradedKey = response.body.results[0]!.key!;
    const event = await fetch(`${backend.url}/api/v1/events/${upgradedKey}`, {
      headers: proxyHeaders({ namespace: 'argocd', name: 'aaaaaaa', instance: 'cause' }),
    });
    const record = (await event.json()) as { chainId: string; links: unknown[] };
    expect(record.chainId).toBe('chain-from-ci');
    expect(record.links).toContainEqual({
      linkType: 'RELATION',
      linkKind: 'TRIGGER',
      target: { contextId: 'published-podinfo-6.9.2' },
      tags: { reason: 'artifact.published of pkg:oci/aaaaaaa@6.9.2?repository_url=ghcr.io/stefanprodan/aaaaaaa' },
    });
  });

  it('says who started each sync, and lists an app’s events by actor', async () => {
    // 008 as captured (Argo CD's auto-sync started it), and as if alice had clicked Sync.
    const automated = byFile('008_sync_podinfo_1_2.json');
    const manual = structuredClone(automated);
    manual.app.status!.operationState!.operation!.initiatedBy = { username: 'alice' };
    await notify(backend, automated, { instance: 'who' });
    await notify(backend, manual, { instance: 'who-manual' });
    const list = async (instance: string, actor: string) => {
      const response = await fetch(
        `${backend.url}/api/v1/applications/argocd/aaaaaaaaa/events?actor=${encodeURIComponent(actor)}`,
        { headers: proxyHeaders({ namespace: 'argocd', name: 'aaaaaaaaa', instance }) },
      );
      expect(response.status).toBe(200);
      return ((await response.json()) as EventListResponse).items;
    };
    const byAlice = await list('who-manual', 'alice');
    expect(byAlice.map((item) => [typeOf(item.payload), item.actor])).toEqual([['service.upgraded', 'alice']]);
    expect((byAlice[0]!.payload as { customData: unknown }).customData).toMatchObject({
      argocd: {
        operation: { initiatedBy: { username: 'alice' } },
        revision: '94fcc5e8673e0d2d7fbca6b1c6c455ba308314fc',
        revisions: ['94fcc5e8673e0d2d7fbca6b1c6c455ba308314fc'],
      },
    });
    expect(await list('who-manual', 'auto-sync')).toEqual([]);
    const byAutoSync = await list('who', 'auto-sync');
    expect(byAutoSync.map((item) => [typeOf(item.payload), item.actor])).toEqual([['service.upgraded', 'auto-sync']]);
    expect((byAutoSync[0]!.payload as { customData: unknown }).customData).toMatchObject({
      argocd: { operation: { initiatedBy: { automated: true, reason: 'out-of-sync' } } },
    });
    expect(await list('who', 'alice')).toEqual([]);
  });

  it('uses CDEVENTS_DEFAULT_INSTANCE when the webhook URL names none', async () => {
    const response = await notify(backend, byFile('019_sync_podinfo_4_2.json'));
    expect(response.body.results[0]?.source).toBe('/argocd/default/argocd');
  });

  it.each([
    ['a body without app', {}, /body must have required property 'app'/],
    ['an app without uid', { app: { metadata: { name: 'x', namespace: 'argocd' } } }, /app\.metadata\.uid is required/],
    ['an app without metadata', { app: { spec: {} } }, /app\.metadata is required/],
    [
      'an app whose status is not an object',
      { app: { metadata: { name: 'x', uid: 'u' }, status: 'Synced' } },
      /app\.status is required/,
    ],
    ['a body that is not JSON', '{"app": {', /JSON/i],
  ])('answers 400 naming the problem for %s', async (_name, body, message) => {
    const response = await notify(backend, body, { instance: 'bad' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(message);
    expect(response.body.requestId).toBeDefined();
  });

  it('answers 400 for an instance that cannot be part of a source', async () => {
    const response = await notify(backend, byFile('008_sync_podinfo_1_2.json'), { instance: 'Has Spaces' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/instance/);
  });

  it('answers 401 without the ingest token, and stores nothing', async () => {
    const response = await notify(backend, byFile('008_sync_podinfo_1_2.json'), {
      instance: 'unauthorised',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(401);
    expect(await listEmitted(backend, 'unauthorised', 'argocd', 'aaaaaaaaa')).toEqual([]);
  });
});

describe('attribution right after a notification (regression: stale app-profile cache)', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startBackend({ store: 'pglite' });
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('attributes an event that arrives just after the app’s first notification to that app', async () => {
    // Prime the attribution cache while the backend knows no app at all.
    const unrelated = {
      context: {
        specversion: '0.5.1',
        id: 'unrelated-1',
        source: '/ci/elsewhere',
        type: 'dev.cdevents.artifact.published.0.3.0',
        timestamp: '2025-10-02T16:40:00Z',
      },
      subject: { id: 'pkg:oci/elsewhere@1.0.0', content: {} },
    };
    expect((await postEvents(backend.url, unrelated)).status).toBe(200);

    expect((await notify(backend, byFile('010_sync_podinfo_1_4.json'), { instance: 'fresh' })).status).toBe(200);
    const deployed = (await listEmitted(backend, 'fresh', 'argocd', 'aaaaaaa')).find(
      (item) => typeOf(item.payload) === 'service.deployed',
    );
    const artifactId = (deployed!.payload as { subject: { content: { artifactId: string } } }).subject.content
      .artifactId;

    // Sent at once: well inside any cache lifetime.
    const published = {
      context: {
        specversion: '0.5.1',
        id: 'published-right-after',
        source: '/ci/podinfo',
        type: 'dev.cdevents.artifact.published.0.3.0',
        timestamp: '2025-10-02T16:50:00Z',
      },
      subject: { id: artifactId, content: {} },
    };
    expect((await postEvents(backend.url, published)).status).toBe(200);

    const response = await fetch(
      `${backend.url}/api/v1/applications/argocd/aaaaaaa/events?direction=received&limit=100`,
      { headers: proxyHeaders({ namespace: 'argocd', name: 'aaaaaaa', instance: 'fresh' }) },
    );
    const items = ((await response.json()) as EventListResponse).items;
    const record = items.find((item) => item.id === 'published-right-after');
    expect(record?.attributions.map((attribution) => attribution.rule)).toContain('artifact');
  });
});

describe('metrics of the notifications webhook', () => {
  it('counts what the webhook stored in /metrics, by route, status and verdict', async () => {
    const backend = await startBackend({ store: 'pglite' });
    try {
      expect((await notify(backend, byFile('010_sync_podinfo_1_4.json'), { instance: 'metrics' })).status).toBe(200);
      const text = await (await fetch(`${backend.url}/metrics`)).text();
      expect(text).toMatch(
        /cdevents_ingest_events_total\{route="argocd-notifications",status="stored",verdict="valid"\} 2/,
      );
    } finally {
      await backend.close();
    }
  });
});
