/**
 * The one client for Argo CD's API and the Kubernetes API. Every call goes
 * through `requestJson`, which builds the URL (buildApiUrl: no doubled or
 * trailing slashes), sends the bearer token, bounds the wait, and turns a
 * refusal into a typed error whose message says which call failed and what to
 * fix (processResponse, formatRequestContext). Tokens never appear in errors.
 *
 * Modes:
 * - kubernetes: `GET /apis/argoproj.io/v1alpha1[/namespaces/<ns>]/applications`,
 *   paged with `limit` and `continue` as the API documents. In a pod the URL and
 *   token default to the service account's (config.ts, readServiceAccountToken);
 *   the cluster CA is trusted through NODE_EXTRA_CA_CERTS.
 * - argocd: `GET /api/v1/applications` on argocd-server with an API token.
 */
import { readFileSync } from 'fs';
import { AppError } from '../errors';
import { type Application, isApplication } from './application';

export type ArgocdApiKind = 'kubernetes' | 'argocd';

/** The upstream refused or failed. 502: the backend is fine, the API it depends on is not. */
export class UpstreamError extends AppError {
  override readonly name: string = 'UpstreamError';
  readonly statusCode: number = 502;
  constructor(
    message: string,
    readonly upstreamStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 401 from the upstream: the token is missing, expired or wrong. */
export class UpstreamUnauthorizedError extends UpstreamError {
  override readonly name = 'UpstreamUnauthorizedError';
}

/** 403 from the upstream: the token is valid but may not do this. */
export class UpstreamForbiddenError extends UpstreamError {
  override readonly name = 'UpstreamForbiddenError';
}

/** 404 from the upstream: a wrong URL, or the Application CRD or namespace does not exist. */
export class UpstreamNotFoundError extends UpstreamError {
  override readonly name = 'UpstreamNotFoundError';
}

/** 409 from the upstream: a write based on a stale resourceVersion (re-read and retry). */
export class UpstreamConflictError extends UpstreamError {
  override readonly name = 'UpstreamConflictError';
}

export interface ArgocdClientOptions {
  kind: ArgocdApiKind;
  /** The API's base URL, e.g. https://kubernetes.default.svc or https://argocd.example.com. */
  baseUrl: string;
  token?: string;
  /** Kubernetes only: the namespaces to list Applications in; empty lists every namespace. */
  namespaces?: string[];
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Kubernetes only: the page size of list calls; default 200. */
  pageSize?: number;
  fetch?: typeof fetch;
}

export interface ArgocdClient {
  readonly kind: ArgocdApiKind;
  /** Every Application the configured API shows, with its status.history. */
  listApplications(): Promise<Application[]>;
}

/** Joins a base URL and path segments with single slashes, encoding each segment, plus a query without undefined values. */
export function buildApiUrl(
  baseUrl: string,
  segments: readonly string[],
  query: Record<string, string | number | undefined> = {},
): string {
  const base = baseUrl.replace(/\/+$/, '');
  const path = segments
    .flatMap((segment) => segment.split('/'))
    .filter((segment) => segment.length > 0)
    .map(encodeURIComponent)
    .join('/');
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
  const queryText = search.toString();
  return `${base}${path ? `/${path}` : ''}${queryText ? `?${queryText}` : ''}`;
}

/** "GET https://host/path (Kubernetes API)": which call, without query secrets (we send none) or tokens. */
export function formatRequestContext(kind: ArgocdApiKind, method: string, url: string): string {
  const label = kind === 'kubernetes' ? 'Kubernetes API' : 'Argo CD API';
  return `${method} ${url.split('?')[0]} (${label})`;
}

const hints: Record<ArgocdApiKind, Record<number, string>> = {
  kubernetes: {
    401: 'check the service account token (CDEVENTS_KUBERNETES_TOKEN_FILE)',
    403: 'the service account needs get and list on applications.argoproj.io',
    404: 'check CDEVENTS_KUBERNETES_URL and CDEVENTS_BACKFILL_NAMESPACES, and that Argo CD is installed',
  },
  argocd: {
    401: 'check CDEVENTS_ARGOCD_TOKEN (an Argo CD API token)',
    403: "the token's account needs applications, get in Argo CD's RBAC",
    404: 'check CDEVENTS_ARGOCD_URL (argocd-server, with its --rootpath if any)',
  },
};

async function readErrorDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = typeof body.message === 'string' ? body.message : typeof body.error === 'string' ? body.error : '';
    return message.slice(0, 300);
  } catch {
    return text.slice(0, 300);
  }
}

