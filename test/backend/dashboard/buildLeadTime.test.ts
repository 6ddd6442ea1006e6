import type { ChainEdge, ChainNode, ChainResponse, ChainStage } from '../../../src/backend/api/contract';
import { buildLeadTime } from '../../../src/backend/dashboard/buildLeadTime';

function node(key: string, stage: ChainStage, time: string | null): ChainNode {
  return {
    key,
    source: 'test',
    id: key,
    type: null,
    subject: null,
    predicate: null,
    subjectId: null,
    timestamp: time === null ? null : `2026-03-02T${time}:00.000Z`,
    direction: 'received',
    verdict: 'valid',
    stage,
    depth: 0,
    apps: [],
  };
}

function edge(from: string, to: string, reason: ChainEdge['reason'] = 'artifact'): ChainEdge {
  return { from, to, kind: 'inferred', reason };
}

function chain(nodes: ChainNode[], edges: ChainEdge[]): ChainResponse {
  return { start: 'deploy', depth: 6, limit: 200, nodes, edges, truncated: { depth: false, nodes: false } };
}

const deployment = { key: 'deploy', environment: 'https://prod/auth' };

describe('buildLeadTime: the path change → build → artifact → deploy of one deployment', () => {
  it('measures each step from the earliest event of each stage', () => {
    //   change 09:00 ─ build 09:05 ─ build 09:20 ─ artifact 09:22 ─ deploy 11:00
    const result = buildLeadTime(
      chain(
        [
          node('change', 'change', '09:00'),
          node('run-started', 'build', '09:05'),
          node('run-finished', 'build', '09:20'),
          node('artifact', 'artifact', '09:22'),
          node('deploy', 'deploy', '11:00'),
        ],
        [
          edge('change', 'run-started', 'relation'),
          edge('run-started', 'run-finished', 'pipeline-run'),
          edge('run-finished', 'artifact', 'path'),
          edge('artifact', 'deploy'),
        ],
      ),
      deployment,
    );
    expect(result.steps).toEqual([
      { from: 'change', to: 'build', seconds: 300 },
      { from: 'build', to: 'artifact', seconds: 1020 },
      { from: 'artifact', to: 'deploy', seconds: 5880 },
    ]);
    expect(result.totalSeconds).toBe(7200);
    expect(result.environment).toBe('https://prod/auth');
  });

  it.each([
    [
      'an environment edge (whatever ran there within the hour)',
      [node('other-change', 'change', '08:00')],
      [edge('other-change', 'deploy', 'environment')],
    ],
    [
      'a later event (a build after the deployment)',
      [node('late-build', 'build', '11:30')],
      [edge('late-build', 'deploy', 'repository-revision')],
    ],
    [
      'another deployment (the same artifact elsewhere) and what led to it',
      [node('staging', 'deploy', '10:00'), node('staging-change', 'change', '07:00')],
      [edge('staging', 'deploy'), edge('staging-change', 'staging', 'relation')],
    ],
    ['an event without a time', [node('timeless', 'artifact', null)], [edge('timeless', 'deploy')]],
  ])('does not walk over %s', (_name, extraNodes, extraEdges) => {
    const result = buildLeadTime(
      chain(
        [node('artifact', 'artifact', '10:30'), node('deploy', 'deploy', '11:00'), ...extraNodes],
        [edge('artifact', 'deploy'), ...extraEdges],
      ),
      deployment,
    );
    expect(result.steps).toEqual([{ from: 'artifact', to: 'deploy', seconds: 1800 }]);
  });

  it('does not step forward in stages (an artifact reached from a build that came from it)', () => {
    const result = buildLeadTime(
      chain(
        [node('deploy', 'deploy', '11:00'), node('build', 'build', '10:00'), node('old-artifact', 'artifact', '09:00')],
        [edge('build', 'deploy', 'repository-revision'), edge('old-artifact', 'build', 'artifact')],
      ),
      deployment,
    );
    expect(result.stages).toEqual({ build: '2026-03-02T10:00:00.000Z', deploy: '2026-03-02T11:00:00.000Z' });
  });

  it('says nothing about end to end when the chain reaches no earlier stage', () => {
    expect(buildLeadTime(chain([node('deploy', 'deploy', '11:00')], []), deployment)).toEqual({
      deploymentKey: 'deploy',
      environment: 'https://prod/auth',
      stages: { deploy: '2026-03-02T11:00:00.000Z' },
      steps: [],
      totalSeconds: null,
    });
  });
});
