/**
 * The stack a scenario shows in the browser: the real backend on PostgreSQL
 * with the demo history, and one Argo CD stand-in per instance in front of it
 * (hub-and-spoke: several instances, one backend), each with its own proxy
 * header X-Cdevents-Instance and the demo user's role.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildHostAssets } from '../../src/dev-host/buildHostAssets';
import { buildDemoHistory } from '../../src/dev-host/data/buildDemoHistory';
import { buildSampleApplications } from '../../src/dev-host/data/sampleApplications';
import { toDemoRequest } from '../../src/dev-host/startLocalStack';
import { startDevHost, type DevHost } from '../../src/dev-host/startDevHost';
import { unpackExtension } from '../../src/dev-host/unpackExtension';
import { ingestHeaders, startBackend, testProxySecret, type TestBackend } from '../helpers/backend';
import { ensureBuilt } from '../helpers/build';

export interface StandInStack {
  backend: TestBackend;
  /** One stand-in per instance, by instance name. */
  standIns: Record<string, DevHost>;
  close(): Promise<void>;
}

export async function startStandInStack(options: {
  instances: string[];
  /** The projects whose apps the demo user may get (its Argo CD role). */
  userProjects?: string[];
  now?: Date;
}): Promise<StandInStack> {
  const now = options.now ?? new Date();
  const workDir = mkdtempSync(join(tmpdir(), 'cdevents-scenario-'));
  const standIns: Record<string, DevHost> = {};
  let backend: TestBackend | undefined;
  const close = async () => {
    for (const standIn of Object.values(standIns)) await standIn.close();
    await backend?.close();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const extensionsDir = join(workDir, 'extensions');
    await unpackExtension(ensureBuilt(), extensionsDir);
    const assetsDir = await buildHostAssets(join(workDir, 'assets'));
    backend = await startBackend({ store: 'postgres' });
    for (const instance of options.instances) {
      // Each instance's notification controller posts its own apps; the tools' events are shared (duplicates).
      for (const request of buildDemoHistory({ now, instance }).map((item) => toDemoRequest(item, instance))) {
        const response = await fetch(`${backend.url}${request.path}`, {
          method: 'POST',
          headers: ingestHeaders(),
          body: JSON.stringify(request.body),
        });
        if (!response.ok) throw new Error(`demo history: ${request.path} answered ${response.status}`);
      }
      standIns[instance] = await startDevHost({
        extensionsDir,
        assetsDir,
        backendUrl: backend.url,
        proxySecret: testProxySecret,
        applications: buildSampleApplications(now),
        port: 0,
        userProjects: options.userProjects,
        instance,
      });
    }
    return { backend, standIns, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
