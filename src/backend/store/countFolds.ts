/**
 * Fold counts for an app's timeline. The tab folds the events between two deployments under the
 * newer one ("Show 3 earlier events since the previous deployment"); counted in the browser, that
 * number stops at the end of the loaded page. Counted here, it is the number of events the same
 * filters list between the deployment and the next older one, however many pages that spans.
 *
 * A page is a contiguous run of the filtered list, so every fold that ends on the page is counted from
 * the page itself. Only the page's oldest deployment opens a fold that may go on past its last row;
 * that remainder is one range read from the last row down to the next older deployment (found by one
 * LIMIT 1 read back from it). The cost is the fold past the page, not the page again nor the app's
 * history. (A count per deployment, each with its own lookups, took over a second for a page of 25
 * deployments on PGlite: bench ui; reading the page's span again doubled the list route's time:
 * bench scale.)
 */
import type { EventRecord } from '../api/contract';
import { filterConditions, filtersReadEvents, positionSql, QueryParams } from './eventListConditions';
import type { SqlQueryable } from './sqlExecutor';
import type { EventListQuery, EventPage, ListPosition } from './types';

/** What the timeline folds under: service deployed, upgraded or rolled back (src/ui/timeline/classifyEvent.ts). */
const ANCHOR_PREDICATES = ['deployed', 'upgraded', 'rolledback'];

export function isFoldAnchor(event: Pick<EventRecord, 'subject' | 'predicate'>): boolean {
  return event.subject === 'service' && event.predicate !== null && ANCHOR_PREDICATES.includes(event.predicate);
}

/**
 * Where a fold count stops: a deployment with more events after it says "1,000+". Past the page, at
 * most this many rows are read to count its last deployment's fold.
 */
export const FOLD_COUNT_LIMIT = 1000;

export type FoldQuery = Omit<EventListQuery, 'limit' | 'before' | 'after'>;

/** For each deployment on one page of the list, how many events of the filtered list fold under it. */
export async function countFolds(
  sql: SqlQueryable,
  query: FoldQuery,
  page: Pick<EventPage, 'items' | 'last'> & {
    /** Whether older events of the filtered list may follow the page (more pages, or a `since` page). */
    olderMayFollow: boolean;
  },
): Promise<Record<string, number>> {
  const folds: Record<string, number> = {};
  let open: string | undefined;
  let folded = 0;
  for (const item of page.items) {
    if (isFoldAnchor(item)) {
      if (open !== undefined) folds[open] = folded;
      open = item.key;
      folded = 0;
    } else if (open !== undefined) {
      folded++;
    }
  }
  if (open === undefined) return folds;
  const beyond = page.olderMayFollow && page.last ? await countFoldBeyond(sql, query, page.last) : 0;
  folds[open] = Math.min(FOLD_COUNT_LIMIT, folded + beyond);
  return folds;
}

/**
 * Events of the filtered list older than `last` and newer than the next older deployment, up to
 * FOLD_COUNT_LIMIT: one read of at most that many rows past `last` (each row's event looked up by
 * primary key in its week's partition), however long ago the previous deployment was. Counted to the
 * end, a deployment with 9,999 events after it took PGlite 50 ms more than the page itself (bench ui).
 */
async function countFoldBeyond(sql: SqlQueryable, query: FoldQuery, last: ListPosition): Promise<number> {
  const params = new QueryParams();
  const conditions = [
    ...filterConditions(params, query),
    `(ea.sort_time, ea.event_seq) < ${positionSql(params, last)}`,
  ];
  const anchorPredicates = params.add(ANCHOR_PREDICATES);
  const { rows } = await sql.query<{ anchor: boolean }>(
    `SELECT (e.subject = 'service' AND e.predicate = ANY(${anchorPredicates}::text[])) AS anchor
     FROM (
       SELECT ea.sort_time, ea.event_seq
       FROM event_apps ea ${filtersReadEvents(query) ? 'JOIN events e ON e.seq = ea.event_seq' : ''}
       WHERE ${conditions.join(' AND ')}
       GROUP BY ea.sort_time, ea.event_seq
       ORDER BY ea.sort_time DESC, ea.event_seq DESC
       LIMIT ${FOLD_COUNT_LIMIT}
     ) AS next
     CROSS JOIN LATERAL (
       SELECT e.subject, e.predicate FROM events e
       WHERE e.seq = next.event_seq AND e.sort_time = next.sort_time LIMIT 1
     ) AS e
     ORDER BY next.sort_time DESC, next.event_seq DESC`,
    params.values,
  );
  const firstAnchor = rows.findIndex((row) => row.anchor);
  return firstAnchor >= 0 ? firstAnchor : rows.length;
}
