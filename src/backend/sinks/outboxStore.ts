/**
 * The outbox's SQL, written once for PGlite and PostgreSQL.
 *
 * Claims: a worker takes due rows with `FOR UPDATE SKIP LOCKED` and stamps them
 * with a lease (`claimed_until`) and a `claim_token`. Other workers skip rows
 * under a live lease, so several replicas on one database send each row once;
 * a crashed worker's rows become due again when its lease runs out. Every write
 * that finishes a claim matches the token, so a worker whose lease was retaken
 * cannot overwrite the new owner's outcome (it only adds its attempt to the log).
 */
import { randomUUID } from 'crypto';
import type { CDEvent } from '../../cdevents/types';
import type { SqlQueryable } from '../store/sqlExecutor';
import type { NextStep } from './decideNextStep';
import type { DeliveryStatus, SendResult, SinkKind, SinkSettings } from './types';

/** The part of a SQL executor the outbox needs (a transaction's handle fits too). */
export type OutboxQueryable = Pick<SqlQueryable, 'query'>;

export interface ClaimedDelivery {
  eventSeq: number;
  sink: string;
  /** Attempts including the one this claim is for. */
  attempt: number;
  claimToken: string;
  event: CDEvent;
}

export interface AttemptRecord {
  step: NextStep;
  result: SendResult;
  at: Date;
  durationMs: number;
}

