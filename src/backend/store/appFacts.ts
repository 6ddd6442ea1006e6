/**
 * The reads of app_facts (migration 015): per app, the events the summary strip, the DORA trends
 * and the dashboard show (emitted service events, artifact publications, incidents, failed runs),
 * one narrow row per event and app, written by a trigger whenever an attribution is stored. Each
 * read is one range of its primary key (app, fact, time), so it costs what the app's own history
 * holds, whatever the store's size.
 */
import type { AppRef } from './types';

export type AppFact = 'service' | 'publication' | 'incident' | 'failed_run';

/**
 * The app's facts of one kind (alias f). An app matches its own rows and those given for any instance
 * or namespace ('*'), as in the app's tab; an event shown for both is two rows here, so readers take
 * DISTINCT ON (f.sort_time, f.event_seq). Parameters $1..$4 (appFactParams).
 */
export const appFacts = `
  FROM app_facts f
  WHERE f.app_name = $1 AND f.app_namespace IN ($2, '*') AND f.instance IN ($3, '*') AND f.fact = $4`;

export function appFactParams(app: AppRef, fact: AppFact): unknown[] {
  return [app.name, app.namespace, app.instance, fact];
}
