import { randomUUID } from 'crypto';
import { connect, type NatsConnection } from 'nats';
import { createEvent, validateEvent } from '../../../src/cdevents';
import type { CDEvent } from '../../../src/cdevents/types';
import { buildNatsMessageId, createNatsSink } from '../../../src/backend/sinks/natsSink';
import { sinkDefaults } from '../../../src/backend/sinks/parseSinkSettings';
import type { NatsSinkSettings } from '../../../src/backend/sinks/types';
import { TEST_NATS_URL } from '../../helpers/testServices';

const natsUrl = TEST_NATS_URL;
const run = randomUUID().slice(0, 8);

function buildEvent(id: string): CDEvent {
  return createEvent({
    type: 'service.deployed',
    source: '/argocd/test/argocd',
    id,
    timestamp: '2026-03-01T10:00:00.000Z',
    subject: { id: 'argocd/auth', content: { environment: { id: 'prod' }, artifactId: 'pkg:oci/auth@sha256%3Aabc' } },
  });
}

/** Reads every message of a stream through a direct stream get, in order. */
async function readStream(nc: NatsConnection, stream: string) {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(stream);
  const messages = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq += 1) {
    messages.push(await jsm.streams.getMessage(stream, { seq }));
  }
  return { info, messages };
}

describe('the NATS JetStream sink against the real NATS at 127.0.0.1:4222', () => {
  let nc: NatsConnection;
  const streams: string[] = [];
  const settingsFor = (name: string, extra: Partial<NatsSinkSettings> = {}): NatsSinkSettings => {
    const stream = `CDEVENTS_TEST_${run}_${name}`;
    streams.push(stream);
    return {
      ...sinkDefaults,
      name,
      kind: 'nats',
      url: natsUrl,
      subject: `cdevents.test.${run}.${name}`,
      stream,
      ...extra,
    };
  };

  beforeAll(async () => {
    nc = await connect({ servers: natsUrl });
  });
  afterAll(async () => {
    const jsm = await nc.jetstreamManager();
    for (const stream of streams) await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
  });

  it('creates the stream when absent and publishes the CDEvent with ce-* headers and msgID <source>#<id>', async () => {
    const settings = settingsFor('roundtrip');
    const sink = createNatsSink(settings);
    const event = buildEvent(randomUUID());
    try {
      await expect(sink.send(event)).resolves.toEqual({ ok: true });
    } finally {
      await sink.close();
    }
    const { info, messages } = await readStream(nc, settings.stream);
    expect(info.config.subjects).toEqual([`cdevents.test.${run}.roundtrip`]);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(JSON.parse(new TextDecoder().decode(message.data))).toEqual(event);
    expect(message.header.get('Nats-Msg-Id')).toBe(`/argocd/test/argocd#${event.context.id}`);
    expect(message.header.get('ce-specversion')).toBe('1.0');
    expect(message.header.get('ce-id')).toBe(event.context.id);
    expect(message.header.get('ce-source')).toBe('/argocd/test/argocd');
    expect(message.header.get('ce-type')).toBe(event.context.type);
    expect(message.header.get('ce-subject')).toBe('argocd/auth');
    expect(message.header.get('content-type')).toBe('application/json');
  });

  it('stores an event sent twice once: JetStream drops the retry by its msgID', async () => {
    const settings = settingsFor('dedupe');
    const first = createNatsSink(settings);
    const second = createNatsSink(settings); // another replica, or the same one after a restart
    const event = buildEvent(randomUUID());
    const other = buildEvent(randomUUID());
    try {
      await expect(first.send(event)).resolves.toEqual({ ok: true });
      await expect(second.send(event)).resolves.toEqual({ ok: true });
      await expect(second.send(other)).resolves.toEqual({ ok: true });
    } finally {
      await first.close();
      await second.close();
    }
    const { messages } = await readStream(nc, settings.stream);
    expect(messages.map((m) => m.header.get('ce-id'))).toEqual([event.context.id, other.context.id]);
  });

  it('publishes spec 0.4.1 when the sink asks for it', async () => {
    const settings = settingsFor('v041', { specVersion: '0.4.1' });
    const sink = createNatsSink(settings);
    try {
      await expect(sink.send(buildEvent(randomUUID()))).resolves.toEqual({ ok: true });
    } finally {
      await sink.close();
    }
    const { messages } = await readStream(nc, settings.stream);
    const body = JSON.parse(new TextDecoder().decode(messages[0].data)) as CDEvent;
    expect(validateEvent(body)).toMatchObject({ status: 'valid', specVersion: '0.4.1' });
    expect(messages[0].header.get('ce-type')).toBe(body.context.type);
  });

  it('reports an unreachable server as a retryable failure instead of throwing', async () => {
    const sink = createNatsSink(settingsFor('down', { url: 'nats://127.0.0.1:1', timeoutMs: 500 }));
    try {
      const result = await sink.send(buildEvent(randomUUID()));
      expect(result).toMatchObject({ ok: false, permanent: false });
      expect(result.ok === false && result.error).toMatch(/^NATS CDEVENTS_TEST_\w+_down\/cdevents\.test\.\w+\.down: /);
    } finally {
      await sink.close();
    }
  });

  it('names a message after the event identity (source, id)', () => {
    expect(buildNatsMessageId(buildEvent('x-1'))).toBe('/argocd/test/argocd#x-1');
  });
});
