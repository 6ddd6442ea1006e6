/**
 * What the store takes on disk: each of our tables with its indexes and TOAST
 * (pg_total_relation_size; PGlite is PostgreSQL too), a partitioned table as the
 * sum of its partitions (migration 014: a partitioned table has no storage of
 * its own), and per event the events table plus the side rows every event has
 * (its identity in event_identities, attributions in event_apps, correlation
 * keys in event_keys) and the facts the summary reads of some (app_facts, migration 015). The other tables (outbox, deliveries,
 * triggers) hold work in flight or settings, not history, and are listed on
 * their own.
 */
import type { SqlExecutor } from './sqlExecutor';

/** The tables whose rows come and go with stored events: their size over the event count is bytes per event. */
export const PER_EVENT_RELATIONS = ['events', 'event_identities', 'event_apps', 'event_keys', 'app_facts'] as const;

export interface StorageFigures {
  /** Bytes of each table of ours, indexes and TOAST included. */
  relationBytes: Record<string, number>;
  /** Stored events: counted exactly while small, else PostgreSQL's estimate (kept by ANALYZE). */
  events: number;
  /** Bytes of PER_EVENT_RELATIONS over `events`; null while the store is empty. */
  bytesPerEvent: number | null;
}

/** Past this many events (by the planner's estimate), counting them exactly costs a scan a scrape should not. */
const EXACT_COUNT_LIMIT = 200_000;

export async function measureStorage(sql: SqlExecutor): Promise<StorageFigures> {
  const relations = await sql.query<{ name: string; bytes: string; estimate: string }>(
    `SELECT c.relname AS name,
       -- pg_partition_tree lists nothing for a plain table: its own size is its size.
       CASE WHEN c.relkind = 'p'
         THEN (SELECT sum(pg_total_relation_size(t.relid)) FROM pg_partition_tree(c.oid) t)
         ELSE pg_total_relation_size(c.oid)
       END::bigint::text AS bytes,
       (SELECT sum(greatest(p.reltuples, 0)) FROM pg_partition_tree(c.oid) t JOIN pg_class p ON p.oid = t.relid
        WHERE t.isleaf)::bigint::text AS estimate
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND c.relname <> 'schema_migrations'
     ORDER BY c.relname`,
  );
  const relationBytes: Record<string, number> = {};
  for (const row of relations.rows) relationBytes[row.name] = Number(row.bytes);
  const estimate = Number(relations.rows.find((row) => row.name === 'events')?.estimate ?? -1);
  const events =
    estimate >= EXACT_COUNT_LIMIT
      ? estimate
      : Number((await sql.query<{ count: string }>('SELECT count(*)::text AS count FROM events')).rows[0]!.count);
  const perEventBytes = PER_EVENT_RELATIONS.reduce((sum, name) => sum + (relationBytes[name] ?? 0), 0);
  return { relationBytes, events, bytesPerEvent: events > 0 ? perEventBytes / events : null };
}
