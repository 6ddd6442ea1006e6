/**
 * Runs a sweep once at start and then every CDEVENTS_RETENTION_SWEEP_MINUTES,
 * one sweep at a time. Each creates the week partitions ahead (migration 014),
 * so ingest almost never has to, and, unless retention is off (0 days and no
 * cap per app), removes events older than CDEVENTS_RETENTION_DAYS and those
 * beyond CDEVENTS_RETENTION_MAX_EVENTS_PER_APP (expireEvents). A failed sweep
 * is logged and tried again at the next interval; it never stops the backend.
 */
import { addWeekPartitionsAhead, expireEvents, type ExpireResult } from './expireEvents';
import type { SqlExecutor } from './sqlExecutor';

export interface RetentionOptions {
  sql: SqlExecutor;
  retentionDays: number;
  sweepMinutes: number;
  /** Events kept per app; 0 or absent: no cap. */
  maxEventsPerApp?: number;
  /** pino's or fastify's logger fits; only these two calls are made. */
  logger: { info(fields: object, message: string): void; error(fields: object, message: string): void };
  /** Called with each sweep's count, for the metrics. */
  onExpired?: (count: number) => void;
  now?: () => Date;
}

export interface Retention {
  /** Runs one sweep now (after the one in progress, if any). Undefined when retention is off or the sweep failed. */
  sweep(): Promise<ExpireResult | undefined>;
  /** Stops the schedule and waits for a sweep in progress. */
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

export function startRetention(options: RetentionOptions): Retention {
  const now = options.now ?? (() => new Date());
  const maxEventsPerApp = options.maxEventsPerApp ?? 0;
  const expiring = options.retentionDays > 0 || maxEventsPerApp > 0;
  let running: Promise<ExpireResult | undefined> = Promise.resolve(undefined);
  const sweep = (): Promise<ExpireResult | undefined> => {
    running = running.then(async () => {
      const at = now();
      // With 0 days only the cap removes events: the cutoff is then before any event PostgreSQL can store.
      const before =
        options.retentionDays > 0
          ? new Date(at.getTime() - options.retentionDays * DAY_MS)
          : new Date('0001-01-01T00:00:00Z');
      try {
        await addWeekPartitionsAhead(options.sql, at);
        if (!expiring) return undefined;
        const result = await expireEvents(options.sql, { before, maxEventsPerApp });
        options.onExpired?.(result.expired);
        if (result.expired > 0 || result.keptForWork > 0) {
          options.logger.info(
            { expired: result.expired, keptForWork: result.keptForWork, before: before.toISOString() },
            `retention: removed ${result.expired} events ` +
              [
                ...(options.retentionDays > 0 ? [`older than ${options.retentionDays} days`] : []),
                ...(maxEventsPerApp > 0 ? [`beyond the cap of ${maxEventsPerApp} per app`] : []),
              ].join(' or '),
          );
        }
        // PGlite has no autovacuum: without fresh statistics after a large change its planner picks plans
        // several times slower (the list with its fold counts was
        // measured about 5x slower without them).
        if (result.expired > 0 && options.sql.kind === 'pglite') {
          await options.sql.query('ANALYZE event_identities, events, event_apps, event_keys, app_facts');
        }
        return result;
      } catch (error) {
        options.logger.error({ err: error }, 'retention: the sweep failed; it runs again at the next interval');
        return undefined;
      }
    });
    return running;
  };
  void sweep();
  const timer = setInterval(() => void sweep(), options.sweepMinutes * 60_000);
  timer.unref();
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
