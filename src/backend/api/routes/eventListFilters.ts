/**
 * The filters an app's event list takes (direction, subject, predicate, from,
 * to, q, actor): one query schema and one reader, shared by the list and its export so
 * that an export holds exactly what the same filters show in the tab.
 */
import type { Direction } from '../contract';
import { BadRequestError } from '../../errors';
import { parseEventTime } from '../../store/parseEventTime';
import type { EventListQuery } from '../../store/types';

const stringList = { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 500 } } as const;

export const eventFilterProperties = {
  direction: { type: 'string', enum: ['emitted', 'received', 'all'], default: 'all' },
  subject: stringList,
  predicate: stringList,
  from: { type: 'string', maxLength: 64 },
  to: { type: 'string', maxLength: 64 },
  q: { type: 'string', maxLength: 200 },
  actor: { type: 'string', maxLength: 200 },
} as const;

export interface EventFilterQuery {
  direction: Direction | 'all';
  subject?: string[];
  predicate?: string[];
  from?: string;
  to?: string;
  q?: string;
  actor?: string;
}

/** `?subject=a,b&subject=c` → [a, b, c]; subjects and predicates are stored lower-case. */
function splitList(values: string[] | undefined): string[] | undefined {
  const items = (values ?? []).flatMap((value) => value.split(',')).map((item) => item.trim().toLowerCase());
  const nonEmpty = items.filter((item) => item.length > 0);
  return nonEmpty.length > 0 ? [...new Set(nonEmpty)] : undefined;
}

function readTime(value: string | undefined, parameter: string): string | undefined {
  if (value === undefined) return undefined;
  const time = parseEventTime(value);
  if (time === null) {
    throw new BadRequestError(
      `${parameter} must be an RFC 3339 date-time such as 2025-01-31T12:00:00Z, got "${value}"`,
    );
  }
  return time;
}

/** The store's filter fields for a query; throws BadRequestError naming a bad time. */
export function readEventFilters(
  query: EventFilterQuery,
): Pick<EventListQuery, 'direction' | 'subjects' | 'predicates' | 'from' | 'to' | 'text' | 'actor'> {
  return {
    direction: query.direction === 'all' ? undefined : query.direction,
    subjects: splitList(query.subject),
    predicates: splitList(query.predicate),
    from: readTime(query.from, 'from'),
    to: readTime(query.to, 'to'),
    text: query.q?.trim() || undefined,
    actor: query.actor?.trim() || undefined,
  };
}
