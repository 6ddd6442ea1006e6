/**
 * The week-by-week DORA figures of one app for the charts of the summary strip and the dashboard:
 * the store's reads (store/summaryQueries.ts) over the last TREND_WEEKS weeks, measured by
 * src/backend/dora. Shared by the summary and dashboard routes so both charts show the same numbers.
 */
import type { DoraTrends } from '../contract';
import { buildDoraTrends } from '../../dora';
import {
  fetchArtifactPublications,
  fetchFirstServiceTime,
  fetchIncidentHistory,
  fetchServiceEvents,
} from '../../store/summaryQueries';
import type { SqlQueryable } from '../../store/sqlExecutor';
import type { AppRef } from '../../store/types';

/** 13 weeks: the last 90 days, in whole weeks ending now. */
export const TREND_WEEKS = 13;
const WEEK = 7 * 86_400_000;

export async function loadDoraTrends(
  sql: SqlQueryable,
  app: AppRef,
  now: Date,
  environment: string | null,
): Promise<DoraTrends> {
  const to = now.toISOString();
  const from = new Date(now.getTime() - TREND_WEEKS * WEEK).toISOString();
  const range = { from, to, environment };
  const [services, publications, incidents, firstServiceTime] = await Promise.all([
    fetchServiceEvents(sql, app, range),
    fetchArtifactPublications(sql, app, range),
    fetchIncidentHistory(sql, app, range),
    fetchFirstServiceTime(sql, app, environment),
  ]);
  return buildDoraTrends({
    to: now.getTime(),
    weeks: TREND_WEEKS,
    services,
    publications,
    incidents,
    firstServiceTime,
  });
}
