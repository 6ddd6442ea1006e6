/**
 * The list route counts what folds under each deployment in the store (issue 19): the tab used to
 * count the loaded page only, so a deployment at a page's end said "Show 1 earlier event" when three
 * lay before the previous deployment. Real HTTP on the real app, on PGlite and on PostgreSQL.
 */
import type { EventListResponse } from '../../src/backend/api/contract';
import { postEvents, proxyHeaders, startBackend, storeKinds, type TestBackend } from '../helpers/backend';

jest.setTimeout(60_000);

const SUBJECT_ID = 'argocd/folds';

function cdevent(id: string, type: string, second: number) {
  return {
    context: {
      specversion: '0.5.1',
      id,
      source: '/ci/folds',
      type: `dev.cdevents.${type}.0.2.0`,
      timestamp: `2025-05-01T00:00:${String(second).padStart(2, '0')}Z`,
    },
    subject: { id: SUBJECT_ID, content: {} },
  };
}

// Oldest first: d0, three events, d1, two events, d2, one event newer than every deployment.
const history = [
  cdevent('d0', 'service.deployed', 0),
  cdevent('c1', 'change.merged', 1),
  cdevent('b1', 'build.finished', 2),
  cdevent('a1', 'artifact.published', 3),
  cdevent('d1', 'service.upgraded', 4),
  cdevent('c2', 'change.merged', 5),
  cdevent('b2', 'build.finished', 6),
  cdevent('d2', 'service.rolledback', 7),
  cdevent('n1', 'change.merged', 8),
];

describe.each(storeKinds)('fold counts from the store on %s', (kind) => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startBackend({ store: kind });
    expect((await postEvents(backend.url, history)).status).toBe(200);
  });
  afterAll(() => backend?.close());

  async function list(query: string): Promise<EventListResponse> {
    const response = await fetch(`${backend.url}/api/v1/applications/argocd/folds/events?${query}`, {
      headers: proxyHeaders({ namespace: 'argocd', name: 'folds' }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as EventListResponse;
  }

  /** Every page from the newest, two events at a time: the fold count of each deployment by its id. */
  async function foldsById(filters = ''): Promise<Record<string, number>> {
    const byId: Record<string, number> = {};
    let cursor: string | null = null;
    do {
      const page: EventListResponse = await list(
        `limit=2${filters}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      const keys = Object.keys(page.folds ?? {});
      // Only deployments carry a count, and each is on the page it comes with.
      expect(keys.every((key) => page.items.some((item) => item.key === key && item.subject === 'service'))).toBe(true);
      for (const item of page.items) if (page.folds?.[item.key] !== undefined) byId[item.id] = page.folds[item.key]!;
      cursor = page.nextCursor;
    } while (cursor);
    return byId;
  }

  it('counts the events back to the previous deployment, however many of them are on later pages', async () => {
    // Page one is [n1, d2]: the two events under d2 are on page two, yet d2 says 2.
    const first = await list('limit=2');
    expect(first.items.map((item) => item.id)).toEqual(['n1', 'd2']);
    expect(first.folds).toEqual({ [first.items[1]!.key]: 2 });
    expect(await foldsById()).toEqual({ d2: 2, d1: 3, d0: 0 });
    // One page holding every deployment and a page ending inside d1's fold count the same.
    const all = await list('limit=50');
    expect(
      Object.fromEntries(
        all.items.filter((item) => all.folds?.[item.key] !== undefined).map((item) => [item.id, all.folds![item.key]]),
      ),
    ).toEqual({ d2: 2, d1: 3, d0: 0 });
    const five = await list('limit=5');
    expect(five.items.map((item) => item.id)).toEqual(['n1', 'd2', 'b2', 'c2', 'd1']);
    expect(five.folds).toEqual({ [five.items[1]!.key]: 2, [five.items[4]!.key]: 3 });
  });

  it('counts only the events the same filters list', async () => {
    // Changes and deployments only: one change under d2 (c2), one under d1 (c1).
    expect(await foldsById('&subject=service,change')).toEqual({ d2: 1, d1: 1, d0: 0 });
    // Without upgraded, d1 is no anchor: everything back to d0 folds under d2.
    expect(await foldsById('&predicate=deployed,rolledback,merged,finished,published')).toEqual({ d2: 5, d0: 0 });
  });

  it('gives a live poll (since=) the counts of the deployments it brings', async () => {
    const first = await list('limit=3');
    const head = first.headCursor!;
    expect((await postEvents(backend.url, [cdevent('d3', 'service.upgraded', 9)])).status).toBe(200);
    const poll = await list(`limit=3&since=${encodeURIComponent(head)}`);
    expect(poll.items.map((item) => item.id)).toEqual(['d3']);
    // d3 folds n1 only, though n1 is not on the polled page.
    expect(poll.folds).toEqual({ [poll.items[0]!.key]: 1 });
  });
});

describe.each(storeKinds)('a fold longer than the count limit on %s', (kind) => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startBackend({ store: kind });
    // Oldest first: a deployment, then 1,100 builds after it, then the newest deployment.
    const builds = Array.from({ length: 1_100 }, (_, i) => ({
      ...cdevent(`long-${i}`, 'build.finished', 1),
      context: {
        ...cdevent(`long-${i}`, 'build.finished', 1).context,
        timestamp: new Date(Date.UTC(2025, 4, 2) + (i + 1) * 1000).toISOString(),
      },
    }));
    const first = {
      ...cdevent('long-d0', 'service.deployed', 0),
      context: { ...cdevent('long-d0', 'service.deployed', 0).context, timestamp: '2025-05-02T00:00:00Z' },
    };
    const last = {
      ...cdevent('long-d1', 'service.upgraded', 0),
      context: { ...cdevent('long-d1', 'service.upgraded', 0).context, timestamp: '2025-05-03T00:00:00Z' },
    };
    expect((await postEvents(backend.url, [first, ...builds, last])).status).toBe(200);
  });
  afterAll(() => backend?.close());

  it('stops at 1,000 and says so with foldLimit, reading no further than that past the page', async () => {
    const response = await fetch(`${backend.url}/api/v1/applications/argocd/folds/events?limit=5`, {
      headers: proxyHeaders({ namespace: 'argocd', name: 'folds' }),
    });
    const page = (await response.json()) as EventListResponse;
    expect(page.items[0]!.id).toBe('long-d1');
    expect(page.foldLimit).toBe(1000);
    expect(page.folds).toEqual({ [page.items[0]!.key]: 1000 });
  });
});
