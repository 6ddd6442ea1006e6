/**
 * POST /api/v1/events over real HTTP, on the real app with a PGlite store:
 * every form tools send, duplicates and conflicts, the error bodies, and the
 * real corpus (found by the test-data resolver).
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import type { ErrorBody, IngestResponse } from '../../src/backend/api/contract';
import { testDataPath } from '../data/resolveTestData';
import { ingestHeaders, postEvents, proxyHeaders, startBackend, type TestBackend } from '../helpers/backend';

// Creating a PGlite database runs initdb, which takes seconds on a busy machine.
jest.setTimeout(60_000);

function cdevent(id: string, subjectId = 'argocd/ingest'): Record<string, unknown> {
  // An artifact of the app's own: a deploy another tool reports teaches the app what it runs, and
  // two apps sharing one artifact would each see the other's deploy.
  const artifactId = `pkg:oci/${subjectId.split('/').pop()}@sha256:abc`;
  return {
    context: {
      specversion: '0.5.1',
      id,
      source: '/ci/ingest-test',
      type: 'dev.cdevents.service.deployed.0.3.0',
      timestamp: '2025-03-01T10:00:00Z',
    },
    subject: { id: subjectId, content: { environment: { id: 'prod' }, artifactId } },
  };
}

function listFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

describe('POST /api/v1/events', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startBackend({ config: { maxBodyBytes: 64 * 1024 } });
  });
  afterAll(async () => {
    await backend?.close();
  });

  const results = (body: unknown) => (body as IngestResponse).results;

  describe('the forms tools send', () => {
    it.each([
      ['a bare CDEvent', 'bare', 'application/json', {}, (e: object) => JSON.stringify(e)],
      ['a JSON array of CDEvents', 'array', 'application/json', {}, (e: object) => JSON.stringify([e])],
      [
        'CloudEvents binary mode',
        'binary',
        'application/json',
        { 'ce-specversion': '1.0', 'ce-id': 'random', 'ce-source': '/x', 'ce-type': 't' },
        (e: object) => JSON.stringify(e),
      ],
      [
        'CloudEvents structured mode',
        'structured',
        'application/cloudevents+json',
        {},
        (e: object) => JSON.stringify({ specversion: '1.0', id: 'r', source: '/x', type: 't', data: e }),
      ],
      [
        'a CloudEvents batch',
        'batch',
        'application/cloudevents-batch+json',
        {},
        (e: object) => JSON.stringify([{ specversion: '1.0', id: 'r', source: '/x', type: 't', data: e }]),
      ],
    ])('stores %s and says so per event', async (_name, mode, contentType, extraHeaders, encode) => {
      const id = `form-${mode}`;
      const response = await postEvents(backend.url, encode(cdevent(id, `argocd/form-${mode}`)), {
        ...ingestHeaders(contentType),
        ...extraHeaders,
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        mode,
        results: [
          {
            index: 0,
            status: 'stored',
            verdict: 'valid',
            problems: [],
            key: expect.any(String),
            source: '/ci/ingest-test',
            id,
          },
        ],
      });
      const list = await fetch(`${backend.url}/api/v1/applications/argocd/form-${mode}/events`, {
        headers: proxyHeaders({ namespace: 'argocd', name: `form-${mode}` }),
      });
      expect(((await list.json()) as { items: Array<{ id: string }> }).items.map((item) => item.id)).toEqual([id]);
    });
  });

  describe('the same (source, id) twice', () => {
    it('is stored once: the replay is reported as a duplicate', async () => {
      const first = await postEvents(backend.url, cdevent('twice-1'));
      const second = await postEvents(backend.url, cdevent('twice-1'));
      expect(results(second.body)[0]).toMatchObject({
        status: 'duplicate',
        verdict: 'valid',
        key: results(first.body)[0]!.key,
      });
    });

    it('with another payload is reported as a conflict and does not replace the first', async () => {
      await postEvents(backend.url, cdevent('twice-2', 'argocd/conflicted'));
      const changed = cdevent('twice-2', 'argocd/conflicted');
      (changed.context as Record<string, string>).timestamp = '2025-12-31T00:00:00Z';
      const response = await postEvents(backend.url, changed);
      expect(response.status).toBe(200);
      expect(results(response.body)[0]).toMatchObject({
        status: 'conflict',
        message: expect.stringContaining('already stored with a different payload'),
      });
      const stored = await fetch(`${backend.url}/api/v1/events/${results(response.body)[0]!.key}`, {
        headers: proxyHeaders({ namespace: 'argocd', name: 'conflicted' }),
      });
      expect(((await stored.json()) as { timestamp: string }).timestamp).toBe('2025-03-01T10:00:00.000000Z');
    });
  });

  describe('events that are not valid', () => {
    it('are stored with their verdict and reasons, so nothing a tool sent is dropped', async () => {
      const unknownType = cdevent('odd-1');
      (unknownType.context as Record<string, string>).type = 'dev.cdevents.spaceship.launched.0.1.0';
      const response = await postEvents(backend.url, [unknownType, { context: { id: 'no-source' } }, 42]);
      expect(response.status).toBe(200);
      const [odd, noSource, number] = results(response.body);
      expect(odd).toMatchObject({ status: 'stored', verdict: 'unknown-type' });
      expect(odd!.problems.length).toBeGreaterThan(0);
      expect(noSource).toMatchObject({
        status: 'stored',
        verdict: 'invalid',
        source: 'urn:cdevents-backend:no-source',
      });
      expect(number).toMatchObject({ status: 'stored', verdict: 'invalid', id: expect.stringMatching(/^sha256:/) });
    });

    it('without context.source and context.id are recognised when sent again, by their content in any key order', async () => {
      const response = await postEvents(backend.url, [
        { hello: 'world', n: 1 },
        { n: 1, hello: 'world' },
      ]);
      const answers = results(response.body);
      expect(answers.map((item) => item.status)).toEqual(['stored', 'duplicate']);
      // sha256 of the key-sorted JSON {"hello":"world","n":1}: the id events stored by earlier versions got too.
      expect(answers.map((item) => item.id)).toEqual([
        'sha256:32b769982a3a6e2df120530b06dcbaf1e8f75e004ceea92ac3e91bd7a248d728',
        'sha256:32b769982a3a6e2df120530b06dcbaf1e8f75e004ceea92ac3e91bd7a248d728',
      ]);
    });
  });

  describe('bad requests get a JSON error naming the problem', () => {
    const expectError = (
      response: { status: number; body: unknown },
      status: number,
      name: string,
      message: RegExp,
    ) => {
      expect(response.status).toBe(status);
      expect(response.body).toEqual({
        statusCode: status,
        error: { name, message: expect.stringMatching(message) },
        requestId: expect.any(String),
      });
    };

    it('answers 400 with the parse error and its position for a body that is not JSON', async () => {
      expectError(await postEvents(backend.url, '{"context": '), 400, 'HttpParseError', /not valid JSON.*position 12/);
    });

    it('answers 401 without a bearer token, and with one that is not configured', async () => {
      const withoutToken = await postEvents(backend.url, cdevent('auth-1'), { 'content-type': 'application/json' });
      expectError(withoutToken, 401, 'UnauthorizedError', /missing bearer token/);
      expect(withoutToken.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const wrongToken = await postEvents(backend.url, cdevent('auth-2'), {
        'content-type': 'application/json',
        authorization: 'Bearer not-the-right-token-at-all',
      });
      expectError(wrongToken, 401, 'UnauthorizedError', /not one of CDEVENTS_INGEST_TOKENS/);
    });

    it('answers 413 for a body over CDEVENTS_MAX_BODY_BYTES', async () => {
      const big = Array.from({ length: 400 }, (_, index) => cdevent(`big-${index}`));
      expectError(await postEvents(backend.url, big), 413, 'PayloadTooLargeError', /larger than 65536 bytes/);
    });

    it('answers 415 for a content type that carries no CDEvent', async () => {
      const response = await postEvents(backend.url, 'hello', ingestHeaders('text/plain'));
      expectError(response, 415, 'HttpParseError', /unsupported content type text\/plain/);
    });

    it('answers 400 for a structured CloudEvent without data', async () => {
      const response = await postEvents(
        backend.url,
        JSON.stringify({ specversion: '1.0', id: '1', source: '/x', type: 't' }),
        ingestHeaders('application/cloudevents+json'),
      );
      expectError(response, 400, 'HttpParseError', /without data/);
    });
  });

  it('accepts events without a token when CDEVENTS_INGEST_AUTH=off (the local demo)', async () => {
    const open = await startBackend({
      config: { ingestAuth: false, ingestTokens: [] },
      deps: { store: backend.store },
    });
    try {
      const response = await postEvents(open.url, cdevent('open-1'), { 'content-type': 'application/json' });
      expect(response.status).toBe(200);
    } finally {
      await open.close();
    }
  });

  describe('the real corpus', () => {
    it('stores every event of cdevents-corpus with a verdict, and never answers 5xx', async () => {
      const files = listFiles(testDataPath('cdevents-corpus')).filter((file) => file.endsWith('.json'));
      expect(files.length).toBeGreaterThan(50);
      for (const file of files) {
        const response = await postEvents(backend.url, readFileSync(file));
        expect({ file, status: response.status }).toEqual({ file, status: 200 });
        for (const result of results(response.body)) {
          expect(['valid', 'invalid', 'unknown-type']).toContain(result.verdict);
          expect(['stored', 'duplicate', 'conflict']).toContain(result.status);
        }
      }
    });

    it("stores every rendered Argo CD notification body of the demo with its verdict, or answers 400 with the parser's message and position", async () => {
      const directory = testDataPath('argo-cdviz/rendered/bodies');
      const files = readdirSync(directory).map((file) => join(directory, file));
      expect(files).toHaveLength(49);
      let refused = 0;
      for (const file of files) {
        const body = readFileSync(file, 'utf8');
        const response = await postEvents(backend.url, body);
        let isJson = true;
        try {
          JSON.parse(body);
        } catch {
          isJson = false;
        }
        if (isJson) {
          expect({ file, status: response.status }).toEqual({ file, status: 200 });
          expect(results(response.body)[0]!.verdict).toMatch(/^(valid|invalid|unknown-type)$/);
        } else {
          refused += 1;
          expect({ file, status: response.status }).toEqual({ file, status: 400 });
          expect((response.body as ErrorBody).error.message).toMatch(/not valid JSON.*position \d+/);
        }
      }
      expect(refused).toBe(12);
    });
  });
});
