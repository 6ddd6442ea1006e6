import * as React from 'react';
import type { EventRecord } from '../../backend/api/contract';
import { ApiContext } from '../api/ApiContext';
import type { ApiError, AppKey, EventListQuery } from '../api/types';
import { appendOlderEvents, mergeNewerEvents } from './mergeNewerEvents';

export interface UseAppEventsOptions {
  /** Events per page. Default 200. */
  pageSize?: number;
  /** How often to ask for new events, in ms; 0 turns live updates off. Default 5000. Paused while the page is hidden. */
  pollIntervalMs?: number;
  /** Every how many polls the first page is re-read instead of asking since the head. Default 6. */
  fullRefreshEvery?: number;
}

export interface AppEventsState {
  /** The events shown, newest first; null until the first page arrives. */
  data: EventRecord[] | null;
  /** The last failure; data stays as it was (a failure never becomes an empty list). */
  error: ApiError | null;
  /** True while the first page is on its way. */
  loading: boolean;
  /** True when an older page exists. */
  hasOlder: boolean;
  loadingOlder: boolean;
  /** True when the last older page failed; loading older events waits for the user to ask again. */
  olderFailed: boolean;
  /**
   * For deployments, by key: how many events fold under them, as the store counted them
   * (EventListResponse.folds, merged over every page). Empty from a backend that sends none.
   */
  folds: Readonly<Record<string, number>>;
  /** How many events arrived through live updates since the first page. */
  arrivedCount: number;
  /** The Argo CD instance the backend answered for (EventListResponse.instance); null until known. */
  instance: string | null;
  /** Days of history the backend keeps (EventListResponse.retentionDays; 0: all); null until known. */
  retentionDays: number | null;
  /** A fold count equal to this means at least this many (EventListResponse.foldLimit); null: exact. */
  foldLimit: number | null;
  loadOlder: () => void;
}

interface State {
  data: EventRecord[] | null;
  error: ApiError | null;
  loading: boolean;
  nextCursor: string | null;
  loadingOlder: boolean;
  olderFailed: boolean;
  folds: Readonly<Record<string, number>>;
  arrivedCount: number;
  instance: string | null;
  retentionDays: number | null;
  foldLimit: number | null;
}

type Folds = Readonly<Record<string, number>>;

type Action =
  | { type: 'reset' }
  | {
      type: 'loaded';
      items: EventRecord[];
      nextCursor: string | null;
      folds?: Folds;
      instance?: string;
      retentionDays?: number;
      foldLimit?: number;
    }
  | { type: 'failed'; error: ApiError }
  /** nextCursor is used only when the poll stands in for a failed first load. */
  | { type: 'polled'; items: EventRecord[]; nextCursor: string | null; folds?: Folds }
  | { type: 'unchanged' }
  | { type: 'older-started' }
  | { type: 'older-failed'; error: ApiError }
  | { type: 'older-loaded'; items: EventRecord[]; nextCursor: string | null; folds?: Folds };

const initialState: State = {
  data: null,
  error: null,
  loading: true,
  nextCursor: null,
  loadingOlder: false,
  olderFailed: false,
  folds: {},
  arrivedCount: 0,
  instance: null,
  retentionDays: null,
  foldLimit: null,
};

/** The counts held, updated with a page's; the same object when the page changes none. */
function mergeFolds(current: Folds, page: Folds | undefined): Folds {
  if (!page || Object.entries(page).every(([key, count]) => current[key] === count)) return current;
  return { ...current, ...page };
}

function reduce(state: State, action: Action): State {
  switch (action.type) {
    case 'reset':
      return initialState;
    case 'loaded':
      return {
        ...state,
        data: action.items,
        nextCursor: action.nextCursor,
        folds: action.folds ?? {},
        loading: false,
        error: null,
        instance: action.instance ?? state.instance,
        retentionDays: action.retentionDays ?? state.retentionDays,
        foldLimit: action.foldLimit ?? state.foldLimit,
      };
    case 'failed':
      return { ...state, error: action.error, loading: false, loadingOlder: false };
    case 'polled': {
      // A poll after a failed first load is the first page.
      if (state.data === null)
        return reduce(state, {
          type: 'loaded',
          items: action.items,
          nextCursor: action.nextCursor,
          folds: action.folds,
        });
      const data = mergeNewerEvents(state.data, action.items);
      const folds = mergeFolds(state.folds, action.folds);
      if (data === state.data && folds === state.folds && state.error === null) return state;
      return {
        ...state,
        data,
        folds,
        error: null,
        arrivedCount: state.arrivedCount + data.length - state.data.length,
      };
    }
    case 'unchanged':
      return state.error === null ? state : { ...state, error: null };
    case 'older-started':
      return { ...state, loadingOlder: true, olderFailed: false };
    case 'older-failed':
      return { ...state, error: action.error, loadingOlder: false, olderFailed: true };
    case 'older-loaded':
      return {
        ...state,
        data: appendOlderEvents(state.data ?? [], action.items),
        nextCursor: action.nextCursor,
        folds: mergeFolds(state.folds, action.folds),
        loadingOlder: false,
        error: null,
      };
  }
}

