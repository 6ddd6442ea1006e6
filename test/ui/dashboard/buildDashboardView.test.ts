import type { AppDashboardResponse } from '../../../src/backend/api/contract';
import { buildDashboardView, describeArtifact, formatDuration } from '../../../src/ui/components/dashboard';

const app = (name: string) => ({ namespace: 'argocd', name, project: 'default' });

function part(
  name: string,
  overrides: Partial<AppDashboardResponse>,
): { app: ReturnType<typeof app>; data: AppDashboardResponse } {
  return {
    app: app(name),
    data: {
      app: { instance: 'default', namespace: 'argocd', name },
      from: '2026-03-01T12:00:00.000Z',
      to: '2026-03-02T12:00:00.000Z',
      running: [],
      deployments: [],
      incidents: [],
      leadTimes: [],
      ...overrides,
    },
  };
}

const deployment = (key: string, timestamp: string, artifactId: string) => ({
  key,
  predicate: 'upgraded',
  environment: 'https://prod/x',
  artifactId,
  timestamp,
});

const leadTime = (key: string, steps: Array<[string, string, number]>) => ({
  deploymentKey: key,
  environment: 'https://prod/x',
  stages: {},
  steps: steps.map(([from, to, seconds]) => ({ from, to, seconds }) as never),
  totalSeconds: steps.reduce((sum, [, , seconds]) => sum + seconds, 0),
});

describe('buildDashboardView: the three answers across the apps a user may see', () => {
  const view = buildDashboardView([
    part('portal', {
      running: [
        deployment('p1', '2026-03-02T10:00:00.000Z', 'pkg:oci/portal@2.1.0?repository_url=ghcr.io/acme/portal'),
      ],
      deployments: [deployment('p1', '2026-03-02T10:00:00.000Z', 'pkg:oci/portal@2.1.0')],
      leadTimes: [
        leadTime('p1', [
          ['change', 'build', 60],
          ['build', 'artifact', 600],
          ['artifact', 'deploy', 300],
        ]),
      ],
    }),
    part('auth', {
      running: [deployment('a1', '2026-03-02T11:00:00.000Z', 'pkg:oci/auth@2.0.0')],
      deployments: [deployment('a1', '2026-03-02T11:00:00.000Z', 'pkg:oci/auth@2.0.0')],
      incidents: [
        {
          key: 'i1',
          predicate: 'detected',
          environment: 'https://prod/x',
          description: 'login errors',
          timestamp: '2026-03-02T11:30:00.000Z',
        },
      ],
      leadTimes: [
        leadTime('a1', [
          ['build', 'artifact', 1200],
          ['artifact', 'deploy', 5880],
        ]),
      ],
    }),
  ]);

  it('merges deployments and incidents of every app, newest first', () => {
    expect(view.recent.map((row) => [row.kind, row.app.name])).toEqual([
      ['incident', 'auth'],
      ['deployment', 'auth'],
      ['deployment', 'portal'],
    ]);
  });

  it('names the step with the longest median as the bottleneck', () => {
    expect(view.steps[0]).toEqual({ from: 'artifact', to: 'deploy', count: 2, medianSeconds: 3090, maxSeconds: 5880 });
    expect(view.steps.map((s) => `${s.from}>${s.to}`)).toEqual(['artifact>deploy', 'build>artifact', 'change>build']);
  });

  it('gives each deployment its end-to-end time and slowest step, and the median', () => {
    expect(view.endToEnd.map((row) => [row.app.name, row.totalSeconds, row.slowest?.to])).toEqual([
      ['auth', 7080, 'deploy'],
      ['portal', 960, 'artifact'],
    ]);
    expect(view.medianEndToEndSeconds).toBe(4020);
  });
});

describe('describeArtifact and formatDuration', () => {
  it.each([
    ['pkg:oci/auth@sha256%3Aabababababababababab?repository_url=ghcr.io/acme/auth&tag=1.4.0', 'auth 1.4.0'],
    ['pkg:oci/auth@2.0.0?repository_url=ghcr.io/acme/auth', 'auth 2.0.0'],
    ['pkg:oci/auth@sha256%3A0123456789abcdef0123', 'auth sha256:0123456789ab'],
    ['pkg:npm/%40acme/web@1.2.3', 'web 1.2.3'],
    ['not a purl', 'not a purl'],
  ])('describes %s as "%s"', (purl, text) => {
    expect(describeArtifact(purl)).toBe(text);
  });

  it.each([
    [40, '40 s'],
    [720, '12 min'],
    [7500, '2 h 5 min'],
    [7200, '2 h'],
    [3 * 86400, '3 d'],
  ])('writes %d seconds as "%s"', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
