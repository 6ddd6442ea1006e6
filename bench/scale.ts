/**
 * `npm run bench -- scale [--events=N] [--first=N] [--samples=N] [--keep]`
 *
 * The read and write paths of the tab at scale, on PostgreSQL (a database
 * cdevents_bench_scale_<random> on TEST_DATABASE_URL's server, dropped after
 * the run unless --keep). Seeds N events (default 1,000,000) for 2,000 apps,
 * then measures, each beside a baseline taken in the same run and the ratio:
 *
 * - list page 1: an app's newest 50 events, through the route (store.listAppEvents, fold counts,
 *   same-moment marks, ETag) beside the plain indexed query on event_apps ⋈ events (aim ≤ 3×);
 * - list page 2: the next page by cursor, same baseline;
 * - summary: the summary strip's route; dashboard: one app's dashboard route, and 50 apps' at once;
 * - chain: a deploy's chain at depth 10 beside one indexed lookup by (source, id) (aim p99 < 50 ms);
 * - ingest: POST /api/v1/events batches of 500 new events beside one 500-row INSERT into a bare
 *   table with the same identity index;
 * - expiry: the time store/expireEvents.ts takes to remove the oldest day of events (row by row: a day is
 *   less than a week's partition), then the acks of POSTs of 500 while the rest of that week is dropped
 *   as a whole partition (aim: none above 100 ms);
 * - bytes per event on disk (store/measureStorage.ts, as /metrics reports it) vs the raw JSON.
 *
 * Every read goes through the real routes in process (fastify inject), so the figures follow
 * whatever the store does underneath (e.g. time partitions, ADR 0011) without changing this file.
 *
 * Seeding: each story (one release of one app) is ten CDEvents as the tools send them: change
 * merged → pipeline run started (RELATION TRIGGER to the change) and finished → artifact published
 * (PATH from the run) → service deployed, or upgraded after the app's first release, emitted by
 * Argo CD → test suite run started and finished → and in one story in ten an incident detected,
 * a rollback (emitted) and the incident resolved, else test case runs and a build. Received events
 * name their app in customData (the ArgoCon proposal's `argocd.application`), so they are
 * attributed by the real rules. They are stored through buildNewEvent + store.insertEvents, the
 * ingest path without HTTP, so every row (events, event_apps, event_keys) is exactly what ingest
 * writes; it is slower than SQL generate_series (as bench/chain.ts seeds) but needs no second
 * copy of the ingest logic to keep true. Stories start every 10 s: 86,400 events a day.
 *
 * With --events=10000000: measures at 1,000,000 first (--first), grows to 10,000,000, measures
 * again and prints each figure's growth factor (aim ≤ 1.5×).
 */
import { randomBytes } from 'crypto';
import type { FastifyInstance } from 'fastify';
import type { ChainResponse, EventListResponse } from '../src/backend/api/contract';
import { buildNewEvent } from '../src/backend/api/buildNewEvent';
import { createApp } from '../src/backend/app';
import { loadConfig } from '../src/backend/config';
import { createStore } from '../src/backend/store/createStore';
import { encodeEventKey } from '../src/backend/store/eventKey';
import { expireEvents, weekStartOf } from '../src/backend/store/expireEvents';
import { measureStorage, PER_EVENT_RELATIONS } from '../src/backend/store/measureStorage';
import type { EventStore } from '../src/backend/store/types';
import { createBenchDatabase } from './benchDatabase';
import { APPS, appOf, buildStory, STORY_EVENTS, storyTime } from './scaleStories';

const DAY = 86_400_000;
const proxySecret = `bench-proxy-${randomBytes(8).toString('hex')}`;
const ingestToken = `bench-ingest-${randomBytes(8).toString('hex')}`;

