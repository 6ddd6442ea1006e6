/**
 * How an events row is read: the column list and the mapping to the wire's
 * EventRecord. Shared so other stores over the same tables (chains) read events
 * the same way. Times are formatted in SQL, so both drivers return the same text
 * with microseconds intact.
 */
import type { Attribution, Direction, EventRecord } from '../api/contract';
import type { EmbeddedLink, Problem, VerdictStatus } from '../../cdevents/types';
import { actorSql } from './eventActor';
import { encodeEventKey } from './eventKey';

/** SQL for the columns of `events` aliased `e`, as EventRow expects them. */
export const eventColumns = `
  e.seq::text AS seq, e.source, e.context_id, e.type, e.subject, e.predicate, e.type_version, e.spec_version,
  to_char(e.event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS event_time,
  to_char(e.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at,
  (extract(epoch FROM e.sort_time) * 1000000)::bigint::text AS sort_micros,
  e.subject_id, e.chain_id, e.links, e.payload, e.verdict, e.problems, e.direction, e.reconstructed,
  ${actorSql} AS actor`;

export interface EventRow {
  seq: string;
  source: string;
  context_id: string;
  type: string | null;
  subject: string | null;
  predicate: string | null;
  type_version: string | null;
  spec_version: string | null;
  event_time: string | null;
  received_at: string;
  sort_micros: string;
  subject_id: string | null;
  chain_id: string | null;
  links: EmbeddedLink[];
  payload: unknown;
  verdict: VerdictStatus;
  problems: Problem[];
  direction: Direction;
  reconstructed: boolean;
  actor: string | null;
  /** Present when the query aggregated event_apps. */
  attributions?: Attribution[] | null;
}

export function toEventRecord(row: EventRow): EventRecord {
  return {
    key: encodeEventKey(row.seq),
    source: row.source,
    id: row.context_id,
    type: row.type,
    subject: row.subject,
    predicate: row.predicate,
    typeVersion: row.type_version,
    specVersion: row.spec_version,
    timestamp: row.event_time,
    receivedAt: row.received_at,
    subjectId: row.subject_id,
    chainId: row.chain_id,
    links: row.links,
    verdict: row.verdict,
    problems: row.problems,
    direction: row.direction,
    attributions: row.attributions ?? [],
    reconstructed: row.reconstructed,
    actor: row.actor ?? null,
    payload: row.payload,
  };
}
