/**
 * The backend's settings, read once at start from the environment. This is the
 * only module that reads process.env; everything else receives a Config. Every
 * setting is validated here and every bad one is reported in one ConfigError, so
 * an operator fixes them all in one go. Each setting is documented in README.md
 * under "Configuration" (a test holds the two together through `settingNames`).
 */
import { ConfigError } from './errors';
import { loadSinkSettings } from './sinks/parseSinkSettings';
import type { SinkSettings } from './sinks/types';
import { type EditorPolicy, parseEditorPolicy } from './triggers/editorPolicy';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  /** PORT: the HTTP port. */
  port: number;
  /** HOST: the address to listen on. */
  host: string;
  /** DATABASE_URL: PostgreSQL when set; otherwise the embedded PGlite. */
  databaseUrl: string | undefined;
  /**
   * CDEVENTS_READ_DATABASE_URL: a PostgreSQL read replica the read routes (event list and detail, export,
   * summary, dashboard, chains) query; ingest, triggers and every write stay on DATABASE_URL. Unset: all on one.
   */
  readDatabaseUrl: string | undefined;
  /** CDEVENTS_DATA_DIR: PGlite's data directory. */
  dataDir: string;
  /** CDEVENTS_DATABASE_POOL_SIZE: connections in the PostgreSQL pool. */
  databasePoolSize: number;
  /** CDEVENTS_PROXY_SECRET: the shared secret Argo CD's proxy sends as X-Cdevents-Proxy-Secret. */
  proxySecret: string | undefined;
  /** CDEVENTS_PROXY_AUTH: 'off' skips the shared-secret check (the local demo only). */
  proxyAuth: boolean;
  /** CDEVENTS_INGEST_TOKENS: bearer tokens accepted on ingest routes. */
  ingestTokens: string[];
  /** CDEVENTS_INGEST_AUTH: 'off' accepts ingest without a token (the local demo only). */
  ingestAuth: boolean;
  /** CDEVENTS_DEFAULT_INSTANCE: the Argo CD instance of proxied requests without X-Cdevents-Instance. */
  defaultInstance: string;
  /** CDEVENTS_MAX_BODY_BYTES: the largest request body accepted (413 above it). */
  maxBodyBytes: number;
  /** CDEVENTS_INGEST_RATE_LIMIT: ingest requests one client may make per window (429 above it); 0 turns the limit off. */
  ingestRateLimit: number;
  /** CDEVENTS_INGEST_RATE_WINDOW_SECONDS: the rate limit's window. */
  ingestRateWindowSeconds: number;
  /** CDEVENTS_LOG_LEVEL: pino log level. */
  logLevel: LogLevel;
  /** CDEVENTS_RETENTION_DAYS: events older than this many days (by event time) are removed; 0 keeps them forever. */
  retentionDays: number;
  /** CDEVENTS_RETENTION_SWEEP_MINUTES: how often expired events are looked for (also once at start). */
  retentionSweepMinutes: number;
  /**
   * CDEVENTS_RETENTION_MAX_EVENTS_PER_APP: each app's tab keeps at most its newest this many events (an
   * event in several tabs goes once it is beyond the cap in all of them); 0, the default, sets no cap.
   */
  retentionMaxEventsPerApp: number;
  /** CDEVENTS_BACKFILL: where history is read at start and on POST /api/v1/argocd/backfill. */
  backfill: 'off' | 'kubernetes' | 'argocd';
  /** CDEVENTS_BACKFILL_NAMESPACES: namespaces to list Applications in (Kubernetes); empty lists all. */
  backfillNamespaces: string[];
  /** CDEVENTS_KUBERNETES_URL, default https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT inside a pod. */
  kubernetesUrl: string | undefined;
  /** CDEVENTS_KUBERNETES_TOKEN_FILE: the service account token file. */
  kubernetesTokenFile: string;
  /** CDEVENTS_ARGOCD_URL: argocd-server's URL, for the Argo CD API. */
  argocdUrl: string | undefined;
  /** CDEVENTS_ARGOCD_TOKEN: an Argo CD API token. */
  argocdToken: string | undefined;
  /** CDEVENTS_KUBERNETES_TOKEN: a Kubernetes API token; when unset, the service account token file is read. */
  kubernetesToken: string | undefined;
  /** CDEVENTS_TRIGGER_EDITORS: who may change triggers (`user:<name>`, `group:<name>`); empty means nobody. */
  triggerEditors: EditorPolicy;
  /** CDEVENTS_ARGOCD_NAMESPACE: where Argo CD and argocd-notifications-cm live. */
  argocdNamespace: string;
  /** CDEVENTS_NOTIFICATIONS_URL: the backend as Argo CD's notification controller reaches it (outbound triggers). */
  notificationsUrl: string;
  /** CDEVENTS_SINKS (a JSON array) or CDEVENTS_SINKS_FILE (a path to one): where emitted events are forwarded. */
  sinks: SinkSettings[];
  /**
   * CDEVENTS_NATS_SOURCE_URL, _STREAM, _CONSUMER, _SUBJECT: a NATS JetStream stream read as an ingest
   * source (other instances' backends and tools publishing to one stream); undefined when unset.
   */
  natsSource: { url: string; stream: string; consumer: string; filterSubject?: string } | undefined;
}

