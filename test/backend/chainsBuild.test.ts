import type { EmbeddedLink } from '../../src/cdevents/types';
import { buildChain, buildChainEdges, type ChainCandidate } from '../../src/backend/chains/buildChain';
import type { CorrelationKey } from '../../src/backend/chains/extractEventFacts';

const HOUR = 3_600_000;
const limits = { maxDepth: 10, maxNodes: 200, environmentWindowMs: HOUR };

function event(
  key: string,
  options: {
    t?: number;
    links?: EmbeddedLink[];
    chainId?: string;
    keys?: CorrelationKey[];
    source?: string;
    id?: string;
  } = {},
): ChainCandidate {
  return {
    key,
    source: options.source ?? 'src',
    id: options.id ?? key,
    time: options.t ?? 0,
    chainId: options.chainId ?? null,
    links: options.links ?? [],
    correlation: options.keys ?? [],
  };
}
const path = (from: string): EmbeddedLink => ({ linkType: 'PATH', from: { contextId: from } });
const relation = (target: string, linkKind = 'TRIGGER'): EmbeddedLink => ({
  linkType: 'RELATION',
  linkKind,
  target: { contextId: target },
});
const artifact = (value: string): CorrelationKey => ({ kind: 'artifact', value });
const environment = (value: string): CorrelationKey => ({ kind: 'environment', value });

/** A store stand-in that returns every event it holds as a candidate, and counts hops. */
function storeOf(events: ChainCandidate[]) {
  const calls: string[][] = [];
  const fetch = async (frontier: readonly ChainCandidate[]) => {
    calls.push(frontier.map((e) => e.key));
    return events;
  };
  return { fetch, calls };
}

const keysOf = (chain: { nodes: Array<{ event: ChainCandidate }> }) => chain.nodes.map((n) => n.event.key).sort();

describe('walking explicit links', () => {
  // change ──PATH──▶ build ──RELATION TRIGGER──▶ deploy
  const change = event('change', { t: 1 });
  const build = event('build', { t: 2, links: [path('change')] });
  const deploy = event('deploy', { t: 3, links: [relation('build')] });

  it('reaches the first event from the last, following links backwards', async () => {
    const chain = await buildChain(deploy, storeOf([change, build, deploy]).fetch, limits);
    expect(keysOf(chain)).toEqual(['build', 'change', 'deploy']);
    expect(chain.edges).toEqual([
      { from: 'build', to: 'deploy', kind: 'explicit', reason: 'relation', linkKind: 'TRIGGER' },
      { from: 'change', to: 'build', kind: 'explicit', reason: 'path' },
    ]);
  });

  it('reaches the last event from the first, following links forwards', async () => {
    const chain = await buildChain(change, storeOf([change, build, deploy]).fetch, limits);
    expect(chain.nodes.map((n) => [n.event.key, n.depth])).toEqual([
      ['change', 0],
      ['build', 1],
      ['deploy', 2],
    ]);
  });

  it('ends on a cycle (A links B, B links A) with each event once', async () => {
    const a = event('a', { links: [path('b')] });
    const b = event('b', { links: [path('a')] });
    const store = storeOf([a, b]);
    const chain = await buildChain(a, store.fetch, limits);
    expect(keysOf(chain)).toEqual(['a', 'b']);
    expect(chain.edges).toHaveLength(1);
    expect(store.calls.length).toBeLessThanOrEqual(3);
  });

  it('resolves a link to the event with that id from the same source when two sources reuse the id', async () => {
    const ours = event('ours', { source: 'ci', id: '1', t: 1 });
    const theirs = event('theirs', { source: 'other', id: '1', t: 1 });
    const next = event('next', { source: 'ci', t: 2, links: [path('1')] });
    expect(buildChainEdges([ours, theirs, next], HOUR)).toEqual([
      { from: 'ours', to: 'next', kind: 'explicit', reason: 'path' },
    ]);
  });

  it('joins events of one chainId in time order', () => {
    const edges = buildChainEdges(
      [event('c', { t: 3, chainId: 'x' }), event('a', { t: 1, chainId: 'x' }), event('b', { t: 2, chainId: 'x' })],
      HOUR,
    );
    expect(edges.map((e) => [e.from, e.to, e.reason])).toEqual([
      ['a', 'b', 'chain-id'],
      ['b', 'c', 'chain-id'],
    ]);
  });
});

