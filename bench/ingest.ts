/**
 * Ingest throughput and latency, over real HTTP to the real backend process
 * (src/backend/main.ts), on PGlite and on PostgreSQL, beside a plain multi-row
 * INSERT of the same payloads into a bare table in the same run.
 *
 *   npm run bench -- ingest                      both stores, default sizes (< 1 minute)
 *   npm run bench -- ingest --store=postgres     one store
 *   npm run bench -- ingest --scale=4            4x the events (longer, steadier figures)
 *
 * Figures: events/s for single-event posts (16 in flight) and for batches of
 * 500 (2 in flight); the plain-INSERT events/s and the ratio batch/plain (aim:
 * at least 0.5 on PostgreSQL); and the acknowledgement latency of single-event
 * posts sent open-loop at 200 requests/s (aim: p99 under 25 ms).
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
 * is used to create and drop a scratch database.
 */
import { spawn, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { Client } from 'pg';
import { createPgliteExecutor } from '../src/backend/store/createPgliteExecutor';
import { createPostgresExecutor } from '../src/backend/store/createPostgresExecutor';
import type { SqlExecutor } from '../src/backend/store/sqlExecutor';

const repoRoot = resolve(__dirname, '..');
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

async function startBackend(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/backend/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      CDEVENTS_PROXY_AUTH: 'off',
      CDEVENTS_INGEST_TOKENS: token,
      CDEVENTS_INGEST_RATE_LIMIT: '0',
      CDEVENTS_MAX_BODY_BYTES: String(16 * 1024 * 1024),
      CDEVENTS_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        // Keep draining so a full pipe never blocks the server.
        child.stdout!.resume();
        resolvePromise({ url: match[1]!, child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`backend exited with ${code}:\n${output}`)));
  });
}

async function stopBackend(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolvePromise) => {
    child.once('exit', () => resolvePromise());
    child.kill('SIGTERM');
  });
}

async function post(url: string, body: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`ingest answered ${response.status}`);
  return performance.now() - started;
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

/** Sends `count` single-event posts at `rate` per second, not waiting for answers (open loop); returns latencies in ms. */
async function runPaced(url: string, count: number, rate: number, label: string): Promise<number[]> {
  const latencies: number[] = [];
  const started = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let index = 0; index < count; index += 1) {
    const due = started + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolvePromise) => setTimeout(resolvePromise, wait));
    pending.push(post(url, JSON.stringify(buildEvent(label, index))).then((ms) => void latencies.push(ms)));
  }
  await Promise.all(pending);
  return latencies;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

/** The baseline: the same payloads in multi-row INSERTs of 500 into a bare table (no parsing, validation, dedupe or indexes). */
async function insertPlain(executor: SqlExecutor, events: Array<Record<string, unknown>>): Promise<number> {
  await executor.execScript('CREATE TABLE IF NOT EXISTS bench_plain (source text, id text, payload jsonb)');
  const started = performance.now();
  for (let offset = 0; offset < events.length; offset += 500) {
    const chunk = events.slice(offset, offset + 500);
    const params: unknown[] = [];
    const rows = chunk.map((event) => {
      const context = event.context as { source: string; id: string };
      params.push(context.source, context.id, JSON.stringify(event));
      const n = params.length;
      return `($${n - 2}, $${n - 1}, $${n}::jsonb)`;
    });
    await executor.query(`INSERT INTO bench_plain (source, id, payload) VALUES ${rows.join(', ')}`, params);
  }
  return (performance.now() - started) / 1000;
}

interface Figures {
  store: StoreKind;
  singlePerSecond: number;
  batchPerSecond: number;
  plainPerSecond: number;
  p50: number;
  p99: number;
}

async function measure(store: StoreKind, scale: number): Promise<Figures> {
  const singles = 300 * scale;
  const batches = 6 * scale;
  const paced = 600 * scale;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let baseline: SqlExecutor;
  if (store === 'postgres') {
    const name = `cdevents_bench_${runId}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.query(`CREATE DATABASE ${name}_plain`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    env = { DATABASE_URL: url.toString() };
    url.pathname = `/${name}_plain`;
    baseline = createPostgresExecutor({ connectionString: url.toString(), maxConnections: 2 });
    cleanup = async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS ${name}_plain WITH (FORCE)`);
      await admin.end();
    };
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'cdevents-bench-'));
    const plainDir = mkdtempSync(join(tmpdir(), 'cdevents-bench-plain-'));
    env = { CDEVENTS_DATA_DIR: dataDir };
    baseline = await createPgliteExecutor({ dataDir: plainDir });
    cleanup = async () => {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(plainDir, { recursive: true, force: true });
    };
  }
  const backend = await startBackend(env);
  try {
    // Warm up the connection pool and the JIT before measuring.
    await runPool(50, 4, (index) => post(backend.url, JSON.stringify(buildEvent('warm', index))));
    const singleSeconds = await runPool(singles, 16, (index) =>
      post(backend.url, JSON.stringify(buildEvent('single', index))),
    );
    const batchEvents = Array.from({ length: batches * 500 }, (_, index) => buildEvent('batch', index));
    const batchSeconds = await runPool(batches, 2, (index) =>
      post(backend.url, JSON.stringify(batchEvents.slice(index * 500, index * 500 + 500))),
    );
    const plainSeconds = await insertPlain(baseline, batchEvents);
    const latencies = await runPaced(backend.url, paced, 200, 'paced');
    return {
      store,
      singlePerSecond: singles / singleSeconds,
      batchPerSecond: (batches * 500) / batchSeconds,
      plainPerSecond: batchEvents.length / plainSeconds,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
    };
  } finally {
    await stopBackend(backend.child);
    await baseline.close();
    await cleanup();
  }
}

export async function run(args: string[]): Promise<void> {
  const storeArg = args.find((arg) => arg.startsWith('--store='))?.slice('--store='.length);
  const scale = Number(args.find((arg) => arg.startsWith('--scale='))?.slice('--scale='.length) ?? '1');
  const stores: StoreKind[] = storeArg === 'pglite' || storeArg === 'postgres' ? [storeArg] : ['pglite', 'postgres'];
  console.log(
    `ingest bench: ${300 * scale} single posts, ${6 * scale} batches of 500, ${600 * scale} posts paced at 200/s`,
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
      ).toFixed(2)} | 200 req/s ack p50 ${figures.p50.toFixed(1)} ms p99 ${figures.p99.toFixed(1)} ms`,
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
