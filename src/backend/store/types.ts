/**
 * The store's contract. Identity is (context.source, context.id) from the body;
 * the same identity is stored once, and a replay with a different payload is a
 * conflict, never an overwrite. A call that resolves has committed: an event
 * acknowledged after insertEvents() resolves is durable.
 */
import type { Attribution, Direction } from '../api/contract';
import type { EmbeddedLink, Problem, VerdictStatus } from '../../cdevents/types';

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
  /** The parsed payload; stored as jsonb. */
  payload: unknown;
  /** The apps this event is attributed to, with the reasons. */
  attributions: Array<{ app: AppRef; attribution: Attribution }>;
}

export type InsertOutcome =
  | { status: 'stored'; key: string }
  | { status: 'duplicate'; key: string; verdict: VerdictStatus; problems: Problem[] }
  | { status: 'conflict'; key: string; message: string };
