/**
 * The chain route's `horizon`: which context ids the chain's events link to
 * (events.link_context_ids: PATH from, RELATION target) that no stored event
 * has, judged by chains/decideChainHorizon.ts against the retention horizon.
 * One query over the chain's nodes (at most the route's limit), each a lookup
 * on the context_id index.
 */
import type { ChainHorizon, ChainResponse } from '../contract';
import { decideChainHorizon, type DanglingLink } from '../../chains/decideChainHorizon';
import { parseEventKey } from '../../store/eventKey';
import type { SqlQueryable } from '../../store/sqlExecutor';

export async function fetchDanglingLinks(sql: SqlQueryable, seqs: readonly string[]): Promise<DanglingLink[]> {
  if (seqs.length === 0) return [];
  const { rows } = await sql.query<{ context_id: string; linked_from: string | Date }>(
    `SELECT l.id AS context_id, min(e.sort_time) AS linked_from
     FROM events e CROSS JOIN LATERAL unnest(e.link_context_ids) AS l(id)
     WHERE e.seq = ANY($1::bigint[])
       AND NOT EXISTS (SELECT 1 FROM events t WHERE t.context_id = l.id)
     GROUP BY l.id`,
    [seqs],
  );
  return rows.map((row) => ({ contextId: row.context_id, linkedFromTime: new Date(row.linked_from).getTime() }));
}

/** Undefined when retention is off: nothing is removed, so no chain is cut. */
export async function loadChainHorizon(
  sql: SqlQueryable,
  chain: ChainResponse,
  options: { now: Date; retentionDays: number },
): Promise<ChainHorizon | undefined> {
  if (options.retentionDays <= 0) return undefined;
  const seqs = chain.nodes.map((node) => parseEventKey(node.key)).filter((seq): seq is string => seq !== undefined);
  return decideChainHorizon({ ...options, danglingLinks: await fetchDanglingLinks(sql, seqs) });
}
