/**
 * What outbound rules mean in Argo CD terms, and the edits that get Argo CD
 * there. Pure: applyOutboundTriggers.ts reads the objects and writes the edits.
 *
 * Ownership: the backend writes only
 * - annotations `notifications.argoproj.io/subscribe.cdevents-on-<moment>.cdevents`
 *   on the Application (a subscription of ours to our webhook service), and
 * - argocd-notifications-cm keys `trigger.cdevents-on-*`, `template.cdevents-app`
 *   and `service.webhook.cdevents`, with the values `npm run argocd-config`
 *   prints (buildNotificationsData), never `subscriptions` or any other key.
 * Owned ConfigMap keys are written but never deleted: the global `subscriptions`
 * entry an operator pasted from `npm run argocd-config` may rely on them.
 */
import type { InboundAction, TriggerEffect } from '../api/triggerContract';
import {
  type NotificationsConfigOptions,
  buildNotificationsData,
  templateName,
  webhookServiceName,
} from '../argocd/buildNotificationsConfig';
import type { AppRef } from '../store/types';
import { generatorTriggerNames, selectArgocdTriggers } from './triggerCatalog';
import { type OutboundRule, type TriggerRule } from './triggerDefinition';

export const notificationsConfigMapName = 'argocd-notifications-cm';
const annotationPrefix = 'notifications.argoproj.io/subscribe.';

export function buildSubscriptionAnnotation(argocdTrigger: string): string {
  return `${annotationPrefix}${argocdTrigger}.${webhookServiceName}`;
}

/** True for the annotations the backend owns: our triggers subscribed to our service. */
export function isOwnedAnnotation(key: string): boolean {
  if (!key.startsWith(annotationPrefix) || !key.endsWith(`.${webhookServiceName}`)) return false;
  const trigger = key.slice(annotationPrefix.length, key.length - webhookServiceName.length - 1);
  return /^cdevents-on-[a-z0-9-]+$/.test(trigger);
}

/** True for the argocd-notifications-cm keys the backend owns. */
export function isOwnedConfigMapKey(key: string): boolean {
  return (
    /^trigger\.cdevents-on-[a-z0-9-]+$/.test(key) ||
    key === `template.${templateName}` ||
    key === `service.webhook.${webhookServiceName}`
  );
}

/** The owned keys, in the order the generator prints them. */
export function listOwnedConfigMapKeys(): string[] {
  return [
    `service.webhook.${webhookServiceName}`,
    `template.${templateName}`,
    ...generatorTriggerNames.map((name) => `trigger.${name}`),
  ];
}

/** The subscription annotations an app's enabled outbound rules call for. */
export function buildDesiredAnnotations(rules: readonly TriggerRule[]): string[] {
  const outbound = rules.filter((rule): rule is OutboundRule => rule.kind === 'outbound' && rule.enabled);
  return selectArgocdTriggers(outbound.flatMap((rule) => rule.moments)).map(buildSubscriptionAnnotation);
}

export interface AnnotationPatch {
  set: string[];
  removed: string[];
  /** The JSON merge patch body; undefined when nothing changes. */
  patch: { metadata: { annotations: Record<string, string | null> } } | undefined;
}

/** The merge patch from the Application's annotations to the desired owned ones; other annotations are not in it. */
export function buildAnnotationPatch(
  current: Record<string, string> | undefined,
  desired: readonly string[],
): AnnotationPatch {
  const annotations = current ?? {};
  const set = desired.filter((key) => annotations[key] !== '');
  const removed = Object.keys(annotations).filter((key) => isOwnedAnnotation(key) && !desired.includes(key));
  if (set.length === 0 && removed.length === 0) return { set, removed, patch: undefined };
  const body: Record<string, string | null> = {};
  for (const key of set) body[key] = '';
  for (const key of removed) body[key] = null;
  return { set, removed, patch: { metadata: { annotations: body } } };
}

export interface ConfigMapEdit {
  /** Owned keys whose value changes (or is created). */
  written: string[];
  /** The whole new data, other keys byte for byte as they were; undefined when nothing changes. */
  data: Record<string, string> | undefined;
}

/** Brings the owned keys to the generator's values, leaving every other key as it is. */
export function buildConfigMapEdit(
  current: Record<string, string> | undefined,
  options: NotificationsConfigOptions,
): ConfigMapEdit {
  const data = { ...(current ?? {}) };
  const generated = buildNotificationsData(options);
  const written: string[] = [];
  for (const key of listOwnedConfigMapKeys()) {
    const value = generated[key];
    if (value === undefined || data[key] === value) continue;
    data[key] = value;
    written.push(key);
  }
  return { written, data: written.length > 0 ? data : undefined };
}

/** What one trigger writes or calls, in Argo CD terms. */
export function buildTriggerEffect(rule: TriggerRule, app: AppRef): TriggerEffect {
  if (rule.kind === 'outbound') {
    // Saving brings every owned key to the generator's values (buildConfigMapEdit), not only this rule's triggers.
    return {
      annotations: selectArgocdTriggers(rule.moments).map(buildSubscriptionAnnotation),
      configMapKeys: listOwnedConfigMapKeys(),
      apiCalls: [],
    };
  }
  const base = `/api/v1/applications/${app.name}`;
  const query = `appNamespace=${app.namespace}`;
  const apiCalls: Record<InboundAction, string[]> = {
    sync: [`POST ${base}/sync (${query})`],
    'sync-revision': [`POST ${base}/sync with the event's revision (${query})`],
    refresh: [`GET ${base}?refresh=normal&${query}`],
    rollback: [`GET ${base}?${query} (history)`, `POST ${base}/rollback with the previous history id (${query})`],
    annotate: [`PATCH ${base}?${query} merge patch of metadata.annotations["${rule.annotationKey ?? ''}"]`],
    preview: [
      'POST /api/v1/applications?upsert=true (the preview from the template), then POST …/{preview}/sync',
      'DELETE /api/v1/applications/{preview}?cascade=true (change merged or abandoned)',
    ],
  };
  return { annotations: [], configMapKeys: [], apiCalls: apiCalls[rule.action] };
}
