/**
 * The request guards, as fastify onRequest hooks (they run before the body is
 * read, so a stranger cannot make the server parse megabytes):
 *
 * - Ingest routes (POST /api/v1/events, the Argo CD webhook): `Authorization:
 *   Bearer <token>` with a token from CDEVENTS_INGEST_TOKENS, unless
 *   CDEVENTS_INGEST_AUTH=off. 401 otherwise.
 * - Routes reached through Argo CD's proxy extension: `X-Cdevents-Proxy-Secret`
 *   equal to CDEVENTS_PROXY_SECRET (401 otherwise), which Argo CD adds from its
 *   proxy config. It is what makes the Argocd-* headers trustworthy: Argo CD has
 *   checked that the user may `get` the app named in Argocd-Application-Name.
 * - App-scoped routes (/api/v1/applications/{namespace}/{name}/...): also
 *   `Argocd-Application-Name: <namespace>:<name>` equal to the app in the path
 *   (400 missing or malformed, 403 another app), so a user allowed on one app
 *   cannot read another's by editing the path.
 *
 * Secrets are compared in constant time (both sides hashed first, so their
 * lengths do not leak either).
 *
 * Bodies: JSON may nest at most `maxJsonDepth` levels (400 above it). JSON.parse
 * itself copes with any depth, but the recursive code after it (canonical
 * hashing, validation, the parse-error locator) would exhaust the stack, so a
 * 20 kB body of brackets would be a 500 per request.
 */
import { createHash, timingSafeEqual } from 'crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { instancePattern, type Config } from '../config';
import { BadRequestError, ForbiddenError, UnauthorizedError, UnsupportedMediaTypeError } from '../errors';
import type { AppRef } from '../store/types';

export const proxySecretHeader = 'x-cdevents-proxy-secret';
export const applicationNameHeader = 'argocd-application-name';
export const instanceHeader = 'x-cdevents-instance';

type GuardConfig = Pick<Config, 'proxyAuth' | 'proxySecret' | 'ingestAuth' | 'ingestTokens' | 'defaultInstance'>;

const namespacePattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const appNamePattern = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time equality of two secrets. */
export function isSameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Throws UnauthorizedError unless the request carries a configured ingest token. */
export function verifyIngestToken(request: FastifyRequest, reply: FastifyReply, config: GuardConfig): void {
  if (!config.ingestAuth) return;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headerValue(request, 'authorization') ?? '');
  // Compare against every token, so the time taken does not say which one nearly matched.
  let accepted = false;
  if (match) for (const token of config.ingestTokens) accepted = isSameSecret(match[1]!, token) || accepted;
  if (!accepted) {
    reply.header('www-authenticate', 'Bearer realm="cdevents"');
    throw new UnauthorizedError(
      match
        ? 'the bearer token is not one of CDEVENTS_INGEST_TOKENS'
        : 'missing bearer token: send "Authorization: Bearer <token>" with a token from CDEVENTS_INGEST_TOKENS',
    );
  }
}

/** Throws UnauthorizedError unless the request carries the proxy's shared secret. */
export function verifyProxySecret(request: FastifyRequest, config: GuardConfig): void {
  if (!config.proxyAuth) return;
  const given = headerValue(request, proxySecretHeader);
  if (given === undefined || config.proxySecret === undefined || !isSameSecret(given, config.proxySecret)) {
    throw new UnauthorizedError(
      `missing or wrong ${proxySecretHeader} header: this route is reached through Argo CD's proxy extension`,
    );
  }
}

/** The Argo CD instance of a proxied request: X-Cdevents-Instance, else CDEVENTS_DEFAULT_INSTANCE. */
export function readInstance(request: FastifyRequest, config: GuardConfig): string {
  const value = headerValue(request, instanceHeader);
  if (value === undefined || value === '') return config.defaultInstance;
  if (!instancePattern.test(value)) {
    throw new BadRequestError(`${instanceHeader} must be lower-case letters, digits and dashes, got "${value}"`);
  }
  return value;
}

/**
 * The app Argo CD's proxy vouches for (Argocd-Application-Name `<namespace>:<name>`,
 * with the instance), undefined when the header is absent. Throws BadRequestError when malformed.
 */
export function readProxiedApp(request: FastifyRequest, config: GuardConfig): AppRef | undefined {
  const value = headerValue(request, applicationNameHeader);
  if (value === undefined) return undefined;
  const parts = value.split(':');
  if (parts.length !== 2 || !namespacePattern.test(parts[0]!) || !appNamePattern.test(parts[1]!)) {
    throw new BadRequestError(`${applicationNameHeader} must be "<namespace>:<name>", got "${value}"`);
  }
  return { instance: readInstance(request, config), namespace: parts[0]!, name: parts[1]! };
}

