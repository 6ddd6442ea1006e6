/**
 * Hostile requests against the real app on PGlite, over raw HTTP (so paths reach the server
 * exactly as sent, `..` and all): each is refused with the right 4xx and the JSON error envelope,
 * whose message names the problem and carries no stack or file path; afterwards nothing was
 * stored by them, what was accepted as data is stored verbatim, nothing polluted Object.prototype,
 * and the process still answers /healthz.
 */
import { request as httpRequest } from 'http';
import { createEvent } from '../../src/cdevents';
import { type TestBackend, startBackend, testIngestToken, testProxySecret } from '../helpers/backend';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One HTTP/1.1 request with the path and headers exactly as given. */
function sendRaw(
  base: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const app = { namespace: 'argocd', name: 'guestbook' };
const appPath = `/api/v1/applications/${app.namespace}/${app.name}/events`;
const maxBodyBytes = 64 * 1024;
const sameLengthWrongSecret = testProxySecret.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x'));

const proxy = (extra: Record<string, string> = {}): Record<string, string> => ({
  'x-cdevents-proxy-secret': testProxySecret,
  'argocd-application-name': `${app.namespace}:${app.name}`,
  'argocd-project-name': 'default',
  ...extra,
});
const withoutHeader = (headers: Record<string, string>, name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
const ingest = (extra: Record<string, string> = {}): Record<string, string> => ({
  authorization: `Bearer ${testIngestToken}`,
  'content-type': 'application/json',
  ...extra,
});

function buildValidEvent(subjectId = `${app.namespace}/${app.name}`): Record<string, unknown> {
  return createEvent({
    type: 'service.deployed',
    source: 'https://ci.example/security-suite',
    subject: {
      id: subjectId,
      content: { environment: { id: 'prod' }, artifactId: `pkg:oci/guestbook@sha256%3A${'a'.repeat(64)}` },
    },
  }) as unknown as Record<string, unknown>;
}
const validBody = JSON.stringify(buildValidEvent());
const notificationsPath = '/api/v1/argocd/notifications?instance=default';
// An Application as Argo CD's notifications template sends it; only the fields the route reads.
const applicationBody = JSON.stringify({
  app: {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'guestbook', namespace: 'argocd', uid: '5a0b7e44-0000-4000-8000-000000000001' },
    spec: { project: 'default', destination: { namespace: 'guestbook', server: 'https://kubernetes.default.svc' } },
    status: {},
  },
  context: {},
});
const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

interface HostileCase {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  status: number;
  /** A fragment the error message must contain (it names the problem). */
  message: RegExp;
}

/** The key of one event stored before the table, for the single-event routes. */
let storedKey = '';
const eventPath = (suffix = ''): string => `/api/v1/events/${encodeURIComponent(storedKey)}${suffix}`;

const hostileRequests: Array<[string, () => HostileCase]> = [
  // The shared secret Argo CD's proxy adds.
  [
    'no proxy secret',
    () => ({
      path: appPath,
      headers: withoutHeader(proxy(), 'x-cdevents-proxy-secret'),
      status: 401,
      message: /x-cdevents-proxy-secret/,
    }),
  ],
  [
    'an empty proxy secret',
    () => ({
      path: appPath,
      headers: proxy({ 'x-cdevents-proxy-secret': '' }),
      status: 401,
      message: /x-cdevents-proxy-secret/,
    }),
  ],
  [
    'a wrong secret of the same length',
    () => ({
      path: appPath,
      headers: proxy({ 'x-cdevents-proxy-secret': sameLengthWrongSecret }),
      status: 401,
      message: /x-cdevents-proxy-secret/,
    }),
  ],
  [
    'a secret of a different length (a prefix of the real one)',
    () => ({
      path: appPath,
      headers: proxy({ 'x-cdevents-proxy-secret': testProxySecret.slice(0, 5) }),
      status: 401,
      message: /x-cdevents-proxy-secret/,
    }),
  ],
  [
    'the real secret with a byte appended',
    () => ({
      path: appPath,
      headers: proxy({ 'x-cdevents-proxy-secret': `${testProxySecret}x` }),
      status: 401,
      message: /x-cdevents-proxy-secret/,
    }),
  ],
  [
    'the secret in upper case',
    () => ({
      path: appPath,
      headers: proxy({ 'x-cdevents-proxy-secret': testProxySecret.toUpperCase() }),
      status: 401,
      message: /x-cdevents-proxy-secret/,
    }),
  ],
  [
    'the secret in the query string instead of the header',
    () => ({
      path: `${appPath}?x-cdevents-proxy-secret=${testProxySecret}`,
      headers: withoutHeader(proxy(), 'x-cdevents-proxy-secret'),
      status: 401,
      message: /x-cdevents-proxy-secret/,
    }),
  ],
  [
    'the secret in a cookie instead of the header',
    () => ({
      path: appPath,
      headers: {
        ...withoutHeader(proxy(), 'x-cdevents-proxy-secret'),
        cookie: `x-cdevents-proxy-secret=${testProxySecret}`,
      },
      status: 401,
      message: /x-cdevents-proxy-secret/,
    }),
  ],
  [
    'the secret as a bearer token',
    () => ({
      path: appPath,
      headers: { ...withoutHeader(proxy(), 'x-cdevents-proxy-secret'), authorization: `Bearer ${testProxySecret}` },
      status: 401,
      message: /x-cdevents-proxy-secret/,
    }),
  ],
  [
    'the ingest token as the proxy secret',
    () => ({
      path: appPath,
      headers: proxy({ 'x-cdevents-proxy-secret': testIngestToken }),
      status: 401,
      message: /x-cdevents-proxy-secret/,
    }),
  ],
  [
    'no proxy secret on one event',
    () => ({
      path: eventPath(),
      headers: withoutHeader(proxy(), 'x-cdevents-proxy-secret'),
      status: 401,
      message: /x-cdevents-proxy-secret/,
    }),
  ],
  [
    'a wrong proxy secret on an event chain',
    () => ({
      path: eventPath('/chain'),
      headers: proxy({ 'x-cdevents-proxy-secret': sameLengthWrongSecret }),
      status: 401,
      message: /x-cdevents-proxy-secret/,
    }),
  ],
  [
    'a 12 KB forged proxy secret',
    () => ({
      path: appPath,
      headers: proxy({ 'x-cdevents-proxy-secret': 's'.repeat(12_000) }),
      status: 401,
      message: /x-cdevents-proxy-secret/,
    }),
  ],

  // Argocd-Application-Name: Argo CD vouches for this app, and only this one.
  [
    'no Argocd-Application-Name',
    () => ({
      path: appPath,
      headers: withoutHeader(proxy(), 'argocd-application-name'),
      status: 400,
      message: /missing argocd-application-name/,
    }),
  ],
  [
    'an Argocd-Application-Name without a namespace',
    () => ({
      path: appPath,
      headers: proxy({ 'argocd-application-name': 'guestbook' }),
      status: 400,
      message: /"<namespace>:<name>"/,
    }),
  ],
  [
    'an Argocd-Application-Name with three parts',
    () => ({
      path: appPath,
      headers: proxy({ 'argocd-application-name': 'argocd:guestbook:extra' }),
      status: 400,
      message: /"<namespace>:<name>"/,
    }),
  ],
  [
    'an Argocd-Application-Name with an empty name',
    () => ({
      path: appPath,
      headers: proxy({ 'argocd-application-name': 'argocd:' }),
      status: 400,
      message: /"<namespace>:<name>"/,
    }),
  ],
  [
    'an Argocd-Application-Name with upper case',
    () => ({
      path: appPath,
      headers: proxy({ 'argocd-application-name': 'ArgoCD:Guestbook' }),
      status: 400,
      message: /"<namespace>:<name>"/,
    }),
  ],
  [
    'an Argocd-Application-Name with a traversal',
    () => ({
      path: appPath,
      headers: proxy({ 'argocd-application-name': 'argocd:../guestbook' }),
      status: 400,
      message: /"<namespace>:<name>"/,
    }),
  ],
  [
    'an Argocd-Application-Name with markup',
    () => ({
      path: appPath,
      headers: proxy({ 'argocd-application-name': 'argocd:<script>alert(1)</script>' }),
      status: 400,
      message: /"<namespace>:<name>"/,
    }),
  ],
  [
    'a 12 KB Argocd-Application-Name',
    () => ({
      path: appPath,
      headers: proxy({ 'argocd-application-name': `argocd:${'a'.repeat(12_000)}` }),
      status: 400,
      message: /"<namespace>:<name>"/,
    }),
  ],
  [
    'another app in the header than in the path',
    () => ({
      path: appPath,
      headers: proxy({ 'argocd-application-name': 'argocd:other' }),
      status: 403,
      message: /names argocd:other but the path is for argocd\/guestbook/,
    }),
  ],
  [
    'another namespace in the header than in the path',
    () => ({
      path: appPath,
      headers: proxy({ 'argocd-application-name': 'team-a:guestbook' }),
      status: 403,
      message: /names team-a:guestbook/,
    }),
  ],
  [
    'a malformed X-Cdevents-Instance',
    () => ({
      path: appPath,
      headers: proxy({ 'x-cdevents-instance': 'Prod EU' }),
      status: 400,
      message: /x-cdevents-instance must be/,
    }),
  ],

  // Paths: traversal in any spelling never reaches another app or a file.
  [
    'a raw ../ in the app path',
    () => ({
      path: `/api/v1/applications/argocd/../other/events`,
      headers: proxy(),
      status: 404,
      message: /no route GET/,
    }),
  ],
  [
    'an encoded ..%2F in the app name',
    () => ({
      path: `/api/v1/applications/argocd/..%2Fother/events`,
      headers: proxy(),
      status: 403,
      message: /the path is for argocd\/\.\.\/other/,
    }),
  ],
  [
    '%2e%2e as the namespace',
    () => ({
      path: `/api/v1/applications/%2e%2e/guestbook/events`,
      headers: proxy(),
      status: 403,
      message: /the path is for \.\.\/guestbook/,
    }),
  ],
  [
    'a double-encoded %252e%252e as the namespace',
    () => ({
      path: `/api/v1/applications/%252e%252e/guestbook/events`,
      headers: proxy(),
      status: 403,
      message: /the path is for %2e%2e\/guestbook/,
    }),
  ],
  [
    'a traversal as the event key',
    () => ({
      path: `/api/v1/events/..%2F..%2Fetc%2Fpasswd`,
      headers: proxy(),
      status: 404,
      message: /no event|not found|no such/i,
    }),
  ],
  [
    'a NUL byte in the event key',
    () => ({ path: `/api/v1/events/abc%00def`, headers: proxy(), status: 404, message: /no event|not found|no such/i }),
  ],

  // Ingest tokens.
  [
    'ingest without a token',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: withoutHeader(ingest(), 'authorization'),
      body: validBody,
      status: 401,
      message: /missing bearer token/,
    }),
  ],
  [
    'ingest with a wrong token',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ authorization: `Bearer ${testIngestToken.toUpperCase()}` }),
      body: validBody,
      status: 401,
      message: /not one of CDEVENTS_INGEST_TOKENS/,
    }),
  ],
  [
    'ingest with the token in the Basic scheme',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ authorization: `Basic ${Buffer.from(`x:${testIngestToken}`).toString('base64')}` }),
      body: validBody,
      status: 401,
      message: /missing bearer token/,
    }),
  ],
  [
    'ingest with the token in a "Token" scheme',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ authorization: `Token ${testIngestToken}` }),
      body: validBody,
      status: 401,
      message: /missing bearer token/,
    }),
  ],
  [
    'ingest with the bare token and no scheme',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ authorization: testIngestToken }),
      body: validBody,
      status: 401,
      message: /missing bearer token/,
    }),
  ],
  [
    'ingest with the token in the query string',
    () => ({
      method: 'POST',
      path: `/api/v1/events?token=${testIngestToken}`,
      headers: withoutHeader(ingest(), 'authorization'),
      body: validBody,
      status: 401,
      message: /missing bearer token/,
    }),
  ],
  [
    'ingest with an empty bearer token',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ authorization: 'Bearer ' }),
      body: validBody,
      status: 401,
      message: /missing bearer token/,
    }),
  ],
  [
    'ingest with the token followed by junk',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ authorization: `Bearer ${testIngestToken} extra` }),
      body: validBody,
      status: 401,
      message: /missing bearer token/,
    }),
  ],
  [
    'ingest with the proxy secret as the token',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ authorization: `Bearer ${testProxySecret}` }),
      body: validBody,
      status: 401,
      message: /not one of CDEVENTS_INGEST_TOKENS/,
    }),
  ],
  [
    'ingest with a 12 KB token',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ authorization: `Bearer ${'t'.repeat(12_000)}` }),
      body: validBody,
      status: 401,
      message: /not one of CDEVENTS_INGEST_TOKENS/,
    }),
  ],

  // Bodies: size, depth, type and shape.
  [
    'a body one byte over the limit',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest(),
      body: JSON.stringify({ pad: 'x'.repeat(maxBodyBytes) }),
      status: 413,
      message: new RegExp(`larger than ${maxBodyBytes} bytes`),
    }),
  ],
  [
    'a body far over the limit',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest(),
      body: Buffer.alloc(maxBodyBytes * 8, 0x20),
      status: 413,
      message: /CDEVENTS_MAX_BODY_BYTES/,
    }),
  ],
  [
    'JSON nested 10 000 deep',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest(),
      body: nested(10_000),
      status: 400,
      message: /nested deeper than \d+ levels/,
    }),
  ],
  [
    'unterminated JSON nested 20 000 deep',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest(),
      body: '['.repeat(20_000),
      status: 400,
      message: /nested deeper than \d+ levels/,
    }),
  ],
  [
    'an event whose subject content is nested 5 000 deep',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest(),
      body: validBody.replace('{"environment"', `{"deep":${nested(5_000)},"environment"`),
      status: 400,
      message: /nested deeper than \d+ levels/,
    }),
  ],
  [
    'a structured CloudEvent whose data string is nested 5 000 deep',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ 'content-type': 'application/cloudevents+json' }),
      body: JSON.stringify({ specversion: '1.0', id: 'x', source: 's', type: 't', data: nested(5_000) }),
      status: 400,
      message: /nested deeper than \d+ levels/,
    }),
  ],
  [
    'a CloudEvents batch whose second data_base64 decodes to JSON nested 5 000 deep',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ 'content-type': 'application/cloudevents-batch+json' }),
      body: JSON.stringify([
        { specversion: '1.0', id: 'a', source: 's', type: 't', data: JSON.parse(validBody) },
        {
          specversion: '1.0',
          id: 'b',
          source: 's',
          type: 't',
          data_base64: Buffer.from(nested(5_000)).toString('base64'),
        },
      ]),
      status: 400,
      message: /nested deeper than \d+ levels/,
    }),
  ],
  [
    'a text/plain body',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ 'content-type': 'text/plain' }),
      body: validBody,
      status: 415,
      message: /unsupported content type text\/plain/,
    }),
  ],
  [
    'a form post (the CSRF shape)',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ 'content-type': 'application/x-www-form-urlencoded' }),
      body: 'a=1',
      status: 415,
      message: /unsupported content type application\/x-www-form-urlencoded/,
    }),
  ],
  [
    'a multipart body',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ 'content-type': 'multipart/form-data; boundary=x' }),
      body: '--x--',
      status: 415,
      message: /unsupported content type multipart\/form-data/,
    }),
  ],
  [
    'an XML body',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ 'content-type': 'application/xml' }),
      body: '<event/>',
      status: 415,
      message: /unsupported content type application\/xml/,
    }),
  ],
  [
    'a structured CloudEvent carrying XML data',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ 'content-type': 'application/cloudevents+json' }),
      body: JSON.stringify({
        specversion: '1.0',
        id: 'x',
        source: 's',
        type: 't',
        datacontenttype: 'application/xml',
        data: '<a/>',
      }),
      status: 415,
      message: /datacontenttype is application\/xml/,
    }),
  ],
  [
    'a body that is not JSON',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest(),
      body: '{"context": ',
      status: 400,
      message: /not valid JSON/,
    }),
  ],
  [
    'an empty body',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest(),
      body: '',
      status: 400,
      message: /not valid JSON/,
    }),
  ],
  [
    'a batch that is not an array',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ 'content-type': 'application/cloudevents-batch+json' }),
      body: validBody,
      status: 400,
      message: /must be a JSON array/,
    }),
  ],
  [
    'data_base64 that is not base64',
    () => ({
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest({ 'content-type': 'application/cloudevents+json' }),
      body: JSON.stringify({ specversion: '1.0', id: 'x', source: 's', type: 't', data_base64: '***' }),
      status: 400,
      message: /not valid base64/,
    }),
  ],

  // The Argo CD notifications webhook.
  [
    'the notifications webhook without a token',
    () => ({
      method: 'POST',
      path: notificationsPath,
      headers: withoutHeader(ingest(), 'authorization'),
      body: applicationBody,
      status: 401,
      message: /missing bearer token/,
    }),
  ],
  [
    'the notifications webhook with the proxy secret as its token',
    () => ({
      method: 'POST',
      path: notificationsPath,
      headers: ingest({ authorization: `Bearer ${testProxySecret}` }),
      body: applicationBody,
      status: 401,
      message: /not one of CDEVENTS_INGEST_TOKENS/,
    }),
  ],
  [
    'the notifications webhook with a malformed instance',
    () => ({
      method: 'POST',
      path: '/api/v1/argocd/notifications?instance=..%2Fprod',
      headers: ingest(),
      body: applicationBody,
      status: 400,
      message: /instance/,
    }),
  ],
  [
    'the notifications webhook with a text/plain body',
    () => ({
      method: 'POST',
      path: notificationsPath,
      headers: ingest({ 'content-type': 'text/plain' }),
      body: applicationBody,
      status: 415,
      message: /unsupported content type text\/plain; this route takes application\/json/,
    }),
  ],
  [
    'the notifications webhook with an app nested 10 000 deep',
    () => ({
      method: 'POST',
      path: notificationsPath,
      headers: ingest(),
      body: applicationBody.replace('"spec":{', `"spec":{"deep":${nested(10_000)},`),
      status: 400,
      message: /nested deeper than \d+ levels/,
    }),
  ],
  [
    'the notifications webhook with a __proto__ key',
    () => ({
      method: 'POST',
      path: notificationsPath,
      headers: ingest(),
      body: applicationBody.replace('"spec":{', '"spec":{"__proto__":{"polluted":"yes"},'),
      status: 400,
      message: /not valid JSON/,
    }),
  ],
  [
    'the notifications webhook without an app',
    () => ({
      method: 'POST',
      path: notificationsPath,
      headers: ingest(),
      body: '{"context":{}}',
      status: 400,
      message: /app/,
    }),
  ],

  // Query parameters of the tab's list.
  [
    'a cursor that is not one of ours',
    () => ({ path: `${appPath}?cursor=not-a-cursor`, headers: proxy(), status: 400, message: /cursor/ }),
  ],
  [
    'a cursor longer than any we issue',
    () => ({ path: `${appPath}?cursor=${'A'.repeat(500)}`, headers: proxy(), status: 400, message: /cursor/ }),
  ],
  ['limit 0', () => ({ path: `${appPath}?limit=0`, headers: proxy(), status: 400, message: /limit/ })],
  ['limit 1 000 000', () => ({ path: `${appPath}?limit=1000000`, headers: proxy(), status: 400, message: /limit/ })],
  [
    'a limit that is not a number',
    () => ({ path: `${appPath}?limit=ten`, headers: proxy(), status: 400, message: /limit/ }),
  ],
  [
    'an unknown direction',
    () => ({ path: `${appPath}?direction=sideways`, headers: proxy(), status: 400, message: /direction/ }),
  ],
  [
    'a from that is not a date',
    () => ({
      path: `${appPath}?from=yesterday`,
      headers: proxy(),
      status: 400,
      message: /from must be an RFC 3339 date-time/,
    }),
  ],
  [
    'a search text over 200 characters',
    () => ({ path: `${appPath}?q=${'q'.repeat(300)}`, headers: proxy(), status: 400, message: /q/ }),
  ],

  [
    'a 20 KB header, over the server limit',
    () => ({
      path: appPath,
      headers: proxy({ 'x-padding': 'p'.repeat(20_000) }),
      status: 431,
      message: /headers are larger than the server accepts/,
    }),
  ],

  // Methods and routes that do not exist.
  [
    'DELETE on the ingest route',
    () => ({
      method: 'DELETE',
      path: '/api/v1/events',
      headers: { authorization: `Bearer ${testIngestToken}` },
      status: 404,
      message: /no route DELETE/,
    }),
  ],
  [
    'PUT on an app list',
    () => ({ method: 'PUT', path: appPath, headers: proxy(), body: '{}', status: 404, message: /no route PUT/ }),
  ],
];

