/**
 * Application states for the sequence tests, derived from a real captured app
 * (rendered app "a": single-source, git, Kustomize) so every field a real
 * payload has is there; only the sync, health, history and deletion change.
 */
import type { Application } from '../../../src/backend/argocd';
import { patchApp, readRenderedApp } from './fixtures';

export const REV = {
  A: 'a'.repeat(40),
  B: 'b'.repeat(40),
  C: 'c'.repeat(40),
  D: 'd'.repeat(40),
} as const;

export const BASE_APP = readRenderedApp('a_single_source_succeeded_healthy');

export interface StateSpec {
  /** The current operation; omitted for an app never synced. */
  op?: {
    phase: 'Running' | 'Succeeded' | 'Failed' | 'Error';
    revision: string;
    startedAt: string;
    message?: string;
    username?: string;
    info?: Array<{ name: string; value: string }>;
  };
  health?: { status: string; since?: string; message?: string };
  sync?: 'Synced' | 'OutOfSync' | 'Unknown';
  /** Successful syncs Argo CD recorded, oldest first: [revision, deployStartedAt]. */
  history?: Array<[string, string]>;
  /** The id of the first history entry (Argo CD numbers them from 0 and keeps the last 10). */
  firstHistoryId?: number;
  deletedAt?: string;
  images?: string[];
}

function plusSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** A copy of the base app in the given state. */
export function buildState(spec: StateSpec): Application {
  const source = BASE_APP.spec!.source!;
  const op = spec.op;
  const firstId = spec.firstHistoryId ?? 0;
  const app = patchApp(BASE_APP, {
    metadata: { deletionTimestamp: spec.deletedAt ?? null },
    status: {
      sync: { status: spec.sync ?? 'Synced', revision: op?.revision ?? null },
      health: {
        status: spec.health?.status ?? 'Healthy',
        lastTransitionTime: spec.health?.since ?? '2025-10-01T00:00:00Z',
        message: spec.health?.message ?? null,
      },
      history: (spec.history ?? []).map(([revision, startedAt], index) => ({
        id: firstId + index,
        revision,
        source,
        deployStartedAt: startedAt,
        deployedAt: plusSeconds(startedAt, 4),
        initiatedBy: { automated: true },
      })),
      operationState: op
        ? {
            phase: op.phase,
            startedAt: op.startedAt,
            finishedAt: op.phase === 'Running' ? null : plusSeconds(op.startedAt, 4),
            message: op.message ?? (op.phase === 'Succeeded' ? 'successfully synced (all tasks run)' : null),
            operation: {
              sync: { revision: op.revision },
              initiatedBy: op.username ? { username: op.username } : { automated: true },
              ...(op.info ? { info: op.info } : {}),
            },
            syncResult: op.phase === 'Running' ? null : { revision: op.revision, source },
          }
        : null,
      summary: spec.images ? { images: spec.images } : null,
    },
  });
  if (!op && app.status) delete app.status.operationState;
  return app;
}
