import type { ChainNodeApp, ChainResponse } from '../api/contract';
import type { ChainEventRow } from '../store/chainQueries';
import type { BuiltChain } from './buildChain';
import { classifyStage } from './classifyStage';

/** Shapes a walked chain for the wire: nodes in time order with their stage and apps. */
export function buildChainResponse(input: {
  start: ChainEventRow;
  chain: BuiltChain<ChainEventRow>;
  apps: ReadonlyMap<string, ChainNodeApp[]>;
  depth: number;
  limit: number;
}): ChainResponse {
  const nodes = [...input.chain.nodes]
    .sort((a, b) => a.event.time - b.event.time || a.event.key.localeCompare(b.event.key))
    .map(({ event, depth }) => ({
      key: event.key,
      source: event.source,
      id: event.id,
      type: event.type,
      subject: event.subject,
      predicate: event.predicate,
      subjectId: event.subjectId,
      timestamp: event.timestamp,
      direction: event.direction,
      verdict: event.verdict,
      stage: classifyStage(event.subject, event.predicate),
      depth,
      apps: input.apps.get(event.seq) ?? [],
    }));
  return {
    start: input.start.key,
    depth: input.depth,
    limit: input.limit,
    nodes,
    edges: input.chain.edges,
    truncated: input.chain.truncated,
  };
}
