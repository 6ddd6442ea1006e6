/**
 * Picks the store from the configuration: PostgreSQL when DATABASE_URL is set,
 * else PGlite under CDEVENTS_DATA_DIR. Both run the same migrations before the
 * store is handed out, so a returned store is ready for queries.
 */
import { resolve } from 'path';
import type { Config } from '../config';
import { createEventStore } from './createEventStore';
import { createPgliteExecutor } from './createPgliteExecutor';
import { createPostgresExecutor } from './createPostgresExecutor';
import { analyzeStore, keepPgliteStatistics, type StatisticsKeeper } from './keepPgliteStatistics';
import { runMigrations } from './runMigrations';
import type { SqlExecutor } from './sqlExecutor';
import type { EventStore } from './types';

export interface StoreLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn?(object: Record<string, unknown>, message: string): void;
}

/** The database behind a URL, for logs: no password. `setting` names it when the URL does not parse. */
export function describeDatabaseUrl(url: string, setting = 'DATABASE_URL'): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return `an unparsable ${setting}`;
  }
}

export async function createStore(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolSize'>,
  logger?: StoreLogger,
): Promise<EventStore> {
  let executor: SqlExecutor;
  if (config.databaseUrl) {
    executor = createPostgresExecutor({
      connectionString: config.databaseUrl,
      maxConnections: config.databasePoolSize,
    });
    logger?.info({ store: 'postgres', database: describeDatabaseUrl(config.databaseUrl) }, 'store: PostgreSQL');
  } else {
    const dataDir = resolve(config.dataDir);
    executor = await createPgliteExecutor({ dataDir });
    logger?.info({ store: 'pglite', dataDir }, 'store: embedded PGlite');
  }
  let statistics: StatisticsKeeper | undefined;
  try {
    const applied = await runMigrations(executor);
    logger?.info(
      { applied },
      applied.length > 0 ? `migrations applied: ${applied.join(', ')}` : 'migrations up to date',
    );
    if (executor.kind === 'pglite') {
      // Whatever was written before this start (another version, a crash before an ANALYZE) is counted now.
      statistics = keepPgliteStatistics(executor, {
        rowsAtStart: await analyzeStore(executor),
        onError: (error) => logger?.warn?.({ err: error }, 'store: ANALYZE failed; it is tried again later'),
      });
    }
  } catch (error) {
    await executor.close().catch(() => undefined);
    throw error;
  }
  return createEventStore(executor, { statistics });
}
