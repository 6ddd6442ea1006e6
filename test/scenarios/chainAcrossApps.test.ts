/**
 * The cross-app story, through the real backend on PostgreSQL: real GitHub
 * events from the corpus (a pull request merged, a workflow run) plus
 * generated ones (the CI's pipeline start and artifact, a test suite, an
 * incident) and Argo CD notifications for two apps, `auth` and `portal`, that
 * share the staging namespace.
 *
 *   change.merged ◀─TRIGGER─ pipelinerun.started ┄run┄ pipelinerun.finished ◀─PATH─ artifact.published
 *     ┄purl / TRIGGER┄ auth upgraded (emitted) ┄staging┄ testsuiterun (portal's env) ┄staging┄ incident
 *     auth upgraded ◀─PATH─ auth rolledback (emitted)
 */
import { readFileSync } from 'fs';
import path from 'path';
import type { ChainResponse } from '../../src/backend/api/contract';
import { buildSyncedApplication, type SyncedApplication } from '../helpers/argocdApplications';
import {
  listAppEvents,
  notifyArgocd,
  postEvents,
  proxyHeaders,
  startBackend,
  type TestBackend,
} from '../helpers/backend';
import { testDataPath } from '../data/resolveTestData';

const corpus = testDataPath('cdevents-corpus/cdviz-transformers-community');
const repo = 'https://github.com/aaaaa-aaa/aaaaa-aaaaaaaaa';
const staging = { server: 'https://kubernetes.default.svc', namespace: 'staging' };
const stagingId = 'https://kubernetes.default.svc/staging';
const at = (time: string) => `2026-03-02T${time}:00Z`;

/** A corpus event with the id cdviz's collector would have given it ("0" is its placeholder) and a time in this story. */
function fromCorpus(file: string, id: string, timestamp: string): Record<string, unknown> {
  const event = JSON.parse(readFileSync(path.join(corpus, file), 'utf8')) as { context: Record<string, unknown> };
  return { ...event, context: { ...event.context, id, timestamp } };
}

function generated(
  id: string,
  type: string,
  timestamp: string,
  subject: { id: string; content: Record<string, unknown> },
  links?: unknown[],
) {
  return {
    context: {
      specversion: '0.5.1',
      id,
      source: 'https://ci.example.com',
      type: `dev.cdevents.${type}.0.3.0`,
      timestamp,
      ...(links ? { links } : {}),
    },
    subject,
  };
}

function application(
  name: string,
  repoURL: string,
  revision: string,
  finishedAt: string,
  images: string[],
  history: Array<[string, string]>,
) {
  const source = { repoURL, path: `deploy/${name}`, targetRevision: 'main', destination: staging };
  return buildSyncedApplication({ name, ...source, revision, finishedAt, images, history });
}

const REV_13 = '1'.repeat(40);
const REV_14 = '2'.repeat(40);
const REV_PORTAL = '3'.repeat(40);
const purl = 'pkg:oci/auth@sha256%3A' + 'ab'.repeat(32) + '?repository_url=ghcr.io/aaaaa-aaa/auth&tag=1.4.0';
const runId = 'https://api.github.com/repos/aaaaa-aaa/aaaaa-aaaaaaaaa/actions/runs/11111111111/attempts/1';

