/**
 * Causal chains, with no database: a breadth-first walk from one event over
 * explicit links (context.links, a shared chainId) and correlation keys (shared
 * purl, repository and revision, pipeline run, test suite run, change, and the
 * same environment within a time window), in both directions.
 *
 * The caller fetches candidates per hop (store/chainQueries.ts); this module
 * decides which candidates are really neighbours, stops at `maxDepth` hops and
 * `maxNodes` events, reports truncation, and never visits an event twice, so
 * cycles (A links B links A) end.
 */
import type { ChainEdge, ChainEdgeReason } from '../api/contract';
import type { EmbeddedLink } from '../../cdevents/types';
import type { CorrelationKey } from './extractEventFacts';

/** What the walk needs to know of one event. */
export interface ChainCandidate {
  key: string;
  source: string;
  id: string;
  /** context.timestamp, or when it was received when that is missing; epoch ms. */
  time: number;
  chainId: string | null;
  links: readonly EmbeddedLink[];
  correlation: readonly CorrelationKey[];
}

export interface ChainLimits {
  maxDepth: number;
  maxNodes: number;
  /** Two events in the same environment are related only this close in time. */
  environmentWindowMs: number;
}

export const DEFAULT_CHAIN_LIMITS: ChainLimits = {
  maxDepth: 6,
  maxNodes: 200,
  environmentWindowMs: 60 * 60 * 1000,
};

/**
 * Returns events that may neighbour any of `frontier`; extra candidates are
 * harmless. `visited` (keys already in the chain) lets the store skip them.
 */
export type FetchCandidates<T extends ChainCandidate> = (
  frontier: readonly T[],
  visited: ReadonlySet<string>,
) => Promise<readonly T[]>;

export interface BuiltChain<T extends ChainCandidate> {
  nodes: Array<{ event: T; depth: number }>;
  edges: ChainEdge[];
  truncated: { depth: boolean; nodes: boolean };
}

function linkedContextIds(event: ChainCandidate): string[] {
  const ids: string[] = [];
  for (const link of event.links) {
    if (link.linkType === 'PATH' || link.linkType === 'END') {
      if (link.from?.contextId) ids.push(link.from.contextId);
    } else if (link.linkType === 'RELATION' && link.target?.contextId) {
      ids.push(link.target.contextId);
    }
  }
  return ids;
}

/** The frontier of one hop, indexed so each candidate is checked in O(its links + keys). */
interface FrontierIndex {
  ids: Set<string>;
  linkedIds: Set<string>;
  chainIds: Set<string>;
  /** Correlation key → times of the frontier events that carry it. */
  keys: Map<string, number[]>;
}

function keyOf(key: CorrelationKey): string {
  return `${key.kind}\u0000${key.value}`;
}

function indexFrontier(frontier: readonly ChainCandidate[]): FrontierIndex {
  const index: FrontierIndex = { ids: new Set(), linkedIds: new Set(), chainIds: new Set(), keys: new Map() };
  for (const event of frontier) {
    index.ids.add(event.id);
    for (const id of linkedContextIds(event)) index.linkedIds.add(id);
    if (event.chainId) index.chainIds.add(event.chainId);
    for (const key of event.correlation) {
      const times = index.keys.get(keyOf(key)) ?? [];
      times.push(event.time);
      index.keys.set(keyOf(key), times);
    }
  }
  return index;
}

/** How a candidate relates to the frontier, or undefined; explicit relations first. */
function relateToFrontier(
  index: FrontierIndex,
  candidate: ChainCandidate,
  windowMs: number,
): 'explicit' | 'inferred' | undefined {
  if (index.linkedIds.has(candidate.id)) return 'explicit';
  if (linkedContextIds(candidate).some((id) => index.ids.has(id))) return 'explicit';
  if (candidate.chainId && index.chainIds.has(candidate.chainId)) return 'explicit';
  for (const key of candidate.correlation) {
    // Both events link the same domainId themselves (spec 0.6 draft): as explicit as a shared chainId.
    if (key.kind === 'domain-id' && index.keys.has(keyOf(key))) return 'explicit';
  }
  for (const key of candidate.correlation) {
    const times = index.keys.get(keyOf(key));
    if (!times) continue;
    if (key.kind !== 'environment' || times.some((t) => Math.abs(t - candidate.time) <= windowMs)) return 'inferred';
  }
  return undefined;
}

/** How `a` and `b` are related, or undefined; explicit relations first. */
export function findRelation(
  a: ChainCandidate,
  b: ChainCandidate,
  windowMs: number,
): 'explicit' | 'inferred' | undefined {
  return relateToFrontier(indexFrontier([a]), b, windowMs);
}

/**
 * Walks the chain around `start`. Among the neighbours of one hop, explicit
 * ones come first, then those closest in time to `start`, so a truncated chain
 * keeps what is most likely causal.
 */
