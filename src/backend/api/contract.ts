/**
 * The wire contract of the backend's HTTP API. The UI imports this file with
 * `import type` only, so no server code reaches the bundle.
 *
 * Routes (as the backend sees them, after Argo CD's proxy strips /extensions/cdevents):
 *   POST /api/v1/events                                   ingest: IngestResponse
 *   POST /api/v1/argocd/notifications                     Argo CD webhook: IngestResponse
 *   GET  /api/v1/applications/{namespace}/{name}/events   EventListResponse
 *   GET  /api/v1/events/{key}                             EventRecord
 *   GET  /api/v1/events/{key}/chain                       ChainResponse
 *   GET  /api/v1/applications/{namespace}/{name}/summary  AppSummaryResponse
 *   GET  /healthz, /readyz, /metrics
 */
import type { EmbeddedLink, Problem, VerdictStatus } from '../../cdevents/types';

/** Why an event is shown in an app's tab. */
export type AttributionRule =
  | 'emitted' // the app's own event, produced by the backend from Argo CD's notification
  | 'subject' // the event's subject id is <namespace>/<name>
  | 'custom-data' // customData names the app
  | 'artifact' // the event's artifact is one the app deploys
  | 'source' // change/build/pipeline on the app's repository
  | 'environment' // test run / incident / environment event in the app's destination
  | 'service' // an incident, ticket or test event names the app's service (content.service.id, subject.id)
  | 'trigger'; // the event fired one of the app's triggers

export interface Attribution {
  rule: AttributionRule;
  /** A sentence the UI shows, e.g. "subject id is argocd/auth". */
  detail: string;
}

export type Direction = 'emitted' | 'received';

/** One stored event as the API returns it. */
export interface EventRecord {
  /** Opaque key for /api/v1/events/{key}. */
  key: string;
  /** context.source + context.id: the event's identity. */
  source: string;
  id: string;
  type: string | null;
  subject: string | null;
  predicate: string | null;
  typeVersion: string | null;
  specVersion: string | null;
  /** context.timestamp, ISO 8601; null when the event has none that parses. */
  timestamp: string | null;
  /** When the backend stored it, ISO 8601. */
  receivedAt: string;
  subjectId: string | null;
  chainId: string | null;
  links: EmbeddedLink[];
  verdict: VerdictStatus;
  problems: Problem[];
  direction: Direction;
  /** Filled on app-scoped lists and single-event reads. */
  attributions: Attribution[];
  /** True when rebuilt from Argo CD's status.history rather than seen live. */
  reconstructed: boolean;
  /**
   * Who started the sync the event describes (customData.argocd.operation.initiatedBy): a
   * username, `auto-sync` for Argo CD's automated sync, or null when the event names nobody.
   * Optional: a backend before this field sends none.
   */
  actor?: string | null;
  /**
   * App-scoped lists only, on a received service event that reports a sync this backend also
   * reported (Argo CD's own templates, ADR 0010): our event of that sync, found in the store
   * whether or not it is on the same page. Absent otherwise.
   */
  sameMomentAs?: SameMomentRef;
  /** The event exactly as received (parsed JSON). */
  payload: unknown;
}

/** Our emitted event that describes the same moment as another tool's. */
export interface SameMomentRef {
  key: string;
  type: string | null;
  subject: string | null;
  predicate: string | null;
  timestamp: string | null;
}

export interface EventListResponse {
  items: EventRecord[];
  /** Pass as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null;
  /**
   * The position of the first (newest) item; pass as `since` to ask only for newer events
   * (live polling). Null when the page is empty. Optional: the UI falls back to re-reading
   * the first page with If-None-Match when it is absent.
   */
  headCursor?: string | null;
  /** The Argo CD instance the list is for (X-Cdevents-Instance, else the backend's default), so the tab can show it. */
  instance?: string;
  /**
   * CDEVENTS_RETENTION_DAYS: events older than this many days are not kept, so the tab can say where
   * history ends; 0 when everything is kept. Optional: absent from backends before retention.
   */
  retentionDays?: number;
  /**
   * For each deployment on the page (service deployed, upgraded or rolled back), by key: how many
   * events the same filters list between it and the next older deployment, which is what the tab
   * folds under it. Counted in the store, so the number holds however few of those events are
   * loaded. Optional: absent from backends before fold counts (the tab then counts loaded rows).
   */
  folds?: Record<string, number>;
  /**
   * A fold count equal to this means at least this many (the store stops counting there, so a page
   * costs the same however long ago the previous deployment was). Optional: absent from backends
   * that count every fold to its end.
   */
  foldLimit?: number;
}

