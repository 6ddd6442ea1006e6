/**
 * Events Argo CD's own notification templates post, on the real app, on PGlite
 * and on the real PostgreSQL: the format of the Argo CD proposal (argo-cd PR
 * #24106, docs/proposals/argocd-cdevents-integration.md: subject
 * `{destination namespace}/{app}`, source `/argocd/{destination namespace}`,
 * its 0.5 examples still carrying subject.type) and the argo-cdviz demo's 0.4.1
 * events, written here in those shapes. They are received (another tool's
 * view), stored with their true verdict, attributed to the right app and
 * linked in the chain with our event of the same sync.
 */
import type { ChainResponse, EventListResponse, EventRecord } from '../../src/backend/api/contract';
import {
  listAppEvents,
  notifyArgocd,
  postEvents,
  proxyHeaders,
  startBackend,
  storeKinds,
  type TestBackend,
} from '../helpers/backend';
import { readCapturedNotifications } from './argocd/fixtures';

jest.setTimeout(60_000);

const byFile = (file: string) => readCapturedNotifications().find((item) => item.file === file)!.body.app;
const sha = '94fcc5e8673e0d2d7fbca6b1c6c455ba308314fc';

/** The argo-cdviz demo's service template, rendered for captured sync 008 (git app aaaaaaaaa, destination argocd). */
const demoUpgraded = {
  context: {
    version: '0.4.1',
    id: 'bb42b013-demo-upgraded',
    source: '/argocd/argocd',
    type: 'dev.cdevents.service.upgraded.0.2.0',
    timestamp: '2025-10-02T16:20:59Z',
  },
  subject: {
    id: 'argocd/aaaaaaaaa',
    type: 'service',
    source: '/argocd/argocd',
    content: {
      environment: { id: 'argocd', source: 'https://kubernetes.default.svc' },
      artifactId: `pkg:git/github.com/cdviz-dev/demo-cluster@${sha}`,
    },
  },
  customData: { argocdApp: 'aaaaaaaaa', syncStatus: 'Synced', healthStatus: 'Healthy', namespace: 'argocd' },
};

/** The proposal's 0.5 shape for the Helm app aaaaaaa (app namespace argocd, destination namespace aaaaaaa). */
const proposalDeployed = {
  context: {
    specversion: '0.5.0',
    id: 'proposal-deployed-1',
    source: '/argocd/aaaaaaa',
    type: 'dev.cdevents.service.deployed.0.3.0',
    timestamp: '2025-10-02T16:21:03Z',
  },
  subject: {
    id: 'aaaaaaa/aaaaaaa',
    type: 'service',
    source: '/argocd/aaaaaaa',
    content: {
      environment: { id: 'aaaaaaa', source: 'in-cluster' },
      artifactId: 'pkg:git/github.com/stefanprodan/podinfo@6.9.0',
    },
  },
  customData: { argocd: { application: 'aaaaaaa', syncStatus: 'Synced', healthStatus: 'Degraded' } },
};

const proposalIncident = {
  context: {
    specversion: '0.5.0',
    id: 'proposal-incident-1',
    source: 'argocd/production-cluster',
    type: 'dev.cdevents.incident.detected.0.3.0',
    timestamp: '2025-10-02T16:31:04Z',
  },
  subject: {
    id: 'incident-aaaaaaa-aaaaaaa-20251002',
    type: 'incident',
    content: {
      description: 'Application health degraded - Degraded',
      environment: { id: 'aaaaaaa' },
      service: { id: 'aaaaaaa/aaaaaaa' },
    },
  },
};

function find(items: EventRecord[], id: string): EventRecord {
  const item = items.find((candidate) => candidate.id === id);
  expect(item).toBeDefined();
  return item!;
}

