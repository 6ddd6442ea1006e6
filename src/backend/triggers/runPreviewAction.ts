/**
 * Preview environments, the effects: what decidePreviewStep asked for, through
 * the Argo CD API with the backend's token.
 *
 *   upsert   POST   /api/v1/applications?upsert=true   the rendered Application
 *            POST   /api/v1/applications/{name}/sync   {revision, infos: the change event}, so the preview's
 *                                                      service event links to the change
 *   remove   DELETE /api/v1/applications/{name}?cascade=true&appNamespace=…   (already gone is fine)
 *   refresh  GET    /api/v1/applications?selector=cdevents.dev/preview-of=<app>[,cdevents.dev/change=<slug>]
 *            POST   …/{name}/sync with the event in infos, for each preview found
 */
import { CAUSE_CHAIN_INFO, CAUSE_EVENT_INFO } from '../argocd/mapApplicationState';
import { type ApiRequester, UpstreamNotFoundError } from '../argocd/client';
import type { AppRef } from '../store/types';
import type { CandidateEvent } from './matchInboundEvent';
import { decidePreviewStep, previewLabels, renderPreviewApplication } from './previewTemplate';
import { ActionNotPossibleError, type ActionResult } from './runInboundAction';
import type { InboundRule } from './triggerDefinition';

const hints = {
  403: "the token's account needs applications, create, sync and delete on the previews' project in Argo CD's RBAC",
  404: 'the preview Application does not exist in Argo CD (or CDEVENTS_ARGOCD_URL is wrong)',
};

export async function runPreviewAction(
  argocd: ApiRequester,
  rule: InboundRule,
  app: AppRef,
  event: CandidateEvent,
): Promise<ActionResult> {
  if (!rule.preview) throw new ActionNotPossibleError('the rule has no preview template');
  const infos = [
    { name: CAUSE_EVENT_INFO, value: event.id },
    ...(event.chainId ? [{ name: CAUSE_CHAIN_INFO, value: event.chainId }] : []),
  ];
  // With the change's revision when it names one: the template's targetRevision, said again for the sync.
  const sync = (name: string, namespace: string, revision = '') =>
    argocd.call({
      method: 'POST',
      segments: ['api/v1/applications', name, 'sync'],
      body: { name, appNamespace: namespace, prune: false, dryRun: false, infos, ...(revision ? { revision } : {}) },
      hints,
    });
  const step = decidePreviewStep(event);
  switch (step.kind) {
    case 'upsert': {
      const preview = renderPreviewApplication(rule.preview, app, step.change);
      await argocd.call({
        method: 'POST',
        segments: ['api/v1/applications'],
        query: { upsert: 'true' },
        body: preview,
        hints,
      });
      await sync(preview.metadata.name, preview.metadata.namespace, step.change.revision);
      return {
        detail: `Argo CD created or updated the preview ${preview.metadata.namespace}/${preview.metadata.name} of change ${step.change.id} and started its sync`,
        startsSync: false,
      };
    }
    case 'remove': {
      const preview = renderPreviewApplication(rule.preview, app, step.change);
      try {
        await argocd.call({
          method: 'DELETE',
          segments: ['api/v1/applications', preview.metadata.name],
          query: { cascade: 'true', appNamespace: preview.metadata.namespace },
          hints,
        });
      } catch (error) {
        if (!(error instanceof UpstreamNotFoundError)) throw error;
        return {
          detail: `the preview ${preview.metadata.name} of change ${step.change.id} was already gone`,
          startsSync: false,
        };
      }
      return {
        detail: `Argo CD removed the preview ${preview.metadata.namespace}/${preview.metadata.name} of change ${step.change.id}`,
        startsSync: false,
      };
    }
    case 'refresh': {
      const selectors =
        step.changes.length > 0
          ? step.changes.map((change) => `${previewLabels.of}=${app.name},${previewLabels.change}=${change.slug}`)
          : [`${previewLabels.of}=${app.name}`];
      const synced: string[] = [];
      for (const selector of selectors) {
        const list = await argocd.call<{ items?: Array<{ metadata: { name: string; namespace?: string } }> | null }>({
          method: 'GET',
          segments: ['api/v1/applications'],
          query: { selector },
          hints,
        });
        for (const preview of list.items ?? []) {
          await sync(preview.metadata.name, preview.metadata.namespace ?? app.namespace);
          synced.push(preview.metadata.name);
        }
      }
      return {
        detail:
          synced.length > 0 ? `Argo CD started a sync of the previews ${synced.join(', ')}` : 'no preview to update',
        startsSync: false,
      };
    }
  }
}
