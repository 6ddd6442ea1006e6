import type { AppDashboardResponse } from '../../../backend/api/contract';
import { buildApiUrl } from '../../api/buildApiUrl';
import { buildProxyHeaders } from '../../api/createCDEventsClient';
import { parseErrorResponse } from '../../api/parseErrorResponse';
import type { ApiResult, AppKey } from '../../api/types';

/**
 * One app's dashboard data, through Argo CD's proxy with that app's headers, so
 * Argo CD checks that this user may `get` this app before the backend answers.
 */
export async function fetchAppDashboard(
  app: AppKey,
  options: { hours?: number; fetch?: typeof fetch; baseURI?: string; signal?: AbortSignal } = {},
): Promise<ApiResult<AppDashboardResponse>> {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const url = buildApiUrl(
    ['applications', app.namespace, app.name, 'dashboard'],
    { hours: options.hours },
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
    return { ok: true, value: JSON.parse(text) as AppDashboardResponse };
  } catch {
    return { ok: false, error: { kind: 'unexpected', status: response.status, message: 'the answer is not JSON' } };
  }
}