describe.each(storeKinds)('Argo CD’s own CDEvents formats on %s', (kind) => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startBackend({ store: kind });
    await notifyArgocd(backend, byFile('008_sync_podinfo_1_2.json'), { instance: 'main' });
    await notifyArgocd(backend, byFile('010_sync_podinfo_1_4.json'), { instance: 'main' });
    const response = await postEvents(backend.url, [demoUpgraded, proposalDeployed, proposalIncident]);
    expect(response.status).toBe(200);
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('stores them as received, with their true verdict: the 0.4.1 demo valid, the 0.5 examples naming subject.type', async () => {
    const git = await listAppEvents(backend, { name: 'aaaaaaaaa', instance: 'main' });
    expect(find(git, demoUpgraded.context.id)).toMatchObject({ direction: 'received', verdict: 'valid' });
    const helm = await listAppEvents(backend, { name: 'aaaaaaa', instance: 'main' });
    for (const id of [proposalDeployed.context.id, proposalIncident.context.id]) {
      expect(find(helm, id)).toMatchObject({
        direction: 'received',
        verdict: 'invalid',
        problems: [expect.objectContaining({ pointer: '/subject/type' })],
      });
    }
  });

  it('shows them in the tab of the app they describe, beside ours, with the reason', async () => {
    const helm = await listAppEvents(backend, { name: 'aaaaaaa', instance: 'main' });
    expect(find(helm, proposalDeployed.context.id).attributions).toContainEqual({
      rule: 'subject',
      detail:
        "subject id aaaaaaa/aaaaaaa is this app's destination namespace and name, as Argo CD's proposed format writes it",
    });
    expect(find(helm, proposalIncident.context.id).attributions).toContainEqual({
      rule: 'service',
      detail: "names this app's service aaaaaaa/aaaaaaa",
    });
    expect(helm.some((item) => item.direction === 'emitted' && item.predicate === 'deployed')).toBe(true);
  });

  it('links their event and ours of the same sync in the chain', async () => {
    const git = await listAppEvents(backend, { name: 'aaaaaaaaa', instance: 'main' });
    const ours = git.find((item) => item.direction === 'emitted' && item.subject === 'service')!;
    expect(ours.timestamp).toBe('2025-10-02T16:20:59.000000Z');
    const response = await fetch(`${backend.url}/api/v1/events/${ours.key}/chain`, {
      headers: proxyHeaders({ namespace: 'argocd', name: 'aaaaaaaaa', instance: 'main' }),
    });
    expect(response.status).toBe(200);
    const chain = (await response.json()) as ChainResponse;
    const theirs = chain.nodes.find((node) => node.id === demoUpgraded.context.id);
    expect(theirs).toBeDefined();
    expect(chain.edges).toContainEqual(
      expect.objectContaining({
        reason: 'repository-revision',
        value: `github.com/cdviz-dev/demo-cluster@${sha}`,
      }),
    );
    const linked = chain.edges.filter((edge) => [edge.from, edge.to].includes(theirs!.key));
    expect(linked.some((edge) => [edge.from, edge.to].includes(ours.key))).toBe(true);
  });

  it('marks their report of the sync with ours, found in the store even when only received events are listed', async () => {
    const all = await listAppEvents(backend, { name: 'aaaaaaaaa', instance: 'main' });
    const ours = all.find((item) => item.direction === 'emitted' && item.subject === 'service')!;
    const response = await fetch(
      `${backend.url}/api/v1/applications/argocd/aaaaaaaaa/events?direction=received&limit=50`,
      { headers: proxyHeaders({ namespace: 'argocd', name: 'aaaaaaaaa', instance: 'main' }) },
    );
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as EventListResponse;
    expect(items.every((item) => item.direction === 'received')).toBe(true);
    expect(find(items, demoUpgraded.context.id).sameMomentAs).toEqual({
      key: ours.key,
      type: ours.type,
      subject: 'service',
      predicate: ours.predicate,
      timestamp: ours.timestamp,
    });
    // Our own events and theirs of no sync of ours carry no mark.
    expect(all.filter((item) => item.sameMomentAs).map((item) => item.id)).toEqual([demoUpgraded.context.id]);
  });
});