describe('hostile requests (real app on PGlite, raw HTTP)', () => {
  let backend: TestBackend;
  let eventsBefore = 0;

  const countEvents = async (): Promise<number> => {
    const { rows } = await backend.store.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM events');
    return Number(rows[0]!.n);
  };

  beforeAll(async () => {
    backend = await startBackend({ config: { maxBodyBytes } });
    const seeded = await sendRaw(backend.url, {
      method: 'POST',
      path: '/api/v1/events',
      headers: ingest(),
      body: validBody,
    });
    expect(seeded.status).toBe(200);
    storedKey = (JSON.parse(seeded.text) as { results: Array<{ key: string }> }).results[0]!.key;
    eventsBefore = await countEvents();
  }, 60_000);
  afterAll(() => backend.close());

  it('the seeded event is readable with the right headers (so the refusals below are about the hostile part)', async () => {
    const list = await sendRaw(backend.url, { path: appPath, headers: proxy() });
    expect(list.status).toBe(200);
    expect((JSON.parse(list.text) as { items: unknown[] }).items).toHaveLength(1);
    const one = await sendRaw(backend.url, { path: eventPath(), headers: proxy() });
    expect(one.status).toBe(200);
  });

  it(`has at least 50 hostile requests (${hostileRequests.length})`, () => {
    expect(hostileRequests.length).toBeGreaterThanOrEqual(50);
  });

  it.each(hostileRequests)('refuses %s', async (_name, build) => {
    const hostile = build();
    const response = await sendRaw(backend.url, hostile);
    expect({ status: response.status, text: response.text.slice(0, 300) }).toEqual({
      status: hostile.status,
      text: expect.any(String),
    });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(response.text) as {
      statusCode: number;
      error: { name: string; message: string };
      requestId: string;
    };
    expect(body.statusCode).toBe(hostile.status);
    expect(body.error.name).toMatch(/^[A-Z]\w+Error$/);
    expect(body.error.message).toMatch(hostile.message);
    expect(body.requestId).toBe(response.headers['x-request-id']);
    // No internals: no stack frames, no source paths, no secrets echoed back.
    expect(response.text).not.toMatch(/\bat \S+ \(|\.ts:\d+|node_modules|\/work\/|\/src\//);
    expect(response.text).not.toContain(testProxySecret);
    expect(response.text).not.toContain(testIngestToken);
  });

  describe('after the table', () => {
    it('no rejected request stored anything', async () => {
      expect(await countEvents()).toBe(eventsBefore);
    });

    it('the process still answers /healthz and /readyz', async () => {
      expect((await sendRaw(backend.url, { path: '/healthz' })).status).toBe(200);
      expect((await sendRaw(backend.url, { path: '/readyz' })).status).toBe(200);
    });
  });
});

describe('hostile data that is accepted as data (real app on PGlite)', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startBackend({ config: { maxBodyBytes } });
  }, 60_000);
  afterAll(() => backend.close());

  const post = async (body: string): Promise<{ status: number; key: string }> => {
    const response = await sendRaw(backend.url, { method: 'POST', path: '/api/v1/events', headers: ingest(), body });
    const parsed = JSON.parse(response.text) as { results: Array<{ key: string; status: string }> };
    return { status: response.status, key: parsed.results[0]!.key };
  };
  const read = async (key: string): Promise<{ text: string; contentType: string; payload: unknown }> => {
    const response = await sendRaw(backend.url, {
      path: `/api/v1/events/${encodeURIComponent(key)}`,
      headers: proxy(),
    });
    expect(response.status).toBe(200);
    return {
      text: response.text,
      contentType: String(response.headers['content-type']),
      payload: (JSON.parse(response.text) as { payload: unknown }).payload,
    };
  };

  it.each([
    [
      'a __proto__ key at the top',
      (event: Record<string, unknown>) => `{"__proto__":{"polluted":"yes"},${JSON.stringify(event).slice(1)}`,
    ],
    [
      'a __proto__ key inside subject.content',
      (event: Record<string, unknown>) =>
        JSON.stringify(event).replace('"content":{', '"content":{"__proto__":{"polluted":"yes"},'),
    ],
    [
      'constructor.prototype keys',
      (event: Record<string, unknown>) =>
        JSON.stringify(event).replace('"content":{', '"content":{"constructor":{"prototype":{"polluted":"yes"}},'),
    ],
  ])('%s is stored as data and pollutes no object', async (_case, buildBody) => {
    const body = buildBody(buildValidEvent());
    const { status, key } = await post(body);
    expect(status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    const { payload } = await read(key);
    // Stored verbatim: the key is an own property of the stored payload, not a prototype.
    expect(payload).toEqual(JSON.parse(body));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('brackets and escaped quotes inside strings do not count toward the depth limit', async () => {
    const event = buildValidEvent();
    (event.subject as { content: Record<string, unknown> }).content.note = `\\"${'[{'.repeat(5_000)}`;
    const body = JSON.stringify(event);
    const { status, key } = await post(body);
    expect(status).toBe(200);
    expect((await read(key)).payload).toEqual(event);
  });

  it('script payloads in event fields are stored and returned verbatim, as JSON, never transformed', async () => {
    const script = '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>';
    const event = buildValidEvent(`argocd/guestbook`);
    (event.subject as { content: Record<string, unknown> }).content.note = script;
    (event.context as Record<string, unknown>).source = `https://ci.example/${encodeURIComponent(script)}`;
    const body = JSON.stringify(event);
    const { status, key } = await post(body);
    expect(status).toBe(200);
    const { text, contentType, payload } = await read(key);
    expect(contentType).toMatch(/^application\/json/);
    expect(payload).toEqual(event);
    // JSON escaping only: the markup comes back byte for byte once the JSON is parsed, and the
    // response is never HTML.
    expect(text).toContain(JSON.stringify(script).slice(1, -1));
    const list = await sendRaw(backend.url, { path: appPath, headers: proxy() });
    expect(list.headers['content-type']).toMatch(/^application\/json/);
    expect(list.text).toContain(JSON.stringify(script).slice(1, -1));
  });
});
