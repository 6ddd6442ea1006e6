/**
 * GET /healthz  200 while the process serves HTTP (liveness; never touches the database).
 * GET /readyz   200 when the store answers; 503 NotReadyError when it does not, and
 *               while the server is shutting down (fastify's return503OnClosing).
 */
import { NotReadyError } from '../../errors';
import type { RouteModule } from './index';

export const registerHealthRoutes: RouteModule = (app, { store }) => {
  app.get('/healthz', { schema: {} }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: {} }, async (request) => {
    try {
      await store.ping();
    } catch (error) {
      request.log.warn({ err: error }, 'store did not answer the readiness check');
      throw new NotReadyError(`the ${store.kind} store did not answer`, { cause: error });
    }
    return { status: 'ready', store: store.kind };
  });
};
