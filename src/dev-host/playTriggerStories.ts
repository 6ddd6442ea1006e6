/**
 * Use cases 4 and 5 played on the local stand-in, for their pictures in
 * docs/use-cases.md: the real backend (PGlite) with the demo history and
 * triggers acting on in-process Argo CD API stand-ins over the sample apps.
 * Returns the pages to take: auth-staging's chain after its upgrade fired the
 * test apps (testing on deploy), and portal's tab with the change that created
 * its preview (preview environments). No product logic: it only calls the
 * backend's and Argo CD's APIs as users and tools would.
 */
import { randomBytes } from 'crypto';
import type { AddressInfo } from 'net';
import { join } from 'path';
import { createEvent } from '../cdevents';
import type { EventListResponse } from '../backend/api/contract';
import type { FiringListResponse } from '../backend/api/triggerContract';
import { createApp } from '../backend/app';
import { CAUSE_EVENT_INFO } from '../backend/argocd/mapApplicationState';
import { loadConfig } from '../backend/config';
import { createAppProfileSource } from '../backend/store/appProfileQueries';
import { createStore } from '../backend/store/createStore';
import { buildDemoHistory } from './data/buildDemoHistory';
import { buildSampleApplications } from './data/sampleApplications';
import { type ClusterObject, createClusterState, startArgocdApiStandIn } from './startClusterApiStandIns';
import { startDevHost } from './startDevHost';
import { toDemoRequest } from './startLocalStack';
import { startPreviewApiStandIn } from './startPreviewApiStandIn';

export interface TriggerStories {
  /** Page paths (relative to devHostUrl) to photograph, by picture name. */
  pages: Record<'testing-on-deploy' | 'preview-environments', string>;
  devHostUrl: string;
  close(): Promise<void>;
}

