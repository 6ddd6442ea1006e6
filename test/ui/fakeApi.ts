/**
 * A CDEventsApi whose answers the test gives by hand, in order: each call waits until the
 * test calls respond(), fail() or notModified() on it. Where timing matters this reads
 * better than a pile of mocks.
 */
import type { EventRecord } from '../../src/backend/api/contract';
import type {
  ApiError,
  ApiResult,
  AppKey,
  CDEventsApi,
  DeliveriesResult,
  EventListQuery,
  EventListResult,
  RequestOptions,
} from '../../src/ui/api';

export interface PendingCall {
  method: 'listEvents' | 'getEvent' | 'getDeliveries';
  app: AppKey;
  query: EventListQuery;
  /** For getEvent and getDeliveries. */
  key?: string;
  options: RequestOptions;
  /** Answers a list call with a page. */
  respond(
    items: EventRecord[],
    nextCursor?: string | null,
    etag?: string | null,
    headCursor?: string | null,
  ): Promise<void>;
  /** Answers any call with this value. */
  answer(value: unknown): Promise<void>;
  fail(error: ApiError): Promise<void>;
  notModified(): Promise<void>;
}

export interface FakeApi extends CDEventsApi {
  calls: PendingCall[];
  /** The oldest call not answered yet; throws when there is none. */
  next(method?: PendingCall['method']): PendingCall;
}

async function settle(): Promise<void> {
  // Let the hook's awaits and React's state updates run.
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

export function createFakeApi(): FakeApi {
  const calls: PendingCall[] = [];
  const open: PendingCall[] = [];
  function call<T>(
    method: PendingCall['method'],
    app: AppKey,
    query: EventListQuery,
    key: string | undefined,
    options: RequestOptions,
  ) {
    return new Promise<ApiResult<T>>((resolve) => {
      const pending: PendingCall = {
        method,
        app,
        query,
        key,
        options,
        async respond(items, nextCursor = null, etag = null, headCursor) {
          const page = headCursor === undefined ? { items, nextCursor } : { items, nextCursor, headCursor };
          resolve({ ok: true, value: { status: 'page', page, etag } as T });
          await settle();
        },
        async answer(value) {
          resolve({ ok: true, value: value as T });
          await settle();
        },
        async fail(error) {
          resolve({ ok: false, error });
          await settle();
        },
        async notModified() {
          resolve({ ok: true, value: { status: 'not-modified' } as T });
          await settle();
        },
      };
      calls.push(pending);
      open.push(pending);
    });
  }
  return {
    calls,
    next(method) {
      const index = method ? open.findIndex((c) => c.method === method) : 0;
      const found = index >= 0 ? open.splice(index, 1)[0] : undefined;
      if (!found) throw new Error(`no ${method ?? ''} request is waiting (made ${calls.length} so far)`);
      return found;
    },
    listEvents(app: AppKey, query: EventListQuery, options: RequestOptions = {}) {
      return call<EventListResult>('listEvents', app, query, undefined, options);
    },
    getEvent(app: AppKey, key: string, options: RequestOptions = {}) {
      return call<EventRecord>('getEvent', app, {}, key, options);
    },
    getDeliveries(app: AppKey, key: string, options: RequestOptions = {}) {
      return call<DeliveriesResult>('getDeliveries', app, {}, key, options);
    },
  };
}

let seq = 0;

/** An EventRecord as the backend returns it; override what the test is about. */
export function buildRecord(overrides: Partial<EventRecord> = {}): EventRecord {
  seq += 1;
  const id = overrides.id ?? `event-${seq}`;
  const type = overrides.type === undefined ? 'dev.cdevents.service.deployed.0.2.0' : overrides.type;
  return {
    key: overrides.key ?? `key-${seq}`,
    source: '/argocd/default/argocd',
    id,
    type,
    subject: 'service',
    predicate: 'deployed',
    typeVersion: '0.2.0',
    specVersion: '0.4.1',
    timestamp: '2026-11-24T06:00:00Z',
    receivedAt: '2026-11-24T06:00:01Z',
    subjectId: 'argocd/guestbook',
    chainId: null,
    links: [],
    verdict: 'valid',
    problems: [],
    direction: 'emitted',
    attributions: [{ rule: 'emitted', detail: 'emitted by Argo CD for argocd/guestbook' }],
    reconstructed: false,
    payload: {
      context: { id, source: '/argocd/default/argocd', type },
      subject: { id: 'argocd/guestbook', content: {} },
    },
    ...overrides,
  };
}

export const guestbook: AppKey = { namespace: 'argocd', name: 'guestbook', project: 'default' };

/** The parts of an Argo CD Application the tab reads. */
export const guestbookApplication = {
  metadata: { name: 'guestbook', namespace: 'argocd' },
  spec: { project: 'default' },
};
