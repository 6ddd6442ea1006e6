import { createAppRouteGuard } from '../security';

/** Path params of an app-scoped route: a Kubernetes namespace (DNS label) and an Application name (DNS subdomain). */
export const appParamsSchema = {
  type: 'object',
  required: ['namespace', 'name'],
  properties: {
    namespace: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' },
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$' },
  },
} as const;

export interface AppParams {
  namespace: string;
  name: string;
}

/**
 * The options of a GET under /api/v1/applications/:namespace/:name/: Argo CD's proxy guard (the
 * shared secret, and Argocd-Application-Name naming the path's app) and the app's params, with
 * the route's own query schema.
 */
export function buildAppRouteOptions<Query extends object>(
  config: Parameters<typeof createAppRouteGuard>[0],
  querystring: Query,
) {
  return { onRequest: createAppRouteGuard(config), schema: { params: appParamsSchema, querystring } };
}
