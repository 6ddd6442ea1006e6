/**
 * The forwarding log, behind the proxy's shared secret like the other proxied routes.
 *
 * GET /api/v1/events/{key}/deliveries
 *   200  DeliveriesResponse: per sink, its status, attempts, last status code and error, and every attempt
 *   400  a malformed Argocd-Application-Name or X-Cdevents-Instance
 *   401  missing or wrong X-Cdevents-Proxy-Secret
 *   404  no such event, or (with Argocd-Application-Name) an event not attributed to that app:
 *        the same rule as GET /api/v1/events/{key}, so keys cannot be probed across apps
 *
 * GET /api/v1/sinks
 *   200  SinksResponse: every sink the outbox knows, with counts by status (no URLs, no headers)
 *   401  missing or wrong X-Cdevents-Proxy-Secret
 */
import type { DeliveriesResponse, SinksResponse } from '../contract';
import { NotFoundError } from '../../errors';
import { createOutboxStore } from '../../sinks/outboxStore';
import { parseEventKey } from '../../store/eventKey';
import { createProxyGuard, readProxiedApp } from '../security';
import type { RouteModule } from './index';

const paramsSchema = {
  type: 'object',
  required: ['key'],
  properties: { key: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

const toIso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export const registerDeliveryRoutes: RouteModule = (app, { config, store }) => {
  const outbox = createOutboxStore(store.sql);
  const guard = createProxyGuard(config);

  app.get<{ Params: { key: string } }>(
    '/api/v1/events/:key/deliveries',
    { onRequest: guard, schema: { params: paramsSchema } },
    async (request): Promise<DeliveriesResponse> => {
      const { key } = request.params;
      const proxiedApp = readProxiedApp(request, config);
      const seq = parseEventKey(key);
      const event = seq === undefined ? undefined : await store.getEvent(key, proxiedApp ? { app: proxiedApp } : {});
      if (seq === undefined || !event || (proxiedApp && event.attributions.length === 0)) {
        throw new NotFoundError(
          proxiedApp ? `no event ${key} in the tab of ${proxiedApp.namespace}/${proxiedApp.name}` : `no event ${key}`,
        );
      }
      const rows = await outbox.listDeliveries(Number(seq));
      return {
        key,
        items: rows.map((row) => ({
          sink: row.sink,
          status: row.status,
          attempts: row.attempts,
          lastStatusCode: row.lastStatusCode,
          lastError: row.lastError,
          deliveredAt: toIso(row.deliveredAt),
          nextAttemptAt: toIso(row.nextAttemptAt),
          log: row.log.map((entry) => ({
            attempt: entry.attempt,
            at: entry.at.toISOString(),
            outcome: entry.outcome,
            statusCode: entry.statusCode,
            error: entry.error,
            durationMs: entry.durationMs,
          })),
        })),
      };
    },
  );

  app.get('/api/v1/sinks', { onRequest: guard }, async (): Promise<SinksResponse> => {
    const sinks = await outbox.countBySink();
    return {
      items: sinks.map((sink) => ({
        name: sink.name,
        kind: sink.kind,
        specVersion: sink.specVersion,
        filter: sink.filter,
        maxAttempts: sink.maxAttempts,
        enabled: sink.enabled,
        counts: { pending: sink.pending, delivered: sink.delivered, dead: sink.dead },
        oldestPendingAt: toIso(sink.oldestPendingAt),
      })),
    };
  });
};