/** `--name=N` or `--name N`: a positive integer, else the fallback. */
function readCount(args: string[], name: string, fallback: number): number {
  const index = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (index < 0) return fallback;
  const raw = args[index]!.includes('=') ? args[index]!.split('=')[1] : args[index + 1];
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/** Stores stories [from, to) through the ingest path, 2 batches in flight. */
async function seed(store: EventStore, fromStory: number, toStory: number): Promise<void> {
  const storiesPerBatch = 100;
  const started = Date.now();
  let next = fromStory;
  let lastReport = started;
  const worker = async () => {
    while (next < toStory) {
      const first = next;
      next = Math.min(toStory, next + storiesPerBatch);
      const events: unknown[] = [];
      for (let story = first; story < next; story++) events.push(...buildStory(story));
      const outcomes = await store.insertEvents(events.map((event) => buildNewEvent(event)));
      if (outcomes.some((outcome) => outcome.status !== 'stored')) throw new Error('a seeded event was not stored');
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        const done = (next - fromStory) * STORY_EVENTS;
        console.log(
          `  seeded ${done.toLocaleString('en')} events (${Math.round(done / ((Date.now() - started) / 1000))}/s)`,
        );
      }
    }
  };
  await Promise.all([worker(), worker()]);
  // What autovacuum does after a bulk load (its insert threshold): statistics, and the GIN index on
  // link_context_ids merges its pending list. Until then each chain hop's `link_context_ids && …` scans
  // that whole list (up to gin_pending_list_limit, 4 MB), which made chains 5× slower at 100,000 events.
  await store.sql.query('VACUUM ANALYZE');
  const count = (toStory - fromStory) * STORY_EVENTS;
  console.log(
    `seeded ${count.toLocaleString('en')} events in ${((Date.now() - started) / 1000).toFixed(0)} s (${Math.round(count / ((Date.now() - started) / 1000))} events/s)`,
  );
}

