/**
 * In-process stand-ins for the two APIs the backfill reads, following their
 * documented behaviour closely enough for the client to be tested for real
 * over HTTP:
 *
 * Kubernetes API (list Applications, argoproj.io/v1alpha1):
 * - GET /apis/argoproj.io/v1alpha1/applications (all namespaces) and
 *   GET /apis/argoproj.io/v1alpha1/namespaces/<ns>/applications;
 * - `Authorization: Bearer <token>`: 401 Status without or with a wrong one,
 *   403 Status for a namespace the token may not list;
 * - `limit` + `continue` paging: metadata.continue is set while items remain,
 *   metadata.resourceVersion on every list; 404 Status for any other path.
 * Argo CD API: GET /api/v1/applications with a bearer token → {items}, 401 otherwise.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'http';
import type { AddressInfo } from 'net';
import type { Application } from '../../../src/backend/argocd';

export interface StandIn {
  url: string;
  /** Every request path with its query, in order. */
  requests: string[];
  setApplications(apps: Application[]): void;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A Kubernetes `Status` object, as the API server answers errors. */
function sendStatus(res: ServerResponse, code: number, reason: string, message: string): void {
  sendJson(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function wrap(server: Server, requests: string[], state: { apps: Application[] }): StandIn {
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    setApplications(apps) {
      state.apps = apps;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function startKubernetesStandIn(options: {
  token: string;
  apps: Application[];
  /** Namespaces the token may list; others get 403. */
  allowedNamespaces: string[];
}): Promise<StandIn> {
  const requests: string[] = [];
  const state = { apps: options.apps };
  let resourceVersion = 1000;
  const server = await listen((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    const match = /^\/apis\/argoproj\.io\/v1alpha1\/(?:namespaces\/([^/]+)\/)?applications$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) {
      sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
      return;
    }
    const namespace = match[1];
    const allowed = namespace ? options.allowedNamespaces.includes(namespace) : false;
    if (!allowed) {
      const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
      sendStatus(
        res,
        403,
        'Forbidden',
        `applications.argoproj.io is forbidden: User "system:serviceaccount:argocd:cdevents" cannot list resource "applications" in API group "argoproj.io" ${scope}`,
      );
      return;
    }
    const items = state.apps.filter((app) => app.metadata.namespace === namespace);
    const limit = Number(url.searchParams.get('limit') ?? '0') || items.length;
    const offset = Number(url.searchParams.get('continue') ?? '0');
    const page = items.slice(offset, offset + limit);
    const next = offset + limit < items.length ? String(offset + limit) : undefined;
    resourceVersion += 1;
    sendJson(res, 200, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationList',
      metadata: { resourceVersion: String(resourceVersion), ...(next ? { continue: next } : {}) },
      // Lists carry no kind/apiVersion per item.
      items: page.map((app) => {
        const item: Partial<Application> = { ...app };
        delete item.kind;
        delete item.apiVersion;
        return item;
      }),
    });
  });
  return wrap(server, requests, state);
}

export async function startArgocdStandIn(options: { token: string; apps: Application[] }): Promise<StandIn> {
  const requests: string[] = [];
  const state = { apps: options.apps };
  const server = await listen((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      sendJson(res, 401, { error: 'no session information', code: 16, message: 'no session information' });
      return;
    }
    if (req.method !== 'GET' || url.pathname !== '/api/v1/applications') {
      sendJson(res, 404, { error: 'Not Found', code: 5, message: 'Not Found' });
      return;
    }
    sendJson(res, 200, { metadata: { resourceVersion: '1' }, items: state.apps.length > 0 ? state.apps : null });
  });
  return wrap(server, requests, state);
}
