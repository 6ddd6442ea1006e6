/**
 * The one seam between the store and a database: PGlite (embedded, on disk) and
 * PostgreSQL (a pg Pool) both implement it, so every query is written once, in
 * PostgreSQL's dialect. Values cross as parameters, never spliced into SQL.
 *
 * Row values differ between the drivers (pg returns int8 as string, PGlite as
 * number), so queries cast int8 to text where callers need exact values.
 */
import type { StoreKind } from './types';

export interface QueryOptions {
  /**
   * Names a hot statement whose text never changes (ingest's insert, a chain hop, the summary's and
   * dashboard's reads): PostgreSQL then parses it once per connection and can reuse its plan, which
   * over many week partitions costs more than running the read. One name, one text. PGlite ignores it.
   */
  name?: string;
}

export interface SqlQueryable {
  /** Same shape as pg's and PGlite's own query(), so code written for either fits. */
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<{ rows: Row[] }>;
  /** Runs a script of several statements without parameters (migrations). */
  execScript(sql: string): Promise<void>;
}

/** A connection pool's state (pg's Pool counts), for /metrics. */
export interface PoolStats {
  /** Connections open, idle or in use. */
  total: number;
  idle: number;
  /** Queries waiting for a connection: the pool is too small for the load. */
  waiting: number;
}

export interface SqlExecutor extends SqlQueryable {
  readonly kind: StoreKind;
  /** The pool's connections; PostgreSQL only (PGlite is one in-process connection). */
  poolStats?(): PoolStats;
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /**
   * Runs `work` on one connection, outside a transaction: for what must hold a session-level lock while
   * running statements that cannot be in a transaction (retention's DETACH … CONCURRENTLY). PGlite has
   * one connection.
   */
  session<T>(work: (connection: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
