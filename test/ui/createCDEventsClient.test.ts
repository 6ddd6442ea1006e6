import type { EventListResponse } from '../../src/backend/api/contract';
import { createCDEventsClient } from '../../src/ui/api';
import { buildRecord, guestbook } from './fakeApi';

interface Sent {
  url: string;
  init: RequestInit | undefined;
}

/** A fetch that records what it was asked and answers with one canned response. */
function createFetch(status: number, body: string, headers: Record<string, string> = {}) {
  const sent: Sent[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({ url: String(input), init });
    return {
      status,
      ok: status >= 200 && status < 300,
      headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
      text: async () => body,
      json: async () => JSON.parse(body) as unknown,
    } as unknown as Response;
  };
  return { sent, fetchFn: fetchFn as typeof fetch };
}

const base = () => 'https://argo.example.com/argocd/';

describe('the HTTP client', () => {
  it("sends the two headers Argo CD's proxy requires and leaves credentials at the default", async () => {
    const page: EventListResponse = { items: [buildRecord()], nextCursor: null };
    const { sent, fetchFn } = createFetch(200, JSON.stringify(page));
    await createCDEventsClient({ fetch: fetchFn, baseURI: base }).listEvents(guestbook, {});
    expect(sent).toHaveLength(1);
    const headers = sent[0].init?.headers as Record<string, string>;
    expect(headers['Argocd-Application-Name']).toBe('argocd:guestbook');
    expect(headers['Argocd-Project-Name']).toBe('default');
    expect(sent[0].init?.credentials).toBeUndefined();
  });

  it('asks for the app events under the base href with the query it was given', async () => {
    const { sent, fetchFn } = createFetch(200, JSON.stringify({ items: [], nextCursor: null }));
    await createCDEventsClient({ fetch: fetchFn, baseURI: base }).listEvents(guestbook, {
      direction: 'received',
      predicate: ['published', 'finished'],
      limit: 100,
    });
    expect(sent[0].url).toBe(
      'https://argo.example.com/argocd/extensions/cdevents/api/v1/applications/argocd/guestbook/events?direction=received&predicate=published%2Cfinished&limit=100',
    );
  });

  it('returns the page and its ETag', async () => {
    const page: EventListResponse = { items: [buildRecord({ key: 'a' })], nextCursor: 'older' };
    const { fetchFn } = createFetch(200, JSON.stringify(page), { etag: '"v1"' });
    const result = await createCDEventsClient({ fetch: fetchFn, baseURI: base }).listEvents(guestbook, {});
    expect(result).toEqual({ ok: true, value: { status: 'page', page, etag: '"v1"' } });
  });

  it('sends If-None-Match and reports 304 as not modified', async () => {
    const { sent, fetchFn } = createFetch(304, '');
    const result = await createCDEventsClient({ fetch: fetchFn, baseURI: base }).listEvents(
      guestbook,
      {},
      { etag: '"v1"' },
    );
    expect((sent[0].init?.headers as Record<string, string>)['If-None-Match']).toBe('"v1"');
    expect(result).toEqual({ ok: true, value: { status: 'not-modified' } });
  });

  it('turns a 401 from the proxy into a typed error, never an empty page', async () => {
    const { fetchFn } = createFetch(401, 'Unauthorized extension request');
    const result = await createCDEventsClient({ fetch: fetchFn, baseURI: base }).listEvents(guestbook, {});
    expect(result).toEqual({
      ok: false,
      error: { kind: 'unauthorized', status: 401, message: 'Unauthorized extension request' },
    });
  });

  it('turns a rejected fetch into a network error', async () => {
    const fetchFn = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const result = await createCDEventsClient({ fetch: fetchFn, baseURI: base }).listEvents(guestbook, {});
    expect(result).toEqual({ ok: false, error: { kind: 'network', message: 'Failed to fetch' } });
  });

  it('reports a 200 whose body is not JSON (e.g. an HTML login page) as unexpected', async () => {
    const { fetchFn } = createFetch(200, '<!doctype html><title>Argo CD</title>');
    const result = await createCDEventsClient({ fetch: fetchFn, baseURI: base }).listEvents(guestbook, {});
    expect(result).toEqual({
      ok: false,
      error: { kind: 'unexpected', status: 200, message: 'the answer is not JSON' },
    });
  });

  it('reads the delivery log of an event', async () => {
    const item = {
      sink: 'cdviz',
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 202,
      lastError: null,
      deliveredAt: '2026-11-24T06:00:05.000Z',
      nextAttemptAt: null,
      log: [
        {
          attempt: 1,
          at: '2026-11-24T06:00:05.000Z',
          outcome: 'delivered',
          statusCode: 202,
          error: null,
          durationMs: 9,
        },
      ],
    };
    const { sent, fetchFn } = createFetch(200, JSON.stringify({ key: 'k/1', items: [item] }));
    const result = await createCDEventsClient({ fetch: fetchFn, baseURI: base }).getDeliveries(guestbook, 'k/1');
    expect(sent[0].url).toBe('https://argo.example.com/argocd/extensions/cdevents/api/v1/events/k%2F1/deliveries');
    expect(result).toEqual({ ok: true, value: { status: 'available', deliveries: [item] } });
  });

  it('reports "not available" when the backend has no delivery log for the event (404)', async () => {
    const body = JSON.stringify({ statusCode: 404, error: { name: 'NotFoundError', message: 'no event k' } });
    const { fetchFn } = createFetch(404, body);
    const result = await createCDEventsClient({ fetch: fetchFn, baseURI: base }).getDeliveries(guestbook, 'k');
    expect(result).toEqual({ ok: true, value: { status: 'not-available' } });
  });
});
