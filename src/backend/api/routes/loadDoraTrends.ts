/**
 * The week-by-week DORA figures of one app for the charts of the summary strip and the dashboard:
 * the store's reads (store/summaryQueries.ts) over the last TREND_WEEKS weeks, measured by
 * src/backend/dora. Shared by the summary and dashboard routes so both charts show the same numbers.
 *
 * The summary route needs the same three histories (service events, publications, incidents) for
 * its window and for the trends' 13 weeks; it reads them once over the wider range
 * (loadDoraHistory) and hands each consumer its part (narrowDoraHistory), so a request reads an
 * app's rows once rather than twice.
 */
import type { DoraTrends } from '../contract';
import { buildDoraTrends, type DoraPublication, type DoraServiceEvent } from '../../dora';
import {
  fetchArtifactPublications,
  fetchFirstServiceTime,
  fetchIncidentHistory,
  fetchServiceEvents,
  PUBLICATION_LOOKBACK_MS,
  type SummaryIncident,
} from '../../store/summaryQueries';
import type { SqlQueryable } from '../../store/sqlExecutor';
import type { AppRef } from '../../store/types';

/** 13 weeks: the last 90 days, in whole weeks ending now. */
export const TREND_WEEKS = 13;
const WEEK = 7 * 86_400_000;

/** An app's rows for the DORA figures of a range ending `to`. */
export interface DoraHistory {
  /** Service events in the range, oldest first. */
  services: DoraServiceEvent[];
  /** Publications from PUBLICATION_LOOKBACK_MS before the range up to its end, newest first. */
  publications: DoraPublication[];
  /** Incidents up to the range's end, whatever their age, oldest first. */
  incidents: SummaryIncident[];
}

/** When the trends' first week starts, ms since the epoch. */
export function trendsStart(now: Date): number {
  return now.getTime() - TREND_WEEKS * WEEK;
}

export async function loadDoraHistory(
  sql: SqlQueryable,
  app: AppRef,
  range: { from: string; to: string; environment: string | null },
): Promise<DoraHistory> {
  const [services, publications, incidents] = await Promise.all([
    fetchServiceEvents(sql, app, range),
    fetchArtifactPublications(sql, app, range),
    fetchIncidentHistory(sql, app, range),
  ]);
  return { services, publications, incidents };
}

/**
 * The part of a history a range starting at `from` (ms) reads, for a history loaded from `from` or
 * earlier with the same end and environment: what loadDoraHistory would return for that range.
 */
export function narrowDoraHistory(history: DoraHistory, from: number): DoraHistory {
  const publicationsFrom = from - PUBLICATION_LOOKBACK_MS;
  return {
    services: history.services.filter((event) => event.time >= from),
    publications: history.publications.filter((publication) => publication.time >= publicationsFrom),
    incidents: history.incidents,
  };
}

/** The trends from a history that covers at least the trends' weeks (trendsStart to `now`). */
export function buildTrendsFromHistory(history: DoraHistory, now: Date, firstServiceTime: number | null): DoraTrends {
  const { services, publications, incidents } = narrowDoraHistory(history, trendsStart(now));
  return buildDoraTrends({
    to: now.getTime(),
    weeks: TREND_WEEKS,
    services,
    publications,
    incidents,
    firstServiceTime,
  });
}

export async function loadDoraTrends(
  sql: SqlQueryable,
  app: AppRef,
  now: Date,
  environment: string | null,
): Promise<DoraTrends> {
  const range = { from: new Date(trendsStart(now)).toISOString(), to: now.toISOString(), environment };
  const [history, firstServiceTime] = await Promise.all([
    loadDoraHistory(sql, app, range),
    fetchFirstServiceTime(sql, app, environment),
  ]);
  return buildTrendsFromHistory(history, now, firstServiceTime);
}
