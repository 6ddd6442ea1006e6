import type { ChainResponse, ErrorBody } from '../../src/backend/api/contract';
import { postEvents, startBackend, storeKinds, testProxySecret, type TestBackend } from '../helpers/backend';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const staging = 'https://kubernetes.default.svc/staging';
const purl = 'pkg:oci/auth@sha256%3Aabc?repository_url=ghcr.io/org/auth&tag=1.4.0';

function cdevent(
  id: string,
  type: string,
  minutes: number,
  subject: { id: string; content: Record<string, unknown> },
  extra: { source?: string; links?: unknown[]; chainId?: string } = {},
) {
  return {
    context: {
      specversion: '0.5.1',
      id,
      source: extra.source ?? 'https://ci.example.com',
      type: `dev.cdevents.${type}.0.3.0`,
      timestamp: at(minutes),
      ...(extra.links ? { links: extra.links } : {}),
      ...(extra.chainId ? { chainId: extra.chainId } : {}),
    },
    subject,
  };
}

/*
 * change.merged ◀─RELATION TRIGGER─ pipelinerun.started ┄pipeline run┄ pipelinerun.finished ◀─PATH─ artifact.published
 *   ┄artifact┄ service.deployed ┄environment┄ testsuiterun.finished ┄environment┄ incident.detected
 *   service.deployed ◀─PATH─ service.rolledback
 * and, unrelated, a change in another repository.
 */
const history = [
  cdevent(
    'c1',
    'change.merged',
    0,
    { id: 'org/auth/pulls/97', content: { repository: { id: 'github.com/org/auth' } } },
    { source: 'https://github.com/org/auth' },
  ),
  cdevent(
    'p0',
    'pipelinerun.started',
    1,
    { id: 'run-1', content: { pipelineName: 'build', uri: 'https://ci.example.com/run-1' } },
    {
      links: [{ linkType: 'RELATION', linkKind: 'TRIGGER', target: { contextId: 'c1' } }],
    },
  ),
  cdevent('p1', 'pipelinerun.finished', 5, { id: 'run-1', content: { pipelineName: 'build', outcome: 'success' } }),
  cdevent(
    'a1',
    'artifact.published',
    6,
    { id: purl, content: {} },
    { links: [{ linkType: 'PATH', from: { contextId: 'p1' } }] },
  ),
  cdevent(
    'd1',
    'service.deployed',
    8,
    { id: 'argocd/auth', content: { artifactId: 'pkg:oci/auth@1.4.0', environment: { id: staging } } },
    { source: 'https://deployer.example.com' },
  ),
  cdevent(
    't1',
    'testsuiterun.finished',
    20,
    { id: 'suite-1', content: { environment: { id: staging }, outcome: 'fail' } },
    { source: 'https://tests.example.com' },
  ),
  cdevent(
    'i1',
    'incident.detected',
    25,
    { id: 'inc-1', content: { environment: { id: staging }, description: 'errors' } },
    { source: 'https://alerts.example.com' },
  ),
  cdevent(
    'r1',
    'service.rolledback',
    30,
    { id: 'argocd/auth', content: { artifactId: 'pkg:oci/auth@1.3.0', environment: { id: staging } } },
    {
      source: 'https://deployer.example.com',
      links: [{ linkType: 'PATH', from: { contextId: 'd1' } }],
    },
  ),
  cdevent(
    'x1',
    'change.merged',
    2,
    { id: 'org/other/pulls/1', content: { repository: { id: 'github.com/org/other' } } },
    { source: 'https://github.com/org/other' },
  ),
];

const secret = { 'x-cdevents-proxy-secret': testProxySecret };

