/**
 * POST /api/v1/argocd/backfill: reads every Application's status.history
 * through the API CDEVENTS_BACKFILL names (Kubernetes or Argo CD) and stores the
 * syncs not yet known as reconstructed emitted events, with the ids they would
 * have had live. With CDEVENTS_BACKFILL set, the same runs once when the server
 * starts listening (in the background; the outcome is logged).
 *
 *   200  the report: applications read, events newly stored, per-app results and failures
 *   401  no valid ingest token (unless CDEVENTS_INGEST_AUTH=off)
 *   409  CDEVENTS_BACKFILL is off
 *   502  the Kubernetes or Argo CD API refused or failed (the message names the call and the fix)
 */
import type { Config } from '../../config';
import { AppError } from '../../errors';
import { type ArgocdClient, createArgocdClient, readServiceAccountToken } from '../../argocd/client';
import { type BackfillReport, runBackfill } from '../../argocd/runBackfill';
import { createApplicationStore } from '../../store/applicationStore';
import { createIngestGuard } from '../security';
import type { RouteModule } from './index';

export class BackfillOffError extends AppError {
  override readonly name = 'BackfillOffError';
  readonly statusCode = 409;
}

/** The client CDEVENTS_BACKFILL configures, or undefined when it is off. */
export function createConfiguredClient(config: Config): ArgocdClient | undefined {
  if (config.backfill === 'kubernetes' && config.kubernetesUrl) {
    return createArgocdClient({
      kind: 'kubernetes',
      baseUrl: config.kubernetesUrl,
      token: readServiceAccountToken(config.kubernetesTokenFile),
      namespaces: config.backfillNamespaces,
    });
  }
  if (config.backfill === 'argocd' && config.argocdUrl) {
    return createArgocdClient({ kind: 'argocd', baseUrl: config.argocdUrl, token: config.argocdToken });
  }
  return undefined;
}

export const registerArgocdBackfillRoute: RouteModule = async (app, deps) => {
  const client = createConfiguredClient(deps.config);
  const backfill = (): Promise<BackfillReport> => {
    if (!client) throw new BackfillOffError('backfill is off: set CDEVENTS_BACKFILL to kubernetes or argocd');
    return runBackfill(
      {
        store: deps.store,
        applications: createApplicationStore(deps.store.sql),
        now: () => deps.clock.now(),
        onProfileChanged: deps.invalidateAppProfiles,
        client,
      },
      deps.config.defaultInstance,
    );
  };

  app.post('/api/v1/argocd/backfill', { onRequest: createIngestGuard(deps.config) }, async () => backfill());

  if (client) {
    app.addHook('onListen', async () => {
      // Not awaited: the server answers notifications while history is read.
      backfill().then(
        (report) =>
          app.log.info(
            { applications: report.applications, stored: report.stored, failures: report.failures },
            'argocd backfill at start done',
          ),
        (error: unknown) => app.log.error({ err: error }, 'argocd backfill at start failed'),
      );
    });
  }
};
