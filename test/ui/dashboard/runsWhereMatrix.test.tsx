/**
 * Issue 19: the dashboard showed what runs where as a flat table. It is now a matrix, apps ×
 * environments ordered dev → test → staging → production, each cell the running version, since when
 * it runs there and whether it differs from the previous environment; and each app's DORA figures of
 * the last 13 weeks as small charts. The page runs in jsdom with Argo CD's app list and the backend's
 * per-app answers given by a fetch stand-in.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import * as React from 'react';
import type { AppDashboardResponse, DashboardDeployment, DoraWeek } from '../../../src/backend/api/contract';
import { buildRunsWhereMatrix } from '../../../src/ui/components/dashboard/buildRunsWhereMatrix';
import { DashboardPage } from '../../../src/ui/components/dashboard/DashboardPage';
import { inferStage } from '../../../src/ui/components/dashboard/inferStage';

const image = (name: string, tag: string) => `pkg:oci/${name}@sha256%3A${tag.replace(/\./g, '')}?tag=${tag}`;

function running(key: string, environment: string, artifactId: string, runningSince: string): DashboardDeployment {
  return { key, predicate: 'upgraded', environment, artifactId, timestamp: '2026-03-02T11:00:00.000Z', runningSince };
}

function part(name: string, deployments: DashboardDeployment[], weeks: DoraWeek[] = []) {
  const data: AppDashboardResponse = {
    app: { instance: 'default', namespace: 'argocd', name },
    from: '2026-03-01T12:00:00.000Z',
    to: '2026-03-02T12:00:00.000Z',
    running: deployments,
    deployments: [],
    incidents: [],
    leadTimes: [],
    trends: { from: '2025-12-01T12:00:00.000Z', to: '2026-03-02T12:00:00.000Z', weeks },
  };
  return { app: { namespace: 'argocd', name, project: 'default' }, data };
}

describe('inferring the stage an environment id names', () => {
  it.each([
    ['https://staging.k8s.example.com/auth', 'staging'],
    ['https://prod-eu1.k8s.example.com/auth', 'production'],
    ['in-cluster/auth-dev', 'dev'],
    ['https://k8s.example.com/qa', 'test'],
    // The namespace is more specific than the cluster.
    ['https://dev-cluster.example.com/auth-prod', 'production'],
  ])('%s is %s', (environment, label) => {
    expect(inferStage(environment)?.label).toBe(label);
  });

  it('names no stage for an id with no stage word', () => {
    expect(inferStage('https://k8s.example.com/auth')).toBeNull();
  });
});

describe('the apps × environments matrix', () => {
  it('orders columns dev → staging → production whatever order the apps name them in', () => {
    const matrix = buildRunsWhereMatrix([
      part('auth', [
        running('a1', 'https://prod.example.com/auth', image('auth', '1.0.0'), '2026-03-01T10:00:00Z'),
        running('a2', 'https://dev.example.com/auth', image('auth', '1.2.0'), '2026-03-02T09:00:00Z'),
        running('a3', 'https://staging.example.com/auth', image('auth', '1.1.0'), '2026-03-01T12:00:00Z'),
      ]),
    ]);
    expect(matrix.columns.map((column) => column.label)).toEqual(['dev', 'staging', 'production']);
    const cells = matrix.columns.map((column) => matrix.rows[0]!.cells[column.key]![0]!);
    expect(cells.map((cell) => [cell.artifact, cell.previous])).toEqual([
      ['auth 1.2.0', null],
      ['auth 1.1.0', { column: 'dev', artifact: 'auth 1.2.0', differs: true }],
      ['auth 1.0.0', { column: 'staging', artifact: 'auth 1.1.0', differs: true }],
    ]);
  });

  it('compares with another app in the previous column when each environment is an app of its own', () => {
    const matrix = buildRunsWhereMatrix([
      part('auth', [running('p', 'https://prod.example.com/auth', image('auth', '2.0.0'), '2026-03-01T10:00:00Z')]),
      part('auth-staging', [
        running('s', 'https://staging.example.com/auth', image('auth', '2.0.0'), '2026-02-28T10:00:00Z'),
      ]),
      part('portal', [
        running('q', 'https://prod.example.com/portal', image('portal', '3.8.0'), '2026-03-01T10:00:00Z'),
      ]),
    ]);
    const production = matrix.columns.find((column) => column.label === 'production')!;
    const auth = matrix.rows.find((row) => row.app.name === 'auth')!;
    const portal = matrix.rows.find((row) => row.app.name === 'portal')!;
    expect(auth.cells[production.key]![0]!.previous).toEqual({
      column: 'staging',
      artifact: 'auth 2.0.0',
      differs: false,
    });
    // portal runs nowhere before production: nothing to compare with.
    expect(portal.cells[production.key]![0]!.previous).toBeNull();
  });

  it('orders environments no word names by promotion: the one that got a version first comes first', () => {
    const matrix = buildRunsWhereMatrix([
      part('auth', [
        running('x', 'https://k8s.example.com/zeta', image('auth', '1.0.0'), '2026-03-01T08:00:00Z'),
        running('y', 'https://k8s.example.com/alpha', image('auth', '1.0.0'), '2026-03-01T10:00:00Z'),
      ]),
    ]);
    expect(matrix.columns.map((column) => column.label)).toEqual(['k8s.example.com/zeta', 'k8s.example.com/alpha']);
  });
});

describe('the dashboard page', () => {
  const week = (index: number, deployments: number): DoraWeek => ({
    from: new Date(Date.parse('2025-12-01T12:00:00Z') + index * 7 * 86_400_000).toISOString(),
    to: new Date(Date.parse('2025-12-08T12:00:00Z') + index * 7 * 86_400_000).toISOString(),
    deployments,
    leadTimeSeconds: { missing: 'no artifact.published event was received for this app' },
    changeFailureRate: 0,
    timeToRestoreSeconds: { missing: 'no incident.detected event for this app' },
  });
  const answers: Record<string, unknown> = {
    'api/v1/applications': {
      items: ['auth', 'auth-staging'].map((name) => ({
        metadata: { name, namespace: 'argocd' },
        spec: { project: 'default' },
      })),
    },
    'argocd/auth/dashboard': part(
      'auth',
      [running('p', 'https://prod.example.com/auth', image('auth', '1.0.0'), '2026-02-20T10:00:00Z')],
      [week(0, 2), week(1, 5)],
    ).data,
    'argocd/auth-staging/dashboard': part('auth-staging', [
      running('s', 'https://staging.example.com/auth', image('auth', '1.1.0'), '2026-03-01T10:00:00Z'),
    ]).data,
  };
  const fetchStandIn = (async (input: RequestInfo | URL) => {
    const url = String(input);
    const found = Object.keys(answers).find((path) => new URL(url).pathname.endsWith(path));
    return { ok: !!found, status: found ? 200 : 404, text: async () => JSON.stringify(answers[found ?? ''] ?? {}) };
  }) as unknown as typeof fetch;

  it('shows what runs where as a matrix with versions, ages and differences, and a row of trend charts per app', async () => {
    render(<DashboardPage options={{ fetch: fetchStandIn }} />);
    const matrix = await screen.findByTestId('cdevents-dashboard-running');
    expect(
      within(matrix)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Application', 'staging', 'production']);
    const authRow = within(matrix).getByRole('link', { name: 'auth' }).closest('tr')!;
    const production = authRow.querySelector('[data-column="production"]')!;
    expect(production).toHaveTextContent('auth 1.0.0');
    // Since 2026-02-20: days, not the minutes since the last sync.
    expect(production).toHaveTextContent(/for \d+ d/);
    expect(production).toHaveTextContent('differs from staging (auth 1.1.0)');
    expect(production.querySelector('.cdevents-matrix__cell--differs')).not.toBeNull();
    await waitFor(() => expect(screen.getByTestId('cdevents-dashboard-trends')).toBeInTheDocument());
    const trends = screen.getByTestId('cdevents-dashboard-trends');
    const chart = within(trends).getAllByRole('img', { name: /^Deployments per week/ })[0]!;
    expect(chart).toHaveAttribute('aria-label', 'Deployments per week, 2 weeks, oldest first: 2, 5');
  });
});
