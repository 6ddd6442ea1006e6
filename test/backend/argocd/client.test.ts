import {
  type UpstreamError,
  UpstreamForbiddenError,
  UpstreamNotFoundError,
  UpstreamUnauthorizedError,
  buildApiUrl,
  createArgocdClient,
} from '../../../src/backend/argocd';
import { type StandIn, startArgocdStandIn, startKubernetesStandIn } from './apiStandIns';
import { readRenderedApp } from './fixtures';

const token = 'stand-in-token-0123456789';

function appIn(namespace: string, name: string, uid: string) {
  const app = structuredClone(readRenderedApp('a_single_source_succeeded_healthy'));
  app.metadata = { ...app.metadata, namespace, name, uid };
  return app;
}

describe('buildApiUrl', () => {
  it.each([
    [
      'https://k8s.example/',
      ['apis/argoproj.io/v1alpha1', 'applications'],
      {},
      'https://k8s.example/apis/argoproj.io/v1alpha1/applications',
    ],
    ['https://argo.example/argocd//', ['/api/v1/applications/'], {}, 'https://argo.example/argocd/api/v1/applications'],
    [
      'https://k8s.example',
      ['namespaces', 'team a'],
      { limit: 5, continue: undefined },
      'https://k8s.example/namespaces/team%20a?limit=5',
    ],
    ['https://k8s.example', [], { continue: 'a&b' }, 'https://k8s.example?continue=a%26b'],
  ])('joins %s and %j without doubled or trailing slashes', (base, segments, query, expected) => {
    expect(buildApiUrl(base, segments, query)).toBe(expected);
  });
});

describe('the client against the Kubernetes API (in-process Kubernetes API stand-in)', () => {
  let standIn: StandIn;
  const apps = [
    appIn('argocd', 'one', 'uid-1'),
    appIn('argocd', 'two', 'uid-2'),
    appIn('argocd', 'three', 'uid-3'),
    appIn('team-a', 'four', 'uid-4'),
  ];
  beforeAll(async () => {
    standIn = await startKubernetesStandIn({ token, apps, allowedNamespaces: ['argocd', 'team-a'] });
  });
  afterAll(() => standIn.close());

  it('lists the Applications of each namespace, following continue tokens', async () => {
    const client = createArgocdClient({
      kind: 'kubernetes',
      baseUrl: `${standIn.url}/`,
      token,
      namespaces: ['argocd', 'team-a'],
      pageSize: 2,
    });
    const listed = await client.listApplications();
    expect(listed.map((app) => app.metadata.name)).toEqual(['one', 'two', 'three', 'four']);
    expect(standIn.requests).toContain('/apis/argoproj.io/v1alpha1/namespaces/argocd/applications?limit=2&continue=2');
  });

  it('keeps status.history in what it lists', async () => {
    const client = createArgocdClient({ kind: 'kubernetes', baseUrl: standIn.url, token, namespaces: ['team-a'] });
    const [four] = await client.listApplications();
    expect(four.status?.history?.length).toBe(10);
  });

  it.each([
    ['no token', undefined, ['argocd'], UpstreamUnauthorizedError, /answered 401.*CDEVENTS_KUBERNETES_TOKEN_FILE/],
    ['a wrong token', 'wrong-token', ['argocd'], UpstreamUnauthorizedError, /answered 401/],
    [
      'a namespace it may not list',
      token,
      ['kube-system'],
      UpstreamForbiddenError,
      /answered 403: applications\.argoproj\.io is forbidden.*needs get and list/,
    ],
    ['every namespace without cluster-wide rights', token, [], UpstreamForbiddenError, /at the cluster scope/],
  ])('turns %s into a typed error naming the call and the fix', async (_name, given, namespaces, type, message) => {
    const client = createArgocdClient({ kind: 'kubernetes', baseUrl: standIn.url, token: given, namespaces });
    const error = await client.listApplications().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain('(Kubernetes API)');
    expect((error as Error).message).not.toContain(token);
    expect((error as UpstreamError).statusCode).toBe(502);
  });

  it('reports 404 for a base URL that is not the API server', async () => {
    const client = createArgocdClient({
      kind: 'kubernetes',
      baseUrl: `${standIn.url}/not-here`,
      token,
      namespaces: ['argocd'],
    });
    await expect(client.listApplications()).rejects.toBeInstanceOf(UpstreamNotFoundError);
  });

  it('reports a server that does not answer as an upstream failure naming the URL', async () => {
    const client = createArgocdClient({
      kind: 'kubernetes',
      baseUrl: 'http://127.0.0.1:9',
      token,
      namespaces: ['argocd'],
    });
    await expect(client.listApplications()).rejects.toThrow(/GET http:\/\/127\.0\.0\.1:9\/apis\/argoproj\.io.* failed/);
  });
});

describe('the client against the Argo CD API (in-process Argo CD API stand-in)', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startArgocdStandIn({ token, apps: [appIn('argocd', 'one', 'uid-1')] });
  });
  afterAll(() => standIn.close());

  it('lists the Applications argocd-server shows', async () => {
    const client = createArgocdClient({ kind: 'argocd', baseUrl: standIn.url, token });
    expect((await client.listApplications()).map((app) => app.metadata.name)).toEqual(['one']);
  });

  it('reads "items": null as no apps', async () => {
    standIn.setApplications([]);
    const client = createArgocdClient({ kind: 'argocd', baseUrl: standIn.url, token });
    expect(await client.listApplications()).toEqual([]);
  });

  it('names the token setting on 401', async () => {
    const client = createArgocdClient({ kind: 'argocd', baseUrl: standIn.url, token: 'expired' });
    await expect(client.listApplications()).rejects.toThrow(
      /Argo CD API\) answered 401: no session information \(check CDEVENTS_ARGOCD_TOKEN/,
    );
  });
});
