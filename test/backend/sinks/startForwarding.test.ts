import { createServer, type Socket } from 'net';
import { startForwarding, type Forwarding } from '../../../src/backend/sinks/startForwarding';
import { sinkDefaults } from '../../../src/backend/sinks/parseSinkSettings';
import { startReceiver, type Receiver } from '../../helpers/receiver';
import { buildEmittedEvent, storeEvents } from './emittedEvents';
import { openTestDatabase, type TestDatabase } from './openTestDatabase';

jest.setTimeout(60_000);

const quietLogger = { info() {}, warn() {}, error() {} };

async function waitFor(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('forwarding as main.ts starts it, on PostgreSQL', () => {
  let db: TestDatabase;
  let receiver: Receiver;
  let forwarding: Forwarding | undefined;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await forwarding?.stop();
    await receiver.close();
    await db.close();
  });

  it('wakes on the insert trigger’s NOTIFY: an event is sent although the worker would not poll for an hour', async () => {
    forwarding = await startForwarding({
      sql: db.store.sql,
      sinks: [{ ...sinkDefaults, name: 'receiver', kind: 'http', url: receiver.url, headers: {} }],
      databaseUrl: db.url,
      logger: quietLogger,
      pollIntervalMs: 3_600_000,
    });
    // Let the worker finish its first (empty) round and go to sleep, and the LISTEN connection settle.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const event = buildEmittedEvent();
    await storeEvents(db.store, [event]);
    await waitFor('the event at the receiver', () =>
      receiver.requests().some((request) => request.headers['ce-id'] === event.context.id),
    );
  });

  it('finishes and records a send in flight when stopped, so a restart does not repeat it', async () => {
    await forwarding?.stop();
    // A receiver that accepts the connection and never answers (in-process TCP server): the send stays in flight.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      forwarding = await startForwarding({
        sql: db.store.sql,
        sinks: [
          {
            ...sinkDefaults,
            name: 'silent',
            kind: 'http',
            url: `http://127.0.0.1:${port}/hook`,
            headers: {},
            timeoutMs: 1500,
          },
        ],
        databaseUrl: db.url,
        logger: quietLogger,
      });
      const [seq] = await storeEvents(db.store, [buildEmittedEvent()]);
      await waitFor('the send to reach the silent receiver', () => sockets.length > 0);
      await forwarding.stop();
      forwarding = undefined;
      const { rows } = await db.store.sql.query<Record<string, unknown>>(
        `SELECT status, attempts, claimed_until, (SELECT count(*)::integer FROM delivery_attempts a WHERE a.event_seq = o.event_seq AND a.sink = o.sink) AS logged
         FROM outbox o WHERE event_seq = $1 AND sink = 'silent'`,
        [seq],
      );
      expect(rows).toEqual([{ status: 'pending', attempts: 1, claimed_until: null, logged: 1 }]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