/** Ingest routes: a bearer token from CDEVENTS_INGEST_TOKENS. */
export function createIngestGuard(config: GuardConfig): onRequestHookHandler {
  return async (request, reply) => verifyIngestToken(request, reply, config);
}

/** Routes reached through Argo CD's proxy: the shared secret. */
export function createProxyGuard(config: GuardConfig): onRequestHookHandler {
  return async (request) => verifyProxySecret(request, config);
}

/**
 * App-scoped proxied routes with `:namespace` and `:name` path parameters: the shared
 * secret, and Argocd-Application-Name naming the same app as the path.
 */
export function createAppRouteGuard(config: GuardConfig): onRequestHookHandler {
  return async (request) => {
    verifyProxySecret(request, config);
    const app = readProxiedApp(request, config);
    if (!app) throw new BadRequestError(`missing ${applicationNameHeader} header ("<namespace>:<name>")`);
    const params = request.params as { namespace?: string; name?: string };
    if (app.namespace !== params.namespace || app.name !== params.name) {
      throw new ForbiddenError(
        `${applicationNameHeader} names ${app.namespace}:${app.name} but the path is for ${params.namespace}/${params.name}`,
      );
    }
  };
}

/** The app of an app-scoped request, after createAppRouteGuard let it through. */
export function readRouteApp(
  request: FastifyRequest,
  config: GuardConfig,
  params: { namespace: string; name: string },
): AppRef {
  return { instance: readInstance(request, config), namespace: params.namespace, name: params.name };
}

/** How deep request JSON may nest. CDEvents and Argo CD Applications stay well under 30. */
export const maxJsonDepth = 100;

function depthError(): BadRequestError {
  return new BadRequestError(`the request body has JSON nested deeper than ${maxJsonDepth} levels`);
}

/**
 * True when JSON text (or its UTF-8 bytes) opens more than `limit` arrays or objects at once. A
 * scan with no recursion, run before parsing, so even unterminated text is measured safely.
 * Bytes work as well as characters: no multi-byte UTF-8 sequence contains a byte below 0x80.
 */
export function isJsonTextDeeperThan(text: string | Uint8Array, limit: number): boolean {
  // Two copies of one loop, so each reads its input one way: a shared accessor costs every byte a call.
  let depth = 0;
  let inString = false;
  if (typeof text === 'string') {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (inString) {
        if (code === 0x5c)
          i++; // backslash: skip the escaped character
        else if (code === 0x22) inString = false;
      } else if (code === 0x22) inString = true;
      else if (code === 0x5b || code === 0x7b) {
        if (++depth > limit) return true;
      } else if (code === 0x5d || code === 0x7d) depth--;
    }
    return false;
  }
  for (let i = 0; i < text.length; i++) {
    const code = text[i]!;
    if (inString) {
      if (code === 0x5c) i++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return false;
}

/** True when a parsed value nests more than `limit` arrays or objects. Iterative, so any depth is safe. */
export function isValueDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Throws BadRequestError naming the limit when the JSON text nests deeper than maxJsonDepth. */
export function verifyJsonTextDepth(text: string | Uint8Array): void {
  if (isJsonTextDeeperThan(text, maxJsonDepth)) throw depthError();
}

/** Throws BadRequestError naming the limit when a parsed value nests deeper than maxJsonDepth. */
export function verifyValueDepth(value: unknown): void {
  if (isValueDeeperThan(value, maxJsonDepth)) throw depthError();
}

/**
 * Bodies of every route that uses fastify's parsers (all but ingest, which reads its body raw):
 * JSON only, and 415 naming the type for anything else (fastify would parse text/plain into a
 * string and answer a vague 400); the depth limit checked on the text before parsing; and
 * fastify's own refusal of `__proto__` keys kept.
 */
export function registerJsonBodyGuards(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (isJsonTextDeeperThan(body as string, maxJsonDepth)) done(depthError(), undefined);
    else parseJson(request, body as string, done);
  });
  app.addContentTypeParser('*', (request, _payload, done) => {
    // No route: let the 404 answer, not a content-type complaint about a route that does not exist.
    if (request.is404) return done(null, undefined);
    const type = String(request.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .slice(0, 100);
    done(
      new UnsupportedMediaTypeError(`unsupported content type ${type}; this route takes application/json`),
      undefined,
    );
  });
}
