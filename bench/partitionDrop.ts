/**
 * Ingest acks while retention drops expired weeks (issue 17, ADR 0011), on PostgreSQL, through the store
 * (store.insertEvents: the statement a POST /api/v1/events batch runs, without HTTP and validation).
 *
 *   npm run bench -- partitionDrop                   300,000 expired events over 3 weeks
 *   npm run bench -- partitionDrop --events=1000000
 *
 * Seeds expired events (older than the default 90 days, with identities, attributions and keys) in three
 * weeks, then posts batches of 500 new events, 2 in flight: first without a sweep (the baseline), then
 * while one sweep detaches and drops those weeks and deletes their identities. Prints each phase's
 * batch ack p50 / p99 / max and the ratio of the maxima. Aim: no ack above 100 ms during the drop.
 * PGlite runs one query at a time, so there a sweep and an ingest take turns; it is not measured here.
 */
import { randomUUID } from 'crypto';
import { createEvent } from '../src/cdevents';
import { buildNewEvent } from '../src/backend/api/buildNewEvent';
import { createStore } from '../src/backend/store/createStore';
import { expireEvents, weekStartOf } from '../src/backend/store/expireEvents';
import type { EventStore, NewEvent } from '../src/backend/store/types';
import { createBenchDatabase, readFlag } from './benchDatabase';

const DAY_MS = 86_400_000;
const BATCH = 500;
const IN_FLIGHT = 2;

const seedEventsSql = `
INSERT INTO events (seq, source, context_id, type, subject, predicate, event_time, received_at, sort_time,
  subject_id, payload, verdict, direction)
SELECT g, 'https://ci.example.com/bench', 'old-' || g, 'dev.cdevents.pipelinerun.finished.0.2.0', 'pipelinerun',
  'finished', t.at, t.at, t.at, 'run-' || g,
  jsonb_build_object('context', jsonb_build_object('id', 'old-' || g, 'source', 'https://ci.example.com/bench'),
    'subject', jsonb_build_object('id', 'run-' || g, 'content', jsonb_build_object('pipelineName', 'build',
      'url', 'https://ci.example.com/bench/runs/' || g))),
  'valid', 'received'
FROM generate_series(1, $1::bigint) AS g
CROSS JOIN LATERAL (SELECT $2::timestamptz + (g * $3::double precision) * interval '1 second' AS at) AS t`;

const seedSideRowsSql = `
INSERT INTO event_identities (source, context_id, seq, sort_time) SELECT source, context_id, seq, sort_time FROM events;
INSERT INTO event_apps (event_seq, instance, app_namespace, app_name, rule, detail, sort_time)
  SELECT seq, 'default', 'argocd', 'app-' || (seq % 100), 'subject', 'bench', sort_time FROM events;
INSERT INTO event_keys (kind, value, sort_time, event_seq)
  SELECT 'pipeline-run', 'run-' || seq, sort_time, seq FROM events;`;

function newBatch(): NewEvent[] {
  const now = new Date().toISOString();
  return Array.from({ length: BATCH }, () =>
    buildNewEvent(
      createEvent({
        type: 'pipelinerun.finished',
        source: 'https://ci.example.com/bench',
        id: randomUUID(),
        timestamp: now,
        subject: { id: `run-${randomUUID()}`, content: { pipelineName: 'build', outcome: 'success' } },
      }),
    ),
  );
}

function summarise(latencies: number[]): { p50: number; p99: number; max: number; count: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]!, count: sorted.length };
}

/** Posts batches, IN_FLIGHT at a time, until `until` says stop (checked before each batch); resolves with each ack's ms. */
async function ingestUntil(store: EventStore, until: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  const worker = async () => {
    while (!until()) {
      const batch = newBatch();
      const started = performance.now();
      await store.insertEvents(batch);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return latencies;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

export async function run(args: string[]): Promise<void> {
  const total = readFlag(args, 'events', 300_000);
  const database = await createBenchDatabase('bench_partition_drop');
  const store = await createStore({ databaseUrl: database.url, dataDir: '', databasePoolSize: 6 });
  try {
    // Three whole weeks that end well before the 90-day horizon.
    const firstWeek = weekStartOf(new Date(Date.now() - 130 * DAY_MS));
    const secondsApart = (3 * 7 * DAY_MS) / 1000 / (total + 1);
    await store.sql.query(
      `SELECT cdevents_add_week_partition(week)
       FROM generate_series($1::timestamptz, $1::timestamptz + interval '2 weeks', interval '1 week') AS week`,
      [firstWeek.toISOString()],
    );
    const seedStart = performance.now();
    await store.sql.query(seedEventsSql, [total, firstWeek.toISOString(), secondsApart]);
    await store.sql.query(`SELECT setval('events_seq_seq', $1::bigint)`, [total]);
    await store.sql.execScript(seedSideRowsSql);
    await store.sql.execScript('VACUUM ANALYZE');
    console.log(
      `seeded ${total} expired events over 3 weeks in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    // Warm-up, then the baseline: the same batches with no sweep running.
    let warm = 0;
    await ingestUntil(store, () => warm++ >= 8);
    let baselineBatches = 0;
    const baseline = summarise(await ingestUntil(store, () => baselineBatches++ >= 40));

    let sweepDone = false;
    const sweepStart = performance.now();
    const sweep = expireEvents(store.sql, { before: new Date(Date.now() - 90 * DAY_MS) }).finally(() => {
      sweepDone = true;
    });
    const during = summarise(await ingestUntil(store, () => sweepDone));
    const result = await sweep;
    const sweepSeconds = (performance.now() - sweepStart) / 1000;

    console.log(
      `postgres batch-500 ack, no sweep        : p50 ${ms(baseline.p50)} p99 ${ms(baseline.p99)} max ${ms(baseline.max)} (${baseline.count} batches)`,
    );
    console.log(
      `postgres batch-500 ack, during the drop : p50 ${ms(during.p50)} p99 ${ms(during.p99)} max ${ms(during.max)} (${during.count} batches)`,
    );
    console.log(
      `sweep: ${result.expired} events expired in ${sweepSeconds.toFixed(1)} s (3 weeks detached and dropped); ` +
        `max ack during / without: ${(during.max / baseline.max).toFixed(2)}`,
    );
    console.log(`aim: no ack above 100 ms during the drop: ${ms(during.max)} ${during.max <= 100 ? 'met' : 'NOT met'}`);
  } finally {
    await store.close();
    await database.drop(args);
  }
}
