import type { TriggerListResponse, TriggerMoment } from '../../../backend/api/triggerContract';
import type { AppKey } from '../../api';

/**
 * What saving an outbound rule writes, as the backend does it (src/backend/triggers/applyOutboundTriggers.ts):
 * the app's subscription annotations follow every enabled outbound rule of the app, this one as drafted;
 * while any is enabled, every key the backend owns in argocd-notifications-cm is brought to what
 * `npm run argocd-config` prints, not only the keys of the moments ticked here (an operator's global
 * `subscriptions` entry may rely on the others). Pure.
 */
export interface OutboundPreview {
  /** Subscription annotations the Application will carry, e.g. notifications.argoproj.io/subscribe.cdevents-on-deployed.cdevents. */
  annotations: string[];
  /** argocd-notifications-cm keys saving writes (where they differ); empty when no outbound rule is enabled. */
  configMapKeys: string[];
}

export interface OutboundDraft {
  moments: readonly TriggerMoment[];
  enabled: boolean;
  /** The rule being edited, whose stored moments the draft replaces; undefined for a new rule. */
  editingId: string | undefined;
}

export function buildOutboundPreview(draft: OutboundDraft, catalog: TriggerListResponse): OutboundPreview {
  const others = catalog.items.filter(
    (item) => item.kind === 'outbound' && item.enabled && item.id !== draft.editingId,
  );
  const wantedMoments = new Set([...others.flatMap((item) => item.moments), ...(draft.enabled ? draft.moments : [])]);
  const wantedTriggers = new Set(
    catalog.moments.filter((moment) => wantedMoments.has(moment.id)).flatMap((moment) => moment.argocdTriggers),
  );
  // The owned keys list the triggers in the generator's order, which the backend's annotations follow too.
  const triggerOrder = catalog.configMap.ownedKeys
    .filter((key) => key.startsWith('trigger.'))
    .map((key) => key.slice('trigger.'.length));
  const ordered = [
    ...triggerOrder.filter((name) => wantedTriggers.has(name)),
    ...[...wantedTriggers].filter((name) => !triggerOrder.includes(name)),
  ];
  return {
    annotations: ordered.map((name) => `notifications.argoproj.io/subscribe.${name}.cdevents`),
    configMapKeys: ordered.length > 0 ? [...catalog.configMap.ownedKeys] : [],
  };
}

/** The preview's sentences, one per thing written, for the form's "Saving writes" list. */
export function describeOutboundPreview(preview: OutboundPreview, app: AppKey, catalog: TriggerListResponse) {
  const where = `${app.namespace}/${app.name}`;
  return {
    annotations: preview.annotations.map((annotation) => `annotation ${annotation} on ${where}`),
    removal:
      preview.annotations.length > 0
        ? `removes any other notifications.argoproj.io/subscribe.cdevents-on-*.cdevents annotation on ${where}`
        : `removes every notifications.argoproj.io/subscribe.cdevents-on-*.cdevents annotation on ${where} (no outbound rule of the app is enabled)`,
    configMap:
      preview.configMapKeys.length > 0
        ? `${catalog.configMap.name} (${catalog.configMap.namespace}): these ${preview.configMapKeys.length} keys, each brought to what npm run argocd-config prints (written where it differs; no other key is touched)`
        : `${catalog.configMap.name} (${catalog.configMap.namespace}): nothing`,
  };
}
