/**
 * A deploy another tool reports: a valid service.deployed, upgraded,
 * rolledback or removed from any source but this backend's own, whose subject
 * id or content.service.id names an Argo CD app as `<namespace>/<name>`. What
 * it says the app runs (content.artifactId) and where (content.environment.id)
 * joins the app's profile (buildAppProfile.mergeReportedDeploys), so the
 * received-event rules attribute that artifact's, environment's and service's
 * events to the app as they do for Argo CD's own syncs. Pure.
 */
import type { NewEvent } from '../store/types';
import { parseAppPath } from './attribution';

export type ReportedDeployPredicate = 'deployed' | 'upgraded' | 'rolledback' | 'removed';

export interface ReportedDeploy {
  app: { namespace: string; name: string };
  /** context.source of the reporting tool: the mark the profile keeps. */
  source: string;
  contextId: string;
  predicate: ReportedDeployPredicate;
  artifactId?: string;
  environmentId?: string;
  /** context.timestamp, ISO 8601. */
  time: string;
}

const predicates: readonly string[] = ['deployed', 'upgraded', 'rolledback', 'removed'];

function readText(root: unknown, path: readonly string[]): string | undefined {
  let node: unknown = root;
  for (const step of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[step];
  }
  return typeof node === 'string' && node.trim() !== '' ? node.trim() : undefined;
}

/** The deploy an event reports, or undefined when it is not a valid service event of another tool naming an app. */
export function readReportedDeploy(event: NewEvent): ReportedDeploy | undefined {
  if (event.direction !== 'received' || event.verdict !== 'valid' || event.subject !== 'service') return undefined;
  if (!event.predicate || !predicates.includes(event.predicate) || !event.timestamp) return undefined;
  const content = ['subject', 'content'];
  const app = parseAppPath(event.subjectId) ?? parseAppPath(readText(event.payload, [...content, 'service', 'id']));
  if (!app) return undefined;
  const artifactId = readText(event.payload, [...content, 'artifactId']);
  const environmentId = readText(event.payload, [...content, 'environment', 'id']);
  return {
    app,
    source: event.source,
    contextId: event.id,
    predicate: event.predicate as ReportedDeployPredicate,
    ...(artifactId ? { artifactId } : {}),
    ...(environmentId ? { environmentId } : {}),
    time: event.timestamp,
  };
}
