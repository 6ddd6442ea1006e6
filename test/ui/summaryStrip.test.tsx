/**
 * The summary strip above the timeline: each figure a labelled term and
 * definition, a dash and the missing data's sentence when a DORA figure cannot
 * be computed, loading and error states, and a refresh when live events arrive.
 */
import { act, render, screen, within } from '@testing-library/react';
import * as React from 'react';
import type { AppSummaryResponse } from '../../src/backend/api/contract';
import { buildSummaryFigures, DORA_DEFINITIONS, SummaryStrip } from '../../src/ui/components/summary';

const app = { namespace: 'argocd', name: 'auth', project: 'identity' };
const NOW = Date.parse('2026-03-31T12:00:00Z');

function buildSummary(overrides: Partial<AppSummaryResponse> = {}): AppSummaryResponse {
  return {
    app: { instance: 'default', namespace: 'argocd', name: 'auth' },
    window: '30d',
    from: '2026-03-01T12:00:00.000Z',
    to: '2026-03-31T12:00:00.000Z',
    environment: null,
    environments: ['https://prod/auth'],
    deployments: { total: 3, deployed: 1, upgraded: 1, rolledback: 1 },
    lastDeploy: {
      key: 'k3',
      predicate: 'rolledback',
      environment: 'https://prod/auth',
      artifactId: 'pkg:oci/auth@sha256%3Aaaaa?repository_url=ghcr.io/acme/auth&tag=1.0.0',
      timestamp: '2026-03-31T09:00:00.000Z',
    },
    failures: 1,
    openIncidents: {
      count: 1,
      oldest: {
        key: 'i2',
        predicate: 'detected',
        environment: 'https://prod/auth',
        description: 'p99 latency above 2 s',
        timestamp: '2026-03-31T10:00:00.000Z',
      },
    },
    dora: {
      deploymentFrequency: { perDay: 2 / 30, deployments: 2, days: 30 },
      leadTime: { p50Seconds: 3 * 3600, samples: 2, deployments: 2 },
      changeFailureRate: { rate: 0.5, failed: 1, deployments: 2, rolledBack: 1, followedByIncident: 1 },
      timeToRestore: { missing: 'no incident.resolved event with the subject id of a detected incident' },
    },
    ...overrides,
  };
}

interface Sent {
  url: string;
  headers: Record<string, string>;
}

/** A fetch the test answers by hand, one request at a time. */
function createFetch() {
  const sent: Sent[] = [];
  const pending: Array<(response: { status: number; body: string }) => void> = [];
  const fetchFn = (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({ url: String(input), headers: init?.headers as Record<string, string> });
    return new Promise<Response>((resolve) => {
      pending.push(({ status, body }) =>
        resolve({ status, ok: status >= 200 && status < 300, text: async () => body } as unknown as Response),
      );
    });
  };
  return {
    sent,
    fetchFn: fetchFn as typeof fetch,
    async answer(status: number, body: unknown) {
      const next = pending.shift();
      if (!next) throw new Error('no request is waiting');
      await act(async () => next({ status, body: typeof body === 'string' ? body : JSON.stringify(body) }));
    },
  };
}

/** The definition (dd) of a term (dt) in the strip, by the term's text. */
function figure(term: string): HTMLElement {
  const dt = screen.getByText(term, { selector: 'dt' });
  return dt.parentElement as HTMLElement;
}

