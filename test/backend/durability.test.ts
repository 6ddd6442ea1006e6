/**
 * An event answered with 2xx survives kill -9 of the backend right after the
 * answer: the real backend runs as a child process (node with tsx's loader),
 * takes events over HTTP, is killed with SIGKILL, restarted on the same data,
 * and still lists every acknowledged event. On PGlite and on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { EventListResponse } from '../../src/backend/api/contract';
import { createTestDatabase, postEvents, proxyHeaders, storeKinds, type TestDatabase } from '../helpers/backend';
import { startBackendProcess, type BackendProcess } from '../helpers/startBackendProcess';

jest.setTimeout(120_000);

function killHard(backend: BackendProcess): Promise<void> {
  return new Promise((resolvePromise) => {
    backend.child.once('exit', () => resolvePromise());
    backend.child.kill('SIGKILL');
  });
}

// Within the default retention (90 days), which the restarted backend applies at start.
const startedAt = Date.now() - 3_600_000;

function cdevent(index: number) {
  return {
    context: {
      specversion: '0.5.1',
      id: `durable-${index}`,
      source: '/ci/durability',
      type: 'dev.cdevents.service.deployed.0.3.0',
      timestamp: new Date(startedAt + index * 1000).toISOString(),
    },
    subject: { id: 'argocd/durable', content: { environment: { id: 'prod' }, artifactId: 'pkg:oci/app@sha256:abc' } },
  };
}

describe.each(storeKinds)('durability on %s', (kind) => {
  let dataDir: string | undefined;
  let database: TestDatabase | undefined;
  let running: BackendProcess | undefined;

  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) await killHard(running);
    rmSync(dataDir ?? '/nonexistent', { recursive: true, force: true });
    await database?.drop();
  });

  it('keeps every event answered 200 after kill -9 right after the answer, and restarts on the same data', async () => {
    let env: Record<string, string>;
    if (kind === 'postgres') {
      database = await createTestDatabase('durability');
      env = { DATABASE_URL: database.url };
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'cdevents-durability-'));
      env = { CDEVENTS_DATA_DIR: dataDir };
    }
    running = await startBackendProcess(env);
    const single = 30;
    for (let index = 0; index < single; index += 1) {
      const response = await postEvents(running.url, cdevent(index));
      expect(response.status).toBe(200);
    }
    const batch = Array.from({ length: 70 }, (_, index) => cdevent(single + index));
    expect((await postEvents(running.url, batch)).status).toBe(200);
    await killHard(running);

    running = await startBackendProcess(env);
    const response = await fetch(`${running.url}/api/v1/applications/argocd/durable/events?limit=1000`, {
      headers: proxyHeaders({ namespace: 'argocd', name: 'durable' }),
    });
    const page = (await response.json()) as EventListResponse;
    expect(page.items).toHaveLength(single + batch.length);
    await killHard(running);
  });
});
