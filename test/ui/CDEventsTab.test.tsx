import { act, fireEvent, screen, within } from '@testing-library/react';
import * as React from 'react';
import { CDEventsAppView } from '../../src/ui/components/CDEventsAppView';
import { CDEventsTab } from '../../src/ui/components/CDEventsTab';
import { buildRecord, createFakeApi, guestbookApplication } from './fakeApi';
import { renderWithApi } from './renderWithApi';
import { stubLayout } from './stubLayout';

describe('the CDEvents tab', () => {
  let restoreLayout: () => void;
  beforeEach(() => {
    restoreLayout = stubLayout();
    window.history.replaceState(null, '', '/applications/argocd/guestbook?tab=extension-0&view=tree');
  });
  afterEach(() => restoreLayout());

  it('shows a loading state, then the events newest first with time, type, subject id and source', async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} resource={guestbookApplication} />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading CDEvents');
    expect(api.calls[0].app).toEqual({ namespace: 'argocd', name: 'guestbook', project: 'default' });
    await act(() =>
      api.next().respond([
        buildRecord({
          key: 'k2',
          subject: 'artifact',
          predicate: 'published',
          subjectId: 'pkg:oci/guestbook@sha256:ab',
          source: 'ci/jenkins',
          timestamp: '2026-11-24T06:00:00Z',
        }),
        buildRecord({ key: 'k1', timestamp: '2026-11-23T06:00:00Z' }),
      ]),
    );
    const events = screen.getAllByRole('button', { name: /^(emitted|received) / });
    expect(events).toHaveLength(2);
    expect(events[0]).toHaveTextContent('artifact published');
    expect(events[0]).toHaveTextContent('pkg:oci/guestbook@sha256:ab');
    expect(events[0]).toHaveTextContent('ci/jenkins');
    expect(within(events[0]).getByText(/ago|just now|in /)).toHaveAttribute('title', '2026-11-24 06:00:00 UTC');
    expect(events[1]).toHaveTextContent('service deployed');
  });

  it('says so when the app has no events yet', async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() => api.next().respond([]));
    expect(screen.getByRole('status')).toHaveTextContent('No CDEvents for this application yet.');
  });

  it('says where history ends: after the oldest event the store keeps, and under an empty list', async () => {
    const api = createFakeApi();
    const view = renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    const page = (items: unknown[], nextCursor: string | null) => ({
      status: 'page',
      page: { items, nextCursor, retentionDays: 90 },
      etag: null,
    });
    await act(() => api.next().answer(page([buildRecord({ key: 'k1' })], 'older')));
    // More to load: the timeline asks for it (the one row is near the end), and no horizon yet.
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
    const older = api.next('listEvents');
    expect(older.query.cursor).toBe('older');
    await act(() => older.answer(page([buildRecord({ key: 'k0' })], null)));
    expect(screen.getByRole('note')).toHaveTextContent('Events older than 90 days are not kept.');
    view.unmount();

    const empty = createFakeApi();
    renderWithApi(empty, <CDEventsTab application={guestbookApplication} />);
    await act(() => empty.next().answer(page([], null)));
    expect(screen.getByRole('status')).toHaveTextContent(
      'No CDEvents for this application yet.Events older than 90 days are not kept.',
    );
  });

  it('says nothing of a horizon when the store keeps everything (retention 0) or does not say', async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() =>
      api.next().answer({
        status: 'page',
        page: { items: [buildRecord({ key: 'k1' })], nextCursor: null, retentionDays: 0 },
        etag: null,
      }),
    );
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
  });

  it('says "no events match" rather than "none yet" when filters are on', async () => {
    window.history.replaceState(null, '', '/applications/argocd/guestbook?cde_dir=received');
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() => api.next().respond([]));
    expect(screen.getByRole('status')).toHaveTextContent('No events match these filters.');
  });

  it.each([
    [
      '401',
      { kind: 'unauthorized', status: 401, message: 'Unauthorized extension request' } as const,
      'Argo CD refused the request: your role needs `extensions, invoke, cdevents`',
    ],
    [
      '404',
      { kind: 'extension-missing', status: 404, message: 'Extension not found' } as const,
      'Argo CD does not know the cdevents extension',
    ],
    [
      '502',
      { kind: 'unavailable', status: 502, message: 'Bad Gateway' } as const,
      'The CDEvents backend is unavailable',
    ],
  ])('turns a %s from the proxy into a sentence instead of an empty list', async (_status, error, sentence) => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() => api.next().fail(error));
    expect(screen.getByRole('alert')).toHaveTextContent(sentence);
    expect(screen.queryByText('No CDEvents for this application yet.')).not.toBeInTheDocument();
  });

  it('opens the event in a drawer on click and closes it with Escape, returning focus to the row', async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() => api.next().respond([buildRecord({ key: 'k1', payload: { context: { id: 'abc-123' } } })]));
    const row = screen.getByRole('button', { name: /service deployed/ });
    row.focus();
    fireEvent.click(row);
    const drawer = screen.getByRole('dialog');
    expect(drawer).toHaveTextContent('"id": "abc-123"');
    expect(window.location.search).toContain('cde_event=k1');
    fireEvent.keyDown(drawer, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(window.location.search).not.toContain('cde_event');
    expect(row).toHaveFocus();
  });

  it('shows hostile payload values as text, never as markup or links', async () => {
    const api = createFakeApi();
    const { container } = renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() =>
      api.next().respond([
        buildRecord({
          key: 'k1',
          direction: 'received',
          subject: 'pipelinerun',
          predicate: 'finished',
          subjectId: '<script>window.pwned = 1</script>',
          source: 'javascript:alert(1)',
          payload: {
            subject: {
              content: { url: 'javascript:alert(document.cookie)', pipelineName: '<img src=x onerror=alert(1)>' },
            },
          },
        }),
      ]),
    );
    expect(screen.getByText('<script>window.pwned = 1</script>')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /pipelinerun finished/ }));
    const drawer = screen.getByRole('dialog');
    expect(drawer).toHaveTextContent('<img src=x onerror=alert(1)>');
    expect(within(drawer).getAllByText('javascript:alert(document.cookie)').length).toBeGreaterThan(0);
    expect(container.querySelector('script, img, a[href^="javascript"]')).toBeNull();
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('explains instead of calling the backend when the Application lacks a project', () => {
    const api = createFakeApi();
    renderWithApi(
      api,
      <CDEventsTab application={{ metadata: { name: 'guestbook', namespace: 'argocd' }, spec: { project: '' } }} />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('no namespace, name or project');
    expect(api.calls).toHaveLength(0);
  });

  it('renders the same content as a full-width app view', async () => {
    const api = createFakeApi();
    const { container } = renderWithApi(api, <CDEventsAppView application={guestbookApplication} />);
    await act(() => api.next().respond([buildRecord({ key: 'k1' })]));
    expect(container.querySelector('.cdevents-root--page')).not.toBeNull();
    expect(screen.getByRole('button', { name: /service deployed/ })).toBeInTheDocument();
  });

  it('keeps its error inside the tab when a payload breaks rendering', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    // A record that breaks the contract (attributions missing) must not blank Argo CD's page.
    const broken = { ...buildRecord({ key: 'k1', direction: 'received' }), attributions: undefined } as never;
    await act(() => api.next().respond([broken]));
    expect(screen.getByRole('alert')).toHaveTextContent('The CDEvents tab stopped because of an error.');
    error.mockRestore();
  });
});
