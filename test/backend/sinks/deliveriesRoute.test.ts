import type { DeliveriesResponse, ErrorBody, IngestResponse, SinksResponse } from '../../../src/backend/api/contract';
import { createDeliveryWorker } from '../../../src/backend/sinks/deliveryWorker';
import { createHttpSink } from '../../../src/backend/sinks/httpSink';
import { createOutboxStore } from '../../../src/backend/sinks/outboxStore';
import { sinkDefaults } from '../../../src/backend/sinks/parseSinkSettings';
import type { HttpSinkSettings } from '../../../src/backend/sinks/types';
import { postEvents, proxyHeaders, startBackend, testProxySecret, type TestBackend } from '../../helpers/backend';
import { startReceiver, type Receiver } from '../../helpers/receiver';
import { buildEmittedEvent } from './emittedEvents';

jest.setTimeout(60_000);

const app = { instance: 'test', namespace: 'argocd', name: 'auth' };
const secretHeaderValue = 'Bearer do-not-show-this-0123';

describe('the delivery log over the API (real app on PostgreSQL, real receiver process)', () => {
  let backend: TestBackend;
  let receiver: Receiver;
  let key: string;

  beforeAll(async () => {
    backend = await startBackend({ store: 'postgres' });
    receiver = await startReceiver({ status: 503 });
    const settings: HttpSinkSettings = {
      ...sinkDefaults,
      name: 'cdviz',
      kind: 'http',
      url: receiver.url,
      headers: { Authorization: secretHeaderValue },
    };
    const outbox = createOutboxStore(backend.store.sql);
    await outbox.registerSinks([settings]);
    const ingest = await postEvents(backend.url, buildEmittedEvent());
    expect(ingest.status).toBe(200);
    key = (ingest.body as IngestResponse).results[0].key!;

    const worker = createDeliveryWorker({ outbox, sinks: [createHttpSink(settings)], random: () => 0 });
    await worker.runOnce(); // 503
    await receiver.answerWith(201);
    await worker.runOnce(); // delivered (the backoff drew 0)
  });
  afterAll(async () => {
    await receiver.close();
    await backend.close();
  });

  const get = async (path: string, headers: Record<string, string>) => {
    const response = await fetch(`${backend.url}${path}`, { headers });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('shows, per sink, the status, attempts, last status code and error, and every attempt', async () => {
    const { status, body } = await get(`/api/v1/events/${key}/deliveries`, proxyHeaders(app));
    expect(status).toBe(200);
    const response = body as DeliveriesResponse;
    expect(response.key).toBe(key);
    expect(response.items).toHaveLength(1);
    const [delivery] = response.items;
    expect(delivery).toMatchObject({
      sink: 'cdviz',
      status: 'delivered',
      attempts: 2,
      lastStatusCode: 201,
      nextAttemptAt: null,
    });
    expect(delivery.lastError).toMatch(/answered 503/);
    expect(Date.parse(delivery.deliveredAt!)).not.toBeNaN();
    expect(delivery.log.map((entry) => [entry.attempt, entry.outcome, entry.statusCode])).toEqual([
      [1, 'retry', 503],
      [2, 'delivered', 201],
    ]);
    expect(delivery.log.every((entry) => entry.durationMs >= 0 && !Number.isNaN(Date.parse(entry.at)))).toBe(true);
  });

  it('lists the sinks with counts by status, and never their URL or headers', async () => {
    const { status, body } = await get('/api/v1/sinks', { 'x-cdevents-proxy-secret': testProxySecret });
    expect(status).toBe(200);
    expect((body as SinksResponse).items).toEqual([
      {
        name: 'cdviz',
        kind: 'http',
        specVersion: '0.5.1',
        filter: null,
        maxAttempts: sinkDefaults.maxAttempts,
        enabled: true,
        counts: { pending: 0, delivered: 1, dead: 0 },
        oldestPendingAt: null,
      },
    ]);
    expect(JSON.stringify(body)).not.toContain(secretHeaderValue);
    expect(JSON.stringify(body)).not.toContain(String(receiver.port));
  });

  it.each([
    {
      case: 'without the proxy secret',
      path: () => `/api/v1/events/${key}/deliveries`,
      headers: {},
      status: 401,
      message: /x-cdevents-proxy-secret/,
    },
    {
      case: 'for /api/v1/sinks without the proxy secret',
      path: () => '/api/v1/sinks',
      headers: {},
      status: 401,
      message: /x-cdevents-proxy-secret/,
    },
    {
      case: 'for a key that was never issued',
      path: () => '/api/v1/events/not-a-key/deliveries',
      headers: proxyHeaders(app),
      status: 404,
      message: /no event not-a-key in the tab of argocd\/auth/,
    },
    {
      case: "for another app's event",
      path: () => `/api/v1/events/${key}/deliveries`,
      headers: proxyHeaders({ ...app, name: 'billing' }),
      status: 404,
      message: /in the tab of argocd\/billing/,
    },
  ])('answers $status $case, naming the problem', async ({ path, headers, status, message }) => {
    const response = await get(path(), headers);
    expect(response.status).toBe(status);
    const body = response.body as ErrorBody;
    expect(body.statusCode).toBe(status);
    expect(body.error.message).toMatch(message);
  });
});
