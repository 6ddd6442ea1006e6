/**
 * The store side of causal chains: writing each event's correlation keys when
 * it is stored, and fetching, per hop of a chain walk, the events that may
 * neighbour the current frontier. It fetches candidates only; which of them
 * are really linked is decided by src/backend/chains/buildChain.ts.
 *
 * Every query is bounded: per key, at most `perKeyLimit` events on each side in
 * time; per link id, at most `linkLimit` events. So one hop costs a few index
 * range scans per frontier event, whatever the size of the store.
 */
import type { ChainNodeApp, ChainResponse, Direction } from '../api/contract';
import type { AttributionRule } from '../api/contract';
import type { EmbeddedLink, VerdictStatus } from '../../cdevents/types';
import { buildChain, type ChainCandidate, DEFAULT_CHAIN_LIMITS } from '../chains/buildChain';
import { buildChainResponse } from '../chains/buildChainResponse';
import {
  type CorrelationKey,
  type CorrelationKind,
  type EventFacts,
  listCorrelationKeys,
} from '../chains/extractEventFacts';
import { encodeEventKey, parseEventKey } from './eventKey';
import type { SqlExecutor, SqlQueryable } from './sqlExecutor';

/** A chainId is stored as a key too, so "same chain, nearest in time" is the same range scan. */
const CHAIN_ID_KIND = 'chain-id';

/**
 * The expression event_keys is indexed on (migration 009): a query must spell it
 * exactly so, over `alias`.kind and `alias`.value, for the planner to use the index.
 * Matching the hash alone is enough: buildChain links a candidate only by keys it shares.
 */
function keyHash(alias: string): string {
  return `hashtextextended(${alias}.kind || ' ' || ${alias}.value, 0)`;
}

/** One row of event_keys as the insert statement reads it: `ord` names the event's place in its batch. */
export interface EventKeyInput {
  ord: number;
  kind: string;
  value: string;
}

/**
 * Appends the rows of event_keys for one event to `into`, without repeats; the
 * store writes them in the statement that inserts the event.
 */
export function appendEventKeys(into: EventKeyInput[], ord: number, facts: EventFacts, chainId: string | null): void {
  const keys = listCorrelationKeys(facts);
  // Kept from when the lookup index held the text: a btree entry had to fit in a third of a page.
  for (let index = 0; index < keys.length; index++) {
    const { kind, value } = keys[index]!;
    if (value.length <= 1000) into.push({ ord, kind, value });
  }
  if (chainId && chainId.length <= 1000) into.push({ ord, kind: CHAIN_ID_KIND, value: chainId });
}

/** One event as the chain walk and the chain response need it. */
export interface ChainEventRow extends ChainCandidate {
  seq: string;
  type: string | null;
  subject: string | null;
  predicate: string | null;
  subjectId: string | null;
  timestamp: string | null;
  direction: Direction;
  verdict: VerdictStatus;
}

interface RawRow {
  seq: string;
  source: string;
  context_id: string;
  type: string | null;
  subject: string | null;
  predicate: string | null;
  subject_id: string | null;
  chain_id: string | null;
  links: EmbeddedLink[] | string;
  event_time: string | Date | null;
  sort_time: string | Date;
  direction: Direction;
  verdict: VerdictStatus;
  keys: Array<[string, string]> | string;
}

const selectColumns = `e.seq::text AS seq, e.source, e.context_id, e.type, e.subject, e.predicate, e.subject_id,
  e.chain_id, e.links, e.event_time, e.sort_time, e.direction, e.verdict,
  (SELECT coalesce(jsonb_agg(jsonb_build_array(k.kind, k.value)), '[]'::jsonb)
     FROM event_keys k WHERE k.event_seq = e.seq) AS keys`;

function parseJson<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