export type IngestItemStatus = 'stored' | 'duplicate' | 'conflict';

export interface IngestItemResult {
  index: number;
  status: IngestItemStatus;
  /** The verdict it was stored with (duplicates report the stored one). */
  verdict: VerdictStatus;
  problems: Problem[];
  key?: string;
  source?: string;
  id?: string;
  /** For conflicts: what differs. */
  message?: string;
}

export interface IngestResponse {
  mode: string;
  /**
   * Argo CD notifications only. `late` when the Application state is older than the last one
   * applied for that app (its resourceVersion, else its own times) and was mapped in its place
   * among the app's earlier states: `results` are the events it added. `stale` when such a state
   * changes nothing (a re-send, or older than every state kept).
   */
  state?: 'applied' | 'late' | 'stale';
  /** With `late` or `stale`: which field of the Application decided, with both values. */
  message?: string;
  results: IngestItemResult[];
}

/** Every error the API returns has this shape. */
export interface ErrorBody {
  statusCode: number;
  error: { name: string; message: string };
  requestId?: string;
}

/** The column of the chain view an event belongs to, in causal order. */
export type ChainStage = 'change' | 'build' | 'artifact' | 'deploy' | 'test' | 'incident' | 'rollback' | 'other';

/** An app an event in a chain is attributed to, so the UI can link to that app's tab. */
export interface ChainNodeApp {
  instance: string;
  namespace: string;
  name: string;
  rule: AttributionRule;
}

export interface ChainNode {
  key: string;
  source: string;
  id: string;
  type: string | null;
  subject: string | null;
  predicate: string | null;
  subjectId: string | null;
  timestamp: string | null;
  direction: Direction;
  verdict: VerdictStatus;
  stage: ChainStage;
  /** Hops from the event the chain was asked for (0 for that event). */
  depth: number;
  apps: ChainNodeApp[];
}

/**
 * Why two events are joined. Explicit edges come from the events themselves
 * (context.links, a shared chainId); inferred ones from shared domain ids.
 */
export type ChainEdgeReason =
  | 'path'
  | 'relation'
  | 'end'
  | 'chain-id'
  | 'artifact'
  | 'repository-revision'
  | 'pipeline-run'
  | 'test-suite-run'
  | 'change'
  | 'environment'
  // both events link the same domainId (spec 0.6 draft): a resource in a system without CDEvents
  | 'domain-id';

export interface ChainEdge {
  /** The earlier (causing) event's key. */
  from: string;
  to: string;
  kind: 'explicit' | 'inferred';
  reason: ChainEdgeReason;
  /** For RELATION links: the link's linkKind (TRIGGER, ARTIFACT, …). */
  linkKind?: string;
  /** The shared value for chain-id and inferred edges (the purl, the environment id, …). */
  value?: string;
}

export interface ChainResponse {
  start: string;
  depth: number;
  limit: number;
  nodes: ChainNode[];
  edges: ChainEdge[];
  /** True when the chain goes on beyond `depth` hops, or had more than `limit` events. */
  truncated: { depth: boolean; nodes: boolean };
  /**
   * Present when retention is on (CDEVENTS_RETENTION_DAYS > 0): whether the chain reaches past the
   * horizon, where its earlier events were removed. Absent from older backends and with retention off.
   */
  horizon?: ChainHorizon;
}

/** Where retention cut a chain (src/backend/chains/decideChainHorizon.ts). */
export interface ChainHorizon {
  retentionDays: number;
  /** ISO 8601: events older than this are no longer stored. */
  before: string;
  /** True when chain events near the horizon link to events that are no longer stored. */
  cut: boolean;
  /** How many distinct earlier events the chain's links name that are no longer stored. */
  missingLinks: number;
}