describe('the summary strip', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, doNotFake: ['queueMicrotask', 'nextTick'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('asks for the app summary through the proxy with the app headers and the 30 day window', async () => {
    const http = createFetch();
    render(<SummaryStrip app={app} options={{ fetch: http.fetchFn }} />);
    expect(screen.getByTestId('cdevents-summary')).toHaveTextContent('Loading summary…');
    expect(screen.getByTestId('cdevents-summary')).toHaveAttribute('aria-busy', 'true');
    expect(http.sent[0].url).toMatch(/extensions\/cdevents\/api\/v1\/applications\/argocd\/auth\/summary\?window=30d$/);
    expect(http.sent[0].headers['Argocd-Application-Name']).toBe('argocd:auth');
    expect(http.sent[0].headers['Argocd-Project-Name']).toBe('identity');
  });

  it('waits for the timeline first when deferred, then asks once', async () => {
    const http = createFetch();
    const { rerender } = render(<SummaryStrip app={app} options={{ fetch: http.fetchFn, defer: true }} />);
    expect(http.sent).toHaveLength(0);
    rerender(<SummaryStrip app={app} options={{ fetch: http.fetchFn, defer: false }} />);
    expect(http.sent).toHaveLength(1);
    await http.answer(200, buildSummary());
    rerender(<SummaryStrip app={app} options={{ fetch: http.fetchFn, defer: true }} />);
    expect(http.sent).toHaveLength(1);
    expect(figure('Deployments')).toHaveTextContent('3');
  });

  it('shows each figure as a labelled term and definition', async () => {
    const http = createFetch();
    render(<SummaryStrip app={app} options={{ fetch: http.fetchFn }} />);
    await http.answer(200, buildSummary());
    expect(screen.getByRole('region', { name: 'Summary of the last 30 days' })).toBeInTheDocument();
    const terms = screen.getAllByRole('term').map((term) => term.textContent);
    expect(terms).toEqual([
      'Deployments',
      'Last deploy',
      'Failures',
      'Open incidents',
      'Deploy frequency',
      'Lead time',
      'Change failure rate',
      'Time to restore',
    ]);
    expect(
      within(figure('Deployments'))
        .getAllByRole('definition')
        .map((dd) => dd.textContent),
    ).toEqual(['3', '1 deployed · 1 upgraded · 1 rolled back']);
    expect(figure('Last deploy')).toHaveTextContent('3 hours ago');
    expect(figure('Last deploy')).toHaveTextContent('rolled back auth 1.0.0');
    expect(figure('Failures')).toHaveTextContent('1failed runs');
    expect(figure('Open incidents')).toHaveTextContent('oldest 2 hours ago: p99 latency above 2 s');
    expect(figure('Deploy frequency')).toHaveTextContent('2 in 30 d');
    expect(figure('Lead time')).toHaveTextContent('3 h');
    expect(figure('Lead time')).toHaveTextContent('median artifact → deploy, 2 of 2 deployments');
    expect(figure('Change failure rate')).toHaveTextContent('50 %');
    expect(figure('Change failure rate')).toHaveTextContent('1 of 2 deployments');
  });

  it('says which definition of change failure rate it uses in the term tooltip', async () => {
    const http = createFetch();
    render(<SummaryStrip app={app} options={{ fetch: http.fetchFn }} />);
    await http.answer(200, buildSummary());
    expect(screen.getByText('Change failure rate', { selector: 'dt' })).toHaveAttribute(
      'title',
      DORA_DEFINITIONS.changeFailureRate,
    );
    expect(DORA_DEFINITIONS.changeFailureRate).toContain('rolled back by the next deployment');
    expect(DORA_DEFINITIONS.changeFailureRate).toContain('followed by an incident.detected');
  });

  it('shows a dash and the data it lacks for a figure that cannot be computed', async () => {
    const http = createFetch();
    render(<SummaryStrip app={app} options={{ fetch: http.fetchFn }} />);
    await http.answer(200, buildSummary());
    const restore = figure('Time to restore');
    const [value, detail] = within(restore).getAllByRole('definition');
    expect(value).toHaveTextContent('—not available');
    expect(detail).toHaveTextContent('no incident.resolved event with the subject id of a detected incident');
  });

  it('keeps the figures and says they are stale when a refresh fails', async () => {
    const http = createFetch();
    const { rerender } = render(<SummaryStrip app={app} options={{ fetch: http.fetchFn, refreshKey: 0 }} />);
    await http.answer(200, buildSummary());
    rerender(<SummaryStrip app={app} options={{ fetch: http.fetchFn, refreshKey: 1 }} />);
    await http.answer(503, '');
    expect(figure('Deployments')).toHaveTextContent('3');
    expect(screen.getByTestId('cdevents-summary')).toHaveTextContent(
      'Not refreshed: The CDEvents backend is unavailable',
    );
  });

  it('says why when the first answer fails', async () => {
    const http = createFetch();
    render(<SummaryStrip app={app} options={{ fetch: http.fetchFn }} />);
    await http.answer(
      400,
      JSON.stringify({ statusCode: 400, error: { name: 'BadRequestError', message: 'window must be …' } }),
    );
    expect(screen.getByTestId('cdevents-summary')).toHaveTextContent(
      'The summary could not be loaded. The CDEvents backend could not answer (HTTP 400): window must be …',
    );
  });

  it('asks again when live events arrive, and on its own slower poll', async () => {
    const http = createFetch();
    const { rerender } = render(
      <SummaryStrip app={app} options={{ fetch: http.fetchFn, refreshKey: 0, pollIntervalMs: 60_000 }} />,
    );
    await http.answer(200, buildSummary({ deployments: { total: 3, deployed: 1, upgraded: 1, rolledback: 1 } }));
    rerender(<SummaryStrip app={app} options={{ fetch: http.fetchFn, refreshKey: 2, pollIntervalMs: 60_000 }} />);
    expect(http.sent).toHaveLength(2);
    await http.answer(200, buildSummary({ deployments: { total: 4, deployed: 1, upgraded: 2, rolledback: 1 } }));
    expect(within(figure('Deployments')).getAllByRole('definition')[0]).toHaveTextContent('4');
    await act(async () => {
      jest.advanceTimersByTime(60_000);
    });
    expect(http.sent).toHaveLength(3);
  });
});

