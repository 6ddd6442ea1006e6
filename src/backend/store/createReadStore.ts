/**
 * The store the read routes query when CDEVENTS_READ_DATABASE_URL names a
 * PostgreSQL read replica: the same queries over a second pool. No migrations
 * run here: a streaming replica is read-only and gets the schema from its
 * primary, which createStore migrates. Undefined when no replica is set, so
 * reads stay on the primary store.
 */
import type { Config } from '../config';
import { createEventStore } from './createEventStore';
import { createPostgresExecutor } from './createPostgresExecutor';
import { describeDatabaseUrl, type StoreLogger } from './createStore';
import type { EventStore } from './types';

export function createReadStore(
  config: Pick<Config, 'readDatabaseUrl' | 'databasePoolSize'>,
  logger?: StoreLogger,
): EventStore | undefined {
  if (!config.readDatabaseUrl) return undefined;
  const executor = createPostgresExecutor({
    connectionString: config.readDatabaseUrl,
    maxConnections: config.databasePoolSize,
  });
  logger?.info(
    { store: 'postgres', readDatabase: describeDatabaseUrl(config.readDatabaseUrl, 'CDEVENTS_READ_DATABASE_URL') },
    'reads: PostgreSQL read replica',
  );
  return createEventStore(executor);
}
