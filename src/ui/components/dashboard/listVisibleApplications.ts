import type { ApiResult, AppKey } from '../../api/types';
import { parseErrorResponse } from '../../api/parseErrorResponse';

/** The fields the dashboard reads; Argo CD's list answers only these when asked with `fields`. */
const FIELDS = 'items.metadata.name,items.metadata.namespace,items.spec.project';

interface ApplicationList {
  items?: Array<{ metadata?: { name?: unknown; namespace?: unknown }; spec?: { project?: unknown } }> | null;
}

/**
 * The Applications the logged-in user may see, from Argo CD's own API
 * (GET api/v1/applications, same origin, the user's session cookie): Argo CD
 * filters the list by the user's RBAC, so the dashboard never guesses who may
 * see what. Resolved against document.baseURI, like every other URL we build.
 */
export async function listVisibleApplications(
  options: { fetch?: typeof fetch; baseURI?: string; signal?: AbortSignal } = {},
): Promise<ApiResult<AppKey[]>> {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const url = new URL('api/v1/applications', options.baseURI ?? document.baseURI);
  url.searchParams.set('fields', FIELDS);
  let response: Response;
  try {
    response = await doFetch(url.toString(), { headers: { Accept: 'application/json' }, signal: options.signal });
  } catch (cause) {
    return { ok: false, error: { kind: 'network', message: cause instanceof Error ? cause.message : String(cause) } };
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) return { ok: false, error: parseErrorResponse(response.status, text) };
  let body: ApplicationList;
  try {
    body = JSON.parse(text) as ApplicationList;
  } catch {
    return { ok: false, error: { kind: 'unexpected', status: response.status, message: 'the answer is not JSON' } };
  }
  // Argo CD answers `"items": null` when the user may see no app.
  const apps: AppKey[] = [];
  for (const item of body.items ?? []) {
    const name = item.metadata?.name;
    const namespace = item.metadata?.namespace;
    const project = item.spec?.project;
    if (typeof name === 'string' && typeof namespace === 'string' && typeof project === 'string') {
      apps.push({ name, namespace, project });
    }
  }
  return { ok: true, value: apps };
}
