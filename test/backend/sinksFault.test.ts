/**
 * The fault test of forwarding, end to end with real parts: the real backend
 * process on the real PostgreSQL, a real HTTP receiver process and the real
 * NATS JetStream.
 *
 *   receiver: 500 ───────────── down ─────────────── back (201)
 *   backend:  A ──restart──▶ B ──restart──▶ C ─────────────────▶
 *   events:   batch 1          batch 2        batch 3
 *
 * In the end every emitted event has arrived exactly once per id at the
 * receiver (one request answered 2xx per ce-id; the 500s before it were
 * refusals, not arrivals) and exactly once in the NATS stream. Restarts are
 * graceful (SIGTERM): the backend finishes the sends in flight and records
 * them before it exits, so nothing acknowledged is sent again.
 */
import { randomUUID } from 'crypto';
import { connect, type NatsConnection } from 'nats';
import type { DeliveriesResponse, IngestResponse, SinksResponse } from '../../src/backend/api/contract';
import { postEvents, proxyHeaders, testProxySecret } from '../helpers/backend';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { startBackendProcess, type BackendProcess } from '../helpers/startBackendProcess';
import { buildEmittedEvent } from './sinks/emittedEvents';
import { createPostgresDatabase } from './sinks/openTestDatabase';
import { TEST_NATS_URL } from '../helpers/testServices';

jest.setTimeout(180_000);

