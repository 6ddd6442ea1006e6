/**
 * App facts (migration 015) on PGlite and the real PostgreSQL: the summary strip, the DORA trends and
 * the dashboard read an app's service events, publications, incidents and failed runs from app_facts.
 * A store filled before 015 gets the facts of every event it holds; every attribution stored after it
 * (at ingest, or learnt later) writes its event's facts in the same statement; the reads count an
 * event shown for the app twice (its own row and one for any instance) once.
 */
import { createEvent } from '../../src/cdevents';
import { buildNewEvent } from '../../src/backend/api/buildNewEvent';
import { fetchRunning } from '../../src/backend/store/dashboardQueries';
import { encodeEventKey } from '../../src/backend/store/eventKey';
import { readMigrations, runMigrations } from '../../src/backend/store/runMigrations';
import {
  countFailedRuns,
  fetchArtifactPublications,
  fetchIncidentHistory,
  fetchServiceEvents,
} from '../../src/backend/store/summaryQueries';
import type { AppRef, NewEvent } from '../../src/backend/store/types';
import { openTestDatabase, type TestDatabase } from './sinks/openTestDatabase';

const auth: AppRef = { instance: 'default', namespace: 'argocd', name: 'auth' };
const anyInstance: AppRef = { ...auth, instance: '*' };
const purl = 'pkg:oci/auth@sha256%3A0123456789abcdef';

/** One event of each kind app_facts holds, one of each it leaves out, an hour apart from 2026-06-01. */
function eventsOfEveryKind() {
  const at = (hour: number) => new Date(Date.UTC(2026, 5, 1, hour)).toISOString();
  const emitted = (type: string, id: string, hour: number, content: object) =>
    createEvent({
      type,
      source: '/argocd/default/argocd',
      id,
      timestamp: at(hour),
      subject: { id: 'argocd/auth', content },
    });
  const received = (type: string, id: string, hour: number, subject: { id: string; content: object }) =>
    createEvent({ type, source: '/ci/facts', id, timestamp: at(hour), subject });
  return {
    published: received('artifact.published', 'published', 1, { id: purl, content: {} }),
    deployed: emitted('service.deployed', 'deployed', 2, { environment: { id: 'prod' }, artifactId: purl }),
    detected: received('incident.detected', 'detected', 3, {
      id: 'inc-1',
      content: { description: 'auth answers 503', environment: { id: 'prod' } },
    }),
    failedRun: received('pipelinerun.finished', 'failed-run', 4, {
      id: 'run-1',
      content: { pipelineName: 'build', outcome: 'failure' },
    }),
    erroredSuite: received('testsuiterun.finished', 'errored-suite', 5, {
      id: 'suite-1',
      content: { outcome: 'error', environment: { id: 'staging' } },
    }),
    // Left out: a run that passed, and a service event another tool reports (the summary counts what Argo CD emitted).
    passedRun: received('pipelinerun.finished', 'passed-run', 6, {
      id: 'run-2',
      content: { pipelineName: 'build', outcome: 'success' },
    }),
    reportedDeploy: received('service.deployed', 'reported-deploy', 7, {
      id: 'argocd/auth',
      content: { environment: { id: 'prod' }, artifactId: purl },
    }),
  };
}

type AnyEvent = ReturnType<typeof createEvent>;

/** The event as ingest stores it, shown for `apps` (each by a rule of its own, as attribution gives). */
function shownFor(event: AnyEvent, apps: AppRef[]): NewEvent {
  return {
    ...buildNewEvent(event),
    attributions: apps.map((app) => ({ app, attribution: { rule: 'subject' as const, detail: 'test' } })),
  };
}

async function factsOf(db: TestDatabase) {
  const { rows } = await db.store.sql.query<{ context_id: string; instance: string; fact: string }>(
    `SELECT e.context_id, f.instance, f.fact, f.predicate, f.environment, f.artifact_id, f.subject_id, f.description
     FROM app_facts f JOIN events e ON e.seq = f.event_seq
     ORDER BY f.sort_time, f.instance`,
  );
  return rows;
}

/** A row of factsOf: the columns a fact leaves empty are null. */
function fact(contextId: string, fact: string, predicate: string, columns: Record<string, string>) {
  return {
    context_id: contextId,
    instance: 'default',
    fact,
    predicate,
    environment: null,
    artifact_id: null,
    subject_id: null,
    description: null,
    ...columns,
  };
}

const expectedFacts = [
  fact('published', 'publication', 'published', { instance: '*', subject_id: purl }),
  fact('published', 'publication', 'published', { subject_id: purl }),
  fact('deployed', 'service', 'deployed', { environment: 'prod', artifact_id: purl, subject_id: 'argocd/auth' }),
  fact('detected', 'incident', 'detected', {
    environment: 'prod',
    subject_id: 'inc-1',
    description: 'auth answers 503',
  }),
  fact('failed-run', 'failed_run', 'finished', { subject_id: 'run-1' }),
  fact('errored-suite', 'failed_run', 'finished', { environment: 'staging', subject_id: 'suite-1' }),
];

