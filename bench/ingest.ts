/**
 * Ingest throughput and latency, over real HTTP to the real backend process
 * (src/backend/main.ts), on PGlite and on PostgreSQL, beside a plain multi-row
 * INSERT of the same payloads in the same run.
 *
 *   npm run bench -- ingest                      both stores, default sizes (< 1 minute)
 *   npm run bench -- ingest --store=postgres     one store
 *   npm run bench -- ingest --scale=4            4x the events (longer, steadier figures)
 *
 * Figures:
 * - single: events/s of single-event posts, 16 in flight.
 * - batch-500: events/s of posts of 500 events, 2 in flight.
 * - plain INSERT: the same 500-event payloads written by one multi-row `pg`
 *   INSERT each, 2 in flight, into a table of the events table's shape as it
 *   was before the time partitions of migration 014 (one table with its
 *   columns, unique identity and indexes), so the ratio compares across that
 *   change; none of the backend's work (no HTTP, parsing, validation, hashing, dedupe, attribution,
 *   chain keys or triggers). The ratio batch/plain is the figure (aim: at least
 *   0.5 on PostgreSQL). A bare table (source, id, payload) is printed for reference.
 *   Batches and baselines run interleaved, round by round, so a busy machine
 *   slows both alike, after 8 warm-up batches of each (the first batches of a
 *   fresh process run unoptimised JavaScript, which a short run would measure).
 * - CPU per batch (Linux): milliseconds each process spent per 500-event batch,
 *   the backend's Node process, every PostgreSQL server process, and this
 *   process (the HTTP client, or the plain INSERT's pg client), from
 *   /proc/<pid>/task/<tid>/schedstat. Both sides run 2 in flight on the same
 *   cores, so the ratio follows their CPU totals: that line says where to cut.
 * - 200 req/s ack: single-event posts sent open-loop at 200 requests/s; each
 *   latency runs from the request's scheduled send time to its answer, so a
 *   stalled client or server counts against the figure (no coordinated
 *   omission). Aim: p99 under 25 ms.
 * The backend runs with the Node flags of the Dockerfile's CMD, as in the image.
 * The backend's log goes to a file, as a container runtime drains stdout; a
 * pipe to this process would make the server wait on the client's event loop.
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
 * is used to create and drop scratch databases.
 */
import { randomBytes } from 'crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { Agent, request } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { Client } from 'pg';
import { createStore } from '../src/backend/store/createStore';
import type { SqlExecutor } from '../src/backend/store/sqlExecutor';
import { startBackend, stopBackend } from './backendProcess';

const token = `bench-token-${randomBytes(8).toString('hex')}`;
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const runId = randomBytes(4).toString('hex');

type StoreKind = 'pglite' | 'postgres';

function buildEvent(label: string, index: number): Record<string, unknown> {
  return {
    context: {
      specversion: '0.5.1',
      id: `${runId}-${label}-${index}`,
      source: '/bench/ci',
      type: 'dev.cdevents.service.deployed.0.3.0',
      timestamp: new Date(Date.UTC(2025, 0, 1) + index * 1000).toISOString(),
    },
    subject: {
      id: `argocd/app-${index % 50}`,
      source: '/bench/ci',
      content: {
        environment: { id: 'production', source: 'https://kubernetes.default.svc' },
        artifactId: `pkg:oci/app-${index % 50}@sha256:${index.toString(16).padStart(64, '0')}`,
      },
    },
    customData: { pipeline: 'release', run: index },
  };
}

