/**
 * GET /api/v1/applications/{namespace}/{name}/events: the app's tab, newest first
 * by (event time, else receipt time) then arrival.
 *
 * Query: limit (1..1000, default 100); cursor (the previous page's nextCursor:
 * older events); since (a headCursor: only newer events, for live polling);
 * direction (emitted | received | all); subject and predicate (repeatable or
 * comma-separated, OR within a parameter); from / to (RFC 3339, inclusive, on
 * the event time); q (case-insensitive text in context id, subject id, type or source).
 * Each deployment on the page comes with its fold count (`folds`, store/countFolds.ts).
 *
 *   200  EventListResponse; ETag on the body, Cache-Control: no-cache
 *   304  If-None-Match matched the page's ETag (nothing changed)
 *   400  a bad parameter, cursor, Argocd-Application-Name or X-Cdevents-Instance
 *   401  missing or wrong X-Cdevents-Proxy-Secret
 *   403  Argocd-Application-Name names another app than the path
 * An app the backend has never heard of gets an empty list, not an error.
 */
import { createHash } from 'crypto';
import type { EventListResponse } from '../contract';
import { encodeCursor, parseCursor } from '../cursor';
import { countFolds, FOLD_COUNT_LIMIT } from '../../store/countFolds';
import { readRouteApp } from '../security';
import { type AppParams, buildAppRouteOptions } from './buildAppRouteOptions';
import { eventFilterProperties, type EventFilterQuery, readEventFilters } from './eventListFilters';
import { markSameMoments } from './markSameMoments';
import type { RouteModule } from './index';

const listQuerySchema = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    cursor: { type: 'string', maxLength: 64 },
    since: { type: 'string', maxLength: 64 },
    ...eventFilterProperties,
  },
} as const;

interface ListQuery extends EventFilterQuery {
  limit: number;
  cursor?: string;
  since?: string;
}

/** Whether If-None-Match (a list of ETags, possibly weak, or *) matches this one. */
function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

export const registerAppEventsRoute: RouteModule = (app, { config, readStore: store }) => {
  app.get<{ Params: AppParams; Querystring: ListQuery }>(
    '/api/v1/applications/:namespace/:name/events',
    buildAppRouteOptions(config, listQuerySchema),
    async (request, reply) => {
      const query = request.query;
      const appRef = readRouteApp(request, config, request.params);
      const filters = { app: appRef, ...readEventFilters(query) };
      const page = await store.listAppEvents({
        ...filters,
        limit: query.limit,
        before: query.cursor ? parseCursor(query.cursor, 'cursor') : undefined,
        after: query.since ? parseCursor(query.since, 'since') : undefined,
      });
      const folds = await countFolds(store.sql, filters, {
        ...page,
        olderMayFollow: page.next !== null || query.since !== undefined,
      });
      const response: EventListResponse = {
        items: await markSameMoments(store, appRef, page.items),
        nextCursor: page.next ? encodeCursor(page.next) : null,
        headCursor: page.head ? encodeCursor(page.head) : null,
        instance: appRef.instance,
        retentionDays: config.retentionDays,
        foldLimit: FOLD_COUNT_LIMIT,
        folds,
      };
      const body = JSON.stringify(response);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      reply.header('etag', etag).header('cache-control', 'no-cache');
      const ifNoneMatch = request.headers['if-none-match'];
      if (matchesEtag(typeof ifNoneMatch === 'string' ? ifNoneMatch : undefined, etag)) {
        return reply.code(304).send();
      }
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
};
