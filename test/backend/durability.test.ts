/**
 * An event answered with 2xx survives kill -9 of the backend right after the
 * answer: the real backend runs as a child process (node with tsx's loader),
 * takes events over HTTP, is killed with SIGKILL, restarted on the same data,
 * and still lists every acknowledged event. On PGlite and on PostgreSQL.
 */
import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import type { EventListResponse } from '../../src/backend/api/contract';
import {
  createTestDatabase,
  postEvents,
  proxyHeaders,
  storeKinds,
  testIngestToken,
  testProxySecret,
  type TestDatabase,
} from '../helpers/backend';

jest.setTimeout(120_000);

const repoRoot = resolve(__dirname, '../..');

interface RunningBackend {
  child: ChildProcess;
  url: string;
}

/** Starts src/backend/main.ts in its own process and resolves with its URL once it listens. */
function startBackendProcess(env: Record<string, string>): Promise<RunningBackend> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/backend/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      CDEVENTS_PROXY_SECRET: testProxySecret,
      CDEVENTS_INGEST_TOKENS: testIngestToken,
      CDEVENTS_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        resolvePromise({ child, url: match[1]! });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`the backend exited with ${code} before listening:\n${output}`)));
  });
}

function killHard(backend: RunningBackend): Promise<void> {
  return new Promise((resolvePromise) => {
    backend.child.once('exit', () => resolvePromise());
    backend.child.kill('SIGKILL');
  });
}

function cdevent(index: number) {
  return {
    context: {
      specversion: '0.5.1',
      id: `durable-${index}`,
      source: '/ci/durability',
      type: 'dev.cdevents.service.deployed.0.3.0',
      timestamp: new Date(Date.UTC(2025, 0, 1, 0, 0, index)).toISOString(),
    },
    subject: { id: 'argocd/durable', content: { environment: { id: 'prod' }, artifactId: 'pkg:oci/app@sha256:abc' } },
  };
}

describe.each(storeKinds)('durability on %s', (kind) => {
  let dataDir: string | undefined;
  let database: TestDatabase | undefined;
  let running: RunningBackend | undefined;

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
