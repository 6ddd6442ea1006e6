/**
 * The event store on both databases it runs on: embedded PGlite and the real
 * PostgreSQL. Each test uses its own app names, so one store serves the file.
 */
import { buildNewEvent } from '../../src/backend/api/buildNewEvent';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createPgliteExecutor } from '../../src/backend/store/createPgliteExecutor';
import { createPostgresExecutor } from '../../src/backend/store/createPostgresExecutor';
import { parseEventKey } from '../../src/backend/store/eventKey';
import { readMigrations, runMigrations } from '../../src/backend/store/runMigrations';
import type { SqlExecutor } from '../../src/backend/store/sqlExecutor';
import type { EventStore, NewEvent } from '../../src/backend/store/types';
import { createTestDatabase, createTestStore, storeKinds, type TestStore } from '../helpers/backend';

/** A database with no tables yet: a pool of several connections on PostgreSQL, so the two runs really race. */
async function openEmptyExecutor(
  kind: 'pglite' | 'postgres',
): Promise<{ executor: SqlExecutor; close(): Promise<void> }> {
  if (kind === 'postgres') {
    const database = await createTestDatabase();
    const executor = createPostgresExecutor({ connectionString: database.url, maxConnections: 4 });
    return { executor, close: async () => (await executor.close(), await database.drop()) };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'cdevents-migrate-'));
  const executor = await createPgliteExecutor({ dataDir });
  return { executor, close: async () => (await executor.close(), rmSync(dataDir, { recursive: true, force: true })) };
}

// Creating a PGlite database runs initdb, which takes seconds on a busy machine.
jest.setTimeout(60_000);

interface EventOptions {
  id: string;
  source?: string;
  subjectId?: string;
  timestamp?: string;
  type?: string;
  extra?: Record<string, unknown>;
}

function cdevent(options: EventOptions): Record<string, unknown> {
  return {
    context: {
      specversion: '0.5.1',
      id: options.id,
      source: options.source ?? '/ci/pipeline',
      type: options.type ?? 'dev.cdevents.service.deployed.0.3.0',
      timestamp: options.timestamp ?? '2025-03-01T10:00:00Z',
    },
    subject: {
      id: options.subjectId ?? 'argocd/app',
      content: { environment: { id: 'prod' }, artifactId: 'pkg:x/y@1' },
    },
    ...options.extra,
  };
}

function newEvent(options: EventOptions): NewEvent {
  return buildNewEvent(cdevent(options));
}

