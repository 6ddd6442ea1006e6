/**
 * A NATS JetStream stream as an ingest source: how one backend takes in the
 * events other backends (other Argo CD instances) and tools publish to a shared
 * stream, e.g. what the NATS sink of another backend forwards.
 *
 * Guarantee: a message is acknowledged only after the store committed its
 * events, through the same path as POST /api/v1/events (storeEvents), so an
 * acknowledged message is durable and a crash before the ack is a redelivery,
 * which the store answers as a duplicate (identity is (context.source,
 * context.id)). The consumer is durable (named), so a restarted backend goes on
 * where it stopped, and several replicas sharing the name share the work.
 *
 * A message that can never be stored (not JSON, not a CloudEvent) is
 * terminated, not redelivered forever, and logged. A store failure is
 * negatively acknowledged with a delay, so JetStream redelivers it.
 */
import { AckPolicy, connect, DeliverPolicy, nanos, type ConsumerMessages, type JsMsg, type NatsConnection } from 'nats';
import { HttpParseError, parseHttpRequest } from '../../cdevents';
import { storeEvents } from '../api/storeEvents';
import type { IngestItemResult } from '../api/contract';
import type { AppProfile } from '../chains/buildAppProfile';
import { createAppProfileSource } from '../store/appProfileQueries';
import type { EventStore } from '../store/types';

export interface NatsSourceLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface NatsSourceOptions {
  /** nats://host:port */
  url: string;
  /** The JetStream stream to read; it must exist (the publishers' sinks create it). */
  stream: string;
  /** The durable consumer's name: one name per backend (or per group of replicas sharing the work). */
  durable: string;
  /** Only subjects matching this (e.g. `cdevents.>`); default every subject of the stream. */
  filterSubject?: string;
  store: EventStore;
  /** The apps the backend knows, for attribution by artifact, source and environment; default the applications table. */
  listAppProfiles?: () => Promise<readonly AppProfile[]>;
  now?: () => Date;
  /** How long JetStream waits for an ack before redelivering; default 30 s. */
  ackWaitMs?: number;
  /** The delay before a message whose store failed is redelivered; default 5 s. */
  retryDelayMs?: number;
  logger?: NatsSourceLogger;
  /** Called once per handled message, e.g. to count it in metrics or wait for it in a test. */
  onMessage?: (outcome: NatsMessageOutcome) => void;
}

export type NatsMessageOutcome =
  | { kind: 'stored'; subject: string; results: IngestItemResult[] }
  | { kind: 'rejected'; subject: string; error: string }
  | { kind: 'retry'; subject: string; error: string };

export interface NatsSource {
  /** Connects, creates the durable consumer if needed and starts reading. Resolves once reading. */
  start(): Promise<void>;
  /** Stops reading, lets the message in hand finish, and closes the connection. */
  stop(): Promise<void>;
}

const silentLogger: NatsSourceLogger = { info() {}, warn() {}, error() {} };

/** The message's headers as HTTP headers, so the CloudEvents binary mode (ce-*) reads the same as over HTTP. */
function readHeaders(message: JsMsg): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!message.headers) return headers;
  for (const [name, values] of message.headers) {
    if (values.length > 0) headers[name.toLowerCase()] = values[0]!;
  }
  return headers;
}

export function createNatsSource(options: NatsSourceOptions): NatsSource {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const retryDelayMs = options.retryDelayMs ?? 5_000;
  // As for POST /api/v1/events, received events are attributed against the apps this backend's Argo CD notified.
  // Read fresh per message (no cache): a stream replays fast, right after the notification that made an app known.
  const listAppProfiles = options.listAppProfiles ?? createAppProfileSource(options.store.sql, { ttlMs: 0 }).list;
  let connection: NatsConnection | undefined;
  let messages: ConsumerMessages | undefined;
  let loop: Promise<void> | undefined;

  async function handle(message: JsMsg): Promise<void> {
    let events: unknown[];
    try {
      events = parseHttpRequest({ headers: readHeaders(message), body: Buffer.from(message.data) }).items.map(
        (item) => item.event,
      );
    } catch (error) {
      const reason = error instanceof HttpParseError ? error.message : String(error);
      logger.warn(
        { stream: options.stream, subject: message.subject, seq: message.seq, reason },
        'NATS message is not a CDEvent; terminated',
      );
      message.term(reason);
      options.onMessage?.({ kind: 'rejected', subject: message.subject, error: reason });
      return;
    }
    try {
      const results = await storeEvents(options.store, events, {
        receivedAt: now(),
        apps: await listAppProfiles(),
      });
      // After the commit: a lost ack is a redelivery, and a redelivery is a duplicate.
      message.ack();
      options.onMessage?.({ kind: 'stored', subject: message.subject, results });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.error(
        { stream: options.stream, subject: message.subject, seq: message.seq, err: error },
        'storing a NATS message failed; it will be redelivered',
      );
      message.nak(retryDelayMs);
      options.onMessage?.({ kind: 'retry', subject: message.subject, error: reason });
    }
  }

  return {
    async start() {
      if (connection) return;
      const nc = await connect({ servers: options.url, name: `cdevents-source-${options.durable}` });
      connection = nc;
      try {
        const jsm = await nc.jetstreamManager();
        // Adding a durable consumer with the same settings is a no-op, so every replica may do it.
        await jsm.consumers.add(options.stream, {
          durable_name: options.durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ack_wait: nanos(options.ackWaitMs ?? 30_000),
          ...(options.filterSubject ? { filter_subject: options.filterSubject } : {}),
        });
        const consumer = await nc.jetstream().consumers.get(options.stream, options.durable);
        messages = await consumer.consume({ max_messages: 50 });
      } catch (error) {
        connection = undefined;
        await nc.close();
        throw new Error(
          `cannot read NATS stream ${options.stream} as consumer ${options.durable} at ${options.url}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      const reading = messages;
      loop = (async () => {
        for await (const message of reading) await handle(message);
      })().catch((error: unknown) => logger.error({ err: error, stream: options.stream }, 'NATS source stopped'));
      logger.info({ stream: options.stream, durable: options.durable }, 'reading CDEvents from NATS JetStream');
    },
    async stop() {
      const nc = connection;
      connection = undefined;
      if (!nc) return;
      messages?.stop();
      await loop;
      await nc.drain().catch(() => nc.close());
    },
  };
}
