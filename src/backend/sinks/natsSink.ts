/**
 * The NATS JetStream sink: one message per event on the configured subject,
 * the CDEvent as the JSON payload and the CloudEvents attributes as ce-*
 * headers (the same binding as HTTP binary mode). The JetStream message id is
 * `<context.source>#<context.id>`, so a retry of something the stream already
 * stored (the ack was lost, a lease ran out) is dropped by the stream's
 * duplicate window instead of stored twice.
 */
import { connect, headers as createHeaders, nanos, type NatsConnection } from 'nats';
import { convertEvent, toHttpBinary } from '../../cdevents';
import type { CDEvent } from '../../cdevents/types';
import type { NatsSinkSettings, SendResult, Sink } from './types';

/**
 * The stream's duplicate window when we create it. It must outlast the longest
 * a redelivery can follow a lost ack (the worker's lease), or dedupe fails.
 */
export const natsDuplicateWindowMs = 10 * 60_000;

/** The JetStream message id of an event: identity is (source, id), as in the store. */
export function buildNatsMessageId(event: Pick<CDEvent, 'context'>): string {
  return `${event.context.source}#${event.context.id}`;
}

function describe(error: unknown): string {
  const err = error as { code?: string; message?: string };
  return err.code && err.message && !err.message.includes(err.code)
    ? `${err.code}: ${err.message}`
    : String(err.message ?? error);
}

export function createNatsSink(settings: NatsSinkSettings): Sink {
  let connection: Promise<NatsConnection> | undefined;
  let streamReady = false;

  async function getConnection(): Promise<NatsConnection> {
    if (!connection) {
      connection = connect({
        servers: settings.url,
        name: `cdevents-sink-${settings.name}`,
        timeout: settings.timeoutMs,
        maxReconnectAttempts: -1,
      });
      connection.catch(() => {
        // A failed connect is retried on the next send, with the outbox's backoff.
        connection = undefined;
      });
    }
    const nc = await connection;
    if (nc.isClosed()) {
      connection = undefined;
      return getConnection();
    }
    return nc;
  }

  async function ensureStream(nc: NatsConnection): Promise<void> {
    if (streamReady) return;
    const jsm = await nc.jetstreamManager({ timeout: settings.timeoutMs });
    try {
      await jsm.streams.info(settings.stream);
    } catch (error) {
      if ((error as { code?: string }).code !== '404') throw error;
      try {
        await jsm.streams.add({
          name: settings.stream,
          subjects: [settings.subject],
          duplicate_window: nanos(natsDuplicateWindowMs),
        });
      } catch (addError) {
        // Another replica may have created it between our two calls.
        await jsm.streams.info(settings.stream).catch(() => {
          throw addError;
        });
      }
    }
    streamReady = true;
  }

  return {
    settings,
    async send(event: CDEvent): Promise<SendResult> {
      let message: { headers: Record<string, string>; body: string };
      try {
        message = toHttpBinary(convertEvent(event, settings.specVersion), settings.specVersion);
      } catch (error) {
        return { ok: false, permanent: true, error: `cannot encode event: ${(error as Error).message}` };
      }
      try {
        const nc = await getConnection();
        await ensureStream(nc);
        const hdrs = createHeaders();
        for (const [name, value] of Object.entries(message.headers)) hdrs.set(name, value);
        // A duplicate ack means the stream already holds this event: delivered either way.
        await nc.jetstream().publish(settings.subject, new TextEncoder().encode(message.body), {
          msgID: buildNatsMessageId(event),
          headers: hdrs,
          timeout: settings.timeoutMs,
        });
        return { ok: true };
      } catch (error) {
        return {
          ok: false,
          permanent: false,
          error: `NATS ${settings.stream}/${settings.subject}: ${describe(error)}`,
        };
      }
    },
    async close(): Promise<void> {
      const pending = connection;
      connection = undefined;
      if (!pending) return;
      const nc = await pending.catch(() => undefined);
      if (nc && !nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}
