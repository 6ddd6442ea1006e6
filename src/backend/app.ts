/**
 * Builds the backend's fastify app from its dependencies. It never listens:
 * main.ts does, and tests start it on port 0 through test/helpers/backend.ts.
 * Other areas add optional members to AppDeps and one line to
 * api/routes/index.ts for their routes.
 */
import { randomUUID } from 'crypto';
import fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppProfile } from './chains/buildAppProfile';
import type { Config } from './config';
import { createMetrics, registerMetrics, type BackendMetrics } from './metrics';
import { measureStorage } from './store/measureStorage';
import { registerErrorHandling, writeClientError } from './api/errorHandler';
import { registerIngestRateLimit } from './api/rateLimit';
import { registerJsonBodyGuards } from './api/security';
import { registerRoutes } from './api/routes';
import type { EventStore } from './store/types';
import { createAppProfileSource } from './store/appProfileQueries';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface AppDeps {
  config: Config;
  store: EventStore;
  /**
   * The store the read routes query (CDEVENTS_READ_DATABASE_URL: a read replica); defaults to `store`.
   * Ingest, triggers and every write stay on `store`.
   */
  readStore?: EventStore;
  /** Defaults to the system clock. */
  clock?: Clock;
  /** A pino logger; defaults to one at config.logLevel writing JSON to stdout. */
  logger?: FastifyBaseLogger;
  /** Prometheus metrics served at /metrics; defaults to a fresh registry without process metrics (main.ts adds them). */
  metrics?: BackendMetrics;
  /** The apps the backend knows (from Argo CD), so ingest can attribute by artifact, source and environment. */
  listAppProfiles?: () => Promise<readonly AppProfile[]>;
  /** Tells listAppProfiles that an app's snapshot changed, so the next ingest sees it at once. */
  invalidateAppProfiles?: () => void;
}

/** Client-sent request ids are kept when they look like ids, so logs join across services. */
function createRequestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w.:-]{1,64}$/.test(header) ? header : randomUUID();
}

export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: { level: config.logLevel } }),
    bodyLimit: config.maxBodyBytes,
    genReqId: (request) => createRequestId(request.headers['x-request-id']),
    // While closing, fastify answers new requests 503 and lets in-flight ones finish.
    return503OnClosing: true,
    // Malformed HTTP and oversized headers never reach a route; answer them in the same envelope.
    clientErrorHandler: writeClientError,
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerErrorHandling(app, config);
  const metrics = deps.metrics ?? createMetrics({ processMetrics: false });
  registerMetrics(app, metrics);
  metrics.trackStorage(() => measureStorage(deps.store.sql));
  metrics.trackPools({
    primary: deps.store.sql.poolStats,
    ...(deps.readStore && deps.readStore !== deps.store ? { read: deps.readStore.sql.poolStats } : {}),
  });
  await registerIngestRateLimit(app, config);
  registerJsonBodyGuards(app);
  // Received events are attributed against the apps in the applications table unless a caller says otherwise.
  const profiles = createAppProfileSource(deps.store.sql);
  const listAppProfiles = deps.listAppProfiles ?? profiles.list;
  const invalidateAppProfiles = deps.invalidateAppProfiles ?? profiles.invalidate;
  await registerRoutes(app, {
    clock: systemClock,
    ...deps,
    readStore: deps.readStore ?? deps.store,
    metrics,
    listAppProfiles,
    invalidateAppProfiles,
  });
  return app;
}
