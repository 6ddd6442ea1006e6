/**
 * Deploys reported by other tools (a CI system, a progressive-delivery tool)
 * teach the backend what an app runs and where, on the real app, on PGlite and
 * on the real PostgreSQL: the artifact's, the environment's and the service's
 * events then reach the app's tab as they do after Argo CD's own syncs.
 */
import type { EventRecord } from '../../src/backend/api/contract';
import {
  listAppEvents,
  notifyArgocd,
  postEvents,
  startBackend,
  storeKinds,
  type TestBackend,
} from '../helpers/backend';
import { readCapturedNotifications } from './argocd/fixtures';

jest.setTimeout(60_000);

let sequence = 0;

function cdevent(
  type: string,
  source: string,
  subject: { id: string; content: Record<string, unknown> },
  time: string,
) {
  sequence += 1;
  return {
    context: { specversion: '0.5.1', id: `event-${sequence}`, source, type: `dev.cdevents.${type}`, timestamp: time },
    subject,
  };
}

const flagger = '/flagger/prod';
const deployed = (app: string, artifactId: string, time: string, environment = 'prod-eu') =>
  cdevent(
    'service.deployed.0.3.0',
    flagger,
    { id: app, content: { environment: { id: environment }, artifactId } },
    time,
  );
const published = (artifactId: string, time: string) =>
  cdevent('artifact.published.0.3.0', '/ci/auth', { id: artifactId, content: {} }, time);

async function post(backend: TestBackend, event: object) {
  const response = await postEvents(backend.url, event);
  expect(response.status).toBe(200);
  return (response.body as { results: Array<{ id: string; status: string; verdict: string }> }).results[0]!;
}

function reasons(items: EventRecord[], id: string): string[] {
  return (items.find((item) => item.id === id)?.attributions ?? []).map((a) => `${a.rule}: ${a.detail}`).sort();
}

describe.each(storeKinds)('deploys other tools report, on %s', (kind) => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startBackend({ store: kind });
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('attributes the artifact, an incident naming the service and tests in the environment to the app', async () => {
    const artifact = 'pkg:oci/auth@sha256:1111?repository_url=ghcr.io/acme/auth&tag=1.4.0';
    expect(await post(backend, deployed('argocd/auth', artifact, '2026-03-01T10:00:00Z'))).toMatchObject({
      status: 'stored',
      verdict: 'valid',
    });
    const publish = published(artifact, '2026-03-01T10:05:00Z');
    await post(backend, publish);
    const incident = cdevent(
      'incident.detected.0.2.0',
      '/pagerduty',
      {
        id: 'INC-7',
        content: { description: 'login errors', service: { id: 'argocd/auth' }, artifactId: artifact },
      },
      '2026-03-01T10:10:00Z',
    );
    await post(backend, incident);
    const tests = cdevent(
      'testsuiterun.finished.0.2.0',
      '/ci/e2e',
      {
        id: 'run-42',
        content: { environment: { id: 'prod-eu' }, testSuite: { id: 'smoke' }, outcome: 'pass' },
      },
      '2026-03-01T10:12:00Z',
    );
    await post(backend, tests);
    const items = await listAppEvents(backend, 'auth');
    expect(reasons(items, publish.context.id)).toEqual([
      `artifact: artifact ${artifact} is deployed by this app, as /flagger/prod reported`,
    ]);
    expect(reasons(items, incident.context.id)).toEqual([
      `artifact: artifact ${artifact} is deployed by this app, as /flagger/prod reported`,
      "service: names this app's service argocd/auth",
    ]);
    expect(reasons(items, tests.context.id)).toEqual([
      "environment: test suite run in prod-eu, this app's destination, as /flagger/prod reported",
    ]);
  });

  it('gives the app the artifact events that arrived before the deploy report', async () => {
    const artifact = 'pkg:oci/billing@2.0.0?repository_url=ghcr.io/acme/billing';
    const early = published(artifact, '2026-03-02T09:00:00Z');
    await post(backend, early);
    expect(reasons(await listAppEvents(backend, 'billing'), early.context.id)).toEqual([]);
    await post(backend, deployed('argocd/billing', artifact, '2026-03-02T09:30:00Z'));
    expect(reasons(await listAppEvents(backend, 'billing'), early.context.id)).toEqual([
      `artifact: artifact ${artifact} is deployed by this app, as /flagger/prod reported`,
    ]);
  });

  it('forgets the artifact once the tool reports the service removed, and a late older deploy does not bring it back', async () => {
    const artifact = 'pkg:oci/cart@3.1.0';
    await post(backend, deployed('argocd/cart', artifact, '2026-03-03T09:00:00Z'));
    await post(
      backend,
      cdevent('service.removed.0.3.0', flagger, { id: 'argocd/cart', content: {} }, '2026-03-03T12:00:00Z'),
    );
    await post(backend, deployed('argocd/cart', artifact, '2026-03-03T08:00:00Z'));
    const after = published(artifact, '2026-03-03T13:00:00Z');
    await post(backend, after);
    expect(reasons(await listAppEvents(backend, 'cart'), after.context.id)).toEqual([]);
  });

  it('learns nothing from an invalid deploy event', async () => {
    const artifact = 'pkg:oci/search@1.0.0';
    const invalid = cdevent(
      'service.deployed.0.3.0',
      flagger,
      { id: 'argocd/search', content: { artifactId: artifact } },
      '2026-03-04T09:00:00Z',
    );
    expect(await post(backend, invalid)).toMatchObject({ status: 'stored', verdict: 'invalid' });
    const publish = published(artifact, '2026-03-04T09:10:00Z');
    await post(backend, publish);
    expect(reasons(await listAppEvents(backend, 'search'), publish.context.id)).toEqual([]);
  });

  it('adds another tool’s deploy to an app Argo CD told us about, in its instance', async () => {
    const podinfo = readCapturedNotifications().find((item) => item.file === '010_sync_podinfo_1_4.json')!.body.app;
    await notifyArgocd(backend, podinfo, { instance: 'east' });
    const canary = 'pkg:oci/podinfo-canary@6.9.3';
    await post(backend, deployed('argocd/aaaaaaa', canary, '2026-03-05T09:00:00Z'));
    const publish = published(canary, '2026-03-05T09:10:00Z');
    await post(backend, publish);
    const items = await listAppEvents(backend, { name: 'aaaaaaa', instance: 'east' });
    expect(reasons(items, publish.context.id)).toEqual([
      `artifact: artifact ${canary} is deployed by this app, as /flagger/prod reported`,
    ]);
    // Argo CD's own artifact still counts, without the mark.
    const emitted = await listAppEvents(backend, { name: 'aaaaaaa', instance: 'east' }, 'direction=emitted');
    const deploy = emitted.find((item) => item.predicate === 'deployed')!;
    const ownArtifact = (deploy.payload as { subject: { content: { artifactId: string } } }).subject.content.artifactId;
    const own = published(ownArtifact, '2026-03-05T09:20:00Z');
    await post(backend, own);
    expect(reasons(await listAppEvents(backend, { name: 'aaaaaaa', instance: 'east' }), own.context.id)).toEqual([
      `artifact: artifact ${ownArtifact} is deployed by this app`,
    ]);
  });
});
