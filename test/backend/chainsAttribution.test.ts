import { readFileSync } from 'fs';
import path from 'path';
import type { Application } from '../../src/backend/argocd/application';
import { attributeEvent, type AttributionInput } from '../../src/backend/chains/attribution';
import { buildAppProfile, type AppProfile } from '../../src/backend/chains/buildAppProfile';
import { summarizeEvent } from '../../src/cdevents';
import { testDataPath } from '../data/resolveTestData';

const corpus = testDataPath('cdevents-corpus/cdviz-transformers-community');
const readCorpus = (file: string): unknown => JSON.parse(readFileSync(path.join(corpus, file), 'utf8'));
const capturedApp = (file: string): Application =>
  (readCorpus(`argocd_notifications/inputs/captured/${file}`) as { app: Application }).app;

/** A git-sourced app on the corpus's GitHub repository, deployed to staging. */
const gitApp: Application = {
  metadata: { name: 'auth', namespace: 'argocd', uid: 'uid-auth' },
  spec: {
    source: { repoURL: 'https://github.com/aaaaa-aaa/aaaaa-aaaaaaaaa.git', path: 'deploy', targetRevision: 'main' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'staging' },
  },
  status: {
    sync: { status: 'Synced', revision: '0123abc' },
    summary: { images: ['ghcr.io/aaaaa-aaa/auth:1.4.0'] },
  },
};

function attribute(event: unknown, apps: AppProfile[]) {
  const summary = summarizeEvent(event);
  const input: AttributionInput = { event, summary, direction: 'received', apps };
  return attributeEvent(input).map(({ app, attribution }) => ({
    app: `${app.instance}:${app.namespace}/${app.name}`,
    ...attribution,
  }));
}

const withGitApp = () => [buildAppProfile({ instance: 'main', application: gitApp })];

describe('received events attributed by what the app deploys (real corpus events)', () => {
  it('attributes a GitHub package of the image a captured app runs, as another version of it', () => {
    // the captured cdviz-collector app runs ghcr.io/cdviz-dev/aaaaa-aaaaaaaaa:0.8.0; GitHub published 1.1.1
    const apps = [buildAppProfile({ instance: 'main', application: capturedApp('004.json') })];
    expect(attribute(readCorpus('github_events/outputs/package/published.4.json'), apps)).toEqual([
      {
        app: 'main:argocd/aaaaa-aaaaaaaaa',
        rule: 'artifact',
        detail: expect.stringMatching(
          /^artifact pkg:oci\/aaaaa-aaaaaaaaa@.* is a version of pkg:oci\/aaaaa-aaaaaaaaa@0\.8\.0/,
        ),
      },
    ]);
  });

  it('attributes a deploy of the exact chart version a captured app deploys, as deployed by it', () => {
    const apps = [buildAppProfile({ instance: 'main', application: capturedApp('017_sync_podinfo_3_4.json') })];
    const reasons = attribute(readCorpus('argocd_notifications/outputs/captured/017_sync_podinfo_3_4.json'), apps);
    expect(reasons).toContainEqual({
      app: 'main:argocd/aaaaaaa',
      rule: 'artifact',
      detail: 'artifact pkg:oci/aaaaaaa@6.9.0?repository_url=ghcr.io/stefanprodan/charts is deployed by this app',
    });
  });

  it.each([
    ['a merged pull request', 'github_events/outputs/pull_request/closed.01.json', 'change'],
    ['an opened pull request', 'github_events/outputs/pull_request/opened.01.json', 'change'],
    ['a created branch', 'github_events/outputs/branch/event.02.json', 'branch'],
    ['a finished workflow run', 'github_events/outputs/workflow_run/completed.json', 'pipeline run'],
  ])('attributes %s on the app repository to the app, by source', (_name, file, words) => {
    expect(attribute(readCorpus(file), withGitApp())).toEqual([
      {
        app: 'main:argocd/auth',
        rule: 'source',
        detail: `${words} on github.com/aaaaa-aaa/aaaaa-aaaaaaaaa, this app's source repository`,
      },
    ]);
  });

  it('says a pipeline run is for the revision the app deploys when the event names it', () => {
    const event = readCorpus('github_events/outputs/workflow_run/completed.json') as Record<string, unknown>;
    const withSha = {
      ...event,
      customData: {
        github: { head_sha: '0123abc', repository: { url: 'https://api.github.com/repos/aaaaa-aaa/aaaaa-aaaaaaaaa' } },
      },
    };
    expect(attribute(withSha, withGitApp())[0]?.detail).toBe(
      'pipeline run on github.com/aaaaa-aaa/aaaaa-aaaaaaaaa at 0123abc, the revision this app deploys',
    );
  });

  it('does not attribute GitHub events of a repository no app deploys from', () => {
    const other = buildAppProfile({
      instance: 'main',
      application: { ...gitApp, spec: { ...gitApp.spec, source: { repoURL: 'https://github.com/other/repo' } } },
    });
    expect(attribute(readCorpus('github_events/outputs/pull_request/closed.01.json'), [other])).toEqual([]);
  });

  it('does not attribute an issue (a ticket) by source, although it names the repository', () => {
    expect(attribute(readCorpus('github_events/outputs/issue/opened.01.json'), withGitApp())).toEqual([]);
  });
});

