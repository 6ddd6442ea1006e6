import { act } from '@testing-library/react';
import type { AppKey, EventListQuery } from '../../src/ui/api';
import { useAppEvents } from '../../src/ui/hooks/useAppEvents';
import { buildRecord, createFakeApi, guestbook } from './fakeApi';
import { renderHookWithApi } from './renderWithApi';

interface Props {
  app: AppKey;
  query: EventListQuery;
}

function setHidden(hidden: boolean) {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('useAppEvents', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    setHidden(false);
  });

  it('is loading, then holds the first page newest first', async () => {
    const api = createFakeApi();
    const { result } = renderHookWithApi(api, (p: Props) => useAppEvents(p.app, p.query), {
      app: guestbook,
      query: {},
    });
    expect(result.current).toMatchObject({ data: null, error: null, loading: true });
    await act(() => api.next().respond([buildRecord({ key: 'new' }), buildRecord({ key: 'old' })], 'c1'));
    expect(result.current.loading).toBe(false);
    expect(result.current.data?.map((e) => e.key)).toEqual(['new', 'old']);
    expect(result.current.hasOlder).toBe(true);
  });

  it('reports a failure as an error, never as an empty list', async () => {
    const api = createFakeApi();
    const { result } = renderHookWithApi(api, (p: Props) => useAppEvents(p.app, p.query), {
      app: guestbook,
      query: {},
    });
    await act(() => api.next().fail({ kind: 'unauthorized', status: 401, message: 'Unauthorized extension request' }));
    expect(result.current).toMatchObject({ data: null, loading: false, error: { kind: 'unauthorized' } });
  });

  it('does not refetch when Argo CD hands over a new Application object for the same app', async () => {
    const api = createFakeApi();
    const { rerender } = renderHookWithApi(api, (p: Props) => useAppEvents(p.app, p.query), {
      app: guestbook,
      query: {},
    });
    rerender({ app: { ...guestbook }, query: {} });
    rerender({ app: { ...guestbook }, query: {} });
    expect(api.calls).toHaveLength(1);
  });

  it('refetches when the app or the query changes, and drops the answer to the old request', async () => {
    const api = createFakeApi();
    const { result, rerender } = renderHookWithApi(api, (p: Props) => useAppEvents(p.app, p.query), {
      app: guestbook,
      query: {},
    });
    const first = api.next();
    rerender({ app: guestbook, query: { direction: 'received' } });
    const second = api.next();
    expect(second.query).toMatchObject({ direction: 'received' });
    await act(() => second.respond([buildRecord({ key: 'received' })]));
    await act(() => first.respond([buildRecord({ key: 'stale' })]));
    expect(result.current.data?.map((e) => e.key)).toEqual(['received']);
  });

  it('loads an older page with the cursor and appends it', async () => {
    const api = createFakeApi();
    const { result } = renderHookWithApi(api, (p: Props) => useAppEvents(p.app, p.query), {
      app: guestbook,
      query: {},
    });
    await act(() => api.next().respond([buildRecord({ key: 'a' })], 'c1'));
    act(() => result.current.loadOlder());
    const older = api.next();
    expect(older.query.cursor).toBe('c1');
    await act(() => older.respond([buildRecord({ key: 'b' })], null));
    expect(result.current.data?.map((e) => e.key)).toEqual(['a', 'b']);
    expect(result.current.hasOlder).toBe(false);
  });

  it('polls with If-None-Match and puts new events on top, counting them', async () => {
    const api = createFakeApi();
    const { result } = renderHookWithApi(api, (p: Props) => useAppEvents(p.app, p.query, { pollIntervalMs: 1000 }), {
      app: guestbook,
      query: {},
    });
    await act(() => api.next().respond([buildRecord({ key: 'a' })], null, '"v1"'));
    await act(async () => jest.advanceTimersByTime(1000));
    const quiet = api.next();
    expect(quiet.options.etag).toBe('"v1"');
    await act(() => quiet.notModified());
    await act(async () => jest.advanceTimersByTime(1000));
    await act(() => api.next().respond([buildRecord({ key: 'b' }), buildRecord({ key: 'a' })], null, '"v2"'));
    expect(result.current.data?.map((e) => e.key)).toEqual(['b', 'a']);
    expect(result.current.arrivedCount).toBe(1);
  });

  it('keeps the events it has when a poll fails, and shows the error', async () => {
    const api = createFakeApi();
    const { result } = renderHookWithApi(api, (p: Props) => useAppEvents(p.app, p.query, { pollIntervalMs: 1000 }), {
      app: guestbook,
      query: {},
    });
    await act(() => api.next().respond([buildRecord({ key: 'a' })]));
    await act(async () => jest.advanceTimersByTime(1000));
    await act(() => api.next().fail({ kind: 'unavailable', status: 502, message: 'Bad Gateway' }));
    expect(result.current.data?.map((e) => e.key)).toEqual(['a']);
    expect(result.current.error).toMatchObject({ kind: 'unavailable', status: 502 });
  });

  it('stops polling while the page is hidden and resumes when it is shown', async () => {
    const api = createFakeApi();
    renderHookWithApi(api, (p: Props) => useAppEvents(p.app, p.query, { pollIntervalMs: 1000 }), {
      app: guestbook,
      query: {},
    });
    await act(() => api.next().respond([]));
    act(() => setHidden(true));
    await act(async () => jest.advanceTimersByTime(5000));
    expect(api.calls).toHaveLength(1);
    act(() => setHidden(false));
    expect(api.calls).toHaveLength(2);
  });

  it('stops polling when unmounted', async () => {
    const api = createFakeApi();
    const { unmount } = renderHookWithApi(api, (p: Props) => useAppEvents(p.app, p.query, { pollIntervalMs: 1000 }), {
      app: guestbook,
      query: {},
    });
    await act(() => api.next().respond([]));
    unmount();
    await act(async () => jest.advanceTimersByTime(5000));
    expect(api.calls).toHaveLength(1);
  });

  it('asks only for events newer than the head once the backend names it, keeping the older-page cursor', async () => {
    const api = createFakeApi();
    const { result } = renderHookWithApi(api, (p: Props) => useAppEvents(p.app, p.query, { pollIntervalMs: 1000 }), {
      app: guestbook,
      query: { direction: 'received' },
    });
    await act(() => api.next().respond([buildRecord({ key: 'a' })], 'older-1', '"first-page"', 'head-a'));
    await act(async () => jest.advanceTimersByTime(1000));
    const poll = api.next();
    expect(poll.query).toMatchObject({ direction: 'received', since: 'head-a' });
    // The first page's ETag does not describe the since= answer.
    expect(poll.options.etag).toBeNull();
    await act(() => poll.respond([buildRecord({ key: 'b' })], null, '"since-a"', 'head-b'));
    await act(async () => jest.advanceTimersByTime(1000));
    expect(api.next().query.since).toBe('head-b');
    expect(result.current.data?.map((e) => e.key)).toEqual(['b', 'a']);
    expect(result.current.hasOlder).toBe(true);
  });

  it('re-reads the first page every few polls, so an event that arrives late with an older time still shows, in time order', async () => {
    const api = createFakeApi();
    const { result } = renderHookWithApi(
      api,
      (p: Props) => useAppEvents(p.app, p.query, { pollIntervalMs: 1000, fullRefreshEvery: 2 }),
      { app: guestbook, query: {} },
    );
    const deploy = buildRecord({ key: 'deploy', timestamp: '2026-11-24T10:00:05Z' });
    const older = buildRecord({ key: 'older', timestamp: '2026-11-24T09:00:00Z' });
    await act(() => api.next().respond([deploy, older], null, '"page-1"', 'head-deploy'));
    await act(async () => jest.advanceTimersByTime(1000));
    const since = api.next();
    expect(since.query.since).toBe('head-deploy');
    await act(() => since.notModified());
    await act(async () => jest.advanceTimersByTime(1000));
    const firstPage = api.next();
    expect(firstPage.query.since).toBeUndefined();
    expect(firstPage.options.etag).toBe('"page-1"');
    // A test run stamped 10:00:03, sent after the deploy: below the head in the list order.
    const late = buildRecord({ key: 'late-test', timestamp: '2026-11-24T10:00:03Z' });
    await act(() => firstPage.respond([deploy, late, older], null, '"page-2"', 'head-deploy'));
    expect(result.current.data?.map((e) => e.key)).toEqual(['deploy', 'late-test', 'older']);
    expect(result.current.arrivedCount).toBe(1);
  });
});
