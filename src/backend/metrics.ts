/**
 * The backend's Prometheus metrics, on a registry of its own per app (so two apps in one process,
 * as in tests, never share counts), and the fastify plugin that times every request and serves
 * them at GET /metrics. Label values come from small closed sets or route patterns, never from
 * request data, so a hostile client cannot grow the series count.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StorageFigures } from './store/measureStorage';
import type { PoolStats } from './store/sqlExecutor';

/** What ingest did with one event. */
export type IngestStatusLabel = 'stored' | 'duplicate' | 'conflict';
/** The verdict the event was stored with. */
export type IngestVerdictLabel = 'valid' | 'invalid' | 'unknown-type';
/** Which ingest route took it. */
export type IngestRouteLabel = 'events' | 'argocd-notifications';
/** The end of one forwarding attempt (the sinks' delivery worker reports these). */
export type ForwardingOutcomeLabel = 'delivered' | 'retry' | 'dead' | 'lease-lost';
/** What a trigger firing led to. */
export type TriggerOutcomeLabel = 'done' | 'skipped' | 'failed';

export interface BackendMetrics {
  readonly registry: Registry;
  /** The events of one ingest request, each counted under its status and verdict. */
  recordIngest(
    route: IngestRouteLabel,
    results: ReadonlyArray<{ status: IngestStatusLabel; verdict: IngestVerdictLabel }>,
  ): void;
  /** An ingest request refused (auth, size, rate, bad body); registerMetrics counts these itself. */
  recordRejected(route: IngestRouteLabel, statusCode: number): void;
  /** One forwarding attempt to one sink. */
  recordForwarding(sink: string, outcome: ForwardingOutcomeLabel): void;
  /** One trigger firing: outbound (an emitted event sent) or inbound (an action on an app). */
  recordTriggerFiring(direction: 'outbound' | 'inbound', action: string, outcome: TriggerOutcomeLabel): void;
  /** Events a retention sweep removed. */
  recordExpired(count: number): void;
  /** One Argo CD notification's Application state: applied in order, placed late, or stale. */
  recordNotificationState(state: 'applied' | 'late' | 'stale'): void;
  /** One HTTP request's latency; registerMetrics feeds it for every request. */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void;
  /**
   * Exposes the store's size (per table, events, bytes per event), measured by `measure` at a
   * scrape when the last figures are older than `storageRefreshMs`, so scrapes stay cheap.
   */
  trackStorage(measure: () => Promise<StorageFigures>): void;
  /**
   * Exposes each database pool's connections (`pool`: primary, and read when a read replica is set),
   * read from the pool at each scrape; pools without counts (PGlite) are left out.
   */
  trackPools(pools: Record<string, (() => PoolStats) | undefined>): void;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop lag, GC). Default true; tests that build many apps turn it off. */
  processMetrics?: boolean;
  /** How long a storage measurement is served before a scrape measures again. Default one minute. */
  storageRefreshMs?: number;
}