/** Every environment variable this module reads; README.md documents each one. */
export const settingNames = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'CDEVENTS_READ_DATABASE_URL',
  'CDEVENTS_DATA_DIR',
  'CDEVENTS_DATABASE_POOL_SIZE',
  'CDEVENTS_PROXY_SECRET',
  'CDEVENTS_PROXY_AUTH',
  'CDEVENTS_INGEST_TOKENS',
  'CDEVENTS_INGEST_AUTH',
  'CDEVENTS_DEFAULT_INSTANCE',
  'CDEVENTS_MAX_BODY_BYTES',
  'CDEVENTS_INGEST_RATE_LIMIT',
  'CDEVENTS_INGEST_RATE_WINDOW_SECONDS',
  'CDEVENTS_LOG_LEVEL',
  'CDEVENTS_RETENTION_DAYS',
  'CDEVENTS_RETENTION_SWEEP_MINUTES',
  'CDEVENTS_RETENTION_MAX_EVENTS_PER_APP',
  'CDEVENTS_BACKFILL',
  'CDEVENTS_BACKFILL_NAMESPACES',
  'CDEVENTS_KUBERNETES_URL',
  'CDEVENTS_KUBERNETES_TOKEN_FILE',
  'KUBERNETES_SERVICE_HOST',
  'KUBERNETES_SERVICE_PORT',
  'CDEVENTS_ARGOCD_URL',
  'CDEVENTS_ARGOCD_TOKEN',
  'CDEVENTS_KUBERNETES_TOKEN',
  'CDEVENTS_TRIGGER_EDITORS',
  'CDEVENTS_ARGOCD_NAMESPACE',
  'CDEVENTS_NOTIFICATIONS_URL',
  'CDEVENTS_SINKS',
  'CDEVENTS_SINKS_FILE',
  'CDEVENTS_NATS_SOURCE_URL',
  'CDEVENTS_NATS_SOURCE_STREAM',
  'CDEVENTS_NATS_SOURCE_CONSUMER',
  'CDEVENTS_NATS_SOURCE_SUBJECT',
] as const;

type SettingName = (typeof settingNames)[number];
type Env = Partial<Record<string, string | undefined>>;

const logLevels: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** An Argo CD instance name ends up in a header and a column: keep it a DNS-label-like word. */
export const instancePattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const minimumSecretLength = 16;

/** Collects one message per bad setting instead of stopping at the first. */
class SettingReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: SettingName): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  integer(name: SettingName, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return Number(value);
  }

  onOff(name: SettingName): boolean {
    const value = this.raw(name);
    if (value === undefined || value === 'on') return true;
    if (value === 'off') return false;
    this.problems.push(`${name} must be "on" or "off", got "${value}"`);
    return true;
  }
}

/**
 * Reads and validates every setting. Throws ConfigError listing each bad setting.
 * `env` defaults to process.env; tests pass their own.
 */
