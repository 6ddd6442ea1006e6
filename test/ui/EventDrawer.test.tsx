import { act, fireEvent, screen, within } from '@testing-library/react';
import * as React from 'react';
import { CDEventsTab } from '../../src/ui/components/CDEventsTab';
import { buildEventLinks } from '../../src/ui/details/buildEventLinks';
import { toSafeHref } from '../../src/ui/details/toSafeHref';
import { buildRecord, createFakeApi, guestbookApplication } from './fakeApi';
import { renderWithApi } from './renderWithApi';
import { stubLayout } from './stubLayout';

describe('toSafeHref', () => {
  it.each([
    ['https://ci.example.com/job/42', 'https://ci.example.com/job/42'],
    ['http://tekton.local/runs/7', 'http://tekton.local/runs/7'],
    ['javascript:alert(1)', undefined],
    [' JaVaScRiPt:alert(1)', undefined],
    ['data:text/html,<script>alert(1)</script>', undefined],
    ['/relative/path', undefined],
    ['pkg:oci/guestbook@sha256:ab', undefined],
    ['//evil.example.com', undefined],
  ])('%s → %s', (value, expected) => {
    expect(toSafeHref(value)).toBe(expected);
  });
});

describe('buildEventLinks', () => {
  it('links a pipeline run, the commit of a change and the source tool when they are http(s)', () => {
    const pipeline = buildRecord({
      subject: 'pipelinerun',
      predicate: 'finished',
      source: 'https://tekton.example.com',
      payload: { subject: { content: { url: 'https://tekton.example.com/runs/7', pipelineName: 'build' } } },
    });
    expect(buildEventLinks(pipeline)).toEqual([
      { label: 'Pipeline run', text: 'https://tekton.example.com/runs/7', href: 'https://tekton.example.com/runs/7' },
      { label: 'Source tool', text: 'https://tekton.example.com', href: 'https://tekton.example.com/' },
    ]);
    const change = buildRecord({
      subject: 'change',
      predicate: 'merged',
      payload: {
        subject: { content: { repository: { id: 'https://github.com/acme/guestbook.git' }, revision: 'a1b2c3d4e5f6' } },
      },
    });
    expect(buildEventLinks(change)).toContainEqual({
      label: 'Commit',
      text: 'a1b2c3d4e5f6',
      href: 'https://github.com/acme/guestbook/commit/a1b2c3d4e5f6',
    });
  });

  it('keeps an artifact purl as text', () => {
    const artifact = buildRecord({
      subject: 'artifact',
      predicate: 'published',
      subjectId: 'pkg:oci/guestbook@sha256:ab',
    });
    expect(buildEventLinks(artifact)).toContainEqual({
      label: 'Artifact',
      text: 'pkg:oci/guestbook@sha256:ab',
      href: undefined,
    });
  });
});

