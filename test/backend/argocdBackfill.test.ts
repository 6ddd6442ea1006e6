/**
 * Backfill from status.history: the pure reconstruction over real captured
 * apps, then the real app reading an in-process Kubernetes API stand-in (and
 * an Argo CD API stand-in) on PGlite and PostgreSQL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { validateEvent } from '../../src/cdevents';
import type { ErrorBody, EventListResponse } from '../../src/backend/api/contract';
import {
  type Application,
  buildHistoryEvents,
  isReconstructedEvent,
  mapApplicationState,
} from '../../src/backend/argocd';
import type { BackfillReport } from '../../src/backend/argocd/runBackfill';
import {
  type TestStore,
  createTestStore,
  ingestHeaders,
  proxyHeaders,
  startBackend,
  storeKinds,
  type TestBackend,
} from '../helpers/backend';
import { type StandIn, startArgocdStandIn, startKubernetesStandIn } from './argocd/apiStandIns';
import { readCapturedNotifications } from './argocd/fixtures';

const captured = readCapturedNotifications();
const appOf = (file: string): Application => structuredClone(captured.find((item) => item.file === file)!.body.app);
/** The git app with 10 history entries, its last sync (id 40) Succeeded. */
const gitApp = appOf('019_sync_podinfo_4_2.json');
/** The multi-source Helm app with history 6.9.0, 6.9.0 (new values), 6.9.2. */
const helmApp = appOf('022_remove_podinfo_2_1.json');
const token = 'service-account-token-0123456789';

jest.setTimeout(60_000);

describe('reconstructing syncs from status.history', () => {
  it('turns every history entry into a valid, reconstructed service event, oldest first', () => {
    const { events } = buildHistoryEvents(undefined, gitApp, { instance: 'default' });
    expect(events).toHaveLength(gitApp.status!.history!.length);
    for (const event of events) {
      expect(validateEvent(event).status).toBe('valid');
      expect(isReconstructedEvent(event)).toBe(true);
    }
    const times = events.map((event) => event.context.timestamp);
    expect([...times].sort()).toEqual(times);
  });

  it('gives a reconstructed sync the id it had live', () => {
    const [live] = mapApplicationState(undefined, gitApp, { instance: 'default', now: () => new Date() }).events;
    const reconstructed = buildHistoryEvents(undefined, gitApp, { instance: 'default' }).events;
    expect(reconstructed.map((event) => event.context.id)).toContain(live.context.id);
  });

  it('classifies the multi-source Helm history as deploy, new values, new chart', () => {
    const { events } = buildHistoryEvents(undefined, helmApp, { instance: 'default' });
    expect(events.map((event) => event.context.type)).toEqual([
      'dev.cdevents.service.deployed.0.3.0',
      'dev.cdevents.service.upgraded.0.3.0',
      'dev.cdevents.service.upgraded.0.3.0',
    ]);
  });

  it('reconstructs nothing that memory already covers', () => {
    const live = mapApplicationState(undefined, gitApp, { instance: 'default', now: () => new Date() });
    expect(buildHistoryEvents(live.memory, gitApp, { instance: 'default' }).events).toEqual([]);
  });
});

async function backfill(backend: TestBackend): Promise<{ status: number; body: BackfillReport & ErrorBody }> {
  const response = await fetch(`${backend.url}/api/v1/argocd/backfill`, {
    method: 'POST',
    headers: { authorization: ingestHeaders().authorization! },
  });
  return { status: response.status, body: (await response.json()) as BackfillReport & ErrorBody };
}

async function listEmitted(backend: TestBackend, name: string) {
  const response = await fetch(`${backend.url}/api/v1/applications/argocd/${name}/events?direction=emitted&limit=100`, {
    headers: proxyHeaders({ namespace: 'argocd', name }),
  });
  return ((await response.json()) as EventListResponse).items;
}