interface Figure {
  name: string;
  p50: number;
  p99: number;
  baseline?: { name: string; p50: number; p99: number };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `work` and `baseline` interleaved `samples` times (a busy machine slows both alike). */
async function measure(
  name: string,
  samples: number,
  work: (index: number) => Promise<unknown>,
  baseline?: { name: string; run: (index: number) => Promise<unknown> },
): Promise<Figure> {
  // Warm-up runs take indices after the samples', so a sample never repeats one (an ingest would be a replay).
  for (let index = samples; index < samples + 5; index++) {
    await work(index);
    await baseline?.run(index);
  }
  const times: number[] = [];
  const baseTimes: number[] = [];
  for (let index = 0; index < samples; index++) {
    let start = performance.now();
    await work(index);
    times.push(performance.now() - start);
    if (baseline) {
      start = performance.now();
      await baseline.run(index);
      baseTimes.push(performance.now() - start);
    }
  }
  times.sort((a, b) => a - b);
  baseTimes.sort((a, b) => a - b);
  return {
    name,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    ...(baseline
      ? { baseline: { name: baseline.name, p50: percentile(baseTimes, 50), p99: percentile(baseTimes, 99) } }
      : {}),
  };
}

function printFigure(figure: Figure): void {
  const base = figure.baseline
    ? `   baseline ${figure.baseline.name}: p50 ${figure.baseline.p50.toFixed(2)} ms, p99 ${figure.baseline.p99.toFixed(2)} ms   ratio p50 ${(figure.p50 / figure.baseline.p50).toFixed(1)}×, p99 ${(figure.p99 / figure.baseline.p99).toFixed(1)}×`
    : '';
  console.log(`  ${figure.name}: p50 ${figure.p50.toFixed(2)} ms, p99 ${figure.p99.toFixed(2)} ms${base}`);
}

const proxyHeaders = (app: string) => ({
  'x-cdevents-proxy-secret': proxySecret,
  'argocd-application-name': `argocd:${app}`,
});

async function getJson<T>(app: FastifyInstance, url: string, appName: string): Promise<T> {
  const response = await app.inject({ method: 'GET', url, headers: proxyHeaders(appName) });
  if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}: ${response.body}`);
  return response.json<T>();
}

/** A phase's figures by name (`<figure> p50`, `<figure> p99`), and the same-run baselines of those that have one. */
interface PhaseFigures {
  results: Map<string, number>;
  baselines: Map<string, number>;
}

/**
 * Every figure at the current size. `stories`: the index after the newest seeded story (ingest batches
 * take the stories from there); `recentStories`: how many stories just before it were seeded (chains
 * are sampled among them).
 */
async function measureAll(
  store: EventStore,
  app: FastifyInstance,
  stories: number,
  recentStories: number,
  samples: number,
  phase: string,
): Promise<PhaseFigures> {
  const results = new Map<string, number>();
  const baselines = new Map<string, number>();
  const record = (figure: Figure) => {
    printFigure(figure);
    results.set(`${figure.name} p50`, figure.p50);
    results.set(`${figure.name} p99`, figure.p99);
    if (figure.baseline) {
      baselines.set(`${figure.name} p50`, figure.baseline.p50);
      baselines.set(`${figure.name} p99`, figure.baseline.p99);
    }
  };
  const phaseTag = `n${stories}`;
  const total = Number((await store.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM events')).rows[0]!.n);
  console.log(`\n${phase}: ${total.toLocaleString('en')} events, ${APPS} apps`);
  const pickApp = (index: number) => appOf((index * 7919) % APPS);
  const plainPage = (index: number) =>
    store.sql.query(
      `SELECT e.* FROM event_apps ea JOIN events e ON e.seq = ea.event_seq
       WHERE ea.app_name = $1 ORDER BY ea.sort_time DESC, ea.event_seq DESC LIMIT 50`,
      [pickApp(index)],
    );
  const listUrl = (appName: string, cursor?: string) =>
    `/api/v1/applications/argocd/${appName}/events?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  record(
    await measure('list page 1 (50 events)', samples, (i) => getJson(app, listUrl(pickApp(i)), pickApp(i)), {
      name: 'plain indexed query',
      run: plainPage,
    }),
  );
  const cursors = new Map<string, string>();
  for (let index = 0; index < samples + 5; index++) {
    const page = await getJson<EventListResponse>(app, listUrl(pickApp(index)), pickApp(index));
    if (page.nextCursor) cursors.set(pickApp(index), page.nextCursor);
  }
  record(
    await measure(
      'list page 2 (by cursor)',
      samples,
      (i) => getJson(app, listUrl(pickApp(i), cursors.get(pickApp(i))), pickApp(i)),
      { name: 'plain indexed query', run: plainPage },
    ),
  );
  record(
    await measure(
      'summary strip (30 days)',
      samples,
      (i) => getJson(app, `/api/v1/applications/argocd/${pickApp(i)}/summary`, pickApp(i)),
      { name: 'plain indexed query', run: plainPage },
    ),
  );
  record(
    await measure(
      'dashboard, one app (24 h)',
      samples,
      (i) => getJson(app, `/api/v1/applications/argocd/${pickApp(i)}/dashboard`, pickApp(i)),
      { name: 'plain indexed query', run: plainPage },
    ),
  );
  record(
    await measure(
      'dashboard, 50 apps at once',
      Math.max(20, Math.round(samples / 10)),
      (i) =>
        Promise.all(
          Array.from({ length: 50 }, (_, k) =>
            getJson(app, `/api/v1/applications/argocd/${pickApp(i * 50 + k)}/dashboard`, pickApp(i * 50 + k)),
          ),
        ),
      {
        name: '50 plain indexed queries at once',
        run: (i) => Promise.all(Array.from({ length: 50 }, (_, k) => plainPage(i * 50 + k))),
      },
    ),
  );
  // Deploys of recent stories: the tab opens chains of what just happened.
  const deployStories = Array.from(
    { length: samples + 5 },
    (_, i) => stories - 1 - ((i * 37) % Math.min(recentStories, 20_000)),
  );
  const { rows: deployRows } = await store.sql.query<{ seq: string; source: string; context_id: string }>(
    'SELECT seq::text AS seq, source, context_id FROM events WHERE context_id = ANY($1::text[])',
    [deployStories.map((story) => `s${story}-4`)],
  );
  if (deployRows.length === 0) throw new Error('no seeded deploy to walk the chain of');
  const deployKeys = deployRows.map((row) => ({
    key: encodeEventKey(row.seq),
    source: row.source,
    id: row.context_id,
    app: appOf(Number(row.context_id.slice(1, row.context_id.indexOf('-')))),
  }));
  let nodes = 0;
  record(
    await measure(
      'chain of a deploy, depth 10',
      samples,
      async (i) => {
        const deploy = deployKeys[i % deployKeys.length]!;
        const chain = await getJson<ChainResponse>(app, `/api/v1/events/${deploy.key}/chain?depth=10`, deploy.app);
        nodes += chain.nodes.length;
      },
      {
        name: 'one indexed lookup',
        run: (i) => {
          const deploy = deployKeys[i % deployKeys.length]!;
          return store.sql.query('SELECT * FROM events WHERE source = $1 AND context_id = $2', [
            deploy.source,
            deploy.id,
          ]);
        },
      },
    ),
  );
  console.log(`    (chains averaged ${(nodes / (samples + 5)).toFixed(1)} nodes)`);
  await store.sql.query(
    'CREATE TABLE IF NOT EXISTS bench_plain (source text NOT NULL, context_id text NOT NULL, payload jsonb NOT NULL, UNIQUE (source, context_id))',
  );
  // New stories after the seeded ones; the baseline's copies get other ids, so neither is a replay.
  const ingestBatch = (index: number, prefix: string) =>
    Array.from({ length: 50 }, (_, k) =>
      buildStory(stories + index * 50 + k).map((event) => {
        const copy = event as { context: { id: string; source: string } };
        return { ...copy, context: { ...copy.context, id: `${prefix}-${copy.context.id}` } };
      }),
    ).flat();
  let maxAck = 0;
  record(
    await measure(
      'ingest, POST of 500 events',
      samples,
      async (i) => {
        const started = performance.now();
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/events',
          headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/json' },
          payload: JSON.stringify(ingestBatch(i, `${phaseTag}-ingest`)),
        });
        if (response.statusCode !== 200) throw new Error(`ingest answered ${response.statusCode}`);
        maxAck = Math.max(maxAck, performance.now() - started);
      },
      {
        name: '500-row INSERT into a bare table',
        run: (i) => {
          const batch = ingestBatch(i, `${phaseTag}-plain`) as Array<{ context: { id: string; source: string } }>;
          return store.sql.query(
            `INSERT INTO bench_plain (source, context_id, payload)
             SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])`,
            [batch.map((e) => e.context.source), batch.map((e) => e.context.id), batch.map((e) => JSON.stringify(e))],
          );
        },
      },
    ),
  );
  console.log(`    max ack ${maxAck.toFixed(1)} ms with no sweep running`);
  const storage = await measureStorage(store.sql);
  const raw = await store.sql.query<{ bytes: string }>(
    'SELECT avg(octet_length(payload::text))::int::text AS bytes FROM events',
  );
  console.log(
    `  bytes per event on disk: ${storage.bytesPerEvent?.toFixed(0)} (events and the tables that grow with them: ${PER_EVENT_RELATIONS.join(', ')}; indexes included); raw JSON ${raw.rows[0]!.bytes} bytes: ${((storage.bytesPerEvent ?? 0) / Number(raw.rows[0]!.bytes)).toFixed(1)}×`,
  );
  results.set('bytes per event', storage.bytesPerEvent ?? Number.NaN);
  const oldest = await store.sql.query<{ at: Date | string }>('SELECT min(sort_time) AS at FROM events');
  const before = new Date(new Date(oldest.rows[0]!.at).getTime() + DAY);
  const countStarted = performance.now();
  const doomed = await store.sql.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM events WHERE sort_time < $1::timestamptz',
    [before.toISOString()],
  );
  const countMs = performance.now() - countStarted;
  const expireStarted = performance.now();
  const { expired } = await expireEvents(store.sql, { before });
  const expireMs = performance.now() - expireStarted;
  console.log(
    `  expire one day: ${expired.toLocaleString('en')} events in ${(expireMs / 1000).toFixed(1)} s (${Math.round(expired / (expireMs / 1000))} events/s)   baseline counting them by the sort_time index: ${countMs.toFixed(0)} ms (${doomed.rows[0]!.n} rows)`,
  );
  results.set('expire one day s', expireMs / 1000);

  // The rest of the oldest week goes as retention takes whole weeks (DETACH CONCURRENTLY, then DROP),
  // while POSTs of 500 keep arriving, 2 in flight as the ingest figure's are not: the acks a user's
  // pipeline sees during a sweep.
  const weekEnd = new Date(weekStartOf(new Date(oldest.rows[0]!.at)).getTime() + 7 * DAY);
  let batch = samples + 5;
  /** POSTs of 500, 2 in flight, until `done` says stop; each ack's ms, sorted. */
  const postUntil = async (done: () => boolean, tag: string): Promise<number[]> => {
    const acks: number[] = [];
    await Promise.all(
      [0, 1].map(async () => {
        while (!done()) {
          const index = batch++;
          const started = performance.now();
          const response = await app.inject({
            method: 'POST',
            url: '/api/v1/events',
            headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/json' },
            payload: JSON.stringify(ingestBatch(index, `${phaseTag}-${tag}`)),
          });
          if (response.statusCode !== 200) throw new Error(`ingest (${tag}) answered ${response.statusCode}`);
          acks.push(performance.now() - started);
        }
      }),
    );
    return acks.sort((a, b) => a - b);
  };
  const describeAcks = (acks: number[]) =>
    `${acks.length} POSTs: p50 ${percentile(acks, 50).toFixed(1)} ms, p99 ${percentile(acks, 99).toFixed(1)} ms, max ${acks[acks.length - 1]!.toFixed(1)} ms`;
  // The baseline: as many batches, 2 in flight, with no sweep.
  let baselineBatches = 0;
  const noSweep = await postUntil(() => baselineBatches++ >= 60, 'nosweep');
  let dropped = false;
  const dropStarted = performance.now();
  const drop = expireEvents(store.sql, { before: weekEnd }).finally(() => {
    dropped = true;
  });
  const duringDrop = await postUntil(() => dropped, 'drop');
  const dropResult = await drop;
  const dropSeconds = (performance.now() - dropStarted) / 1000;
  const maxDuringDrop = duringDrop[duringDrop.length - 1] ?? Number.NaN;
  console.log(
    `  ingest while the oldest week is dropped (${dropResult.expired.toLocaleString('en')} events in ${dropSeconds.toFixed(1)} s), POSTs of 500, 2 in flight: ` +
      `${describeAcks(duringDrop)} (aim: no ack above 100 ms: ${maxDuringDrop <= 100 ? 'met' : 'NOT met'})   baseline with no sweep: ${describeAcks(noSweep)}   ratio max ${(maxDuringDrop / noSweep[noSweep.length - 1]!).toFixed(2)}×`,
  );
  results.set('ingest during a week drop max ack ms', maxDuringDrop);
  return { results, baselines };
}