describe('the detail drawer', () => {
  let restoreLayout: () => void;
  beforeEach(() => {
    restoreLayout = stubLayout();
    window.history.replaceState(null, '', '/applications/argocd/guestbook?view=tree');
  });
  afterEach(() => restoreLayout());

  async function openDrawer(event = buildRecord({ key: 'k1' })) {
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() => api.next('listEvents').respond([event]));
    fireEvent.click(screen.getByRole('button', { name: /^(emitted|received) / }));
    return { api, drawer: screen.getByRole('dialog') };
  }

  it('shows the fields that matter for the event type first, then the rest of the content', async () => {
    const { drawer } = await openDrawer(
      buildRecord({
        key: 'k1',
        direction: 'received',
        subject: 'testsuiterun',
        predicate: 'finished',
        payload: {
          subject: {
            id: 'run-9',
            content: { url: 'https://ci/x', outcome: 'fail', testSuite: { id: 'e2e' }, environment: { id: 'prod' } },
          },
        },
      }),
    );
    const labels = within(drawer)
      .getAllByRole('term')
      .map((term) => term.textContent);
    expect(labels.indexOf('testSuite.id')).toBeLessThan(labels.indexOf('url'));
    expect(labels.indexOf('outcome')).toBeLessThan(labels.indexOf('url'));
    expect(within(drawer).getByText('e2e')).toBeInTheDocument();
  });

  it('says who started the sync: the user, or auto-sync with its reason', async () => {
    const { drawer } = await openDrawer(buildRecord({ key: 'k1', actor: 'alice' }));
    expect(within(drawer).getByText('Who')).toBeInTheDocument();
    expect(within(drawer).getByText('synced by alice')).toBeInTheDocument();
  });

  it('names the auto-sync reason the event carries', async () => {
    const { drawer } = await openDrawer(
      buildRecord({
        key: 'k1',
        actor: 'auto-sync',
        payload: {
          customData: {
            argocd: { operation: { initiatedBy: { automated: true, reason: 'self-heal', autoHealAttempts: 2 } } },
          },
        },
      }),
    );
    expect(within(drawer).getByText('auto-sync (self-heal, attempt 2)')).toBeInTheDocument();
  });

  it('says why a received event is in this tab and why an invalid one is invalid', async () => {
    const { drawer } = await openDrawer(
      buildRecord({
        key: 'k1',
        direction: 'received',
        verdict: 'invalid',
        problems: [{ pointer: '/subject/content/artifactId', message: 'must be a purl' }],
        attributions: [{ rule: 'artifact', detail: 'deploys pkg:oci/guestbook' }],
      }),
    );
    expect(drawer).toHaveTextContent('deploys pkg:oci/guestbook');
    expect(drawer).toHaveTextContent('Why it is invalid');
    expect(drawer).toHaveTextContent('/subject/content/artifactId must be a purl');
  });

  it('shows the delivery log of an emitted event', async () => {
    const { api, drawer } = await openDrawer(buildRecord({ key: 'k1', direction: 'emitted' }));
    const call = api.next('getDeliveries');
    expect(call.key).toBe('k1');
    await act(() =>
      call.answer({
        status: 'available',
        deliveries: [
          {
            sink: 'cdviz',
            status: 'delivered',
            attempts: 2,
            deliveredAt: '2026-11-24T06:00:05Z',
            log: [
              { at: '2026-11-24T06:00:01Z', statusCode: 503, error: 'Service Unavailable', durationMs: 12 },
              { at: '2026-11-24T06:00:05Z', statusCode: 202, durationMs: 9 },
            ],
          },
        ],
      }),
    );
    const deliveries = within(drawer).getByRole('region', { name: 'Deliveries' });
    expect(deliveries).toHaveTextContent('cdviz');
    expect(deliveries).toHaveTextContent('2 attempts');
    expect(deliveries).toHaveTextContent('HTTP 503 — Service Unavailable (12 ms)');
  });

  it('says the delivery log is not available when the backend has none (404)', async () => {
    const { api, drawer } = await openDrawer(buildRecord({ key: 'k1', direction: 'emitted' }));
    await act(() => api.next('getDeliveries').answer({ status: 'not-available' }));
    expect(within(drawer).getByRole('region', { name: 'Deliveries' })).toHaveTextContent('not available');
  });

  it('has no Deliveries section for received events', async () => {
    const { api, drawer } = await openDrawer(buildRecord({ key: 'k1', direction: 'received' }));
    expect(within(drawer).queryByRole('region', { name: 'Deliveries' })).toBeNull();
    expect(api.calls.filter((c) => c.method === 'getDeliveries')).toHaveLength(0);
  });

  it('collapses the raw JSON and copies it', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    const event = buildRecord({ key: 'k1', direction: 'received', payload: { context: { id: 'abc' } } });
    const { drawer } = await openDrawer(event);
    const details = drawer.querySelector('details');
    expect(details).toHaveAttribute('open');
    fireEvent.click(within(drawer).getByRole('button', { name: 'Copy JSON' }));
    await act(async () => undefined);
    expect(writeText).toHaveBeenCalledWith(JSON.stringify({ context: { id: 'abc' } }, null, 2));
    expect(drawer).toHaveTextContent('Copied.');
  });

  it('fetches the event named in a shared link when the list does not hold it', async () => {
    window.history.replaceState(null, '', '/applications/argocd/guestbook?view=tree&cde_event=old-key');
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() => api.next('listEvents').respond([buildRecord({ key: 'k1' })]));
    const call = api.next('getEvent');
    expect(call.key).toBe('old-key');
    await act(() =>
      call.answer(buildRecord({ key: 'old-key', direction: 'received', subject: 'incident', predicate: 'detected' })),
    );
    expect(screen.getByRole('dialog')).toHaveTextContent('incident detected');
  });
});
