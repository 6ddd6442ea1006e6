/**
 * Every route module, registered in this order. Adding a route module is one
 * import and one line in `routeModules`; a module receives the app and its deps.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps, Clock } from '../../app';
import type { EventStore } from '../../store/types';
import { registerAppEventsExportRoute } from './registerAppEventsExportRoute';
import { registerAppEventsRoute } from './registerAppEventsRoute';
import { registerAppSummaryRoute } from './registerAppSummaryRoute';
import { registerArgocdBackfillRoute } from './registerArgocdBackfillRoute';
import { registerArgocdNotificationsRoute } from './registerArgocdNotificationsRoute';
import { registerChainRoute } from './registerChainRoute';
import { registerDashboardRoute } from './registerDashboardRoute';
import { registerDeliveryRoutes } from './deliveries';
import { registerEventRoute } from './registerEventRoute';
import { registerHealthRoutes } from './registerHealthRoutes';
import { registerIngestRoute } from './registerIngestRoute';
import { registerTriggerRoutes } from './triggers';

/**
 * `readStore` is the store the read routes (event list and detail, export, summary, dashboard, chains)
 * query: a read replica when CDEVENTS_READ_DATABASE_URL is set, else the same store as ingest.
 */
export type RouteDeps = AppDeps & { clock: Clock; readStore: EventStore };
export type RouteModule = (app: FastifyInstance, deps: RouteDeps) => void | Promise<void>;

const routeModules: RouteModule[] = [
  registerHealthRoutes,
  registerIngestRoute,
  registerAppEventsRoute,
  registerAppEventsExportRoute,
  registerEventRoute,
  registerChainRoute,
  registerDashboardRoute,
  registerAppSummaryRoute,
  registerDeliveryRoutes,
  registerArgocdNotificationsRoute,
  registerArgocdBackfillRoute,
  registerTriggerRoutes,
];

export async function registerRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  for (const register of routeModules) await register(app, deps);
}
