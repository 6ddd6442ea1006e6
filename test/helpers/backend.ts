/**
 * Starts the real backend for tests: the real app on 127.0.0.1 port 0, over a
 * PGlite store in a fresh temp directory or a fresh PostgreSQL database (created
 * here, dropped on close). Other suites rely on this signature; extend it only
 * by adding optional fields.
 *
 *   const backend = await startBackend();             // PGlite
 *   const backend = await startBackend({ store: 'postgres' });
 *   await fetch(`${backend.url}/api/v1/events`, { method: 'POST', headers: ingestHeaders(), body });
 *   await backend.close();
 *
 * PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
 * names a database to connect to for CREATE DATABASE / DROP DATABASE.
 */
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { FastifyInstance } from 'fastify';
import { Client } from 'pg';
import type { EventListResponse, EventRecord, IngestItemResult, IngestResponse } from '../../src/backend/api/contract';
import { createApp, type AppDeps } from '../../src/backend/app';
import { loadConfig, type Config } from '../../src/backend/config';
import { createStore } from '../../src/backend/store/createStore';
import type { EventStore, StoreKind } from '../../src/backend/store/types';
import { TEST_DATABASE_URL } from './testServices';

export const testProxySecret = 'test-proxy-secret-0123456789';
export const testIngestToken = 'test-ingest-token-0123456789';
export const adminDatabaseUrl = TEST_DATABASE_URL;

/** Both store kinds, for `describe.each(storeKinds)`. */
export const storeKinds: StoreKind[] = ['pglite', 'postgres'];

/** A Config as the tests use it: auth on with known secrets, quiet logs. */
export function buildTestConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({
      CDEVENTS_PROXY_SECRET: testProxySecret,
      CDEVENTS_INGEST_TOKENS: testIngestToken,
      CDEVENTS_LOG_LEVEL: 'warn',
    }),
    ...overrides,
  };
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A new, empty PostgreSQL database with a unique name. */
export async function createTestDatabase(prefix = 'cdevents_test'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: adminDatabaseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface TestStore {
  store: EventStore;
  /** Where the data lives: the PGlite directory or the PostgreSQL URL. */
  location: { dataDir?: string; databaseUrl?: string };
  /** Closes the store and deletes its data. */
  close(): Promise<void>;
}

/** The store's forTest factory: migrated, empty, private to the caller. */
export async function createTestStore(kind: StoreKind = 'pglite'): Promise<TestStore> {
  if (kind === 'postgres') {
    const database = await createTestDatabase();
    try {
      const store = await createStore({ databaseUrl: database.url, dataDir: '', databasePoolSize: 5 });
      return {
        store,
        location: { databaseUrl: database.url },
        async close() {
          await store.close();
          await database.drop();
        },
      };
    } catch (error) {
      await database.drop();
      throw error;
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'cdevents-pglite-'));
  const store = await createStore({ databaseUrl: undefined, dataDir, databasePoolSize: 1 });
  return {
    store,
    location: { dataDir },
    async close() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface StartBackendOptions {
  /** Which database; default pglite. Ignored when `deps.store` is given. */
  store?: StoreKind;
  config?: Partial<Config>;
  /** Extra or replaced dependencies (an existing store, a clock, other areas' services). */
  deps?: Partial<AppDeps>;
}

export interface TestBackend {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  app: FastifyInstance;
  store: EventStore;
  config: Config;
  /** Closes the app, then the store it created (not one passed in deps), and deletes its data. */
  close(): Promise<void>;
}

export async function startBackend(options: StartBackendOptions = {}): Promise<TestBackend> {
  const config = buildTestConfig(options.config);
  const owned = options.deps?.store ? undefined : await createTestStore(options.store ?? 'pglite');
  const store = options.deps?.store ?? owned!.store;
  let app: FastifyInstance | undefined;
  try {
    app = await createApp({ ...options.deps, config, store });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const started = app;
    return {
      url: address.replace(/\/$/, ''),
      app: started,
      store,
      config,
      async close() {
        await started.close();
        await owned?.close();
      },
    };
  } catch (error) {
    await app?.close();
    await owned?.close();
    throw error;
  }
}

/** Headers Argo CD's proxy sends for an app (the shared secret and Argocd-Application-Name). */
export function proxyHeaders(app: { namespace: string; name: string; instance?: string }): Record<string, string> {
  return {
    'x-cdevents-proxy-secret': testProxySecret,
    'argocd-application-name': `${app.namespace}:${app.name}`,
    'argocd-project-name': 'default',
    ...(app.instance ? { 'x-cdevents-instance': app.instance } : {}),
  };
}

/** Headers a tool sends to POST /api/v1/events. */
export function ingestHeaders(contentType = 'application/json'): Record<string, string> {
  return { authorization: `Bearer ${testIngestToken}`, 'content-type': contentType };
}

/** POSTs one body to /api/v1/events and returns status and parsed JSON. */
export async function postEvents(
  baseUrl: string,
  body: string | Buffer | object,
  headers: Record<string, string> = ingestHeaders(),
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${baseUrl}/api/v1/events`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** An app as its tab names it; a bare name is an app in the `argocd` namespace. */
export type AppRef = string | { name: string; namespace?: string; instance?: string };

function resolveAppRef(app: AppRef): { name: string; namespace: string; instance?: string } {
  return typeof app === 'string' ? { name: app, namespace: 'argocd' } : { namespace: 'argocd', ...app };
}

/**
 * Posts an Application as Argo CD's notifications webhook does (`?instance=` names the Argo CD instance)
 * and expects 200; returns what the backend emitted for it.
 */
export async function notifyArgocd(
  backend: Pick<TestBackend, 'url'>,
  app: object,
  options: { instance?: string } = {},
): Promise<IngestItemResult[]> {
  const query = options.instance ? `?instance=${options.instance}` : '';
  const response = await fetch(`${backend.url}/api/v1/argocd/notifications${query}`, {
    method: 'POST',
    headers: ingestHeaders(),
    body: JSON.stringify({ app, context: {} }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as IngestResponse).results;
}

/** Reads an app's tab as Argo CD's proxy asks for it (default: the newest 100 events) and expects 200. */
export async function listAppEvents(
  backend: Pick<TestBackend, 'url'>,
  app: AppRef,
  query = 'limit=100',
): Promise<EventRecord[]> {
  const { name, namespace, instance } = resolveAppRef(app);
  const response = await fetch(`${backend.url}/api/v1/applications/${namespace}/${name}/events?${query}`, {
    headers: proxyHeaders({ namespace, name, ...(instance ? { instance } : {}) }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as EventListResponse).items;
}
