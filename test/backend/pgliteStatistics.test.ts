/**
 * The embedded store (PGlite, what `npm start` and a backend without DATABASE_URL run on) has no
 * autovacuum: without this the planner would plan the tab's list over a store it believes empty, about
 * 5× slower at 10,000 events. The store runs ANALYZE at start and again once the events written since
 * the last one pass autovacuum's threshold (50 + 10% of the rows), at most once per 10 s, as PostgreSQL
 * would.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createEvent } from '../../src/cdevents';
import { buildNewEvent } from '../../src/backend/api/buildNewEvent';
import { createStore } from '../../src/backend/store/createStore';
import type { EventStore } from '../../src/backend/store/types';

let dataDir: string;
let store: EventStore | undefined;
let written = 0;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'cdevents-pglite-statistics-'));
  written = 0;
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

async function ingest(count: number): Promise<void> {
  const events = Array.from({ length: count }, () => {
    written++;
    return buildNewEvent(
      createEvent({
        type: 'artifact.published',
        source: '/ci/statistics',
        id: `published-${written}`,
        timestamp: new Date(Date.UTC(2026, 11, 1) + written * 1000).toISOString(),
        subject: { id: `pkg:oci/auth@sha256:${String(written).padStart(64, '0')}`, content: {} },
      }),
    );
  });
  for (const outcome of await store!.insertEvents(events)) expect(outcome.status).toBe('stored');
}

/** The planner's row count for event_identities (one row per event); PGlite runs one query at a time, so
 *  an ANALYZE the last write started has finished before this is answered. */
async function plannerRows(): Promise<number> {
  const result = await store!.sql.query<{ reltuples: number }>(
    "SELECT reltuples::float8 AS reltuples FROM pg_class WHERE relname = 'event_identities'",
  );
  return Number(result.rows[0]!.reltuples);
}

test('a fresh embedded store is analyzed at start, then again only once enough events arrived', async () => {
  store = await createStore({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
  expect(await plannerRows()).toBe(0);

  await ingest(40);
  expect(await plannerRows()).toBe(0);

  await ingest(1_000);
  expect(await plannerRows()).toBe(1_040);

  // The next threshold is 50 + 10% of 1,040 = 154 rows; past it within 10 s of the last ANALYZE, the
  // next one waits for the rest of those 10 s.
  await ingest(100);
  expect(await plannerRows()).toBe(1_040);
  await ingest(100);
  const crossed = Date.now();
  let rows = await plannerRows();
  while (rows === 1_040 && Date.now() - crossed < 30_000) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    rows = await plannerRows();
  }
  expect(rows).toBe(1_240);
}, 60_000);

test('events written by an earlier run are counted when the embedded store opens again', async () => {
  store = await createStore({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
  await ingest(30);
  await store.close();
  store = await createStore({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
  expect(await plannerRows()).toBe(30);
});