/** Where one emitted event stands with one sink (GET /api/v1/events/{key}/deliveries). */
export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** One send of an event to a sink. */
export interface DeliveryAttempt {
  /** 1 for the first send. */
  attempt: number;
  /** When the send finished, ISO 8601. */
  at: string;
  outcome: 'delivered' | 'retry' | 'dead';
  /** The receiver's HTTP status; null for NATS and for network errors. */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface SinkDelivery {
  sink: string;
  status: DeliveryStatus;
  /** Sends started, including one in flight. */
  attempts: number;
  lastStatusCode: number | null;
  /** The last failure (kept after a later success); for dead rows, why it was given up. */
  lastError: string | null;
  deliveredAt: string | null;
  /** When a pending row is sent next; null when due now, delivered or dead. */
  nextAttemptAt: string | null;
  log: DeliveryAttempt[];
}

export interface DeliveriesResponse {
  key: string;
  /** One per sink the event was enqueued for, by sink name; empty for events that are not forwarded. */
  items: SinkDelivery[];
}

/** A sink as GET /api/v1/sinks shows it: never its URL or headers, which may hold secrets. */
export interface SinkSummary {
  name: string;
  kind: 'http' | 'nats';
  specVersion: string;
  filter: string[] | null;
  maxAttempts: number;
  /** False for a sink dropped from the configuration: its pending rows wait. */
  enabled: boolean;
  counts: Record<DeliveryStatus, number>;
  /** When the oldest pending row was enqueued: how far behind the sink is. */
  oldestPendingAt: string | null;
}

export interface SinksResponse {
  items: SinkSummary[];
}

/** A deployment of an app (an emitted service event), as the developer dashboard lists it. */
export interface DashboardDeployment {
  key: string;
  /** deployed, upgraded, rolledback or removed. */
  predicate: string;
  /** subject.content.environment.id: the destination cluster and namespace. */
  environment: string | null;
  /** subject.content.artifactId: the purl of what runs. */
  artifactId: string | null;
  /** The event time, ISO 8601. */
  timestamp: string;
  /**
   * In `running` only: since when this artifact runs in this environment, ISO 8601 (its first deploy
   * there since another artifact ran or the service was removed; a re-sync keeps it). Optional:
   * absent from older backends and from other lists.
   */
  runningSince?: string;
}

export interface DashboardIncident {
  key: string;
  /** detected, reported or resolved. */
  predicate: string;
  environment: string | null;
  description: string | null;
  timestamp: string;
}

/** The stages of the path change → deploy, in order. */
export type LeadTimeStage = 'change' | 'build' | 'artifact' | 'deploy';

/** One deployment's path from change to deploy, as far as its chain reaches. */
export interface DashboardLeadTime {
  deploymentKey: string;
  environment: string | null;
  /** The earliest event of each stage the chain reaches before the deployment, ISO 8601. */
  stages: Partial<Record<LeadTimeStage, string>>;
  /** Consecutive stages found, with the seconds between them. */
  steps: Array<{ from: LeadTimeStage; to: LeadTimeStage; seconds: number }>;
  /** From the first stage found to the deployment; null when only the deployment was found. */
  totalSeconds: number | null;
}

/**
 * GET /api/v1/applications/{namespace}/{name}/dashboard: one app's part of the
 * developer dashboard. The dashboard asks once per app the user may see, so
 * Argo CD's proxy authorises every app separately (docs/adr/0006).
 */
export interface AppDashboardResponse {
  app: { instance: string; namespace: string; name: string };
  /** The window of `deployments`, `incidents` and `leadTimes`, ISO 8601. */
  from: string;
  to: string;
  /** What runs where right now: the newest deployment per environment (any age; removed ones left out). */
  running: DashboardDeployment[];
  /** Deployments in the window, newest first. */
  deployments: DashboardDeployment[];
  /** Incidents shown in the app's tab, in the window, newest first. */
  incidents: DashboardIncident[];
  /** For the newest deployments in the window: change → build → artifact → deploy. */
  leadTimes: DashboardLeadTime[];
  /** The app's DORA figures week by week, all environments, for the dashboard's charts. Optional: absent from older backends. */
  trends?: DoraTrends;
}

/** Why a DORA figure has no value: a sentence naming the data it lacks. */
export interface DoraMissing {
  missing: string;
}

/** service.deployed and service.upgraded per day over the window. */
export interface DeploymentFrequency {
  perDay: number;
  deployments: number;
  days: number;
}

/** Deployment time minus the latest earlier artifact.published of the artifact it deployed (p50). */
export interface DoraLeadTime {
  p50Seconds: number;
  /** Deployments whose artifact's publication was found. */
  samples: number;
  /** Deployments in the window (deployed or upgraded). */
  deployments: number;
}

/**
 * Deployments (deployed or upgraded) that failed, over deployments: a deployment
 * fails when the next service event of its environment is a rollback, or when an
 * incident.detected arrives before that next service event.
 */
export interface ChangeFailureRate {
  /** 0..1 */
  rate: number;
  failed: number;
  deployments: number;
  rolledBack: number;
  followedByIncident: number;
  /** Set when the figure may read lower than the truth, e.g. no incident was ever received for this app. */
  note?: string;
}

/** incident.resolved minus incident.detected with the same subject id (p50), over incidents resolved in the window. */
export interface TimeToRestore {
  p50Seconds: number;
  samples: number;
}

export interface AppDoraFigures {
  deploymentFrequency: DeploymentFrequency | DoraMissing;
  leadTime: DoraLeadTime | DoraMissing;
  changeFailureRate: ChangeFailureRate | DoraMissing;
  timeToRestore: TimeToRestore | DoraMissing;
}

/**
 * One week of the trend charts. Each figure is a value or `{missing}` naming the data it lacks,
 * never a zero standing in for "unknown" (the rule of src/backend/dora).
 */
export interface DoraWeek {
  /** The week's bounds, ISO 8601; the last week ends now. */
  from: string;
  to: string;
  /** service.deployed and service.upgraded in the week (0 is a real zero once the app's history has begun). */
  deployments: number | DoraMissing;
  /** Lead time artifact → deploy, p50 over the week's deployments, in seconds. */
  leadTimeSeconds: number | DoraMissing;
  /** Failed deployments over the week's deployments, 0..1. */
  changeFailureRate: number | DoraMissing;
  /** Time to restore, p50 over the incidents resolved in the week, in seconds. */
  timeToRestoreSeconds: number | DoraMissing;
}

/** The DORA figures week by week over the last 13 weeks (91 days), oldest first. */
export interface DoraTrends {
  from: string;
  to: string;
  weeks: DoraWeek[];
}

/**
 * GET /api/v1/applications/{namespace}/{name}/summary?window=30d[&environment=…]:
 * the summary strip above an app's timeline.
 */
export interface AppSummaryResponse {
  app: { instance: string; namespace: string; name: string };
  /** The window as asked (`30d`, `12h`) and its bounds, ISO 8601. */
  window: string;
  from: string;
  to: string;
  /** The environment asked for; null for all of the app's environments. */
  environment: string | null;
  /** The environments the app's service events name, for a picker. */
  environments: string[];
  /** Service events in the window, by predicate (deployed, upgraded, rolledback). */
  deployments: { total: number; deployed: number; upgraded: number; rolledback: number };
  /** The newest deployed, upgraded or rolled back event, whatever its age; null when there is none. */
  lastDeploy: DashboardDeployment | null;
  /** Finished runs (pipeline, task, test case, test suite) in the window with outcome failure or error. */
  failures: number;
  /** incident.detected events with no incident.resolved of the same subject id, whatever their age. */
  openIncidents: { count: number; oldest: DashboardIncident | null };
  dora: AppDoraFigures;
  /** The figures week by week, for the strip's charts (same environment). Optional: absent from older backends. */
  trends?: DoraTrends;
}