describe('received events attributed by the app destination', () => {
  const testRun = (environmentId: string) => ({
    context: {
      specversion: '0.5.1',
      id: 't1',
      source: 'testkube',
      type: 'dev.cdevents.testsuiterun.finished.0.3.0',
      timestamp: '2026-01-01T00:00:00Z',
    },
    subject: { id: 'suite-run-1', content: { environment: { id: environmentId }, outcome: 'pass' } },
  });

  it('attributes a test suite run in the app destination (cluster/namespace as Argo CD events name it)', () => {
    expect(attribute(testRun('https://kubernetes.default.svc/staging'), withGitApp())).toEqual([
      {
        app: 'main:argocd/auth',
        rule: 'environment',
        detail: "test suite run in https://kubernetes.default.svc/staging, this app's destination",
      },
    ]);
  });

  it('does not attribute a test suite run in another namespace of the same cluster', () => {
    expect(attribute(testRun('https://kubernetes.default.svc/prod'), withGitApp())).toEqual([]);
  });

  it('does not attribute another tool deploying into the same environment by environment', () => {
    // kubewatch's deployment update: a service event, not a test, incident or environment event
    const apps = [
      buildAppProfile({
        instance: 'main',
        application: { ...gitApp, spec: { ...gitApp.spec, destination: { name: 'cluster', namespace: 'A-dev' } } },
      }),
    ];
    expect(attribute(readCorpus('kubewatch_cloudevents/outputs/deployment/update.json'), apps)).toEqual([]);
  });
});

describe('received events attributed as triggers', () => {
  it('attributes an event that one of the app emitted events names with RELATION TRIGGER', () => {
    const event = {
      ...(readCorpus('github_events/outputs/release/published.json') as object),
      context: {
        id: 'rel-1',
        source: 'gh',
        type: 'dev.cdevents.artifact.published.0.2.0',
        version: '0.4.1',
        timestamp: '2025-01-24T14:30:24Z',
      },
    };
    const apps = [buildAppProfile({ instance: 'main', application: gitApp, triggeredBy: ['rel-1'] })];
    expect(attribute(event, apps)).toContainEqual({
      app: 'main:argocd/auth',
      rule: 'trigger',
      detail: 'triggered a sync of this app',
    });
  });
});

describe('what the received rules leave alone', () => {
  it('gives the app own emitted events no received reasons', () => {
    const event = readCorpus('argocd_notifications/outputs/captured/017_sync_podinfo_3_4.json');
    const apps = [buildAppProfile({ instance: 'main', application: capturedApp('017_sync_podinfo_3_4.json') })];
    const input: AttributionInput = { event, summary: summarizeEvent(event), direction: 'emitted', apps };
    expect(attributeEvent(input).map((a) => a.attribution.rule)).not.toContain('artifact');
  });

  it('attributes nothing by the new rules when the backend knows no apps', () => {
    expect(attribute(readCorpus('github_events/outputs/package/published.4.json'), [])).toEqual([]);
  });
});

describe("events naming the app's service", () => {
  const named = (type: string, subject: { id: string; content: Record<string, unknown> }) => ({
    context: {
      specversion: '0.5.1',
      id: `${type}-1`,
      source: '/tools',
      type: `dev.cdevents.${type}`,
      timestamp: '2026-03-01T00:00:00Z',
    },
    subject,
  });

  it.each([
    [
      'an incident by content.service.id',
      named('incident.reported.0.2.0', {
        id: 'INC-1',
        content: { description: 'x', environment: { id: 'elsewhere' }, service: { id: 'argocd/auth' } },
      }),
    ],
    [
      'a ticket by its subject id',
      named('ticket.created.0.2.0', {
        id: 'argocd/auth',
        content: { summary: 'login broken', uri: 'https://tickets/1' },
      }),
    ],
    [
      'a test case run by content.service.id',
      named('testcaserun.finished.0.2.0', { id: 'tc-1', content: { outcome: 'fail', service: { id: 'argocd/auth' } } }),
    ],
  ])('gives the app %s, with the reason', (_name, event) => {
    expect(attribute(event, withGitApp())).toContainEqual({
      app: 'main:argocd/auth',
      rule: 'service',
      detail: "names this app's service argocd/auth",
    });
  });

  it('does not give the app a deploy or an artifact event that names its service', () => {
    const deploy = named('service.deployed.0.3.0', {
      id: 'other/svc',
      content: { environment: { id: 'x' }, artifactId: 'pkg:oci/x@1', service: { id: 'argocd/auth' } },
    });
    expect(attribute(deploy, withGitApp()).map((reason) => reason.rule)).not.toContain('service');
  });
});
