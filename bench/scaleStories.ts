/**
 * The stories of the scale bench (bench/scale.ts), also used by the backup and restore test:
 * story s is one release of app-(s mod 2,000), ten CDEvents as the tools would post them,
 * starting s × 10 s after 2026-01-01 (86,400 events a day). See bench/scale.ts for the mix.
 */
export const APPS = 2_000;
export const STORY_EVENTS = 10;
const STORY_SECONDS = 10;
const T0 = Date.parse('2026-01-01T00:00:00Z');

export const storyTime = (story: number, step: number) => new Date(T0 + story * STORY_SECONDS * 1000 + step * 60_000);
export const appOf = (story: number) => `app-${story % APPS}`;
const purlOf = (story: number) => `pkg:oci/${appOf(story)}@sha256%3A${story.toString(16).padStart(12, '0')}`;
/** subject.type of CDEvents 0.4.1, by the subject of the event type. */
const subjectTypes: Record<string, string> = {
  change: 'change',
  pipelinerun: 'pipelineRun',
  artifact: 'artifact',
  testsuiterun: 'testSuiteRun',
  testcaserun: 'testCaseRun',
  incident: 'incident',
  build: 'build',
};
const environmentOf = (story: number) => `https://kubernetes.default.svc/${appOf(story)}`;

/**
 * The ten events of one story, as valid CDEvents 0.4.1 JSON the way each tool would post them
 * (`context.version`, `subject.type`, each type's required content; test/bench/scaleStories.test.ts
 * validates them): tools send valid events, and an invalid one costs ingest its problem descriptions
 * and the store their JSON.
 */
export function buildStory(story: number): unknown[] {
  const app = appOf(story);
  const customData = { argocd: { application: { name: app, namespace: 'argocd' } } };
  /** `type` as `change.merged.0.2.0`; the subject's type is its first part as 0.4.1 spells it. */
  const received = (
    step: number,
    type: string,
    subject: { id: string; source?: string; content: object },
    links?: unknown[],
  ) => ({
    context: {
      version: '0.4.1',
      id: `s${story}-${step}`,
      source: 'https://ci.example.com',
      type: `dev.cdevents.${type}`,
      timestamp: storyTime(story, step).toISOString(),
      ...(links ? { links } : {}),
    },
    subject: { ...subject, type: subjectTypes[type.slice(0, type.indexOf('.'))] },
    customData,
  });
  const emitted = (step: number, predicate: string, artifactId: string) => ({
    context: {
      version: '0.4.1',
      id: `s${story}-${step}`,
      source: '/argocd/default/argocd',
      type: `dev.cdevents.service.${predicate}.0.2.0`,
      timestamp: storyTime(story, step).toISOString(),
    },
    subject: {
      id: `argocd/${app}`,
      source: '/argocd/default/argocd',
      type: 'service',
      content: { environment: { id: environmentOf(story) }, artifactId },
    },
  });
  const run = `run-${story}`;
  const suite = `suite-${story}`;
  const events: unknown[] = [
    received(0, 'change.merged.0.2.0', {
      id: `org/${app}/pulls/${story}`,
      source: 'https://github.com',
      content: { repository: { id: `github.com/org/${app}`, source: 'https://github.com' } },
    }),
    received(1, 'pipelinerun.started.0.2.0', { id: run, content: { pipelineName: 'build', url: 'https://ci/x' } }, [
      { linkType: 'RELATION', linkKind: 'TRIGGER', target: { contextId: `s${story}-0` } },
    ]),
    received(2, 'pipelinerun.finished.0.2.0', {
      id: run,
      content: { pipelineName: 'build', outcome: 'success', url: 'https://ci/x' },
    }),
    received(3, 'artifact.published.0.2.0', { id: purlOf(story), content: {} }, [
      { linkType: 'PATH', from: { contextId: `s${story}-2` } },
    ]),
    emitted(4, story < APPS ? 'deployed' : 'upgraded', purlOf(story)),
    received(5, 'testsuiterun.started.0.2.0', {
      id: suite,
      content: { environment: { id: environmentOf(story) }, testSuite: { id: 'e2e' } },
    }),
    received(6, 'testsuiterun.finished.0.2.0', {
      id: suite,
      content: { environment: { id: environmentOf(story) }, outcome: 'pass', testSuite: { id: 'e2e' } },
    }),
  ];
  if (story % 10 === 0) {
    events.push(
      received(7, 'incident.detected.0.2.0', {
        id: `inc-${story}`,
        content: { description: 'errors', environment: { id: environmentOf(story) } },
      }),
      // The rollback redeploys the app's previous release.
      emitted(8, 'rolledback', story >= APPS ? purlOf(story - APPS) : purlOf(story)),
      received(9, 'incident.resolved.0.2.0', {
        id: `inc-${story}`,
        content: { description: 'errors', environment: { id: environmentOf(story) } },
      }),
    );
  } else {
    events.push(
      received(7, 'testcaserun.started.0.2.0', {
        id: `case-${story}`,
        content: { environment: { id: environmentOf(story) }, testCase: { id: 'login' } },
      }),
      received(8, 'testcaserun.finished.0.2.0', {
        id: `case-${story}`,
        content: { environment: { id: environmentOf(story) }, testCase: { id: 'login' }, outcome: 'pass' },
      }),
      received(9, 'build.finished.0.2.0', { id: `build-${story}`, content: { artifactId: purlOf(story) } }),
    );
  }
  return events;
}
