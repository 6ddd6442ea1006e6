/**
 * Argo CD Applications (argoproj.io/v1alpha1) as Argo CD holds them after a finished sync: what the
 * notifications webhook posts and what the Argo CD API stand-in starts from, for tests that play Argo CD.
 *
 *   buildSyncedApplication({ name: 'auth', revision, finishedAt, images: ['ghcr.io/acme/auth:1.0.0'] })
 */
import type { Application } from '../../src/backend/argocd/application';
import type { ClusterObject } from './kubernetesApiStandIn';

/** Both the backend's view of an Application and the cluster stand-ins' object, so either side takes it. */
export type SyncedApplication = Application & ClusterObject;

export interface SyncedApplicationOptions {
  name: string;
  /** Default `argocd`. */
  namespace?: string;
  /** Default `uid-<name>`. */
  uid?: string;
  /** Default `default`. */
  project?: string;
  /** Default `https://github.com/acme/<name>.git`. */
  repoURL?: string;
  /** Default `deploy`. */
  path?: string;
  /**
   * spec.source.targetRevision as written (e.g. `main`), which every history entry keeps. Without it the
   * app is pinned: the spec names the synced revision and each history entry its own, as after a rollback.
   */
  targetRevision?: string;
  /** Default: the in-cluster server, namespace `<name>`. */
  destination?: { server: string; namespace: string };
  /** The revision the sync finished at. */
  revision: string;
  finishedAt: string;
  /** status.summary.images. */
  images: string[];
  /** `[revision, deployedAt]`, oldest first; default: this sync alone. */
  history?: Array<[revision: string, deployedAt: string]>;
  /** Started by auto-sync, with Argo CD's message and initiatedBy (default); false: an operation with neither. */
  automated?: boolean;
}

/** A Synced, Healthy Application whose last operation succeeded at `finishedAt`. */
export function buildSyncedApplication(options: SyncedApplicationOptions): SyncedApplication {
  const { name, revision, finishedAt, automated = true } = options;
  const sourceAt = (revisionOfEntry: string) => ({
    repoURL: options.repoURL ?? `https://github.com/acme/${name}.git`,
    path: options.path ?? 'deploy',
    targetRevision: options.targetRevision ?? revisionOfEntry,
  });
  const history = options.history ?? [[revision, finishedAt]];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: options.namespace ?? 'argocd', uid: options.uid ?? `uid-${name}` },
    spec: {
      project: options.project ?? 'default',
      source: sourceAt(revision),
      destination: options.destination ?? { server: 'https://kubernetes.default.svc', namespace: name },
    },
    status: {
      sync: { status: 'Synced', revision },
      health: { status: 'Healthy' },
      operationState: {
        phase: 'Succeeded',
        startedAt: finishedAt,
        finishedAt,
        ...(automated ? { message: 'successfully synced (all tasks run)' } : {}),
        operation: { sync: { revision }, ...(automated ? { initiatedBy: { automated: true } } : {}) },
        syncResult: { revision, source: sourceAt(revision) },
      },
      history: history.map(([entryRevision, deployedAt], id) => ({
        id,
        revision: entryRevision,
        source: sourceAt(entryRevision),
        deployStartedAt: deployedAt,
        deployedAt,
      })),
      summary: { images: options.images },
    },
  };
}
