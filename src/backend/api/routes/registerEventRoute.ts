/**
 * GET /api/v1/events/{key}: one stored event with its validity and why it is
 * attributed (behind the proxy's shared secret).
 *
 *   200  the EventRecord
 *   400  a malformed Argocd-Application-Name or X-Cdevents-Instance
 *   401  missing or wrong X-Cdevents-Proxy-Secret
 *   404  no such event, or (with Argocd-Application-Name) an event not attributed to that app
 *
 * Argo CD's proxy always sends Argocd-Application-Name, having checked that the
 * user may read that app, so through Argo CD an event is only shown when it is
 * attributed to that app, with that app's reasons: a user of one app cannot read
 * another app's events by guessing keys, and the 404 is the same as for a key
 * that does not exist. Without the header (only callers holding the secret, not
 * through Argo CD) the event comes with every reason it is attributed anywhere.
 */
import type { EventRecord } from '../contract';
import { NotFoundError } from '../../errors';
import { createProxyGuard, readProxiedApp } from '../security';
import type { RouteModule } from './index';

const paramsSchema = {
  type: 'object',
  required: ['key'],
  properties: { key: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

export const registerEventRoute: RouteModule = (app, { config, readStore: store }) => {
  app.get<{ Params: { key: string } }>(
    '/api/v1/events/:key',
    { onRequest: createProxyGuard(config), schema: { params: paramsSchema } },
    async (request): Promise<EventRecord> => {
      const proxiedApp = readProxiedApp(request, config);
      const event = await store.getEvent(request.params.key, proxiedApp ? { app: proxiedApp } : {});
      if (!event || (proxiedApp && event.attributions.length === 0)) {
        throw new NotFoundError(
          proxiedApp
            ? `no event ${request.params.key} in the tab of ${proxiedApp.namespace}/${proxiedApp.name}`
            : `no event ${request.params.key}`,
        );
      }
      return event;
    },
  );
};
