/**
 * The Application's own clock: whether one observed state of an app is older
 * than another, read from the Application itself, never from when the
 * notification arrived. Pure.
 *
 * Why: notifications arrive late or twice (two notification controllers during
 * a rollout, a retried send, a slow webhook). Mapping an older state after a
 * newer one re-opens incidents that were resolved and stamps them with the
 * receive time. So each app's states are ordered, and an older one is refused.
 *
 * Order: metadata.resourceVersion first. Within one Kubernetes API server (one
 * Argo CD instance, which is how the applications table is keyed) it is etcd's
 * revision, so a later write has a larger number; Kubernetes calls it opaque,
 * so it is used only when both sides are decimal integers. Without it, the
 * Application's times in this order, the first that differs deciding: the
 * operation's startedAt, its finishedAt, status.reconciledAt,
 * health.lastTransitionTime, the newest condition's lastTransitionTime. A time
 * missing on one side decides nothing (a state without an operation is not
 * older than one with).
 */
import type { Application } from './application';

export interface ClockComparison {
  /** True when `incoming` is an older state than `applied`. */
  older: boolean;
  /** Which field decided, with both values, e.g. "metadata.resourceVersion 70734151 < 70747884". */
  reason?: string;
}

const decimal = /^[0-9]{1,30}$/;

function readResourceVersion(app: Application): bigint | undefined {
  const value = app.metadata.resourceVersion;
  return typeof value === 'string' && decimal.test(value) ? BigInt(value) : undefined;
}

function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? undefined : millis;
}

/** The newest lastTransitionTime among status.conditions. */
export function readNewestConditionTime(app: Application, typeFilter?: (type: string) => boolean): string | undefined {
  const conditions = app.status?.conditions;
  if (!Array.isArray(conditions)) return undefined;
  let newest: { millis: number; value: string } | undefined;
  for (const condition of conditions) {
    if (typeof condition !== 'object' || condition === null) continue;
    if (typeFilter && !(typeof condition.type === 'string' && typeFilter(condition.type))) continue;
    const millis = parseTime(condition.lastTransitionTime);
    if (millis !== undefined && (!newest || millis > newest.millis)) {
      newest = { millis, value: condition.lastTransitionTime! };
    }
  }
  return newest?.value;
}

const timeFields: Array<{ name: string; read: (app: Application) => string | undefined }> = [
  { name: 'status.operationState.startedAt', read: (app) => app.status?.operationState?.startedAt },
  { name: 'status.operationState.finishedAt', read: (app) => app.status?.operationState?.finishedAt },
  { name: 'status.reconciledAt', read: (app) => app.status?.reconciledAt },
  { name: 'status.health.lastTransitionTime', read: (app) => app.status?.health?.lastTransitionTime },
  { name: 'status.conditions[].lastTransitionTime', read: (app) => readNewestConditionTime(app) },
];

/** Compares two observed states of one app by the Application's own clock. */
export function compareApplicationStates(incoming: Application, applied: Application): ClockComparison {
  const incomingVersion = readResourceVersion(incoming);
  const appliedVersion = readResourceVersion(applied);
  if (incomingVersion !== undefined && appliedVersion !== undefined) {
    if (incomingVersion === appliedVersion) return { older: false };
    return incomingVersion < appliedVersion
      ? { older: true, reason: `metadata.resourceVersion ${incomingVersion} < ${appliedVersion}` }
      : { older: false };
  }
  for (const field of timeFields) {
    const incomingTime = parseTime(field.read(incoming));
    const appliedTime = parseTime(field.read(applied));
    if (incomingTime === undefined || appliedTime === undefined || incomingTime === appliedTime) continue;
    return incomingTime < appliedTime
      ? {
          older: true,
          reason: `${field.name} ${new Date(incomingTime).toISOString()} < ${new Date(appliedTime).toISOString()}`,
        }
      : { older: false };
  }
  return { older: false };
}

/**
 * Orders two states for the state log: negative when `a` is older, positive when newer, 0 when
 * the clock cannot tell them apart (the log then keeps their arrival order).
 */
export function compareStatesForOrder(a: Application, b: Application): number {
  if (compareApplicationStates(a, b).older) return -1;
  if (compareApplicationStates(b, a).older) return 1;
  return 0;
}

/**
 * Names one state by its clock, so a re-sent state is recognised as the same: the resourceVersion
 * when it is etcd's revision, else the clock's times with the phases they describe (a state
 * without a resourceVersion and without times is named by its phases alone).
 */
export function buildStateKey(app: Application): string {
  const version = readResourceVersion(app);
  if (version !== undefined) return `rv:${version}`;
  const parts = [
    ...timeFields.map((field) => field.read(app) ?? ''),
    app.status?.operationState?.phase ?? '',
    app.status?.sync?.status ?? '',
    app.status?.health?.status ?? '',
    app.metadata.deletionTimestamp ?? '',
  ];
  return `t:${parts.join('|')}`;
}
