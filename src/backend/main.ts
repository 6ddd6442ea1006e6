/**
 * The backend's entry: reads the configuration once, opens the store (logging
 * which one), runs migrations, listens, and on SIGINT/SIGTERM stops taking new
 * requests, lets in-flight ones finish, then closes the store.
 */
import pino from 'pino';
import { createApp } from './app';
import { loadConfig, type Config } from './config';
import { ConfigError } from './errors';
import { createMetrics } from './metrics';
import { startForwarding } from './sinks/startForwarding';
import { createNatsSource } from './sources/natsSource';
import { createReadStore } from './store/createReadStore';
import { createStore } from './store/createStore';
import { startRetention } from './store/startRetention';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel });
  const store = await createStore(config, logger);
  const readStore = createReadStore(config, logger);
  const metrics = createMetrics();
  const app = await createApp({ config, store, readStore, logger, metrics });
  await app.listen({ port: config.port, host: config.host });
  const forwarding = await startForwarding({
    sql: store.sql,
    sinks: config.sinks,
    databaseUrl: config.databaseUrl,
    logger,
    metrics,
  });

  // Events other instances' backends and tools publish to a shared stream, stored like POST /api/v1/events.
  const natsSource = config.natsSource
    ? createNatsSource({
        url: config.natsSource.url,
        stream: config.natsSource.stream,
        durable: config.natsSource.consumer,
        filterSubject: config.natsSource.filterSubject,
        store,
        logger,
      })
    : undefined;
  await natsSource?.start();
  const retention = startRetention({
    sql: store.sql,
    retentionDays: config.retentionDays,
    sweepMinutes: config.retentionSweepMinutes,
    maxEventsPerApp: config.retentionMaxEventsPerApp,
    logger,
    onExpired: (count) => metrics.recordExpired(count),
  });

  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    // Sends in flight finish (each is bounded by its sink's timeout), so nothing acknowledged is sent again.
    Promise.all([app.close(), forwarding.stop(), natsSource?.stop(), retention.stop()])
      .then(() => Promise.all([store.close(), readStore?.close()]))
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error('the backend failed to start:', error);
  process.exit(1);
});