export function loadConfig(env: Env = process.env): Config {
  const read = new SettingReader(env);
  const databaseUrl = read.raw('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    read.problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const readDatabaseUrl = read.raw('CDEVENTS_READ_DATABASE_URL');
  if (readDatabaseUrl !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(readDatabaseUrl)) {
      read.problems.push('CDEVENTS_READ_DATABASE_URL must start with postgres:// or postgresql://');
    } else if (databaseUrl === undefined) {
      // The embedded PGlite lives in this process: there is no replica of it to read from.
      read.problems.push('CDEVENTS_READ_DATABASE_URL needs DATABASE_URL: a read replica is of a PostgreSQL primary');
    }
  }
  const proxyAuth = read.onOff('CDEVENTS_PROXY_AUTH');
  const proxySecret = read.raw('CDEVENTS_PROXY_SECRET');
  if (proxyAuth && proxySecret === undefined) {
    read.problems.push(
      "CDEVENTS_PROXY_SECRET is not set: set the secret Argo CD's proxy sends, or CDEVENTS_PROXY_AUTH=off for a local demo",
    );
  } else if (proxySecret !== undefined && proxySecret.length < minimumSecretLength) {
    read.problems.push(`CDEVENTS_PROXY_SECRET must be at least ${minimumSecretLength} characters`);
  }
  const ingestAuth = read.onOff('CDEVENTS_INGEST_AUTH');
  const ingestTokens = (read.raw('CDEVENTS_INGEST_TOKENS') ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token.length > 0);
  if (ingestAuth && ingestTokens.length === 0) {
    read.problems.push(
      'CDEVENTS_INGEST_TOKENS is empty: set comma-separated bearer tokens, or CDEVENTS_INGEST_AUTH=off for a local demo',
    );
  } else if (ingestTokens.some((token) => token.length < minimumSecretLength)) {
    read.problems.push(`every token in CDEVENTS_INGEST_TOKENS must be at least ${minimumSecretLength} characters`);
  }
  const defaultInstance = read.raw('CDEVENTS_DEFAULT_INSTANCE') ?? 'default';
  if (!instancePattern.test(defaultInstance)) {
    read.problems.push(
      `CDEVENTS_DEFAULT_INSTANCE must be lower-case letters, digits and dashes (up to 63), got "${defaultInstance}"`,
    );
  }
  const logLevel = read.raw('CDEVENTS_LOG_LEVEL') ?? 'info';
  if (!logLevels.includes(logLevel as LogLevel)) {
    read.problems.push(`CDEVENTS_LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${logLevel}"`);
  }
  const backfill = read.raw('CDEVENTS_BACKFILL') ?? 'off';
  if (backfill !== 'off' && backfill !== 'kubernetes' && backfill !== 'argocd') {
    read.problems.push(`CDEVENTS_BACKFILL must be kubernetes, argocd or off, got "${backfill}"`);
  }
  const serviceHost = read.raw('KUBERNETES_SERVICE_HOST');
  const inCluster = serviceHost
    ? `https://${serviceHost.includes(':') ? `[${serviceHost}]` : serviceHost}:${read.raw('KUBERNETES_SERVICE_PORT') ?? '443'}`
    : undefined;
  const kubernetesUrl = read.raw('CDEVENTS_KUBERNETES_URL') ?? inCluster;
  const argocdUrl = read.raw('CDEVENTS_ARGOCD_URL');
  const argocdToken = read.raw('CDEVENTS_ARGOCD_TOKEN');
  for (const [name, url] of [
    ['CDEVENTS_KUBERNETES_URL', kubernetesUrl],
    ['CDEVENTS_ARGOCD_URL', argocdUrl],
  ] as const) {
    if (url !== undefined && !/^https?:\/\/[^/]/.test(url))
      read.problems.push(`${name} must be an http(s) URL, got "${url}"`);
  }
  if (backfill === 'kubernetes' && kubernetesUrl === undefined) {
    read.problems.push('CDEVENTS_BACKFILL=kubernetes needs CDEVENTS_KUBERNETES_URL (or to run in a pod)');
  }
  if (backfill === 'argocd' && (argocdUrl === undefined || argocdToken === undefined)) {
    read.problems.push('CDEVENTS_BACKFILL=argocd needs CDEVENTS_ARGOCD_URL and CDEVENTS_ARGOCD_TOKEN');
  }
  let triggerEditors: EditorPolicy = { users: [], groups: [] };
  try {
    triggerEditors = parseEditorPolicy(read.raw('CDEVENTS_TRIGGER_EDITORS'));
  } catch (error) {
    read.problems.push((error as Error).message);
  }
  const notificationsUrl =
    read.raw('CDEVENTS_NOTIFICATIONS_URL') ?? 'http://cdevents-backend.argocd.svc.cluster.local:8080';
  if (!/^https?:\/\/[^/]/.test(notificationsUrl)) {
    read.problems.push(`CDEVENTS_NOTIFICATIONS_URL must be an http(s) URL, got "${notificationsUrl}"`);
  }
  // Header values may reference other variables (${env:NAME}) so secrets stay in Secrets.
  const sinks = loadSinkSettings({ json: read.raw('CDEVENTS_SINKS'), file: read.raw('CDEVENTS_SINKS_FILE'), env });
  read.problems.push(...sinks.problems);
  const natsSourceUrl = read.raw('CDEVENTS_NATS_SOURCE_URL');
  const natsSourceStream = read.raw('CDEVENTS_NATS_SOURCE_STREAM');
  const natsSourceConsumer = read.raw('CDEVENTS_NATS_SOURCE_CONSUMER') ?? `cdevents-backend-${defaultInstance}`;
  const natsSourceSubject = read.raw('CDEVENTS_NATS_SOURCE_SUBJECT');
  if ((natsSourceUrl === undefined) !== (natsSourceStream === undefined)) {
    read.problems.push('CDEVENTS_NATS_SOURCE_URL and CDEVENTS_NATS_SOURCE_STREAM go together: set both or neither');
  }
  if (natsSourceUrl !== undefined && !/^(nats|tls):\/\/[^/]/.test(natsSourceUrl)) {
    read.problems.push(`CDEVENTS_NATS_SOURCE_URL must be a nats:// or tls:// URL, got "${natsSourceUrl}"`);
  }
  // JetStream names may not hold whitespace, dots, wildcards or path separators.
  for (const [name, value] of [
    ['CDEVENTS_NATS_SOURCE_STREAM', natsSourceStream],
    ['CDEVENTS_NATS_SOURCE_CONSUMER', natsSourceConsumer],
  ] as const) {
    if (value !== undefined && !/^[^\s.*>/\\]{1,200}$/.test(value)) {
      read.problems.push(`${name} must be a JetStream name (no spaces, ".", "*", ">", "/" or "\\"), got "${value}"`);
    }
  }
  const config: Config = {
    port: read.integer('PORT', 8080, 0, 65535),
    host: read.raw('HOST') ?? '0.0.0.0',
    databaseUrl,
    readDatabaseUrl,
    dataDir: read.raw('CDEVENTS_DATA_DIR') ?? './.data',
    databasePoolSize: read.integer('CDEVENTS_DATABASE_POOL_SIZE', 10, 1, 1000),
    proxySecret,
    proxyAuth,
    ingestTokens,
    ingestAuth,
    defaultInstance,
    maxBodyBytes: read.integer('CDEVENTS_MAX_BODY_BYTES', 5 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    // 10 requests a second on average: far above Argo CD's notifications or a CI fleet, far below a flood.
    ingestRateLimit: read.integer('CDEVENTS_INGEST_RATE_LIMIT', 600, 0, 1_000_000),
    ingestRateWindowSeconds: read.integer('CDEVENTS_INGEST_RATE_WINDOW_SECONDS', 60, 1, 86_400),
    logLevel: logLevel as LogLevel,
    retentionDays: read.integer('CDEVENTS_RETENTION_DAYS', 90, 0, 36_500),
    retentionSweepMinutes: read.integer('CDEVENTS_RETENTION_SWEEP_MINUTES', 60, 1, 10_080),
    retentionMaxEventsPerApp: read.integer('CDEVENTS_RETENTION_MAX_EVENTS_PER_APP', 0, 0, 1_000_000_000),
    backfill: backfill as Config['backfill'],
    backfillNamespaces: (read.raw('CDEVENTS_BACKFILL_NAMESPACES') ?? '')
      .split(',')
      .map((namespace) => namespace.trim())
      .filter((namespace) => namespace.length > 0),
    kubernetesUrl,
    kubernetesTokenFile:
      read.raw('CDEVENTS_KUBERNETES_TOKEN_FILE') ?? '/var/run/secrets/kubernetes.io/serviceaccount/token',
    argocdUrl,
    argocdToken,
    kubernetesToken: read.raw('CDEVENTS_KUBERNETES_TOKEN'),
    triggerEditors,
    argocdNamespace: read.raw('CDEVENTS_ARGOCD_NAMESPACE') ?? 'argocd',
    notificationsUrl,
    sinks: sinks.sinks,
    natsSource:
      natsSourceUrl !== undefined && natsSourceStream !== undefined
        ? {
            url: natsSourceUrl,
            stream: natsSourceStream,
            consumer: natsSourceConsumer,
            ...(natsSourceSubject ? { filterSubject: natsSourceSubject } : {}),
          }
        : undefined,
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
