/**
 * `npm run bench -- export [--events N] [--keep]`
 *
 * Whether GET /api/v1/applications/{ns}/{name}/events/export streams in flat
 * memory: one app with N events (default 1,000,000) on PostgreSQL
 * (TEST_DATABASE_URL's server, a database created and dropped here), the
 * backend in its own process with the image's Node flags, and the export read
 * over HTTP twice: the newest tenth (filtered with `from`) and the whole
 * history. For each: events/s, MB/s, and the backend's peak RSS above its
 * resident size before the export (sampled from /proc every 20 ms). Flat
 * memory means the whole export's peak is no larger than the tenth's.
 *
 * Baseline, in the same run: the same rows read by the same keyset pages
 * (1,000 by (sort_time, seq)) with one plain indexed query each, in this
 * process, payloads only, no HTTP, no attribution. The ratio is the export's
 * throughput over that.
 */
import { randomBytes } from 'crypto';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Client } from 'pg';
import { createStore } from '../src/backend/store/createStore';
import { startBackend, stopBackend } from './backendProcess';
import { createBenchDatabase, readFlag } from './benchDatabase';

const app = { namespace: 'argocd', name: 'exported' };

// One event a second up to now (1M events: the last 12 days, inside the default 90-day retention the
// backend applies at start), a CDEvent of about 500 bytes, attributed to the app by subject.
const seedEventsSql = `
INSERT INTO events (seq, source, context_id, type, subject, predicate, event_time, received_at, sort_time, subject_id,
  links, link_context_ids, payload, verdict, direction)
SELECT g, 'https://ci.example.com/bench', 'ev-' || g, 'dev.cdevents.pipelinerun.finished.0.2.0',
  'pipelinerun', 'finished', t.at, t.at, t.at, 'run-' || g, '[]'::jsonb, ARRAY[]::text[],
  jsonb_build_object(
    'context', jsonb_build_object('specversion', '0.5.1', 'id', 'ev-' || g, 'source', 'https://ci.example.com/bench',
      'type', 'dev.cdevents.pipelinerun.finished.0.2.0', 'timestamp', t.at),
    'subject', jsonb_build_object('id', 'run-' || g, 'content', jsonb_build_object(
      'pipelineName', 'build-exported', 'outcome', 'success',
      'url', 'https://ci.example.com/bench/pipelines/build-exported/runs/' || g,
      'errors', '')),
    'customData', jsonb_build_object('service', 'argocd/exported', 'commit', md5(g::text))),
  'valid', 'received'
FROM generate_series(1, $1::bigint) AS g
CROSS JOIN LATERAL (SELECT $2::timestamptz + make_interval(secs => g) AS at) AS t`;

// The identities ingest would have claimed for those events (migration 014).
const seedIdentitiesSql = `
INSERT INTO event_identities (source, context_id, seq, sort_time) SELECT source, context_id, seq, sort_time FROM events`;

// The week partitions the seeded events fall in (ingest would create a missing one on its own).
const addSeedWeeksSql = `
SELECT cdevents_add_week_partition(week) FROM generate_series($1::timestamptz, $2::timestamptz, interval '1 week') AS week`;

const seedAppsSql = `
INSERT INTO event_apps (event_seq, instance, app_namespace, app_name, rule, detail, sort_time)
SELECT seq, 'default', 'argocd', 'exported', 'subject', 'subject id is argocd/exported', sort_time FROM events`;

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)![1]) * 1024;
}

interface ExportFigures {
  events: number;
  bytes: number;
  seconds: number;
  peakAboveStartBytes: number;
}

/** Reads one export to its end, counting lines and bytes and keeping none of them. */
async function readExport(url: string, pid: number): Promise<ExportFigures> {
  const before = rssBytes(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 20);
  const started = process.hrtime.bigint();
  let events = 0;
  let bytes = 0;
  try {
    const response = await fetch(url, {
      headers: { 'argocd-application-name': `${app.namespace}:${app.name}`, 'argocd-project-name': 'default' },
    });
    if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      for (const byte of chunk) if (byte === 10) events += 1;
    }
  } finally {
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { events, bytes, seconds, peakAboveStartBytes: Math.max(peak, rssBytes(pid)) - before };
}