export async function buildChain<T extends ChainCandidate>(
  start: T,
  fetchCandidates: FetchCandidates<T>,
  limits: ChainLimits = DEFAULT_CHAIN_LIMITS,
): Promise<BuiltChain<T>> {
  const visited = new Map<string, { event: T; depth: number }>([[start.key, { event: start, depth: 0 }]]);
  let frontier: T[] = [start];
  let truncatedNodes = false;
  let truncatedDepth = false;
  for (let depth = 1; frontier.length > 0; depth++) {
    const candidates = await fetchCandidates(frontier, new Set(visited.keys()));
    const index = indexFrontier(frontier);
    const found: Array<{ event: T; explicit: boolean }> = [];
    const seenThisHop = new Set<string>();
    for (const candidate of candidates) {
      if (visited.has(candidate.key) || seenThisHop.has(candidate.key)) continue;
      const relation = relateToFrontier(index, candidate, limits.environmentWindowMs);
      if (!relation) continue;
      seenThisHop.add(candidate.key);
      found.push({ event: candidate, explicit: relation === 'explicit' });
    }
    if (depth > limits.maxDepth) {
      truncatedDepth = found.length > 0;
      break;
    }
    found.sort(
      (x, y) =>
        Number(y.explicit) - Number(x.explicit) ||
        Math.abs(x.event.time - start.time) - Math.abs(y.event.time - start.time) ||
        x.event.key.localeCompare(y.event.key),
    );
    const room = limits.maxNodes - visited.size;
    if (found.length > room) truncatedNodes = true;
    frontier = found.slice(0, Math.max(room, 0)).map((f) => f.event);
    for (const event of frontier) visited.set(event.key, { event, depth });
    if (truncatedNodes) break;
  }
  const nodes = [...visited.values()];
  return {
    nodes,
    edges: buildChainEdges(
      nodes.map((n) => n.event),
      limits.environmentWindowMs,
    ),
    truncated: { depth: truncatedDepth, nodes: truncatedNodes },
  };
}

const REASON_RANK: Record<ChainEdgeReason, number> = {
  path: 0,
  relation: 1,
  end: 2,
  'chain-id': 3,
  'domain-id': 3,
  artifact: 4,
  change: 5,
  'pipeline-run': 6,
  'test-suite-run': 7,
  'repository-revision': 8,
  environment: 9,
};

function byTime(a: ChainCandidate, b: ChainCandidate): number {
  return a.time - b.time || a.key.localeCompare(b.key);
}

/**
 * The edges among a set of events. Links join the events they name (a link
 * carries only a contextId, so it resolves by id, preferring an event from the
 * same source). Shared chainIds and correlation keys join consecutive events in
 * time, not every pair, so a purl seen by ten events draws a line, not a
 * clique. Between two events only the strongest reason is kept.
 */
export function buildChainEdges(events: readonly ChainCandidate[], environmentWindowMs: number): ChainEdge[] {
  const byId = new Map<string, ChainCandidate[]>();
  for (const event of events) byId.set(event.id, [...(byId.get(event.id) ?? []), event]);
  const resolve = (contextId: string, from: ChainCandidate): ChainCandidate[] => {
    const matches = (byId.get(contextId) ?? []).filter((e) => e.key !== from.key);
    const sameSource = matches.filter((e) => e.source === from.source);
    return sameSource.length > 0 ? sameSource : matches;
  };
  const edges = new Map<string, ChainEdge>();
  const add = (edge: ChainEdge) => {
    if (edge.from === edge.to) return;
    const pair = [edge.from, edge.to].sort().join('\u0000');
    const existing = edges.get(pair);
    if (!existing || REASON_RANK[edge.reason] < REASON_RANK[existing.reason]) edges.set(pair, edge);
  };
  for (const event of events) {
    for (const link of event.links) {
      if (link.linkType === 'RELATION') {
        if (!link.target?.contextId) continue;
        for (const target of resolve(link.target.contextId, event)) {
          add({ from: target.key, to: event.key, kind: 'explicit', reason: 'relation', linkKind: link.linkKind });
        }
      } else if (link.linkType === 'PATH' || link.linkType === 'END') {
        if (!link.from?.contextId) continue;
        const reason = link.linkType === 'PATH' ? 'path' : 'end';
        for (const origin of resolve(link.from.contextId, event)) {
          add({ from: origin.key, to: event.key, kind: 'explicit', reason });
        }
      }
    }
  }
  const groups = new Map<string, { reason: ChainEdgeReason; value: string; members: ChainCandidate[] }>();
  const join = (reason: ChainEdgeReason, value: string, event: ChainCandidate) => {
    const id = `${reason}\u0000${value}`;
    const group = groups.get(id) ?? { reason, value, members: [] };
    group.members.push(event);
    groups.set(id, group);
  };
  for (const event of events) {
    if (event.chainId) join('chain-id', event.chainId, event);
    for (const key of event.correlation) join(key.kind, key.value, event);
  }
  for (const { reason, value, members } of groups.values()) {
    members.sort(byTime);
    for (let i = 1; i < members.length; i++) {
      const [earlier, later] = [members[i - 1], members[i]];
      if (reason === 'environment' && later.time - earlier.time > environmentWindowMs) continue;
      add({
        from: earlier.key,
        to: later.key,
        kind: reason === 'chain-id' || reason === 'domain-id' ? 'explicit' : 'inferred',
        reason,
        value,
      });
    }
  }
  return [...edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
