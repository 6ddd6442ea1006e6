/**
 * Per-client ingest rate limits on the real app (PGlite): a client over its budget gets 429 with
 * Retry-After and the error envelope, nothing of it is stored, other clients and the tab's reads
 * are unaffected; and /metrics counts what ingest accepted and refused.
 */
import { createEvent } from '../../src/cdevents';
import {
  type TestBackend,
  ingestHeaders,
  postEvents,
  proxyHeaders,
  startBackend,
  testIngestToken,
} from '../helpers/backend';

const otherToken = 'second-ci-runner-token-0123456789';
const app = { namespace: 'argocd', name: 'guestbook' };

function buildEvent(n: number): object {
  return createEvent({
    type: 'service.deployed',
    source: 'https://ci.example/rate-limit',
    id: `rate-limit-${n}`,
    subject: {
      id: `${app.namespace}/${app.name}`,
      content: { environment: { id: 'prod' }, artifactId: `pkg:oci/guestbook@sha256%3A${'b'.repeat(64)}` },
    },
  });
}

describe('ingest rate limit: 3 requests per 60 s per client (real app on PGlite)', () => {
  let backend: TestBackend;
  const countEvents = async (): Promise<number> => {
    const { rows } = await backend.store.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM events');
    return Number(rows[0]!.n);
  };

  beforeAll(async () => {
    backend = await startBackend({
      config: { ingestRateLimit: 3, ingestRateWindowSeconds: 60, ingestTokens: [testIngestToken, otherToken] },
    });
  }, 60_000);
  afterAll(() => backend.close());

  it('answers the fourth request from one client with 429, Retry-After and a message naming the setting', async () => {
    for (let n = 1; n <= 3; n++) expect((await postEvents(backend.url, buildEvent(n))).status).toBe(200);
    const refused = await postEvents(backend.url, buildEvent(4));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body).toEqual({
      statusCode: 429,
      error: { name: 'TooManyRequestsError', message: expect.stringContaining('CDEVENTS_INGEST_RATE_LIMIT') },
      requestId: refused.headers.get('x-request-id'),
    });
  });

  it('stored nothing of the refused request', async () => {
    expect(await countEvents()).toBe(3);
  });

  it('gives another client (another token) its own budget', async () => {
    const response = await postEvents(backend.url, buildEvent(5), {
      ...ingestHeaders(),
      authorization: `Bearer ${otherToken}`,
    });
    expect(response.status).toBe(200);
  });

  it('checks the token before the budget: a wrong token gets 401, not 429', async () => {
    const response = await postEvents(backend.url, buildEvent(6), { ...ingestHeaders(), authorization: 'Bearer nope' });
    expect(response.status).toBe(401);
  });

  it('never limits the tab: reads through the proxy still answer', async () => {
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${backend.url}/api/v1/applications/argocd/guestbook/events`, {
        headers: proxyHeaders(app),
      });
      expect(response.status).toBe(200);
    }
  });

  it('never limits Argo CD’s notifications webhook: a refused notification with oncePer is lost for good', async () => {
    // This client has spent its ingest budget above; Argo CD's notifications still get through.
    for (let n = 0; n < 5; n++) {
      const response = await fetch(`${backend.url}/api/v1/argocd/notifications?instance=ratelimit`, {
        method: 'POST',
        headers: ingestHeaders(),
        body: JSON.stringify({ app: { metadata: { name: 'guestbook', namespace: 'argocd', uid: `uid-${n}` } } }),
      });
      expect(response.status).toBe(200);
    }
  });

  it('/metrics counts what ingest stored and what it refused, by status', async () => {
    const text = await (await fetch(`${backend.url}/metrics`)).text();
    expect(text).toContain('cdevents_ingest_events_total{route="events",status="stored",verdict="valid"} 4');
    expect(text).toContain('cdevents_ingest_rejected_requests_total{route="events",status_code="429"} 1');
    expect(text).toContain('cdevents_ingest_rejected_requests_total{route="events",status_code="401"} 1');
    expect(text).toMatch(
      /cdevents_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/applications\/:namespace\/:name\/events",status_code="200"\} 6/,
    );
  });

  it('CDEVENTS_INGEST_RATE_LIMIT=0 turns the limit off (a second app on the same store)', async () => {
    const unlimited = await startBackend({ config: { ingestRateLimit: 0 }, deps: { store: backend.store } });
    try {
      for (let n = 10; n < 16; n++) expect((await postEvents(unlimited.url, buildEvent(n))).status).toBe(200);
    } finally {
      await unlimited.close();
    }
  });
});
