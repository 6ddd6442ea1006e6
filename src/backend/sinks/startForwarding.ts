/**
 * Starts forwarding for main.ts: mirrors the configured sinks into the outbox,
 * starts the delivery worker, and wakes it when rows are enqueued. On
 * PostgreSQL a dedicated connection LISTENs to the insert trigger's NOTIFY (it
 * arrives at commit, from any replica); PGlite lives in this process only, so
 * a short poll of the due-rows index does the same job there.
 */
import { Client } from 'pg';
import type { BackendMetrics } from '../metrics';
import type { SqlQueryable } from '../store/sqlExecutor';
import { createDeliveryWorker, type DeliveryWorker, type WorkerLogger } from './deliveryWorker';
import { createOutboxStore } from './outboxStore';
import { createSink } from './createSink';
import type { SinkSettings } from './types';

export interface ForwardingOptions {
  sql: Pick<SqlQueryable, 'query'>;
  sinks: readonly SinkSettings[];
  /** Set when the store is PostgreSQL: enables LISTEN/NOTIFY wake-ups. */
  databaseUrl?: string;
  logger: WorkerLogger;
  metrics?: Pick<BackendMetrics, 'recordForwarding'>;
  /** How often to look for due rows without a wake-up. Default 1000 ms on PostgreSQL, 250 ms on PGlite. */
  pollIntervalMs?: number;
}

export interface Forwarding {
  worker: DeliveryWorker;
  /** Finishes the sends in flight, stops the worker, closes sink connections. */
  stop(): Promise<void>;
}

const notifyChannel = 'cdevents_outbox';

export async function startForwarding(options: ForwardingOptions): Promise<Forwarding> {
  const outbox = createOutboxStore(options.sql);
  await outbox.registerSinks(options.sinks);
  const sinks = options.sinks.map(createSink);
  const worker = createDeliveryWorker({
    outbox,
    sinks,
    logger: options.logger,
    pollIntervalMs: options.pollIntervalMs ?? (options.databaseUrl ? 1000 : 250),
    onOutcome: (sink, outcome) => options.metrics?.recordForwarding(sink, outcome),
  });
  const stopListening =
    options.databaseUrl && sinks.length > 0 ? listen(options.databaseUrl, worker, options.logger) : undefined;
  worker.start();
  if (sinks.length > 0) {
    options.logger.info(
      { sinks: options.sinks.map((sink) => ({ name: sink.name, kind: sink.kind, specVersion: sink.specVersion })) },
      'forwarding emitted events',
    );
  }
  return {
    worker,
    async stop() {
      await stopListening?.();
      await worker.stop();
      await Promise.all(sinks.map((sink) => sink.close()));
    },
  };
}

/** LISTENs on its own connection, reconnecting after errors; polling covers the gaps. */
function listen(databaseUrl: string, worker: DeliveryWorker, logger: WorkerLogger): () => Promise<void> {
  let client: Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    const next = new Client({ connectionString: databaseUrl });
    next.on('notification', () => worker.wake());
    next.on('error', (error) => {
      logger.warn({ err: error }, 'outbox LISTEN connection lost; polling until it is back');
      next.end().catch(() => undefined);
      if (client === next) client = undefined;
      schedule();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${notifyChannel}`);
      if (stopped) await next.end();
      else client = next;
    } catch (error) {
      logger.warn({ err: error }, 'cannot LISTEN for outbox rows; polling');
      next.end().catch(() => undefined);
      schedule();
    }
  };
  const schedule = () => {
    if (!stopped && !retry) {
      retry = setTimeout(() => {
        retry = undefined;
        void connect();
      }, 5000);
      retry.unref();
    }
  };
  void connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
