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
  folds[open] = folded + (page.olderMayFollow && page.last ? await countFoldBeyond(sql, query, page.last) : 0);
  return folds;
}

/** Events of the filtered list older than `last` and newer than the next older deployment. */
async function countFoldBeyond(sql: SqlQueryable, query: FoldQuery, last: ListPosition): Promise<number> {
  const below = await findDeploymentBefore(sql, query, last);
  const params = new QueryParams();
  const conditions = [
    ...filterConditions(params, query),
    `(ea.sort_time, ea.event_seq) < ${positionSql(params, last)}`,
    ...(below ? [`(ea.sort_time, ea.event_seq) > ${positionSql(params, below)}`] : []),
  ];
  const { rows } = await sql.query<{ folded: string }>(
    `SELECT count(*)::text AS folded FROM (
       SELECT DISTINCT ea.sort_time, ea.event_seq
       FROM event_apps ea ${filtersReadEvents(query) ? 'JOIN events e ON e.seq = ea.event_seq' : ''}
       WHERE ${conditions.join(' AND ')}
     ) AS fold`,
    params.values,
  );
  return Number(rows[0]!.folded);
}

/**
 * The newest deployment of the filtered list older than `position`, or undefined. Each older row's event
 * is read by a lateral lookup (its week's partition, by primary key), so the walk back along the list
 * index stops at the first deployment. As a join, PostgreSQL read all of the app's older rows in a
 * bitmap scan (36 ms at 2,000,000 events) and PGlite matched each against every deployment in the store
 * (580 ms for a fold of 9,800 events, bench ui).
 */
async function findDeploymentBefore(
  sql: SqlQueryable,
  query: FoldQuery,
  position: ListPosition,
): Promise<ListPosition | undefined> {
  const params = new QueryParams();
  const conditions = filterConditions(params, query).join(' AND ');
  const anchorPredicates = params.add(ANCHOR_PREDICATES);
  const { rows } = await sql.query<{ sort_micros: string; seq: string }>(
    `SELECT (extract(epoch FROM ea.sort_time) * 1000000)::bigint::text AS sort_micros, ea.event_seq::text AS seq
     FROM event_apps ea
     CROSS JOIN LATERAL (
       SELECT * FROM events e WHERE e.seq = ea.event_seq AND e.sort_time = ea.sort_time LIMIT 1
     ) AS e
     WHERE ${conditions} AND e.subject = 'service' AND e.predicate = ANY(${anchorPredicates}::text[])
       AND (ea.sort_time, ea.event_seq) < ${positionSql(params, position)}
     ORDER BY ea.sort_time DESC, ea.event_seq DESC
     LIMIT 1`,
    params.values,
  );
  const row = rows[0];
  return row ? { sortMicros: row.sort_micros, seq: row.seq } : undefined;
}
