/**
 * An Argo CD API stand-in that can also create, delete and list Applications,
 * for preview environments (use case 5), composed over the shared stand-in of
 * startClusterApiStandIns.ts and its cluster state, following the Argo CD API:
 *
 *   POST   /api/v1/applications?upsert=true   the Application (body); without upsert an existing
 *                                             one is 400 (code 3); upsert keeps the live status
 *   GET    /api/v1/applications?selector=a=b,c=d   `{items}` with those labels; `"items": null` when none
 *   DELETE /api/v1/applications/{name}?appNamespace=&cascade=   `{}`; 404 (code 5) when missing
 *
 * Everything else (get, sync, rollback, patch) goes to the shared stand-in. No product logic here.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { type ApiStandIn, type ClusterObject, type ClusterState, applyMergePatch } from './startClusterApiStandIns';

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/**
 * Create, delete and list as the Argo CD API answers them (gRPC-style errors;
 * upsert keeps the live status; delete of a missing app is 404 code 5), and
 * everything else forwarded to the shared stand-in over the same cluster state.
 */
export async function startPreviewApiStandIn(options: {
  state: ClusterState;
  /** The shared Argo CD API stand-in over the same state: sync, rollback, get and patch go there. */
  shared: ApiStandIn;
  token: string;
  /** After a delete: the Application with metadata.deletionTimestamp, as the notifications controller would send it. */
  onDeleted?: (application: ClusterObject) => void | Promise<void>;
}): Promise<{ url: string; close(): Promise<void> }> {
  const { state, shared, token } = options;
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.headers.authorization !== `Bearer ${token}`)
        return send(res, 401, { error: 'no session information', code: 16 });
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const body = await readBody(req);
      if (url.pathname === '/api/v1/applications' && req.method === 'POST') {
        const app = body as ClusterObject;
        const key = `${app.metadata.namespace ?? 'argocd'}/${app.metadata.name}`;
        const existing = state.applications.get(key);
        if (existing && url.searchParams.get('upsert') !== 'true') {
          return send(res, 400, {
            error: 'existing application spec is different, use upsert flag to force update',
            code: 3,
          });
        }
        const next = {
          ...app,
          status: existing?.status ?? {},
          metadata: {
            ...app.metadata,
            uid: existing?.metadata.uid ?? `uid-${app.metadata.name}`,
            resourceVersion: state.nextResourceVersion(),
          },
        };
        state.applications.set(key, next);
        return send(res, 200, next);
      }
      if (url.pathname === '/api/v1/applications' && req.method === 'GET') {
        const wanted = (url.searchParams.get('selector') ?? '')
          .split(',')
          .filter(Boolean)
          .map((pair) => pair.split('='));
        const items = [...state.applications.values()].filter((app) =>
          wanted.every(
            ([label, value]) => (app.metadata.labels as Record<string, string> | undefined)?.[label!] === value,
          ),
        );
        return send(res, 200, { metadata: {}, items: items.length > 0 ? items : null });
      }
      const deleted = /^\/api\/v1\/applications\/([^/]+)$/.exec(url.pathname);
      if (deleted && req.method === 'DELETE') {
        const key = `${url.searchParams.get('appNamespace') ?? 'argocd'}/${decodeURIComponent(deleted[1]!)}`;
        const app = state.applications.get(key);
        if (!app) return send(res, 404, { error: `applications.argoproj.io "${deleted[1]}" not found`, code: 5 });
        state.applications.delete(key);
        await options.onDeleted?.(
          applyMergePatch(app, { metadata: { deletionTimestamp: new Date().toISOString() } }) as ClusterObject,
        );
        return send(res, 200, {});
      }
      const forwarded = await fetch(`${shared.url}${url.pathname}${url.search}`, {
        method: req.method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      res.writeHead(forwarded.status, { 'content-type': 'application/json' });
      res.end(await forwarded.text());
    })().catch((error: unknown) => send(res, 500, { error: String(error), code: 13 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
