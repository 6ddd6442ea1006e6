import type { DoraMissing, DoraTrends, DoraWeek } from '../../../backend/api/contract';
import { formatDuration } from '../dashboard/buildDashboardView';

/** One week of a chart: its value, or null with the sentence saying what data it lacks. */
export interface TrendPoint {
  /** The week's first day, YYYY-MM-DD. */
  week: string;
  value: number | null;
  missing?: string;
}

/** One small chart: the DORA figure week by week, oldest first. */
export interface TrendSeries {
  id: 'deployments' | 'lead-time' | 'change-failure-rate' | 'time-to-restore';
  title: string;
  points: TrendPoint[];
  /** How a value reads: "3", "2 h 5 min", "25 %". */
  format: (value: number) => string;
  /** True when lower is better (lead time, failures, restore): the chart's colour says so. */
  lowerIsBetter: boolean;
}

function isMissing(value: number | DoraMissing): value is DoraMissing {
  return typeof value === 'object';
}

function toPoints(weeks: readonly DoraWeek[], pick: (week: DoraWeek) => number | DoraMissing): TrendPoint[] {
  return weeks.map((week) => {
    const value = pick(week);
    const day = week.from.slice(0, 10);
    return isMissing(value) ? { week: day, value: null, missing: value.missing } : { week: day, value };
  });
}

const formatSeconds = (seconds: number) => formatDuration(Math.round(seconds));
const formatRate = (rate: number) => `${Math.round(rate * 100)} %`;

/** The four charts of the strip and the dashboard, from the backend's weekly figures. */
export function buildTrendSeries(trends: DoraTrends): TrendSeries[] {
  return [
    {
      id: 'deployments',
      title: 'Deployments per week',
      points: toPoints(trends.weeks, (week) => week.deployments),
      format: (value) => String(value),
      lowerIsBetter: false,
    },
    {
      id: 'lead-time',
      title: 'Lead time (median)',
      points: toPoints(trends.weeks, (week) => week.leadTimeSeconds),
      format: formatSeconds,
      lowerIsBetter: true,
    },
    {
      id: 'change-failure-rate',
      title: 'Change failure rate',
      points: toPoints(trends.weeks, (week) => week.changeFailureRate),
      format: formatRate,
      lowerIsBetter: true,
    },
    {
      id: 'time-to-restore',
      title: 'Time to restore (median)',
      points: toPoints(trends.weeks, (week) => week.timeToRestoreSeconds),
      format: formatSeconds,
      lowerIsBetter: true,
    },
  ];
}

/** The newest week with a value, for the chart's caption; null when no week has one. */
export function latestPoint(series: TrendSeries): TrendPoint | null {
  for (let index = series.points.length - 1; index >= 0; index--) {
    if (series.points[index]!.value !== null) return series.points[index]!;
  }
  return null;
}