/** Turns a non-2xx answer into a typed error naming the call, the status and the fix; passes 2xx through. */
export async function processResponse(
  kind: ArgocdApiKind,
  method: string,
  url: string,
  response: Response,
  hintOverrides: Partial<Record<number, string>> = {},
): Promise<Response> {
  if (response.ok) return response;
  const detail = await readErrorDetail(response);
  const hint = hintOverrides[response.status] ?? hints[kind][response.status];
  const message =
    `${formatRequestContext(kind, method, url)} answered ${response.status}` +
    `${detail ? `: ${detail}` : ''}${hint ? ` (${hint})` : ''}`;
  switch (response.status) {
    case 401:
      throw new UpstreamUnauthorizedError(message, 401);
    case 403:
      throw new UpstreamForbiddenError(message, 403);
    case 404:
      throw new UpstreamNotFoundError(message, 404);
    case 409:
      throw new UpstreamConflictError(message, 409);
    default:
      throw new UpstreamError(message, response.status);
  }
}

/** The service account token a pod is given, or undefined outside a pod. */
export function readServiceAccountToken(path: string): string | undefined {
  try {
    const token = readFileSync(path, 'utf8').trim();
    return token.length > 0 ? token : undefined;
  } catch {
    return undefined;
  }
}

interface ListBody {
  items?: unknown;
  metadata?: { continue?: unknown };
}

export function createArgocdClient(options: ArgocdClientOptions): ArgocdClient {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function requestJson(url: string): Promise<ListBody> {
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'GET',
        headers: {
          accept: 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new UpstreamError(`${formatRequestContext(options.kind, 'GET', url)} failed: ${reason}`, undefined, {
        cause,
      });
    }
    await processResponse(options.kind, 'GET', url, response);
    try {
      return (await response.json()) as ListBody;
    } catch (cause) {
      throw new UpstreamError(
        `${formatRequestContext(options.kind, 'GET', url)} answered with a body that is not JSON`,
        200,
        {
          cause,
        },
      );
    }
  }

  function readItems(body: ListBody): Application[] {
    // Argo CD answers `"items": null` when there are no apps.
    return Array.isArray(body.items) ? body.items.filter(isApplication) : [];
  }

  async function listKubernetes(namespace: string | undefined): Promise<Application[]> {
    const segments = ['apis/argoproj.io/v1alpha1', ...(namespace ? ['namespaces', namespace] : []), 'applications'];
    const apps: Application[] = [];
    let continueToken: string | undefined;
    // Bounded: a server that keeps handing out continue tokens cannot loop us forever.
    for (let page = 0; page < 10_000; page += 1) {
      const body = await requestJson(
        buildApiUrl(options.baseUrl, segments, { limit: options.pageSize ?? 200, continue: continueToken }),
      );
      apps.push(...readItems(body));
      const next = body.metadata?.continue;
      if (typeof next !== 'string' || next.length === 0) return apps;
      continueToken = next;
    }
    throw new UpstreamError(`${formatRequestContext('kubernetes', 'GET', options.baseUrl)} paged without end`);
  }

  return {
    kind: options.kind,
    async listApplications() {
      if (options.kind === 'argocd')
        return readItems(await requestJson(buildApiUrl(options.baseUrl, ['api/v1/applications'])));
      const namespaces = options.namespaces?.length ? options.namespaces : [undefined];
      const lists = [];
      for (const namespace of namespaces) lists.push(await listKubernetes(namespace));
      return lists.flat();
    },
  };
}

/** One call of createApiRequester: the path as segments (each encoded), a JSON body, and hints for refusals. */
export interface ApiCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  segments: readonly string[];
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Default application/json; the Kubernetes API takes application/merge-patch+json for merge patches. */
  contentType?: string;
  /** What to do about a 403 or 404 of this call (the read-only defaults above speak of get and list). */
  hints?: Partial<Record<number, string>>;
}

export interface ApiRequester {
  readonly kind: ArgocdApiKind;
  /** The parsed JSON answer (undefined for an empty one). @throws UpstreamError and its typed subclasses. */
  call<T = unknown>(call: ApiCall): Promise<T>;
}

/**
 * Calls of any method on the Argo CD or Kubernetes API, with the same URL
 * building, token, timeout and typed errors as the list calls above (triggers
 * use it to patch Applications and argocd-notifications-cm, and to sync).
 */
export function createApiRequester(
  options: Pick<ArgocdClientOptions, 'kind' | 'baseUrl' | 'token' | 'timeoutMs' | 'fetch'>,
): ApiRequester {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    kind: options.kind,
    async call<T>(call: ApiCall): Promise<T> {
      const url = buildApiUrl(options.baseUrl, call.segments, call.query);
      let response: Response;
      try {
        response = await doFetch(url, {
          method: call.method,
          headers: {
            accept: 'application/json',
            ...(call.body !== undefined ? { 'content-type': call.contentType ?? 'application/json' } : {}),
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          },
          ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (cause) {
        const reason = cause instanceof Error ? cause.message : String(cause);
        throw new UpstreamError(
          `${formatRequestContext(options.kind, call.method, url)} failed: ${reason}`,
          undefined,
          {
            cause,
          },
        );
      }
      await processResponse(options.kind, call.method, url, response, call.hints);
      const text = await response.text();
      if (text.trim() === '') return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch (cause) {
        throw new UpstreamError(
          `${formatRequestContext(options.kind, call.method, url)} answered with a body that is not JSON`,
          response.status,
          { cause },
        );
      }
    },
  };
}
