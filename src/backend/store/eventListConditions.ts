/**
 * The WHERE conditions of an app's event list (its filters, over `event_apps ea JOIN events e`), shared
 * by the page query and the fold counts (countFolds.ts), so a fold counts exactly the events the same
 * filters would list.
 */
import { actorSql } from './eventActor';
import type { AppRef, EventListQuery } from './types';

/** Builds a WHERE clause from parts, numbering parameters as it goes. */
export class QueryParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** The SQL that matches event_apps rows `ea` belonging to `app`, '*' standing for any instance or namespace. */
export function appCondition(params: QueryParams, app: AppRef): string {
  return `ea.app_name = ${params.add(app.name)} AND ea.app_namespace IN (${params.add(app.namespace)}, '*')
    AND ea.instance IN (${params.add(app.instance)}, '*')`;
}

/** A list position as SQL: the row value (sort_time, seq) that ea.sort_time, ea.event_seq compare with. */
export function positionSql(params: QueryParams, position: { sortMicros: string; seq: string }): string {
  return `('epoch'::timestamptz + ${params.add(position.sortMicros)}::bigint * interval '1 microsecond', ${params.add(position.seq)}::bigint)`;
}

/**
 * Whether the filters read the event's own columns (`e`), not only event_apps': without them a page is
 * read from event_apps alone, and events are joined for the page's rows only.
 */
export function filtersReadEvents(query: Omit<EventListQuery, 'limit'>): boolean {
  return Boolean(query.direction || query.subjects?.length || query.predicates?.length || query.actor || query.text);
}

/** The app and its filters (not the page bounds `before` / `after`), one condition each. */
export function filterConditions(params: QueryParams, query: Omit<EventListQuery, 'limit'>): string[] {
  const conditions = [appCondition(params, query.app)];
  if (query.direction) conditions.push(`e.direction = ${params.add(query.direction)}`);
  if (query.subjects?.length) {
    conditions.push(
      `e.subject IN (SELECT jsonb_array_elements_text(${params.add(JSON.stringify(query.subjects))}::jsonb))`,
    );
  }
  if (query.predicates?.length) {
    conditions.push(
      `e.predicate IN (SELECT jsonb_array_elements_text(${params.add(JSON.stringify(query.predicates))}::jsonb))`,
    );
  }
  if (query.from) conditions.push(`ea.sort_time >= ${params.add(query.from)}::timestamptz`);
  if (query.to) conditions.push(`ea.sort_time <= ${params.add(query.to)}::timestamptz`);
  if (query.actor) conditions.push(`(${actorSql}) = ${params.add(query.actor)}`);
  if (query.text) {
    const pattern = params.add(`%${escapeLike(query.text)}%`);
    conditions.push(
      `(e.context_id ILIKE ${pattern} OR e.subject_id ILIKE ${pattern} OR e.type ILIKE ${pattern} OR e.source ILIKE ${pattern})`,
    );
  }
  return conditions;
}
