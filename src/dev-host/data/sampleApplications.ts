/**
 * The sample Argo CD Applications of the local stand-in, defined once: the shell
 * shows them, the proxy authorizes against them and the demo history is built
 * around the same repositories, images and destinations. Shaped like the
 * Application objects argocd-server returns (argoproj.io/v1alpha1), trimmed to
 * the fields a UI reads.
 */
import { createHash } from 'crypto';

export interface ApplicationSource {
  repoURL: string;
  path?: string;
  chart?: string;
  targetRevision: string;
  ref?: string;
  helm?: { valueFiles?: string[] };
}

export interface SyncHistoryEntry {
  id: number;
  revision?: string;
  revisions?: string[];
  deployedAt: string;
  deployStartedAt: string;
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  initiatedBy: { username?: string; automated?: boolean };
}

export interface SampleApplication {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
  };
  spec: {
    project: string;
    source?: ApplicationSource;
    sources?: ApplicationSource[];
    destination: { server: string; namespace: string };
    syncPolicy?: { automated?: { prune: boolean; selfHeal: boolean } };
  };
  status: {
    sync: { status: 'Synced' | 'OutOfSync'; revision?: string; revisions?: string[] };
    health: { status: 'Healthy' | 'Progressing' | 'Degraded'; lastTransitionTime: string };
    operationState: {
      phase: 'Succeeded' | 'Failed' | 'Running';
      message: string;
      startedAt: string;
      finishedAt: string;
      operation: {
        sync: { revision?: string; revisions?: string[] };
        initiatedBy: { username?: string; automated?: boolean };
        /** Set by whoever started the sync; the backend's inbound triggers name the CDEvent that caused it. */
        info?: Array<{ name: string; value: string }>;
      };
      syncResult: { revision?: string; revisions?: string[] };
    };
    history: SyncHistoryEntry[];
    summary: { images: string[] };
    reconciledAt: string;
  };
}

/** One deployment of an app, oldest first: the revision(s) synced and the image digest it runs. */
export interface SampleRelease {
  /** Git revision of each source, in source order. */
  revisions: string[];
  /** The image's version tag, e.g. "1.14.0". */
  version: string;
  /** The image digest, "sha256:…". */
  digest: string;
  /** Hours before "now" when the sync finished. */
  hoursAgo: number;
  initiatedBy: { username?: string; automated?: boolean };
  /** The CDEvent that made the backend start this sync (an inbound trigger), recorded in operation.info. */
  cause?: { eventId: string; chainId: string };
}

/** Everything the stand-in and the demo history need to know about one sample app. */
export interface SampleAppSpec {
  name: string;
  project: string;
  environment: 'staging' | 'production';
  /** The service the app deploys; several apps (staging and prod) may deploy one service. */
  service: string;
  /** The application's source repository (where changes merge and pipelines run). */
  repository: string;
  /** The OCI image without tag, e.g. "ghcr.io/example-org/auth". */
  image: string;
  sources: ApplicationSource[];
  destination: { server: string; namespace: string };
  releases: SampleRelease[];
  health: 'Healthy' | 'Progressing' | 'Degraded';
}

export const ARGOCD_NAMESPACE = 'argocd';

const STAGING_CLUSTER = 'https://staging.k8s.example.com';
const PROD_CLUSTER = 'https://prod-eu1.k8s.example.com';

/** A stable fake hex string derived from a label, so reruns show the same revisions and digests. */
export function buildStableHex(label: string, length = 40): string {
  let hex = '';
  for (let i = 0; hex.length < length; i++) hex += createHash('sha256').update(`${label}#${i}`).digest('hex');
  return hex.slice(0, length);
}

