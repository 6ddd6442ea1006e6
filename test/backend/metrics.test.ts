/**
 * /metrics as Prometheus scrapes it, over real HTTP: the counters operators alert on and the
 * latency histogram, labelled by route pattern so hostile paths cannot create series.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { type BackendMetrics, createMetrics, registerMetrics } from '../../src/backend/metrics';

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
