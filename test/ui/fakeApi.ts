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
  EventListQuery,
  EventListResult,
  RequestOptions,
} from '../../src/ui/api';

export interface PendingCall {
  app: AppKey;
  query: EventListQuery;
  options: RequestOptions;
  respond(items: EventRecord[], nextCursor?: string | null, etag?: string | null): Promise<void>;
  fail(error: ApiError): Promise<void>;
  notModified(): Promise<void>;
}

export interface FakeApi extends CDEventsApi {
  calls: PendingCall[];
  /** The oldest call not answered yet; throws when there is none. */
  next(): PendingCall;
}

async function settle(): Promise<void> {
  // Let the hook's awaits and React's state updates run.
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

export function createFakeApi(): FakeApi {
  const calls: PendingCall[] = [];
  const open: PendingCall[] = [];
  return {
    calls,
    next() {
      const call = open.shift();
      if (!call) throw new Error(`no request is waiting (made ${calls.length} so far)`);
      return call;
    },
    listEvents(app: AppKey, query: EventListQuery, options: RequestOptions = {}) {
      return new Promise<ApiResult<EventListResult>>((resolve) => {
        const call: PendingCall = {
          app,
          query,
          options,
          async respond(items, nextCursor = null, etag = null) {
            resolve({ ok: true, value: { status: 'page', page: { items, nextCursor }, etag } });
            await settle();
          },
          async fail(error) {
            resolve({ ok: false, error });
            await settle();
          },
          async notModified() {
            resolve({ ok: true, value: { status: 'not-modified' } });
            await settle();
          },
        };
        calls.push(call);
        open.push(call);
      });
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
