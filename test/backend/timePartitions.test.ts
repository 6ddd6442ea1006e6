/**
 * Time partitions (migration 014, ADR 0011) on PGlite and the real PostgreSQL:
 * a store filled by migrations 001-013 moves over without losing a row, seq or
 * side row, and ingest, the tab and chains work on it afterwards; an event of a
 * week without a partition is still stored; retention drops whole expired
 * weeks; the cap per app removes an app's oldest events.
 */
import { createEvent } from '../../src/cdevents';
import { loadChain } from '../../src/backend/store/chainQueries';
import { encodeEventKey } from '../../src/backend/store/eventKey';
import { expireEvents, PARTITIONED_TABLES } from '../../src/backend/store/expireEvents';
import { measureStorage } from '../../src/backend/store/measureStorage';
import { readMigrations, runMigrations } from '../../src/backend/store/runMigrations';
import { buildNewEvent } from '../../src/backend/api/buildNewEvent';
import type { NewEvent } from '../../src/backend/store/types';
import { openTestDatabase, type TestDatabase } from './sinks/openTestDatabase';

const DAY = 86_400_000;
const app = { instance: 'default', namespace: 'argocd', name: 'auth' };

function pipelineRun(id: string, timestamp: string, chainId?: string) {
  const event = createEvent({
    type: 'pipelinerun.finished',
    source: '/ci/partitions',
    id,
    timestamp,
    subject: { id: `run-${id}`, content: { pipelineName: 'build', outcome: 'success' } },
  });
  return chainId ? { ...event, context: { ...event.context, chainId } } : event;
}

function attributed(event: ReturnType<typeof pipelineRun>, apps: Array<typeof app> = [app]): NewEvent {
  return {
    ...buildNewEvent(event),
    attributions: apps.map((target) => ({ app: target, attribution: { rule: 'subject' as const, detail: 'test' } })),
  };
}

async function rowsOf(db: TestDatabase, sql: string): Promise<unknown[]> {
  return (await db.store.sql.query(sql)).rows;
}

/** Every row of the tables migration 014 rewrites or whose foreign keys it replaces, in a stable order. */
async function snapshot(db: TestDatabase) {
  return {
    events: await rowsOf(
      db,
      `SELECT seq::text, source, context_id, type, event_time, received_at, sort_time, chain_id, payload, verdict,
         problems, direction, link_context_ids FROM events ORDER BY seq`,
    ),
    apps: await rowsOf(
      db,
      'SELECT event_seq::text, instance, app_namespace, app_name, rule, detail, sort_time FROM event_apps ORDER BY 1, 5',
    ),
    keys: await rowsOf(db, 'SELECT event_seq::text, kind, value, sort_time FROM event_keys ORDER BY 1, 2, 3'),
    outbox: await rowsOf(db, 'SELECT event_seq::text, sink, status FROM outbox ORDER BY 1, 2'),
    deliveries: await rowsOf(db, 'SELECT event_seq::text, sink, attempt, outcome FROM delivery_attempts ORDER BY 1'),
    firings: await rowsOf(db, 'SELECT event_seq::text, trigger_id, status FROM trigger_firings ORDER BY 1'),
  };
}

