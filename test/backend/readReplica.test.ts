/**
 * CDEVENTS_READ_DATABASE_URL: the read routes query the read store, ingest
 * writes to the primary. No streaming replica runs here, so a second real
 * PostgreSQL database stands in for one, migrated the same and filled with
 * other events than the primary: every answer then shows which database it
 * came from. (A real replica would hold the primary's rows with some lag; what
 * is tested is which pool each route uses.)
 */
import type {
  AppDashboardResponse,
  AppSummaryResponse,
  ChainResponse,
  EventListResponse,
  EventRecord,
  IngestResponse,
} from '../../src/backend/api/contract';
import {
  createTestStore,
  postEvents,
  proxyHeaders,
  startBackend,
  type TestBackend,
  type TestStore,
} from '../helpers/backend';

const now = new Date('2026-06-01T12:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();
const prod = 'https://kubernetes.default.svc/auth';
const auth = { namespace: 'argocd', name: 'auth' };

function deployed(id: string, hours: number, artifactId: string) {
  return {
    context: {
      specversion: '0.5.1',
      id,
      source: '/argocd/default/argocd',
      type: 'dev.cdevents.service.deployed.0.3.0',
      timestamp: hoursAgo(hours),
    },
    subject: { id: 'argocd/auth', content: { environment: { id: prod }, artifactId } },
  };
}

function published(id: string, hours: number, artifactId: string) {
  return {
    context: {
      specversion: '0.5.1',
      id,
      source: 'https://ci.example.com',
      type: 'dev.cdevents.artifact.published.0.3.0',
      timestamp: hoursAgo(hours),
    },
    subject: { id: artifactId, content: {} },
  };
}

const replicaArtifact = 'pkg:oci/auth@2.0.0?repository_url=ghcr.io/org/auth';
const primaryArtifact = 'pkg:oci/auth@1.0.0?repository_url=ghcr.io/org/auth';

/** Posts events through a backend of its own on `store`, as ingest would have written them there. */
async function fill(store: TestStore, events: object[]): Promise<void> {
  const writer = await startBackend({ deps: { store: store.store } });
  try {
    expect((await postEvents(writer.url, events)).status).toBe(200);
  } finally {
    await writer.close();
  }
}

describe('with a read replica (a second PostgreSQL database standing in for a streaming replica)', () => {
  let primary: TestStore;
  let replica: TestStore;
  let backend: TestBackend;

  beforeAll(async () => {
    [primary, replica] = await Promise.all([createTestStore('postgres'), createTestStore('postgres')]);
    await fill(primary, [
      published('primary-artifact', 3, primaryArtifact),
      deployed('primary-deploy', 2, primaryArtifact),
    ]);
    await fill(replica, [
      published('replica-artifact', 5, replicaArtifact),
      deployed('replica-deploy-1', 4, replicaArtifact),
      deployed('replica-deploy-2', 1, replicaArtifact),
    ]);
    backend = await startBackend({
      deps: { store: primary.store, readStore: replica.store, clock: { now: () => now } },
    });
  }, 60_000);
  afterAll(async () => {
    await backend?.close();
    await Promise.all([primary?.close(), replica?.close()]);
  });

  const get = async (path: string) => {
    const response = await fetch(`${backend.url}${path}`, { headers: proxyHeaders(auth) });
    expect(response.status).toBe(200);
    return response;
  };
  const listIds = async () =>
    ((await (await get('/api/v1/applications/argocd/auth/events')).json()) as EventListResponse).items.map(
      (item) => item.id,
    );

  it("reads an app's event list and an event's detail from the replica", async () => {
    expect(await listIds()).toEqual(['replica-deploy-2', 'replica-deploy-1']);
    const list = (await (await get('/api/v1/applications/argocd/auth/events')).json()) as EventListResponse;
    const detail = (await (await get(`/api/v1/events/${list.items[0]!.key}`)).json()) as EventRecord;
    expect(detail.id).toBe('replica-deploy-2');
  });

  it('exports from the replica', async () => {
    const text = await (await get('/api/v1/applications/argocd/auth/events/export')).text();
    const ids = text
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as EventRecord).id);
    expect(ids).toEqual(['replica-deploy-2', 'replica-deploy-1']);
  });

  it('counts the summary strip on the replica', async () => {
    const summary = (await (await get('/api/v1/applications/argocd/auth/summary')).json()) as AppSummaryResponse;
    expect(summary.deployments.total).toBe(2);
  });

  it('builds the dashboard from the replica', async () => {
    const dashboard = (await (await get('/api/v1/applications/argocd/auth/dashboard')).json()) as AppDashboardResponse;
    expect(dashboard.deployments.map((deployment) => deployment.artifactId)).toEqual([
      replicaArtifact,
      replicaArtifact,
    ]);
  });

  it('walks chains on the replica', async () => {
    const list = (await (await get('/api/v1/applications/argocd/auth/events')).json()) as EventListResponse;
    const chain = (await (await get(`/api/v1/events/${list.items[0]!.key}/chain`)).json()) as ChainResponse;
    expect(chain.nodes.map((node) => node.id)).toContain('replica-artifact');
    expect(chain.nodes.map((node) => node.id)).not.toContain('primary-artifact');
  });

  it('writes ingest to the primary only, and a replayed event is a duplicate there', async () => {
    const event = deployed('written-now', 0.5, primaryArtifact);
    const first = await postEvents(backend.url, event);
    expect((first.body as IngestResponse).results[0]!.status).toBe('stored');
    const replay = await postEvents(backend.url, event);
    expect((replay.body as IngestResponse).results[0]!.status).toBe('duplicate');
    const has = async (store: TestStore) =>
      (await store.store.sql.query('SELECT 1 FROM events WHERE context_id = $1', ['written-now'])).rows.length;
    expect([await has(primary), await has(replica)]).toEqual([1, 0]);
    // The tab reads the replica, which (standing in for one that has not caught up) does not have it.
    expect(await listIds()).not.toContain('written-now');
  });

  it('reports both pools: the replica on /readyz, the connections of each on /metrics', async () => {
    const ready = await fetch(`${backend.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', store: 'postgres', readStore: 'ready' });
    const metrics = await (await fetch(`${backend.url}/metrics`)).text();
    expect(metrics).toMatch(/cdevents_store_pool_connections\{pool="primary",state="total"\} [1-9]/);
    expect(metrics).toMatch(/cdevents_store_pool_connections\{pool="read",state="total"\} [1-9]/);
    expect(metrics).toMatch(/cdevents_store_pool_connections\{pool="read",state="waiting"\} 0/);
  });
});

describe('with a read replica that does not answer', () => {
  let primary: TestStore;
  let backend: TestBackend;

  afterAll(async () => {
    await backend?.close();
    await primary?.close();
  });

  it('stays ready for ingest and says the replica is unreachable', async () => {
    primary = await createTestStore('postgres');
    const unreachable = await createTestStore('postgres');
    await unreachable.close();
    backend = await startBackend({ deps: { store: primary.store, readStore: unreachable.store } });
    const ready = await fetch(`${backend.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', store: 'postgres', readStore: 'unreachable' });
  });
});
