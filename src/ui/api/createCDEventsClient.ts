import type { ChainResponse, DeliveriesResponse, EventListResponse, EventRecord } from '../../backend/api/contract';
import { buildApiUrl } from './buildApiUrl';
import { parseErrorResponse } from './parseErrorResponse';
import type {
  ApiResult,
  AppKey,
  CDEventsApi,
  ChainQuery,
  DeliveriesResult,
  EventListQuery,
  EventListResult,
  RequestOptions,
  SinkDelivery,
} from './types';

/** The delivery route's list (DeliveriesResponse.items), read defensively: rows without a sink name are dropped. */
function readDeliveries(body: unknown): SinkDelivery[] {
  const items = typeof body === 'object' && body !== null ? (body as Partial<DeliveriesResponse>).items : undefined;
  return Array.isArray(items)
    ? items.filter(
        (item): item is SinkDelivery => typeof item === 'object' && item !== null && typeof item.sink === 'string',
      )
    : [];
}

export interface CDEventsClientOptions {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Defaults to document.baseURI, read on every call (Argo CD may change it on navigation). */
  baseURI?: () => string;
}

/** The headers Argo CD's proxy extension requires (it answers 400 "Invalid headers" without them). */
export function buildProxyHeaders(app: AppKey): Record<string, string> {
  return {
    'Argocd-Application-Name': `${app.namespace}:${app.name}`,
    'Argocd-Project-Name': app.project,
    Accept: 'application/json',
  };
}

/**
 * The HTTP implementation of CDEventsApi. Requests go through Argo CD's proxy with the
 * default fetch credentials, so the argocd.token cookie (httpOnly, same origin) is sent.
 */
export function createCDEventsClient(options: CDEventsClientOptions = {}): CDEventsApi {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const baseURI = options.baseURI ?? (() => document.baseURI);

  async function request(app: AppKey, url: string, requestOptions: RequestOptions): Promise<ApiResult<Response>> {
    const headers = buildProxyHeaders(app);
    if (requestOptions.etag) headers['If-None-Match'] = requestOptions.etag;
    let response: Response;
    try {
      response = await doFetch(url, { headers, signal: requestOptions.signal });
    } catch (cause) {
      return { ok: false, error: { kind: 'network', message: cause instanceof Error ? cause.message : String(cause) } };
    }
    if (response.status === 304 || response.ok) return { ok: true, value: response };
    return { ok: false, error: parseErrorResponse(response.status, await response.text().catch(() => '')) };
  }

  async function readJson<T>(response: Response): Promise<ApiResult<T>> {
    try {
      return { ok: true, value: (await response.json()) as T };
    } catch {
      return { ok: false, error: { kind: 'unexpected', status: response.status, message: 'the answer is not JSON' } };
    }
  }

  return {
    async listEvents(app: AppKey, query: EventListQuery, requestOptions: RequestOptions = {}) {
      const url = buildApiUrl(['applications', app.namespace, app.name, 'events'], { ...query }, baseURI());
      const result = await request(app, url, requestOptions);
      if (!result.ok) return result;
      if (result.value.status === 304) return { ok: true, value: { status: 'not-modified' } };
      const body = await readJson<EventListResponse>(result.value);
      if (!body.ok) return body;
      const value: EventListResult = { status: 'page', page: body.value, etag: result.value.headers.get('ETag') };
      return { ok: true, value };
    },

    async getEvent(app: AppKey, key: string, requestOptions: RequestOptions = {}) {
      const result = await request(app, buildApiUrl(['events', key], {}, baseURI()), requestOptions);
      return result.ok ? readJson<EventRecord>(result.value) : result;
    },

    async getDeliveries(app: AppKey, key: string, requestOptions: RequestOptions = {}) {
      const result = await request(app, buildApiUrl(['events', key, 'deliveries'], {}, baseURI()), requestOptions);
      if (!result.ok) {
        // A backend without the delivery log answers 404. Any 404 will do here: had the proxy
        // not known the extension, the list itself would have failed before a drawer opened.
        if (
          (result.error.kind === 'backend' && result.error.status === 404) ||
          result.error.kind === 'extension-missing'
        ) {
          return { ok: true, value: { status: 'not-available' } as DeliveriesResult };
        }
        return result;
      }
      const body = await readJson<unknown>(result.value);
      if (!body.ok) return body;
      return { ok: true, value: { status: 'available', deliveries: readDeliveries(body.value) } as DeliveriesResult };
    },

    async getChain(app: AppKey, key: string, query: ChainQuery = {}, requestOptions: RequestOptions = {}) {
      const url = buildApiUrl(['events', key, 'chain'], { depth: query.depth, limit: query.limit }, baseURI());
      const result = await request(app, url, requestOptions);
      return result.ok ? readJson<ChainResponse>(result.value) : result;
    },
  };
}
