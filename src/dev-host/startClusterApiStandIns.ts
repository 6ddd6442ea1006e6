/**
 * In-process stand-ins for the Kubernetes API and the Argo CD API over one
 * shared cluster state, following the behaviour those APIs document, so the
 * triggers can be applied and run for real without a cluster (`npm start`, the
 * backend tests and the end-to-end test use them).
 *
 * Kubernetes API (bearer token; errors are `Status` objects):
 *   GET  /api/v1/namespaces/{ns}/configmaps/{name}          200 | 404 NotFound
 *   PUT  /api/v1/namespaces/{ns}/configmaps/{name}          200; 409 Conflict when metadata.resourceVersion is
 *                                                           not the current one (an empty one writes unconditionally)
 *   GET  /apis/argoproj.io/v1alpha1/namespaces/{ns}/applications/{name}   200 | 404
 *   PATCH the same with Content-Type application/merge-patch+json (RFC 7386); 415 for other patch types
 *   401 without the token; 403 Forbidden for a verb and resource listed in `forbidden` (e.g. "update configmaps").
 * Every write bumps the object's metadata.resourceVersion.
 *
 * Argo CD API (bearer token; errors are `{error, code, message}` with the gRPC code):
 *   GET   /api/v1/applications/{name}?appNamespace=&refresh=normal|hard   the Application (refresh recorded)
 *   POST  /api/v1/applications/{name}/sync      {revision?, prune, dryRun, infos?}: runs the sync to completion,
 *                                               to `revision`, else to spec.source.targetRevision resolved
 *   POST  /api/v1/applications/{name}/rollback  {id}: a sync to that history entry's revision and source
 *   PATCH /api/v1/applications/{name}           {patch, patchType: "merge"}
 *   401 without the token (code 16), 403 permission denied (code 7) for apps listed in `forbiddenApps`,
 *   404 not found (code 5). A finished sync sets operationState (with `info` from `infos`, as
 *   `argocd app sync --info` does), status.sync and a status.history entry whose `revision` is the synced
 *   one and whose `source` is the source synced as written: the spec, and its targetRevision, never change
 *   (so a rollback's entry equals the entry it went back to). After the API has answered, not inside the
 *   call, it calls `onApplicationChanged`, as the notifications controller would post the new state.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'http';
import type { AddressInfo } from 'net';

/** An Application or ConfigMap as the APIs hold them (only what the stand-ins touch is typed). */
export interface ClusterObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
  } & Record<string, unknown>;
  [key: string]: unknown;
}

