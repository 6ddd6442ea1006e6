/**
 * Runs one inbound action on an app through the Argo CD API (argocd-server,
 * bearer token CDEVENTS_ARGOCD_TOKEN):
 *
 *   sync           POST /api/v1/applications/{name}/sync      {name, appNamespace, prune: false, dryRun: false, infos}
 *   sync-revision  the same with {revision}
 *   refresh        GET  /api/v1/applications/{name}?refresh=normal&appNamespace=…
 *   rollback       GET  /api/v1/applications/{name}?appNamespace=… (status.history), then
 *                  POST /api/v1/applications/{name}/rollback  {name, appNamespace, id: <previous history id>}
 *   annotate       PATCH /api/v1/applications/{name}?appNamespace=…  {name, appNamespace, patchType: "merge", patch}
 *
 * A sync carries the causing event in `infos` (operation.info, as
 * `argocd app sync --info` sets it), which the Argo CD mapping reads back as the
 * cause of the sync's service event (mapApplicationState.readOperationCause).
 */
import { CAUSE_CHAIN_INFO, CAUSE_EVENT_INFO } from '../argocd/mapApplicationState';
import type { ApiRequester } from '../argocd/client';
import type { AppRef } from '../store/types';
import { type AppSourceKind, chooseSyncRevision } from './chooseSyncRevision';
import type { CandidateEvent } from './matchInboundEvent';
import { runPreviewAction } from './runPreviewAction';
import type { InboundRule } from './triggerDefinition';

export interface ActionResult {
  /** What Argo CD was asked and answered, for the firing's record. */
  detail: string;
  /** True when the action leads to a sync whose service event should link back to the cause. */
  startsSync: boolean;
}

/** The action could not be attempted (no revision in the event, no previous revision). */
export class ActionNotPossibleError extends Error {
  override readonly name = 'ActionNotPossibleError';
}

interface HistoryEntry {
  id?: number;
  revision?: string;
  revisions?: string[];
}

const actionHints = {
  403: "the token's account needs applications, sync (and get, update for refresh and annotate) on this app in Argo CD's RBAC",
  404: 'the Application does not exist in Argo CD (or CDEVENTS_ARGOCD_URL is wrong)',
};

/** The actions that start a sync when they succeed: their cause is recorded before Argo CD is called. */
export function actionMayStartSync(action: InboundRule['action']): boolean {
  return action === 'sync' || action === 'sync-revision' || action === 'rollback';
}

export async function runInboundAction(
  argocd: ApiRequester,
  rule: InboundRule,
  app: AppRef,
  event: CandidateEvent,
  /** The kind of the app's source, which decides what a sync-revision may sync to. */
  source: AppSourceKind = 'unknown',
): Promise<ActionResult> {
  const segments = ['api/v1/applications', app.name];
  const infos = [
    { name: CAUSE_EVENT_INFO, value: event.id },
    ...(event.chainId ? [{ name: CAUSE_CHAIN_INFO, value: event.chainId }] : []),
  ];
  switch (rule.action) {
    case 'sync':
    case 'sync-revision': {
      const choice = rule.action === 'sync-revision' ? chooseSyncRevision(rule, event, source) : undefined;
      if (choice && !choice.ok) throw new ActionNotPossibleError(choice.reason);
      const revision = choice?.ok ? choice.revision : undefined;
      await argocd.call({
        method: 'POST',
        segments: [...segments, 'sync'],
        body: {
          name: app.name,
          appNamespace: app.namespace,
          prune: false,
          dryRun: false,
          infos,
          ...(revision ? { revision } : {}),
        },
        hints: actionHints,
      });
      return {
        detail: `Argo CD started a sync of ${app.namespace}/${app.name}${revision ? ` to ${revision}` : ''}`,
        startsSync: true,
      };
    }
    case 'refresh':
      await argocd.call({
        method: 'GET',
        segments,
        query: { refresh: 'normal', appNamespace: app.namespace },
        hints: actionHints,
      });
      return { detail: `Argo CD refreshed ${app.namespace}/${app.name}`, startsSync: false };
    case 'rollback': {
      const current = await argocd.call<{ status?: { history?: HistoryEntry[] } }>({
        method: 'GET',
        segments,
        query: { appNamespace: app.namespace },
        hints: actionHints,
      });
      const history = (current.status?.history ?? []).filter((entry) => typeof entry.id === 'number');
      const previous = history.length >= 2 ? history[history.length - 2] : undefined;
      if (!previous)
        throw new ActionNotPossibleError(`${app.namespace}/${app.name} has no previous revision in its history`);
      await argocd.call({
        method: 'POST',
        segments: [...segments, 'rollback'],
        body: { name: app.name, appNamespace: app.namespace, id: previous.id, prune: false, dryRun: false },
        hints: actionHints,
      });
      const revision = previous.revision ?? previous.revisions?.join(', ') ?? `history id ${previous.id}`;
      return {
        detail: `Argo CD rolled ${app.namespace}/${app.name} back to ${revision} (history id ${previous.id})`,
        startsSync: true,
      };
    }
    case 'annotate': {
      const key = rule.annotationKey ?? '';
      await argocd.call({
        method: 'PATCH',
        segments,
        query: { appNamespace: app.namespace },
        body: {
          name: app.name,
          appNamespace: app.namespace,
          patchType: 'merge',
          patch: JSON.stringify({ metadata: { annotations: { [key]: event.id } } }),
        },
        hints: actionHints,
      });
      return { detail: `Argo CD set ${key}=${event.id} on ${app.namespace}/${app.name}`, startsSync: false };
    }
    case 'preview':
      return runPreviewAction(argocd, rule, app, event);
  }
}