function isPageHidden(): boolean {
  return typeof document !== 'undefined' && document.hidden === true;
}

/**
 * The app's events, newest first, kept fresh by polling with conditional requests
 * (If-None-Match; a 304 costs the backend one index lookup). Effects are keyed on the
 * app's namespace, name and project and on the query's content, not on object identity:
 * Argo CD hands us a new Application object on every watch event.
 */
export function useAppEvents(app: AppKey, query: EventListQuery, options: UseAppEventsOptions = {}): AppEventsState {
  const api = React.useContext(ApiContext);
  const pageSize = options.pageSize ?? 200;
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  const fullRefreshEvery = Math.max(1, options.fullRefreshEvery ?? 6);
  const [state, dispatch] = React.useReducer(reduce, initialState);
  const { namespace, name, project } = app;
  const queryKey = JSON.stringify(query);
  // Bumped whenever the app or query changes, so answers to an old request are dropped.
  const generation = React.useRef(0);

  React.useEffect(() => {
    const current = ++generation.current;
    const appKey: AppKey = { namespace, name, project };
    const listQuery: EventListQuery = { ...(JSON.parse(queryKey) as EventListQuery), limit: pageSize };
    const controller = new AbortController();
    // Where the newest event we hold sits; with it a poll asks only for newer events.
    // Without it (a backend that sends no headCursor) a poll re-reads the first page.
    let head: string | null = null;
    // One ETag per URL we poll: the first page's, and the since=head page's.
    let firstPageEtag: string | null = null;
    let sinceEtag: string | null = null;
    let polls = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    const isCurrent = () => generation.current === current && !controller.signal.aborted;

    dispatch({ type: 'reset' });

    const schedule = () => {
      if (pollIntervalMs > 0 && isCurrent()) timer = setTimeout(poll, pollIntervalMs);
    };

    async function poll() {
      timer = undefined;
      if (isPageHidden()) return; // visibilitychange resumes us
      inFlight = true;
      polls += 1;
      // since= orders by event time, so an event that arrives late with an older timestamp sorts
      // below the head and only a re-read of the first page finds it; do one every few polls.
      const firstPage = head === null || polls % fullRefreshEvery === 0;
      const pollQuery = firstPage || head === null ? listQuery : { ...listQuery, since: head };
      const etag = firstPage ? firstPageEtag : sinceEtag;
      const result = await api.listEvents(appKey, pollQuery, { signal: controller.signal, etag });
      inFlight = false;
      if (!isCurrent()) return;
      if (!result.ok) dispatch({ type: 'failed', error: result.error });
      else if (result.value.status === 'page') {
        const { page } = result.value;
        if (firstPage) firstPageEtag = result.value.etag;
        else sinceEtag = result.value.etag;
        if (page.headCursor && page.headCursor !== head) {
          head = page.headCursor;
          sinceEtag = null; // it belonged to the old since= URL
        }
        dispatch({ type: 'polled', items: page.items, nextCursor: page.nextCursor, folds: page.folds });
      } else dispatch({ type: 'unchanged' });
      schedule();
    }

    const onVisibilityChange = () => {
      if (!isPageHidden() && timer === undefined && !inFlight && isCurrent()) void poll();
    };

    void (async () => {
      inFlight = true;
      const result = await api.listEvents(appKey, listQuery, { signal: controller.signal });
      inFlight = false;
      if (!isCurrent()) return;
      if (!result.ok) dispatch({ type: 'failed', error: result.error });
      else if (result.value.status === 'page') {
        const { page } = result.value;
        head = page.headCursor ?? null;
        firstPageEtag = result.value.etag;
        dispatch({
          type: 'loaded',
          items: page.items,
          nextCursor: page.nextCursor,
          folds: page.folds,
          instance: page.instance,
          retentionDays: page.retentionDays,
          foldLimit: page.foldLimit,
        });
      }
      schedule();
    })();

    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [api, namespace, name, project, queryKey, pageSize, pollIntervalMs, fullRefreshEvery]);

  const nextCursor = state.nextCursor;
  const loadingOlder = state.loadingOlder;
  const loadOlder = React.useCallback(() => {
    if (nextCursor === null || loadingOlder) return;
    const current = generation.current;
    dispatch({ type: 'older-started' });
    const listQuery: EventListQuery = {
      ...(JSON.parse(queryKey) as EventListQuery),
      limit: pageSize,
      cursor: nextCursor,
    };
    void api.listEvents({ namespace, name, project }, listQuery).then((result) => {
      if (generation.current !== current) return;
      if (!result.ok) dispatch({ type: 'older-failed', error: result.error });
      else if (result.value.status === 'page') {
        const { page } = result.value;
        dispatch({ type: 'older-loaded', items: page.items, nextCursor: page.nextCursor, folds: page.folds });
      }
    });
  }, [api, namespace, name, project, queryKey, pageSize, nextCursor, loadingOlder]);

  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    hasOlder: state.nextCursor !== null,
    loadingOlder: state.loadingOlder,
    olderFailed: state.olderFailed,
    folds: state.folds,
    arrivedCount: state.arrivedCount,
    instance: state.instance,
    retentionDays: state.retentionDays,
    foldLimit: state.foldLimit,
    loadOlder,
  };
}
