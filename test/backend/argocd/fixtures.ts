/**
 * The real Argo CD payloads the argocd tests run on, found by the test-data
 * resolver (test/data), and small helpers that derive
 * later states from them.
 */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { testDataPath } from '../../data/resolveTestData';
import type { Application } from '../../../src/backend/argocd';

export const capturedDir = testDataPath(
  'cdevents-corpus/cdviz-transformers-community/argocd_notifications/inputs/captured',
);
export const renderedAppsDir = testDataPath('argo-cdviz/rendered/apps');

export interface CapturedNotification {
  file: string;
  /** When cdviz's collector captured it. */
  timestamp: string;
  body: { app: Application; context?: Record<string, unknown> } & Record<string, unknown>;
}

export function readCapturedNotifications(): CapturedNotification[] {
  return readdirSync(capturedDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const body = JSON.parse(readFileSync(join(capturedDir, file), 'utf8'));
      return { file, timestamp: body.timestamp, body };
    });
}

export function readRenderedApps(): Array<{ file: string; app: Application }> {
  return readdirSync(renderedAppsDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, app: JSON.parse(readFileSync(join(renderedAppsDir, file), 'utf8')) as Application }));
}

export function readRenderedApp(name: string): Application {
  return JSON.parse(readFileSync(join(renderedAppsDir, `${name}.json`), 'utf8')) as Application;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends Array<unknown> ? T[K] : DeepPartial<T[K]> | null };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: unknown, patch: unknown): unknown {
  if (patch === null) return undefined;
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : structuredClone(patch);
  const out: Record<string, unknown> = { ...structuredClone(base) };
  for (const [key, value] of Object.entries(patch)) {
    const merged = merge(out[key], value);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  return out;
}

/** A copy of the app with the patch deep-merged in (arrays replaced; null deletes a key). */
export function patchApp(app: Application, patch: DeepPartial<Application>): Application {
  return merge(app, patch) as Application;
}