async function waitFor<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function playTriggerStories(input: {
  workDir: string;
  extensionsDir: string;
  assetsDir: string;
}): Promise<TriggerStories> {
  const now = new Date();
  const applications = buildSampleApplications(now);
  const state = createClusterState({ applications: applications as unknown as ClusterObject[] });
  const token = randomBytes(12).toString('hex');
  let notificationsUrl = '';
  const notify = async (app: ClusterObject) => {
    await fetch(notificationsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app, context: {} }),
    });
  };
  const shared = await startArgocdApiStandIn({ state, token, onApplicationChanged: notify });
  const argocd = await startPreviewApiStandIn({ state, shared, token, onDeleted: notify });
  const proxySecret = randomBytes(24).toString('base64url');
  const config = loadConfig({
    CDEVENTS_LOG_LEVEL: 'warn',
    CDEVENTS_DATA_DIR: join(input.workDir, 'stories'),
    CDEVENTS_PROXY_SECRET: proxySecret,
    CDEVENTS_INGEST_AUTH: 'off',
    CDEVENTS_ARGOCD_URL: argocd.url,
    CDEVENTS_ARGOCD_TOKEN: token,
    CDEVENTS_TRIGGER_EDITORS: 'user:alice@example.com',
  });
  const store = await createStore(config);
  const app = await createApp({ config, store, listAppProfiles: createAppProfileSource(store.sql, { ttlMs: 0 }).list });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const backendUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  notificationsUrl = `${backendUrl}/api/v1/argocd/notifications`;
  const devHost = await startDevHost({
    extensionsDir: input.extensionsDir,
    assetsDir: input.assetsDir,
    backendUrl,
    proxySecret,
    applications,
    port: 0,
  });
  const close = async () => {
    await devHost.close();
    await app.close();
    await store.close();
    await argocd.close();
    await shared.close();
  };
  try {
    const post = async (path: string, body: unknown, appName?: string) => {
      const response = await fetch(`${backendUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(appName
            ? {
                'x-cdevents-proxy-secret': proxySecret,
                'argocd-application-name': `argocd:${appName}`,
                'argocd-username': 'alice@example.com',
              }
            : {}),
        },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    };
    const read = async <T>(path: string, appName: string): Promise<T> => {
      const response = await fetch(`${backendUrl}${path}`, {
        headers: { 'x-cdevents-proxy-secret': proxySecret, 'argocd-application-name': `argocd:${appName}` },
      });
      return (await response.json()) as T;
    };
    const tab = (name: string) => read<EventListResponse>(`/api/v1/applications/argocd/${name}/events?limit=200`, name);
    for (const request of buildDemoHistory({ now, instance: 'default' }).map((item) =>
      toDemoRequest(item, 'default'),
    )) {
      await post(request.path, request.body);
    }

    // Use case 4: test portal, admin and store when auth is deployed in staging.
    const testApps = ['portal', 'admin', 'store'];
    for (const name of testApps) {
      await post(
        `/api/v1/applications/argocd/${name}/triggers`,
        {
          kind: 'inbound',
          name: 'test when auth is deployed in staging',
          match: {
            types: ['dev.cdevents.service.deployed', 'dev.cdevents.service.upgraded'],
            subjectId: 'argocd/auth-staging',
          },
          action: 'sync',
          cooldownSeconds: 0,
        },
        name,
      );
    }
    // Argo CD syncs auth-staging to a new revision (as its automated sync policy would).
    const synced = await fetch(`${shared.url}/api/v1/applications/auth-staging/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ appNamespace: 'argocd', revision: 'c0ffee'.repeat(6) + 'c0ff' }),
    });
    if (!synced.ok) throw new Error(`the stand-in refused the sync of auth-staging: ${synced.status}`);
    const upgrade = await waitFor(
      async () =>
        (await tab('auth-staging')).items.find(
          (e) =>
            e.direction === 'emitted' &&
            e.predicate === 'upgraded' &&
            Date.parse(e.timestamp ?? '') > now.getTime() - 60_000,
        ),
      "auth-staging's upgrade",
    );
    for (const name of testApps) {
      await waitFor(async () => {
        const firings = await read<FiringListResponse>(`/api/v1/applications/argocd/${name}/triggers/firings`, name);
        return firings.items.find((f) => f.status === 'succeeded');
      }, `${name}'s sync`);
      const operation = (
        state.applications.get(`argocd/${name}`)?.status as {
          operationState?: { operation?: { info?: Array<{ name: string; value: string }> } };
        }
      )?.operationState?.operation;
      const cause = operation?.info?.find((item) => item.name === CAUSE_EVENT_INFO)?.value;
      await post(
        '/api/v1/events',
        createEvent({
          type: 'testsuiterun.finished',
          source: 'https://testkube.example.com',
          id: `${name}-e2e-after-auth-staging-${now.getTime()}`,
          subject: {
            id: `${name}-e2e-${now.getTime()}`,
            content: {
              environment: { id: 'https://staging.k8s.example.com/auth' },
              testSuite: { id: `${name}-e2e` },
              outcome: 'success',
            },
          },
          ...(cause ? { links: [{ linkType: 'RELATION', linkKind: 'TRIGGER', target: { contextId: cause } }] } : {}),
        }),
      );
    }

    // Use case 5: a preview Application per pull request of portal.
    await post(
      '/api/v1/applications/argocd/portal/triggers',
      {
        kind: 'inbound',
        name: 'a preview per pull request',
        match: { types: ['dev.cdevents.change'] },
        action: 'preview',
        cooldownSeconds: 0,
        preview: {
          template: {
            metadata: { name: 'portal-{{change}}' },
            spec: {
              project: 'web',
              source: { repoURL: 'https://github.com/example-org/portal', path: 'k8s', targetRevision: '{{revision}}' },
              destination: { server: 'https://staging.k8s.example.com', namespace: 'preview-{{change}}' },
            },
          },
        },
      },
      'portal',
    );
    await post(
      '/api/v1/events',
      createEvent({
        type: 'change.created',
        source: 'https://github.com/example-org/portal',
        id: `portal-pr-42-opened-${now.getTime()}`,
        subject: {
          id: 'example-org/portal/pull/42',
          content: { repository: { id: 'https://github.com/example-org/portal' } },
        },
        customData: { git: { revision: 'a1b2c3d4'.repeat(5) } },
      }),
    );
    await waitFor(async () => {
      const firings = await read<FiringListResponse>('/api/v1/applications/argocd/portal/triggers/firings', 'portal');
      return firings.items.find((f) => f.action.includes('preview') && f.status === 'succeeded');
    }, "portal's preview");
    const opened = await waitFor(
      async () =>
        (await tab('portal')).items.find(
          (e) => e.subject === 'change' && e.attributions.some((a) => a.rule === 'trigger'),
        ),
      'the change in portal’s tab',
    );
    return {
      pages: {
        'testing-on-deploy': `/applications/argocd/auth-staging?view=CDEvents&cde_event=${upgrade.key}&cde_chain=1`,
        'preview-environments': `/applications/argocd/portal?view=CDEvents&cde_event=${opened.key}`,
      },
      devHostUrl: devHost.url,
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