export async function run(args: string[]): Promise<void> {
  const events = readCount(args, 'events', 1_000_000);
  const samples = Math.max(200, readCount(args, 'samples', 200));
  // Where a larger run measures first before growing (--first; 1,000,000 unless set, smaller to try the growth step).
  const firstMeasure = readCount(args, 'first', 1_000_000);
  const database = await createBenchDatabase('cdevents_bench_scale');
  console.log(
    `scale bench on PostgreSQL database ${database.name}: ${events.toLocaleString('en')} events, ${samples} samples`,
  );
  const store = await createStore({ databaseUrl: database.url, dataDir: '', databasePoolSize: 10 });
  const config = {
    ...loadConfig({
      CDEVENTS_PROXY_SECRET: proxySecret,
      CDEVENTS_INGEST_TOKENS: ingestToken,
      CDEVENTS_LOG_LEVEL: 'warn',
    }),
    ingestRateLimit: 0,
    retentionDays: 0,
  };
  let seeded = 0;
  const stories = (count: number) => Math.ceil(count / STORY_EVENTS);
  try {
    const firstSize = Math.min(events, firstMeasure);
    await seed(store, 0, stories(firstSize));
    seeded = stories(firstSize);
    // The clock of the routes stands at the end of the seeded history, so "the last 24 h" and "30 days" hold events.
    const clock = { now: () => storyTime(seeded, STORY_EVENTS) };

    const app = await createApp({ config, store, clock });
    try {
      const first = await measureAll(store, app, seeded, seeded, samples, `at ${firstSize.toLocaleString('en')}`);
      if (events > firstSize) {
        // Past the stories the first phase's ingest batches used, so the seeded ids stay unique.
        const growFrom = seeded + (samples + 5) * 50;
        const growBy = stories(events) - seeded;
        await seed(store, growFrom, growFrom + growBy);
        seeded = growFrom + growBy;
        const second = await measureAll(store, app, seeded, growBy, samples, `at ${events.toLocaleString('en')}`);
        // Beside each growth, its baseline's: a plain indexed query slows too as the store outgrows the
        // cache, and the figure's ratio to it says how much of the growth is the route's own.
        console.log('\ngrowth factor (aim ≤ 1.5×; in brackets the same-run baseline’s growth):');
        for (const [name, value] of first.results) {
          const growth = (second.results.get(name) ?? Number.NaN) / value;
          const baseFirst = first.baselines.get(name);
          const baseSecond = second.baselines.get(name);
          const baseGrowth = baseFirst && baseSecond ? ` (baseline ${(baseSecond / baseFirst).toFixed(2)}×)` : '';
          console.log(`  ${name}: ${growth.toFixed(2)}×${baseGrowth}`);
        }
      }
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
    await database.drop(args);
  }
}
