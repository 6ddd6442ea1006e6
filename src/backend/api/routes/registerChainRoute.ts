/**
 * GET /api/v1/events/{key}/chain: the causal chain around one event, across
 * tools and apps: nodes (events with the apps they are attributed to) and
 * edges, explicit (PATH, RELATION, END, shared chainId) or inferred (shared
 * purl, repository and revision, pipeline run, test suite run, change, or
 * environment within an hour), walked in both directions.
 *
 * Query: depth (hops from the event, 1..20, default 6); limit (events, 1..500,
 * default 200). Walks that stop early say so in `truncated`.
 *
 *   200  ChainResponse
 *   400  a bad depth or limit, a malformed Argocd-Application-Name or X-Cdevents-Instance
 *   401  missing or wrong X-Cdevents-Proxy-Secret
 *   404  no such event, or (with Argocd-Application-Name) an event not attributed to that app
 *
 * Through Argo CD the start event must be in the asking app's tab, as for
 * GET /api/v1/events/{key}. The chain then shows the events it reaches in other
 * apps as summaries (type, subject id, time, the apps they belong to), never
 * their payloads: opening one goes through that app's own tab, which Argo CD
 * authorises separately.
 *
 * With retention on, `horizon` says whether the chain reaches past the
 * retention horizon: its events link to earlier ones no longer stored
 * (loadChainHorizon.ts). Reads go to the read store (CDEVENTS_READ_DATABASE_URL)
 * when one is configured.
 */
import type { ChainResponse } from '../contract';
import { NotFoundError } from '../../errors';
import { DEFAULT_CHAIN_LIMITS } from '../../chains/buildChain';
import { loadChain } from '../../store/chainQueries';
import { parseEventKey } from '../../store/eventKey';
import { createProxyGuard, readProxiedApp } from '../security';
import { loadChainHorizon } from './loadChainHorizon';
import type { RouteModule } from './index';

const paramsSchema = {
  type: 'object',
  required: ['key'],
  properties: { key: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

const querySchema = {
  type: 'object',
  properties: {
    depth: { type: 'integer', minimum: 1, maximum: 20, default: DEFAULT_CHAIN_LIMITS.maxDepth },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: DEFAULT_CHAIN_LIMITS.maxNodes },
  },
  additionalProperties: false,
} as const;

export const registerChainRoute: RouteModule = (app, { config, readStore, clock }) => {
  app.get<{ Params: { key: string }; Querystring: { depth: number; limit: number } }>(
    '/api/v1/events/:key/chain',
    { onRequest: createProxyGuard(config), schema: { params: paramsSchema, querystring: querySchema } },
    async (request): Promise<ChainResponse> => {
      const { key } = request.params;
      const { depth, limit } = request.query;
      const proxiedApp = readProxiedApp(request, config);
      const notFound = () =>
        new NotFoundError(
          proxiedApp ? `no event ${key} in the tab of ${proxiedApp.namespace}/${proxiedApp.name}` : `no event ${key}`,
        );
      const seq = parseEventKey(key);
      if (seq === undefined) throw notFound();
      if (proxiedApp) {
        const inTab = await readStore.getEvent(key, { app: proxiedApp });
        if (!inTab || inTab.attributions.length === 0) throw notFound();
      }
      const chain = await loadChain(readStore.sql, seq, { depth, limit });
      if (!chain) throw notFound();
      const horizon = await loadChainHorizon(readStore.sql, chain, {
        now: clock.now(),
        retentionDays: config.retentionDays,
      });
      return horizon ? { ...chain, horizon } : chain;
    },
  );
};
