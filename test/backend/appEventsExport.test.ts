/**
 * GET /api/v1/applications/{namespace}/{name}/events/export over real HTTP on
 * the real app, on PGlite and on the real PostgreSQL: the whole history as
 * NDJSON across many pages, the list's filters and its authorisation.
 */
import type { EventListResponse, EventRecord } from '../../src/backend/api/contract';
import { EXPORT_PAGE_SIZE } from '../../src/backend/api/routes/registerAppEventsExportRoute';
import {
  postEvents,
  proxyHeaders,
  startBackend,
  storeKinds,
  testProxySecret,
  type TestBackend,
} from '../helpers/backend';

jest.setTimeout(120_000);

// More than two export pages, so the cursor is followed twice.
const TOTAL = EXPORT_PAGE_SIZE * 2 + 350;

function cdevent(index: number, subjectId: string) {
  const predicate = index % 5 === 0 ? 'finished' : 'published';
  const subject = predicate === 'finished' ? 'pipelinerun' : 'artifact';
  // Many events share a second, so the order within one time is by arrival, as in the list.
  const seconds = Math.floor(index / 3);
  const time = new Date(Date.UTC(2025, 5, 1) + seconds * 1000).toISOString();
  return {
    context: {
      specversion: '0.5.1',
      id: `x-${index}`,
      source: '/ci/export-test',
      type: `dev.cdevents.${subject}.${predicate}.0.3.0`,
      timestamp: time,
    },
    subject: { id: subjectId, content: predicate === 'finished' ? { outcome: 'success' } : {} },
  };
}

function parseNdjson(text: string): EventRecord[] {
  expect(text.endsWith('\n') || text === '').toBe(true);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as EventRecord);
}

describe.each(storeKinds)('exporting an app’s events as NDJSON on %s', (kind) => {
  let backend: TestBackend;
  const app = { namespace: 'argocd', name: 'exported' };
  const exportUrl = (query = '', name = 'exported') =>
    `${backend.url}/api/v1/applications/argocd/${name}/events/export${query}`;

  beforeAll(async () => {
    backend = await startBackend({ store: kind });
    const events = Array.from({ length: TOTAL }, (_, index) => cdevent(index, 'argocd/exported'));
    events.push(cdevent(TOTAL, 'argocd/someone-else'));
    for (let at = 0; at < events.length; at += 500) {
      expect((await postEvents(backend.url, events.slice(at, at + 500))).status).toBe(200);
    }
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('streams every event of the app, newest first, in the same order and shape as paging the list', async () => {
    const response = await fetch(exportUrl(), { headers: proxyHeaders(app) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="argocd_exported_cdevents.ndjson"');
    const exported = parseNdjson(await response.text());
    expect(exported).toHaveLength(TOTAL);

    const listed: EventRecord[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const query: string = `?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await (
        await fetch(`${backend.url}/api/v1/applications/argocd/exported/events${query}`, { headers: proxyHeaders(app) })
      ).json()) as EventListResponse;
      listed.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(exported).toEqual(listed);
    expect(exported[0]).toMatchObject({ id: `x-${TOTAL - 1}`, payload: { context: { id: `x-${TOTAL - 1}` } } });
    expect(exported.some((item) => item.id === `x-${TOTAL}`)).toBe(false);
  });

  it('applies the list’s filters', async () => {
    const response = await fetch(exportUrl('?predicate=finished&from=2025-06-01T00:05:00Z'), {
      headers: proxyHeaders(app),
    });
    const exported = parseNdjson(await response.text());
    const expected = Array.from({ length: TOTAL }, (_, index) => index).filter(
      (index) => index % 5 === 0 && Math.floor(index / 3) >= 300,
    );
    expect(exported.map((item) => item.id).sort()).toEqual(expected.map((index) => `x-${index}`).sort());
  });

  it('answers an app it has never heard of with an empty export, not an error', async () => {
    const response = await fetch(exportUrl('', 'unknown'), {
      headers: proxyHeaders({ namespace: 'argocd', name: 'unknown' }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it.each([
    ['no shared secret', { 'argocd-application-name': 'argocd:exported' }, 401, /x-cdevents-proxy-secret/i],
    [
      'another app in Argocd-Application-Name',
      { 'x-cdevents-proxy-secret': testProxySecret, 'argocd-application-name': 'argocd:someone-else' },
      403,
      /argocd:someone-else/,
    ],
  ])('refuses a request with %s as the list does', async (_case, headers, status, message) => {
    const response = await fetch(exportUrl(), { headers });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message);
  });

  it('answers 400 naming a bad filter before sending anything', async () => {
    const response = await fetch(exportUrl('?from=yesterday'), { headers: proxyHeaders(app) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      'from must be an RFC 3339 date-time such as 2025-01-31T12:00:00Z, got "yesterday"',
    );
  });
});
