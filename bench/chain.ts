/**
 * `npm run bench -- chain [--events N] [--samples N] [--depth N] [--environments N] [--keep]`
 *
 * The causal chain of a deploy in a store of N events (default 1,000,000) on
 * PostgreSQL (TEST_DATABASE_URL's server, a dedicated database created and
 * dropped here): p50 and p99 of loadChain at depth 10 (the route's work
 * without HTTP), beside one indexed lookup of an event by (source, id) measured
 * in the same run, and the ratio. Aim: p99 under 50 ms at depth 10.
 *
 * The store is seeded in SQL with generate_series: stories of ten events
 * (change merged → pipeline run started/finished → artifact published →
 * deployed → test suite → test case → incident → rolled back → incident
 * resolved), one every 10 s, for 2,000 apps in turn (each app releases every
 * 20,000 s), linked the way real tools link them (a few explicit links, the
 * rest shared purls, pipeline runs, test suite runs and environments).
 *
 * Environments: Argo CD names an app's environment after its destination,
 * cluster/namespace (src/backend/argocd/appIdentity.ts), and apps mostly deploy
 * to their own namespace, so by default each app has its own environment
 * (`--environments 2000`). The rollback redeploys the app's previous release
 * (its artifact is the previous story's purl), so a deploy's chain reaches back
 * through earlier releases: a few dozen events at depth 10. An earlier seed
 * reused 200 environments every 2,000 s, so the one-hour environment window
 * chained every story to its neighbours and every sampled chain hit the
 * 200-node bound; `--environments 200` still seeds that, as a stress case.
 */
import { createStore } from '../src/backend/store/createStore';
import { loadChain } from '../src/backend/store/chainQueries';
import { createBenchDatabase, readFlag } from './benchDatabase';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

// Story s, event k (seq = 10 s + k + 1). Times: story s starts at s * 10 s, events one minute apart.
const seedEventsSql = `
INSERT INTO events (seq, source, context_id, type, subject, predicate, event_time, received_at, sort_time, subject_id,
  links, link_context_ids, payload, verdict, direction)
SELECT g + 1, 'https://bench.example.com', 'ev-' || g,
  'dev.cdevents.' || sp.subject || '.' || sp.predicate || '.0.3.0', sp.subject, sp.predicate,
  t.at, t.at, t.at, sp.subject_id,
  CASE k WHEN 1 THEN jsonb_build_array(jsonb_build_object('linkType', 'RELATION', 'linkKind', 'TRIGGER',
                       'target', jsonb_build_object('contextId', 'ev-' || (g - 1))))
         WHEN 3 THEN jsonb_build_array(jsonb_build_object('linkType', 'PATH', 'from', jsonb_build_object('contextId', 'ev-' || (g - 1))))
         WHEN 8 THEN jsonb_build_array(jsonb_build_object('linkType', 'PATH', 'from', jsonb_build_object('contextId', 'ev-' || (g - 4))))
         ELSE '[]'::jsonb END,
  CASE k WHEN 1 THEN ARRAY['ev-' || (g - 1)] WHEN 3 THEN ARRAY['ev-' || (g - 1)] WHEN 8 THEN ARRAY['ev-' || (g - 4)]
         ELSE ARRAY[]::text[] END,
  '{}'::jsonb, 'valid',
  CASE WHEN k IN (4, 8) THEN 'emitted' ELSE 'received' END
FROM generate_series(0, $1::bigint - 1) AS g
CROSS JOIN LATERAL (SELECT g / 10 AS s, (g % 10)::int AS k) AS i
CROSS JOIN LATERAL (SELECT timestamptz '2026-01-01' + make_interval(secs => i.s * 10 + i.k * 60) AS at) AS t
CROSS JOIN LATERAL (SELECT
  (ARRAY['change','pipelinerun','pipelinerun','artifact','service','testsuiterun','testcaserun','incident','service','incident'])[i.k + 1] AS subject,
  (ARRAY['merged','started','finished','published','deployed','finished','finished','detected','rolledback','resolved'])[i.k + 1] AS predicate,
  CASE WHEN i.k IN (4, 8) THEN 'argocd/app-' || (i.s % 2000) ELSE 'subject-' || g END AS subject_id) AS sp`;

// The keys listEventKeys would write for those events; $1 is the number of environments.
// The rollback (k = 8) carries the artifact it rolls back to: the app's previous release.
const seedKeysSql = `
INSERT INTO event_keys (kind, value, sort_time, event_seq)
SELECT kv.kind, kv.value, e.sort_time, e.seq
FROM events e
CROSS JOIN LATERAL (SELECT (e.seq - 1) / 10 AS s, ((e.seq - 1) % 10)::int AS k) AS i
CROSS JOIN LATERAL (VALUES
  ('change', CASE WHEN i.k = 0 THEN 'change-' || i.s END),
  ('pipeline-run', CASE WHEN i.k IN (1, 2) THEN 'run-' || i.s END),
  ('artifact', CASE WHEN i.k IN (3, 4, 7) THEN 'pkg:oci/app-' || (i.s % 2000) || '@' || i.s
                    WHEN i.k = 8 AND i.s >= 2000 THEN 'pkg:oci/app-' || (i.s % 2000) || '@' || (i.s - 2000) END),
  ('test-suite-run', CASE WHEN i.k IN (5, 6) THEN 'suite-' || i.s END),
  ('environment', CASE WHEN i.k IN (4, 5, 7, 8, 9) THEN 'https://kubernetes.default.svc/env-' || (i.s % $1::int) END)
) AS kv(kind, value)
WHERE kv.value IS NOT NULL`;

