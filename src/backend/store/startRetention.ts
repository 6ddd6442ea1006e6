/**
 * Runs expireEvents once at start and then every CDEVENTS_RETENTION_SWEEP_MINUTES,
 * one sweep at a time, removing events older than CDEVENTS_RETENTION_DAYS.
 * With retention 0 it does nothing. A failed sweep is logged and tried again
 * at the next interval; it never stops the backend.
 */
import { expireEvents, type ExpireResult } from './expireEvents';
import type { SqlExecutor } from './sqlExecutor';

export interface RetentionOptions {
  sql: SqlExecutor;
  retentionDays: number;
  sweepMinutes: number;
  /** pino's or fastify's logger fits; only these two calls are made. */
  logger: { info(fields: object, message: string): void; error(fields: object, message: string): void };
  /** Called with each sweep's count, for the metrics. */
  onExpired?: (count: number) => void;
  now?: () => Date;
}

export interface Retention {
  /** Runs one sweep now (after the one in progress, if any). Undefined when retention is off. */
  sweep(): Promise<ExpireResult | undefined>;
  /** Stops the schedule and waits for a sweep in progress. */
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

export function startRetention(options: RetentionOptions): Retention {
  const now = options.now ?? (() => new Date());
  if (options.retentionDays === 0) {
    return { sweep: async () => undefined, stop: async () => undefined };
  }
  let running: Promise<ExpireResult | undefined> = Promise.resolve(undefined);
  const sweep = (): Promise<ExpireResult | undefined> => {
    running = running.then(async () => {
      const before = new Date(now().getTime() - options.retentionDays * DAY_MS);
      try {
        const result = await expireEvents(options.sql, { before });
        options.onExpired?.(result.expired);
        if (result.expired > 0 || result.keptForWork > 0) {
          options.logger.info(
            { expired: result.expired, keptForWork: result.keptForWork, before: before.toISOString() },
            `retention: removed ${result.expired} events older than ${options.retentionDays} days`,
          );
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
