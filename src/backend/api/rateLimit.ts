/**
 * Per-client rate limits on the ingest route (POST /api/v1/events):
 * CDEVENTS_INGEST_RATE_LIMIT requests per CDEVENTS_INGEST_RATE_WINDOW_SECONDS, then
 * 429 TooManyRequestsError with Retry-After (seconds), which well-behaved clients honour.
 *
 * The Argo CD notifications webhook is not limited: the notifications controller retries a
 * refused send only a few times within the request and then, for oncePer triggers, never
 * again (research: cdviz-and-argocd-notifications.md §3.2), so a 429 during a mass sync would
 * lose incidents for good. Its callers hold an ingest token and its volume is bounded by the
 * number of Applications.
 *
 * A client is its bearer token when it sent one (several CI runners behind one NAT address keep
 * separate budgets, and one leaked token cannot spend everyone's), else its address. The check
 * runs in preParsing: after the ingest guard has refused strangers (onRequest), before the body
 * is read, so a client over its limit costs no parsing. Counts are per replica, in memory.
 */
import { createHash } from 'crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config';
import { TooManyRequestsError } from '../errors';

export const ingestRoutePaths: readonly string[] = ['/api/v1/events'];

function isIngestRequest(request: FastifyRequest): boolean {
  return request.method === 'POST' && ingestRoutePaths.includes(request.routeOptions.url ?? '');
}

/** The bucket a request counts against: a hash of its bearer token, else its address. */
export function buildClientKey(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  const token = typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  // Hashed so the limiter's memory never holds a usable token.
  if (token) return `token:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
  return `ip:${request.ip}`;
}

/** Registers the limiter; must run before the routes are added. CDEVENTS_INGEST_RATE_LIMIT=0 skips it. */
export async function registerIngestRateLimit(
  app: FastifyInstance,
  config: Pick<Config, 'ingestRateLimit' | 'ingestRateWindowSeconds'>,
): Promise<void> {
  if (config.ingestRateLimit === 0) return;
  await app.register(rateLimit, {
    global: true,
    hook: 'preParsing',
    max: config.ingestRateLimit,
    timeWindow: config.ingestRateWindowSeconds * 1000,
    allowList: (request) => !isIngestRequest(request),
    keyGenerator: buildClientKey,
    errorResponseBuilder: (_request, context) =>
      new TooManyRequestsError(
        `more than ${context.max} ingest requests in ${config.ingestRateWindowSeconds} s from this client ` +
          `(CDEVENTS_INGEST_RATE_LIMIT); retry after ${context.after}`,
      ),
  });
}