describe('buildSummaryFigures', () => {
  it.each([
    { name: 'daily or more often per day', perDay: 3, deployments: 90, expected: '3 / day' },
    { name: 'weekly or more often per week', perDay: 2 / 7, deployments: 9, expected: '2 / week' },
    { name: 'a fraction per week to one decimal', perDay: 0.5, deployments: 15, expected: '3.5 / week' },
    { name: 'rarer than weekly as the count in the window', perDay: 1 / 30, deployments: 1, expected: '1 in 30 d' },
  ])('shows deployment frequency $name ("$expected")', ({ perDay, deployments, expected }) => {
    const summary = buildSummary({
      dora: { ...buildSummary().dora, deploymentFrequency: { perDay, deployments, days: 30 } },
    });
    const frequency = buildSummaryFigures(summary, NOW).find((item) => item.id === 'deployment-frequency');
    expect(frequency?.value).toBe(expected);
  });

  it('shows the note when only rollbacks count as failures', () => {
    const note = 'no incident.detected event was received for this app, so only rollbacks count as failures';
    const summary = buildSummary({
      dora: {
        ...buildSummary().dora,
        changeFailureRate: { rate: 0, failed: 0, deployments: 4, rolledBack: 0, followedByIncident: 0, note },
      },
    });
    const rate = buildSummaryFigures(summary, NOW).find((item) => item.id === 'change-failure-rate');
    expect(rate).toMatchObject({ value: '0 %', detail: `0 of 4 deployments; ${note}`, tone: 'ok' });
  });

  it('draws the four DORA figures of the last 13 weeks as small charts, a missing week apart from a zero (issue 19)', async () => {
    const missing = { missing: 'no service event for this app before 2026-03-10T10:00:00.000Z' };
    const weeks = Array.from({ length: 13 }, (_, index) => {
      const from = new Date(Date.parse('2025-12-30T12:00:00Z') + index * 7 * 86_400_000).toISOString();
      const to = new Date(Date.parse(from) + 7 * 86_400_000).toISOString();
      const known = index >= 11;
      return {
        from,
        to,
        deployments: known ? (index === 11 ? 3 : 0) : missing,
        leadTimeSeconds: index === 11 ? 7200 : { missing: 'no deployment' },
        changeFailureRate: index === 11 ? 1 / 3 : { missing: 'no deployment' },
        timeToRestoreSeconds: { missing: 'no incident.detected event for this app' },
      };
    });
    const http = createFetch();
    render(<SummaryStrip app={app} options={{ fetch: http.fetchFn }} />);
    await http.answer(200, buildSummary({ trends: { from: weeks[0]!.from, to: weeks[12]!.to, weeks } }));
    const charts = screen.getAllByRole('img');
    expect(charts.map((chart) => chart.getAttribute('aria-label')?.split(',')[0])).toEqual([
      'Deployments per week',
      'Lead time (median)',
      'Change failure rate',
      'Time to restore (median)',
    ]);
    // Eleven weeks of no data, then 3, then a real zero.
    expect(charts[0]).toHaveAttribute(
      'aria-label',
      `Deployments per week, 13 weeks, oldest first: ${Array(11).fill('no data').join(', ')}, 3, 0`,
    );
    const deployments = screen.getByRole('figure', { name: /Deployments per week/ });
    expect(deployments.querySelectorAll('.cdevents-trend__missing')).toHaveLength(11);
    expect(
      [...deployments.querySelectorAll('.cdevents-trend__bar')].map((bar) => bar.getAttribute('data-value')),
    ).toEqual(['3', '0']);
    expect(deployments.querySelector('.cdevents-trend__missing title')).toHaveTextContent(
      'week of 2025-12-30: no data (no service event for this app before 2026-03-10T10:00:00.000Z)',
    );
    // The caption names the newest week with a value.
    expect(within(deployments).getByText('0 (week of 2026-03-24)')).toBeInTheDocument();
    expect(screen.getByRole('figure', { name: /Lead time/ })).toHaveTextContent('2 h (week of 2026-03-17)');
    expect(screen.getByRole('figure', { name: /Change failure rate/ })).toHaveTextContent('33 %');
    expect(screen.getByRole('figure', { name: /Time to restore/ })).toHaveTextContent('no data');
    expect(screen.getByTestId('cdevents-summary')).toHaveTextContent('Charts: the last 13 weeks, a bar a week');
  });

  it('says no service event was emitted when there is no last deploy', () => {
    const last = buildSummaryFigures(buildSummary({ lastDeploy: null }), NOW).find((item) => item.id === 'last-deploy');
    expect(last).toMatchObject({ value: null, detail: 'no service event was emitted for this app yet' });
  });
});