describe('a causal chain across two apps (real backend on PostgreSQL, corpus and generated events)', () => {
  let backend: TestBackend;
  const keyOf = new Map<string, string>();

  const notify = (app: SyncedApplication) => notifyArgocd(backend, app);

  async function ingest(events: Array<Record<string, unknown>>) {
    const { status, body } = await postEvents(backend.url, events);
    expect(status).toBe(200);
    for (const result of (body as { results: Array<{ id: string; key: string }> }).results)
      keyOf.set(result.id, result.key);
  }

  const tab = (name: string) => listAppEvents(backend, name);

  async function chainFrom(key: string, app: string): Promise<ChainResponse> {
    const response = await fetch(`${backend.url}/api/v1/events/${key}/chain?depth=10`, {
      headers: proxyHeaders({ namespace: 'argocd', name: app }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as ChainResponse;
  }

  beforeAll(async () => {
    backend = await startBackend({ store: 'postgres' });
    // Both apps are running in staging before the story starts.
    await notify(
      application(
        'portal',
        'https://github.com/aaaaa-aaa/portal.git',
        REV_PORTAL,
        at('08:00'),
        ['ghcr.io/aaaaa-aaa/portal:2.0.0'],
        [[REV_PORTAL, at('08:00')]],
      ),
    );
    await notify(
      application(
        'auth',
        `${repo}.git`,
        REV_13,
        at('09:00'),
        ['ghcr.io/aaaaa-aaa/auth:1.3.0'],
        [[REV_13, at('09:00')]],
      ),
    );
    await ingest([
      fromCorpus('github_events/outputs/pull_request/closed.01.json', 'gh-pr-97-merged', at('10:00')),
      generated(
        'ci-run-started',
        'pipelinerun.started',
        at('10:01'),
        { id: runId, content: { pipelineName: 'build', uri: `${repo}/actions/runs/11111111111` } },
        [{ linkType: 'RELATION', linkKind: 'TRIGGER', target: { contextId: 'gh-pr-97-merged' } }],
      ),
      fromCorpus('github_events/outputs/workflow_run/completed.json', 'gh-run-completed', at('10:05')),
      generated('ci-artifact-published', 'artifact.published', at('10:06'), { id: purl, content: {} }, [
        { linkType: 'PATH', from: { contextId: 'gh-run-completed' } },
      ]),
    ]);
    await notify(
      application(
        'auth',
        `${repo}.git`,
        REV_14,
        at('10:08'),
        ['ghcr.io/aaaaa-aaa/auth:1.4.0'],
        [
          [REV_13, at('09:00')],
          [REV_14, at('10:08')],
        ],
      ),
    );
    await ingest([
      generated('tk-suite-finished', 'testsuiterun.finished', at('10:15'), {
        id: 'smoke-run-7',
        content: { environment: { id: stagingId }, testSuite: { id: 'smoke' }, outcome: 'fail' },
      }),
      generated('alert-incident', 'incident.detected', at('10:20'), {
        id: 'incident-42',
        content: { environment: { id: stagingId }, description: 'login errors', artifactId: purl },
      }),
    ]);
    await notify(
      application(
        'auth',
        `${repo}.git`,
        REV_13,
        at('10:30'),
        ['ghcr.io/aaaaa-aaa/auth:1.3.0'],
        [
          [REV_13, at('09:00')],
          [REV_14, at('10:08')],
          [REV_13, at('10:30')],
        ],
      ),
    );
  }, 120_000);
  afterAll(() => backend?.close());

  const rollbackOf = async () => (await tab('auth')).find((e) => e.predicate === 'rolledback')!;

  it('emits the rollback for auth', async () => {
    expect(await rollbackOf()).toMatchObject({ direction: 'emitted', subject: 'service' });
  });

  it('reaches the merged change from the rollback, in auth tab', async () => {
    const chain = await chainFrom((await rollbackOf()).key, 'auth');
    const ids = chain.nodes.map((n) => n.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'gh-pr-97-merged',
        'ci-run-started',
        'gh-run-completed',
        'ci-artifact-published',
        'tk-suite-finished',
        'alert-incident',
      ]),
    );
    expect(chain.nodes.find((n) => n.id === 'gh-pr-97-merged')).toMatchObject({ stage: 'change' });
    expect(chain.truncated).toEqual({ depth: false, nodes: false });
  });

  it('reaches the merged change from the test suite, in portal tab, naming auth for auth events', async () => {
    const chain = await chainFrom(keyOf.get('tk-suite-finished')!, 'portal');
    expect(chain.nodes.map((n) => n.id)).toContain('gh-pr-97-merged');
    const rollback = chain.nodes.find((n) => n.predicate === 'rolledback')!;
    expect(rollback.apps).toContainEqual(
      expect.objectContaining({ namespace: 'argocd', name: 'auth', rule: 'emitted' }),
    );
  });

  it("shows the story in auth's tab with the reasons", async () => {
    const reasons = new Map((await tab('auth')).map((e) => [e.id, e.attributions.map((a) => a.rule)]));
    expect(reasons.get('gh-pr-97-merged')).toContain('source');
    expect(reasons.get('gh-run-completed')).toContain('source');
    expect(reasons.get('ci-artifact-published')).toContain('artifact');
    expect(reasons.get('tk-suite-finished')).toContain('environment');
    expect(reasons.get('alert-incident')).toContain('environment');
  });

  it("shows the test suite and the incident in portal's tab, by its environment", async () => {
    const items = await tab('portal');
    const suite = items.find((e) => e.id === 'tk-suite-finished');
    expect(suite?.attributions).toContainEqual({
      rule: 'environment',
      detail: `test suite run in ${stagingId}, this app's destination`,
    });
    expect(items.find((e) => e.id === 'alert-incident')?.attributions.map((a) => a.rule)).toContain('environment');
    expect(items.map((e) => e.id)).not.toContain('gh-pr-97-merged');
  });
});
