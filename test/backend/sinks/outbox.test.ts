import { buildNewEvent } from '../../../src/backend/api/buildNewEvent';
import { createOutboxStore, enqueueForSinks, type OutboxStore } from '../../../src/backend/sinks/outboxStore';
import { sinkDefaults } from '../../../src/backend/sinks/parseSinkSettings';
import type { SinkSettings } from '../../../src/backend/sinks/types';
import { buildEmittedEvent, storeEvents } from './emittedEvents';
import { openTestDatabase, type TestDatabase } from './openTestDatabase';

// PGlite starts in seconds, and the machine is shared: hooks and tests get room.
jest.setTimeout(60_000);

const url = 'http://127.0.0.1:9/hook';
const everything: SinkSettings = { ...sinkDefaults, name: 'everything', kind: 'http', url, headers: {} };
const deploysOnly: SinkSettings = { ...everything, name: 'deploys', filter: ['dev.cdevents.service.'] };
const incidentsOnly: SinkSettings = { ...everything, name: 'incidents', filter: ['dev.cdevents.incident.'] };

describe.each(['pglite', 'postgres'] as const)('the outbox on %s', (kind) => {
  let db: TestDatabase;
  let outbox: OutboxStore;
  const rowsOf = async (seq: number) =>
    (
      await db.store.sql.query<{ sink: string }>('SELECT sink FROM outbox WHERE event_seq = $1 ORDER BY sink', [seq])
    ).rows.map((row) => row.sink);

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    outbox = createOutboxStore(db.store.sql);
    await outbox.registerSinks([everything, deploysOnly, incidentsOnly]);
  });
  afterAll(async () => {
    await db.close();
  });

  describe('enqueueing, in the transaction that stores the event', () => {
    it('enqueues a valid emitted event once for every sink whose filter takes it', async () => {
      const [seq] = await storeEvents(db.store, [buildEmittedEvent({ type: 'service.deployed' })]);
      expect(await rowsOf(seq)).toEqual(['deploys', 'everything']);
    });

    it('enqueues nothing for a received event (not from Argo CD)', async () => {
      const [seq] = await storeEvents(db.store, [buildEmittedEvent({ source: 'https://github.com/acme/auth' })]);
      expect(await rowsOf(seq)).toEqual([]);
    });

    it('enqueues nothing for an emitted event our validator rejects', async () => {
      const broken = buildEmittedEvent();
      (broken.subject.content as Record<string, unknown>).environment = 'not-an-object';
      const [seq] = await storeEvents(db.store, [broken]);
      expect(await rowsOf(seq)).toEqual([]);
    });

    it('enqueues nothing more when the same event is posted again (a duplicate)', async () => {
      const event = buildEmittedEvent();
      const [seq] = await storeEvents(db.store, [event]);
      await db.store.insertEvents([buildNewEvent(event)]);
      expect(await rowsOf(seq)).toEqual(['deploys', 'everything']);
    });

    it('enqueueForSinks is idempotent, so a caller may offer an event again', async () => {
      const [seq] = await storeEvents(db.store, [buildEmittedEvent({ type: 'incident.detected' })]);
      expect(await enqueueForSinks(db.store.sql, seq)).toBe(0);
      expect(await rowsOf(seq)).toEqual(['everything', 'incidents']);
    });

    it('enqueues nothing when the transaction that stored the event rolls back', async () => {
      const event = buildEmittedEvent();
      await expect(
        db.store.sql.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO events (seq, source, context_id, type, received_at, sort_time, payload, verdict, direction)
             VALUES (nextval('events_seq_seq'), $1, $2, $3, now(), now(), $4::jsonb, 'valid', 'emitted')`,
            [event.context.source, event.context.id, event.context.type, JSON.stringify(event)],
          );
          throw new Error('the caller failed after the insert');
        }),
      ).rejects.toThrow('the caller failed after the insert');
      const { rows } = await db.store.sql.query(
        'SELECT 1 FROM outbox o JOIN events e ON e.seq = o.event_seq WHERE e.context_id = $1',
        [event.context.id],
      );
      expect(rows).toEqual([]);
    });

    it('stops enqueueing for a sink dropped from the configuration, and keeps its rows', async () => {
      const [before] = await storeEvents(db.store, [buildEmittedEvent()]);
      await outbox.registerSinks([everything, incidentsOnly]);
      try {
        const [after] = await storeEvents(db.store, [buildEmittedEvent()]);
        expect(await rowsOf(after)).toEqual(['everything']);
        expect(await rowsOf(before)).toEqual(['deploys', 'everything']);
        expect((await outbox.countBySink()).find((sink) => sink.name === 'deploys')).toMatchObject({ enabled: false });
      } finally {
        await outbox.registerSinks([everything, deploysOnly, incidentsOnly]);
      }
    });
  });

  describe('claims and leases', () => {
    let claimable: OutboxStore;
    const sink: SinkSettings = { ...everything, name: 'leases' };
    beforeAll(async () => {
      claimable = createOutboxStore(db.store.sql);
      await claimable.registerSinks([everything, deploysOnly, incidentsOnly, sink]);
    });

    it('lets no second claim take a row under a live lease, and retakes it when the lease runs out', async () => {
      const [seq] = await storeEvents(db.store, [buildEmittedEvent({ type: 'incident.detected' })]);
      const now = new Date();
      const first = (await claimable.claimDue({ sinks: ['leases'], now, leaseMs: 60_000, limit: 100 })).filter(
        (claim) => claim.eventSeq === seq,
      );
      expect(first).toHaveLength(1);
      expect(first[0].attempt).toBe(1);
      const during = await claimable.claimDue({
        sinks: ['leases'],
        now: new Date(now.getTime() + 59_000),
        leaseMs: 60_000,
        limit: 100,
      });
      expect(during.filter((claim) => claim.eventSeq === seq)).toEqual([]);

      // The first worker died: after its lease, another takes the row, and the attempt counts.
      const retaken = (
        await claimable.claimDue({
          sinks: ['leases'],
          now: new Date(now.getTime() + 61_000),
          leaseMs: 60_000,
          limit: 100,
        })
      ).filter((claim) => claim.eventSeq === seq);
      expect(retaken).toHaveLength(1);
      expect(retaken[0].attempt).toBe(2);
      expect(retaken[0].event.context.type).toMatch(/^dev\.cdevents\.incident\.detected\./);

      // The first worker wakes up late: its outcome is not written over the new owner's.
      const at = new Date(now.getTime() + 62_000);
      const lateWrite = await claimable.recordAttempt(first[0], {
        step: { status: 'delivered' },
        result: { ok: true, statusCode: 201 },
        at,
        durationMs: 5,
      });
      expect(lateWrite).toBe(false);
      const ownerWrite = await claimable.recordAttempt(retaken[0], {
        step: { status: 'delivered' },
        result: { ok: true, statusCode: 202 },
        at,
        durationMs: 7,
      });
      expect(ownerWrite).toBe(true);
      const [row] = (await claimable.listDeliveries(seq)).filter((delivery) => delivery.sink === 'leases');
      expect(row).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 202, deliveredAt: at });
      // Both sends happened, so both are in the log.
      expect(row.log.map((entry) => [entry.attempt, entry.statusCode])).toEqual([
        [1, 201],
        [2, 202],
      ]);
    });

    it('gives back a claim that was never sent, without counting an attempt', async () => {
      const [seq] = await storeEvents(db.store, [buildEmittedEvent({ type: 'incident.detected' })]);
      const now = new Date();
      const claims = (await claimable.claimDue({ sinks: ['leases'], now, leaseMs: 60_000, limit: 100 })).filter(
        (claim) => claim.eventSeq === seq,
      );
      expect(await claimable.releaseClaim(claims[0].claimToken)).toBeGreaterThanOrEqual(1);
      const again = (await claimable.claimDue({ sinks: ['leases'], now, leaseMs: 60_000, limit: 100 })).filter(
        (claim) => claim.eventSeq === seq,
      );
      expect(again.map((claim) => claim.attempt)).toEqual([1]);
    });
  });
});
