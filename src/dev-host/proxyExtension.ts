/**
 * The proxy extension of argocd-server (server/extension/extension.go), for one
 * extension backed by one service:
 *  - auth first: the `argocd.token` cookie must be there (400 "Auth cookie not found")
 *    and valid (401 "Invalid token"); a Bearer header is not accepted on this route;
 *  - `Argocd-Application-Name: <ns>:<name>` and `Argocd-Project-Name` are required
 *    and validated (400 "Invalid headers: …");
 *  - the app must exist and belong to that project (401 "Unauthorized extension request");
 *  - an extension that is not configured is 404 "Extension not found";
 *  - then `/extensions/<name>` is stripped, Cookie and Authorization are removed,
 *    Argocd-Namespace, Argocd-Target-Cluster-URL, Argocd-Username, Argocd-User-Groups and
 *    Argocd-User-Id (3.2+) are set (overwriting what the client sent) and the configured headers are added.
 * Errors are plain text with a trailing newline, as Go's http.Error writes them.
 */
import { request, type IncomingMessage, type ServerResponse } from 'http';

export const EXTENSIONS_PREFIX = '/extensions';
export const AUTH_COOKIE = 'argocd.token';

export interface ProxiedApplication {
  metadata: { name: string; namespace: string };
  spec: { project: string; destination: { server?: string; name?: string } };
}

export interface ExtensionProxyOptions {
  /** The extension name, as in `extension.config.<name>`. */
  name: string;
  /** The backend service URL (`services[0].url`). */
  backendUrl: string;
  /** `services[0].headers`, set on every proxied request (e.g. the shared secret). */
  headers: Array<{ name: string; value: string }>;
  /** argocd-server's own namespace, sent as Argocd-Namespace. */
  controlPlaneNamespace: string;
  /** The value of the argocd.token cookie the host page issued. */
  sessionToken: string;
  /** The logged-in user the stand-in pretends to be (id: the token's `sub` claim). */
  user: { username: string; groups: string[]; id?: string };
  findApplication(namespace: string, name: string): ProxiedApplication | undefined;
}

// DNS-1123 label (namespaces) and subdomain (apps, projects), as argo.IsValid*Name check them.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

// Hop-by-hop headers Go's ReverseProxy never forwards.
const HOP_BY_HOP = [
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

export interface RequestResources {
  namespace: string;
  name: string;
  project: string;
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** ValidateHeaders: returns the app and project named by the headers, or throws with Argo CD's message. */
export function validateProxyHeaders(req: IncomingMessage): RequestResources {
  const appHeader = header(req, 'Argocd-Application-Name');
  if (appHeader === '') throw new Error('header "Argocd-Application-Name" must be provided');
  const parts = appHeader.split(':');
  if (parts.length !== 2) {
    throw new Error(
      'error getting app details: invalid value for "Argocd-Application-Name" header: expected format: <namespace>:<app-name>',
    );
  }
  const [namespace, name] = parts;
  if (!DNS_LABEL.test(namespace)) throw new Error('invalid value for namespace');
  if (!DNS_SUBDOMAIN.test(name)) throw new Error('invalid value for application name');
  const project = header(req, 'Argocd-Project-Name');
  if (project === '') throw new Error('header "Argocd-Project-Name" must be provided');
  if (!DNS_SUBDOMAIN.test(project)) throw new Error('invalid value for project name');
  return { namespace, name, project };
}

/** Reads one cookie; Argo CD splits long tokens into name, name-1, … and joins them back. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const cookies = new Map<string, string>();
  for (const part of header(req, 'cookie').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  if (!cookies.has(name)) return undefined;
  let value = cookies.get(name) ?? '';
  for (let i = 1; cookies.has(`${name}-${i}`); i++) value += cookies.get(`${name}-${i}`);
  return value;
}

function sendPlain(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(`${message}\n`);
}

/** Handles one request under /extensions/. */
export function handleExtensionRequest(
  options: ExtensionProxyOptions,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const token = readCookie(req, AUTH_COOKIE);
  if (token === undefined) return sendPlain(res, 400, 'Auth cookie not found');
  if (token !== options.sessionToken) return sendPlain(res, 401, 'Invalid token');

  const url = new URL(req.url ?? '/', 'http://stand-in');
  const segments = url.pathname.replace(/^\//, '').split('/');
  const extName = (segments[1] ?? '').replace(/[\r\n]/g, '');
  if (extName === '') return sendPlain(res, 400, 'Invalid URL: extension name must be provided');

  let resources: RequestResources;
  try {
    resources = validateProxyHeaders(req);
  } catch (error) {
    return sendPlain(res, 400, `Invalid headers: ${(error as Error).message}`);
  }
  const app = options.findApplication(resources.namespace, resources.name);
  if (!app || app.spec.project !== resources.project) return sendPlain(res, 401, 'Unauthorized extension request');
  if (extName !== options.name) return sendPlain(res, 404, 'Extension not found');

  const backend = new URL(options.backendUrl);
  const strippedPath = url.pathname.slice(`${EXTENSIONS_PREFIX}/${extName}`.length) || '/';
  const headers: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.includes(key)) headers[key] = value;
  }
  delete headers.cookie;
  delete headers.authorization;
  headers.host = backend.host;
  const forwardedFor = header(req, 'x-forwarded-for');
  const clientIp = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${clientIp}` : clientIp;
  headers['argocd-namespace'] = options.controlPlaneNamespace;
  if (app.spec.destination.name) headers['argocd-target-cluster-name'] = app.spec.destination.name;
  if (app.spec.destination.server) headers['argocd-target-cluster-url'] = app.spec.destination.server;
  headers['argocd-username'] = options.user.username;
  if (options.user.id) headers['argocd-user-id'] = options.user.id;
  if (options.user.groups.length > 0) headers['argocd-user-groups'] = options.user.groups.join(',');
  for (const configured of options.headers) headers[configured.name.toLowerCase()] = configured.value;

  const upstream = request(
    {
      protocol: backend.protocol,
      hostname: backend.hostname,
      port: backend.port,
      method: req.method,
      path: `${backend.pathname.replace(/\/$/, '')}${strippedPath}${url.search}`,
      headers,
    },
    (response) => {
      const out: Record<string, string | string[]> = {};
      for (const [key, value] of Object.entries(response.headers)) {
        if (value !== undefined && !HOP_BY_HOP.includes(key)) out[key] = value;
      }
      res.writeHead(response.statusCode ?? 502, out);
      response.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    // Go's ReverseProxy answers 502 with an empty body and logs the cause.
    console.error(`dev-host: proxy to ${options.backendUrl} failed: ${error.message}`);
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}
