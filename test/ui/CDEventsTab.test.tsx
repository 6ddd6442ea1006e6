import { act, fireEvent, screen, within } from '@testing-library/react';
import * as React from 'react';
import { CDEventsTab } from '../../src/ui/components/CDEventsTab';
import { buildRecord, createFakeApi, guestbookApplication } from './fakeApi';
import { renderWithApi } from './renderWithApi';

describe('the CDEvents tab', () => {
  it('shows a loading state, then the events newest first with time, type, subject id and source', async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} resource={guestbookApplication} />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading CDEvents');
    expect(api.calls[0].app).toEqual({ namespace: 'argocd', name: 'guestbook', project: 'default' });
    await act(() =>
      api
        .next()
        .respond([
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
    const rows = screen.getAllByRole('listitem');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('artifact published');
    expect(rows[0]).toHaveTextContent('pkg:oci/guestbook@sha256:ab');
    expect(rows[0]).toHaveTextContent('ci/jenkins');
    expect(within(rows[0]).getByText(/ago|just now|in /)).toHaveAttribute('title', '2026-11-24 06:00:00 UTC');
    expect(rows[1]).toHaveTextContent('service deployed');
  });

  it('says so when the app has no events yet', async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() => api.next().respond([]));
    expect(screen.getByRole('status')).toHaveTextContent('No CDEvents for this application yet.');
  });

  it('turns a 401 from the proxy into a sentence about the missing RBAC permission', async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() => api.next().fail({ kind: 'unauthorized', status: 401, message: 'Unauthorized extension request' }));
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Argo CD refused the request: your role needs `extensions, invoke, cdevents`',
    );
  });

  it('opens the raw JSON on click and closes it with Escape', async () => {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() => api.next().respond([buildRecord({ key: 'k1', payload: { context: { id: 'abc-123' } } })]));
    fireEvent.click(screen.getByRole('button', { name: /service deployed/ }));
    const drawer = screen.getByRole('dialog');
    expect(drawer).toHaveTextContent('"id": "abc-123"');
    fireEvent.keyDown(drawer, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('shows hostile payload values as text, never as markup', async () => {
    const api = createFakeApi();
    const { container } = renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() =>
      api.next().respond([
        buildRecord({
          key: 'k1',
          subjectId: '<script>window.pwned = 1</script>',
          source: 'javascript:alert(1)',
          payload: { subject: { content: { url: '<img src=x onerror=alert(1)>' } } },
        }),
      ]),
    );
    expect(screen.getByText('<script>window.pwned = 1</script>')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /service deployed/ }));
    expect(screen.getByRole('dialog')).toHaveTextContent('<img src=x onerror=alert(1)>');
    expect(container.querySelector('script, img, a[href^="javascript"]')).toBeNull();
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
});
