/**
 * The NATS JetStream ingest source against the real NATS at 127.0.0.1:4222 and
 * a real store (PGlite): what it acknowledges is stored, what it cannot store is
 * redelivered, what is not a CDEvent is set aside, and a restart resumes.
 */
import { randomUUID } from 'crypto';
import { connect, type NatsConnection } from 'nats';
import { createEvent } from '../../../src/cdevents';
import { loadConfig } from '../../../src/backend/config';
import { ConfigError } from '../../../src/backend/errors';
import { createNatsSource, type NatsMessageOutcome } from '../../../src/backend/sources/natsSource';
import type { EventStore } from '../../../src/backend/store/types';
import { createTestStore, type TestStore } from '../../helpers/backend';
import { TEST_NATS_URL } from '../../helpers/testServices';

const natsUrl = TEST_NATS_URL;

function artifact(id: string) {
  return createEvent({
    type: 'artifact.published',
    source: 'https://ci.example.com',
    id,
    timestamp: '2026-03-02T10:00:00Z',
    subject: { id: `pkg:oci/auth@${id}`, content: {} },
  });
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function countEvents(store: EventStore): Promise<number> {
  const { rows } = await store.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM events');
  return Number(rows[0]!.n);
}

describe('the NATS JetStream ingest source (real NATS, PGlite store)', () => {
  let nc: NatsConnection;
  let testStore: TestStore;
  let stream: string;
  let subject: string;

  beforeEach(async () => {
    const run = randomUUID().slice(0, 8);
    stream = `CDEVENTS_SOURCE_TEST_${run}`;
    subject = `cdevents.source-test.${run}`;
    nc = await connect({ servers: natsUrl });
    await (await nc.jetstreamManager()).streams.add({ name: stream, subjects: [subject] });
    testStore = await createTestStore('pglite');
  });

  afterEach(async () => {
    await (await nc.jetstreamManager()).streams.delete(stream).catch(() => undefined);
    await nc.close();
    await testStore.close();
  });

  const publish = (body: string) => nc.jetstream().publish(subject, new TextEncoder().encode(body));

  it('redelivers a message whose store failed, and stores it then', async () => {
    let failures = 1;
    const store: EventStore = {
      ...testStore.store,
      sql: testStore.store.sql,
      async insertEvents(events, options) {
        if (failures-- > 0) throw new Error('the database is restarting');
        return testStore.store.insertEvents(events, options);
      },
    };
    const outcomes: NatsMessageOutcome[] = [];
    const source = createNatsSource({
      url: natsUrl,
      stream,
      durable: 'retry',
      store,
      retryDelayMs: 100,
      onMessage: (outcome) => outcomes.push(outcome),
    });
    await source.start();
    await publish(JSON.stringify(artifact('a1')));
    await eventually(() => outcomes.some((o) => o.kind === 'stored'), 'the redelivery');
    await source.stop();
    expect(outcomes.map((o) => o.kind)).toEqual(['retry', 'stored']);
    expect(await countEvents(testStore.store)).toBe(1);
  });

  it('sets aside a message that is not a CDEvent and goes on with the next', async () => {
    const outcomes: NatsMessageOutcome[] = [];
    const source = createNatsSource({
      url: natsUrl,
      stream,
      durable: 'poison',
      store: testStore.store,
      onMessage: (outcome) => outcomes.push(outcome),
    });
    await source.start();
    await publish('{"not json');
    await publish(JSON.stringify(artifact('a2')));
    await eventually(() => outcomes.length === 2, 'both messages');
    await source.stop();
    expect(outcomes[0]).toMatchObject({ kind: 'rejected', error: expect.stringMatching(/JSON/) });
    expect(outcomes[1]).toMatchObject({ kind: 'stored' });
    expect(await countEvents(testStore.store)).toBe(1);
  });

  it('resumes where it stopped after a restart (durable consumer), storing nothing twice', async () => {
    const stored: string[] = [];
    const start = async () => {
      const source = createNatsSource({
        url: natsUrl,
        stream,
        durable: 'resume',
        store: testStore.store,
        onMessage: (o) => {
          if (o.kind === 'stored') stored.push(...o.results.map((r) => `${r.id}:${r.status}`));
        },
      });
      await source.start();
      return source;
    };
    const first = await start();
    await publish(JSON.stringify(artifact('b1')));
    await eventually(() => stored.length === 1, 'the first message');
    await first.stop();
    await publish(JSON.stringify(artifact('b2')));
    const second = await start();
    await eventually(() => stored.length === 2, 'the message published while stopped');
    await second.stop();
    expect(stored).toEqual(['b1:stored', 'b2:stored']);
  });
});

describe('CDEVENTS_NATS_SOURCE_* settings', () => {
  const base = { CDEVENTS_PROXY_AUTH: 'off', CDEVENTS_INGEST_AUTH: 'off' };

  it('reads the stream, with a consumer named after the instance by default', () => {
    expect(
      loadConfig({
        ...base,
        CDEVENTS_NATS_SOURCE_URL: natsUrl,
        CDEVENTS_NATS_SOURCE_STREAM: 'CDEVENTS',
        CDEVENTS_DEFAULT_INSTANCE: 'east',
      }).natsSource,
    ).toEqual({ url: natsUrl, stream: 'CDEVENTS', consumer: 'cdevents-backend-east' });
    expect(loadConfig(base).natsSource).toBeUndefined();
  });

  it.each([
    ['a URL without a stream', { CDEVENTS_NATS_SOURCE_URL: natsUrl }, /go together/],
    ['an http URL', { CDEVENTS_NATS_SOURCE_URL: 'http://nats:4222', CDEVENTS_NATS_SOURCE_STREAM: 'S' }, /nats:\/\//],
    [
      'a stream name with a dot',
      { CDEVENTS_NATS_SOURCE_URL: natsUrl, CDEVENTS_NATS_SOURCE_STREAM: 'cd.events' },
      /JetStream name/,
    ],
  ])('refuses %s, naming the setting', (_name, env, message) => {
    try {
      loadConfig({ ...base, ...env });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.join('\n')).toMatch(message);
    }
  });
});
