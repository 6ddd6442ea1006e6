/**
 * GET /api/v1/applications/{namespace}/{name}/summary: the summary strip above
 * an app's timeline (AppSummaryResponse): deployments in the window, the last
 * deploy, failed runs, open incidents and the app's DORA figures, each figure a
 * value or the sentence naming the data it lacks (src/backend/dora), and the same figures week by
 * week over the last 13 weeks for the strip's charts (`trends`, loadDoraTrends.ts).
 *
 * Query: window (`<n>d` or `<n>h`, 1h..365d, default 30d); environment (an
 * environment id the app's service events name; default all).
 *
 *   200  AppSummaryResponse (an app the backend has never heard of gets zeros and `missing` figures)
 *   400  a bad `window` or `environment`, Argocd-Application-Name or X-Cdevents-Instance
 *   401  missing or wrong X-Cdevents-Proxy-Secret
 *   403  Argocd-Application-Name names another app than the path
 */
import type { AppSummaryResponse } from '../contract';
import { buildDoraFigures, pairIncidents } from '../../dora';
import { BadRequestError } from '../../errors';
import {
  countFailedRuns,
  fetchFirstServiceTime,
  fetchLastDeployment,
  fetchServiceEnvironments,
  toDashboardIncident,
} from '../../store/summaryQueries';
import { readRouteApp } from '../security';
import { buildTrendsFromHistory, loadDoraHistory, narrowDoraHistory, trendsStart } from './loadDoraTrends';
import { type AppParams, buildAppRouteOptions } from './buildAppRouteOptions';
import type { RouteModule } from './index';

const querySchema = {
  type: 'object',
  properties: {
    window: { type: 'string', maxLength: 8, default: '30d' },
    environment: { type: 'string', minLength: 1, maxLength: 500 },
  },
  additionalProperties: false,
} as const;

const HOUR = 3_600_000;
const MAX_WINDOW_HOURS = 365 * 24;

/** `30d` → 720 hours. Throws BadRequestError naming the accepted forms. */
export function parseSummaryWindow(value: string): number {
  const match = /^([1-9][0-9]{0,4})([dh])$/.exec(value);
  const hours = match ? Number(match[1]) * (match[2] === 'd' ? 24 : 1) : NaN;
  if (!match || hours > MAX_WINDOW_HOURS) {
    throw new BadRequestError(
      `window must be a number of days or hours between 1h and 365d, such as 30d or 12h, got "${value}"`,
    );
  }
  return hours;
}

export const registerAppSummaryRoute: RouteModule = (app, { config, readStore: store, clock }) => {
  app.get<{ Params: AppParams; Querystring: { window: string; environment?: string } }>(
    '/api/v1/applications/:namespace/:name/summary',
    buildAppRouteOptions(config, querySchema),
    async (request): Promise<AppSummaryResponse> => {
      const appRef = readRouteApp(request, config, request.params);
      const hours = parseSummaryWindow(request.query.window);
      const environment = request.query.environment ?? null;
      const toDate = clock.now();
      const to = toDate.toISOString();
      const from = new Date(toDate.getTime() - hours * HOUR).toISOString();
      // One read of each history over the window or the trends' 13 weeks, whichever reaches further back.
      const readFrom = new Date(Math.min(Date.parse(from), trendsStart(toDate))).toISOString();
      const [history, lastDeploy, environments, failures, firstServiceTime] = await Promise.all([
        loadDoraHistory(store.sql, appRef, { from: readFrom, to, environment }),
        fetchLastDeployment(store.sql, appRef, environment),
        fetchServiceEnvironments(store.sql, appRef),
        countFailedRuns(store.sql, appRef, { from, to, environment }),
        fetchFirstServiceTime(store.sql, appRef, environment),
      ]);
      const { services, publications, incidents } = narrowDoraHistory(history, Date.parse(from));
      const trends = buildTrendsFromHistory(history, toDate, firstServiceTime);
      const count = (predicate: string) => services.filter((event) => event.predicate === predicate).length;
      const deployed = count('deployed');
      const upgraded = count('upgraded');
      const rolledback = count('rolledback');
      const { open } = pairIncidents(incidents);
      return {
        app: appRef,
        window: request.query.window,
        from,
        to,
        environment,
        environments,
        deployments: { total: deployed + upgraded + rolledback, deployed, upgraded, rolledback },
        lastDeploy,
        failures,
        openIncidents: { count: open.length, oldest: open[0] ? toDashboardIncident(open[0]) : null },
        dora: buildDoraFigures({
          window: { from: Date.parse(from), to: toDate.getTime(), label: request.query.window },
          services,
          publications,
          incidents,
        }),
        trends,
      };
    },
  );
};
