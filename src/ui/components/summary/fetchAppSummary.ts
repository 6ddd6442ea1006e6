import type { AppSummaryResponse } from '../../../backend/api/contract';
import { buildApiUrl } from '../../api/buildApiUrl';
import { buildProxyHeaders } from '../../api/createCDEventsClient';
import { parseErrorResponse } from '../../api/parseErrorResponse';
import type { ApiResult, AppKey } from '../../api/types';

export interface FetchAppSummaryOptions {
  /** `30d`, `12h`; the backend's default (30d) when undefined. */
  window?: string;
  fetch?: typeof fetch;
  /** Defaults to document.baseURI. */
  baseURI?: string;
  signal?: AbortSignal;
}

/** The app's summary strip figures, through Argo CD's proxy with the app's headers. */
export async function fetchAppSummary(
  app: AppKey,
  options: FetchAppSummaryOptions = {},
): Promise<ApiResult<AppSummaryResponse>> {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const url = buildApiUrl(
    ['applications', app.namespace, app.name, 'summary'],
    { window: options.window },
    options.baseURI ?? document.baseURI,
  );
  let response: Response;
  try {
    response = await doFetch(url, { headers: buildProxyHeaders(app), signal: options.signal });
  } catch (cause) {
    return { ok: false, error: { kind: 'network', message: cause instanceof Error ? cause.message : String(cause) } };
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) return { ok: false, error: parseErrorResponse(response.status, text) };
  try {
    return { ok: true, value: JSON.parse(text) as AppSummaryResponse };
  } catch {
    return { ok: false, error: { kind: 'unexpected', status: response.status, message: 'the answer is not JSON' } };
  }
}
