/**
 * /metrics as Prometheus scrapes it, over real HTTP: the counters operators alert on and the
 * latency histogram, labelled by route pattern so hostile paths cannot create series.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { type BackendMetrics, createMetrics, registerMetrics } from '../../src/backend/metrics';
import { postEvents, startBackend, storeKinds, type TestBackend } from '../helpers/backend';
import { PER_EVENT_RELATIONS } from '../../src/backend/store/measureStorage';

describe('GET /metrics (bare fastify with the metrics plugin, real HTTP)', () => {
  let app: FastifyInstance;
  let metrics: BackendMetrics;
  let base: string;

  beforeAll(async () => {
    metrics = createMetrics();
    app = Fastify();
    registerMetrics(app, metrics);
    app.get('/api/v1/events/:key', async () => ({ ok: true }));
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  const scrape = async (): Promise<string> => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  it('counts ingest by route, status and verdict', async () => {
    metrics.recordIngest('events', [
      { status: 'stored', verdict: 'valid' },
      { status: 'stored', verdict: 'invalid' },
      { status: 'stored', verdict: 'valid' },
    ]);
    metrics.recordIngest('events', [{ status: 'stored', verdict: 'valid' }]);
    metrics.recordIngest('argocd-notifications', [{ status: 'duplicate', verdict: 'invalid' }]);
    const text = await scrape();
    expect(text).toContain('cdevents_ingest_events_total{route="events",status="stored",verdict="valid"} 3');
    expect(text).toContain('cdevents_ingest_events_total{route="events",status="stored",verdict="invalid"} 1');
    expect(text).toContain(
      'cdevents_ingest_events_total{route="argocd-notifications",status="duplicate",verdict="invalid"} 1',
    );
  });

  it('counts rejected ingest requests by status code', async () => {
    metrics.recordRejected('events', 401);
    expect(await scrape()).toContain('cdevents_ingest_rejected_requests_total{route="events",status_code="401"} 1');
  });

  it('counts forwarding outcomes per sink and trigger firings', async () => {
    metrics.recordForwarding('nats', 'delivered');
    metrics.recordForwarding('nats', 'retry');
    metrics.recordTriggerFiring('inbound', 'sync', 'done');
    const text = await scrape();
    expect(text).toContain('cdevents_forwarding_attempts_total{sink="nats",outcome="delivered"} 1');
    expect(text).toContain('cdevents_forwarding_attempts_total{sink="nats",outcome="retry"} 1');
    expect(text).toContain('cdevents_trigger_firings_total{direction="inbound",action="sync",outcome="done"} 1');
  });

  it('times requests under their route pattern, and unknown paths under one "unmatched" series', async () => {
    await fetch(`${base}/api/v1/events/abc`);
    await fetch(`${base}/api/v1/events/def`);
    await fetch(`${base}/no/such/path/${'x'.repeat(50)}`);
    await fetch(`${base}/another/unknown`);
    const text = await scrape();
    expect(text).toContain(
      'cdevents_http_request_duration_seconds_count{method="GET",route="/api/v1/events/:key",status_code="200"} 2',
    );
    expect(text).toContain(
      'cdevents_http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"} 2',
    );
    expect(text).not.toContain('/no/such/path');
    expect(text).toMatch(/cdevents_http_request_duration_seconds_bucket\{le="0\.005",method="GET"/);
  });

  it('exports process metrics under the cdevents_ prefix', async () => {
    expect(await scrape()).toMatch(/^cdevents_process_resident_memory_bytes \d+/m);
  });

  it('keeps each app’s counts apart (a second registry starts at zero)', async () => {
    const other = createMetrics({ processMetrics: false });
    expect(await other.render()).not.toMatch(/cdevents_ingest_events_total\{/);
  });
});

describe.each(storeKinds)('the store’s size on /metrics (the real app on %s, real HTTP)', (kind) => {
  let backend: TestBackend;
  let cached: TestBackend;
  beforeAll(async () => {
    backend = await startBackend({
      store: kind,
      deps: { metrics: createMetrics({ processMetrics: false, storageRefreshMs: 0 }) },
    });
    // The default: one measurement a minute, whatever the scrape interval.
    cached = await startBackend({ store: kind, deps: { metrics: createMetrics({ processMetrics: false }) } });
  });
  afterAll(async () => {
    await backend?.close();
    await cached?.close();
  });

  const scrape = async (target: TestBackend) => (await fetch(`${target.url}/metrics`)).text();
  const gauge = (text: string, name: string) => {
    const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const events = Array.from({ length: 200 }, (_, index) => ({
    context: {
      specversion: '0.5.1',
      id: `m-${index}`,
      source: '/ci/metrics',
      type: 'dev.cdevents.artifact.published.0.3.0',
      timestamp: '2026-03-01T00:00:00Z',
    },
    subject: { id: `pkg:oci/app@sha256:${String(index).padStart(64, '0')}`, content: {} },
  }));

  it('gives the bytes of each table, the events, and bytes per event once events are stored', async () => {
    const empty = await scrape(backend);
    expect(gauge(empty, 'cdevents_store_events')).toBe(0);
    expect(gauge(empty, 'cdevents_store_bytes_per_event')).toBeNaN();

    expect((await postEvents(backend.url, events)).status).toBe(200);
    const text = await scrape(backend);
    expect(gauge(text, 'cdevents_store_events')).toBe(200);
    const relations = Object.fromEntries(
      [...text.matchAll(/^cdevents_store_relation_bytes\{relation="(\w+)"\} (\d+)$/gm)].map((match) => [
        match[1],
        Number(match[2]),
      ]),
    );
    expect(Object.keys(relations)).toEqual(expect.arrayContaining([...PER_EVENT_RELATIONS, 'outbox', 'triggers']));
    const perEvent = gauge(text, 'cdevents_store_bytes_per_event')!;
    const perEventRelations = PER_EVENT_RELATIONS.map((name) => relations[name] ?? 0);
    // Each of them, plain tables (event_identities) as well as partitioned ones, has its size.
    expect(perEventRelations.every((bytes) => bytes > 0)).toBe(true);
    expect(perEvent).toBeCloseTo(perEventRelations.reduce((sum, bytes) => sum + bytes, 0) / 200, 6);
    // A small store is mostly its indexes' first pages, but every event's payload is in there.
    expect(perEvent).toBeGreaterThan(JSON.stringify(events[0]).length);
  });

  it('measures at most once a minute by default, so a scrape never scans a large store', async () => {
    expect(gauge(await scrape(cached), 'cdevents_store_events')).toBe(0);
    expect((await postEvents(cached.url, events)).status).toBe(200);
    expect(gauge(await scrape(cached), 'cdevents_store_events')).toBe(0);
  });
});
