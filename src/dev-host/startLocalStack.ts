/**
 * Everything `npm start`, the end-to-end tests and the screenshot script need,
 * started in one process: the real backend (createApp over the configured store),
 * the demo history loaded through its public routes when the store is empty, the
 * extension unpacked from the built tarball, the host assets, and the stand-in.
 * close() stops them in reverse order and removes the temporary files.
 */
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../backend/app';
import { loadConfig } from '../backend/config';
import { createAppProfileSource } from '../backend/store/appProfileQueries';
import { startRetention } from '../backend/store/startRetention';
import { createStore } from '../backend/store/createStore';
import type { EventStore } from '../backend/store/types';
import { loadDemoHistory, type DemoLoadResult, type DemoRequest } from '../backend/demo/loadDemoHistory';
import { buildHostAssets } from './buildHostAssets';
import { buildDemoHistory, type DemoItem } from './data/buildDemoHistory';
import { ARGOCD_NAMESPACE, buildSampleApplications } from './data/sampleApplications';
import { startLocalClusterStandIns } from './startClusterApiStandIns';
import { startDevHost, type DevHost } from './startDevHost';
import { unpackExtension } from './unpackExtension';

export interface LocalStackOptions {
  /** The extension archive (dist/extension.tar.gz). */
  tarPath: string;
  /** PGlite's data directory (ignored when env has DATABASE_URL). */
  dataDir: string;
  /** 0 picks a free port. */
  backendPort: number;
  devHostPort: number;
  /** Extra backend settings (DATABASE_URL, CDEVENTS_LOG_LEVEL, …); the demo's own settings win. */
  env?: Record<string, string | undefined>;
  /** Load the demo history into an empty store (default true). */
  demo?: boolean;
  /** The clock the sample apps and the demo history are relative to. */
  now?: Date;
  /** Serve the stand-in under a path, as `argocd-server --rootpath` does (e.g. "/argocd"). */
  rootPath?: string;
}

export interface LocalStack {
  devHostUrl: string;
  backendUrl: string;
  demo: DemoLoadResult;
  close(): Promise<void>;
}

/** How a demo item reaches the backend: the route a real tool would post it to. */
export function toDemoRequest(item: DemoItem, instance: string): DemoRequest {
  return item.route === 'events'
    ? { path: '/api/v1/events', body: item.event }
    : {
        // The body and query of the notifications template `npm run argocd-config` prints.
        path: `/api/v1/argocd/notifications?instance=${encodeURIComponent(instance)}`,
        body: {
          app: item.application,
          context: { argocdUrl: 'https://argocd.example.com', notificationType: 'cdevents' },
        },
      };
}

/** Starts backend and stand-in. On failure, whatever started is stopped before the error is rethrown. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const now = options.now ?? new Date();
  const workDir = mkdtempSync(join(tmpdir(), 'cdevents-dev-host-'));
  const cleanups: Array<() => Promise<void>> = [async () => rmSync(workDir, { recursive: true, force: true })];
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const extensionsDir = join(workDir, 'extensions');
    const assets = buildHostAssets(join(workDir, 'assets'));
    // Awaited below; this keeps a failure from being unhandled while the backend starts.
    assets.catch(() => undefined);
    await unpackExtension(options.tarPath, extensionsDir);

    // A fresh secret per start: only this stand-in's proxy can reach the tab's routes.
    const proxySecret = randomBytes(24).toString('base64url');
    // Triggers act on Argo CD: in-process Kubernetes and Argo CD API stand-ins over the sample apps.
    const cluster = await startLocalClusterStandIns({
      applications: buildSampleApplications(now),
      namespace: ARGOCD_NAMESPACE,
      editors: 'user:alice@example.com',
    });
    cleanups.push(() => cluster.close());
    const config = loadConfig({
      CDEVENTS_LOG_LEVEL: 'warn',
      ...cluster.env,
      ...options.env,
      PORT: String(options.backendPort),
      HOST: '127.0.0.1',
      CDEVENTS_DATA_DIR: options.dataDir,
      CDEVENTS_PROXY_SECRET: proxySecret,
      CDEVENTS_PROXY_AUTH: 'on',
      // The local demo: tools (and the demo loader) post without a token.
      CDEVENTS_INGEST_AUTH: 'off',
    });
    const store: EventStore = await createStore(config);
    cleanups.push(() => store.close());
    const app: FastifyInstance = await createApp({
      config,
      store,
      // The demo replays days of history in about a second: a cached app list (2 s by default)
      // would miss the app a notification registered a moment before the next event.
      listAppProfiles: createAppProfileSource(store.sql, { ttlMs: 0 }).list,
    });
    cleanups.push(() => app.close());
    // As the backend's main does: events past CDEVENTS_RETENTION_DAYS leave, at start and every sweep.
    const retention = startRetention({
      sql: store.sql,
      retentionDays: config.retentionDays,
      sweepMinutes: config.retentionSweepMinutes,
      maxEventsPerApp: config.retentionMaxEventsPerApp,
      logger: app.log,
    });
    cleanups.push(() => retention.stop());
    await app.listen({ port: config.port, host: config.host });
    const backendUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    cluster.setNotificationsUrl(
      `${backendUrl}/api/v1/argocd/notifications?instance=${encodeURIComponent(config.defaultInstance)}`,
    );

    const demo =
      options.demo === false
        ? { loaded: false, sent: 0 }
        : await loadDemoHistory({
            baseUrl: backendUrl,
            sql: store.sql,
            requests: buildDemoHistory({ now, instance: config.defaultInstance }).map((item) =>
              toDemoRequest(item, config.defaultInstance),
            ),
          });

    const devHost: DevHost = await startDevHost({
      extensionsDir,
      assetsDir: await assets,
      backendUrl,
      proxySecret,
      applications: buildSampleApplications(now),
      port: options.devHostPort,
      rootPath: options.rootPath,
    });
    cleanups.push(() => devHost.close());
    return { devHostUrl: devHost.url, backendUrl, demo, close: closeAll };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}
