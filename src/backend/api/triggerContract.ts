/**
 * The wire contract of the triggers routes (issue 8). Like contract.ts, the UI
 * imports it with `import type` only.
 *
 *   GET    /api/v1/applications/{ns}/{name}/triggers                TriggerListResponse
 *   POST   /api/v1/applications/{ns}/{name}/triggers                TriggerWriteResponse (201)
 *   POST   /api/v1/applications/{ns}/{name}/triggers/dry-run        DryRunResponse (a draft, not saved)
 *   GET    /api/v1/applications/{ns}/{name}/triggers/firings        FiringListResponse
 *   GET    /api/v1/applications/{ns}/{name}/triggers/audit          AuditListResponse
 *   GET    /api/v1/applications/{ns}/{name}/triggers/{id}           TriggerRecord
 *   PUT    /api/v1/applications/{ns}/{name}/triggers/{id}           TriggerWriteResponse
 *   DELETE /api/v1/applications/{ns}/{name}/triggers/{id}           TriggerWriteResponse
 *   POST   /api/v1/applications/{ns}/{name}/triggers/{id}/dry-run   DryRunResponse
 */

/** A lifecycle moment of an app that can be emitted as CDEvents. */
export type TriggerMoment =
  'deployed' | 'rolled-back' | 'removed' | 'sync-failed' | 'degraded' | 'recovered' | 'sync-running';

/** What Argo CD does when an inbound rule fires. */
export type InboundAction = 'sync' | 'sync-revision' | 'refresh' | 'rollback' | 'annotate' | 'preview';

/**
 * Inbound `preview`: the preview Application per change, as an Argo CD Application manifest whose
 * strings may hold {{change}}, {{change.id}}, {{revision}} and {{app}} (src/backend/triggers/previewTemplate.ts).
 */
export interface PreviewSettings {
  /** The manifest; in a request it may be left out when `templateText` is given. */
  template: Record<string, unknown>;
  /**
   * The manifest as the user typed it, YAML or JSON: the backend parses it (the tab's bundle has no
   * YAML parser) and answers a 400 naming the line of a problem. Kept on the rule, for editing.
   */
  templateText?: string;
}

/** `preview` of a TriggerInput: the manifest as an object, or as YAML or JSON text. */
export type PreviewInput = { template: Record<string, unknown> } | { templateText: string };

export type TriggerKind = 'outbound' | 'inbound';

/** Which received events fire an inbound rule; every field given must hold. */
export interface InboundMatch {
  /** Event types, each a full type or a prefix (e.g. "dev.cdevents.artifact.published"). */
  types: string[];
  /** context.source; `*` matches any run of characters. */
  source?: string;
  /** subject.id; `*` matches any run of characters. */
  subjectId?: string;
  /** The artifact purl (an artifact event's subject id, or content.artifactId); `*` wildcards. */
  artifactPurl?: string;
  /** The environment id the event names (content.environment.id or an environment subject). */
  environment?: string;
  /** content.outcome, e.g. "success". */
  outcome?: string;
  /** A customData field (dotted path) that must equal a value. */
  customData?: { field: string; equals: string };
}

/** What a client sends to create or replace a trigger. */
export interface TriggerInput {
  kind: TriggerKind;
  name: string;
  /** Default true. */
  enabled?: boolean;
  /** Outbound: the moments emitted. */
  moments?: TriggerMoment[];
  /** Outbound: the sinks that receive them; empty means every configured sink. */
  sinks?: string[];
  /** Inbound. */
  match?: InboundMatch;
  action?: InboundAction;
  /** Inbound: after a firing, matching events are skipped for this long. Default 60. */
  cooldownSeconds?: number;
  /** Inbound sync-revision: the customData field naming the revision; default the artifact's version. */
  revisionField?: string;
  /** Inbound annotate: the annotation set on the Application to the event's id. */
  annotationKey?: string;
  /** Inbound preview: the template of the preview Applications. */
  preview?: PreviewInput;
  /** PUT only: the version the edit started from; a stale one is refused with 409. */
  version?: number;
}

