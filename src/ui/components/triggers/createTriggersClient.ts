import type {
  AuditListResponse,
  DryRunResponse,
  FiringListResponse,
  TriggerInput,
  TriggerListResponse,
  TriggerWriteResponse,
} from '../../../backend/api/triggerContract';
import { buildApiUrl, buildProxyHeaders, parseErrorResponse, type ApiResult, type AppKey } from '../../api';

/** What the Triggers panel asks the backend (…/applications/{ns}/{name}/triggers…). */
export interface TriggersApi {
  list(app: AppKey): Promise<ApiResult<TriggerListResponse>>;
  create(app: AppKey, input: TriggerInput): Promise<ApiResult<TriggerWriteResponse>>;
  update(app: AppKey, id: string, input: TriggerInput): Promise<ApiResult<TriggerWriteResponse>>;
  remove(app: AppKey, id: string): Promise<ApiResult<TriggerWriteResponse>>;
  /** A saved rule's dry run, or a draft's when `id` is undefined. */
  dryRun(app: AppKey, id: string | undefined, draft?: TriggerInput): Promise<ApiResult<DryRunResponse>>;
  firings(app: AppKey): Promise<ApiResult<FiringListResponse>>;
  audit(app: AppKey): Promise<ApiResult<AuditListResponse>>;
}

export interface TriggersClientOptions {
  fetch?: typeof fetch;
  baseURI?: () => string;
}

/** The HTTP implementation, through Argo CD's proxy like the rest of the tab. */
export function createTriggersClient(options: TriggersClientOptions = {}): TriggersApi {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const baseURI = options.baseURI ?? (() => document.baseURI);

  async function send<T>(app: AppKey, path: string[], method = 'GET', body?: unknown): Promise<ApiResult<T>> {
    const url = buildApiUrl(['applications', app.namespace, app.name, 'triggers', ...path], {}, baseURI());
    const headers: Record<string, string> = buildProxyHeaders(app);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
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

  return {
    list: (app) => send(app, []),
    create: (app, input) => send(app, [], 'POST', input),
    update: (app, id, input) => send(app, [id], 'PUT', input),
    remove: (app, id) => send(app, [id], 'DELETE'),
    dryRun: (app, id, draft) => (id ? send(app, [id, 'dry-run'], 'POST') : send(app, ['dry-run'], 'POST', draft)),
    firings: (app) => send(app, ['firings']),
    audit: (app) => send(app, ['audit']),
  };
}