describe.each(storeKinds)('GET /api/v1/events/{key}/chain on %s', (kind) => {
  let backend: TestBackend;
  const keys = new Map<string, string>();

  beforeAll(async () => {
    backend = await startBackend({ store: kind });
    const posted = await postEvents(backend.url, history);
    expect(posted.status).toBe(200);
    const { results } = posted.body as { results: Array<{ id: string; key: string; status: string }> };
    for (const result of results) keys.set(result.id, result.key);
  }, 60_000);
  afterAll(() => backend?.close());

  async function getChain(id: string, query = '', headers: Record<string, string> = secret) {
    const response = await fetch(`${backend.url}/api/v1/events/${keys.get(id) ?? id}/chain${query}`, { headers });
    return { status: response.status, body: (await response.json()) as ChainResponse & ErrorBody };
  }
  const idsOf = (chain: ChainResponse) => chain.nodes.map((n) => n.id).sort();
  const edgeOf = (chain: ChainResponse, from: string, to: string) =>
    chain.edges.find((e) => e.from === keys.get(from) && e.to === keys.get(to));

  it('reaches the merged change from the rollback, and leaves the unrelated change out', async () => {
    const { status, body } = await getChain('r1', '?depth=10');
    expect(status).toBe(200);
    expect(idsOf(body)).toEqual(['a1', 'c1', 'd1', 'i1', 'p0', 'p1', 'r1', 't1']);
    expect(body.truncated).toEqual({ depth: false, nodes: false });
  });

  it('types each edge: explicit links with their kind, inferred ones with the shared value', async () => {
    const { body } = await getChain('r1', '?depth=10');
    expect(edgeOf(body, 'c1', 'p0')).toMatchObject({ kind: 'explicit', reason: 'relation', linkKind: 'TRIGGER' });
    expect(edgeOf(body, 'p0', 'p1')).toMatchObject({ kind: 'inferred', reason: 'pipeline-run', value: 'run-1' });
    expect(edgeOf(body, 'p1', 'a1')).toMatchObject({ kind: 'explicit', reason: 'path' });
    expect(edgeOf(body, 'a1', 'd1')).toMatchObject({
      kind: 'inferred',
      reason: 'artifact',
      value: 'pkg:oci/auth@1.4.0',
    });
    expect(edgeOf(body, 'd1', 'r1')).toMatchObject({ kind: 'explicit', reason: 'path' });
    expect(edgeOf(body, 't1', 'i1')).toMatchObject({ kind: 'inferred', reason: 'environment', value: staging });
  });

  it('gives each node its stage and its depth from the start', async () => {
    const { body } = await getChain('r1', '?depth=10');
    const node = (id: string) => body.nodes.find((n) => n.id === id)!;
    expect([node('c1').stage, node('p1').stage, node('a1').stage, node('d1').stage]).toEqual([
      'change',
      'build',
      'artifact',
      'deploy',
    ]);
    expect([node('t1').stage, node('i1').stage, node('r1').stage]).toEqual(['test', 'incident', 'rollback']);
    expect(node('r1').depth).toBe(0);
  });

  it('walks forwards too: from the change it reaches the rollback', async () => {
    const { body } = await getChain('c1', '?depth=10');
    expect(idsOf(body)).toContain('r1');
  });

  it('stops at the depth asked for and says the chain goes on', async () => {
    const { body } = await getChain('r1', '?depth=1');
    expect(body.nodes.every((n) => n.depth <= 1)).toBe(true);
    expect(idsOf(body)).not.toContain('c1');
    expect(body.truncated.depth).toBe(true);
  });

  it('stops at the node limit and says so', async () => {
    const { body } = await getChain('r1', '?depth=10&limit=3');
    expect(body.nodes).toHaveLength(3);
    expect(body.truncated.nodes).toBe(true);
  });

  it.each([
    ['?depth=0', /depth/],
    ['?depth=abc', /depth/],
    ['?limit=100000', /limit/],
  ])('answers %s with 400 naming the parameter', async (query, message) => {
    const { status, body } = await getChain('r1', query);
    expect(status).toBe(400);
    expect(body.error.message).toMatch(message);
  });

  it('answers an unknown key with 404', async () => {
    const { status, body } = await getChain('e9zzzz');
    expect(status).toBe(404);
    expect(body.error.message).toMatch(/no event e9zzzz/);
  });

  it('answers without the proxy secret with 401', async () => {
    const { status } = await getChain('r1', '', {});
    expect(status).toBe(401);
  });

  it('through Argo CD, answers 404 for an event that is not in the asking app tab', async () => {
    const { status } = await getChain('x1', '', { ...secret, 'argocd-application-name': 'argocd:portal' });
    expect(status).toBe(404);
  });
});