/** Keep-alive connections, as a tool posting events steadily would hold; node:http costs the client less than fetch. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** Posts one body; resolves when the whole answer has arrived. */
function post(url: string, body: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const req = request(
      `${url}/api/v1/events`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        response.on('data', () => undefined);
        response.on('end', () =>
          response.statusCode === 200
            ? resolvePromise()
            : reject(new Error(`ingest answered ${response.statusCode ?? 'nothing'}`)),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `count` tasks with at most `concurrency` in flight; resolves with the elapsed seconds. */
async function runPool(count: number, concurrency: number, task: (index: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

/**
 * Sends `count` single-event posts at `rate` per second, not waiting for answers (open loop).
 * Each latency is measured from when the request was due, not from when it was sent.
 */
async function runPaced(url: string, count: number, rate: number, label: string): Promise<number[]> {
  const bodies = Array.from({ length: count }, (_, index) => JSON.stringify(buildEvent(label, index)));
  const latencies: number[] = [];
  const started = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let index = 0; index < count; index += 1) {
    const due = started + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolvePromise) => setTimeout(resolvePromise, wait));
    pending.push(post(url, bodies[index]!).then(() => void latencies.push(performance.now() - due)));
  }
  await Promise.all(pending);
  return latencies;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

/**
 * CPU time in milliseconds per process group, read from Linux's /proc (every
 * thread's schedstat: nanoseconds on a CPU), so a figure says which process a
 * batch's time went to. Undefined where /proc is absent.
 */
type CpuGroups = { backend: number; postgres: number; client: number };

function threadCpuMs(pid: number): number {
  let total = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
    }
  } catch {
    // The process or thread ended meanwhile: it has nothing more to count.
  }
  return total;
}

/** Every PostgreSQL server process (backends, WAL writer, checkpointer...), keyed by pid. */
async function postgresCpuMs(admin: Client | undefined): Promise<Map<number, number>> {
  const byPid = new Map<number, number>();
  if (!admin) return byPid;
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity');
  for (const { pid } of rows) byPid.set(pid, threadCpuMs(pid));
  return byPid;
}

async function readCpu(backendPid: number | undefined, admin: Client | undefined) {
  const usage = process.cpuUsage();
  return {
    backend: backendPid === undefined ? 0 : threadCpuMs(backendPid),
    postgres: await postgresCpuMs(admin),
    client: (usage.user + usage.system) / 1000,
  };
}

/** The CPU each group spent between two readings; a PostgreSQL process born meanwhile counts from zero. */
function cpuSpent(before: Awaited<ReturnType<typeof readCpu>>, after: Awaited<ReturnType<typeof readCpu>>): CpuGroups {
  let postgres = 0;
  for (const [pid, ms] of after.postgres) postgres += ms - (before.postgres.get(pid) ?? 0);
  return { backend: after.backend - before.backend, postgres, client: after.client - before.client };
}

function addCpu(total: CpuGroups, spent: CpuGroups): void {
  total.backend += spent.backend;
  total.postgres += spent.postgres;
  total.client += spent.client;
}

/**
 * The baseline tables: one plain table of the events table's columns, constraints and indexes as they
 * were before the time partitions (migration 014), without triggers or side tables, so the ratio
 * batch/plain compares with the figures measured before; and a bare one.
 */
async function createBaselineTables(executor: SqlExecutor): Promise<void> {
  await executor.execScript(`
    CREATE TABLE bench_plain (
      seq bigserial PRIMARY KEY,
      source text NOT NULL,
      context_id text NOT NULL,
      type text, subject text, predicate text, type_version text, spec_version text,
      event_time timestamptz,
      received_at timestamptz NOT NULL,
      sort_time timestamptz GENERATED ALWAYS AS (coalesce(event_time, received_at)) STORED,
      subject_id text, chain_id text,
      links jsonb NOT NULL DEFAULT '[]',
      link_context_ids text[] NOT NULL DEFAULT '{}',
      payload jsonb NOT NULL,
      verdict text NOT NULL CHECK (verdict IN ('valid', 'invalid', 'unknown-type')),
      problems jsonb NOT NULL DEFAULT '[]',
      direction text NOT NULL CHECK (direction IN ('emitted', 'received')),
      reconstructed boolean NOT NULL DEFAULT false,
      instance text,
      UNIQUE (source, context_id)
    );
    CREATE INDEX ON bench_plain (sort_time DESC, seq DESC);
    CREATE INDEX ON bench_plain (context_id);
    CREATE INDEX ON bench_plain (chain_id) WHERE chain_id IS NOT NULL;
    CREATE INDEX ON bench_plain (subject_id) WHERE subject_id IS NOT NULL;
    CREATE INDEX ON bench_plain USING gin (link_context_ids);
    CREATE TABLE bench_bare (source text, id text, payload jsonb);`);
}

/** One multi-row INSERT of a batch into the events-shaped table, its columns read straight from the payload. */
async function insertPlain(executor: SqlExecutor, events: Array<Record<string, unknown>>): Promise<void> {
  const params: unknown[] = [];
  const receivedAt = new Date().toISOString();
  const rows = events.map((event) => {
    const context = event.context as { source: string; id: string; type: string; timestamp: string };
    const subject = event.subject as { id: string };
    const payload = JSON.stringify(event);
    params.push(context.source, context.id, context.type, context.timestamp, receivedAt, subject.id, payload);
    const n = params.length;
    return `($${n - 6}, $${n - 5}, $${n - 4}, 'service', 'deployed', '0.3.0', '0.5.1', $${n - 3}::timestamptz,
      $${n - 2}::timestamptz, $${n - 1}, $${n}::jsonb, 'valid', 'received')`;
  });
  await executor.query(
    `INSERT INTO bench_plain (source, context_id, type, subject, predicate, type_version, spec_version, event_time,
       received_at, subject_id, payload, verdict, direction) VALUES ${rows.join(', ')}`,
    params,
  );
}

/** The same payloads into a bare (source, id, payload) table: the floor, for reference. */
async function insertBare(executor: SqlExecutor, events: Array<Record<string, unknown>>): Promise<void> {
  const params: unknown[] = [];
  const rows = events.map((event) => {
    const context = event.context as { source: string; id: string };
    params.push(context.source, context.id, JSON.stringify(event));
    const n = params.length;
    return `($${n - 2}, $${n - 1}, $${n}::jsonb)`;
  });
  await executor.query(`INSERT INTO bench_bare (source, id, payload) VALUES ${rows.join(', ')}`, params);
}

interface Figures {
  store: StoreKind;
  singlePerSecond: number;
  batchPerSecond: number;
  plainPerSecond: number;
  barePerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU milliseconds per 500-event batch, by process (see readCpu). */
  batchCpu: CpuGroups;
  plainCpu: CpuGroups;
  /** Bytes on disk per event: the backend's own figure (its /metrics) and the plain table's. */
  storedBytesPerEvent: number;
  plainBytesPerEvent: number;
  /** The mean size of one event's JSON as posted. */
  rawJsonBytes: number;
}

/** A gauge's value in the backend's /metrics, measured by the backend on its own store. */
async function readGauge(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!match) throw new Error(`/metrics has no ${name}`);
  return Number(match[1]);
}