export interface ClusterState {
  applications: Map<string, ClusterObject>;
  configMaps: Map<string, ClusterObject>;
  nextResourceVersion(): string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface ApiStandIn {
  url: string;
  token: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface KubernetesStandInOptions {
  state: ClusterState;
  token: string;
  /** "verb resource" pairs answered 403, e.g. "update configmaps", "patch applications". */
  forbidden?: string[];
  /** Called before a ConfigMap PUT is applied: a test writes here to make the PUT's resourceVersion stale. */
  beforeConfigMapWrite?: (state: ClusterState, key: string) => void;
}

export interface ArgocdStandInOptions {
  state: ClusterState;
  token: string;
  /** `<namespace>/<name>` of apps the token may not act on (403). */
  forbiddenApps?: string[];
  now?: () => Date;
  /**
   * After a sync or rollback finished: the Application as the notifications controller would send it,
   * called once the API call has answered (a failure is logged, as the controller would log it).
   */
  onApplicationChanged?: (application: ClusterObject) => void | Promise<void>;
  /** How long after the answer the notification is posted; default: on the next turn of the event loop. */
  notifyDelayMs?: number;
}

export function createClusterState(
  input: { applications?: ClusterObject[]; configMaps?: ClusterObject[] } = {},
): ClusterState {
  let version = 1000;
  const state: ClusterState = {
    applications: new Map(),
    configMaps: new Map(),
    nextResourceVersion: () => String((version += 1)),
  };
  for (const app of input.applications ?? []) {
    state.applications.set(`${app.metadata.namespace}/${app.metadata.name}`, {
      ...structuredClone(app),
      metadata: { ...structuredClone(app.metadata), resourceVersion: state.nextResourceVersion() },
    });
  }
  for (const map of input.configMaps ?? []) {
    state.configMaps.set(`${map.metadata.namespace}/${map.metadata.name}`, {
      ...structuredClone(map),
      metadata: { ...structuredClone(map.metadata), resourceVersion: state.nextResourceVersion() },
    });
  }
  return state;
}

/** RFC 7386 JSON merge patch: objects merge, null deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendStatus(res: ServerResponse, code: number, reason: string, message: string): void {
  sendJson(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

async function serve(
  requests: RecordedRequest[],
  token: string,
  onUnauthorized: (res: ServerResponse) => void,
  handle: (req: IncomingMessage, res: ServerResponse, url: URL, body: unknown) => Promise<void> | void,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    readBody(req)
      .then(async (body) => {
        requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, body });
        if (req.headers.authorization !== `Bearer ${token}`) return onUnauthorized(res);
        await handle(req, res, url, body);
      })
      .catch((error: unknown) => sendJson(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

export async function startKubernetesApiStandIn(options: KubernetesStandInOptions): Promise<ApiStandIn> {
  const requests: RecordedRequest[] = [];
  const { state } = options;
  const forbidden = new Set(options.forbidden ?? []);
  const { server, url } = await serve(
    requests,
    options.token,
    (res) => sendStatus(res, 401, 'Unauthorized', 'Unauthorized'),
    (req, res, requestUrl, body) => {
      const method = req.method ?? 'GET';
      const configMap = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/.exec(requestUrl.pathname);
      const application = /^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/([^/]+)\/applications\/([^/]+)$/.exec(
        requestUrl.pathname,
      );
      const match = configMap ?? application;
      if (!match) return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
      const resource = configMap ? 'configmaps' : 'applications';
      const group = configMap ? '' : 'argoproj.io';
      const verb = { GET: 'get', PUT: 'update', PATCH: 'patch' }[method];
      if (!verb) return sendStatus(res, 405, 'MethodNotAllowed', `${method} is not supported`);
      const [, namespace, name] = match;
      if (forbidden.has(`${verb} ${resource}`)) {
        return sendStatus(
          res,
          403,
          'Forbidden',
          `${resource}${group ? `.${group}` : ''} "${name}" is forbidden: User "system:serviceaccount:argocd:cdevents-backend" cannot ${verb} resource "${resource}" in API group "${group}" in the namespace "${namespace}"`,
        );
      }
      const store = configMap ? state.configMaps : state.applications;
      const key = `${namespace}/${name}`;
      const current = store.get(key);
      if (!current) return sendStatus(res, 404, 'NotFound', `${resource} "${name}" not found`);
      if (method === 'GET') return sendJson(res, 200, current);
      if (method === 'PUT') {
        options.beforeConfigMapWrite?.(state, key);
        const latest = store.get(key)!;
        const given = (body as ClusterObject | undefined)?.metadata?.resourceVersion;
        if (given && given !== latest.metadata.resourceVersion) {
          return sendStatus(
            res,
            409,
            'Conflict',
            `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          );
        }
        const next = structuredClone(body as ClusterObject);
        next.metadata = { ...next.metadata, name, namespace, resourceVersion: state.nextResourceVersion() };
        store.set(key, next);
        return sendJson(res, 200, next);
      }
      const contentType = String(req.headers['content-type'] ?? '').split(';')[0];
      if (contentType !== 'application/merge-patch+json') {
        return sendStatus(
          res,
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format: ${contentType}`,
        );
      }
      const next = applyMergePatch(current, body) as ClusterObject;
      next.metadata = { ...next.metadata, resourceVersion: state.nextResourceVersion() };
      store.set(key, next);
      return sendJson(res, 200, next);
    },
  );
  return { url, token: options.token, requests, close: () => closeServer(server) };
}

interface HistoryEntry {
  id: number;
  revision?: string;
  source?: Record<string, unknown>;
  deployedAt?: string;
  deployStartedAt?: string;
  [key: string]: unknown;
}

function sendArgocdError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { error: message, code, message });
}

export async function startArgocdApiStandIn(options: ArgocdStandInOptions): Promise<ApiStandIn> {
  const requests: RecordedRequest[] = [];
  const { state } = options;
  const now = options.now ?? (() => new Date());
  const forbiddenApps = new Set(options.forbiddenApps ?? []);

  /**
   * What spec.source.targetRevision resolves to. Argo CD resolves it against the repository on each
   * reconcile and keeps the result in status.sync.revision beside the source it compared
   * (status.sync.comparedTo); the stand-in has no repository, so that earlier resolution stands while
   * the spec's targetRevision is unchanged, and otherwise the name stands for itself.
   */
  function resolveTargetRevision(app: ClusterObject): string {
    const spec = (app.spec ?? {}) as { source?: Record<string, unknown> };
    const written = String(spec.source?.targetRevision ?? 'HEAD');
    const sync = (
      (app.status ?? {}) as { sync?: { revision?: string; comparedTo?: { source?: Record<string, unknown> } } }
    ).sync;
    const compared = sync?.comparedTo?.source?.targetRevision;
    if (sync?.revision && (compared === undefined || compared === written)) return sync.revision;
    return written;
  }

  /**
   * Runs a sync to completion as Argo CD's application controller would: to `revision` when given
   * (`argocd app sync --revision`), else to the spec's targetRevision, resolved; from `rollbackSource`
   * for a rollback, else from spec.source. The spec is never changed: the history entry and the
   * syncResult carry the resolved revision and the source as written (its targetRevision untouched).
   */
  function runSync(
    app: ClusterObject,
    request: { revision?: string; infos?: unknown; rollbackSource?: Record<string, unknown> },
    username: string,
  ): void {
    const status = (app.status ?? {}) as Record<string, unknown>;
    const spec = (app.spec ?? {}) as { source?: Record<string, unknown>; destination?: unknown };
    const resolvedSpecRevision = resolveTargetRevision(app);
    const target = request.revision ?? resolvedSpecRevision;
    const startedAt = now();
    const finishedAt = new Date(startedAt.getTime() + 1000);
    const history = Array.isArray(status.history) ? (status.history as HistoryEntry[]) : [];
    const nextId = history.reduce((max, entry) => Math.max(max, entry.id), -1) + 1;
    const source = request.rollbackSource ?? (spec.source ? structuredClone(spec.source) : undefined);
    app.status = {
      ...status,
      // After the sync Argo CD compares the live state with the spec again: a rollback or a sync to another
      // revision than the spec's leaves the app OutOfSync with status.sync.revision the spec's.
      sync: {
        ...(status.sync as object),
        status: target === resolvedSpecRevision ? 'Synced' : 'OutOfSync',
        revision: resolvedSpecRevision,
        comparedTo: {
          ...(spec.source ? { source: structuredClone(spec.source) } : {}),
          ...(spec.destination ? { destination: structuredClone(spec.destination) } : {}),
        },
      },
      health: { status: 'Healthy', lastTransitionTime: finishedAt.toISOString() },
      operationState: {
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        operation: {
          sync: { revision: target, ...(request.rollbackSource ? { source: request.rollbackSource } : {}) },
          initiatedBy: { username },
          ...(Array.isArray(request.infos) && request.infos.length > 0 ? { info: request.infos } : {}),
        },
        syncResult: { revision: target, ...(source ? { source } : {}) },
      },
      history: [
        ...history,
        {
          id: nextId,
          revision: target,
          ...(source ? { source } : {}),
          deployStartedAt: startedAt.toISOString(),
          deployedAt: finishedAt.toISOString(),
          initiatedBy: { username },
        },
      ].slice(-10),
      reconciledAt: finishedAt.toISOString(),
    };
    app.metadata = { ...app.metadata, resourceVersion: state.nextResourceVersion() };
  }

  /**
   * Argo CD's notifications controller watches Applications and posts a finished operation's state on its
   * own, after the API call that started the operation has answered: never inside that call.
   */
  function notifyAfterAnswer(res: ServerResponse, app: ClusterObject): void {
    if (!options.onApplicationChanged) return;
    const snapshot = structuredClone(app);
    const post = () => {
      const run = () =>
        Promise.resolve(options.onApplicationChanged?.(snapshot)).catch((error: unknown) =>
          console.warn(`Argo CD API stand-in: posting the notification failed: ${String(error)}`),
        );
      if (options.notifyDelayMs) setTimeout(() => void run(), options.notifyDelayMs);
      else setImmediate(() => void run());
    };
    if (res.writableFinished) post();
    else res.once('finish', post);
  }

  const { server, url } = await serve(
    requests,
    options.token,
    (res) => sendArgocdError(res, 401, 16, 'no session information'),
    async (req, res, requestUrl, body) => {
      const match = /^\/api\/v1\/applications\/([^/]+)(\/sync|\/rollback)?$/.exec(requestUrl.pathname);
      if (!match) return sendArgocdError(res, 404, 5, 'Not Found');
      const name = decodeURIComponent(match[1]!);
      const namespace =
        requestUrl.searchParams.get('appNamespace') ?? (body as { appNamespace?: string })?.appNamespace ?? 'argocd';
      const key = `${namespace}/${name}`;
      const app = state.applications.get(key);
      if (!app) return sendArgocdError(res, 404, 5, `applications.argoproj.io "${name}" not found`);
      const method = req.method ?? 'GET';
      const action = match[2] ? match[2].slice(1) : method === 'GET' ? 'get' : method === 'PATCH' ? 'update' : '';
      if (!action) return sendArgocdError(res, 404, 5, 'Not Found');
      if (forbiddenApps.has(key)) {
        const project = (app.spec as { project?: string } | undefined)?.project ?? 'default';
        return sendArgocdError(
          res,
          403,
          7,
          `permission denied: applications, ${action}, ${project}/${name}, sub: cdevents-backend`,
        );
      }
      const request = (body ?? {}) as {
        revision?: string;
        infos?: unknown;
        id?: number;
        patch?: string;
        patchType?: string;
      };
      if (method === 'GET' && !match[2]) return sendJson(res, 200, app);
      if (method === 'POST' && match[2] === '/sync') {
        runSync(app, { revision: request.revision || undefined, infos: request.infos }, 'cdevents-backend');
        sendJson(res, 200, app);
        return notifyAfterAnswer(res, app);
      }
      if (method === 'POST' && match[2] === '/rollback') {
        const history = ((app.status as { history?: HistoryEntry[] } | undefined)?.history ?? []) as HistoryEntry[];
        const entry = history.find((item) => item.id === request.id);
        if (!entry)
          return sendArgocdError(
            res,
            404,
            5,
            `application ${name} does not have deployment with id ${String(request.id)}`,
          );
        // Argo CD's rollback syncs to the entry's revision from the entry's source, leaving the spec as it is.
        runSync(
          app,
          { revision: entry.revision, rollbackSource: entry.source ? structuredClone(entry.source) : undefined },
          'cdevents-backend',
        );
        sendJson(res, 200, app);
        return notifyAfterAnswer(res, app);
      }
      if (method === 'PATCH' && !match[2]) {
        if (request.patchType !== 'merge' || typeof request.patch !== 'string') {
          return sendArgocdError(res, 400, 3, 'patch type must be "merge" or "json" with a patch string');
        }
        const next = applyMergePatch(app, JSON.parse(request.patch)) as ClusterObject;
        next.metadata = { ...next.metadata, resourceVersion: state.nextResourceVersion() };
        state.applications.set(key, next);
        return sendJson(res, 200, next);
      }
      return sendArgocdError(res, 404, 5, 'Not Found');
    },
  );
  return { url, token: options.token, requests, close: () => closeServer(server) };
}

export interface LocalClusterStandIns {
  /** Backend settings that point it at the stand-ins (and let the stand-in's user edit triggers). */
  env: Record<string, string>;
  state: ClusterState;
  /** Where finished syncs are posted, as Argo CD's notification controller would (set once the backend listens). */
  setNotificationsUrl(url: string): void;
  close(): Promise<void>;
}

/**
 * Both stand-ins over the sample Applications and an argocd-notifications-cm
 * holding one operator entry of its own, for `npm start` and the end-to-end
 * test: the Triggers panel then writes annotations and ConfigMap keys, and an
 * inbound rule's sync finishes and is notified back like in a cluster.
 */
export async function startLocalClusterStandIns(input: {
  /** Application objects as the Kubernetes API holds them (the sample apps). */
  applications: readonly object[];
  namespace: string;
  /** Who may edit triggers in the demo (CDEVENTS_TRIGGER_EDITORS). */
  editors: string;
}): Promise<LocalClusterStandIns> {
  const state = createClusterState({
    applications: input.applications as ClusterObject[],
    configMaps: [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'argocd-notifications-cm', namespace: input.namespace },
        data: { 'service.slack': 'token: $slack-token\n' },
      },
    ],
  });
  let notificationsUrl: string | undefined;
  const kubernetes = await startKubernetesApiStandIn({ state, token: 'local-kubernetes-token' });
  const argocd = await startArgocdApiStandIn({
    state,
    token: 'local-argocd-token',
    // In a cluster the operation and the notification take seconds after the API answered, so the backend has
    // recorded what it did by then (a rollback carries no operation info naming its cause).
    notifyDelayMs: 250,
    onApplicationChanged: async (application) => {
      if (!notificationsUrl) return;
      await fetch(notificationsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ app: application, context: { notificationType: 'cdevents' } }),
      });
    },
  });
  return {
    env: {
      CDEVENTS_KUBERNETES_URL: kubernetes.url,
      CDEVENTS_KUBERNETES_TOKEN: kubernetes.token,
      CDEVENTS_ARGOCD_URL: argocd.url,
      CDEVENTS_ARGOCD_TOKEN: argocd.token,
      CDEVENTS_ARGOCD_NAMESPACE: input.namespace,
      CDEVENTS_TRIGGER_EDITORS: input.editors,
    },
    state,
    setNotificationsUrl(url) {
      notificationsUrl = url;
    },
    async close() {
      await kubernetes.close();
      await argocd.close();
    },
  };
}
