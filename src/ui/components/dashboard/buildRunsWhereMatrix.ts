import type { AppDashboardResponse } from '../../../backend/api/contract';
import type { AppKey } from '../../api/types';
import { describeArtifact } from './buildDashboardView';
import { inferStage } from './inferStage';

/** What runs in one environment of one app. */
export interface MatrixCell {
  key: string;
  environment: string;
  /** "auth 1.14.0". */
  artifact: string;
  artifactId: string | null;
  predicate: string;
  /** Since when this artifact runs there (runningSince, else the last event's time), ISO 8601. */
  since: string;
  /**
   * The same artifact in the nearest earlier column (this app's first, else another app's, as when
   * each environment is an app of its own): whether it runs another version there. Null in the first
   * column, or when no earlier column runs that artifact.
   */
  previous: { column: string; artifact: string; differs: boolean } | null;
}

export interface MatrixColumn {
  key: string;
  /** "staging", or the environment id without its scheme when no word in it names a stage. */
  label: string;
  /** The environment ids in the column. */
  environments: string[];
}

export interface MatrixRow {
  app: AppKey;
  /** By column key; a column may hold more than one environment of an app (two production clusters). */
  cells: Record<string, MatrixCell[]>;
}

export interface RunsWhereMatrix {
  columns: MatrixColumn[];
  rows: MatrixRow[];
}

/** `pkg:oci/auth@sha256…?tag=1` → `oci/auth`: what is compared across environments, whatever its version. */
function artifactName(purl: string | null): string | null {
  const match = purl ? /^pkg:([^/]+\/(?:[^@?#]*\/)?[^@?#/]+)/.exec(purl) : null;
  return match ? match[1]!.toLowerCase() : null;
}

function shortEnvironment(environment: string): string {
  return environment.replace(/^[a-z]+:\/\//, '');
}

/**
 * Apps × environments, as Kargo and Codefresh show stages: each cell the running version, since when,
 * and whether it differs from the previous column. Columns are ordered dev → test → staging →
 * production by the words in the environment ids; columns no word names follow, in promotion order
 * read from the data (the column that got an artifact first comes first), then by name (ADR 0013).
 */
export function buildRunsWhereMatrix(
  parts: ReadonlyArray<{ app: AppKey; data: AppDashboardResponse }>,
): RunsWhereMatrix {
  const columns = new Map<string, MatrixColumn & { rank: number }>();
  const rows: MatrixRow[] = [];
  for (const { app, data } of parts) {
    if (data.running.length === 0) continue;
    const row: MatrixRow = { app, cells: {} };
    for (const deployment of data.running) {
      const environment = deployment.environment ?? 'unknown environment';
      const stage = inferStage(environment);
      const key = stage?.key ?? `environment:${environment}`;
      const column = columns.get(key) ?? {
        key,
        label: stage?.label ?? shortEnvironment(environment),
        environments: [],
        rank: stage?.rank ?? Number.POSITIVE_INFINITY,
      };
      if (!column.environments.includes(environment)) column.environments.push(environment);
      columns.set(key, column);
      (row.cells[key] ??= []).push({
        key: deployment.key,
        environment,
        artifact: describeArtifact(deployment.artifactId),
        artifactId: deployment.artifactId,
        predicate: deployment.predicate,
        since: deployment.runningSince ?? deployment.timestamp,
        previous: null,
      });
    }
    rows.push(row);
  }

  // Promotion order for columns no word names: for each artifact version two columns both run, the
  // one that has run it longer got it first.
  const firstSeen = (column: string) => {
    const seen = new Map<string, string>();
    for (const row of rows)
      for (const cell of row.cells[column] ?? [])
        if (cell.artifactId && (!seen.has(cell.artifactId) || cell.since < seen.get(cell.artifactId)!))
          seen.set(cell.artifactId, cell.since);
    return seen;
  };
  const unnamed = [...columns.values()].filter((column) => !Number.isFinite(column.rank));
  const seenBy = new Map(unnamed.map((column) => [column.key, firstSeen(column.key)]));
  const earlierVotes = (a: string, b: string) => {
    let votes = 0;
    for (const [artifact, since] of seenBy.get(a)!) {
      const other = seenBy.get(b)!.get(artifact);
      if (other !== undefined) votes += since < other ? 1 : since > other ? -1 : 0;
    }
    return votes;
  };
  const wins = new Map(
    unnamed.map((column) => [
      column.key,
      unnamed.reduce((sum, other) => sum + (other === column ? 0 : Math.sign(earlierVotes(column.key, other.key))), 0),
    ]),
  );
  const ordered = [...columns.values()].sort(
    (a, b) =>
      a.rank - b.rank ||
      (Number.isFinite(a.rank) ? 0 : wins.get(b.key)! - wins.get(a.key)!) ||
      a.label.localeCompare(b.label),
  );

  // Each cell against the same artifact in the nearest earlier column: this app's first, else any app's.
  ordered.forEach((column, index) => {
    for (const row of rows) {
      for (const cell of row.cells[column.key] ?? []) {
        const name = artifactName(cell.artifactId);
        if (name === null) continue;
        for (let earlier = index - 1; earlier >= 0 && cell.previous === null; earlier--) {
          const before = ordered[earlier]!;
          const candidates = [row, ...rows.filter((other) => other !== row)].flatMap(
            (other) => other.cells[before.key] ?? [],
          );
          const match = candidates.find((candidate) => artifactName(candidate.artifactId) === name);
          if (match) {
            cell.previous = {
              column: before.label,
              artifact: match.artifact,
              differs: match.artifact !== cell.artifact,
            };
          }
        }
      }
    }
  });
  rows.sort((a, b) => a.app.name.localeCompare(b.app.name));
  return { columns: ordered.map(({ key, label, environments }) => ({ key, label, environments })), rows };
}
