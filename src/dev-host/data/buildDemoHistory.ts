/**
 * The demo history of the sample apps: what the tools around them would have
 * sent over the last days, in the order they would have sent it.
 *  - Other tools post CDEvents to POST /api/v1/events, built here with the
 *    model's builders: GitHub (change merged), CI (pipeline run, build,
 *    artifact published), a test runner (test suite run), an alerting tool
 *    (incident detected and resolved).
 *  - Argo CD's notifications post the whole Application after each sync to
 *    POST /api/v1/argocd/notifications, as deploy/argocd configures it; the
 *    backend turns those into service deployed / upgraded / rolled back. So the
 *    emitted half of the demo comes from the product's own mapping.
 * Times are relative to `now` and ids are stable, so a second load stores nothing new.
 */
import { createEvent, type CDEvent, type EmbeddedLink } from '../../cdevents';
import {
  AUTH_INCIDENT,
  SAMPLE_APP_SPECS,
  buildSampleApplication,
  buildStableHex,
  buildStableUuid,
  type SampleAppSpec,
  type SampleApplication,
} from './sampleApplications';

export type DemoItem =
  | { route: 'events'; at: string; event: CDEvent }
  | { route: 'notifications'; at: string; application: SampleApplication };

export interface DemoHistoryOptions {
  now: Date;
  /** The Argo CD instance the sample apps live in (the backend's CDEVENTS_DEFAULT_INSTANCE). */
  instance: string;
  /** Defaults to every sample app. */
  apps?: readonly SampleAppSpec[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const pathFrom = (event: CDEvent): EmbeddedLink => ({ linkType: 'PATH', from: { contextId: event.context.id } });
const triggeredBy = (event: CDEvent): EmbeddedLink => ({
  linkType: 'RELATION',
  linkKind: 'TRIGGER',
  target: { contextId: event.context.id },
});

/** The purl of a pinned image, spelled as the backend spells the image an app runs. */
export function buildImagePurl(image: string, digest: string, tag: string): string {
  const name = image.slice(image.lastIndexOf('/') + 1);
  return `pkg:oci/${name}@${digest.replace(':', '%3A')}?repository_url=${image}&tag=${tag}`;
}

/** The environment of an app's destination, named as the backend names it in the events it emits. */
export function buildEnvironment(spec: SampleAppSpec, instance: string): { id: string; source: string } {
  return { id: `${spec.destination.server}/${spec.destination.namespace}`, source: `/argocd/${instance}` };
}

function createClock(now: Date): (hoursAgo: number, plusMinutes?: number) => string {
  return (hoursAgo, plusMinutes = 0) => new Date(now.getTime() - hoursAgo * HOUR + plusMinutes * MINUTE).toISOString();
}

type Clock = ReturnType<typeof createClock>;

/** A change merged and the pipeline it started, which builds and publishes the image or fails. */
function buildDelivery(
  spec: SampleAppSpec,
  release: { version: string; digest: string; revision: string },
  startHoursAgo: number,
  at: Clock,
  outcome: 'success' | 'failure' = 'success',
): CDEvent[] {
  const label = `${spec.service}:${release.version}`;
  const chainId = buildStableUuid(`chain:${label}`);
  const id = (step: string) => buildStableUuid(`${label}:${step}`);
  const pr = 100 + (parseInt(buildStableHex(label, 4), 16) % 900);
  const runId = String(9_000_000_000 + (parseInt(buildStableHex(`run:${label}`, 7), 16) % 999_999_999));
  const runUri = `${spec.repository}/actions/runs/${runId}`;
  const ciSource = `${spec.repository}/actions`;
  const pipeline = { pipelineName: 'build-and-push', uri: runUri };
  // What GitHub's webhooks carry: the repository's API URL and the commit built (the merge commit).
  const github = { repository: { url: `https://api.github.com/repos${new URL(spec.repository).pathname}` } };
  const commit = { ...github, head_sha: release.revision };

  const merged = createEvent({
    type: 'change.merged',
    source: spec.repository,
    id: id('merged'),
    timestamp: at(startHoursAgo),
    chainId,
    subject: {
      id: `${spec.repository}/pull/${pr}`,
      content: { repository: { id: spec.repository, source: 'https://github.com' } },
    },
    customData: { github: { ...github, sha: release.revision, title: `Release ${release.version}`, merged_by: 'bob' } },
  });
  const started = createEvent({
    type: 'pipelinerun.started',
    source: ciSource,
    id: id('started'),
    timestamp: at(startHoursAgo, 0.5),
    chainId,
    links: [triggeredBy(merged)],
    subject: { id: runId, content: pipeline },
    customData: { github: commit },
  });
  if (outcome === 'failure') {
    const failed = createEvent({
      type: 'pipelinerun.finished',
      source: ciSource,
      id: id('finished'),
      timestamp: at(startHoursAgo, 4),
      chainId,
      links: [pathFrom(started)],
      subject: { id: runId, content: { ...pipeline, outcome: 'failure', errors: 'unit tests failed: 3 of 412' } },
      customData: { github: commit },
    });
    return [merged, started, failed];
  }
  const purl = buildImagePurl(spec.image, release.digest, release.version);
  const built = createEvent({
    type: 'build.finished',
    source: ciSource,
    id: id('build'),
    timestamp: at(startHoursAgo, 6),
    chainId,
    links: [pathFrom(started)],
    subject: { id: `${runId}-build`, content: { artifactId: purl } },
    customData: { github: commit },
  });
  const published = createEvent({
    type: 'artifact.published',
    source: ciSource,
    id: id('published'),
    timestamp: at(startHoursAgo, 6.5),
    chainId,
    links: [pathFrom(built)],
    subject: { id: purl, content: { user: 'github-actions[bot]' } },
  });
  const finished = createEvent({
    type: 'pipelinerun.finished',
    source: ciSource,
    id: id('finished'),
    timestamp: at(startHoursAgo, 7),
    chainId,
    links: [pathFrom(published)],
    subject: { id: runId, content: { ...pipeline, outcome: 'success' } },
    customData: { github: commit },
  });
  return [merged, started, built, published, finished];
}

/** The smoke test suite a test runner starts after each sync, in the app's environment. */
function buildSmokeTests(spec: SampleAppSpec, index: number, at: Clock, instance: string): CDEvent {
  const release = spec.releases[index];
  return createEvent({
    type: 'testsuiterun.finished',
    source: 'https://testkube.example.com',
    id: buildStableUuid(`${spec.name}:tests:${index}`),
    timestamp: at(release.hoursAgo, 12),
    chainId: buildStableUuid(`chain:${spec.service}:${release.version}`),
    subject: {
      id: `${spec.service}-smoke-${spec.environment}-${index + 1}`,
      content: {
        environment: buildEnvironment(spec, instance),
        testSuite: {
          id: `${spec.service}-smoke`,
          name: `${spec.service} smoke tests`,
          uri: `https://testkube.example.com/tests/${spec.service}-smoke`,
        },
        outcome: 'success',
      },
    },
  });
}

/** The alerting tool's incident on auth 1.14.0 in production, and its resolution after the rollback. */
function buildAuthIncident(spec: SampleAppSpec, at: Clock, instance: string): CDEvent[] {
  const faulty = spec.releases.find((r) => r.version === '1.14.0');
  const rollback = spec.releases.find((r) => r.cause?.eventId === AUTH_INCIDENT.detectedId);
  if (!faulty || !rollback) throw new Error('auth needs a 1.14.0 release and a rollback caused by the incident');
  const content = {
    description: `Login error rate above 5% on ${spec.service} ${faulty.version}`,
    environment: buildEnvironment(spec, instance),
    service: { id: `argocd/${spec.name}` },
    artifactId: buildImagePurl(spec.image, faulty.digest, faulty.version),
  };
  const detected = createEvent({
    type: 'incident.detected',
    source: 'https://alertmanager.example.com',
    id: AUTH_INCIDENT.detectedId,
    timestamp: at(AUTH_INCIDENT.hoursAgo),
    chainId: AUTH_INCIDENT.chainId,
    subject: { id: `AuthLoginErrorRate/${spec.name}`, content },
    customData: { alertmanager: { alertname: 'AuthLoginErrorRate', severity: 'critical' } },
  });
  const resolved = createEvent({
    type: 'incident.resolved',
    source: 'https://alertmanager.example.com',
    id: AUTH_INCIDENT.resolvedId,
    timestamp: at(rollback.hoursAgo, 20),
    chainId: AUTH_INCIDENT.chainId,
    links: [pathFrom(detected)],
    subject: { id: `AuthLoginErrorRate/${spec.name}`, content },
  });
  return [detected, resolved];
}

/**
 * Builds the whole demo history, oldest first: for every version of a service a
 * change merged and the pipeline that published its image (an hour before its
 * first sync anywhere); for every sync of an app the Application as Argo CD
 * notified it, then a smoke test run in that environment. auth 1.14.0 raises an
 * incident in production that a rollback resolves; admin's next version fails
 * its pipeline.
 */
export function buildDemoHistory(options: DemoHistoryOptions): DemoItem[] {
  const at = createClock(options.now);
  const apps = options.apps ?? SAMPLE_APP_SPECS;
  const items: DemoItem[] = [];
  const pushEvents = (events: CDEvent[]) =>
    events.forEach((event) => items.push({ route: 'events', at: event.context.timestamp, event }));

  const firstSync = new Map<
    string,
    { spec: SampleAppSpec; version: string; digest: string; revisions: string[]; hoursAgo: number }
  >();
  for (const spec of apps) {
    for (const r of spec.releases) {
      const key = `${spec.service}:${r.version}`;
      const seen = firstSync.get(key);
      if (!seen || seen.hoursAgo < r.hoursAgo) firstSync.set(key, { spec, ...r });
    }
  }
  for (const { spec, version, digest, revisions, hoursAgo } of firstSync.values()) {
    pushEvents(buildDelivery(spec, { version, digest, revision: revisions[0] }, hoursAgo + 1, at));
  }

  for (const spec of apps) {
    spec.releases.forEach((release, index) => {
      const application = buildSampleApplication(spec, options.now, index);
      items.push({ route: 'notifications', at: application.status.operationState.finishedAt, application });
      if (!release.cause) pushEvents([buildSmokeTests(spec, index, at, options.instance)]);
    });
    if (spec.releases.some((r) => r.cause?.eventId === AUTH_INCIDENT.detectedId)) {
      pushEvents(buildAuthIncident(spec, at, options.instance));
    }
  }

  const admin = apps.find((spec) => spec.name === 'admin');
  if (admin) {
    const revision = buildStableHex('admin:2.4.0:rev0');
    pushEvents(buildDelivery(admin, { version: '2.4.0', digest: '', revision }, 6, at, 'failure'));
  }

  return items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
