/**
 * GET /api/v1/applications/{namespace}/{name}/events/export: every event of the
 * app's tab as NDJSON, one EventRecord (payload, verdict, attributions) a line,
 * newest first, so a user can keep history beyond the store's retention. Takes
 * the list's filters (direction, subject, predicate, from, to, q) and its
 * authorisation (the proxy's shared secret, Argocd-Application-Name naming the
 * path's app).
 *
 * Streamed: pages of EXPORT_PAGE_SIZE are read by cursor only as fast as the
 * client takes the lines, so memory stays flat whatever the app's history. An
 * event that arrives during the export with an event time older than the page
 * being read may or may not be in it, as with paging the list by hand.
 *
 *   200  application/x-ndjson, Content-Disposition: attachment
 *   400  a bad filter, Argocd-Application-Name or X-Cdevents-Instance
 *   401  missing or wrong X-Cdevents-Proxy-Secret
 *   403  Argocd-Application-Name names another app than the path
 * A database failure after the first line ends the response early (the chunked
 * body is cut, which clients report), since the status has been sent.
 */
import { Readable } from 'stream';
import type { EventListQuery, EventPage, EventStore } from '../../store/types';
import { readRouteApp } from '../security';
import { type AppParams, buildAppRouteOptions } from './buildAppRouteOptions';
import { eventFilterProperties, type EventFilterQuery, readEventFilters } from './eventListFilters';
import type { RouteModule } from './index';

/** The list route's largest page: one query per thousand events. */
export const EXPORT_PAGE_SIZE = 1000;

const exportQuerySchema = { type: 'object', properties: { ...eventFilterProperties } } as const;

async function* exportLines(store: EventStore, query: EventListQuery, first: EventPage): AsyncGenerator<string> {
  let page = first;
  for (;;) {
    let chunk = '';
    for (const item of page.items) chunk += `${JSON.stringify(item)}\n`;
    if (chunk) yield chunk;
    if (!page.next) return;
    page = await store.listAppEvents({ ...query, before: page.next });
  }
}

/** A file name for the download: the app's namespace and name are DNS names, safe as they are. */
function fileNameOf(params: AppParams): string {
  return `${params.namespace}_${params.name}_cdevents.ndjson`;
}

export const registerAppEventsExportRoute: RouteModule = (app, { config, readStore: store }) => {
  app.get<{ Params: AppParams; Querystring: EventFilterQuery }>(
    '/api/v1/applications/:namespace/:name/events/export',
    buildAppRouteOptions(config, exportQuerySchema),
    async (request, reply) => {
      const query: EventListQuery = {
        app: readRouteApp(request, config, request.params),
        limit: EXPORT_PAGE_SIZE,
        ...readEventFilters(request.query),
      };
      // The first page is read before the status is sent, so a failing store still answers 5xx.
      const first = await store.listAppEvents(query);
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileNameOf(request.params)}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(exportLines(store, query, first), { objectMode: false }));
    },
  );
};