/** A stable UUID-shaped id derived from a label (version nibble 4, variant 8). */
export function buildStableUuid(label: string): string {
  const h = buildStableHex(`uuid:${label}`, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function release(label: string, version: string, hoursAgo: number, sourceCount = 1, automated = true): SampleRelease {
  return {
    revisions: Array.from({ length: sourceCount }, (_, i) => buildStableHex(`${label}:${version}:rev${i}`)),
    version,
    digest: `sha256:${buildStableHex(`${label}:${version}:digest`, 64)}`,
    hoursAgo,
    initiatedBy: automated ? { automated: true } : { username: 'alice@example.com' },
  };
}

/**
 * auth 1.14.0 raises the login error rate in production; the alerting tool's
 * incident.detected fires an inbound trigger that rolls auth back to 1.13.2.
 */
export const AUTH_INCIDENT = {
  detectedId: buildStableUuid('auth:incident:detected'),
  resolvedId: buildStableUuid('auth:incident:resolved'),
  chainId: buildStableUuid('chain:incident:auth'),
  /** Hours before now when the alert fired; the rollback follows 25 minutes later. */
  hoursAgo: 24 + 3,
};

/** The identity the backend's inbound triggers sync as (its service account). */
export const TRIGGER_USER = 'system:serviceaccount:argocd:cdevents-backend';

// auth staging and prod deploy the same builds of one service, so they share release labels.
const authReleases = {
  previous: (hoursAgo: number) => release('auth', '1.13.2', hoursAgo),
  current: (hoursAgo: number) => release('auth', '1.14.0', hoursAgo),
};

/**
 * The sample apps. auth runs in staging and production (auth-staging, auth); store
 * is a multi-source app (a Helm chart plus a values repository). Release times are
 * hours before now; the demo history uses the same times.
 */
export const SAMPLE_APP_SPECS: readonly SampleAppSpec[] = [
  {
    name: 'auth',
    project: 'identity',
    environment: 'production',
    service: 'auth',
    repository: 'https://github.com/example-org/auth',
    image: 'ghcr.io/example-org/auth',
    sources: [
      { repoURL: 'https://github.com/example-org/auth', path: 'deploy/overlays/production', targetRevision: 'main' },
    ],
    destination: { server: PROD_CLUSTER, namespace: 'auth' },
    // Upgraded to 1.14.0 two days ago, rolled back to 1.13.2 after an incident yesterday.
    releases: [
      authReleases.previous(24 * 6),
      authReleases.current(24 * 2),
      {
        ...authReleases.previous(AUTH_INCIDENT.hoursAgo - 25 / 60),
        initiatedBy: { username: TRIGGER_USER },
        cause: { eventId: AUTH_INCIDENT.detectedId, chainId: AUTH_INCIDENT.chainId },
      },
    ],
    health: 'Healthy',
  },
  {
    name: 'auth-staging',
    project: 'identity',
    environment: 'staging',
    service: 'auth',
    repository: 'https://github.com/example-org/auth',
    image: 'ghcr.io/example-org/auth',
    sources: [
      { repoURL: 'https://github.com/example-org/auth', path: 'deploy/overlays/staging', targetRevision: 'main' },
    ],
    destination: { server: STAGING_CLUSTER, namespace: 'auth' },
    releases: [authReleases.previous(24 * 6 + 20), authReleases.current(24 * 3 - 0.5)],
    health: 'Healthy',
  },
  {
    name: 'portal',
    project: 'web',
    environment: 'production',
    service: 'portal',
    repository: 'https://github.com/example-org/portal',
    image: 'ghcr.io/example-org/portal',
    sources: [{ repoURL: 'https://github.com/example-org/portal', path: 'k8s', targetRevision: 'main' }],
    destination: { server: PROD_CLUSTER, namespace: 'portal' },
    releases: [release('portal', '3.7.0', 24 * 4), release('portal', '3.8.0', 5)],
    health: 'Healthy',
  },
  {
    name: 'admin',
    project: 'web',
    environment: 'production',
    service: 'admin',
    repository: 'https://github.com/example-org/admin',
    image: 'ghcr.io/example-org/admin',
    sources: [{ repoURL: 'https://github.com/example-org/admin', path: 'deploy', targetRevision: 'v2.3.1' }],
    destination: { server: PROD_CLUSTER, namespace: 'admin' },
    releases: [release('admin', '2.3.1', 24 * 5, 1, false)],
    health: 'Progressing',
  },
  {
    name: 'store',
    project: 'commerce',
    environment: 'production',
    service: 'store',
    repository: 'https://github.com/example-org/store',
    image: 'ghcr.io/example-org/store',
    sources: [
      {
        repoURL: 'https://charts.example.com',
        chart: 'store',
        targetRevision: '4.2.0',
        helm: { valueFiles: ['$values/store/production.yaml'] },
      },
      { repoURL: 'https://github.com/example-org/store-config', targetRevision: 'main', ref: 'values' },
    ],
    destination: { server: PROD_CLUSTER, namespace: 'store' },
    // A Helm source's revision is the chart version; the values repository's is a commit.
    releases: [release('store', '4.1.0', 24 * 3 + 4, 2), release('store', '4.2.0', 9, 2)].map((r) => ({
      ...r,
      revisions: [r.version, r.revisions[1]],
    })),
    health: 'Healthy',
  },
];

export function isoHoursAgo(now: Date, hours: number): string {
  return new Date(now.getTime() - hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function toSyncFields(spec: SampleAppSpec, revisions: string[]): { revision?: string; revisions?: string[] } {
  return spec.sources.length > 1 ? { revisions } : { revision: revisions[0] };
}

/**
 * Builds one Application object as argocd-server would return it at `now`, or as
 * it was right after release `upTo` finished syncing (what a notification sent then carried).
 */
export function buildSampleApplication(
  spec: SampleAppSpec,
  now: Date,
  upTo = spec.releases.length - 1,
): SampleApplication {
  const releases = spec.releases.slice(0, upTo + 1);
  const latest = releases[releases.length - 1];
  const multi = spec.sources.length > 1;
  const finishedAt = isoHoursAgo(now, latest.hoursAgo);
  const startedAt = isoHoursAgo(now, latest.hoursAgo + 0.02);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: spec.name,
      namespace: ARGOCD_NAMESPACE,
      uid: buildStableUuid(`app:${spec.name}`),
      creationTimestamp: isoHoursAgo(now, 24 * 90),
      labels: { 'app.kubernetes.io/part-of': spec.service, environment: spec.environment },
    },
    spec: {
      project: spec.project,
      ...(multi ? { sources: spec.sources } : { source: spec.sources[0] }),
      destination: spec.destination,
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
    status: {
      sync: { status: 'Synced', ...toSyncFields(spec, latest.revisions) },
      health: { status: upTo === spec.releases.length - 1 ? spec.health : 'Healthy', lastTransitionTime: finishedAt },
      operationState: {
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        startedAt,
        finishedAt,
        operation: {
          sync: toSyncFields(spec, latest.revisions),
          initiatedBy: latest.initiatedBy,
          ...(latest.cause
            ? {
                info: [
                  { name: 'cdevents-event-id', value: latest.cause.eventId },
                  { name: 'cdevents-chain-id', value: latest.cause.chainId },
                ],
              }
            : {}),
        },
        syncResult: toSyncFields(spec, latest.revisions),
      },
      history: releases.map((r, i) => ({
        id: i,
        ...toSyncFields(spec, r.revisions),
        ...(multi ? { sources: spec.sources } : { source: spec.sources[0] }),
        deployedAt: isoHoursAgo(now, r.hoursAgo),
        deployStartedAt: isoHoursAgo(now, r.hoursAgo + 0.02),
        initiatedBy: r.initiatedBy,
      })),
      // Pinned by tag and digest, as a CI-driven GitOps flow writes them.
      summary: { images: [`${spec.image}:${latest.version}@${latest.digest}`] },
      reconciledAt: upTo === spec.releases.length - 1 ? isoHoursAgo(now, 0.05) : finishedAt,
    },
  };
}

/** All sample Applications at `now`. */
export function buildSampleApplications(now: Date): SampleApplication[] {
  return SAMPLE_APP_SPECS.map((spec) => buildSampleApplication(spec, now));
}

/** A minimal resource tree (ApplicationTree: nodes, orphanedNodes, hosts) for the app. */
export function buildApplicationTree(app: SampleApplication): {
  nodes: Array<Record<string, unknown>>;
  orphanedNodes: [];
  hosts: [];
} {
  const ns = app.spec.destination.namespace;
  const name = app.metadata.name.replace(/-staging$/, '');
  const rs = `${name}-${buildStableHex(`rs:${app.metadata.name}`, 10)}`;
  const parent = (group: string, kind: string, n: string) => ({ group, kind, namespace: ns, name: n });
  return {
    nodes: [
      { group: '', version: 'v1', kind: 'Service', namespace: ns, name, health: { status: 'Healthy' } },
      {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace: ns,
        name,
        health: { status: app.status.health.status },
        images: app.status.summary.images,
      },
      {
        group: 'apps',
        version: 'v1',
        kind: 'ReplicaSet',
        namespace: ns,
        name: rs,
        parentRefs: [parent('apps', 'Deployment', name)],
        health: { status: 'Healthy' },
      },
      ...[0, 1].map((i) => ({
        group: '',
        version: 'v1',
        kind: 'Pod',
        namespace: ns,
        name: `${rs}-${buildStableHex(`pod:${app.metadata.name}:${i}`, 5)}`,
        parentRefs: [parent('apps', 'ReplicaSet', rs)],
        health: { status: 'Healthy' },
        images: app.status.summary.images,
      })),
    ],
    orphanedNodes: [],
    hosts: [],
  };
}