const natsUrl = TEST_NATS_URL;
const run = randomUUID().slice(0, 8);
const stream = `CDEVENTS_FAULT_${run}`;
const subject = `cdevents.fault.${run}`;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('forwarding survives a failing receiver, a dead receiver and backend restarts (real backend process, PostgreSQL, receiver process, NATS)', () => {
  let database: { url: string; drop(): Promise<void> };
  let receiver: Receiver;
  let nc: NatsConnection;
  let backend: BackendProcess | undefined;

  beforeAll(async () => {
    database = await createPostgresDatabase('sinks_fault');
    receiver = await startReceiver({ status: 500 });
    nc = await connect({ servers: natsUrl });
  });
  afterAll(async () => {
    await backend?.stop();
    await receiver?.close();
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
    await database.drop();
  });

  const start = async () => {
    const sinks = [
      // Short backoff so the test is quick; a high limit so nothing dead-letters during the outage.
      {
        name: 'receiver',
        kind: 'http',
        url: receiver.url,
        maxAttempts: 1000,
        timeoutMs: 2000,
        retryInitialMs: 50,
        retryMaxMs: 400,
      },
      { name: 'bus', kind: 'nats', url: natsUrl, subject, stream, specVersion: '0.4.1', timeoutMs: 2000 },
    ];
    backend = await startBackendProcess({ DATABASE_URL: database.url, CDEVENTS_SINKS: JSON.stringify(sinks) });
    return backend;
  };
  const emitBatch = async (size: number) => {
    const events = Array.from({ length: size }, () => buildEmittedEvent());
    const response = await postEvents(backend!.url, events);
    expect(response.status).toBe(200);
    expect((response.body as IngestResponse).results.map((result) => result.status)).toEqual(
      events.map(() => 'stored'),
    );
    return {
      ids: events.map((event) => event.context.id),
      keys: (response.body as IngestResponse).results.map((r) => r.key!),
    };
  };
  const sinkCounts = async () => {
    const response = await fetch(`${backend!.url}/api/v1/sinks`, {
      headers: { 'x-cdevents-proxy-secret': testProxySecret },
    });
    const body = (await response.json()) as SinksResponse;
    return Object.fromEntries(body.items.map((sink) => [sink.name, sink.counts]));
  };
  const triedAtLeastOnce = (ids: string[]) => {
    const seen = new Set(receiver.requests().map((request) => request.headers['ce-id']));
    return ids.every((id) => seen.has(id));
  };

  it('delivers every emitted event exactly once per id to the receiver and to NATS', async () => {
    // Phase 1: the receiver answers 500. NATS is up, so the bus gets batch 1 at once.
    await start();
    const batch1 = await emitBatch(10);
    await waitFor('batch 1 to be refused by the receiver', async () =>
      triedAtLeastOnce(batch1.ids) ? true : undefined,
    );
    expect(await backend!.stop()).toBe(0);

    // Phase 2: the receiver is down; a new backend process takes over the outbox and emits batch 2.
    await receiver.stop();
    await start();
    const batch2 = await emitBatch(10);
    const [firstKey] = batch1.keys;
    await waitFor('a connection refused in the delivery log', async () => {
      const response = await fetch(`${backend!.url}/api/v1/events/${firstKey}/deliveries`, {
        headers: proxyHeaders({ instance: 'test', namespace: 'argocd', name: 'auth' }),
      });
      const body = (await response.json()) as DeliveriesResponse;
      return body.items.find((item) => item.sink === 'receiver')?.lastError?.includes('ECONNREFUSED')
        ? true
        : undefined;
    });
    expect(await backend!.stop()).toBe(0);

    // Phase 3: a third backend process; the receiver comes back; batch 3.
    await start();
    await receiver.start();
    await receiver.answerWith(201);
    const batch3 = await emitBatch(10);
    const all = [...batch1.ids, ...batch2.ids, ...batch3.ids];
    const counts = await waitFor('every event delivered to both sinks', async () => {
      const current = await sinkCounts();
      return current.receiver?.delivered === 30 && current.bus?.delivered === 30 ? current : undefined;
    });
    expect(counts).toEqual({
      receiver: { pending: 0, delivered: 30, dead: 0 },
      bus: { pending: 0, delivered: 30, dead: 0 },
    });

    // At the receiver: one request answered 2xx per id, for exactly the emitted ids.
    const arrivals = receiver.requests().filter((request) => request.answered >= 200 && request.answered < 300);
    const arrivalsPerId = new Map<string, number>();
    for (const request of arrivals)
      arrivalsPerId.set(request.headers['ce-id'], (arrivalsPerId.get(request.headers['ce-id']) ?? 0) + 1);
    expect([...arrivalsPerId.keys()].sort()).toEqual([...all].sort());
    expect([...arrivalsPerId.values()].every((count) => count === 1)).toBe(true);
    // The receiver really was refusing: batch 1 was answered 500 before it arrived.
    expect(
      receiver.requests().filter((request) => request.answered === 500 && batch1.ids.includes(request.headers['ce-id']))
        .length,
    ).toBeGreaterThanOrEqual(10);

    // In NATS: one message per id, in the spec version the sink asked for.
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(stream);
    expect(info.state.messages).toBe(30);
    const natsIds: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
      const message = await jsm.streams.getMessage(stream, { seq });
      natsIds.push(message.header.get('ce-id'));
      expect(JSON.parse(new TextDecoder().decode(message.data)).context.version).toBe('0.4.1');
    }
    expect(natsIds.sort()).toEqual([...all].sort());

    // The last backend process counted what it delivered to the receiver (all 30: it was down before).
    const metrics = await (await fetch(`${backend!.url}/metrics`)).text();
    expect(metrics).toContain('cdevents_forwarding_attempts_total{sink="receiver",outcome="delivered"} 30');

    // The log tells the story of batch 1: refusals, connection errors, then the delivery.
    const response = await fetch(`${backend!.url}/api/v1/events/${firstKey}/deliveries`, {
      headers: proxyHeaders({ instance: 'test', namespace: 'argocd', name: 'auth' }),
    });
    const log = ((await response.json()) as DeliveriesResponse).items.find((item) => item.sink === 'receiver')!;
    expect(log.status).toBe('delivered');
    expect(log.log[0]).toMatchObject({ outcome: 'retry', statusCode: 500 });
    expect(log.log.some((entry) => entry.error?.includes('ECONNREFUSED'))).toBe(true);
    expect(log.log[log.log.length - 1]).toMatchObject({ outcome: 'delivered', statusCode: 201 });
    expect(log.attempts).toBe(log.log.length);
  });
});
