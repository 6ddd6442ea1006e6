/**
 * The chain route with retention on, on PGlite and PostgreSQL: a chain whose
 * first events expired (removed by the store's own expireEvents) says it was
 * cut at the horizon and how many earlier links are gone; a chain whose only
 * dangling link is recent, to an event that was never posted, is not cut.
 */
import type { ChainResponse } from '../../src/backend/api/contract';
import { expireEvents } from '../../src/backend/store/expireEvents';
import { postEvents, startBackend, storeKinds, testProxySecret, type TestBackend } from '../helpers/backend';

const DAY = 86_400_000;
const now = new Date('2026-06-01T00:00:00Z');
const horizon = new Date(now.getTime() - 90 * DAY);
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY).toISOString();

function cdevent(id: string, type: string, timestamp: string, subjectId: string, links: unknown[] = []) {
  return {
    context: {
      specversion: '0.5.1',
      id,
      source: 'https://ci.example.com',
      type: `dev.cdevents.${type}.0.3.0`,
      timestamp,
      ...(links.length > 0 ? { links } : {}),
    },
    subject: { id: subjectId, content: {} },
  };
}

const history = [
  // change merged 91 days ago (expires) ◀─TRIGGER─ pipeline run 89 days ago ◀─PATH─ artifact 89 days ago
  cdevent('c-old', 'change.merged', daysAgo(91), 'org/auth/pulls/1'),
  cdevent('p-old', 'pipelinerun.finished', daysAgo(89), 'run-old', [
    { linkType: 'RELATION', linkKind: 'TRIGGER', target: { contextId: 'c-old' } },
  ]),
  cdevent('a-old', 'artifact.published', daysAgo(89), 'pkg:oci/auth@1', [
    { linkType: 'PATH', from: { contextId: 'p-old' } },
  ]),
  // A recent build naming a run this backend never received.
  cdevent('p-new', 'pipelinerun.finished', daysAgo(1), 'run-new', [
    { linkType: 'PATH', from: { contextId: 'never-posted' } },
  ]),
];

describe.each(storeKinds)('the chain route at the retention horizon on %s', (kind) => {
  let backend: TestBackend;
  const keys = new Map<string, string>();

  beforeAll(async () => {
    backend = await startBackend({ store: kind, config: { retentionDays: 90 }, deps: { clock: { now: () => now } } });
    const posted = await postEvents(backend.url, history);
    expect(posted.status).toBe(200);
    for (const result of (posted.body as { results: Array<{ id: string; key: string }> }).results) {
      keys.set(result.id, result.key);
    }
    const { expired } = await expireEvents(backend.store.sql, { before: horizon });
    expect(expired).toBe(1);
  }, 60_000);
  afterAll(() => backend?.close());

  async function getChain(id: string): Promise<ChainResponse> {
    const response = await fetch(`${backend.url}/api/v1/events/${keys.get(id)}/chain?depth=10`, {
      headers: { 'x-cdevents-proxy-secret': testProxySecret },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as ChainResponse;
  }

  it('says a chain whose change expired was cut at the horizon, with one earlier link not kept', async () => {
    const chain = await getChain('a-old');
    expect(chain.nodes.map((node) => node.id).sort()).toEqual(['a-old', 'p-old']);
    expect(chain.horizon).toEqual({ retentionDays: 90, before: horizon.toISOString(), cut: true, missingLinks: 1 });
  });

  it('does not call a recent chain cut because it links to an event that was never posted', async () => {
    const chain = await getChain('p-new');
    expect(chain.horizon).toEqual({ retentionDays: 90, before: horizon.toISOString(), cut: false, missingLinks: 0 });
  });
});

describe('the chain route with retention off', () => {
  let backend: TestBackend;
  afterAll(() => backend?.close());

  it('has no horizon, since nothing is removed', async () => {
    backend = await startBackend({ config: { retentionDays: 0 } });
    const posted = await postEvents(backend.url, history.slice(1, 2));
    const key = (posted.body as { results: Array<{ key: string }> }).results[0]!.key;
    const response = await fetch(`${backend.url}/api/v1/events/${key}/chain`, {
      headers: { 'x-cdevents-proxy-secret': testProxySecret },
    });
    expect(((await response.json()) as ChainResponse).horizon).toBeUndefined();
  });
});
