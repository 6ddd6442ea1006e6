import type { AppDashboardResponse, LeadTimeStage } from '../../../backend/api/contract';
import type { AppKey } from '../../api/types';

export interface RecentRow {
  kind: 'deployment' | 'incident';
  app: AppKey;
  key: string;
  predicate: string;
  environment: string | null;
  /** The artifact for deployments, the description for incidents. */
  detail: string;
  timestamp: string;
}

export interface StepStats {
  from: LeadTimeStage;
  to: LeadTimeStage;
  count: number;
  medianSeconds: number;
  maxSeconds: number;
}

export interface EndToEndRow {
  app: AppKey;
  key: string;
  environment: string | null;
  deployedAt: string;
  totalSeconds: number;
  /** The step that took longest in this deployment's path. */
  slowest: { from: LeadTimeStage; to: LeadTimeStage; seconds: number } | null;
}

export interface DashboardView {
  recent: RecentRow[];
  /** Per step of the path change → deploy, slowest (by median) first. */
  steps: StepStats[];
  endToEnd: EndToEndRow[];
  medianEndToEndSeconds: number | null;
}

/** "auth 1.4.0" from `pkg:oci/auth@sha256%3A…?tag=1.4.0`; a short digest when there is no tag; the text otherwise. */
export function describeArtifact(purl: string | null): string {
  if (!purl) return 'unknown artifact';
  const match = /^pkg:[^/]+\/(?:[^@?]*\/)?([^@?/]+)(?:@([^?#]+))?(?:\?([^#]*))?/.exec(purl);
  if (!match) return purl;
  const name = decodeURIComponent(match[1]!);
  const tag = new URLSearchParams(match[3] ?? '').get('tag');
  if (tag) return `${name} ${tag}`;
  const version = match[2] ? decodeURIComponent(match[2]) : '';
  return version.startsWith('sha256:') ? `${name} ${version.slice(0, 19)}` : `${name} ${version}`.trim();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

const byTimeDesc = (a: { timestamp: string }, b: { timestamp: string }) => b.timestamp.localeCompare(a.timestamp);

/** The dashboard's answers from each visible app's part: recent events, the bottleneck, end-to-end times (what runs where: buildRunsWhereMatrix). */
export function buildDashboardView(parts: ReadonlyArray<{ app: AppKey; data: AppDashboardResponse }>): DashboardView {
  const recent: RecentRow[] = [];
  const stepSeconds = new Map<string, { from: LeadTimeStage; to: LeadTimeStage; values: number[] }>();
  const endToEnd: EndToEndRow[] = [];
  for (const { app, data } of parts) {
    for (const deployment of data.deployments) {
      recent.push({ kind: 'deployment', app, detail: describeArtifact(deployment.artifactId), ...deployment });
    }
    for (const incident of data.incidents) {
      recent.push({ kind: 'incident', app, detail: incident.description ?? '', ...incident });
    }
    const deployedAt = new Map(data.deployments.map((d) => [d.key, d.timestamp]));
    for (const leadTime of data.leadTimes) {
      for (const step of leadTime.steps) {
        const id = `${step.from}>${step.to}`;
        const entry = stepSeconds.get(id) ?? { from: step.from, to: step.to, values: [] };
        entry.values.push(step.seconds);
        stepSeconds.set(id, entry);
      }
      if (leadTime.totalSeconds === null) continue;
      const slowest = leadTime.steps.reduce<EndToEndRow['slowest']>(
        (worst, step) => (worst === null || step.seconds > worst.seconds ? step : worst),
        null,
      );
      endToEnd.push({
        app,
        key: leadTime.deploymentKey,
        environment: leadTime.environment,
        deployedAt: deployedAt.get(leadTime.deploymentKey) ?? leadTime.stages.deploy ?? '',
        totalSeconds: leadTime.totalSeconds,
        slowest,
      });
    }
  }
  recent.sort(byTimeDesc);
  endToEnd.sort((a, b) => b.deployedAt.localeCompare(a.deployedAt));
  const steps = [...stepSeconds.values()]
    .map(({ from, to, values }) => ({
      from,
      to,
      count: values.length,
      medianSeconds: median(values),
      maxSeconds: Math.max(...values),
    }))
    .sort((a, b) => b.medianSeconds - a.medianSeconds || b.maxSeconds - a.maxSeconds);
  return {
    recent,
    steps,
    endToEnd,
    medianEndToEndSeconds: endToEnd.length > 0 ? median(endToEnd.map((row) => row.totalSeconds)) : null,
  };
}

/** "2 h 5 min", "12 min", "40 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}
