/**
 * GET /api/v1/applications/{namespace}/{name}/dashboard: one app's part of the
 * developer dashboard (AppDashboardResponse): what runs where, the deployments
 * and incidents of the last `hours` (1..168, default 24), and for the newest
 * deployments of that window the path change → build → artifact → deploy, and the app's DORA
 * figures week by week over the last 13 weeks (`trends`, loadDoraTrends.ts).
 *
 * Why per app: Argo CD's proxy authorises a request for the one app named in
 * Argocd-Application-Name (RBAC `applications, get`), and nothing else. The
 * dashboard, a system-level extension, lists the apps the user may see from
 * Argo CD itself and asks here once per app, so every answer is one Argo CD
 * has authorised for this user (docs/adr/0006-dashboard-authorization.md).
 *
 *   200  AppDashboardResponse (an app the backend has never heard of gets empty lists)
 *   400  a bad `hours`, Argocd-Application-Name or X-Cdevents-Instance
 *   401  missing or wrong X-Cdevents-Proxy-Secret
 *   403  Argocd-Application-Name names another app than the path
 */
import type { AppDashboardResponse } from '../contract';
import { buildLeadTime } from '../../dashboard/buildLeadTime';
import { mapWithConcurrency } from '../../dashboard/mapWithConcurrency';
import { loadChain } from '../../store/chainQueries';
import { fetchDeployments, fetchIncidents, fetchRunning } from '../../store/dashboardQueries';
import { parseEventKey } from '../../store/eventKey';
import { readRouteApp } from '../security';
import { loadDoraTrends } from './loadDoraTrends';
import { type AppParams, buildAppRouteOptions } from './buildAppRouteOptions';
import type { RouteModule } from './index';

const querySchema = {
  type: 'object',
  properties: { hours: { type: 'integer', minimum: 1, maximum: 168, default: 24 } },
  additionalProperties: false,
} as const;

/** Lists stay short: the dashboard shows a day across many apps. */
const listLimit = 100;
/** Each lead time walks a chain; the newest few deployments tell where time goes. */
const leadTimeLimit = 10;
const chainBounds = { depth: 8, limit: 150 };
/**
 * Walks of one request in flight at once: one after another, the walks were most of a dashboard's
 * time; all at once, one app's request would hold most of the pool while the dashboard asks for 50.
 */
const leadTimeWalksAtOnce = 3;

export const registerDashboardRoute: RouteModule = (app, { config, readStore: store, clock }) => {
  app.get<{ Params: AppParams; Querystring: { hours: number } }>(
    '/api/v1/applications/:namespace/:name/dashboard',
    buildAppRouteOptions(config, querySchema),
    async (request): Promise<AppDashboardResponse> => {
      const appRef = readRouteApp(request, config, request.params);
      const to = clock.now();
      const from = new Date(to.getTime() - request.query.hours * 3_600_000);
      const window = { from: from.toISOString(), to: to.toISOString(), limit: listLimit };
      const [running, deployments, incidents, trends] = await Promise.all([
        fetchRunning(store.sql, appRef),
        fetchDeployments(store.sql, appRef, window),
        fetchIncidents(store.sql, appRef, window),
        loadDoraTrends(store.sql, appRef, to, null),
      ]);
      const walked = deployments.filter((d) => d.predicate !== 'removed').slice(0, leadTimeLimit);
      const chains = await mapWithConcurrency(walked, leadTimeWalksAtOnce, (deployment) =>
        loadChain(store.sql, parseEventKey(deployment.key)!, chainBounds),
      );
      const leadTimes = walked.flatMap((deployment, index) => {
        const chain = chains[index];
        return chain ? [buildLeadTime(chain, deployment)] : [];
      });
      return { app: appRef, from: window.from, to: window.to, running, deployments, incidents, leadTimes, trends };
    },
  );
};
