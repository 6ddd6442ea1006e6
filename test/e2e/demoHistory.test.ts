/**
 * The demo history `npm start` loads: realistic (valid CDEvents, the story the
 * README tells, times in the recent past), stable (a second load stores nothing
 * new) and loaded only into an empty store, through the backend's public routes.
 */
import { validateEvent, type CDEvent } from '../../src/cdevents';
import { buildDemoHistory, type DemoItem } from '../../src/dev-host/data/buildDemoHistory';
import { AUTH_INCIDENT } from '../../src/dev-host/data/sampleApplications';
import { loadDemoHistory } from '../../src/backend/demo/loadDemoHistory';
import { toDemoRequest } from '../../src/dev-host/startLocalStack';
import { startBackend, testIngestToken, type TestBackend } from '../helpers/backend';

const now = new Date('2026-03-10T12:00:00Z');
const history = buildDemoHistory({ now, instance: 'default' });
const events = history.flatMap((item) => (item.route === 'events' ? [item.event] : []));
const notifications = history.flatMap((item) => (item.route === 'notifications' ? [item.application] : []));

function typesOf(list: CDEvent[]): string[] {
  return list.map((event) => event.context.type.replace(/^dev\.cdevents\.|\.\d+\.\d+\.\d+$/g, ''));
}

describe('the demo history', () => {
  it('holds only CDEvents that are valid for their spec version', () => {
    const invalid = events
      .map((event) => ({ id: event.context.id, type: event.context.type, verdict: validateEvent(event) }))
      .filter(({ verdict }) => verdict.status !== 'valid');
    expect(invalid).toEqual([]);
  });

  it('is in time order, all in the last eight days before now', () => {
    const times = history.map((item: DemoItem) => Date.parse(item.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(Math.max(...times)).toBeLessThan(now.getTime());
    expect(Math.min(...times)).toBeGreaterThan(now.getTime() - 8 * 24 * 3_600_000);
  });

  it('tells the story: change merged, pipeline run, artifact published, test suite run, incident and its resolution', () => {
    expect(new Set(typesOf(events))).toEqual(
      new Set([
        'change.merged',
        'pipelinerun.started',
        'pipelinerun.finished',
        'build.finished',
        'artifact.published',
        'testsuiterun.finished',
        'incident.detected',
        'incident.resolved',
      ]),
    );
  });

  it('deploys auth to staging before production, and rolls production back because of the alert', () => {
    const auth = notifications.filter((app) => app.metadata.name === 'auth');
    const staging = notifications.filter((app) => app.metadata.name === 'auth-staging');
    const imageOf = (app: (typeof auth)[number]) => app.status.summary.images[0];
    const firstProd140 = auth.find((app) => imageOf(app).includes(':1.14.0@'));
    const firstStaging140 = staging.find((app) => imageOf(app).includes(':1.14.0@'));
    expect(Date.parse(firstStaging140!.status.operationState.finishedAt)).toBeLessThan(
      Date.parse(firstProd140!.status.operationState.finishedAt),
    );
    const last = auth[auth.length - 1];
    expect(imageOf(last)).toContain(':1.13.2@');
    expect(last.status.operationState.operation.info).toContainEqual({
      name: 'cdevents-event-id',
      value: AUTH_INCIDENT.detectedId,
    });
  });

  it('gives the same ids when built again, so a second load stores nothing new', () => {
    const again = buildDemoHistory({ now, instance: 'default' });
    expect(
      again.map((item) => (item.route === 'events' ? item.event.context.id : item.application.metadata.uid)),
    ).toEqual(history.map((item) => (item.route === 'events' ? item.event.context.id : item.application.metadata.uid)));
  });
});

describe('loading the demo history into the backend (PGlite)', () => {
  let backend: TestBackend;
  const requests = history.map((item) => toDemoRequest(item, 'default'));

  beforeAll(async () => {
    backend = await startBackend();
  }, 60_000);

  afterAll(async () => {
    await backend?.close();
  });

  async function countByVerdict(): Promise<Record<string, number>> {
    const { rows } = await backend.store.sql.query<{ verdict: string; n: string }>(
      'SELECT verdict, count(*)::text AS n FROM events GROUP BY verdict',
    );
    return Object.fromEntries(rows.map((row) => [row.verdict, Number(row.n)]));
  }

  it('names the refused request, its status and the backend message when ingest needs a token it was not given', async () => {
    await expect(loadDemoHistory({ baseUrl: backend.url, sql: backend.store.sql, requests })).rejects.toThrow(
      /POST \/api\/v1\/events \(request 1\) answered 401: missing bearer token/,
    );
  });

  it('stores every event valid through the public routes, Argo CD notifications becoming emitted service events', async () => {
    const result = await loadDemoHistory({
      baseUrl: backend.url,
      sql: backend.store.sql,
      requests,
      ingestToken: testIngestToken,
    });
    expect(result).toEqual({ loaded: true, sent: requests.length });
    const verdicts = await countByVerdict();
    expect(Object.keys(verdicts)).toEqual(['valid']);
    expect(verdicts.valid).toBeGreaterThanOrEqual(events.length);
    const { rows } = await backend.store.sql.query<{ type: string }>(
      "SELECT type FROM events WHERE direction = 'emitted' AND subject_id = 'argocd/auth' ORDER BY event_time",
    );
    expect(rows.map((row) => row.type.replace(/\.\d+\.\d+\.\d+$/, ''))).toEqual([
      'dev.cdevents.service.deployed',
      'dev.cdevents.service.upgraded',
      'dev.cdevents.service.rolledback',
    ]);
  }, 60_000);

  it('leaves a store that already holds events alone', async () => {
    const before = await countByVerdict();
    const result = await loadDemoHistory({
      baseUrl: backend.url,
      sql: backend.store.sql,
      requests,
      ingestToken: testIngestToken,
    });
    expect(result).toEqual({ loaded: false, sent: 0 });
    expect(await countByVerdict()).toEqual(before);
  });
});
