/**
 * GET /healthz  200 while the process serves HTTP (liveness; never touches the database).
 * GET /readyz   200 when the store answers; 503 NotReadyError when it does not, and
 *               while the server is shutting down (fastify's return503OnClosing).
 *               With a read replica (CDEVENTS_READ_DATABASE_URL) the body says whether it
 *               answered too (`readStore`), but a silent replica does not make the pod unready:
 *               ingest still works on the primary, and every replica of the backend reads the
 *               same replica database, so taking this pod out would not bring the reads back.
 */
import { NotReadyError } from '../../errors';
import type { RouteModule } from './index';

export const registerHealthRoutes: RouteModule = (app, { store, readStore }) => {
  app.get('/healthz', { schema: {} }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: {} }, async (request) => {
    const readReplica =
      readStore === store
        ? undefined
        : readStore.ping().then(
            () => 'ready' as const,
            (error: unknown) => {
              request.log.warn({ err: error }, 'the read replica did not answer the readiness check');
              return 'unreachable' as const;
            },
          );
    try {
      await store.ping();
    } catch (error) {
      request.log.warn({ err: error }, 'store did not answer the readiness check');
      throw new NotReadyError(`the ${store.kind} store did not answer`, { cause: error });
    }
    return { status: 'ready', store: store.kind, ...(readReplica ? { readStore: await readReplica } : {}) };
  });
};
