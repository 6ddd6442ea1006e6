/**
 * Fold counts for an app's timeline. The tab folds the events between two deployments under the
 * newer one ("Show 3 earlier events since the previous deployment"); counted in the browser, that
 * number stops at the end of the loaded page. Counted here, it is the number of events the same
 * filters list between the deployment and the next older one, however many pages that spans.
 *
 * One statement, one range read in list order: from the page's newest deployment down to the next
 * older deployment below its oldest one (found by one LIMIT 1 read back from it). A running count of
 * deployments numbers the groups; each group's size less its deployment is the fold. The cost is the
 * page plus the fold its last deployment opens, not the app's history. (A count per deployment, each
 * with its own lookups, took over a second for a page of 25 deployments on PGlite: bench ui.)
 */
import type { EventRecord } from '../api/contract';
import { encodeEventKey, parseEventKey } from './eventKey';
import { filterConditions, QueryParams } from './eventListConditions';
import type { SqlQueryable } from './sqlExecutor';
import type { EventListQuery } from './types';

/** What the timeline folds under: service deployed, upgraded or rolled back (src/ui/timeline/classifyEvent.ts). */
const ANCHOR_PREDICATES = ['deployed', 'upgraded', 'rolledback'];

export function isFoldAnchor(event: Pick<EventRecord, 'subject' | 'predicate'>): boolean {
  return event.subject === 'service' && event.predicate !== null && ANCHOR_PREDICATES.includes(event.predicate);
}

export type FoldQuery = Omit<EventListQuery, 'limit' | 'before' | 'after'>;

/** For each anchor key (a deployment on one page of the list), how many events of the filtered list fold under it. */
export async function countFolds(
  sql: SqlQueryable,
  query: FoldQuery,
  anchorKeys: readonly string[],
): Promise<Record<string, number>> {
  const seqs = anchorKeys.map(parseEventKey).filter((seq): seq is string => seq !== undefined);
  if (seqs.length === 0) return {};
  const params = new QueryParams();
  const conditions = filterConditions(params, query).join(' AND ');
  const anchorPredicates = params.add(ANCHOR_PREDICATES);
  const anchors = params.add(seqs);
  const isAnchor = `e.subject = 'service' AND e.predicate = ANY(${anchorPredicates}::text[])`;
  const { rows } = await sql.query<{ seq: string; folded: string }>(
    `WITH newest AS (
       SELECT sort_time, seq FROM events WHERE seq = ANY(${anchors}::bigint[]) ORDER BY sort_time DESC, seq DESC LIMIT 1
     ),
     oldest AS (
       SELECT sort_time, seq FROM events WHERE seq = ANY(${anchors}::bigint[]) ORDER BY sort_time, seq LIMIT 1
     ),
     below AS (
       SELECT ea.sort_time, ea.event_seq AS seq
       FROM event_apps ea JOIN events e ON e.seq = ea.event_seq, oldest
       WHERE ${conditions} AND ${isAnchor} AND ea.sort_time <= oldest.sort_time
         AND (ea.sort_time, ea.event_seq) < (oldest.sort_time, oldest.seq)
       ORDER BY ea.sort_time DESC, ea.event_seq DESC
       LIMIT 1
     ),
     span AS (
       SELECT DISTINCT ea.sort_time, ea.event_seq, (${isAnchor}) AS anchor
       FROM event_apps ea JOIN events e ON e.seq = ea.event_seq, newest
       WHERE ${conditions}
         -- The plain time bounds let the index on (app_name, sort_time) narrow the read; the row
         -- comparisons then place ties on the time exactly.
         AND ea.sort_time <= newest.sort_time
         AND ea.sort_time >= coalesce((SELECT sort_time FROM below), '-infinity'::timestamptz)
         AND (ea.sort_time, ea.event_seq) <= (newest.sort_time, newest.seq)
         AND NOT EXISTS (
           SELECT 1 FROM below WHERE (ea.sort_time, ea.event_seq) <= (below.sort_time, below.seq)
         )
     ),
     grouped AS (
       SELECT event_seq, anchor,
         count(*) FILTER (WHERE anchor) OVER (ORDER BY sort_time DESC, event_seq DESC ROWS UNBOUNDED PRECEDING) AS fold
       FROM span
     )
     SELECT (min(event_seq) FILTER (WHERE anchor))::text AS seq, (count(*) - 1)::text AS folded
     FROM grouped
     WHERE fold > 0
     GROUP BY fold`,
    params.values,
  );
  const asked = new Set(seqs);
  return Object.fromEntries(
    rows.filter((row) => asked.has(row.seq)).map((row) => [encodeEventKey(row.seq), Number(row.folded)]),
  );
}
