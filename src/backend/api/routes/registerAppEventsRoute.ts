/**
 * GET /api/v1/applications/{namespace}/{name}/events: the app's tab, newest first
 * by (event time, else receipt time) then arrival.
 *
 * Query: limit (1..1000, default 100); cursor (the previous page's nextCursor:
 * older events); since (a headCursor: only newer events, for live polling);
 * direction (emitted | received | all); subject and predicate (repeatable or
 * comma-separated, OR within a parameter); from / to (RFC 3339, inclusive, on
 * the event time); q (case-insensitive text in context id, subject id, type or source);
 * actor (exactly who started the sync: a username, or `auto-sync`; store/eventActor.ts).
 *
 *   200  EventListResponse; ETag on the body, Cache-Control: no-cache
 *   304  If-None-Match matched the page's ETag (nothing changed)
 *   400  a bad parameter, cursor, Argocd-Application-Name or X-Cdevents-Instance
 *   401  missing or wrong X-Cdevents-Proxy-Secret
 *   403  Argocd-Application-Name names another app than the path
 * An app the backend has never heard of gets an empty list, not an error.
 */
import { createHash } from 'crypto';
import type { Direction, EventListResponse } from '../contract';
import { BadRequestError } from '../../errors';
import { parseEventTime } from '../../store/parseEventTime';
import { encodeCursor, parseCursor } from '../cursor';
import { readRouteApp } from '../security';
import { type AppParams, buildAppRouteOptions } from './buildAppRouteOptions';
import type { RouteModule } from './index';

const stringList = { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 500 } } as const;

const listQuerySchema = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    cursor: { type: 'string', maxLength: 64 },
    since: { type: 'string', maxLength: 64 },
    direction: { type: 'string', enum: ['emitted', 'received', 'all'], default: 'all' },
    subject: stringList,
    predicate: stringList,
    from: { type: 'string', maxLength: 64 },
    to: { type: 'string', maxLength: 64 },
    q: { type: 'string', maxLength: 200 },
    actor: { type: 'string', maxLength: 200 },
  },
} as const;

interface ListQuery {
  limit: number;
  cursor?: string;
  since?: string;
  direction: Direction | 'all';
  subject?: string[];
  predicate?: string[];
  from?: string;
  to?: string;
  q?: string;
  actor?: string;
}

/** `?subject=a,b&subject=c` → [a, b, c]; subjects and predicates are stored lower-case. */
function splitList(values: string[] | undefined): string[] | undefined {
  const items = (values ?? []).flatMap((value) => value.split(',')).map((item) => item.trim().toLowerCase());
  const nonEmpty = items.filter((item) => item.length > 0);
  return nonEmpty.length > 0 ? [...new Set(nonEmpty)] : undefined;
}

function readTime(value: string | undefined, parameter: string): string | undefined {
  if (value === undefined) return undefined;
  const time = parseEventTime(value);
  if (time === null) {
    throw new BadRequestError(
      `${parameter} must be an RFC 3339 date-time such as 2025-01-31T12:00:00Z, got "${value}"`,
    );
  }
  return time;
}

/** Whether If-None-Match (a list of ETags, possibly weak, or *) matches this one. */
function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

export const registerAppEventsRoute: RouteModule = (app, { config, store }) => {
  app.get<{ Params: AppParams; Querystring: ListQuery }>(
    '/api/v1/applications/:namespace/:name/events',
    buildAppRouteOptions(config, listQuerySchema),
    async (request, reply) => {
      const query = request.query;
      const appRef = readRouteApp(request, config, request.params);
      const page = await store.listAppEvents({
        app: appRef,
        limit: query.limit,
        before: query.cursor ? parseCursor(query.cursor, 'cursor') : undefined,
        after: query.since ? parseCursor(query.since, 'since') : undefined,
        direction: query.direction === 'all' ? undefined : query.direction,
        subjects: splitList(query.subject),
        predicates: splitList(query.predicate),
        from: readTime(query.from, 'from'),
        to: readTime(query.to, 'to'),
        text: query.q?.trim() || undefined,
        actor: query.actor?.trim() || undefined,
      });
      const response: EventListResponse = {
        items: page.items,
        nextCursor: page.next ? encodeCursor(page.next) : null,
        headCursor: page.head ? encodeCursor(page.head) : null,
        instance: appRef.instance,
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