/** Stores one event of every kind for auth; the publication also for auth on any instance. */
async function storeEveryKind(db: TestDatabase): Promise<void> {
  const events = eventsOfEveryKind();
  const outcomes = await db.store.insertEvents([
    shownFor(events.published, [auth, anyInstance]),
    shownFor(events.deployed, [auth]),
    shownFor(events.detected, [auth]),
    shownFor(events.failedRun, [auth]),
    shownFor(events.erroredSuite, [auth]),
    shownFor(events.passedRun, [auth]),
    shownFor(events.reportedDeploy, [auth]),
  ]);
  expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(7).fill('stored'));
}

describe.each(['pglite', 'postgres'] as const)('app facts on %s', (kind) => {
  describe('migration 015 on a store filled by migrations 001-014', () => {
    let db: TestDatabase;
    afterAll(async () => {
      await db?.close();
    });

    it('writes the facts of every event already stored, and its trigger those of events stored after it', async () => {
      db = await openTestDatabase(kind, {
        migrations: readMigrations().filter((migration) => parseInt(migration.name, 10) <= 14),
      });
      await storeEveryKind(db);

      expect(await runMigrations(db.store.sql)).toEqual(['015_app_facts']);
      expect(await factsOf(db)).toEqual(expectedFacts);

      const later = createEvent({
        type: 'incident.resolved',
        source: '/ci/facts',
        id: 'resolved',
        timestamp: '2026-06-01T09:00:00.000Z',
        subject: { id: 'inc-1', content: { environment: { id: 'prod' } } },
      });
      await db.store.insertEvents([shownFor(later, [auth])]);
      expect((await factsOf(db)).filter((fact) => fact.context_id === 'resolved')).toEqual([
        expect.objectContaining({ instance: 'default', fact: 'incident', predicate: 'resolved', subject_id: 'inc-1' }),
      ]);
    });
  });

  describe('on a store migrated from empty', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await openTestDatabase(kind);
      await storeEveryKind(db);
    });
    afterAll(async () => {
      await db?.close();
    });

    it('holds the same facts ingest writes as the migration does', async () => {
      expect(await factsOf(db)).toEqual(expectedFacts);
    });

    it('writes the facts of an attribution learnt after the event was stored, once per app', async () => {
      const { rows } = await db.store.sql.query<{ seq: string }>(
        `SELECT seq::text AS seq FROM events WHERE context_id = 'deployed'`,
      );
      const key = encodeEventKey(rows[0]!.seq);
      const payments: AppRef = { ...auth, name: 'payments' };
      await db.store.addAttributions(key, [
        { app: payments, attribution: { rule: 'subject', detail: 'learnt later' } },
        // A second reason for the same app adds no second fact.
        { app: payments, attribution: { rule: 'custom-data', detail: 'learnt later' } },
      ]);
      const running = await fetchRunning(db.store.sql, payments);
      expect(running).toEqual([
        expect.objectContaining({ key, predicate: 'deployed', environment: 'prod', artifactId: purl }),
      ]);
      const { rows: facts } = await db.store.sql.query(`SELECT fact FROM app_facts WHERE app_name = 'payments'`);
      expect(facts).toEqual([{ fact: 'service' }]);
    });

    it('reads each kind for the app, an event shown for it twice counted once', async () => {
      const range = { from: '2026-06-01T00:00:00.000Z', to: '2026-06-02T00:00:00.000Z', environment: null };
      const publications = await fetchArtifactPublications(db.store.sql, auth, range);
      expect(publications.map((publication) => publication.purl)).toEqual([purl]);
      const services = await fetchServiceEvents(db.store.sql, auth, range);
      expect(services).toEqual([
        expect.objectContaining({ predicate: 'deployed', environment: 'prod', artifactIds: [purl] }),
      ]);
      const incidents = await fetchIncidentHistory(db.store.sql, auth, range);
      expect(incidents).toEqual([
        expect.objectContaining({ predicate: 'detected', subjectId: 'inc-1', description: 'auth answers 503' }),
      ]);
      expect(await countFailedRuns(db.store.sql, auth, range)).toBe(2);
      // Incidents and runs of another environment are left out; those that name none are not.
      expect(await countFailedRuns(db.store.sql, auth, { ...range, environment: 'staging' })).toBe(2);
      expect(await countFailedRuns(db.store.sql, auth, { ...range, environment: 'prod' })).toBe(1);
      expect(await fetchIncidentHistory(db.store.sql, auth, { ...range, environment: 'staging' })).toEqual([]);
    });
  });
});