describe('inferring edges from shared ids', () => {
  it('draws a line, not a clique, through events sharing a purl', () => {
    const events = [1, 2, 3, 4].map((t) => event(`e${t}`, { t, keys: [artifact('pkg:oci/auth@1')] }));
    expect(buildChainEdges(events, HOUR).map((e) => `${e.from}->${e.to}`)).toEqual(['e1->e2', 'e2->e3', 'e3->e4']);
  });

  it('keeps the explicit link when two events are also inferred to be related', () => {
    const a = event('a', { t: 1, keys: [artifact('pkg:oci/auth@1')] });
    const b = event('b', { t: 2, keys: [artifact('pkg:oci/auth@1')], links: [path('a')] });
    expect(buildChainEdges([a, b], HOUR)).toEqual([{ from: 'a', to: 'b', kind: 'explicit', reason: 'path' }]);
  });

  it('relates events in one environment only within the time window', async () => {
    const deploy = event('deploy', { t: 0, keys: [environment('staging')] });
    const test = event('test', { t: HOUR / 2, keys: [environment('staging')] });
    const nextDay = event('next-day', { t: 24 * HOUR, keys: [environment('staging')] });
    const chain = await buildChain(deploy, storeOf([deploy, test, nextDay]).fetch, limits);
    expect(keysOf(chain)).toEqual(['deploy', 'test']);
    expect(chain.edges).toEqual([
      { from: 'deploy', to: 'test', kind: 'inferred', reason: 'environment', value: 'staging' },
    ]);
  });

  it('leaves out events that share nothing with the chain', async () => {
    const a = event('a', { keys: [artifact('pkg:oci/auth@1')] });
    const stranger = event('stranger', { keys: [artifact('pkg:oci/portal@1')] });
    const chain = await buildChain(a, storeOf([a, stranger]).fetch, limits);
    expect(keysOf(chain)).toEqual(['a']);
    expect(chain.truncated).toEqual({ depth: false, nodes: false });
  });
});

describe('bounds', () => {
  // e0 ─▶ e1 ─▶ e2 ─▶ … ─▶ e9, each linking to the previous one
  const line = Array.from({ length: 10 }, (_, i) => event(`e${i}`, { t: i, links: i > 0 ? [path(`e${i - 1}`)] : [] }));

  it('stops at the depth asked for and says the chain goes on', async () => {
    const chain = await buildChain(line[0], storeOf(line).fetch, { ...limits, maxDepth: 3 });
    expect(keysOf(chain)).toEqual(['e0', 'e1', 'e2', 'e3']);
    expect(chain.truncated).toEqual({ depth: true, nodes: false });
  });

  it('does not report truncation when the chain ends exactly at the depth', async () => {
    const chain = await buildChain(line[0], storeOf(line).fetch, { ...limits, maxDepth: 9 });
    expect(chain.nodes).toHaveLength(10);
    expect(chain.truncated).toEqual({ depth: false, nodes: false });
  });

  it('stops at the node limit, keeping the events closest in time, and says so', async () => {
    const hub = event('hub', { t: 0, keys: [environment('prod')] });
    const spokes = Array.from({ length: 20 }, (_, i) =>
      event(`s${String(i).padStart(2, '0')}`, { t: (i + 1) * 1000, keys: [environment('prod')] }),
    );
    const chain = await buildChain(hub, storeOf([hub, ...spokes]).fetch, { ...limits, maxNodes: 5 });
    expect(keysOf(chain)).toEqual(['hub', 's00', 's01', 's02', 's03']);
    expect(chain.truncated.nodes).toBe(true);
  });

  it('prefers explicit neighbours over inferred ones at the node limit', async () => {
    const start = event('start', { t: 0, keys: [environment('prod')] });
    const near = event('near', { t: 1, keys: [environment('prod')] });
    const linked = event('linked', { t: 5000, links: [path('start')] });
    const chain = await buildChain(start, storeOf([start, near, linked]).fetch, { ...limits, maxNodes: 2 });
    expect(keysOf(chain)).toEqual(['linked', 'start']);
  });
});
