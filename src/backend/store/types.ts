/**
 * The store's contract. Identity is (context.source, context.id) from the body;
 * the same identity is stored once, and a replay with a different payload is a
 * conflict, never an overwrite. A call that resolves has committed: an event
 * acknowledged after insertEvents() resolves is durable.
 */
import type { Attribution, Direction, EventRecord } from '../api/contract';
import type { SqlExecutor } from './sqlExecutor';
import type { EmbeddedLink, Problem, VerdictStatus } from '../../cdevents/types';
import type { EventFacts } from '../chains/extractEventFacts';

export type StoreKind = 'pglite' | 'postgres';

/**
 * An Argo CD Application: the Argo CD instance it lives in, its own namespace
 * (metadata.namespace, not the destination) and its name. Two instances may
 * each have an app argocd/auth; they never mix.
 */
export interface AppRef {
  instance: string;
  namespace: string;
  name: string;
}

/** What ingest hands the store for one event. */
export interface NewEvent {
  source: string;
  id: string;
  type: string | null;
  subject: string | null;
  predicate: string | null;
  typeVersion: string | null;
  specVersion: string | null;
  timestamp: string | null;
  subjectId: string | null;
  chainId: string | null;
  links: EmbeddedLink[];
  verdict: VerdictStatus;
  problems: Problem[];
  direction: Direction;
  reconstructed?: boolean;
  /** The Argo CD instance an emitted event came from, when known. */
  instance?: string | null;
  /** The parsed payload; stored as jsonb. */
  payload: unknown;
  /** The apps this event is attributed to, with the reasons. */
  attributions: Array<{ app: AppRef; attribution: Attribution }>;
  /** The payload's domain ids (chains/extractEventFacts), when the caller read them; the store reads them when absent. */
  facts?: EventFacts;
}

export type InsertOutcome =
  | { status: 'stored'; key: string }
  | { status: 'duplicate'; key: string; verdict: VerdictStatus; problems: Problem[] }
  | { status: 'conflict'; key: string; message: string };

/** One app's page of events, newest first. */
export interface EventListQuery {
  app: AppRef;
  /** 1..1000. */
  limit: number;
  /** Only events older than this position (the previous page's nextCursor). */
  before?: ListPosition;
  /** Only events newer than this position (live polling). */
  after?: ListPosition;
  /** Undefined: both directions. */
  direction?: Direction;
  subjects?: string[];
  predicates?: string[];
  /** ISO 8601, inclusive, on the event's time (its timestamp, else when it was received). */
  from?: string;
  to?: string;
  /** Case-insensitive substring of context id, subject id, type or source. */
  text?: string;
  /** Only events whose actor (store/eventActor.ts) is exactly this: a username or `auto-sync`. */
  actor?: string;
}

/** A place in the list order (sort time desc, seq desc); opaque to clients as a cursor. */
export interface ListPosition {
  /** Microseconds since the epoch, as a decimal string (exact, unlike a Date). */
  sortMicros: string;
  seq: string;
}

export interface EventPage {
  items: EventRecord[];
  /** Position of the last item when more may follow, else null. */
  next: ListPosition | null;
  /** Position of the first item (for `since` polling), null when empty. */
  head: ListPosition | null;
  /** Position of the last item, null when empty. */
  last: ListPosition | null;
}

export interface InsertOptions {
  /** The receipt time recorded for the events; now when absent. */
  receivedAt?: Date;
  /**
   * The payloads as the JSON text they arrived in: an array whose elements are the events'
   * payloads, in order. Stored as sent instead of serialising each payload again; when the
   * database refuses the text (a number beyond its range, say), the parsed payloads are stored.
   */
  payloadsJson?: string;
}

/**
 * The operations callers need. Other areas (outbox, triggers, applications) build
 * their own stores over `sql`, the same executor, with their own migrations.
 */
export interface EventStore {
  readonly kind: StoreKind;
  readonly sql: SqlExecutor;
  /** Stores each event once per identity, in one transaction; resolves after commit, one outcome per event in order. */
  insertEvents(events: NewEvent[], options?: InsertOptions): Promise<InsertOutcome[]>;
  /** Adds reasons to show an already-stored event in apps' tabs; existing reasons are kept. */
  addAttributions(key: string, attributions: Array<{ app: AppRef; attribution: Attribution }>): Promise<void>;
  listAppEvents(query: EventListQuery): Promise<EventPage>;
  /** One event with its attributions: all of them, or those for `app` only. Undefined when the key is unknown. */
  getEvent(key: string, options?: { app?: AppRef }): Promise<EventRecord | undefined>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
