/**
 * The routes Argo CD's proxy reaches (an app's list, one event) and the health
 * routes, over real HTTP on the real app with a PGlite store.
 */
import type { EventListResponse, EventRecord } from '../../src/backend/api/contract';
import { postEvents, proxyHeaders, startBackend, testProxySecret, type TestBackend } from '../helpers/backend';

// Creating a PGlite database runs initdb, which takes seconds on a busy machine.
jest.setTimeout(60_000);

function cdevent(id: string, subjectId: string, timestamp: string, type = 'dev.cdevents.service.deployed.0.3.0') {
  // The build has an artifact of its own: one the reported deploys run would add an 'artifact' reason.
  const artifactId = type.includes('.build.') ? 'pkg:oci/app-build@sha256:def' : 'pkg:oci/app@sha256:abc';
  return {
    context: { specversion: '0.5.1', id, source: '/ci/list-test', type, timestamp },
    subject: { id: subjectId, content: { environment: { id: 'prod' }, artifactId } },
  };
}

describe('the app-scoped routes', () => {
  let backend: TestBackend;
  const app = { namespace: 'argocd', name: 'listed' };
  const listUrl = () => `${backend.url}/api/v1/applications/argocd/listed/events`;
  const getList = async (query = '', headers: Record<string, string> = proxyHeaders(app)) => {
    const response = await fetch(`${listUrl()}${query}`, { headers });
    return { response, body: response.status === 304 ? undefined : ((await response.json()) as EventListResponse) };
  };

  beforeAll(async () => {
    backend = await startBackend();
    const events = Array.from({ length: 12 }, (_, index) =>
      cdevent(`l-${index}`, 'argocd/listed', `2025-04-01T00:00:${String(index).padStart(2, '0')}Z`),
    );
    events.push(cdevent('l-build', 'argocd/listed', '2025-04-02T00:00:00Z', 'dev.cdevents.build.finished.0.2.0'));
    expect((await postEvents(backend.url, events)).status).toBe(200);
  });
  afterAll(async () => {
    await backend?.close();
  });

  describe('GET /api/v1/applications/{namespace}/{name}/events', () => {
    it("lists the app's events newest first, each with why it is attributed", async () => {
      const { response, body } = await getList();
      expect(response.status).toBe(200);
      expect(body!.items[0]).toMatchObject({
        id: 'l-build',
        direction: 'received',
        attributions: [{ rule: 'subject', detail: 'subject id is argocd/listed' }],
      });
      expect(body!.items.map((item) => item.id).slice(1, 3)).toEqual(['l-11', 'l-10']);
    });

    it('says how many days of history the store keeps (CDEVENTS_RETENTION_DAYS), so the tab can say where it ends', async () => {
      const { body } = await getList();
      expect(body!.retentionDays).toBe(90);
    });

    it('pages with limit and an opaque cursor until nextCursor is null', async () => {
      const seen: string[] = [];
      let query = '?limit=5';
      for (;;) {
        const { body } = await getList(query);
        seen.push(...body!.items.map((item) => item.id));
        if (!body!.nextCursor) break;
        query = `?limit=5&cursor=${encodeURIComponent(body!.nextCursor)}`;
      }
      expect(seen).toHaveLength(13);
      expect(new Set(seen).size).toBe(13);
    });

    it('narrows by subject, predicate, direction, time and text given as query parameters', async () => {
      expect((await getList('?subject=build')).body!.items.map((item) => item.id)).toEqual(['l-build']);
      expect((await getList('?predicate=finished,deployed&q=l-1')).body!.items.map((item) => item.id)).toEqual([
        'l-11',
        'l-10',
        'l-1',
      ]);
      expect((await getList('?direction=emitted')).body!.items).toEqual([]);
      const ranged = await getList(`?from=2025-04-01T00:00:10Z&to=2025-04-01T00:00:11Z`);
      expect(ranged.body!.items.map((item) => item.id)).toEqual(['l-11', 'l-10']);
    });

    it('returns only newer events for `since`, the headCursor of an earlier page', async () => {
      const { body } = await getList();
      await postEvents(backend.url, cdevent('l-later', 'argocd/listed', '2025-05-01T00:00:00Z'));
      const newer = await getList(`?since=${encodeURIComponent(body!.headCursor!)}`);
      expect(newer.body!.items.map((item) => item.id)).toEqual(['l-later']);
    });

    it('answers 304 to If-None-Match while nothing changed, and a new page once something did', async () => {
      const first = await getList();
      const etag = first.response.headers.get('etag')!;
      expect(etag).toMatch(/^".+"$/);
      const same = await getList('', { ...proxyHeaders(app), 'if-none-match': etag });
      expect(same.response.status).toBe(304);
      await postEvents(backend.url, cdevent('l-newest', 'argocd/listed', '2025-06-01T00:00:00Z'));
      const changed = await getList('', { ...proxyHeaders(app), 'if-none-match': etag });
      expect(changed.response.status).toBe(200);
      expect(changed.body!.items[0]!.id).toBe('l-newest');
    });

    it('gives an app it never heard of an empty list, not an error', async () => {
      const response = await fetch(`${backend.url}/api/v1/applications/argocd/unknown/events`, {
        headers: proxyHeaders({ namespace: 'argocd', name: 'unknown' }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ items: [], nextCursor: null, headCursor: null });
    });

    it.each([
      ['limit=0', 400, /limit must be >= 1/],
      ['limit=1001', 400, /limit must be <= 1000/],
      ['limit=ten', 400, /limit must be integer/],
      ['direction=sideways', 400, /direction must be equal to one of the allowed values/],
      ['cursor=bogus', 400, /cursor is not a cursor this server issued/],
      ['from=yesterday', 400, /from must be an RFC 3339 date-time/],
    ])('answers %s with %i naming the parameter', async (query, status, message) => {
      const { response, body } = await getList(`?${query}`);
      expect(response.status).toBe(status);
      expect(body).toMatchObject({ statusCode: status, error: { message: expect.stringMatching(message) } });
    });

    describe("the proxy's headers", () => {
      it.each([
        ['no shared secret', { 'argocd-application-name': 'argocd:listed' }, 401, /x-cdevents-proxy-secret/],
        [
          'a wrong shared secret',
          { 'x-cdevents-proxy-secret': 'wrong-secret-wrong-secret', 'argocd-application-name': 'argocd:listed' },
          401,
          /x-cdevents-proxy-secret/,
        ],
        [
          'no Argocd-Application-Name',
          { 'x-cdevents-proxy-secret': testProxySecret },
          400,
          /missing argocd-application-name/,
        ],
        [
          'a malformed Argocd-Application-Name',
          { 'x-cdevents-proxy-secret': testProxySecret, 'argocd-application-name': 'argocd/listed' },
          400,
          /must be "<namespace>:<name>"/,
        ],
        [
          'Argocd-Application-Name naming another app',
          { 'x-cdevents-proxy-secret': testProxySecret, 'argocd-application-name': 'argocd:other' },
          403,
          /names argocd:other but the path is for argocd\/listed/,
        ],
        [
          'a malformed X-Cdevents-Instance',
          { ...proxyHeaders({ namespace: 'argocd', name: 'listed' }), 'x-cdevents-instance': 'Not Valid' },
          400,
          /x-cdevents-instance must be/,
        ],
      ])('refuse a request with %s', async (_case, headers, status, message) => {
        const { response, body } = await getList('', headers as Record<string, string>);
        expect(response.status).toBe(status);
        expect(body).toEqual({
          statusCode: status,
          error: { name: expect.any(String), message: expect.stringMatching(message) },
          requestId: expect.any(String),
        });
      });
    });
  });

  describe('GET /api/v1/events/{key}', () => {
    let key: string;
    beforeAll(async () => {
      const { body } = await getList('?q=l-build');
      key = body!.items[0]!.key;
    });

    it('returns the event with its reasons for the app named by Argocd-Application-Name', async () => {
      const response = await fetch(`${backend.url}/api/v1/events/${key}`, { headers: proxyHeaders(app) });
      expect(response.status).toBe(200);
      const event = (await response.json()) as EventRecord;
      expect(event).toMatchObject({ key, id: 'l-build', attributions: [{ rule: 'subject' }] });
      expect(event.payload).toMatchObject({ context: { id: 'l-build' } });
    });

    it('answers 404 when the event is not in the tab of the app named by Argocd-Application-Name', async () => {
      const response = await fetch(`${backend.url}/api/v1/events/${key}`, {
        headers: proxyHeaders({ namespace: 'argocd', name: 'someone-else' }),
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { name: 'NotFoundError' } });
    });

    it('answers 404 for a key that names no event, and 401 without the shared secret', async () => {
      expect((await fetch(`${backend.url}/api/v1/events/ezzzzz`, { headers: proxyHeaders(app) })).status).toBe(404);
      expect((await fetch(`${backend.url}/api/v1/events/${key}`)).status).toBe(401);
    });

    it('returns every reason to a caller holding the secret without Argocd-Application-Name (not through Argo CD)', async () => {
      const response = await fetch(`${backend.url}/api/v1/events/${key}`, {
        headers: { 'x-cdevents-proxy-secret': testProxySecret },
      });
      expect(((await response.json()) as EventRecord).attributions).toHaveLength(1);
    });
  });

  describe('health and unknown routes', () => {
    it('says it is alive on /healthz and ready on /readyz when the store answers', async () => {
      expect(await (await fetch(`${backend.url}/healthz`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${backend.url}/readyz`)).json()).toEqual({ status: 'ready', store: 'pglite' });
    });

    it('answers an unknown route 404 in the error envelope, echoing a client request id', async () => {
      const response = await fetch(`${backend.url}/api/v1/nothing-here`, { headers: { 'x-request-id': 'req-123' } });
      expect(response.status).toBe(404);
      expect(response.headers.get('x-request-id')).toBe('req-123');
      expect(await response.json()).toEqual({
        statusCode: 404,
        error: { name: 'NotFoundError', message: 'no route GET /api/v1/nothing-here' },
        requestId: 'req-123',
      });
    });
  });
});