function toIso(value: string | Date | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function toChainEventRow(row: RawRow): ChainEventRow {
  const keys = parseJson(row.keys);
  const correlation: CorrelationKey[] = keys
    .filter(([kind]) => kind !== CHAIN_ID_KIND)
    .map(([kind, value]) => ({ kind: kind as CorrelationKind, value }));
  const links = parseJson(row.links);
  return {
    key: encodeEventKey(row.seq),
    seq: row.seq,
    source: row.source,
    id: row.context_id,
    time: new Date(row.sort_time).getTime(),
    chainId: row.chain_id,
    links: Array.isArray(links) ? links : [],
    correlation,
    type: row.type,
    subject: row.subject,
    predicate: row.predicate,
    subjectId: row.subject_id,
    timestamp: toIso(row.event_time),
    direction: row.direction,
    verdict: row.verdict,
  };
}

/** One event by seq, or undefined. */
export async function fetchChainEvent(sql: SqlQueryable, seq: string): Promise<ChainEventRow | undefined> {
  const { rows } = await sql.query<RawRow>(`SELECT ${selectColumns} FROM events e WHERE e.seq = $1::bigint`, [seq], {
    name: 'cdevents_chain_event',
  });
  return rows[0] ? toChainEventRow(rows[0]) : undefined;
}

export interface CandidateLimits {
  /** Events fetched per correlation key on each side of a frontier event, in time. */
  perKeyLimit: number;
  /** Events fetched per linked context id. */
  linkLimit: number;
  environmentWindowMs: number;
}

export const DEFAULT_CANDIDATE_LIMITS: CandidateLimits = {
  perKeyLimit: 8,
  linkLimit: 50,
  environmentWindowMs: 60 * 60 * 1000,
};

/**
 * Events that may neighbour the frontier: those nearest in time sharing one of
 * its keys (environment keys only within the window), those its links name,
 * and those whose links name it. Events in `exclude` (already in the chain) are
 * left out.
 */
export async function fetchChainCandidates(
  sql: SqlQueryable,
  frontier: readonly ChainEventRow[],
  exclude: readonly string[],
  limits: CandidateLimits = DEFAULT_CANDIDATE_LIMITS,
): Promise<ChainEventRow[]> {
  const probes = {
    kind: [] as string[],
    value: [] as string[],
    at: [] as string[],
    lo: [] as string[],
    hi: [] as string[],
  };
  const addProbe = (kind: string, value: string, time: number, windowMs: number | undefined) => {
    probes.kind.push(kind);
    probes.value.push(value);
    probes.at.push(new Date(time).toISOString());
    probes.lo.push(windowMs === undefined ? '-infinity' : new Date(time - windowMs).toISOString());
    probes.hi.push(windowMs === undefined ? 'infinity' : new Date(time + windowMs).toISOString());
  };
  const linkedIds = new Set<string>();
  const ownIds = new Set<string>();
  for (const event of frontier) {
    ownIds.add(event.id);
    if (event.chainId) addProbe(CHAIN_ID_KIND, event.chainId, event.time, undefined);
    for (const key of event.correlation) {
      addProbe(key.kind, key.value, event.time, key.kind === 'environment' ? limits.environmentWindowMs : undefined);
    }
    for (const link of event.links) {
      const id = link.linkType === 'RELATION' ? link.target?.contextId : link.from?.contextId;
      if (typeof id === 'string' && id !== '') linkedIds.add(id);
    }
  }
  const { rows } = await sql.query<RawRow>(
    `WITH probe AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[])
         AS p(kind, value, at, lo, hi)
     ), found AS (
       -- Each candidate comes with its sort_time, so reading it touches one week's partition (migration 014).
       SELECT k.event_seq, k.sort_time FROM probe p CROSS JOIN LATERAL (
         (SELECT event_seq, sort_time FROM event_keys k
           WHERE ${keyHash('k')} = ${keyHash('p')} AND k.sort_time <= p.at AND k.sort_time >= p.lo
           ORDER BY k.sort_time DESC LIMIT $6)
         UNION ALL
         (SELECT event_seq, sort_time FROM event_keys k
           WHERE ${keyHash('k')} = ${keyHash('p')} AND k.sort_time >= p.at AND k.sort_time <= p.hi
           ORDER BY k.sort_time ASC LIMIT $6)
       ) k
       UNION ALL
       SELECT l.seq, l.sort_time FROM unnest($7::text[]) AS t(id)
         CROSS JOIN LATERAL (SELECT seq, sort_time FROM events WHERE context_id = t.id LIMIT $8) l
       UNION ALL
       (SELECT seq, sort_time FROM events WHERE link_context_ids && $9::text[] LIMIT $8)
     )
     SELECT ${selectColumns}
     FROM (SELECT DISTINCT event_seq, sort_time FROM found WHERE NOT (event_seq = ANY($10::bigint[]))) AS f
     JOIN events e ON e.seq = f.event_seq AND e.sort_time = f.sort_time`,
    [
      probes.kind,
      probes.value,
      probes.at,
      probes.lo,
      probes.hi,
      limits.perKeyLimit + 1,
      [...linkedIds],
      limits.linkLimit,
      [...ownIds],
      exclude,
    ],
    { name: 'cdevents_chain_candidates' },
  );
  return rows.map(toChainEventRow);
}

/** The apps each event is attributed to, for the chain's nodes. */
export async function fetchEventApps(sql: SqlQueryable, seqs: readonly string[]): Promise<Map<string, ChainNodeApp[]>> {
  const result = new Map<string, ChainNodeApp[]>();
  if (seqs.length === 0) return result;
  const { rows } = await sql.query<{
    seq: string;
    instance: string;
    app_namespace: string;
    app_name: string;
    rule: AttributionRule;
  }>(
    `SELECT event_seq::text AS seq, instance, app_namespace, app_name, rule FROM event_apps
     WHERE event_seq = ANY($1::bigint[]) ORDER BY event_seq, app_namespace, app_name, rule`,
    [seqs],
    { name: 'cdevents_chain_apps' },
  );
  for (const row of rows) {
    const apps = result.get(row.seq) ?? [];
    apps.push({ instance: row.instance, namespace: row.app_namespace, name: row.app_name, rule: row.rule });
    result.set(row.seq, apps);
  }
  return result;
}

/**
 * When an app's emitted event names the received event that caused its sync
 * (RELATION TRIGGER), that received event is shown in the app's tab too, with
 * the reason `trigger`. Runs in the insert transaction of the emitted event,
 * after its own attributions are written.
 */
export async function attributeTriggerTargets(tx: SqlQueryable, seqs: readonly string[]): Promise<void> {
  if (seqs.length === 0) return;
  await tx.query(
    `INSERT INTO event_apps (event_seq, instance, app_namespace, app_name, rule, detail, sort_time)
     SELECT DISTINCT ON (t.seq, ea.instance, ea.app_namespace, ea.app_name)
       t.seq, ea.instance, ea.app_namespace, ea.app_name, 'trigger',
       'triggered ' || coalesce(e.subject || ' ' || e.predicate, 'an event') || ' of this app', t.sort_time
     FROM unnest($1::bigint[]) AS linking(seq)
     -- Each linking event, then its attributions, by a lookup of its own. OFFSET 0 keeps them lookups:
     -- as joins PostgreSQL scanned whole partitions (a partition growing faster than autovacuum's
     -- statistics looked small enough to scan; every event_apps partition was hashed), 0.5 s a batch
     -- carrying a RELATION link at 1,000,000 events, and seeding slowed from 10,000 to 1,800 events/s.
     CROSS JOIN LATERAL (SELECT * FROM events WHERE events.seq = linking.seq OFFSET 0) AS e
     CROSS JOIN LATERAL (
       SELECT a.instance, a.app_namespace, a.app_name FROM event_apps a
       WHERE a.event_seq = e.seq AND a.sort_time = e.sort_time AND a.rule = 'emitted'
       OFFSET 0
     ) AS ea
     CROSS JOIN LATERAL jsonb_array_elements(e.links) AS l
     CROSS JOIN LATERAL (
       SELECT target.seq, target.sort_time FROM events target
       WHERE target.context_id = l->'target'->>'contextId' AND target.direction = 'received'
       OFFSET 0
     ) AS t
     WHERE jsonb_typeof(e.links) = 'array'
       AND l->>'linkType' = 'RELATION' AND upper(l->>'linkKind') = 'TRIGGER'
     ORDER BY t.seq, ea.instance, ea.app_namespace, ea.app_name, e.seq
     ON CONFLICT DO NOTHING`,
    [seqs],
  );
}

/**
 * The chain around one stored event, as the API returns it: the pure walk
 * (chains/buildChain.ts) fed hop by hop by fetchChainCandidates. Undefined
 * when no event has that seq.
 */
export async function loadChain(
  sql: SqlExecutor,
  seq: string,
  options: ChainOptions,
): Promise<ChainResponse | undefined> {
  if (sql.kind !== 'postgres') return walkChain(sql, seq, options);
  // The hops are named statements over the week partitions (migration 014). PostgreSQL's default plan
  // cache keeps planning them anew (a plan pruned to the partitions of one call's values looks cheaper
  // than the generic plan, which prunes at run time), and planning over every partition was most of a
  // hop: `npm run bench -- chain --events=20000` took p50 41.6 ms with it, 14.7 ms with generic plans.
  return sql.transaction(async (tx) => {
    await tx.query('SET LOCAL plan_cache_mode = force_generic_plan');
    return walkChain(tx, seq, options);
  });
}

interface ChainOptions {
  depth: number;
  limit: number;
  environmentWindowMs?: number;
}

async function walkChain(sql: SqlQueryable, seq: string, options: ChainOptions): Promise<ChainResponse | undefined> {
  const start = await fetchChainEvent(sql, seq);
  if (!start) return undefined;
  const environmentWindowMs = options.environmentWindowMs ?? DEFAULT_CHAIN_LIMITS.environmentWindowMs;
  const chain = await buildChain(
    start,
    (frontier, visited) =>
      fetchChainCandidates(
        sql,
        frontier,
        [...visited].map((key) => parseEventKey(key)).filter((s): s is string => s !== undefined),
        { ...DEFAULT_CANDIDATE_LIMITS, environmentWindowMs },
      ),
    { maxDepth: options.depth, maxNodes: options.limit, environmentWindowMs },
  );
  const apps = await fetchEventApps(
    sql,
    chain.nodes.map((node) => node.event.seq),
  );
  return buildChainResponse({ start, chain, apps, depth: options.depth, limit: options.limit });
}
