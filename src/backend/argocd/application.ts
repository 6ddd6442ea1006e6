/**
 * The slice of an Argo CD Application (argoproj.io/v1alpha1) this backend reads.
 * Every field is optional: real notification payloads vary with the Argo CD
 * version, single- vs multi-source apps and how far a sync got, so readers
 * below never assume a field is there.
 */

export interface ApplicationSource {
  repoURL?: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
  ref?: string;
}

export interface ApplicationDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

export interface OperationInitiator {
  username?: string;
  automated?: boolean;
}

export interface SyncOperation {
  revision?: string;
  revisions?: string[];
  dryRun?: boolean;
  /** Set on a selective sync; Argo CD keeps no history entry for those. */
  resources?: unknown[];
  /** Set by Argo CD's self-heal on the automated sync it starts (Go: SelfHealAttemptsCount). */
  autoHealAttemptsCount?: number;
  source?: ApplicationSource;
  sources?: ApplicationSource[];
}

export interface InfoItem {
  name?: string;
  value?: string;
}

export interface Operation {
  sync?: SyncOperation;
  initiatedBy?: OperationInitiator;
  info?: InfoItem[];
}

export type OperationPhase = 'Running' | 'Terminating' | 'Succeeded' | 'Failed' | 'Error' | (string & {});

export interface OperationState {
  operation?: Operation;
  phase?: OperationPhase;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  syncResult?: {
    revision?: string;
    revisions?: string[];
    source?: ApplicationSource;
    sources?: ApplicationSource[];
  };
}

export interface RevisionHistory {
  id?: number;
  revision?: string;
  revisions?: string[];
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  deployStartedAt?: string;
  deployedAt?: string;
  initiatedBy?: OperationInitiator;
}

export interface Application {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    /** etcd's revision of this object within its API server; compared as a number (applicationClock.ts). */
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: {
    project?: string;
    source?: ApplicationSource;
    sources?: ApplicationSource[];
    destination?: ApplicationDestination;
  };
  status?: {
    sync?: { status?: string; revision?: string; revisions?: string[] };
    health?: { status?: string; message?: string; lastTransitionTime?: string };
    operationState?: OperationState;
    history?: RevisionHistory[];
    summary?: { images?: string[] };
    reconciledAt?: string;
    conditions?: ApplicationCondition[];
  };
}

/** An entry of status.conditions, e.g. ComparisonError or InvalidSpecError with the time it began. */
export interface ApplicationCondition {
  type?: string;
  message?: string;
  lastTransitionTime?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Names the first field an Application must have for this backend to use it,
 * or returns undefined when it has them all. The path is relative to the app.
 */
export function findMissingApplicationField(value: unknown): string | undefined {
  if (!isRecord(value)) return '';
  if (!isRecord(value.metadata)) return 'metadata';
  if (!isNonEmptyString(value.metadata.name)) return 'metadata.name';
  if (!isNonEmptyString(value.metadata.uid)) return 'metadata.uid';
  if (value.metadata.namespace !== undefined && typeof value.metadata.namespace !== 'string') {
    return 'metadata.namespace';
  }
  for (const key of ['spec', 'status'] as const) {
    if (value[key] !== undefined && !isRecord(value[key])) return key;
  }
  return undefined;
}

/** True when the value has what every reader here needs: metadata.name and metadata.uid. */
export function isApplication(value: unknown): value is Application {
  return findMissingApplicationField(value) === undefined;
}

/** Argo CD's own default namespace, used when an app omits metadata.namespace (older payloads). */
export const DEFAULT_APP_NAMESPACE = 'argocd';

export function readAppNamespace(app: Application): string {
  return app.metadata.namespace || DEFAULT_APP_NAMESPACE;
}

/** The sources of an app, single- or multi-source, in spec order. */
export function readSources(app: Application): ApplicationSource[] {
  const sources = app.spec?.sources;
  if (Array.isArray(sources) && sources.length > 0) return sources.filter(isRecord);
  return isRecord(app.spec?.source) ? [app.spec.source] : [];
}

/**
 * Revisions as one list: multi-source objects carry `revisions` and an empty
 * `revision`; single-source ones only `revision`.
 */
export function normaliseRevisions(holder: { revision?: string; revisions?: string[] } | undefined): string[] {
  if (!holder) return [];
  if (Array.isArray(holder.revisions) && holder.revisions.length > 0) {
    return holder.revisions.map((revision) => (typeof revision === 'string' ? revision : ''));
  }
  return isNonEmptyString(holder.revision) ? [holder.revision] : [];
}

/** What the current operation synced: the result when there is one, else what it was asked to sync. */
export function readOperationRevisions(app: Application): string[] {
  const state = app.status?.operationState;
  const fromResult = normaliseRevisions(state?.syncResult);
  return fromResult.length > 0 ? fromResult : normaliseRevisions(state?.operation?.sync);
}

export function readHistory(app: Application): RevisionHistory[] {
  const history = app.status?.history;
  return Array.isArray(history) ? history.filter(isRecord) : [];
}

export function readImages(app: Application): string[] {
  const images = app.status?.summary?.images;
  return Array.isArray(images) ? images.filter(isNonEmptyString) : [];
}