const batchSize = 500;
/** Batches posted (and inserted plainly) before measuring, so both sides run JIT-compiled code on warm caches. */
const warmBatches = 8;
const batchesInFlight = 2;
/** Each round posts this many batches, then inserts them plainly, then barely: long enough to pipeline, short enough to interleave. */
const batchesPerRound = 4;
const roundsPerScale = 8;

async function measure(store: StoreKind, scale: number): Promise<Figures> {
  const singles = 300 * scale;
  const rounds = roundsPerScale * scale;
  const paced = 600 * scale;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let baselineUrl: string | undefined;
  let baselineDir: string | undefined;
  const logDir = mkdtempSync(join(tmpdir(), 'cdevents-bench-log-'));
  // Also reads which PostgreSQL processes exist, for the CPU figures.
  let admin: Client | undefined;
  if (store === 'postgres') {
    const name = `cdevents_bench_${runId}`;
    const connected = new Client({ connectionString: adminUrl });
    await connected.connect();
    admin = connected;
    await connected.query(`CREATE DATABASE ${name}`);
    await connected.query(`CREATE DATABASE ${name}_plain`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    env = { DATABASE_URL: url.toString() };
    url.pathname = `/${name}_plain`;
    baselineUrl = url.toString();
    cleanup = async () => {
      await connected.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await connected.query(`DROP DATABASE IF EXISTS ${name}_plain WITH (FORCE)`);
      await connected.end();
    };
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'cdevents-bench-'));
    baselineDir = mkdtempSync(join(tmpdir(), 'cdevents-bench-plain-'));
    env = { CDEVENTS_DATA_DIR: dataDir };
    cleanup = async () => {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(baselineDir!, { recursive: true, force: true });
    };
  }
  // The baseline database gets the same migrations, so both databases are alike but for what is measured.
  const baselineStore = await createStore({
    databaseUrl: baselineUrl,
    dataDir: baselineDir ?? '',
    databasePoolSize: batchesInFlight,
  });
  const baseline = baselineStore.sql;
  await createBaselineTables(baseline);
  const backend = await startBackend(
    { CDEVENTS_INGEST_TOKENS: token, CDEVENTS_MAX_BODY_BYTES: String(16 * 1024 * 1024), ...env },
    join(logDir, 'backend.log'),
  );
  try {
    // Warm up the connection pool, the prepared statements and the JIT before measuring.
    await runPool(100, 16, (index) => post(backend.url, JSON.stringify(buildEvent('warm', index))));
    for (let warm = 0; warm < warmBatches; warm += 1) {
      const warmBatch = Array.from({ length: batchSize }, (_, index) => buildEvent(`warm-batch-${warm}`, index));
      await post(backend.url, JSON.stringify(warmBatch));
      await insertPlain(baseline, warmBatch);
      await insertBare(baseline, warmBatch);
    }

    const singleBodies = Array.from({ length: singles }, (_, index) => JSON.stringify(buildEvent('single', index)));
    const singleSeconds = await runPool(singles, 16, (index) => post(backend.url, singleBodies[index]!));

    let batchSeconds = 0;
    let plainSeconds = 0;
    let bareSeconds = 0;
    const batchCpu: CpuGroups = { backend: 0, postgres: 0, client: 0 };
    const plainCpu: CpuGroups = { backend: 0, postgres: 0, client: 0 };
    const cpu = () => readCpu(backend.child.pid, admin);
    for (let round = 0; round < rounds; round += 1) {
      const batches = Array.from({ length: batchesPerRound }, (_, slot) =>
        Array.from({ length: batchSize }, (_, index) => buildEvent(`batch-${round}-${slot}`, index)),
      );
      const bodies = batches.map((batch) => JSON.stringify(batch));
      let before = await cpu();
      batchSeconds += await runPool(batchesPerRound, batchesInFlight, (slot) => post(backend.url, bodies[slot]!));
      addCpu(batchCpu, cpuSpent(before, await cpu()));
      before = await cpu();
      plainSeconds += await runPool(batchesPerRound, batchesInFlight, (slot) => insertPlain(baseline, batches[slot]!));
      addCpu(plainCpu, cpuSpent(before, await cpu()));
      bareSeconds += await runPool(batchesPerRound, batchesInFlight, (slot) => insertBare(baseline, batches[slot]!));
    }
    const batchCount = rounds * batchesPerRound;
    const batchEvents = batchCount * batchSize;
    const perBatch = (total: CpuGroups): CpuGroups => ({
      backend: total.backend / batchCount,
      postgres: total.postgres / batchCount,
      client: total.client / batchCount,
    });

    const latencies = await runPaced(backend.url, paced, 200, 'paced');
    // The first scrape measures the store afresh (nothing was measured before it).
    const storedBytesPerEvent = await readGauge(backend.url, 'cdevents_store_bytes_per_event');
    const plain = await baseline.query<{ bytes: string; rows: string }>(
      `SELECT pg_total_relation_size('bench_plain')::text AS bytes, (SELECT count(*) FROM bench_plain)::text AS rows`,
    );
    const sample = Array.from({ length: batchSize }, (_, index) => JSON.stringify(buildEvent('size', index)).length);
    return {
      store,
      singlePerSecond: singles / singleSeconds,
      batchPerSecond: batchEvents / batchSeconds,
      plainPerSecond: batchEvents / plainSeconds,
      barePerSecond: batchEvents / bareSeconds,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: Math.max(...latencies),
      batchCpu: perBatch(batchCpu),
      plainCpu: perBatch(plainCpu),
      storedBytesPerEvent,
      plainBytesPerEvent: Number(plain.rows[0]!.bytes) / Number(plain.rows[0]!.rows),
      rawJsonBytes: sample.reduce((sum, size) => sum + size, 0) / sample.length,
    };
  } finally {
    await stopBackend(backend.child);
    await baselineStore.close();
    await cleanup();
    rmSync(logDir, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<void> {
  const storeArg = args.find((arg) => arg.startsWith('--store='))?.slice('--store='.length);
  const scale = Number(args.find((arg) => arg.startsWith('--scale='))?.slice('--scale='.length) ?? '1');
  const stores: StoreKind[] = storeArg === 'pglite' || storeArg === 'postgres' ? [storeArg] : ['pglite', 'postgres'];
  console.log(
    `ingest bench: ${300 * scale} single posts (16 in flight), ${roundsPerScale * scale * batchesPerRound} batches of ${batchSize} ` +
      `(${batchesInFlight} in flight, interleaved with the baselines), ${600 * scale} posts paced at 200/s`,
  );
  console.log(
    'baseline "plain": the same payloads, one multi-row pg INSERT per batch into a table of the events table\'s unpartitioned shape (before migration 014) ' +
      '(same columns, constraints and indexes; no triggers, no side tables); "bare": a (source, id, payload) table',
  );
  console.log(
    "ack latency: from each request's scheduled send time to its answer (open loop, no coordinated omission)",
  );
  const rows: Figures[] = [];
  for (const store of stores) {
    const figures = await measure(store, scale);
    rows.push(figures);
    console.log(
      `${store.padEnd(8)} single ${figures.singlePerSecond.toFixed(0).padStart(6)} ev/s | batch-500 ${figures.batchPerSecond
        .toFixed(0)
        .padStart(6)} ev/s | plain INSERT ${figures.plainPerSecond.toFixed(0).padStart(6)} ev/s | ratio batch/plain ${(
        figures.batchPerSecond / figures.plainPerSecond
      ).toFixed(2)} | bare INSERT ${figures.barePerSecond.toFixed(0).padStart(6)} ev/s (batch/bare ${(
        figures.batchPerSecond / figures.barePerSecond
      ).toFixed(
        2,
      )}) | 200 req/s ack p50 ${figures.p50.toFixed(1)} ms p99 ${figures.p99.toFixed(1)} ms max ${figures.max.toFixed(
        1,
      )} ms`,
    );
    const cpuLine = (label: string, cpu: CpuGroups, clientRole: string): string =>
      `${label} backend node ${cpu.backend.toFixed(1)} + postgres ${cpu.postgres.toFixed(1)} + ${clientRole} ${cpu.client.toFixed(
        1,
      )} = ${(cpu.backend + cpu.postgres + cpu.client).toFixed(1)} ms`;
    if (process.platform === 'linux') {
      console.log(
        `${''.padEnd(8)} CPU per batch of ${batchSize}: ${cpuLine('batch-500', figures.batchCpu, 'bench client')} | ${cpuLine(
          'plain INSERT',
          figures.plainCpu,
          'bench (pg client)',
        )}${store === 'pglite' ? ' (PGlite runs inside the process that queries it)' : ''}`,
      );
    }
  }
  for (const figures of rows) {
    console.log(
      `${figures.store.padEnd(8)} on disk per event: ${figures.storedBytesPerEvent.toFixed(0)} bytes (events, event_identities, event_apps, event_keys, ` +
        `indexes included; the backend's cdevents_store_bytes_per_event) | plain table ${figures.plainBytesPerEvent.toFixed(0)} bytes ` +
        `(ratio ${(figures.storedBytesPerEvent / figures.plainBytesPerEvent).toFixed(2)}) | raw JSON ${figures.rawJsonBytes.toFixed(0)} bytes ` +
        `(${(figures.storedBytesPerEvent / figures.rawJsonBytes).toFixed(1)}x)`,
    );
  }
  const postgres = rows.find((row) => row.store === 'postgres');
  if (postgres) {
    const ratio = postgres.batchPerSecond / postgres.plainPerSecond;
    console.log(`aim (PostgreSQL): batch/plain >= 0.50: ${ratio.toFixed(2)} ${ratio >= 0.5 ? 'met' : 'NOT met'}`);
    console.log(
      `aim (PostgreSQL): p99 < 25 ms at 200 req/s: ${postgres.p99.toFixed(1)} ms ${postgres.p99 < 25 ? 'met' : 'NOT met'}`,
    );
  }
}
