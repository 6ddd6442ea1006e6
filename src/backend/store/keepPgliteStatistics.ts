/**
 * PGlite has no autovacuum, so nothing refreshes the planner's statistics as events arrive: a store
 * filled after its last ANALYZE is planned as if it were empty, and the tab's list with its fold counts
 * was measured about 5× slower that way at 10,000 events (`npm run bench -- ui`). This does what
 * autovacuum's analyze threshold does on PostgreSQL: once the rows written since the last ANALYZE pass
 * 50 + 10% of the rows then counted, it runs ANALYZE on the event tables, after the write's commit and
 * one at a time, so no ingest waits for it; and, as autovacuum's naptime does, at most once per 10 s, so
 * a bulk load does not spend its time re-analysing a store that grows by 10% a batch.
 */
import type { SqlQueryable } from './sqlExecutor';

/** The tables the tab's reads plan over (the parents of the week partitions, which ANALYZE recurses into). */
const analyzeSql = 'ANALYZE event_identities, events, event_apps, event_keys, app_facts';
const countSql = 'SELECT count(*)::int AS count FROM event_identities';

/** PostgreSQL's defaults: autovacuum_analyze_threshold and autovacuum_analyze_scale_factor. */
const BASE_THRESHOLD = 50;
const SCALE_FACTOR = 0.1;
const MIN_INTERVAL_MS = 10_000;

export interface StatisticsKeeper {
  /** Counts rows a committed write added or removed; may start an ANALYZE in the background. */
  noteWritten(rows: number): void;
  /** Cancels a waiting ANALYZE and resolves when none is running (close). */
  stop(): Promise<void>;
}

export interface StatisticsKeeperOptions {
  /** Rows in the store now (after the ANALYZE the caller ran at start). */
  rowsAtStart: number;
  /** A failed ANALYZE is reported here and tried again at the next threshold; ingest is unaffected. */
  onError?: (error: unknown) => void;
}

/** Runs ANALYZE now and returns how many events the store holds, to start a keeper with. */
export async function analyzeStore(sql: SqlQueryable): Promise<number> {
  await sql.query(analyzeSql);
  const result = await sql.query<{ count: number }>(countSql);
  return Number(result.rows[0]?.count ?? 0);
}

export function keepPgliteStatistics(sql: SqlQueryable, options: StatisticsKeeperOptions): StatisticsKeeper {
  let rowsAtLastAnalyze = options.rowsAtStart;
  let writtenSince = 0;
  let running: Promise<void> | undefined;
  let waiting: NodeJS.Timeout | undefined;
  let lastStartedAt = Number.NEGATIVE_INFINITY;
  let stopped = false;

  const analyze = async (): Promise<void> => {
    writtenSince = 0;
    lastStartedAt = Date.now();
    try {
      rowsAtLastAnalyze = await analyzeStore(sql);
    } catch (error) {
      options.onError?.(error);
    } finally {
      running = undefined;
    }
    // Writes that arrived while it ran may already be past the next threshold.
    maybeAnalyze();
  };

  const maybeAnalyze = (): void => {
    if (running || waiting || stopped) return;
    if (writtenSince < BASE_THRESHOLD + SCALE_FACTOR * rowsAtLastAnalyze) return;
    const wait = lastStartedAt + MIN_INTERVAL_MS - Date.now();
    if (wait > 0) {
      waiting = setTimeout(() => {
        waiting = undefined;
        maybeAnalyze();
      }, wait);
      waiting.unref();
      return;
    }
    running = analyze();
  };

  return {
    noteWritten(rows: number): void {
      if (rows <= 0) return;
      writtenSince += rows;
      maybeAnalyze();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(waiting);
      waiting = undefined;
      while (running) await running;
    },
  };
}
