/**
 * Retention: removes events older than a cutoff (by their time in the tab: the
 * event's timestamp, else when it was received) with every row that exists
 * because of them: identities, attributions, app facts, correlation keys, outbox rows,
 * delivery attempts, trigger firings (and their causes). Since migration 014
 * no foreign key cascades from events, so each is deleted here.
 *
 * Kept whatever their age, until the work on them is done:
 *   - an emitted event still pending in the outbox (not yet delivered or dead-lettered);
 *   - an event still in the trigger inbox, or with a trigger firing pending or running.
 *
 * A whole week older than the cutoff whose events have no work in flight is
 * dropped: its partitions (events and the side tables partitioned with it) are detached (CONCURRENTLY on PostgreSQL, so
 * ingest keeps writing meanwhile) and dropped, then its identities and side
 * rows are deleted in batches. Everything else past the cutoff (the week the
 * cutoff falls in, weeks with work in flight) goes by batched deletes of
 * `batchSize` events, each its own statement. Either way no event older than
 * the cutoff is left, bar work in flight. One replica sweeps at a time (an
 * advisory lock); the others skip that round.
 *
 * The optional cap per app (CDEVENTS_RETENTION_MAX_EVENTS_PER_APP) removes an
 * app's oldest events beyond the cap: an event shown in several apps' tabs
 * goes only when it is beyond the cap in every one of them.
 */
import type { SqlExecutor, SqlQueryable } from './sqlExecutor';
import type { StoreKind } from './types';

export interface ExpireOptions {
  /** Events whose time is before this are expired. */
  before: Date;
  /** Events per statement. */
  batchSize?: number;
  /** Events kept per app (its newest); 0 or absent: no cap. */
  maxEventsPerApp?: number;
}

export interface ExpireResult {
  expired: number;
  /** Events past the cutoff kept because work on them is not done. */
  keptForWork: number;
}

/** Work in flight on the event `e`: such an event is never removed. */
const noWorkInFlight = `
    NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_seq = e.seq AND o.status = 'pending')
    AND NOT EXISTS (SELECT 1 FROM trigger_inbox i WHERE i.event_seq = e.seq)
    AND NOT EXISTS (SELECT 1 FROM trigger_firings f WHERE f.event_seq = e.seq AND f.status IN ('pending', 'running'))`;

/**
 * Deletes the events of `doomed` (seq, sort_time, source, context_id) with their side rows, in one
 * statement: the data-modifying CTEs all see the same snapshot. Delivery attempts go with their outbox
 * rows, trigger causes with their firings (those foreign keys stay). No doomed event has a trigger inbox
 * row: that is work in flight.
 */
function deleteEventsSql(doomed: string): string {
  return `
WITH doomed AS (${doomed}),
apps AS (
  DELETE FROM event_apps ea USING doomed d WHERE ea.event_seq = d.seq AND ea.sort_time = d.sort_time
),
keys AS (
  DELETE FROM event_keys k USING doomed d WHERE k.event_seq = d.seq AND k.sort_time = d.sort_time
),
facts AS (
  DELETE FROM app_facts f USING doomed d WHERE f.event_seq = d.seq AND f.sort_time = d.sort_time
),
outboxed AS (
  DELETE FROM outbox WHERE event_seq IN (SELECT seq FROM doomed)
),
fired AS (
  DELETE FROM trigger_firings WHERE event_seq IN (SELECT seq FROM doomed)
),
identities AS (
  DELETE FROM event_identities i USING doomed d
  WHERE i.source = d.source AND i.context_id = d.context_id AND i.seq = d.seq
)
DELETE FROM events e USING doomed d WHERE e.seq = d.seq AND e.sort_time = d.sort_time RETURNING e.seq`;
}

const expireBatchSql = deleteEventsSql(`
  SELECT e.seq, e.sort_time, e.source, e.context_id FROM events e
  WHERE e.sort_time < $1::timestamptz AND ${noWorkInFlight}
  ORDER BY e.sort_time
  LIMIT $2
  FOR UPDATE SKIP LOCKED`);