describe.each(storeKinds)('the event store on %s', (kind) => {
  let testStore: TestStore;
  let store: EventStore;

  beforeAll(async () => {
    testStore = await createTestStore(kind);
    store = testStore.store;
  });
  afterAll(async () => {
    await testStore?.close();
  });

  const app = (name: string, instance = 'default', namespace = 'argocd') => ({ instance, namespace, name });
  const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id);

  describe('identity (context.source, context.id)', () => {
    it('stores an event once and reports a replay of the same payload as a duplicate with the stored verdict', async () => {
      const event = newEvent({ id: 'dup-1', subjectId: 'argocd/dup' });
      const [first] = await store.insertEvents([event]);
      const [second] = await store.insertEvents([event]);
      expect(first).toEqual({ status: 'stored', key: expect.any(String) });
      expect(second).toEqual({ status: 'duplicate', key: first!.key, verdict: event.verdict, problems: [] });
      expect(ids(await store.listAppEvents({ app: app('dup'), limit: 10 }))).toEqual(['dup-1']);
    });

    it('treats the same content with keys in another order as the same payload, in a later batch or the same one', async () => {
      const reorder = (event: Record<string, unknown>) => {
        const context = event.context as Record<string, unknown>;
        const reversed = Object.fromEntries(Object.entries(context).reverse());
        return { subject: event.subject, context: reversed };
      };
      const event = cdevent({ id: 'order-1', subjectId: 'argocd/order' });
      await store.insertEvents([buildNewEvent(event)]);
      const [replay] = await store.insertEvents([buildNewEvent(reorder(event))]);
      expect(replay!.status).toBe('duplicate');

      const twice = cdevent({ id: 'order-2', subjectId: 'argocd/order' });
      const outcomes = await store.insertEvents([buildNewEvent(twice), buildNewEvent(reorder(twice))]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['stored', 'duplicate']);
    });

    it('reports a replay with another payload as a conflict and keeps the first payload', async () => {
      const [first] = await store.insertEvents([newEvent({ id: 'conf-1', subjectId: 'argocd/conf' })]);
      const [replay] = await store.insertEvents([
        newEvent({ id: 'conf-1', subjectId: 'argocd/conf', timestamp: '2025-03-02T00:00:00Z' }),
      ]);
      expect(replay).toEqual({ status: 'conflict', key: first!.key, message: expect.stringContaining('conf-1') });
      const stored = await store.getEvent(first!.key);
      expect(stored?.timestamp).toBe('2025-03-01T10:00:00.000000Z');
    });

    it('settles one identity sent twice in one batch: the first is stored, the second is a duplicate or a conflict', async () => {
      const a = newEvent({ id: 'batch-1', subjectId: 'argocd/batch' });
      const b = newEvent({ id: 'batch-1', subjectId: 'argocd/batch', timestamp: '2025-03-05T00:00:00Z' });
      const outcomes = await store.insertEvents([a, a, b]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['stored', 'duplicate', 'conflict']);
      expect(new Set(outcomes.map((outcome) => outcome.key)).size).toBe(1);
    });

    it('answers each event of a batch mixing new events, replays of stored ones and repeats within it, in order', async () => {
      const [before] = await store.insertEvents([newEvent({ id: 'mix-old', subjectId: 'argocd/mix' })]);
      const fresh = newEvent({ id: 'mix-new', subjectId: 'argocd/mix' });
      const outcomes = await store.insertEvents([
        fresh,
        newEvent({ id: 'mix-old', subjectId: 'argocd/mix' }),
        fresh,
        newEvent({ id: 'mix-old', subjectId: 'argocd/mix', timestamp: '2025-03-09T00:00:00Z' }),
        newEvent({ id: 'mix-other', subjectId: 'argocd/mix' }),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual([
        'stored',
        'duplicate',
        'duplicate',
        'conflict',
        'stored',
      ]);
      expect(outcomes[1]!.key).toBe(before!.key);
      expect(outcomes[3]!.key).toBe(before!.key);
      expect(outcomes[2]!.key).toBe(outcomes[0]!.key);
      expect(outcomes[4]!.key).not.toBe(outcomes[0]!.key);
      expect(ids(await store.listAppEvents({ app: app('mix'), limit: 10 }))).toEqual([
        'mix-other',
        'mix-new',
        'mix-old',
      ]);
    });

    it('stores each identity sent by several requests at once exactly once, answering the others as duplicates of it', async () => {
      // Batches long enough that the statements overlap: one waits on the other's uncommitted rows.
      const batch = Array.from({ length: 40 }, (_, index) =>
        newEvent({ id: `race-${index}`, subjectId: 'argocd/race' }),
      );
      const answers = await Promise.all(Array.from({ length: 6 }, () => store.insertEvents(batch)));
      for (let index = 0; index < batch.length; index++) {
        const outcomes = answers.map((outcomes) => outcomes[index]!);
        expect(outcomes.filter((outcome) => outcome.status === 'stored')).toHaveLength(1);
        expect(outcomes.filter((outcome) => outcome.status === 'duplicate')).toHaveLength(5);
        expect(new Set(outcomes.map((outcome) => outcome.key)).size).toBe(1);
      }
      const page = await store.listAppEvents({ app: app('race'), limit: 50 });
      expect(page.items).toHaveLength(40);
      expect(page.items.every((item) => item.attributions.length === 1)).toBe(true);
    });

    it('settles batches sent at once that hold the same identities in opposite orders, each answered in full', async () => {
      // Each statement waits on rows the other inserted first; PostgreSQL breaks such a cycle by aborting one.
      for (let round = 0; round < 2; round++) {
        const batch = Array.from({ length: 200 }, (_, index) =>
          newEvent({ id: `crossed-${round}-${index}`, subjectId: 'argocd/crossed' }),
        );
        const answers = await Promise.all([
          store.insertEvents(batch),
          store.insertEvents([...batch].reverse()),
          store.insertEvents(batch),
          store.insertEvents([...batch].reverse()),
        ]);
        const storedTimes = new Map<string, number>();
        for (const outcomes of answers) {
          expect(outcomes).toHaveLength(batch.length);
          for (const outcome of outcomes) {
            expect(['stored', 'duplicate']).toContain(outcome.status);
            if (outcome.status === 'stored') storedTimes.set(outcome.key, (storedTimes.get(outcome.key) ?? 0) + 1);
          }
        }
        expect(storedTimes.size).toBe(batch.length);
        expect([...storedTimes.values()].every((times) => times === 1)).toBe(true);
      }
    });

    it('stores text with NUL characters and unpaired surrogates (which PostgreSQL refuses) instead of failing the batch', async () => {
      const odd = newEvent({
        id: 'nul-\u0000-1',
        subjectId: 'argocd/odd',
        extra: { customData: { note: 'a\u0000b\ud800c' } },
      });
      const fine = newEvent({ id: 'nul-2', subjectId: 'argocd/odd' });
      const outcomes = await store.insertEvents([odd, fine]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['stored', 'stored']);
      const stored = await store.getEvent(outcomes[0]!.key);
      expect(stored?.id).toBe('nul-\ufffd-1');
      expect((stored?.payload as { customData: { note: string } }).customData.note).toBe('a\ufffdb\ufffdc');
      expect((await store.insertEvents([odd]))[0]!.status).toBe('duplicate');
    });
  });

  describe('payloads kept as the JSON text they arrived in', () => {
    /** The events of `text` (a JSON array), built as ingest builds them, and the text itself. */
    const fromText = (text: string) => ({
      events: (JSON.parse(text) as unknown[]).map((event) => buildNewEvent(event)),
      payloadsJson: text,
    });
    const storedText = async (key: string, path: string[]) => {
      const { rows } = await store.sql.query<{ value: string }>(
        'SELECT payload #>> $2::text[] AS value FROM events WHERE seq = $1::bigint',
        [parseEventKey(key), path],
      );
      return rows[0]?.value;
    };
    const body = (id: string, customData: string) =>
      JSON.stringify(cdevent({ id, subjectId: 'argocd/as-sent' })).replace(/}$/, `,"customData":${customData}}`);

    it('stores numbers exactly as sent, beyond what a JavaScript number holds, and recognises their replay', async () => {
      const text = `[${body('sent-1', '{"big":12345678901234567890,"ratio":1.50}')}]`;
      const { events, payloadsJson } = fromText(text);
      const [first] = await store.insertEvents(events, { payloadsJson });
      expect(first!.status).toBe('stored');
      expect(await storedText(first!.key, ['customData', 'big'])).toBe('12345678901234567890');
      const [again, inBatch] = await store.insertEvents([...events, ...events], {
        payloadsJson: `[${body('sent-1', '{"big":12345678901234567890,"ratio":1.50}')},${body('sent-1', '{"ratio":1.5,"big":12345678901234567890}')}]`,
      });
      expect(again!.status).toBe('duplicate');
      expect(inBatch!.status).toBe('duplicate');
    });

    it('keeps an emoji written as an escaped surrogate pair, and stores a lone surrogate and NUL as U+FFFD', async () => {
      const text = `[${body('sent-2', '{"note":"a\\ud83d\\ude00b\\ud800c\\u0000d"}')}]`;
      const { events, payloadsJson } = fromText(text);
      const [outcome] = await store.insertEvents(events, { payloadsJson });
      expect(outcome!.status).toBe('stored');
      expect(await storedText(outcome!.key, ['customData', 'note'])).toBe('a\u{1F600}b\ufffdc\ufffdd');
    });

    it('stores the events as parsed when the database refuses the text (a number beyond its range)', async () => {
      const text = `[${body('sent-3', '{"huge":1e999999}')},${body('sent-4', '{"small":1}')}]`;
      const { events, payloadsJson } = fromText(text);
      const outcomes = await store.insertEvents(events, { payloadsJson });
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['stored', 'stored']);
      const stored = await store.getEvent(outcomes[0]!.key);
      // JSON.parse read it as Infinity, which JSON writes as null.
      expect((stored?.payload as { customData: unknown }).customData).toEqual({ huge: null });
    });
  });

  describe("an app's list", () => {
    it('orders newest first by event time, falling back to receipt time, then by arrival', async () => {
      await store.insertEvents(
        [
          newEvent({ id: 'o-old', subjectId: 'argocd/ordered', timestamp: '2025-01-01T00:00:00Z' }),
          newEvent({ id: 'o-new', subjectId: 'argocd/ordered', timestamp: '2025-06-01T00:00:00Z' }),
          newEvent({ id: 'o-no-time', subjectId: 'argocd/ordered', timestamp: 'not a time' }),
          newEvent({ id: 'o-same-1', subjectId: 'argocd/ordered', timestamp: '2025-03-01T00:00:00Z' }),
          newEvent({ id: 'o-same-2', subjectId: 'argocd/ordered', timestamp: '2025-03-01T00:00:00Z' }),
        ],
        { receivedAt: new Date('2025-04-01T00:00:00Z') },
      );
      const page = await store.listAppEvents({ app: app('ordered'), limit: 10 });
      expect(ids(page)).toEqual(['o-new', 'o-no-time', 'o-same-2', 'o-same-1', 'o-old']);
      expect(page.items[1]).toMatchObject({ timestamp: null, receivedAt: '2025-04-01T00:00:00.000000Z' });
    });

    it('pages through 25 events with a cursor, 10 at a time, with no gap and no repeat', async () => {
      const events = Array.from({ length: 25 }, (_, index) =>
        newEvent({
          id: `p-${index}`,
          subjectId: 'argocd/paged',
          timestamp: `2025-02-01T00:00:${String(index).padStart(2, '0')}Z`,
        }),
      );
      await store.insertEvents(events);
      const seen: string[] = [];
      let before;
      let pages = 0;
      do {
        const page = await store.listAppEvents({ app: app('paged'), limit: 10, before });
        seen.push(...ids(page));
        before = page.next ?? undefined;
        pages += 1;
      } while (before);
      expect(pages).toBe(3);
      expect(seen).toEqual(events.map((_, index) => `p-${24 - index}`));
    });

    it('returns only events newer than a position when asked for what came since', async () => {
      await store.insertEvents([newEvent({ id: 's-1', subjectId: 'argocd/since', timestamp: '2025-02-01T00:00:00Z' })]);
      const first = await store.listAppEvents({ app: app('since'), limit: 10 });
      await store.insertEvents([
        newEvent({ id: 's-2', subjectId: 'argocd/since', timestamp: '2025-02-02T00:00:00Z' }),
        newEvent({ id: 's-3', subjectId: 'argocd/since', timestamp: '2025-02-03T00:00:00Z' }),
      ]);
      const newer = await store.listAppEvents({ app: app('since'), limit: 10, after: first.head! });
      expect(ids(newer)).toEqual(['s-3', 's-2']);
    });

    it('gives an app nobody sent events about an empty page', async () => {
      expect(await store.listAppEvents({ app: app('never-heard-of'), limit: 10 })).toEqual({
        items: [],
        next: null,
        head: null,
        last: null,
      });
    });

    describe('filters', () => {
      beforeAll(async () => {
        await store.insertEvents([
          newEvent({ id: 'f-deployed', subjectId: 'argocd/filtered', timestamp: '2025-05-01T00:00:00Z' }),
          newEvent({
            id: 'f-built',
            subjectId: 'argocd/filtered',
            type: 'dev.cdevents.build.finished.0.2.0',
            source: '/ci/builder_100%',
            timestamp: '2025-05-02T00:00:00Z',
          }),
          newEvent({
            id: 'f-emitted',
            subjectId: 'argocd/filtered',
            source: '/argocd/default/argocd',
            type: 'dev.cdevents.service.upgraded.0.3.0',
            timestamp: '2025-05-03T00:00:00Z',
          }),
          newEvent({
            id: 'f-incident',
            subjectId: 'argocd/filtered',
            type: 'dev.cdevents.incident.detected.0.2.0',
            timestamp: '2025-05-04T00:00:00Z',
          }),
        ]);
      });

      it.each([
        ['direction emitted', { direction: 'emitted' as const }, ['f-emitted']],
        ['direction received', { direction: 'received' as const }, ['f-incident', 'f-built', 'f-deployed']],
        ['one subject', { subjects: ['build'] }, ['f-built']],
        ['two subjects', { subjects: ['build', 'incident'] }, ['f-incident', 'f-built']],
        ['predicates', { predicates: ['deployed', 'upgraded'] }, ['f-emitted', 'f-deployed']],
        [
          'a time range, inclusive',
          { from: '2025-05-02T00:00:00Z', to: '2025-05-03T00:00:00Z' },
          ['f-emitted', 'f-built'],
        ],
        ['text in the context id', { text: 'INCIDENT' }, ['f-incident']],
        ['text in the type', { text: 'build.finished' }, ['f-built']],
        ['a literal % in the source', { text: '100%' }, ['f-built']],
        ['text matching nothing', { text: 'nothing-like-this' }, []],
      ])('narrows the list by %s', async (_name, filter, expected) => {
        expect(ids(await store.listAppEvents({ app: app('filtered'), limit: 10, ...filter }))).toEqual(expected);
      });
    });
  });

  describe('attribution across Argo CD instances', () => {
    it("shows an event from a tool that cannot know the instance in every instance's app of that name", async () => {
      await store.insertEvents([newEvent({ id: 'i-any', subjectId: 'argocd/multi' })]);
      expect(ids(await store.listAppEvents({ app: app('multi', 'east'), limit: 10 }))).toEqual(['i-any']);
      expect(ids(await store.listAppEvents({ app: app('multi', 'west'), limit: 10 }))).toEqual(['i-any']);
    });

    it("shows an event whose source is /argocd/<instance>/<namespace> only in that instance's app", async () => {
      await store.insertEvents([newEvent({ id: 'i-east', subjectId: 'argocd/scoped', source: '/argocd/east/argocd' })]);
      expect(ids(await store.listAppEvents({ app: app('scoped', 'east'), limit: 10 }))).toEqual(['i-east']);
      expect(ids(await store.listAppEvents({ app: app('scoped', 'west'), limit: 10 }))).toEqual([]);
    });

    it('shows an event whose customData names only the app in that app of any namespace', async () => {
      await store.insertEvents([
        newEvent({ id: 'i-cd', subjectId: 'something-else', extra: { customData: { argocdApp: 'by-name' } } }),
      ]);
      const page = await store.listAppEvents({ app: app('by-name', 'default', 'team-a'), limit: 10 });
      expect(page.items.map((item) => item.attributions)).toEqual([
        [{ rule: 'custom-data', detail: 'customData.argocdApp names by-name (any namespace)' }],
      ]);
    });
  });

  describe('one event', () => {
    it('comes with every reason it is attributed, or only those of one app', async () => {
      const event = newEvent({
        id: 'one-1',
        subjectId: 'argocd/first',
        extra: { customData: { application: 'argocd/second' } },
      });
      const [outcome] = await store.insertEvents([event]);
      const all = await store.getEvent(outcome!.key);
      expect(all?.attributions).toHaveLength(2);
      const scoped = await store.getEvent(outcome!.key, { app: app('second') });
      expect(scoped?.attributions).toEqual([
        { rule: 'custom-data', detail: 'customData.application names argocd/second' },
      ]);
      expect((await store.getEvent(outcome!.key, { app: app('third') }))?.attributions).toEqual([]);
    });

    it('is undefined for a key that names no event', async () => {
      expect(await store.getEvent('e9zzzz')).toBeUndefined();
      expect(await store.getEvent('not-a-key')).toBeUndefined();
    });

    it("can be given more reasons after it was stored, and then shows in that app's list", async () => {
      const [outcome] = await store.insertEvents([newEvent({ id: 'late-1', subjectId: 'nobody' })]);
      await store.addAttributions(outcome!.key, [
        { app: app('late'), attribution: { rule: 'trigger', detail: 'fired trigger deploy-on-build' } },
      ]);
      expect(ids(await store.listAppEvents({ app: app('late'), limit: 10 }))).toEqual(['late-1']);
    });
  });

  describe('migrations', () => {
    it('apply nothing when run again', async () => {
      expect(await runMigrations(store.sql)).toEqual([]);
    });

    it('apply each file once when two replicas start together on an empty database', async () => {
      const empty = await openEmptyExecutor(kind);
      try {
        const runs = await Promise.all([runMigrations(empty.executor), runMigrations(empty.executor)]);
        expect(runs.flat().sort()).toEqual(
          readMigrations()
            .map((migration) => migration.name)
            .sort(),
        );
        const recorded = await empty.executor.query<{ name: string }>(
          'SELECT name FROM schema_migrations ORDER BY name',
        );
        expect(recorded.rows.map((row) => row.name)).toEqual(readMigrations().map((migration) => migration.name));
      } finally {
        await empty.close();
      }
    });
  });
});
