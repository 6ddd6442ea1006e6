/**
 * Applies an app's outbound rules to Argo CD through the Kubernetes API:
 *
 * 1. argocd-notifications-cm: the owned keys (buildOutboundPlan.ts) are brought
 *    to the generator's values with a PUT that carries the resourceVersion it
 *    read. A 409 Conflict means someone wrote in between: re-read, re-apply the
 *    same edit to their data, retry (up to `maxAttempts`). Every key we do not
 *    own is sent back exactly as read. Written first, so the triggers exist
 *    before an annotation subscribes to them.
 * 2. The Application: a JSON merge patch (application/merge-patch+json) that
 *    sets the wanted subscription annotations and deletes (null) the owned ones
 *    no rule wants; other annotations are not in the patch, so untouched.
 *
 *   GET /api/v1/namespaces/{ns}/configmaps/argocd-notifications-cm
 *   PUT /api/v1/namespaces/{ns}/configmaps/argocd-notifications-cm   (metadata.resourceVersion)
 *   GET /apis/argoproj.io/v1alpha1/namespaces/{ns}/applications/{name}
 *   PATCH /apis/argoproj.io/v1alpha1/namespaces/{ns}/applications/{name}
 */
import type { ApplyStatus } from '../api/triggerContract';
import type { NotificationsConfigOptions } from '../argocd/buildNotificationsConfig';
import { type ApiRequester, UpstreamConflictError } from '../argocd/client';
import type { AppRef } from '../store/types';
import {
  buildAnnotationPatch,
  buildConfigMapEdit,
  buildDesiredAnnotations,
  notificationsConfigMapName,
} from './buildOutboundPlan';
import type { TriggerRule } from './triggerDefinition';

export interface OutboundApplyOptions {
  /** The Kubernetes API; undefined when the backend has none configured. */
  kubernetes: ApiRequester | undefined;
  /** Where the generator's entries point (the backend's URL as Argo CD reaches it, instance, namespace). */
  notifications: NotificationsConfigOptions;
  now: () => Date;
  /** ConfigMap writes before giving up on repeated 409s; default 5. */
  maxAttempts?: number;
}

interface ConfigMap {
  metadata: { name: string; namespace?: string; resourceVersion?: string } & Record<string, unknown>;
  data?: Record<string, string>;
}

interface KubernetesApplication {
  metadata: { annotations?: Record<string, string> };
}

const writeHints = {
  403: 'the service account needs get, update and patch on configmaps/argocd-notifications-cm and patch on applications.argoproj.io',
  404: 'check CDEVENTS_ARGOCD_NAMESPACE: argocd-notifications-cm and the Application must exist there',
};

async function writeConfigMap(
  kubernetes: ApiRequester,
  namespace: string,
  options: OutboundApplyOptions,
): Promise<{ written: string[]; attempts: number }> {
  const segments = ['api/v1/namespaces', namespace, 'configmaps', notificationsConfigMapName];
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const current = await kubernetes.call<ConfigMap>({ method: 'GET', segments, hints: writeHints });
    const edit = buildConfigMapEdit(current.data, options.notifications);
    if (!edit.data) return { written: [], attempts: attempt - 1 };
    try {
      await kubernetes.call({
        method: 'PUT',
        segments,
        body: { ...current, data: edit.data },
        hints: writeHints,
      });
      return { written: edit.written, attempts: attempt };
    } catch (error) {
      if (!(error instanceof UpstreamConflictError) || attempt === maxAttempts) throw error;
    }
  }
  throw new Error('unreachable: the loop returns or throws');
}

/** Applies the app's rules; never throws: a failure is an ApplyStatus the panel shows. */
export async function applyOutboundTriggers(
  options: OutboundApplyOptions,
  app: AppRef,
  rules: readonly TriggerRule[],
): Promise<ApplyStatus> {
  const at = options.now().toISOString();
  const empty = { annotationsSet: [], annotationsRemoved: [], configMapKeysWritten: [], attempts: 0 };
  if (!options.kubernetes) {
    return {
      status: 'not-configured',
      at,
      message: 'saved, not applied: no Kubernetes API (set CDEVENTS_KUBERNETES_URL or run in a pod)',
      ...empty,
    };
  }
  const desired = buildDesiredAnnotations(rules);
  let configMap = { written: [] as string[], attempts: 0 };
  try {
    if (desired.length > 0)
      configMap = await writeConfigMap(options.kubernetes, options.notifications.namespace, options);
    const segments = ['apis/argoproj.io/v1alpha1/namespaces', app.namespace, 'applications', app.name];
    const application = await options.kubernetes.call<KubernetesApplication>({
      method: 'GET',
      segments,
      hints: writeHints,
    });
    const patch = buildAnnotationPatch(application.metadata.annotations, desired);
    if (patch.patch) {
      await options.kubernetes.call({
        method: 'PATCH',
        segments,
        body: patch.patch,
        contentType: 'application/merge-patch+json',
        hints: writeHints,
      });
    }
    const changes = [
      ...patch.set.map((key) => `set ${key}`),
      ...patch.removed.map((key) => `removed ${key}`),
      ...configMap.written.map((key) => `wrote ${notificationsConfigMapName} ${key}`),
    ];
    return {
      status: 'applied',
      at,
      message:
        changes.length > 0 ? `applied: ${changes.join('; ')}` : 'applied: Argo CD already had this configuration',
      annotationsSet: patch.set,
      annotationsRemoved: patch.removed,
      configMapKeysWritten: configMap.written,
      attempts: configMap.attempts,
    };
  } catch (error) {
    return {
      status: 'failed',
      at,
      message: `not applied: ${error instanceof Error ? error.message : String(error)}`,
      ...empty,
      configMapKeysWritten: configMap.written,
      attempts: configMap.attempts,
    };
  }
}
