import { createServer, type Server, type Socket } from 'net';
import { createEvent, validateEvent } from '../../../src/cdevents';
import type { CDEvent } from '../../../src/cdevents/types';
import { createHttpSink } from '../../../src/backend/sinks/httpSink';
import { sinkDefaults } from '../../../src/backend/sinks/parseSinkSettings';
import type { HttpSinkSettings } from '../../../src/backend/sinks/types';
import { startReceiver, type Receiver } from '../../helpers/receiver';

const event: CDEvent = createEvent(
  {
    type: 'service.deployed',
    source: '/argocd/test/argocd',
    id: 'a5c6d8e0-5d0c-4e7f-9a52-1b2f1f0c3e01',
    timestamp: '2026-03-01T10:00:00.000Z',
    subject: {
      id: 'argocd/auth',
      source: '/argocd/test/argocd',
      content: {
        environment: { id: 'prod' },
        artifactId: 'pkg:oci/auth@sha256%3A0123456789abcdef?repository_url=ghcr.io/acme/auth',
      },
    },
  },
  {},
);

function settings(receiver: Receiver, extra: Partial<HttpSinkSettings> = {}): HttpSinkSettings {
  return { ...sinkDefaults, name: 'receiver', kind: 'http', url: receiver.url, headers: {}, ...extra };
}

describe('the HTTP sink against a real receiver process', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('posts spec 0.5.1 in CloudEvents binary mode, with exactly the ce-* headers the binding requires', async () => {
    const sink = createHttpSink(
      settings(receiver, { headers: { Authorization: 'Bearer token-1', 'Ce-Type': 'spoofed' } }),
    );
    await expect(sink.send(event)).resolves.toEqual({ ok: true, statusCode: 201 });
    const [request] = receiver.requests().filter((r) => r.headers['ce-id'] === event.context.id);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/webhook/cdevents');
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': event.context.id,
      'ce-source': '/argocd/test/argocd',
      'ce-type': 'dev.cdevents.service.deployed.0.3.0',
      'ce-subject': 'argocd/auth',
      'ce-time': '2026-03-01T10:00:00.000Z',
      authorization: 'Bearer token-1',
    });
    expect(
      Object.keys(request.headers)
        .filter((name) => name.startsWith('ce-'))
        .sort(),
    ).toEqual(['ce-id', 'ce-source', 'ce-specversion', 'ce-subject', 'ce-time', 'ce-type']);
    // The data is the whole CDEvent.
    expect(JSON.parse(request.body)).toEqual(event);
  });

  it('posts spec 0.4.1 when the sink asks for it, with Ce-Type matching the converted body (what Flux filters on)', async () => {
    const sink = createHttpSink(settings(receiver, { specVersion: '0.4.1' }));
    await expect(sink.send(event)).resolves.toMatchObject({ ok: true });
    const requests = receiver.requests().filter((r) => r.headers['ce-id'] === event.context.id);
    const request = requests[requests.length - 1];
    const body = JSON.parse(request.body) as CDEvent;
    expect(body.context.version).toBe('0.4.1');
    expect(body.context.specversion).toBeUndefined();
    expect(validateEvent(body)).toMatchObject({ status: 'valid', specVersion: '0.4.1' });
    expect(request.headers['ce-type']).toBe(body.context.type);
    expect(request.headers['ce-id']).toBe(event.context.id);
    expect(request.headers['ce-source']).toBe(event.context.source);
  });

  it.each([
    { answered: 500, permanent: false },
    { answered: 503, permanent: false },
    { answered: 429, permanent: false },
    { answered: 408, permanent: false },
    { answered: 400, permanent: true },
    { answered: 404, permanent: true },
  ])(
    'reports an answer of $answered as a failure (permanent: $permanent) naming the status',
    async ({ answered, permanent }) => {
      await receiver.answerWith(answered);
      try {
        const result = await createHttpSink(settings(receiver)).send(event);
        expect(result).toMatchObject({ ok: false, statusCode: answered, permanent });
        expect(result.ok === false && result.error).toContain(`answered ${answered}`);
      } finally {
        await receiver.answerWith(201);
      }
    },
  );

  it('reports a stopped receiver as a retryable network error naming the host', async () => {
    const stopped = await startReceiver();
    const sink = createHttpSink(settings(stopped));
    await stopped.stop();
    try {
      const result = await sink.send(event);
      expect(result).toMatchObject({ ok: false, permanent: false });
      expect(result.ok === false && result.error).toMatch(
        new RegExp(`cannot reach 127\\.0\\.0\\.1:${stopped.port}: ECONNREFUSED`),
      );
    } finally {
      await stopped.close();
    }
  });
});

describe('the HTTP sink against a receiver that never answers (in-process TCP server)', () => {
  let server: Server;
  let port: number;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up after timeoutMs with a retryable error', async () => {
    const sink = createHttpSink({
      ...sinkDefaults,
      name: 'silent',
      kind: 'http',
      url: `http://127.0.0.1:${port}/hook`,
      headers: {},
      timeoutMs: 200,
    });
    await expect(sink.send(event)).resolves.toEqual({
      ok: false,
      permanent: false,
      error: `no answer from 127.0.0.1:${port} within 200 ms`,
    });
  });
});