// The identities ingest would have claimed for those events (migration 014).
const seedIdentitiesSql = `
INSERT INTO event_identities (source, context_id, seq, sort_time) SELECT source, context_id, seq, sort_time FROM events`;

// The week partitions the seeded events fall in (ingest would create a missing one on its own).
const addSeedWeeksSql = `
SELECT cdevents_add_week_partition(week) FROM generate_series($1::timestamptz, $2::timestamptz, interval '1 week') AS week`;

const seedAppsSql = `
INSERT INTO event_apps (event_seq, instance, app_namespace, app_name, rule, detail, sort_time)
SELECT seq, 'default', 'argocd', 'app-' || (((seq - 1) / 10) % 2000), 'emitted', 'emitted by Argo CD', sort_time
FROM events WHERE direction = 'emitted'`;

export async function run(args: string[]): Promise<void> {
  const total = readFlag(args, 'events', 1_000_000);
  const samples = readFlag(args, 'samples', 300);
  const depth = readFlag(args, 'depth', 10);
  const environments = readFlag(args, 'environments', 2000);
  const database = await createBenchDatabase('bench_chain');
  const store = await createStore({ databaseUrl: database.url, dataDir: '', databasePoolSize: 2 });
  try {
    const seedStart = Date.now();
    // Story s starts at s * 10 s after 2026-01-01 and spans 9 minutes.
    await store.sql.query(addSeedWeeksSql, [
      '2026-01-01T00:00:00Z',
      new Date(Date.parse('2026-01-01T00:00:00Z') + total * 1000 + 7 * 86_400_000).toISOString(),
    ]);
    await store.sql.query(seedEventsSql, [total]);
    await store.sql.query(`SELECT setval('events_seq_seq', $1::bigint)`, [total]);
    await store.sql.query(seedIdentitiesSql);
    await store.sql.query(seedKeysSql, [environments]);
    await store.sql.query(seedAppsSql);
    // A live database has had autovacuum run: it flushes the GIN pending list of link_context_ids
    // (a bulk load leaves every new entry there, which makes reverse-link lookups scan it) and sets statistics.
    await store.sql.query('VACUUM ANALYZE');
    const counts = (
      await store.sql.query<{ events: string; keys: string }>(
        'SELECT (SELECT count(*) FROM events)::text AS events, (SELECT count(*) FROM event_keys)::text AS keys',
      )
    ).rows[0]!;
    console.log(
      `seeded ${counts.events} events, ${counts.keys} keys on PostgreSQL in ${((Date.now() - seedStart) / 1000).toFixed(1)} s ` +
        `(2,000 apps, ${environments} environments)`,
    );

    const stories = Math.floor(total / 10);
    const deploySeq = (i: number) => String(((i * 7919) % stories) * 10 + 5); // k = 4: service.deployed
    // Warm up caches and JIT, as a running backend would be.
    for (let i = 0; i < 20; i++) await loadChain(store.sql, deploySeq(i + samples), { depth, limit: 200 });

    const chainTimes: number[] = [];
    const sizes: number[] = [];
    let truncated = 0;
    for (let i = 0; i < samples; i++) {
      const started = process.hrtime.bigint();
      const chain = (await loadChain(store.sql, deploySeq(i), { depth, limit: 200 }))!;
      chainTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
      sizes.push(chain.nodes.length);
      if (chain.truncated.depth || chain.truncated.nodes) truncated++;
    }
    const lookupTimes: number[] = [];
    for (let i = 0; i < samples; i++) {
      const started = process.hrtime.bigint();
      // By identity as the store reads it since the time partitions: event_identities names the partition.
      await store.sql.query(
        `SELECT e.seq, e.payload FROM event_identities i JOIN events e ON e.seq = i.seq AND e.sort_time = i.sort_time
         WHERE i.source = $1 AND i.context_id = $2`,
        ['https://bench.example.com', `ev-${Number(deploySeq(i)) - 1}`],
      );
      lookupTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    chainTimes.sort((a, b) => a - b);
    lookupTimes.sort((a, b) => a - b);
    sizes.sort((a, b) => a - b);
    const chain50 = percentile(chainTimes, 50);
    const chain99 = percentile(chainTimes, 99);
    const lookup50 = percentile(lookupTimes, 50);
    const lookup99 = percentile(lookupTimes, 99);
    console.log(`chain of a deploy, depth ${depth}, limit 200, ${samples} samples:`);
    console.log(
      `  nodes per chain: p50 ${percentile(sizes, 50)}, max ${sizes[sizes.length - 1]}; truncated ${truncated}/${samples}`,
    );
    console.log(`  chain   p50 ${chain50.toFixed(2)} ms   p99 ${chain99.toFixed(2)} ms`);
    console.log(
      `  lookup  p50 ${lookup50.toFixed(2)} ms   p99 ${lookup99.toFixed(2)} ms   (one event by (source, id))`,
    );
    console.log(
      `  ratio chain/lookup: p50 ${(chain50 / lookup50).toFixed(1)}x   p99 ${(chain99 / lookup99).toFixed(1)}x`,
    );
    console.log(`  aim p99 < 50 ms at depth 10: ${chain99 < 50 ? 'met' : 'NOT met'}`);
  } finally {
    await store.close();
    await database.drop(args);
  }
}
