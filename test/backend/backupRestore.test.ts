/**
 * Backup and restore on PostgreSQL, with the commands docs/operations.md gives
 * ("Backup and restore"): a store filled with the scale bench's stories through
 * the ingest route is dumped with `pg_dump -Fc`, restored with `pg_restore`
 * into a new database, and the backend started on the copy answers as before:
 * the same counts, the same app list and chain, a replayed event is still a
 * duplicate, and a new event is stored after the restored ones.
 */
import { execFile } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import type { ChainResponse, EventListResponse, IngestResponse } from '../../src/backend/api/contract';
import { createStore } from '../../src/backend/store/createStore';
import { appOf, buildStory } from '../../bench/scaleStories';
import {
  createTestDatabase,
  postEvents,
  proxyHeaders,
  startBackend,
  type TestBackend,
  type TestDatabase,
} from '../helpers/backend';

const run = promisify(execFile);
const STORIES = 300;
const app = { namespace: 'argocd', name: appOf(7) };

async function readState(backend: TestBackend) {
  const { rows } = await backend.store.sql.query<{ events: string; apps: string; keys: string }>(
    `SELECT (SELECT count(*) FROM events)::text AS events, (SELECT count(*) FROM event_apps)::text AS apps,
       (SELECT count(*) FROM event_keys)::text AS keys`,
  );
  const list = (await (
    await fetch(`${backend.url}/api/v1/applications/argocd/${app.name}/events?limit=50`, { headers: proxyHeaders(app) })
  ).json()) as EventListResponse;
  const deploy = list.items.find((item) => item.type?.includes('service.'))!;
  const chain = (await (
    await fetch(`${backend.url}/api/v1/events/${deploy.key}/chain?depth=10`, { headers: proxyHeaders(app) })
  ).json()) as ChainResponse;
  return { counts: rows[0]!, list: list.items.map((item) => [item.key, item.id]), chain: chain.nodes.map((n) => n.id) };
}

describe('backup with pg_dump -Fc and restore with pg_restore into a new database', () => {
  let source: TestDatabase;
  let restored: TestDatabase;
  let dumpDir: string;
  let before: Awaited<ReturnType<typeof readState>>;
  let after: Awaited<ReturnType<typeof readState>>;
  let backend: TestBackend;

  beforeAll(async () => {
    dumpDir = mkdtempSync(join(tmpdir(), 'cdevents-backup-'));
    source = await createTestDatabase();
    restored = await createTestDatabase();
    const original = await startBackend({
      deps: { store: await createStore({ databaseUrl: source.url, dataDir: '', databasePoolSize: 4 }) },
    });
    try {
      for (let first = 0; first < STORIES; first += 50) {
        const events = Array.from({ length: 50 }, (_, k) => buildStory(first + k)).flat();
        expect((await postEvents(original.url, events)).status).toBe(200);
      }
      before = await readState(original);
      const dump = join(dumpDir, 'cdevents.dump');
      // The commands of docs/operations.md, "Backup and restore".
      await run('pg_dump', ['-Fc', '--no-owner', '-f', dump, source.url]);
      await run('pg_restore', ['--no-owner', '--exit-on-error', '-d', restored.url, dump]);
    } finally {
      await original.close();
      await original.store.close();
    }
    backend = await startBackend({
      deps: { store: await createStore({ databaseUrl: restored.url, dataDir: '', databasePoolSize: 4 }) },
    });
    after = await readState(backend);
  }, 120_000);

  afterAll(async () => {
    await backend?.close();
    await backend?.store.close();
    await Promise.all([source?.drop(), restored?.drop()]);
    rmSync(dumpDir, { recursive: true, force: true });
  });

  it('keeps every event with its attributions and correlation keys', () => {
    expect(Number(before.counts.events)).toBe(STORIES * 10);
    expect(after.counts).toEqual(before.counts);
  });

  it("shows an app's list and a deploy's chain as before", () => {
    expect(after.list.length).toBeGreaterThan(0);
    expect(after.list).toEqual(before.list);
    expect(after.chain.length).toBeGreaterThan(1);
    expect(after.chain).toEqual(before.chain);
  });

  it('still answers a replayed event as a duplicate, and stores a new one after the restored ones', async () => {
    const replay = await postEvents(backend.url, buildStory(7).slice(0, 1));
    expect((replay.body as IngestResponse).results[0]!.status).toBe('duplicate');
    const fresh = await postEvents(backend.url, buildStory(STORIES).slice(0, 1));
    const result = (fresh.body as IngestResponse).results[0]!;
    expect(result.status).toBe('stored');
    // The sequence came back with the data, so the new key is none of the restored ones.
    expect(after.list.map(([key]) => key)).not.toContain(result.key);
    const { rows } = await backend.store.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM events');
    expect(Number(rows[0]!.n)).toBe(STORIES * 10 + 1);
  });
});
