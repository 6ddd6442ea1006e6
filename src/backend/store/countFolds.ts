/**
 * Fold counts for an app's timeline. The tab folds the events between two deployments under the
 * newer one ("Show 3 earlier events since the previous deployment"); counted in the browser, that
 * number stops at the end of the loaded page. Counted here, it is the number of events the same
 * filters list between the deployment and the next older one, however many pages that spans.
 *
 * Each count is two index-ordered reads of event_apps_list: back from the deployment to the next
 * older one (LIMIT 1), and the events in between; the cost is the gap's size, not the app's history.
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

/** For each anchor key (a deployment in the list), how many events of the filtered list fold under it. */
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
  const { rows } = await sql.query<{ seq: string; folded: string }>(
    `SELECT a.seq::text AS seq,
       (SELECT count(*) FROM (
          SELECT DISTINCT ea.event_seq FROM event_apps ea JOIN events e ON e.seq = ea.event_seq
          WHERE ${conditions} AND (ea.sort_time, ea.event_seq) < (a.sort_time, a.seq)
            AND (older.sort_time IS NULL OR (ea.sort_time, ea.event_seq) > (older.sort_time, older.event_seq))
        ) gap)::text AS folded
     FROM (SELECT seq, sort_time FROM events WHERE seq = ANY(${anchors}::bigint[])) a
     LEFT JOIN LATERAL (
       SELECT ea.sort_time, ea.event_seq FROM event_apps ea JOIN events e ON e.seq = ea.event_seq
       WHERE ${conditions} AND (ea.sort_time, ea.event_seq) < (a.sort_time, a.seq)
         AND e.subject = 'service' AND e.predicate = ANY(${anchorPredicates}::text[])
       ORDER BY ea.sort_time DESC, ea.event_seq DESC
       LIMIT 1
     ) older ON true`,
    params.values,
  );
  return Object.fromEntries(rows.map((row) => [encodeEventKey(row.seq), Number(row.folded)]));
}
