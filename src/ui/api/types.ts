import type {
  ChainResponse,
  Direction,
  ErrorBody,
  EventListResponse,
  EventRecord,
  SinkDelivery,
} from '../../backend/api/contract';

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
  /** Who started the sync: a username or `auto-sync`. */
  actor?: string;
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

export type { DeliveryAttempt, SinkDelivery } from '../../backend/api/contract';

/** The delivery log, or "this backend has no delivery log" (404 on the route). */
export type DeliveriesResult = { status: 'available'; deliveries: SinkDelivery[] } | { status: 'not-available' };

/** Everything the UI asks the backend. One implementation talks HTTP; tests may pass their own. */
export interface CDEventsApi {
  listEvents(app: AppKey, query: EventListQuery, options?: RequestOptions): Promise<ApiResult<EventListResult>>;
  /** One event with the reasons it belongs to this app. */
  getEvent(app: AppKey, key: string, options?: RequestOptions): Promise<ApiResult<EventRecord>>;
  getDeliveries(app: AppKey, key: string, options?: RequestOptions): Promise<ApiResult<DeliveriesResult>>;
  /** The causal chain around an event (optional so that test doubles written before it still fit). */
  getChain?(app: AppKey, key: string, query?: ChainQuery, options?: RequestOptions): Promise<ApiResult<ChainResponse>>;
}

/** GET /api/v1/events/{key}/chain: hops and events to walk at most. */
export interface ChainQuery {
  depth?: number;
  limit?: number;
}