/** What a trigger writes or calls in Argo CD terms, so the panel can show it before and after saving. */
export interface TriggerEffect {
  /** Annotations on the Application (Kubernetes API merge patch). */
  annotations: string[];
  /** argocd-notifications-cm keys the backend owns and writes. */
  configMapKeys: string[];
  /** Argo CD API calls an inbound rule makes, e.g. "POST /api/v1/applications/auth/sync". */
  apiCalls: string[];
}

/** How applying outbound rules to Argo CD went. */
export interface ApplyStatus {
  status: 'applied' | 'failed' | 'not-configured';
  at: string;
  message: string;
  /** Annotations set / removed on the Application. */
  annotationsSet: string[];
  annotationsRemoved: string[];
  /** Owned argocd-notifications-cm keys written (created or brought back to what the generator prints). */
  configMapKeysWritten: string[];
  /** ConfigMap writes attempted (more than one after 409 Conflicts). */
  attempts: number;
}

export interface TriggerRecord {
  id: string;
  kind: TriggerKind;
  name: string;
  enabled: boolean;
  moments: TriggerMoment[];
  sinks: string[];
  match: InboundMatch | null;
  action: InboundAction | null;
  cooldownSeconds: number | null;
  revisionField: string | null;
  annotationKey: string | null;
  /** Inbound preview only (optional for records written before previews existed). */
  preview?: PreviewSettings | null;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  effect: TriggerEffect;
  /** Outbound only: the last application to Argo CD. */
  applied: ApplyStatus | null;
  /** Inbound only: the latest firing. */
  lastFiring: FiringRecord | null;
}

export interface MomentInfo {
  id: TriggerMoment;
  label: string;
  /** The argocd-notifications triggers that wake the backend for it. */
  argocdTriggers: string[];
}

export interface TriggerListResponse {
  items: TriggerRecord[];
  /** Whether the calling user may create, edit or delete triggers, and why. */
  access: { canWrite: boolean; reason: string };
  moments: MomentInfo[];
  actions: Array<{ id: InboundAction; label: string }>;
  /** The configured sinks outbound rules may choose. */
  sinks: string[];
  /** The owned argocd-notifications-cm keys and its namespace. */
  configMap: { namespace: string; name: string; ownedKeys: string[] };
}

export interface TriggerWriteResponse {
  trigger: TriggerRecord | null;
  /** Outbound changes: the result of applying them to Argo CD. */
  applied: ApplyStatus | null;
}

export type FiringStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export interface FiringRecord {
  id: string;
  triggerId: string;
  triggerName: string;
  action: string;
  status: FiringStatus;
  /** Why it fired or was skipped. */
  reason: string;
  /** The outcome: the Argo CD answer or the error. */
  detail: string | null;
  firedAt: string;
  finishedAt: string | null;
  event: { key: string; type: string | null; source: string; id: string };
}

export interface FiringListResponse {
  items: FiringRecord[];
}

export interface AuditRecord {
  id: string;
  triggerId: string;
  change: 'create' | 'update' | 'delete';
  actor: string;
  actorGroups: string[];
  at: string;
  before: TriggerRecord | null;
  after: TriggerRecord | null;
}

export interface AuditListResponse {
  items: AuditRecord[];
}

export interface DryRunItem {
  event: { key: string; type: string | null; source: string; id: string; at: string };
  /** fire: the rule would have acted; cooldown: it matched but an earlier firing was too recent. */
  outcome: 'fire' | 'cooldown';
  /** Why it matched, one sentence per condition. */
  reasons: string[];
  /** What it would have done, e.g. "sync auth to v1.2.3". */
  action: string;
}

export interface DryRunResponse {
  /** How many stored events were evaluated, oldest first. */
  evaluated: number;
  matched: number;
  items: DryRunItem[];
}

/** 400 body of a trigger write with field-level problems; `fields` keys are TriggerInput paths ("match.types"). */
export interface TriggerValidationErrorBody {
  statusCode: 400;
  error: { name: 'ValidationError'; message: string; fields: Record<string, string> };
  requestId?: string;
}

/** 409 body of a trigger write whose name another rule of the app has; `fields.name` says so at the field. */
export interface TriggerConflictErrorBody {
  statusCode: 409;
  error: { name: 'ConflictError'; message: string; fields: { name: string } };
  requestId?: string;
}
