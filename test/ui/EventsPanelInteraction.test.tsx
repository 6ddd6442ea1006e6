import { act, fireEvent, screen } from '@testing-library/react';
import * as React from 'react';
import { CDEventsTab } from '../../src/ui/components/CDEventsTab';
import { buildRecord, createFakeApi, guestbookApplication } from './fakeApi';
import { renderWithApi } from './renderWithApi';
import { stubLayout } from './stubLayout';

describe('filters, folding, keyboard and live updates in the tab', () => {
  let restoreLayout: () => void;
  beforeEach(() => {
    restoreLayout = stubLayout();
    window.history.replaceState(null, '', '/applications/argocd/guestbook?tab=extension-0&view=tree');
  });
  afterEach(() => {
    restoreLayout();
    jest.useRealTimers();
  });

  it('asks the backend again with the chosen direction and subjects, and puts them in the URL', async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() => api.next().respond([buildRecord()]));
    fireEvent.click(screen.getByRole('radio', { name: 'Received' }));
    expect(api.next().query).toMatchObject({ direction: 'received' });
    fireEvent.click(screen.getByRole('checkbox', { name: 'artifact' }));
    expect(api.next().query).toMatchObject({ direction: 'received', subject: ['artifact'] });
    const params = new URLSearchParams(window.location.search);
    expect(params.get('cde_dir')).toBe('received');
    expect(params.get('cde_subject')).toBe('artifact');
    expect(params.get('tab')).toBe('extension-0');
    expect(params.get('view')).toBe('tree');
  });

  it('starts from the filters in a shared link', () => {
    window.history.replaceState(
      null,
      '',
      '/applications/argocd/guestbook?cde_dir=emitted&cde_predicate=deployed,rolledback&cde_q=v2',
    );
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    expect(api.next().query).toMatchObject({ direction: 'emitted', predicate: ['deployed', 'rolledback'], q: 'v2' });
    expect(screen.getByRole('radio', { name: 'Emitted' })).toHaveAttribute('aria-checked', 'true');
    expect(screen.getByRole('searchbox', { name: 'Search events' })).toHaveValue('v2');
  });

  it('searches once the user stops typing, not on every keystroke', async () => {
    jest.useFakeTimers();
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() => api.next().respond([]));
    const search = screen.getByRole('searchbox', { name: 'Search events' });
    fireEvent.change(search, { target: { value: 'gu' } });
    fireEvent.change(search, { target: { value: 'guestbook' } });
    act(() => jest.advanceTimersByTime(299));
    expect(api.calls).toHaveLength(1);
    act(() => jest.advanceTimersByTime(1));
    expect(api.calls).toHaveLength(2);
    expect(api.next().query).toMatchObject({ q: 'guestbook' });
  });

  it('shows who synced on the row, and filters by actor once the user stops typing', async () => {
    jest.useFakeTimers();
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() =>
      api
        .next()
        .respond([
          buildRecord({ key: 'manual', actor: 'alice', timestamp: '2026-11-24T07:00:00Z' }),
          buildRecord({ key: 'auto', actor: 'auto-sync', timestamp: '2026-11-24T06:00:00Z' }),
        ]),
    );
    expect(screen.getByText('synced by alice')).toBeInTheDocument();
    expect(screen.getByText('auto-sync')).toBeInTheDocument();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter by who synced' }), { target: { value: 'alice' } });
    act(() => jest.advanceTimersByTime(300));
    expect(api.next().query).toMatchObject({ actor: 'alice' });
    expect(new URLSearchParams(window.location.search).get('cde_actor')).toBe('alice');
  });

  it('folds the events before an older deployment under it and unfolds them on request', async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() =>
      api
        .next()
        .respond([
          buildRecord({ key: 'deploy-2', subject: 'service', predicate: 'upgraded' }),
          buildRecord({ key: 'test', subject: 'testsuiterun', predicate: 'finished', direction: 'received' }),
          buildRecord({ key: 'deploy-1', subject: 'service', predicate: 'deployed' }),
          buildRecord({ key: 'artifact', subject: 'artifact', predicate: 'published', direction: 'received' }),
          buildRecord({ key: 'change', subject: 'change', predicate: 'merged', direction: 'received' }),
        ]),
    );
    // The latest deployment starts open; the older one keeps its events folded.
    expect(screen.getByRole('button', { name: /testsuiterun finished/ })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /artifact published/ })).toBeNull();
    const toggle = screen.getByRole('button', { name: /Show 2 earlier events since the previous deployment/ });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(toggle);
    expect(screen.getByRole('button', { name: /artifact published/ })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /change merged/ })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /Hide 1 earlier event since the previous deployment/ }));
    expect(screen.queryByRole('button', { name: /testsuiterun finished/ })).toBeNull();
  });

  it('says when another tool’s report of a sync and ours are the same moment, as the backend found it', async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    // Our event is not on the page (a received-only filter, or an older page): the backend's mark is enough.
    await act(() =>
      api.next().respond([
        buildRecord({
          key: 'theirs',
          direction: 'received',
          source: '/argocd/argocd',
          predicate: 'upgraded',
          timestamp: '2026-11-24T06:00:00Z',
          sameMomentAs: {
            key: 'ours',
            type: 'dev.cdevents.service.upgraded.0.3.0',
            subject: 'service',
            predicate: 'upgraded',
            timestamp: '2026-11-24T06:00:00Z',
          },
        }),
        buildRecord({
          key: 'other-sync',
          direction: 'received',
          source: '/argocd/argocd',
          predicate: 'upgraded',
          timestamp: '2026-11-24T06:00:30Z',
        }),
      ]),
    );
    expect(
      screen.getAllByText('Same moment as our service upgraded (the same sync, reported by /argocd/argocd)'),
    ).toHaveLength(1);
  });

  it('marks emitted and received events apart and says why a received event is here', async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() =>
      api.next().respond([
        buildRecord({
          key: 'a',
          direction: 'received',
          subject: 'incident',
          predicate: 'reported',
          verdict: 'unknown-type',
          attributions: [{ rule: 'environment', detail: 'environment prod is where the app deploys' }],
        }),
        buildRecord({ key: 'b', direction: 'emitted', subject: 'environment', predicate: 'modified' }),
      ]),
    );
    const received = screen.getByRole('button', { name: /^received incident reported/ });
    expect(received.closest('.cdevents-event')).toHaveClass('cdevents-event--received', 'cdevents-event--failure');
    expect(received).toHaveTextContent('Why here: environment prod is where the app deploys');
    expect(received).toHaveTextContent('unknown type');
    const emitted = screen.getByRole('button', { name: /^emitted environment modified/ });
    expect(emitted.closest('.cdevents-event')).toHaveClass('cdevents-event--emitted');
    expect(emitted).not.toHaveTextContent('Why here');
  });

  // Regression: every received row repeated two full sha256 purls in purple italics.
  it('says in a few words why a received event is here, with the full sentence on hover', async () => {
    const purl =
      'pkg:oci/auth@sha256%3A34e6ca7f8e48397209daa1be0456d0a92a6454fccc7af70a8519926bcb6caa0e?repository_url=ghcr.io/example-org/auth&tag=1.14.0';
    const detail = `artifact ${purl} is deployed by this app`;
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() =>
      api.next().respond([
        buildRecord({
          key: 'a',
          direction: 'received',
          subject: 'artifact',
          predicate: 'published',
          attributions: [
            { rule: 'artifact', detail },
            { rule: 'trigger', detail: 'triggered service upgraded of this app' },
          ],
        }),
      ]),
    );
    const row = screen.getByRole('button', { name: /^received artifact published/ });
    const reason = screen.getByText(/^Why here:/);
    expect(row).toContainElement(reason);
    expect(reason).toHaveTextContent('Why here: artifact auth 1.14.0 deployed here (+1 more)');
    expect(reason).not.toHaveTextContent('sha256');
    expect(reason).toHaveAttribute('title', `${detail}\ntriggered service upgraded of this app`);
  });

  it('moves between rows with the arrow keys', async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() =>
      api
        .next()
        .respond([
          buildRecord({ key: 'a', subject: 'artifact', predicate: 'published', timestamp: '2026-11-24T06:00:00Z' }),
          buildRecord({ key: 'b', subject: 'change', predicate: 'merged', timestamp: '2026-11-23T06:00:00Z' }),
        ]),
    );
    const first = screen.getByRole('button', { name: /artifact published/ });
    first.focus();
    // Row b sits after a day header: the arrow skips the header.
    await act(async () => {
      fireEvent.keyDown(first, { key: 'ArrowDown' });
    });
    expect(screen.getByRole('button', { name: /change merged/ })).toHaveFocus();
    await act(async () => {
      fireEvent.keyDown(screen.getByRole('button', { name: /change merged/ }), { key: 'ArrowUp' });
    });
    expect(first).toHaveFocus();
  });

  it('shows a "new events" pill when events arrive while the user reads further down', async () => {
    jest.useFakeTimers();
    const api = createFakeApi();
    const { container } = renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() => api.next().respond([buildRecord({ key: 'a' })], null, '"v1"', 'head-a'));
    const scroller = container.querySelector('.cdevents-timeline') as HTMLElement;
    scroller.scrollTop = 500;
    fireEvent.scroll(scroller);
    await act(async () => jest.advanceTimersByTime(5000));
    const poll = api.next();
    expect(poll.query.since).toBe('head-a');
    await act(() => poll.respond([buildRecord({ key: 'b' }), buildRecord({ key: 'c' })], null, '"v2"', 'head-c'));
    const pill = screen.getByRole('button', { name: /2 new events/ });
    scroller.scrollTo = jest.fn() as never;
    fireEvent.click(pill);
    expect(screen.queryByRole('button', { name: /new events/ })).toBeNull();
  });
});
