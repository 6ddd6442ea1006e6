/**
 * Issue 19: with 10,000 events, seeing them all took 50 clicks of "Load older events", and a fold
 * said "Hide 3 earlier events" counting only the loaded rows. The timeline now asks for older pages
 * as the user scrolls, and shows the store's fold counts.
 */
import { act, fireEvent, screen } from '@testing-library/react';
import * as React from 'react';
import type { EventRecord } from '../../src/backend/api/contract';
import { CDEventsTab } from '../../src/ui/components/CDEventsTab';
import { buildRecord, createFakeApi, guestbookApplication } from './fakeApi';
import { renderWithApi } from './renderWithApi';
import { stubLayout } from './stubLayout';

/** `count` received events a minute apart, newest first, from `start` minutes before noon. */
function receivedEvents(prefix: string, count: number, start = 0): EventRecord[] {
  return Array.from({ length: count }, (_, i) =>
    buildRecord({
      key: `${prefix}-${i}`,
      subject: 'artifact',
      predicate: 'published',
      direction: 'received',
      timestamp: new Date(Date.parse('2026-11-24T12:00:00Z') - (start + i) * 60_000).toISOString(),
    }),
  );
}

const page = (items: EventRecord[], nextCursor: string | null, folds?: Record<string, number>) => ({
  status: 'page',
  page: { items, nextCursor, ...(folds ? { folds } : {}) },
  etag: null,
});

describe('the timeline loads as it scrolls', () => {
  let restoreLayout: () => void;
  beforeEach(() => {
    restoreLayout = stubLayout();
    window.history.replaceState(null, '', '/applications/argocd/guestbook?tab=extension-0');
  });
  afterEach(() => restoreLayout());

  it('asks for the next older page when the user scrolls near the end, with no button to click', async () => {
    const api = createFakeApi();
    const { container } = renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() => api.next('listEvents').answer(page(receivedEvents('p1', 100), 'cursor-2')));
    // A hundred rows, ten in view: nothing older is asked for yet, and there is nothing to click.
    expect(api.calls.filter((call) => call.query.cursor !== undefined)).toHaveLength(0);
    expect(screen.queryByRole('button', { name: /older events/i })).not.toBeInTheDocument();

    const scroller = container.querySelector('.cdevents-timeline') as HTMLElement;
    scroller.scrollTop = 95 * 60;
    await act(async () => void fireEvent.scroll(scroller));
    const older = api.next('listEvents');
    expect(older.query).toMatchObject({ cursor: 'cursor-2', limit: 200 });
    expect(screen.getByText('Loading older events…')).toBeInTheDocument();
    await act(() => older.answer(page(receivedEvents('p2', 100, 100), null)));
    expect(screen.queryByText('Loading older events…')).not.toBeInTheDocument();
    // The end: no further request however far the user scrolls.
    scroller.scrollTop = 200 * 60;
    await act(async () => void fireEvent.scroll(scroller));
    expect(api.calls.filter((call) => call.query.cursor !== undefined)).toHaveLength(1);
  });

  it('after an older page fails, says so and asks again only when the user says Try again', async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() => api.next('listEvents').answer(page(receivedEvents('p1', 3), 'cursor-2')));
    await act(() => api.next('listEvents').fail({ kind: 'network', message: 'connection reset' }));
    expect(screen.getByText(/Older events could not be loaded/)).toBeInTheDocument();
    // No loop of failing requests: the near-end check waits for the user.
    expect(api.calls.filter((call) => call.query.cursor === 'cursor-2')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    const retry = api.next('listEvents');
    expect(retry.query.cursor).toBe('cursor-2');
    await act(() => retry.answer(page(receivedEvents('p2', 2, 3), null)));
    expect(screen.queryByText(/Older events could not be loaded/)).not.toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: /^received / })).toHaveLength(5);
  });

  it('takes the fold counts a live poll brings, for its new deployment and for those already shown', async () => {
    jest.useFakeTimers();
    try {
      const api = createFakeApi();
      renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
      const first = buildRecord({ key: 'deploy-1', timestamp: '2026-11-24T10:00:00Z' });
      await act(() =>
        api.next('listEvents').answer({
          status: 'page',
          page: { items: [first], nextCursor: null, headCursor: 'head-1', folds: { 'deploy-1': 5 } },
          etag: null,
        }),
      );
      expect(screen.getByRole('button', { name: /Hide 5 earlier events/ })).toBeInTheDocument();
      await act(async () => void jest.advanceTimersByTime(5000));
      const poll = api.next('listEvents');
      expect(poll.query.since).toBe('head-1');
      const newer = buildRecord({ key: 'deploy-2', predicate: 'upgraded', timestamp: '2026-11-24T12:00:00Z' });
      const between = receivedEvents('late', 1, 90);
      await act(() =>
        poll.answer({
          status: 'page',
          page: { items: [newer, ...between], nextCursor: null, headCursor: 'head-2', folds: { 'deploy-2': 4 } },
          etag: null,
        }),
      );
      // The new deployment is the latest (open), with the store's count (one of its four is loaded);
      // the older one keeps the count its own page brought.
      expect(screen.getByRole('button', { name: /Hide 4 earlier events since/ })).toBeInTheDocument();
      expect(screen.getByRole('button', { name: /Show 5 earlier events/ })).toBeInTheDocument();
    } finally {
      jest.useRealTimers();
    }
  });

  it("counts a deployment's folded events from the store, not from the loaded page", async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    const newer = buildRecord({ key: 'deploy-2', timestamp: '2026-11-24T12:00:00Z' });
    const older = buildRecord({ key: 'deploy-1', predicate: 'upgraded', timestamp: '2026-11-24T11:00:00Z' });
    // The page ends at deploy-1: none of the 37 events under it are loaded.
    await act(() =>
      api.next('listEvents').answer(page([newer, ...receivedEvents('a', 2, 10), older], null, { 'deploy-1': 37 })),
    );
    expect(
      screen.getByRole('button', { name: /Show 37 earlier events since the previous deployment/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /Hide 2 earlier events since the previous deployment/ }),
    ).toBeInTheDocument();
  });

  it('says "1,000+" for a fold the store stopped counting at its limit', async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    const newer = buildRecord({ key: 'deploy-2', timestamp: '2026-11-24T12:00:00Z' });
    const older = buildRecord({ key: 'deploy-1', predicate: 'upgraded', timestamp: '2026-11-24T11:00:00Z' });
    await act(() =>
      api.next('listEvents').answer({
        status: 'page',
        page: { items: [newer, older], nextCursor: 'c1', folds: { 'deploy-1': 1000 }, foldLimit: 1000 },
        etag: null,
      }),
    );
    expect(
      screen.getByRole('button', { name: /Show 1,000\+ earlier events since the previous deployment/ }),
    ).toBeInTheDocument();
  });
});