/** The baseline: the same rows by the same keyset pages, one plain indexed query each. */
async function readPlainPages(url: string, from: string | undefined): Promise<{ events: number; seconds: number }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const started = process.hrtime.bigint();
  let events = 0;
  try {
    let position: { sort_time: string; seq: string } | undefined;
    for (;;) {
      const result = await client.query<{ sort_time: string; seq: string; payload: string }>(
        `SELECT ea.sort_time::text AS sort_time, e.seq::text AS seq, e.payload::text AS payload
         FROM event_apps ea JOIN events e ON e.seq = ea.event_seq
         WHERE ea.instance = 'default' AND ea.app_namespace = 'argocd' AND ea.app_name = 'exported'
           AND ($1::timestamptz IS NULL OR ea.sort_time >= $1::timestamptz)
           AND ($2::timestamptz IS NULL OR (ea.sort_time, ea.event_seq) < ($2::timestamptz, $3::bigint))
         ORDER BY ea.sort_time DESC, ea.event_seq DESC LIMIT 1000`,
        [from ?? null, position?.sort_time ?? null, position?.seq ?? null],
      );
      events += result.rows.length;
      if (result.rows.length < 1000) break;
      const last = result.rows[result.rows.length - 1]!;
      position = { sort_time: last.sort_time, seq: last.seq };
    }
  } finally {
    await client.end();
  }
  return { events, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export async function run(args: string[]): Promise<void> {
  const total = readFlag(args, 'events', 1_000_000);
  const database = await createBenchDatabase('bench_export');
  const databaseUrl = database.url;
  let backend: Awaited<ReturnType<typeof startBackend>> | undefined;
  try {
    const store = await createStore({ databaseUrl, dataDir: '', databasePoolSize: 2 });
    const seedStart = Date.now();
    const seedBase = new Date(Math.floor(Date.now() / 1000) * 1000 - total * 1000);
    await store.sql.query(addSeedWeeksSql, [seedBase.toISOString(), new Date().toISOString()]);
    await store.sql.query(seedEventsSql, [total, seedBase.toISOString()]);
    await store.sql.query(`SELECT setval('events_seq_seq', $1::bigint)`, [total]);
    await store.sql.query(seedIdentitiesSql);
    await store.sql.query(seedAppsSql);
    await store.sql.query('VACUUM ANALYZE');
    await store.close();
    console.log(`seeded ${total} events of one app on PostgreSQL in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    const logDir = mkdtempSync(join(tmpdir(), 'cdevents-bench-export-'));
    backend = await startBackend(
      { DATABASE_URL: databaseUrl, CDEVENTS_INGEST_TOKENS: `bench-${randomBytes(8).toString('hex')}` },
      join(logDir, 'backend.log'),
    );
    const pid = backend.child.pid!;
    const exportUrl = `${backend.url}/api/v1/applications/${app.namespace}/${app.name}/events/export`;
    // The newest tenth: the last total/10 seconds of the seed.
    const tenthFrom = new Date(seedBase.getTime() + (total - total / 10 + 1) * 1000).toISOString();
    // Warm up the process (JIT, connections) as a running backend would be.
    await readExport(`${exportUrl}?from=${new Date(seedBase.getTime() + (total - 5000) * 1000).toISOString()}`, pid);

    console.log(`backend resident before the exports: ${mib(rssBytes(pid))}`);
    const rows: Array<[string, ExportFigures, { events: number; seconds: number }]> = [];
    for (const [label, from] of [
      ['newest tenth', tenthFrom],
      ['whole history', undefined],
    ] as const) {
      const figures = await readExport(from ? `${exportUrl}?from=${from}` : exportUrl, pid);
      const plain = await readPlainPages(databaseUrl, from);
      if (figures.events !== plain.events)
        throw new Error(`${label}: exported ${figures.events}, plain read ${plain.events}`);
      rows.push([label, figures, plain]);
    }
    for (const [label, figures, plain] of rows) {
      const rate = figures.events / figures.seconds;
      const plainRate = plain.events / plain.seconds;
      console.log(
        `${label.padEnd(14)} ${String(figures.events).padStart(8)} events  ${figures.seconds.toFixed(1).padStart(6)} s  ` +
          `${Math.round(rate).toLocaleString('en-US').padStart(7)} ev/s  ${(figures.bytes / 1024 / 1024 / figures.seconds).toFixed(1)} MiB/s  ` +
          `peak RSS +${mib(figures.peakAboveStartBytes)}   plain pages ${Math.round(plainRate).toLocaleString('en-US')} ev/s, ratio ${(rate / plainRate).toFixed(2)}`,
      );
    }
    const [tenth, whole] = [rows[0]![1], rows[1]![1]];
    console.log(
      `memory: the whole export's peak above start is ${(whole.peakAboveStartBytes / Math.max(tenth.peakAboveStartBytes, 1)).toFixed(2)}x the tenth's ` +
        `for ${(whole.events / tenth.events).toFixed(0)}x the events (flat memory: about 1x)`,
    );
  } finally {
    if (backend) await stopBackend(backend.child);
    await database.drop(args);
  }
}
