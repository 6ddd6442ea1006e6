/**
 * Retention: removes events older than a cutoff (by their time in the tab: the
 * event's timestamp, else when it was received) with every row that exists
 * because of them. Outbox rows, delivery attempts and trigger firings go by
 * their foreign keys; event_apps and event_keys (no foreign keys since
 * migration 008) are deleted here, in the same statement.
 *
 * Kept whatever their age, until the work on them is done:
 *   - an emitted event still pending in the outbox (not yet delivered or dead-lettered);
 *   - an event still in the trigger inbox, or with a trigger firing pending or running.
 *
 * Batches of `batchSize` events, each its own statement (a transaction), taken
 * with SKIP LOCKED so two replicas expiring at once share the work.
 */
import type { SqlExecutor } from './sqlExecutor';

export interface ExpireOptions {
  /** Events whose time is before this are expired. */
  before: Date;
  /** Events per statement. */
  batchSize?: number;
}

export interface ExpireResult {
  expired: number;
  /** Events past the cutoff kept because work on them is not done. */
  keptForWork: number;
}

const expireBatchSql = `
WITH doomed AS (
  SELECT e.seq FROM events e
  WHERE e.sort_time < $1::timestamptz
    AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_seq = e.seq AND o.status = 'pending')
    AND NOT EXISTS (SELECT 1 FROM trigger_inbox i WHERE i.event_seq = e.seq)
    AND NOT EXISTS (SELECT 1 FROM trigger_firings f WHERE f.event_seq = e.seq AND f.status IN ('pending', 'running'))
  ORDER BY e.sort_time
  LIMIT $2
  FOR UPDATE SKIP LOCKED
), apps AS (
  DELETE FROM event_apps WHERE event_seq IN (SELECT seq FROM doomed)
), keys AS (
  DELETE FROM event_keys WHERE event_seq IN (SELECT seq FROM doomed)
)
DELETE FROM events WHERE seq IN (SELECT seq FROM doomed) RETURNING seq`;

export async function expireEvents(sql: SqlExecutor, options: ExpireOptions): Promise<ExpireResult> {
  const batchSize = options.batchSize ?? 5_000;
  const before = options.before.toISOString();
  let expired = 0;
  for (;;) {
    const count = (await sql.query(expireBatchSql, [before, batchSize])).rows.length;
    expired += count;
    if (count < batchSize) break;
  }
  const kept = await sql.query<{ count: string }>(
    'SELECT count(*)::text AS count FROM events WHERE sort_time < $1::timestamptz',
    [before],
  );
  return { expired, keptForWork: Number(kept.rows[0]!.count) };
}