/**
 * An app's events beyond its newest $1, oldest first. An event attributed to several apps goes only when
 * it is beyond the cap in each of them (an app's tab keeps its newest $1 whatever other apps hold).
 * Attributions to any instance or namespace ('*') count as apps of their own; an event in no app's tab
 * is not counted by any cap (only the age limit removes it).
 */
const capBatchSql = deleteEventsSql(`
  SELECT e.seq, e.sort_time, e.source, e.context_id FROM events e
  WHERE e.seq IN (
    SELECT ranked.event_seq FROM (
      SELECT ea.event_seq,
        row_number() OVER (PARTITION BY ea.instance, ea.app_namespace, ea.app_name
                           ORDER BY ea.sort_time DESC, ea.event_seq DESC) AS place
      FROM (SELECT DISTINCT event_seq, sort_time, instance, app_namespace, app_name FROM event_apps) ea
    ) AS ranked
    GROUP BY ranked.event_seq
    HAVING min(ranked.place) > $1
  )
  AND ${noWorkInFlight}
  ORDER BY e.sort_time
  LIMIT $2
  FOR UPDATE SKIP LOCKED`);

/** Runs a batched delete until a batch comes back short; resolves with how many events left. */
async function deleteInBatches(sql: SqlQueryable, statement: string, first: unknown, batchSize: number) {
  let removed = 0;
  for (;;) {
    const count = (await sql.query(statement, [first, batchSize])).rows.length;
    removed += count;
    if (count < batchSize) return removed;
  }
}

const DAY_MS = 86_400_000;

/** The Monday 00:00 UTC of the week that holds `at`: partitions span [monday, monday + 7 days). */
export function weekStartOf(at: Date): Date {
  const day = Math.floor(at.getTime() / DAY_MS);
  // 1970-01-01 was a Thursday: day 0 is 3 days after a Monday. (The double modulo keeps days before 1970 right.)
  return new Date((day - ((((day + 3) % 7) + 7) % 7)) * DAY_MS);
}

/** How many weeks past the current one have partitions, so ingest almost never has to create one. */
export const WEEKS_AHEAD = 4;

/** Creates this week's partitions and those of the WEEKS_AHEAD weeks after it, where missing. */
export async function addWeekPartitionsAhead(sql: SqlQueryable, now: Date): Promise<void> {
  await sql.query(
    `SELECT cdevents_add_week_partition(week)
     FROM generate_series($1::timestamptz, $1::timestamptz + $2::int * interval '1 week', interval '1 week') AS week`,
    [weekStartOf(now).toISOString(), WEEKS_AHEAD],
  );
}

export const PARTITIONED_TABLES = ['events', 'event_apps', 'event_keys', 'app_facts'] as const;

