import { createDeliveryWorker } from '../../../src/backend/sinks/deliveryWorker';
import { createHttpSink } from '../../../src/backend/sinks/httpSink';
import { createOutboxStore } from '../../../src/backend/sinks/outboxStore';
import { sinkDefaults } from '../../../src/backend/sinks/parseSinkSettings';
import type { Clock, HttpSinkSettings } from '../../../src/backend/sinks/types';
import { startReceiver, type Receiver } from '../../helpers/receiver';
import { buildEmittedEvent, storeEvents } from './emittedEvents';
import { openTestDatabase, type TestDatabase } from './openTestDatabase';

// PGlite starts in seconds, and the machine is shared: hooks and tests get room.
jest.setTimeout(60_000);

/** A clock tests move by hand, so backoff is exercised without waiting. */
function createManualClock(start = Date.parse('2026-03-01T10:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

describe.each(['pglite', 'postgres'] as const)(
  'delivery through the outbox on %s, to a real receiver process',
  (kind) => {
    let db: TestDatabase;
    let receiver: Receiver;
    let settings: HttpSinkSettings;

    beforeAll(async () => {
      db = await openTestDatabase(kind);
      receiver = await startReceiver();
      settings = {
        ...sinkDefaults,
        name: 'receiver',
        kind: 'http',
        url: receiver.url,
        headers: {},
        maxAttempts: 3,
        timeoutMs: 2000,
      };
      await createOutboxStore(db.store.sql).registerSinks([settings]);
    });
    afterAll(async () => {
      await receiver.close();
      await db.close();
    });

    const arrivalsOf = (id: string) => receiver.requests().filter((request) => request.headers['ce-id'] === id);

    it('retries a 500 with backoff and dead-letters after maxAttempts, logging every attempt', async () => {
      const outbox = createOutboxStore(db.store.sql);
      const clock = createManualClock();
      const worker = createDeliveryWorker({ outbox, sinks: [createHttpSink(settings)], clock, random: () => 0.999 });
      const event = buildEmittedEvent();
      await receiver.answerWith(500);
      try {
        const [seq] = await storeEvents(db.store, [event]);
        expect(await worker.runOnce()).toBe(1);
        // Not due again until its backoff (below retryInitialMs·2^0 = 1 s) has passed.
        clock.advance(500);
        expect(await worker.runOnce()).toBe(0);
        clock.advance(500);
        expect(await worker.runOnce()).toBe(1);
        let [row] = await outbox.listDeliveries(seq);
        expect(row).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: 500 });
        expect(row.nextAttemptAt!.getTime()).toBeGreaterThan(clock.now().getTime());
        clock.advance(2000);
        expect(await worker.runOnce()).toBe(1);
        [row] = await outbox.listDeliveries(seq);
        expect(row).toMatchObject({
          status: 'dead',
          attempts: 3,
          lastStatusCode: 500,
          deliveredAt: null,
          nextAttemptAt: null,
        });
        expect(row.lastError).toMatch(/^gave up after 3 attempts: 127\.0\.0\.1:\d+ answered 500/);
        expect(row.log.map((entry) => [entry.attempt, entry.outcome, entry.statusCode])).toEqual([
          [1, 'retry', 500],
          [2, 'retry', 500],
          [3, 'dead', 500],
        ]);
        // A dead row is never sent again.
        clock.advance(86_400_000);
        expect(await worker.runOnce()).toBe(0);
        expect(arrivalsOf(event.context.id)).toHaveLength(3);
      } finally {
        await receiver.answerWith(201);
      }
    });

    it('dead-letters a 400 at once, with the receiver’s reason', async () => {
      const outbox = createOutboxStore(db.store.sql);
      const worker = createDeliveryWorker({ outbox, sinks: [createHttpSink(settings)], clock: createManualClock() });
      await receiver.answerWith(400);
      try {
        const [seq] = await storeEvents(db.store, [buildEmittedEvent()]);
        expect(await worker.runOnce()).toBe(1);
        const [row] = await outbox.listDeliveries(seq);
        expect(row).toMatchObject({ status: 'dead', attempts: 1, lastStatusCode: 400 });
        expect(row.lastError).toMatch(/^permanent failure: 127\.0\.0\.1:\d+ answered 400: status 400$/);
      } finally {
        await receiver.answerWith(201);
      }
    });

    it('delivers after the receiver comes back, and records when', async () => {
      const outbox = createOutboxStore(db.store.sql);
      const clock = createManualClock();
      const worker = createDeliveryWorker({ outbox, sinks: [createHttpSink(settings)], clock, random: () => 0 });
      const event = buildEmittedEvent();
      await receiver.stop();
      try {
        const [seq] = await storeEvents(db.store, [event]);
        expect(await worker.runOnce()).toBe(1);
        await receiver.start();
        clock.advance(1);
        expect(await worker.runOnce()).toBe(1);
        const [row] = await outbox.listDeliveries(seq);
        expect(row).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 201, deliveredAt: clock.now() });
        expect(row.lastError).toMatch(/^cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/);
        expect(row.log.map((entry) => entry.outcome)).toEqual(['retry', 'delivered']);
        expect(arrivalsOf(event.context.id).map((request) => request.answered)).toEqual([201]);
      } finally {
        await receiver.start();
      }
    });
  },
);

describe('two workers on one PostgreSQL database (two replicas)', () => {
  let db: TestDatabase;
  let receiver: Receiver;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await db.close();
  });

  it('sends each event once: SKIP LOCKED claims never overlap', async () => {
    const settings: HttpSinkSettings = {
      ...sinkDefaults,
      name: 'shared',
      kind: 'http',
      url: receiver.url,
      headers: {},
    };
    await createOutboxStore(db.store.sql).registerSinks([settings]);
    const events = Array.from({ length: 60 }, () => buildEmittedEvent());
    const seqs = await storeEvents(db.store, events);
    const replicas = await Promise.all([db.openExecutor(), db.openExecutor()]);
    const workers = replicas.map((sql) =>
      createDeliveryWorker({ outbox: createOutboxStore(sql), sinks: [createHttpSink(settings)], batchSize: 4 }),
    );
    // Both replicas drain the outbox at the same time until neither finds work.
    const claimed = await Promise.all(
      workers.map(async (worker) => {
        let total = 0;
        for (let n = await worker.runOnce(); n > 0; n = await worker.runOnce()) total += n;
        return total;
      }),
    );
    expect(claimed[0] + claimed[1]).toBe(60);
    expect(Math.min(...claimed)).toBeGreaterThan(0);
    const ids = receiver.requests().map((request) => request.headers['ce-id']);
    expect(ids.sort()).toEqual(events.map((event) => event.context.id).sort());
    const { rows } = await db.store.sql.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM delivery_attempts WHERE event_seq = ANY($1::bigint[])`,
      [seqs],
    );
    expect(rows[0].n).toBe(60);
  });
});
