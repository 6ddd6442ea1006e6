import type { Direction } from '../../backend/api/contract';
import type { EventListQuery } from '../api/types';

/** The tab's two views: the app's events (timeline, filters, chain) or its trigger rules. */
export type TabSection = 'events' | 'triggers';

/** What the user chose to look at. Lives in the URL query so a copied link reproduces it. */
export interface ViewState {
  section: TabSection;
  direction: Direction | 'all';
  subjects: string[];
  predicates: string[];
  /** ISO 8601 */
  from?: string;
  /** ISO 8601 */
  to?: string;
  q: string;
  /** Who started the sync: a username or `auto-sync` (exact); unset shows everyone's. */
  actor?: string;
  /** The key of the event open in the drawer. */
  event?: string;
  /** True when the causal chain of the open event is shown. */
  chain?: boolean;
}

/**
 * Our query keys. Prefixed so that Argo CD's own (tab, view, node, resource, …) are never
 * touched: the URL is shared with the host page.
 */
export const VIEW_KEYS = {
  section: 'cde_section',
  direction: 'cde_dir',
  subjects: 'cde_subject',
  predicates: 'cde_predicate',
  from: 'cde_from',
  to: 'cde_to',
  q: 'cde_q',
  actor: 'cde_actor',
  event: 'cde_event',
  chain: 'cde_chain',
} as const;

export const DEFAULT_VIEW: ViewState = { section: 'events', direction: 'all', subjects: [], predicates: [], q: '' };

function readList(params: URLSearchParams, key: string): string[] {
  const text = params.get(key);
  if (!text) return [];
  return [...new Set(text.split(',').map((part) => part.trim().toLowerCase()))].filter((part) =>
    /^[a-z0-9-]+$/.test(part),
  );
}

function readTime(params: URLSearchParams, key: string): string | undefined {
  const text = params.get(key);
  return text && !Number.isNaN(Date.parse(text)) ? text : undefined;
}

/** Reads our keys from a query string; anything malformed falls back to the default. */
export function parseViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const direction = params.get(VIEW_KEYS.direction);
  return {
    section: params.get(VIEW_KEYS.section) === 'triggers' ? 'triggers' : 'events',
    direction: direction === 'emitted' || direction === 'received' ? direction : 'all',
    subjects: readList(params, VIEW_KEYS.subjects),
    predicates: readList(params, VIEW_KEYS.predicates),
    from: readTime(params, VIEW_KEYS.from),
    to: readTime(params, VIEW_KEYS.to),
    q: params.get(VIEW_KEYS.q) ?? '',
    actor: params.get(VIEW_KEYS.actor)?.trim() || undefined,
    event: params.get(VIEW_KEYS.event) || undefined,
    chain: params.get(VIEW_KEYS.chain) === '1' || undefined,
  };
}

/** Writes our keys into a query string, leaving every other parameter as it was. Defaults are left out. */
export function writeViewState(search: string, state: ViewState): string {
  const params = new URLSearchParams(search);
  const set = (key: string, value: string | undefined) => {
    if (value) params.set(key, value);
    else params.delete(key);
  };
  set(VIEW_KEYS.section, state.section === 'events' ? undefined : state.section);
  set(VIEW_KEYS.direction, state.direction === 'all' ? undefined : state.direction);
  set(VIEW_KEYS.subjects, state.subjects.join(','));
  set(VIEW_KEYS.predicates, state.predicates.join(','));
  set(VIEW_KEYS.from, state.from);
  set(VIEW_KEYS.to, state.to);
  set(VIEW_KEYS.q, state.q.trim());
  set(VIEW_KEYS.actor, state.actor?.trim());
  set(VIEW_KEYS.event, state.event);
  set(VIEW_KEYS.chain, state.event && state.chain ? '1' : undefined);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The list query for the backend: the filters, without the UI-only parts (the open event). */
export function toEventListQuery(state: ViewState): EventListQuery {
  return {
    direction: state.direction === 'all' ? undefined : state.direction,
    subject: state.subjects.length > 0 ? state.subjects : undefined,
    predicate: state.predicates.length > 0 ? state.predicates : undefined,
    from: state.from,
    to: state.to,
    q: state.q.trim() || undefined,
    actor: state.actor?.trim() || undefined,
  };
}

/** True when the time range ends before it starts: nothing can match, and the user should be told why. */
export function isTimeRangeInverted(state: Pick<ViewState, 'from' | 'to'>): boolean {
  return Boolean(state.from && state.to && Date.parse(state.from) > Date.parse(state.to));
}

/** True when any filter narrows the list (so an empty list is "nothing matches", not "nothing yet"). */
export function hasFilters(state: ViewState): boolean {
  return (
    state.direction !== 'all' ||
    state.subjects.length > 0 ||
    state.predicates.length > 0 ||
    Boolean(state.from) ||
    Boolean(state.to) ||
    state.q.trim() !== '' ||
    Boolean(state.actor?.trim())
  );
}
