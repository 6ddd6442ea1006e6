import type { Direction, ErrorBody, EventListResponse } from '../../backend/api/contract';

/** The Application a request is about: what Argo CD's proxy needs in its two headers. */
export interface AppKey {
  /** metadata.namespace of the Application (not its destination namespace). */
  namespace: string;
  name: string;
  /** spec.project */
  project: string;
}

/** Query of the app's event list; undefined fields are left out of the URL. */
export interface EventListQuery {
  direction?: Direction | 'all';
  subject?: string[];
  predicate?: string[];
  /** ISO 8601 */
  from?: string;
  /** ISO 8601 */
  to?: string;
  q?: string;
  limit?: number;
  /** An older page: the nextCursor of the previous one. */
  cursor?: string;
  /** Only events newer than this cursor. */
  since?: string;
}

/**
 * Why a call failed, in the terms a user can act on. Argo CD's proxy answers with plain text
 * (400 "Invalid headers", 401 "Unauthorized extension request", 404 "Extension not found");
 * the backend answers with its JSON ErrorBody.
 */
export type ApiError =
  | { kind: 'network'; message: string }
  | { kind: 'proxy-rejected'; status: 400; message: string }
  | { kind: 'unauthorized'; status: 401; message: string }
  | { kind: 'extension-missing'; status: 404; message: string }
  | { kind: 'backend'; status: number; body: ErrorBody }
  | { kind: 'unavailable'; status: number; message: string }
  | { kind: 'unexpected'; status: number; message: string };

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** A list page, or "nothing changed" when the ETag we sent still matches. */
export type EventListResult =
  { status: 'page'; page: EventListResponse; etag: string | null } | { status: 'not-modified' };

export interface RequestOptions {
  signal?: AbortSignal;
  /** Sent as If-None-Match. */
  etag?: string | null;
}

/** Everything the UI asks the backend. One implementation talks HTTP; tests may pass their own. */
export interface CDEventsApi {
  listEvents(app: AppKey, query: EventListQuery, options?: RequestOptions): Promise<ApiResult<EventListResult>>;
}
