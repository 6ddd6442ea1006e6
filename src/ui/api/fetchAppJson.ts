import { buildApiUrl, type QueryValue } from './buildApiUrl';
import { buildProxyHeaders } from './createCDEventsClient';
import { parseErrorResponse } from './parseErrorResponse';
import type { ApiResult, AppKey } from './types';

export interface FetchAppJsonOptions {
  fetch?: typeof fetch;
  /** Defaults to document.baseURI. */
  baseURI?: string;
  signal?: AbortSignal;
}

/**
 * GETs one of an app's routes (`applications/<namespace>/<name>/<route>`) through Argo CD's
 * proxy with that app's headers, so Argo CD checks that this user may `get` this app before
 * the backend answers. Failures come back as an ApiError, never thrown: a view shows them.
 */
export async function fetchAppJson<T>(
  app: AppKey,
  route: string,
  query: Readonly<Record<string, QueryValue>>,
  options: FetchAppJsonOptions = {},
): Promise<ApiResult<T>> {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const url = buildApiUrl(['applications', app.namespace, app.name, route], query, options.baseURI ?? document.baseURI);
  let response: Response;
  try {
    response = await doFetch(url, { headers: buildProxyHeaders(app), signal: options.signal });
  } catch (cause) {
    return { ok: false, error: { kind: 'network', message: cause instanceof Error ? cause.message : String(cause) } };
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) return { ok: false, error: parseErrorResponse(response.status, text) };
  try {
    return { ok: true, value: JSON.parse(text) as T };
  } catch {
    return { ok: false, error: { kind: 'unexpected', status: response.status, message: 'the answer is not JSON' } };
  }
}