async function partitionsOf(db: TestDatabase, table: string): Promise<string[]> {
  const { rows } = await db.store.sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = $1::regclass ORDER BY 1`,
    [table],
  );
  return rows.map((row) => row.name);
}

describe.each(['pglite', 'postgres'] as const)('time partitions on %s', (kind) => {
  describe('migration 014 on a store filled by migrations 001-013', () => {
    let db: TestDatabase;
    afterAll(async () => {
      await db?.close();
    });

    it('moves every row, seq and side row into week partitions, and ingest, the tab and chains work after it', async () => {
      db = await openTestDatabase(kind, {
        migrations: readMigrations().filter((migration) => parseInt(migration.name, 10) <= 13),
      });
      const { sql } = db.store;
      // As the backend before 014 stored them: events of four weeks (one without a timestamp, so it sorts
      // by arrival), emitted ones enqueued for a sink by the trigger, attributions, chain keys, a delivery
      // and a trigger firing.
      await sql.query(
        `INSERT INTO outbox_sinks (name, kind, spec_version, max_attempts) VALUES ('hook', 'http', '0.5.1', 5)`,
      );
      await sql.query(
        `INSERT INTO events (source, context_id, type, subject, predicate, event_time, received_at, chain_id, payload,
           verdict, direction)
         SELECT '/ci/before-014', 'old-' || g, 'dev.cdevents.pipelinerun.finished.0.2.0', 'pipelinerun', 'finished',
           CASE WHEN g = 10 THEN NULL ELSE timestamptz '2026-05-04T10:00:00Z' + g * interval '3 days' END,
           timestamptz '2026-06-01T08:00:00Z', 'chain-old', jsonb_build_object('n', g), 'valid',
           CASE WHEN g % 3 = 0 THEN 'emitted' ELSE 'received' END
         FROM generate_series(1, 10) AS g`,
      );
      await sql.query(
        `INSERT INTO event_apps (event_seq, instance, app_namespace, app_name, rule, detail, sort_time)
         SELECT seq, 'default', 'argocd', 'auth', 'subject', 'test', sort_time FROM events`,
      );
      await sql.query(
        `INSERT INTO event_keys (kind, value, sort_time, event_seq)
         SELECT 'chain-id', chain_id, sort_time, seq FROM events`,
      );
      await sql.query(
        `INSERT INTO delivery_attempts (event_seq, sink, attempt, at, outcome, duration_ms)
         SELECT event_seq, sink, 1, now(), 'delivered', 5 FROM outbox ORDER BY event_seq LIMIT 1`,
      );
      await sql.query(
        `INSERT INTO triggers (id, instance, app_namespace, app_name, kind, name, spec, created_at, created_by,
           updated_at, updated_by)
         VALUES ('t1', 'default', 'argocd', 'auth', 'inbound', 'sync', '{}', now(), 'test', now(), 'test')`,
      );
      await sql.query(
        `INSERT INTO trigger_firings (trigger_id, event_seq, action, status, reason, fired_at)
         SELECT 't1', min(seq), 'sync', 'succeeded', 'matched', now() FROM events`,
      );
      const before = await snapshot(db);
      expect(before.outbox).toHaveLength(3);

      expect(await runMigrations(sql)).toEqual(['014_time_partitions', '015_app_facts']);

      expect(await snapshot(db)).toEqual(before);
      // May 7th to June 1st: the weeks of May 4th, 11th, 18th, 25th and June 1st hold rows.
      const weeks = await partitionsOf(db, 'events');
      expect(weeks).toEqual(expect.arrayContaining(['events_w20260504', 'events_w20260525', 'events_w20260601']));
      expect(await partitionsOf(db, 'event_apps')).toEqual(weeks.map((name) => name.replace('events', 'event_apps')));
      expect(await partitionsOf(db, 'event_keys')).toEqual(weeks.map((name) => name.replace('events', 'event_keys')));
      expect(await partitionsOf(db, 'app_facts')).toEqual(weeks.map((name) => name.replace('events', 'app_facts')));
      expect(await rowsOf(db, 'SELECT count(*)::int AS n FROM event_identities')).toEqual([{ n: 10 }]);

      // A replay is a duplicate and a changed payload a conflict, both naming the event stored before 014.
      const oldest = (before.events[0] as { seq: string; payload: object }).seq;
      const [replay, conflict, fresh] = await db.store.insertEvents([
        {
          ...buildNewEvent(pipelineRun('unused', '2026-05-07T10:00:00Z')),
          source: '/ci/before-014',
          id: 'old-1',
          payload: { n: 1 },
        },
        {
          ...buildNewEvent(pipelineRun('unused-2', '2026-05-07T10:00:00Z')),
          source: '/ci/before-014',
          id: 'old-2',
          payload: { n: 'changed' },
        },
        attributed(pipelineRun('new-1', '2026-06-02T10:00:00Z', 'chain-old')),
      ]);
      expect(replay).toMatchObject({ status: 'duplicate', key: encodeEventKey(oldest) });
      expect(conflict).toMatchObject({ status: 'conflict', key: encodeEventKey(String(Number(oldest) + 1)) });
      expect(fresh).toMatchObject({ status: 'stored' });
      // seq goes on counting after the copied rows (a claim that conflicts uses up a number, as before 014).
      const [{ seq: freshSeq }] = (
        await sql.query<{ seq: string }>(`SELECT seq::text AS seq FROM events WHERE context_id = 'new-1'`)
      ).rows as [{ seq: string }];
      expect(fresh!.key).toBe(encodeEventKey(freshSeq));
      expect(Number(freshSeq)).toBeGreaterThan(Number(oldest) + 9);

      const page = await db.store.listAppEvents({ app, limit: 100 });
      expect(page.items).toHaveLength(11);
      expect(page.items[0]!.id).toBe('new-1');
      const chain = await loadChain(sql, oldest, { depth: 5, limit: 50 });
      expect(chain?.nodes.map((node) => node.id)).toEqual(expect.arrayContaining(['old-1', 'old-5', 'new-1']));
    });
  });

  describe('on a migrated store', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await openTestDatabase(kind);
    });
    afterAll(async () => {
      await db?.close();
    });

    it('stores an event of a week without a partition, creating that week', async () => {
      const [outcome] = await db.store.insertEvents([attributed(pipelineRun('far-past', '2019-03-06T12:00:00Z'))]);
      expect(outcome).toMatchObject({ status: 'stored' });
      expect(await partitionsOf(db, 'events')).toContain('events_w20190304');
      expect((await db.store.getEvent(outcome!.key))?.id).toBe('far-past');
    });

    it('drops the weeks wholly past the cutoff, deletes the partly expired week row by row, and keeps newer events', async () => {
      // Three old weeks of events (and their identities), a week the cutoff falls in, and a recent week.
      const cutoff = new Date('2025-03-12T00:00:00Z'); // a Wednesday
      const times = [
        '2025-02-18T10:00:00Z',
        '2025-02-25T10:00:00Z',
        '2025-03-04T10:00:00Z',
        '2025-03-10T10:00:00Z', // Monday of the cutoff's week, before the cutoff
        '2025-03-13T10:00:00Z', // the cutoff's week, after it
        '2025-03-20T10:00:00Z',
      ];
      const outcomes = await db.store.insertEvents(times.map((at, index) => attributed(pipelineRun(`w-${index}`, at))));
      expect(outcomes.every((outcome) => outcome.status === 'stored')).toBe(true);
      const weeks = await partitionsOf(db, 'events');
      for (const name of ['events_w20250217', 'events_w20250224', 'events_w20250303', 'events_w20250310']) {
        expect(weeks).toContain(name);
      }
      const storage = await measureStorage(db.store.sql);
      expect(storage.events).toBe(7);
      expect(storage.relationBytes.events).toBeGreaterThan(0);

      const result = await expireEvents(db.store.sql, { before: cutoff, batchSize: 2 });

      // The 2019 event of the test before, the three old weeks' events and the Monday one.
      expect(result).toEqual({ expired: 5, keptForWork: 0 });
      const left = await rowsOf(db, `SELECT context_id FROM events ORDER BY sort_time`);
      expect(left).toEqual([{ context_id: 'w-4' }, { context_id: 'w-5' }]);
      const after = await partitionsOf(db, 'events');
      for (const name of ['events_w20190304', 'events_w20250217', 'events_w20250224', 'events_w20250303']) {
        expect(after).not.toContain(name);
      }
      // The cutoff's week stays: it holds an event still inside the horizon.
      expect(after).toContain('events_w20250310');
      expect(await partitionsOf(db, 'event_apps')).toEqual(after.map((name) => name.replace('events', 'event_apps')));
      expect(await rowsOf(db, 'SELECT count(*)::int AS n FROM event_identities')).toEqual([{ n: 2 }]);
      expect(await rowsOf(db, 'SELECT count(*)::int AS n FROM event_apps')).toEqual([{ n: 2 }]);
      // No table of a dropped week is left behind, detached or renamed.
      expect(
        await rowsOf(
          db,
          `SELECT relname FROM pg_class WHERE relname ~ 'w2025(0217|0224|0303)|w20190304' AND relkind = 'r'`,
        ),
      ).toEqual([]);

      // An expired event sent again is stored anew (it goes at the next sweep), not refused.
      const [again] = await db.store.insertEvents([attributed(pipelineRun('w-0', times[0]!))]);
      expect(again).toMatchObject({ status: 'stored' });
    });

    it('keeps a week whose emitted event is not yet delivered, and removes its other events', async () => {
      await db.store.sql.query(
        `INSERT INTO outbox_sinks (name, kind, spec_version, max_attempts) VALUES ('hook', 'http', '0.5.1', 5)`,
      );
      const emitted = {
        ...buildNewEvent(
          createEvent({
            type: 'service.deployed',
            source: '/argocd/test/argocd',
            id: 'dep-pending',
            timestamp: '2024-06-05T10:00:00Z',
            subject: {
              id: 'argocd/auth',
              content: { environment: { id: 'prod' }, artifactId: 'pkg:oci/auth@sha256%3Aab' },
            },
          }),
        ),
        direction: 'emitted' as const,
      };
      const [pending, other] = await db.store.insertEvents([
        emitted,
        attributed(pipelineRun('same-week', '2024-06-04T10:00:00Z')),
      ]);
      expect(await rowsOf(db, `SELECT status FROM outbox`)).toEqual([{ status: 'pending' }]);

      const result = await expireEvents(db.store.sql, { before: new Date('2025-01-01T00:00:00Z') });

      expect(result.keptForWork).toBe(1);
      expect(await partitionsOf(db, 'events')).toContain('events_w20240603');
      expect((await db.store.getEvent(pending!.key))?.id).toBe('dep-pending');
      expect(await db.store.getEvent(other!.key)).toBeUndefined();

      await db.store.sql.query(`UPDATE outbox SET status = 'delivered'`);
      await expireEvents(db.store.sql, { before: new Date('2025-01-01T00:00:00Z') });
      expect(await db.store.getEvent(pending!.key)).toBeUndefined();
      expect(await rowsOf(db, 'SELECT count(*)::int AS n FROM outbox')).toEqual([{ n: 0 }]);
    });
  });

  describe('an event for a week retention is dropping', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await openTestDatabase(kind);
    });
    afterAll(async () => {
      await db?.close();
    });

    /** The moment of a sweep between detaching a week's tables and renaming them (expireEvents.ts). */
    async function detachWeekTables(week: string): Promise<void> {
      for (const table of PARTITIONED_TABLES) {
        await db.store.sql.query(`ALTER TABLE ${table} DETACH PARTITION ${table}_w${week}`);
      }
    }

    it('waits for the sweep to rename the week, then stores the event in a fresh partition of that week', async () => {
      await db.store.insertEvents([attributed(pipelineRun('expiring-old', '2023-05-03T10:00:00Z'))]);
      await detachWeekTables('20230501');
      const late = db.store.insertEvents([attributed(pipelineRun('expiring-late', '2023-05-04T10:00:00Z'))]);
      await new Promise((resolve) => setTimeout(resolve, 120));
      for (const table of PARTITIONED_TABLES) {
        await db.store.sql.query(`ALTER TABLE ${table}_w20230501 RENAME TO expired_${table}_w20230501`);
      }

      const [outcome] = await late;
      expect(outcome).toMatchObject({ status: 'stored' });
      expect((await db.store.getEvent(outcome!.key))?.id).toBe('expiring-late');
      expect(await partitionsOf(db, 'events')).toContain('events_w20230501');
      // The detached week is still the sweep's to drop, untouched by the insert.
      expect(await rowsOf(db, 'SELECT context_id FROM expired_events_w20230501')).toEqual([
        { context_id: 'expiring-old' },
      ]);
    });

    it('answers 503 naming retention, and stores nothing, when the week stays detached', async () => {
      await db.store.insertEvents([attributed(pipelineRun('stuck-old', '2023-06-07T10:00:00Z'))]);
      await detachWeekTables('20230605');

      const refused = db.store.insertEvents([
        attributed(pipelineRun('stuck-new-week', '2023-07-05T10:00:00Z')),
        attributed(pipelineRun('stuck-late', '2023-06-08T10:00:00Z')),
      ]);

      await expect(refused).rejects.toMatchObject({
        statusCode: 503,
        message: expect.stringContaining('being expired by retention'),
      });
      expect(await rowsOf(db, `SELECT context_id FROM events WHERE context_id LIKE 'stuck-%'`)).toEqual([]);
    });
  });

  describe('a sweep that stopped half-way', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await openTestDatabase(kind);
    });
    afterAll(async () => {
      await db?.close();
    });

    it('finishes a week a sweep detached and did not drop', async () => {
      const [stored] = await db.store.insertEvents([attributed(pipelineRun('half-dropped', '2024-01-10T10:00:00Z'))]);
      // As if the process died after the first of the three detaches.
      await db.store.sql.query('ALTER TABLE events DETACH PARTITION events_w20240108');

      const result = await expireEvents(db.store.sql, { before: new Date('2025-01-01T00:00:00Z') });

      expect(result).toEqual({ expired: 1, keptForWork: 0 });
      expect(await db.store.getEvent(stored!.key)).toBeUndefined();
      expect(
        await rowsOf(db, `SELECT relname FROM pg_class WHERE relname LIKE '%w20240108%' AND relkind = 'r'`),
      ).toEqual([]);
      expect(await rowsOf(db, 'SELECT count(*)::int AS n FROM event_identities')).toEqual([{ n: 0 }]);
    });
  });

  describe('the cap per app', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await openTestDatabase(kind);
    });
    afterAll(async () => {
      await db?.close();
    });

    it("removes an app's oldest events beyond the cap, but not an event another app still keeps", async () => {
      const other = { ...app, name: 'billing' };
      const base = Date.now() - 10 * DAY;
      const at = (hours: number) => new Date(base + hours * 3_600_000).toISOString();
      // auth has six events; the oldest is also billing's, which has only two.
      const outcomes = await db.store.insertEvents([
        attributed(pipelineRun('shared-oldest', at(0)), [app, other]),
        attributed(pipelineRun('auth-1', at(1))),
        attributed(pipelineRun('auth-2', at(2))),
        attributed(pipelineRun('auth-3', at(3))),
        attributed(pipelineRun('auth-4', at(4))),
        attributed(pipelineRun('billing-1', at(5)), [other]),
        attributed(pipelineRun('auth-5', at(6))),
      ]);
      expect(outcomes.every((outcome) => outcome.status === 'stored')).toBe(true);

      const result = await expireEvents(db.store.sql, {
        before: new Date('2000-01-01T00:00:00Z'),
        maxEventsPerApp: 3,
        batchSize: 1,
      });

      expect(result.expired).toBe(2);
      const ids = async (target: typeof app) =>
        (await db.store.listAppEvents({ app: target, limit: 100 })).items.map((item) => item.id);
      expect(await ids(app)).toEqual(['auth-5', 'auth-4', 'auth-3', 'shared-oldest']);
      expect(await ids(other)).toEqual(['billing-1', 'shared-oldest']);
      expect(await rowsOf(db, 'SELECT count(*)::int AS n FROM event_identities')).toEqual([{ n: 5 }]);
    });
  });
});

// Replicas share one database only on PostgreSQL (PGlite is one process's own store).
describe('replicas sweeping one PostgreSQL database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('postgres');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('skips the round while another replica sweeps, and expires at the next', async () => {
    const [stored] = await db.store.insertEvents([attributed(pipelineRun('other-replica', '2024-02-07T10:00:00Z'))]);
    const other = await db.openExecutor();
    const before = new Date('2025-01-01T00:00:00Z');
    const skipped = await other.session(async (connection) => {
      // The sweep lock (expireEvents' SWEEP_LOCK_KEY), as another replica's sweep holds it.
      await connection.query('SELECT pg_advisory_lock(4202618)');
      try {
        return await expireEvents(db.store.sql, { before });
      } finally {
        await connection.query('SELECT pg_advisory_unlock(4202618)');
      }
    });
    expect(skipped).toEqual({ expired: 0, keptForWork: 0 });
    expect((await db.store.getEvent(stored!.key))?.id).toBe('other-replica');
    expect(await expireEvents(db.store.sql, { before })).toEqual({ expired: 1, keptForWork: 0 });
  });
});