/** The week partitions of events (events_wYYYYMMDD) that end at or before `before`, oldest first. */
async function listExpiredWeeks(sql: SqlQueryable, before: Date): Promise<Date[]> {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'events'::regclass AND NOT i.inhdetachpending AND c.relname ~ '^events_w[0-9]{8}$'
     ORDER BY c.relname`,
  );
  const weeks: Date[] = [];
  for (const { name } of rows) {
    const start = parseWeekStart(name.slice('events_w'.length));
    if (start.getTime() + 7 * DAY_MS <= before.getTime()) weeks.push(start);
  }
  return weeks;
}

function partitionName(table: string, weekStart: Date): string {
  return `${table}_w${weekStart.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** Work in flight on any event of the events table (or detached partition) `table`. */
async function hasWorkInFlight(sql: SqlQueryable, table: string): Promise<boolean> {
  const { rows } = await sql.query<{ busy: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM outbox o JOIN ${table} e ON e.seq = o.event_seq WHERE o.status = 'pending')
        OR EXISTS (SELECT 1 FROM trigger_inbox i JOIN ${table} e ON e.seq = i.event_seq)
        OR EXISTS (SELECT 1 FROM trigger_firings f JOIN ${table} e ON e.seq = f.event_seq
                   WHERE f.status IN ('pending', 'running')) AS busy`,
  );
  return rows[0]!.busy;
}

/** Whether a week's table (e.g. events_w20260601) is a partition of its table now. */
async function isAttached(sql: SqlQueryable, table: string, name: string): Promise<boolean> {
  const { rows } = await sql.query(
    `SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = $1::regclass AND c.relname = $2 AND NOT i.inhdetachpending`,
    [table, name],
  );
  return rows.length > 0;
}

/**
 * Detaches a week's partitions, those still attached. CONCURRENTLY (PostgreSQL 14+) waits for
 * the queries that see the partition instead of locking the whole table against them, so ingest goes
 * on; it cannot run in a transaction, so each table is its own statement. PGlite runs one query at a
 * time: nothing to wait for there.
 */
async function detachWeek(sql: SqlQueryable, kind: StoreKind, weekStart: Date): Promise<void> {
  const concurrently = kind === 'postgres' ? ' CONCURRENTLY' : '';
  for (const table of PARTITIONED_TABLES) {
    const name = partitionName(table, weekStart);
    if (await isAttached(sql, table, name)) {
      await sql.query(`ALTER TABLE ${table} DETACH PARTITION ${name}${concurrently}`);
    }
  }
}

/** Attaches a detached week's partitions again, those not attached. */
async function reattachWeek(sql: SqlQueryable, weekStart: Date): Promise<void> {
  const weekEnd = new Date(weekStart.getTime() + 7 * DAY_MS);
  const bounds = `FROM ('${weekStart.toISOString()}') TO ('${weekEnd.toISOString()}')`;
  for (const table of PARTITIONED_TABLES) {
    const name = partitionName(table, weekStart);
    if (!(await isAttached(sql, table, name))) {
      await sql.query(`ALTER TABLE ${table} ATTACH PARTITION ${name} FOR VALUES ${bounds}`);
    }
  }
}

/**
 * Detached week tables are renamed at once, so that an old event arriving for that week makes ingest
 * create a fresh partition under the usual name (migration 014's cdevents_add_week_partition).
 */
async function renameDetached(sql: SqlQueryable, weekStart: Date): Promise<void> {
  for (const table of PARTITIONED_TABLES) {
    const name = partitionName(table, weekStart);
    await sql.query(`ALTER TABLE IF EXISTS ${name} RENAME TO expired_${name}`);
  }
}

/** Deletes the identities and side rows of a detached week's events in batches, then drops its tables. */
async function dropDetachedWeek(sql: SqlQueryable, weekStart: Date, batchSize: number): Promise<number> {
  const eventsTable = `expired_${partitionName('events', weekStart)}`;
  const count = Number(
    (await sql.query<{ count: string }>(`SELECT count(*)::text AS count FROM ${eventsTable}`)).rows[0]!.count,
  );
  const sideRowsBatchSql = `
    WITH doomed AS (
      SELECT seq, source, context_id FROM ${eventsTable} WHERE seq > $1::bigint ORDER BY seq LIMIT $2
    ), outboxed AS (
      DELETE FROM outbox WHERE event_seq IN (SELECT seq FROM doomed)
    ), fired AS (
      DELETE FROM trigger_firings WHERE event_seq IN (SELECT seq FROM doomed)
    ), identities AS (
      DELETE FROM event_identities i USING doomed d
      WHERE i.source = d.source AND i.context_id = d.context_id AND i.seq = d.seq
    )
    SELECT max(seq)::text AS last, count(*)::int AS n FROM doomed`;
  let after = '0';
  for (;;) {
    const { rows } = await sql.query<{ last: string | null; n: number }>(sideRowsBatchSql, [after, batchSize]);
    if (rows[0]!.last === null || rows[0]!.n < batchSize) break;
    after = rows[0]!.last;
  }
  for (const table of PARTITIONED_TABLES) {
    await sql.query(`DROP TABLE IF EXISTS expired_${partitionName(table, weekStart)}`);
  }
  return count;
}

/**
 * Drops one week older than the cutoff: detaches its partitions, then, unless an event stored
 * meanwhile brought work with it (the week is attached again, undefined), renames and drops them with
 * the identities and side rows of their events. A week with work in flight is not touched (undefined);
 * the batched delete then takes its events that have none.
 */
async function dropWeek(
  sql: SqlQueryable,
  kind: StoreKind,
  weekStart: Date,
  batchSize: number,
): Promise<number | undefined> {
  const eventsPartition = partitionName('events', weekStart);
  if (await hasWorkInFlight(sql, eventsPartition)) return undefined;
  await detachWeek(sql, kind, weekStart);
  return finishDetachedWeek(sql, weekStart, batchSize);
}

/** After the detach: the check again for work an event stored meanwhile brought, then the drop. */
async function finishDetachedWeek(sql: SqlQueryable, weekStart: Date, batchSize: number): Promise<number | undefined> {
  if (await hasWorkInFlight(sql, partitionName('events', weekStart))) {
    await reattachWeek(sql, weekStart);
    return undefined;
  }
  await renameDetached(sql, weekStart);
  return dropDetachedWeek(sql, weekStart, batchSize);
}

/**
 * A sweep that stopped half-way (the process died, the connection dropped) can leave a partition "detach
 * pending" (FINALIZE completes the detach), or a week detached and not yet dropped: both are finished
 * here, so the week goes like the others (or is attached again if it has work in flight).
 */
async function finishInterruptedDrops(sql: SqlQueryable, kind: StoreKind, batchSize: number): Promise<number> {
  const pending = await sql.query<{ parent: string; name: string }>(
    `SELECT p.relname AS parent, c.relname AS name
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE i.inhdetachpending AND p.relname = ANY($1::text[])`,
    [PARTITIONED_TABLES],
  );
  for (const row of pending.rows) {
    await sql.query(`ALTER TABLE ${row.parent} DETACH PARTITION ${row.name} FINALIZE`);
  }
  // Week tables of events that are no partition: detached by a sweep that did not get to drop them.
  const detached = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND NOT c.relispartition
       AND c.relname ~ '^(expired_)?events_w[0-9]{8}$'`,
  );
  let removed = 0;
  for (const { name } of detached.rows) {
    const weekStart = parseWeekStart(name.slice(-8));
    if (name.startsWith('expired_')) {
      // Renamed only after the check for work: what is left is to drop it.
      removed += await dropDetachedWeek(sql, weekStart, batchSize);
    } else {
      await detachWeek(sql, kind, weekStart);
      removed += (await finishDetachedWeek(sql, weekStart, batchSize)) ?? 0;
    }
  }
  return removed;
}

/** 20260601 → 2026-06-01T00:00:00Z. */
function parseWeekStart(digits: string): Date {
  return new Date(`${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}T00:00:00Z`);
}

/** An arbitrary constant naming "a retention sweep runs" among the database's advisory locks. */
const SWEEP_LOCK_KEY = 4_202_618;

/**
 * One sweep. It holds a session-level advisory lock throughout, so replicas sweep one at a time: a
 * replica that finds the lock taken skips this round (resolving with nothing expired), rather than
 * racing the other over the same weeks' detaches.
 */
export async function expireEvents(sql: SqlExecutor, options: ExpireOptions): Promise<ExpireResult> {
  const batchSize = options.batchSize ?? 5_000;
  const before = options.before.toISOString();
  return sql.session(async (connection) => {
    const { rows } = await connection.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      SWEEP_LOCK_KEY,
    ]);
    if (!rows[0]!.locked) return { expired: 0, keptForWork: 0 };
    try {
      let expired = await finishInterruptedDrops(connection, sql.kind, batchSize);
      for (const week of await listExpiredWeeks(connection, options.before)) {
        expired += (await dropWeek(connection, sql.kind, week, batchSize)) ?? 0;
      }
      // The week the cutoff falls in and weeks with work in flight: row by row.
      expired += await deleteInBatches(connection, expireBatchSql, before, batchSize);
      if (options.maxEventsPerApp !== undefined && options.maxEventsPerApp > 0) {
        expired += await deleteInBatches(connection, capBatchSql, options.maxEventsPerApp, batchSize);
      }
      const kept = await connection.query<{ count: string }>(
        'SELECT count(*)::text AS count FROM events WHERE sort_time < $1::timestamptz',
        [before],
      );
      return { expired, keptForWork: Number(kept.rows[0]!.count) };
    } finally {
      await connection.query('SELECT pg_advisory_unlock($1)', [SWEEP_LOCK_KEY]);
    }
  });
}
