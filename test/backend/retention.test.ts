/**
 * Retention on PGlite and the real PostgreSQL: events older than the cutoff
 * leave with their attributions, app facts, correlation keys, outbox rows and deliveries;
 * an emitted event not yet delivered (or one triggers still work on) stays
 * until that is done; newer events are untouched.
 */
import { createEvent } from '../../src/cdevents';
import { createOutboxStore } from '../../src/backend/sinks/outboxStore';
import { sinkDefaults } from '../../src/backend/sinks/parseSinkSettings';
import { expireEvents } from '../../src/backend/store/expireEvents';
import { startRetention } from '../../src/backend/store/startRetention';
import { storeEvents } from './sinks/emittedEvents';
import { openTestDatabase, type TestDatabase } from './sinks/openTestDatabase';

const DAY = 86_400_000;
const now = new Date('2026-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY).toISOString();

function artifactPublished(id: string, timestamp: string) {
  return createEvent({
    type: 'artifact.published',
    source: '/ci/retention',
    id,
    timestamp,
    subject: { id: `pkg:oci/auth@sha256%3A${id.padEnd(16, '0')}`, content: {} },
  });
}

function emittedDeploy(id: string, timestamp: string) {
  return createEvent({
    type: 'service.deployed',
    source: '/argocd/test/argocd',
    id,
    timestamp,
    subject: {
      id: 'argocd/auth',
      content: { environment: { id: 'prod' }, artifactId: 'pkg:oci/auth@sha256%3A0123456789abcdef' },
    },
  });
}

describe.each(['pglite', 'postgres'] as const)('retention on %s', (kind) => {
  let db: TestDatabase;
  const count = async (table: string, seqs: number[]) =>
    Number(
      (
        await db.store.sql.query<{ count: string }>(
          `SELECT count(*)::text AS count FROM ${table} WHERE event_seq = ANY($1::bigint[])`,
          [seqs],
        )
      ).rows[0]!.count,
    );
  const present = async (seqs: number[]) =>
    (
      await db.store.sql.query<{ seq: string }>(
        'SELECT seq::text AS seq FROM events WHERE seq = ANY($1::bigint[]) ORDER BY seq',
        [seqs],
      )
    ).rows.map((row) => Number(row.seq));

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    await createOutboxStore(db.store.sql).registerSinks([
      { ...sinkDefaults, name: 'hook', kind: 'http', url: 'http://127.0.0.1:9/hook', headers: {} },
    ]);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('removes events past the cutoff with their side rows, keeps newer ones and undelivered emitted ones', async () => {
    const old = await storeEvents(db.store, [
      artifactPublished('old-1', daysAgo(120)),
      artifactPublished('old-2', daysAgo(91)),
    ]);
    const recent = await storeEvents(db.store, [artifactPublished('new-1', daysAgo(89))]);
    const [delivered, pending] = await storeEvents(db.store, [
      emittedDeploy('dep-delivered', daysAgo(100)),
      emittedDeploy('dep-pending', daysAgo(100)),
    ]);
    await db.store.sql.query(`UPDATE outbox SET status = 'delivered' WHERE event_seq = $1`, [delivered]);
    await db.store.sql.query(
      `INSERT INTO delivery_attempts (event_seq, sink, attempt, at, outcome, duration_ms) VALUES ($1, 'hook', 1, now(), 'delivered', 12)`,
      [delivered],
    );
    expect(await count('event_keys', [...old, delivered])).toBeGreaterThan(0);
    expect(await count('event_apps', [delivered, pending])).toBe(2);
    // The deploys are the summary's facts of their app (migration 015): those rows go with them too.
    expect(await count('app_facts', [delivered, pending])).toBe(2);
    expect(await count('outbox', [delivered, pending])).toBe(2);

    const result = await expireEvents(db.store.sql, { before: new Date(now.getTime() - 90 * DAY), batchSize: 1 });

    expect(result).toEqual({ expired: 3, keptForWork: 1 });
    expect(await present([...old, ...recent, delivered, pending])).toEqual([...recent, pending]);
    for (const table of ['event_keys', 'event_apps', 'app_facts', 'outbox', 'delivery_attempts']) {
      expect({ table, rows: await count(table, [...old, delivered]) }).toEqual({ table, rows: 0 });
    }
    expect(await count('outbox', [pending])).toBe(1);

    // Once the sink gives up on it (dead-lettered), the emitted event goes too.
    await db.store.sql.query(`UPDATE outbox SET status = 'dead' WHERE event_seq = $1`, [pending]);
    expect(await expireEvents(db.store.sql, { before: new Date(now.getTime() - 90 * DAY) })).toEqual({
      expired: 1,
      keptForWork: 0,
    });
    expect(await present([pending])).toEqual([]);
  });

  it('sweeps on start and on demand with CDEVENTS_RETENTION_DAYS, and does nothing with 0', async () => {
    const [old] = await storeEvents(db.store, [artifactPublished('sweep-old', daysAgo(40))]);
    const logged: string[] = [];
    const logger = { info: (_fields: unknown, message: string) => logged.push(message), error: () => undefined };

    const off = startRetention({ sql: db.store.sql, retentionDays: 0, sweepMinutes: 60, logger, now: () => now });
    expect(await off.sweep()).toBeUndefined();
    await off.stop();
    expect(await present([old!])).toEqual([old]);

    const expired: number[] = [];
    const on = startRetention({
      sql: db.store.sql,
      retentionDays: 30,
      sweepMinutes: 60,
      logger,
      now: () => now,
      onExpired: (n) => expired.push(n),
    });
    await on.sweep();
    await on.stop();
    expect(await present([old!])).toEqual([]);
    // The sweep at start removed it and the 89-day-old event of the test before; the one asked for found nothing more.
    expect(expired).toEqual([2, 0]);
    expect(logged).toContain('retention: removed 2 events older than 30 days');
  });
});