describe.each(storeKinds)('backfill through the Kubernetes API on %s (in-process Kubernetes API stand-in)', (kind) => {
  let standIn: StandIn;
  let backend: TestBackend;
  let tokenDir: string;
  beforeAll(async () => {
    standIn = await startKubernetesStandIn({ token, apps: [gitApp, helmApp], allowedNamespaces: ['argocd'] });
    tokenDir = mkdtempSync(join(tmpdir(), 'cdevents-sa-'));
    writeFileSync(join(tokenDir, 'token'), `${token}\n`);
    backend = await startBackend({
      store: kind,
      config: {
        backfill: 'kubernetes',
        kubernetesUrl: standIn.url,
        kubernetesTokenFile: join(tokenDir, 'token'),
        backfillNamespaces: ['argocd'],
      },
    });
  });
  afterAll(async () => {
    await backend?.close();
    await standIn?.close();
    rmSync(tokenDir, { recursive: true, force: true });
  });

  it('reads the history at start, so syncs made while the backend was down appear, marked reconstructed', async () => {
    // The start-up backfill runs in the background; wait (bounded) until both apps' syncs are stored.
    let items: Awaited<ReturnType<typeof listEmitted>> = [];
    let gitItems: typeof items = [];
    for (let attempt = 0; attempt < 300 && (items.length < 3 || gitItems.length < 10); attempt += 1) {
      [items, gitItems] = await Promise.all([listEmitted(backend, 'aaaaaaa'), listEmitted(backend, 'aaaaaaaaa')]);
      if (items.length < 3 || gitItems.length < 10) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(items).toHaveLength(3);
    expect(items.every((item) => item.reconstructed)).toBe(true);
    expect(standIn.requests[0]).toMatch(/^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/argocd\/applications\?limit=/);
  });

  it('stores nothing twice when asked again, and a live notification of a backfilled sync adds nothing', async () => {
    const again = await backfill(backend);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      instance: 'default',
      source: 'kubernetes',
      applications: 2,
      stored: 0,
      failures: [],
    });
    const live = await fetch(`${backend.url}/api/v1/argocd/notifications`, {
      method: 'POST',
      headers: ingestHeaders(),
      body: JSON.stringify({ app: gitApp, context: {} }),
    });
    expect(((await live.json()) as { results: unknown[] }).results).toEqual([]);
    expect(await listEmitted(backend, 'aaaaaaaaa')).toHaveLength(10);
  });

  it('picks up a sync that happened after the last backfill', async () => {
    const later = structuredClone(helmApp);
    later.status!.history!.push({
      ...later.status!.history![2]!,
      id: 3,
      revisions: ['6.9.3'],
      deployStartedAt: '2025-10-02T17:30:00Z',
      deployedAt: '2025-10-02T17:30:04Z',
    });
    standIn.setApplications([gitApp, later]);
    const report = await backfill(backend);
    expect(report.body.stored).toBe(1);
    const [newest] = await listEmitted(backend, 'aaaaaaa');
    expect(newest?.reconstructed).toBe(true);
    expect(Date.parse(newest!.timestamp!)).toBe(Date.parse('2025-10-02T17:30:04Z'));
  });
});

describe('backfill through the Argo CD API, and its errors', () => {
  let standIn: StandIn;
  // One store for the backends below, each started with its own configuration.
  let shared: TestStore;
  beforeAll(async () => {
    standIn = await startArgocdStandIn({ token, apps: [gitApp] });
    shared = await createTestStore('pglite');
  });
  afterAll(async () => {
    await standIn?.close();
    await shared?.close();
  });

  it('reads the Argo CD API when configured so (in-process Argo CD API stand-in)', async () => {
    const backend = await startBackend({
      deps: { store: shared.store },
      config: { backfill: 'argocd', argocdUrl: standIn.url, argocdToken: token },
    });
    try {
      const report = await backfill(backend);
      expect(report.body).toMatchObject({ source: 'argocd', applications: 1 });
    } finally {
      await backend.close();
    }
  });

  it('answers 502 naming the call and the setting to fix when the API refuses the token', async () => {
    const backend = await startBackend({
      deps: { store: shared.store },
      config: { backfill: 'argocd', argocdUrl: standIn.url, argocdToken: 'revoked' },
    });
    try {
      const report = await backfill(backend);
      expect(report.status).toBe(502);
      expect(report.body.error).toEqual({
        name: 'UpstreamUnauthorizedError',
        message: expect.stringMatching(
          /GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/applications \(Argo CD API\) answered 401.*CDEVENTS_ARGOCD_TOKEN/,
        ),
      });
    } finally {
      await backend.close();
    }
  });

  it('answers 409 when backfill is off', async () => {
    const backend = await startBackend({ deps: { store: shared.store } });
    try {
      const report = await backfill(backend);
      expect(report.status).toBe(409);
      expect(report.body.error.message).toMatch(/CDEVENTS_BACKFILL/);
    } finally {
      await backend.close();
    }
  });
});