/** Seconds; covers a cached read (ms) up to a slow batch ingest on a cold PGlite. */
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Creates the registry and every metric the backend exports. */
export function createMetrics(options: MetricsOptions = {}): BackendMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'cdevents_' });

  const ingest = new Counter({
    name: 'cdevents_ingest_events_total',
    help: 'Events through ingest, by route, what happened (stored, duplicate, conflict) and verdict.',
    labelNames: ['route', 'status', 'verdict'] as const,
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'cdevents_ingest_rejected_requests_total',
    help: 'Ingest requests refused before anything was stored, by route and HTTP status.',
    labelNames: ['route', 'status_code'] as const,
    registers: [registry],
  });
  const forwarding = new Counter({
    name: 'cdevents_forwarding_attempts_total',
    help: 'Forwarding attempts of emitted events, by sink and outcome (delivered, retry, dead, lease-lost).',
    labelNames: ['sink', 'outcome'] as const,
    registers: [registry],
  });
  const triggers = new Counter({
    name: 'cdevents_trigger_firings_total',
    help: 'Trigger firings, by direction (outbound, inbound), action and outcome.',
    labelNames: ['direction', 'action', 'outcome'] as const,
    registers: [registry],
  });
  const expired = new Counter({
    name: 'cdevents_expired_events_total',
    help: 'Events removed by retention (CDEVENTS_RETENTION_DAYS), with their side rows.',
    registers: [registry],
  });
  const notificationStates = new Counter({
    name: 'cdevents_argocd_notification_states_total',
    help: 'Argo CD notifications by what their Application state was: applied, late (older than the last applied, placed in its order) or stale (changed nothing).',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'cdevents_http_request_duration_seconds',
    help: 'HTTP request latency, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: latencyBuckets,
    registers: [registry],
  });

  const storageRefreshMs = options.storageRefreshMs ?? 60_000;
  const trackStorage = (measure: () => Promise<StorageFigures>) => {
    let last: { at: number; figures: StorageFigures } | undefined;
    let pending: Promise<StorageFigures> | undefined;
    const current = async (): Promise<StorageFigures> => {
      if (last && Date.now() - last.at < storageRefreshMs) return last.figures;
      pending ??= measure().finally(() => (pending = undefined));
      const figures = await pending;
      last = { at: Date.now(), figures };
      return figures;
    };
    new Gauge({
      name: 'cdevents_store_relation_bytes',
      help: 'Bytes on disk of each table of the store, its indexes and TOAST included.',
      labelNames: ['relation'] as const,
      registers: [registry],
      async collect() {
        const { relationBytes } = await current();
        this.reset();
        for (const [relation, bytes] of Object.entries(relationBytes)) this.set({ relation }, bytes);
      },
    });
    new Gauge({
      name: 'cdevents_store_events',
      help: 'Events in the store (exact while small, else the planner estimate ANALYZE keeps).',
      registers: [registry],
      async collect() {
        this.set((await current()).events);
      },
    });
    new Gauge({
      name: 'cdevents_store_bytes_per_event',
      help: 'Bytes on disk per stored event: the events table and the side rows every event has (event_identities, event_apps, event_keys, app_facts, all partitions), indexes included; NaN while the store is empty.',
      registers: [registry],
      async collect() {
        const { bytesPerEvent } = await current();
        this.set(bytesPerEvent ?? Number.NaN);
      },
    });
  };

  const trackPools = (pools: Record<string, (() => PoolStats) | undefined>) => {
    new Gauge({
      name: 'cdevents_store_pool_connections',
      help: 'Connections of each PostgreSQL pool (primary; read: CDEVENTS_READ_DATABASE_URL), by state: total, idle, and waiting (queries queued for a connection).',
      labelNames: ['pool', 'state'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const [pool, stats] of Object.entries(pools)) {
          if (!stats) continue;
          const { total, idle, waiting } = stats();
          this.set({ pool, state: 'total' }, total);
          this.set({ pool, state: 'idle' }, idle);
          this.set({ pool, state: 'waiting' }, waiting);
        }
      },
    });
  };

  return {
    registry,
    trackStorage,
    trackPools,
    recordIngest(route, results) {
      // One increment per label set, not per event: a batch holds up to thousands of events and a few label sets.
      const counts = new Map<string, { status: IngestStatusLabel; verdict: IngestVerdictLabel; count: number }>();
      for (const { status, verdict } of results) {
        const key = `${status} ${verdict}`;
        const entry = counts.get(key);
        if (entry) entry.count++;
        else counts.set(key, { status, verdict, count: 1 });
      }
      for (const { status, verdict, count } of counts.values()) ingest.inc({ route, status, verdict }, count);
    },
    recordRejected: (route, statusCode) => rejected.inc({ route, status_code: String(statusCode) }),
    recordForwarding: (sink, outcome) => forwarding.inc({ sink, outcome }),
    recordExpired: (count) => expired.inc(count),
    recordNotificationState: (state) => notificationStates.inc({ state }),
    recordTriggerFiring: (direction, action, outcome) => triggers.inc({ direction, action, outcome }),
    observeRequest: (method, route, statusCode, seconds) =>
      requestDuration.observe(
        { method: knownMethods.has(method) ? method : 'OTHER', route, status_code: String(statusCode) },
        seconds,
      ),
    render: () => registry.metrics(),
  };
}

const ingestRouteLabels: Partial<Record<string, IngestRouteLabel>> = {
  '/api/v1/events': 'events',
  '/api/v1/argocd/notifications': 'argocd-notifications',
};
const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The route pattern a request matched, or "unmatched": raw URLs would make one series per path. */
function readRouteLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/**
 * Times every request into the latency histogram and serves GET /metrics (Prometheus text format).
 * Register it before the routes so their requests are timed; /metrics needs no secret, like
 * /healthz, and holds no event data.
 */
export function registerMetrics(app: FastifyInstance, metrics: BackendMetrics): void {
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = readRouteLabel(request);
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    const ingestRoute = ingestRouteLabels[route];
    if (ingestRoute && request.method === 'POST' && reply.statusCode >= 400) {
      metrics.recordRejected(ingestRoute, reply.statusCode);
    }
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.render();
  });
}
