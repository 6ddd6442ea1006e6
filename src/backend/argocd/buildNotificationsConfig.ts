/**
 * The argocd-notifications-cm entries that feed this backend: one webhook
 * service, one template that sends the whole Application, and one trigger per
 * moment the backend turns into CDEvents. Pure: `npm run argocd-config`
 * (printConfig.ts) prints what this returns.
 *
 * The triggers only wake the backend up; it decides from the Application's
 * state what happened. So their `when` is broad, and what matters is that no
 * distinct moment is collapsed and no failed send is lost for good:
 *
 * - Operation triggers (deployed, sync failed, sync running) use
 *   `oncePer: app.status?.operationState?.startedAt`: every sync has its own
 *   start. They need a oncePer because the controller often never sees the short
 *   Running phase between two syncs, so an edge-triggered "phase == Succeeded"
 *   would stay true from one sync to the next and fire once for both. Not the
 *   revision, as the catalog's triggers and the argo-cdviz demo use: a re-sync
 *   at the same revision would never be sent again, and a multi-source app has
 *   no `sync.revision` at all (the key becomes "<nil>", firing once per app, ever).
 * - State triggers (degraded, sync status unknown, recovered, deleted) have no
 *   oncePer: the engine sends when the condition turns true and re-arms when
 *   it turns false, and a failed send is retried while the state lasts. With a
 *   oncePer, a failed send is never retried (notifications-engine keeps the key).
 * - A lost operation notification is recovered anyway: successful syncs are in
 *   status.history, which the backend reads on the next notification and on backfill.
 */
import { stringify } from 'yaml';

export const webhookServiceName = 'cdevents';
export const templateName = 'cdevents-app';

/** The template body: the Application and the notification context, each through toJson so nothing breaks on a quote. */
export const templateBody = '{"app": {{toJson .app}}, "context": {{toJson .context}}}';

export interface TriggerDefinition {
  name: string;
  /** The moment, for the comment. */
  moment: string;
  when: string;
  oncePer?: string;
}

const operationStart = 'app.status?.operationState?.startedAt';

export const triggers: readonly TriggerDefinition[] = [
  {
    name: 'cdevents-on-deployed',
    moment: 'a sync succeeded: service.deployed, upgraded or rolledback',
    when: "app.status?.operationState?.phase == 'Succeeded'",
    oncePer: operationStart,
  },
  {
    name: 'cdevents-on-sync-failed',
    moment: 'a sync failed or errored: incident.detected',
    when: "app.status?.operationState?.phase in ['Error', 'Failed']",
    oncePer: operationStart,
  },
  {
    name: 'cdevents-on-sync-running',
    moment: 'a sync started: keeps the backend’s snapshot of the app current',
    when: "app.status?.operationState?.phase == 'Running'",
    oncePer: operationStart,
  },
  {
    name: 'cdevents-on-health-degraded',
    moment: 'health turned Degraded or Missing: incident.detected',
    when: "app.status?.health?.status in ['Degraded', 'Missing']",
  },
  {
    name: 'cdevents-on-sync-status-unknown',
    moment: 'Argo CD cannot compare the app with Git: incident.detected',
    when: "app.status?.sync?.status == 'Unknown'",
  },
  {
    name: 'cdevents-on-health-recovered',
    moment: 'Healthy and Synced again: incident.resolved',
    when: "app.status?.health?.status == 'Healthy' and app.status?.sync?.status == 'Synced'",
  },
  {
    name: 'cdevents-on-deleted',
    moment: 'the app is being deleted: service.removed',
    when: 'app.metadata.deletionTimestamp != nil',
  },
];

export interface NotificationsConfigOptions {
  /** The backend as Argo CD's notification controller reaches it, e.g. http://cdevents-backend.argocd.svc:8080. */
  backendUrl: string;
  /** The name this Argo CD instance has in the backend (context.source `/argocd/<instance>/<namespace>`). */
  instance: string;
  /** Where Argo CD runs; the ConfigMap's namespace. */
  namespace: string;
}

export function buildWebhookUrl(backendUrl: string, instance: string): string {
  return `${backendUrl.replace(/\/+$/, '')}/api/v1/argocd/notifications?instance=${encodeURIComponent(instance)}`;
}

const yamlOptions = { lineWidth: 0 } as const;

/** The ConfigMap's data entries, each value as Argo CD reads it (a YAML document in a string). */
export function buildNotificationsData(options: NotificationsConfigOptions): Record<string, string> {
  const data: Record<string, string> = {
    [`service.webhook.${webhookServiceName}`]: stringify(
      {
        url: buildWebhookUrl(options.backendUrl, options.instance),
        headers: [
          // notifications-engine sets no Content-Type of its own.
          { name: 'Content-Type', value: 'application/json' },
          // $cdevents-ingest-token is read from argocd-notifications-secret.
          { name: 'Authorization', value: 'Bearer $cdevents-ingest-token' },
        ],
      },
      yamlOptions,
    ),
    [`template.${templateName}`]: stringify(
      { webhook: { [webhookServiceName]: { method: 'POST', body: templateBody } } },
      yamlOptions,
    ),
  };
  for (const trigger of triggers) {
    data[`trigger.${trigger.name}`] = stringify(
      [{ when: trigger.when, ...(trigger.oncePer ? { oncePer: trigger.oncePer } : {}), send: [templateName] }],
      yamlOptions,
    );
  }
  data.subscriptions = stringify(
    [{ recipients: [webhookServiceName], triggers: triggers.map((trigger) => trigger.name) }],
    yamlOptions,
  );
  return data;
}

/** The annotations that subscribe one Application (instead of the global `subscriptions` entry). */
export function buildSubscriptionAnnotations(): Record<string, string> {
  return Object.fromEntries(
    triggers.map((trigger) => [`notifications.argoproj.io/subscribe.${trigger.name}.${webhookServiceName}`, '']),
  );
}

/** The whole printable YAML: a ConfigMap patch with comments on what to do with it. */
export function buildNotificationsConfig(options: NotificationsConfigOptions): string {
  const header = [
    `# argocd-notifications-cm entries that send every Application's state to the CDEvents backend`,
    `# as Argo CD instance "${options.instance}". Merge them into the ConfigMap, e.g.`,
    `#   kubectl -n ${options.namespace} patch configmap argocd-notifications-cm --type merge --patch-file this.yaml`,
    `# and put an ingest token (one of the backend's CDEVENTS_INGEST_TOKENS) in argocd-notifications-secret:`,
    `#   kubectl -n ${options.namespace} patch secret argocd-notifications-secret --type merge \\`,
    `#     -p '{"stringData": {"cdevents-ingest-token": "<token>"}}'`,
    '#',
    '# Triggers (operation ones are once per sync start, state ones re-arm when the state ends):',
    ...triggers.map((trigger) => `#   ${trigger.name}: ${trigger.moment}`),
    '#',
    '# The `subscriptions` entry subscribes every app. To subscribe only some, drop it and annotate those apps:',
    ...Object.keys(buildSubscriptionAnnotations()).map((annotation) => `#   ${annotation}: ""`),
  ].join('\n');
  const document = stringify(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-notifications-cm', namespace: options.namespace },
      data: buildNotificationsData(options),
    },
    yamlOptions,
  );
  return `${header}\n${document}`;
}