export interface DeliveryLogEntry {
  attempt: number;
  at: Date;
  outcome: 'delivered' | 'retry' | 'dead';
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface DeliveryRow {
  sink: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  nextAttemptAt: Date | null;
  enqueuedAt: Date;
  log: DeliveryLogEntry[];
}

export interface SinkCounts {
  name: string;
  kind: SinkKind;
  specVersion: string;
  filter: string[] | null;
  maxAttempts: number;
  enabled: boolean;
  pending: number;
  delivered: number;
  dead: number;
  oldestPendingAt: Date | null;
}

export interface OutboxStore {
  /** Mirrors the configured sinks into the database; sinks no longer configured are disabled. */
  registerSinks(sinks: readonly SinkSettings[]): Promise<void>;
  /** Claims up to `limit` due rows of the named sinks under one lease. */
  claimDue(options: {
    sinks: readonly string[];
    now: Date;
    leaseMs: number;
    limit: number;
  }): Promise<ClaimedDelivery[]>;
  /** Finishes a claimed row and logs the attempt. False when the lease had been lost. */
  recordAttempt(claim: ClaimedDelivery, record: AttemptRecord): Promise<boolean>;
  /** Gives back claimed rows that were never sent (shutdown), uncounting their attempt. */
  releaseClaim(claimToken: string): Promise<number>;
  /** When the earliest pending row of these sinks falls due (null: nothing pending; past: due now). */
  nextDueAt(sinks: readonly string[]): Promise<Date | null>;
  listDeliveries(eventSeq: number): Promise<DeliveryRow[]>;
  countBySink(): Promise<SinkCounts[]>;
}

/**
 * Enqueues a stored event for every enabled sink that takes it, in the caller's
 * transaction. Idempotent. The insert trigger of migration 003 already does
 * this for every emitted event, so callers need it only to re-offer an event.
 */
export async function enqueueForSinks(tx: OutboxQueryable, eventSeq: number): Promise<number> {
  const { rows } = await tx.query<{ n: number }>('SELECT outbox_enqueue($1::bigint) AS n', [eventSeq]);
  return Number(rows[0]?.n ?? 0);
}

const toDate = (value: unknown): Date | null => (value == null ? null : new Date(value as string | Date));

export function createOutboxStore(db: OutboxQueryable): OutboxStore {
  return {
    async registerSinks(sinks) {
      for (const sink of sinks) {
        await db.query(
          `INSERT INTO outbox_sinks (name, kind, spec_version, type_prefixes, max_attempts, enabled, updated_at)
           VALUES ($1, $2, $3, $4::text[], $5, true, now())
           ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, spec_version = EXCLUDED.spec_version,
             type_prefixes = EXCLUDED.type_prefixes, max_attempts = EXCLUDED.max_attempts,
             enabled = true, updated_at = now()`,
          [sink.name, sink.kind, sink.specVersion, sink.filter ?? null, sink.maxAttempts],
        );
      }
      await db.query(
        `UPDATE outbox_sinks SET enabled = false, updated_at = now() WHERE enabled AND NOT (name = ANY($1::text[]))`,
        [sinks.map((sink) => sink.name)],
      );
    },

    async claimDue({ sinks, now, leaseMs, limit }) {
      if (sinks.length === 0) return [];
      const claimToken = randomUUID();
      const { rows } = await db.query<{ event_seq: string | number; sink: string; attempts: number; payload: unknown }>(
        `WITH due AS (
           SELECT event_seq, sink FROM outbox
           WHERE status = 'pending' AND sink = ANY($1::text[])
             AND (next_attempt_at IS NULL OR next_attempt_at <= $2::timestamptz)
             AND (claimed_until IS NULL OR claimed_until <= $2::timestamptz)
           ORDER BY next_attempt_at NULLS FIRST, event_seq
           LIMIT $4
           FOR UPDATE SKIP LOCKED
         )
         UPDATE outbox o SET attempts = o.attempts + 1, claimed_until = $3::timestamptz, claim_token = $5
         FROM due
         WHERE o.event_seq = due.event_seq AND o.sink = due.sink
         RETURNING o.event_seq, o.sink, o.attempts, (SELECT e.payload FROM events e WHERE e.seq = o.event_seq) AS payload`,
        [sinks, now, new Date(now.getTime() + leaseMs), limit, claimToken],
      );
      return rows
        .map((row) => ({
          eventSeq: Number(row.event_seq),
          sink: row.sink,
          attempt: Number(row.attempts),
          claimToken,
          event: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as CDEvent,
        }))
        .sort((a, b) => a.eventSeq - b.eventSeq);
    },

    async recordAttempt(claim, { step, result, at, durationMs }) {
      const statusCode = result.statusCode ?? null;
      const attemptError = result.ok ? null : result.error;
      const rowError = step.status === 'dead' ? step.reason : attemptError;
      const outcome = step.status === 'pending' ? 'retry' : step.status;
      const { rows } = await db.query<{ updated: number }>(
        `WITH done AS (
           UPDATE outbox SET status = $4, next_attempt_at = $5::timestamptz, claimed_until = NULL, claim_token = NULL,
             last_status_code = $6::integer, last_error = COALESCE($7::text, last_error), delivered_at = $8::timestamptz
           WHERE event_seq = $1 AND sink = $2 AND claim_token = $3 AND status = 'pending'
           RETURNING 1
         ), logged AS (
           INSERT INTO delivery_attempts (event_seq, sink, attempt, at, outcome, status_code, error, duration_ms)
           VALUES ($1, $2, $9, $10::timestamptz, $11, $6::integer, $12::text, $13)
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM done)::integer AS updated, (SELECT count(*) FROM logged)::integer AS logged`,
        [
          claim.eventSeq,
          claim.sink,
          claim.claimToken,
          step.status,
          step.status === 'pending' ? step.nextAttemptAt : null,
          statusCode,
          rowError,
          step.status === 'delivered' ? at : null,
          claim.attempt,
          at,
          outcome,
          attemptError,
          Math.max(0, Math.round(durationMs)),
        ],
      );
      return Number(rows[0]?.updated ?? 0) === 1;
    },

    async releaseClaim(claimToken) {
      const { rows } = await db.query<{ n: number }>(
        `WITH released AS (
           UPDATE outbox SET claimed_until = NULL, claim_token = NULL, attempts = attempts - 1
           WHERE claim_token = $1 AND status = 'pending'
           RETURNING 1
         ) SELECT count(*)::integer AS n FROM released`,
        [claimToken],
      );
      return Number(rows[0]?.n ?? 0);
    },

    async nextDueAt(sinks) {
      if (sinks.length === 0) return null;
      // A row under lease is due when the lease ends (its worker may have died).
      const { rows } = await db.query<{ due: Date | string | null; pending: number }>(
        `SELECT min(CASE WHEN claimed_until IS NULL THEN coalesce(next_attempt_at, '-infinity')
                         ELSE greatest(claimed_until, coalesce(next_attempt_at, '-infinity')) END) AS due,
                count(*)::integer AS pending
         FROM outbox WHERE status = 'pending' AND sink = ANY($1::text[])`,
        [sinks],
      );
      const row = rows[0];
      if (!row || Number(row.pending) === 0) return null;
      const due = toDate(row.due);
      return due && Number.isFinite(due.getTime()) ? due : new Date(0);
    },

    async listDeliveries(eventSeq) {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT sink, status, attempts, last_status_code, last_error, delivered_at, next_attempt_at, enqueued_at
         FROM outbox WHERE event_seq = $1 ORDER BY sink`,
        [eventSeq],
      );
      const { rows: attempts } = await db.query<Record<string, unknown>>(
        `SELECT sink, attempt, at, outcome, status_code, error, duration_ms
         FROM delivery_attempts WHERE event_seq = $1 ORDER BY id`,
        [eventSeq],
      );
      return rows.map((row) => ({
        sink: row.sink as string,
        status: row.status as DeliveryStatus,
        attempts: Number(row.attempts),
        lastStatusCode: row.last_status_code == null ? null : Number(row.last_status_code),
        lastError: (row.last_error as string | null) ?? null,
        deliveredAt: toDate(row.delivered_at),
        nextAttemptAt: row.status === 'pending' ? toDate(row.next_attempt_at) : null,
        enqueuedAt: toDate(row.enqueued_at) as Date,
        log: attempts
          .filter((entry) => entry.sink === row.sink)
          .map((entry) => ({
            attempt: Number(entry.attempt),
            at: toDate(entry.at) as Date,
            outcome: entry.outcome as DeliveryLogEntry['outcome'],
            statusCode: entry.status_code == null ? null : Number(entry.status_code),
            error: (entry.error as string | null) ?? null,
            durationMs: Number(entry.duration_ms),
          })),
      }));
    },

    async countBySink() {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT s.name, s.kind, s.spec_version, s.type_prefixes, s.max_attempts, s.enabled,
           count(o.sink) FILTER (WHERE o.status = 'pending')::integer AS pending,
           count(o.sink) FILTER (WHERE o.status = 'delivered')::integer AS delivered,
           count(o.sink) FILTER (WHERE o.status = 'dead')::integer AS dead,
           min(o.enqueued_at) FILTER (WHERE o.status = 'pending') AS oldest_pending_at
         FROM outbox_sinks s LEFT JOIN outbox o ON o.sink = s.name
         GROUP BY s.name ORDER BY s.name`,
      );
      return rows.map((row) => ({
        name: row.name as string,
        kind: row.kind as SinkKind,
        specVersion: row.spec_version as string,
        filter: (row.type_prefixes as string[] | null) ?? null,
        maxAttempts: Number(row.max_attempts),
        enabled: row.enabled as boolean,
        pending: Number(row.pending),
        delivered: Number(row.delivered),
        dead: Number(row.dead),
        oldestPendingAt: toDate(row.oldest_pending_at),
      }));
    },
  };
}
