/**
 * The triggers tables (migration 004): rules, their audit trail, the inbox of
 * received events still to evaluate, firings and the causes they leave for the
 * app's next sync event.
 *
 * Guarantees:
 * - Every write of a rule and its audit row commit together; an edit names the
 *   version it started from and loses (undefined) against a newer one.
 * - A name is used by one rule per app (firings and the audit name rules by it):
 *   writes of one app's rules take a transaction-scoped advisory lock on the app
 *   before looking for the name, so two replicas cannot both create it.
 * - A firing is claimed by inserting (trigger_id, event_seq), unique: however
 *   many replicas evaluate an event, one insert wins. The cooldown is read under
 *   a lock on the rule's row in the same transaction, so two replicas cannot
 *   both fire within it.
 * - A pending firing is taken by one worker (FOR UPDATE SKIP LOCKED, then
 *   status running) before its action runs; a firing left running by a crash is
 *   never run again: at most once beats a second sync.
 *
 * Decisions (matching, cooldown) are the callers'; these functions only read
 * and write rows, with any SqlQueryable (a transaction's handle fits).
 */
import type { ApplyStatus, AuditRecord, FiringRecord, FiringStatus } from '../api/triggerContract';
import type { TriggerRule } from '../triggers/triggerDefinition';
import type { StoredTrigger } from '../triggers/triggerDefinition';
import { encodeEventKey } from './eventKey';
import type { SqlQueryable } from './sqlExecutor';
import type { AppRef } from './types';

interface TriggerRow {
  id: string;
  instance: string;
  app_namespace: string;
  app_name: string;
  kind: string;
  name: string;
  enabled: boolean;
  spec: Record<string, unknown>;
  version: number;
  created_at: string | Date;
  created_by: string;
  updated_at: string | Date;
  updated_by: string;
  applied: ApplyStatus | null;
}

const triggerColumns = `id, instance, app_namespace, app_name, kind, name, enabled, spec, version, created_at, created_by,
  updated_at, updated_by, applied`;

function toIso(value: string | Date): string {
  return new Date(value).toISOString();
}

function toStoredTrigger(row: TriggerRow): StoredTrigger {
  const rule = { ...row.spec, kind: row.kind, name: row.name, enabled: row.enabled } as TriggerRule;
  return {
    id: row.id,
    app: { instance: row.instance, namespace: row.app_namespace, name: row.app_name },
    rule,
    version: Number(row.version),
    createdAt: toIso(row.created_at),
    createdBy: row.created_by,
    updatedAt: toIso(row.updated_at),
    updatedBy: row.updated_by,
    applied: row.applied,
  };
}

/** The rule without kind, name and enabled, which have columns of their own. */
function specOf(rule: TriggerRule): Record<string, unknown> {
  const { kind: _kind, name: _name, enabled: _enabled, ...spec } = rule;
  return spec;
}

export interface Actor {
  username: string;
  groups: string[];
}

export async function listTriggers(sql: SqlQueryable, app: AppRef): Promise<StoredTrigger[]> {
  const { rows } = await sql.query<TriggerRow>(
    `SELECT ${triggerColumns} FROM triggers WHERE instance = $1 AND app_namespace = $2 AND app_name = $3
     ORDER BY created_at, id`,
    [app.instance, app.namespace, app.name],
  );
  return rows.map(toStoredTrigger);
}

export async function getTrigger(sql: SqlQueryable, app: AppRef, id: string): Promise<StoredTrigger | undefined> {
  const { rows } = await sql.query<TriggerRow>(
    `SELECT ${triggerColumns} FROM triggers WHERE id = $1 AND instance = $2 AND app_namespace = $3 AND app_name = $4`,
    [id, app.instance, app.namespace, app.name],
  );
  return rows[0] ? toStoredTrigger(rows[0]) : undefined;
}

/** Whether any app of the instance has an outbound rule (so the owned ConfigMap keys are needed). */
export async function listEnabledInboundTriggers(sql: SqlQueryable): Promise<StoredTrigger[]> {
  const { rows } = await sql.query<TriggerRow>(
    `SELECT ${triggerColumns} FROM triggers WHERE kind = 'inbound' AND enabled ORDER BY id`,
  );
  return rows.map(toStoredTrigger);
}

async function insertAudit(
  tx: SqlQueryable,
  change: AuditRecord['change'],
  trigger: StoredTrigger,
  actor: Actor,
  at: Date,
  before: unknown,
  after: unknown,
): Promise<void> {
  await tx.query(
    `INSERT INTO trigger_audit (trigger_id, instance, app_namespace, app_name, change, actor, actor_groups, at, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9::jsonb, $10::jsonb)`,
    [
      trigger.id,
      trigger.app.instance,
      trigger.app.namespace,
      trigger.app.name,
      change,
      actor.username,
      actor.groups,
      at.toISOString(),
      before === null ? null : JSON.stringify(before),
      after === null ? null : JSON.stringify(after),
    ],
  );
}

export type CreateOutcome =
  { status: 'created'; created: StoredTrigger } | { status: 'name-taken'; existing: StoredTrigger };

/** A lock key per app, so writes of one app's rules queue and others' do not. */
function appLockKey(app: AppRef): string {
  return `cdevents triggers ${app.instance}/${app.namespace}/${app.name}`;
}

/**
 * Locks the app's rule names for this transaction, then finds a rule of the app
 * with this name (other than `exceptId`). Names compare exactly (parseTriggerInput trimmed them).
 */
async function findRuleNamed(
  tx: SqlQueryable,
  app: AppRef,
  name: string,
  exceptId: string | undefined,
): Promise<StoredTrigger | undefined> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [appLockKey(app)]);
  const { rows } = await tx.query<TriggerRow>(
    `SELECT ${triggerColumns} FROM triggers
     WHERE instance = $1 AND app_namespace = $2 AND app_name = $3 AND name = $4 AND ($5::text IS NULL OR id <> $5)
     LIMIT 1`,
    [app.instance, app.namespace, app.name, name, exceptId ?? null],
  );
  return rows[0] ? toStoredTrigger(rows[0]) : undefined;
}

/** How a trigger appears in its audit rows: the rule and its bookkeeping, as stored. */
export type AuditSnapshot = (trigger: StoredTrigger) => unknown;

export async function createTrigger(
  sql: { transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> },
  input: { id: string; app: AppRef; rule: TriggerRule; actor: Actor; now: Date; snapshot: AuditSnapshot },
): Promise<CreateOutcome> {
  return sql.transaction(async (tx) => {
    const taken = await findRuleNamed(tx, input.app, input.rule.name, undefined);
    if (taken) return { status: 'name-taken', existing: taken } as const;
    const { rows } = await tx.query<TriggerRow>(
      `INSERT INTO triggers (id, instance, app_namespace, app_name, kind, name, enabled, spec, created_at, created_by,
                             updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $9, $10)
       RETURNING ${triggerColumns}`,
      [
        input.id,
        input.app.instance,
        input.app.namespace,
        input.app.name,
        input.rule.kind,
        input.rule.name,
        input.rule.enabled,
        JSON.stringify(specOf(input.rule)),
        input.now.toISOString(),
        input.actor.username,
      ],
    );
    const created = toStoredTrigger(rows[0]!);
    await insertAudit(tx, 'create', created, input.actor, input.now, null, input.snapshot(created));
    return { status: 'created', created } as const;
  });
}

export type UpdateOutcome =
  | { status: 'updated'; before: StoredTrigger; after: StoredTrigger }
  | { status: 'not-found' }
  | { status: 'stale'; current: StoredTrigger }
  | { status: 'kind-changed'; current: StoredTrigger }
  | { status: 'name-taken'; existing: StoredTrigger };

export async function updateTrigger(
  sql: { transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> },
  input: {
    app: AppRef;
    id: string;
    rule: TriggerRule;
    expectedVersion?: number;
    actor: Actor;
    now: Date;
    snapshot: AuditSnapshot;
  },
): Promise<UpdateOutcome> {
  return sql.transaction(async (tx) => {
    const { rows } = await tx.query<TriggerRow>(
      `SELECT ${triggerColumns} FROM triggers WHERE id = $1 AND instance = $2 AND app_namespace = $3 AND app_name = $4
       FOR UPDATE`,
      [input.id, input.app.instance, input.app.namespace, input.app.name],
    );
    if (!rows[0]) return { status: 'not-found' } as const;
    const before = toStoredTrigger(rows[0]);
    if (input.expectedVersion !== undefined && input.expectedVersion !== before.version) {
      return { status: 'stale', current: before } as const;
    }
    if (before.rule.kind !== input.rule.kind) return { status: 'kind-changed', current: before } as const;
    const taken = await findRuleNamed(tx, input.app, input.rule.name, input.id);
    if (taken) return { status: 'name-taken', existing: taken } as const;
    const updated = await tx.query<TriggerRow>(
      `UPDATE triggers SET name = $2, enabled = $3, spec = $4::jsonb, version = version + 1, updated_at = $5,
                           updated_by = $6
       WHERE id = $1 RETURNING ${triggerColumns}`,
      [
        input.id,
        input.rule.name,
        input.rule.enabled,
        JSON.stringify(specOf(input.rule)),
        input.now.toISOString(),
        input.actor.username,
      ],
    );
    const after = toStoredTrigger(updated.rows[0]!);
    await insertAudit(tx, 'update', after, input.actor, input.now, input.snapshot(before), input.snapshot(after));
    return { status: 'updated', before, after } as const;
  });
}

export async function deleteTrigger(
  sql: { transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> },
  input: { app: AppRef; id: string; actor: Actor; now: Date; snapshot: AuditSnapshot },
): Promise<StoredTrigger | undefined> {
  return sql.transaction(async (tx) => {
    const { rows } = await tx.query<TriggerRow>(
      `DELETE FROM triggers WHERE id = $1 AND instance = $2 AND app_namespace = $3 AND app_name = $4
       RETURNING ${triggerColumns}`,
      [input.id, input.app.instance, input.app.namespace, input.app.name],
    );
    if (!rows[0]) return undefined;
    const deleted = toStoredTrigger(rows[0]);
    await insertAudit(tx, 'delete', deleted, input.actor, input.now, input.snapshot(deleted), null);
    return deleted;
  });
}

/** Records the outcome of applying an app's outbound rules on each of its outbound rules. */
export async function recordApplyStatus(sql: SqlQueryable, app: AppRef, status: ApplyStatus): Promise<void> {
  await sql.query(
    `UPDATE triggers SET applied = $4::jsonb
     WHERE kind = 'outbound' AND instance = $1 AND app_namespace = $2 AND app_name = $3`,
    [app.instance, app.namespace, app.name, JSON.stringify(status)],
  );
}

interface AuditRow {
  id: string;
  trigger_id: string;
  change: AuditRecord['change'];
  actor: string;
  actor_groups: string[];
  at: string | Date;
  before: AuditRecord['before'];
  after: AuditRecord['after'];
}

export async function listAudit(sql: SqlQueryable, app: AppRef, limit: number): Promise<AuditRecord[]> {
  const { rows } = await sql.query<AuditRow>(
    `SELECT id::text AS id, trigger_id, change, actor, actor_groups, at, before, after FROM trigger_audit
     WHERE instance = $1 AND app_namespace = $2 AND app_name = $3 ORDER BY trigger_audit.id DESC LIMIT $4`,
    [app.instance, app.namespace, app.name, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    triggerId: row.trigger_id,
    change: row.change,
    actor: row.actor,
    actorGroups: row.actor_groups ?? [],
    at: toIso(row.at),
    before: row.before,
    after: row.after,
  }));
}

interface FiringRow {
  id: string;
  trigger_id: string;
  trigger_name: string;
  action: string;
  status: FiringStatus;
  reason: string;
  detail: string | null;
  fired_at: string | Date;
  finished_at: string | Date | null;
  event_seq: string;
  event_type: string | null;
  event_source: string;
  event_id: string;
}

const firingSelect = `SELECT f.id::text AS id, f.trigger_id, t.name AS trigger_name, f.action, f.status, f.reason, f.detail,
    f.fired_at, f.finished_at, f.event_seq::text AS event_seq, e.type AS event_type, e.source AS event_source,
    e.context_id AS event_id
  FROM trigger_firings f JOIN triggers t ON t.id = f.trigger_id JOIN events e ON e.seq = f.event_seq`;

function toFiring(row: FiringRow): FiringRecord {
  return {
    id: row.id,
    triggerId: row.trigger_id,
    triggerName: row.trigger_name,
    action: row.action,
    status: row.status,
    reason: row.reason,
    detail: row.detail,
    firedAt: toIso(row.fired_at),
    finishedAt: row.finished_at ? toIso(row.finished_at) : null,
    event: { key: encodeEventKey(row.event_seq), type: row.event_type, source: row.event_source, id: row.event_id },
  };
}

export async function listFirings(sql: SqlQueryable, app: AppRef, limit: number): Promise<FiringRecord[]> {
  const { rows } = await sql.query<FiringRow>(
    `${firingSelect} WHERE t.instance = $1 AND t.app_namespace = $2 AND t.app_name = $3
     ORDER BY f.fired_at DESC, f.id DESC LIMIT $4`,
    [app.instance, app.namespace, app.name, limit],
  );
  return rows.map(toFiring);
}

/** The latest firing of each of an app's rules. */
export async function listLastFirings(sql: SqlQueryable, app: AppRef): Promise<Map<string, FiringRecord>> {
  const { rows } = await sql.query<FiringRow>(
    `${firingSelect} WHERE f.id IN (
       SELECT DISTINCT ON (f2.trigger_id) f2.id FROM trigger_firings f2 JOIN triggers t2 ON t2.id = f2.trigger_id
       WHERE t2.instance = $1 AND t2.app_namespace = $2 AND t2.app_name = $3
       ORDER BY f2.trigger_id, f2.fired_at DESC, f2.id DESC)`,
    [app.instance, app.namespace, app.name],
  );
  return new Map(rows.map((row) => [row.trigger_id, toFiring(row)]));
}

/** A received event waiting in the inbox, with what rules look at. */
export interface InboxEvent {
  seq: string;
  key: string;
  type: string | null;
  source: string;
  id: string;
  subjectId: string | null;
  chainId: string | null;
  verdict: string;
  payload: unknown;
  receivedAt: string;
  /** When it happened: context.timestamp when it parses, else receivedAt (events.sort_time). */
  eventTime: string;
}

interface EventRow {
  seq: string;
  type: string | null;
  source: string;
  context_id: string;
  subject_id: string | null;
  chain_id: string | null;
  verdict: string;
  payload: unknown;
  received_at: string | Date;
  sort_time: string | Date;
}

function toInboxEvent(row: EventRow): InboxEvent {
  return {
    seq: row.seq,
    key: encodeEventKey(row.seq),
    type: row.type,
    source: row.source,
    id: row.context_id,
    subjectId: row.subject_id,
    chainId: row.chain_id,
    verdict: row.verdict,
    payload: row.payload,
    receivedAt: toIso(row.received_at),
    eventTime: toIso(row.sort_time),
  };
}

const eventColumns = `e.seq::text AS seq, e.type, e.source, e.context_id, e.subject_id, e.chain_id, e.verdict, e.payload,
  e.received_at, e.sort_time`;

/** Locks up to `limit` inbox rows no other worker holds; call inside a transaction. */
export async function lockInboxEvents(tx: SqlQueryable, limit: number): Promise<InboxEvent[]> {
  const { rows } = await tx.query<EventRow>(
    `SELECT ${eventColumns} FROM events e WHERE e.seq IN (
       SELECT event_seq FROM trigger_inbox ORDER BY event_seq FOR UPDATE SKIP LOCKED LIMIT $1)
     ORDER BY e.seq`,
    [limit],
  );
  return rows.map(toInboxEvent);
}

/**
 * Removes up to `limit` inbox rows no other worker holds, without reading their
 * events: with no enabled inbound rule there is nothing to evaluate them against.
 * Resolves with how many it removed.
 */
export async function discardInboxEvents(tx: SqlQueryable, limit: number): Promise<number> {
  const { rows } = await tx.query<{ removed: string }>(
    `WITH removed AS (
       DELETE FROM trigger_inbox WHERE event_seq IN (
         SELECT event_seq FROM trigger_inbox ORDER BY event_seq FOR UPDATE SKIP LOCKED LIMIT $1)
       RETURNING 1)
     SELECT count(*)::text AS removed FROM removed`,
    [limit],
  );
  return Number(rows[0]?.removed ?? 0);
}

export async function removeFromInbox(tx: SqlQueryable, seqs: readonly string[]): Promise<void> {
  if (seqs.length === 0) return;
  await tx.query('DELETE FROM trigger_inbox WHERE event_seq = ANY($1::bigint[])', [seqs]);
}

/** Locks a rule's row and reads when it last fired (skips excluded); call inside a transaction. */
export async function lockRuleAndReadLastFiring(tx: SqlQueryable, triggerId: string): Promise<Date | undefined> {
  await tx.query('SELECT id FROM triggers WHERE id = $1 FOR UPDATE', [triggerId]);
  const { rows } = await tx.query<{ fired_at: string | Date }>(
    `SELECT fired_at FROM trigger_firings WHERE trigger_id = $1 AND status <> 'skipped'
     ORDER BY fired_at DESC LIMIT 1`,
    [triggerId],
  );
  return rows[0] ? new Date(rows[0].fired_at) : undefined;
}

/** Inserts the firing unless this (rule, event) already has one; true when this call claimed it. */
export async function claimFiring(
  tx: SqlQueryable,
  input: {
    triggerId: string;
    eventSeq: string;
    action: string;
    status: 'pending' | 'skipped';
    reason: string;
    now: Date;
  },
): Promise<boolean> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO trigger_firings (trigger_id, event_seq, action, status, reason, fired_at, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $4 = 'skipped' THEN $6::timestamptz END)
     ON CONFLICT ON CONSTRAINT trigger_firings_once DO NOTHING RETURNING id::text AS id`,
    [input.triggerId, input.eventSeq, input.action, input.status, input.reason, input.now.toISOString()],
  );
  return rows.length > 0;
}

export interface ClaimedFiring {
  id: string;
  triggerId: string;
  reason: string;
  event: InboxEvent;
}

/** Takes up to `limit` pending firings for this worker (status running). */
export async function takePendingFirings(
  sql: SqlQueryable,
  input: { workerId: string; limit: number },
): Promise<ClaimedFiring[]> {
  const { rows } = await sql.query<EventRow & { firing_id: string; trigger_id: string; reason: string }>(
    `WITH taken AS (
       UPDATE trigger_firings SET status = 'running', claimed_by = $1
       WHERE id IN (SELECT id FROM trigger_firings WHERE status = 'pending' ORDER BY id FOR UPDATE SKIP LOCKED LIMIT $2)
       RETURNING id, trigger_id, event_seq, reason)
     SELECT taken.id::text AS firing_id, taken.trigger_id, taken.reason, ${eventColumns}
     FROM taken JOIN events e ON e.seq = taken.event_seq ORDER BY taken.id`,
    [input.workerId, input.limit],
  );
  return rows.map((row) => ({
    id: row.firing_id,
    triggerId: row.trigger_id,
    reason: row.reason,
    event: toInboxEvent(row),
  }));
}

export async function getTriggerById(sql: SqlQueryable, id: string): Promise<StoredTrigger | undefined> {
  const { rows } = await sql.query<TriggerRow>(`SELECT ${triggerColumns} FROM triggers WHERE id = $1`, [id]);
  return rows[0] ? toStoredTrigger(rows[0]) : undefined;
}

export async function finishFiring(
  sql: SqlQueryable,
  input: { id: string; status: 'succeeded' | 'failed'; detail: string; now: Date },
): Promise<void> {
  await sql.query(`UPDATE trigger_firings SET status = $2, detail = $3, finished_at = $4 WHERE id = $1`, [
    input.id,
    input.status,
    input.detail.slice(0, 2000),
    input.now.toISOString(),
  ]);
}

/** Remembers that an action on the app was caused by an event, for the app's next sync event. */
export async function recordCause(
  sql: SqlQueryable,
  input: { firingId: string; app: AppRef; contextId: string; chainId: string | null; reason: string; now: Date },
): Promise<void> {
  await sql.query(
    `INSERT INTO trigger_causes (firing_id, instance, app_namespace, app_name, context_id, chain_id, reason, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
    [
      input.firingId,
      input.app.instance,
      input.app.namespace,
      input.app.name,
      input.contextId,
      input.chainId,
      input.reason,
      input.now.toISOString(),
    ],
  );
}

/** Takes back a cause recorded before an action that then started no sync (it failed, or did nothing). */
export async function withdrawCause(sql: SqlQueryable, firingId: string): Promise<void> {
  await sql.query('DELETE FROM trigger_causes WHERE firing_id = $1', [firingId]);
}

export interface TriggerCause {
  contextId: string;
  chainId: string | null;
  reason: string;
}

/**
 * The cause an inbound action recorded for the sync that started at `startedAt`:
 * the latest one recorded from `windowBeforeMs` before the start up to
 * `windowAfterMs` after it (the two clocks differ a little).
 */
export async function findRecordedCause(
  sql: SqlQueryable,
  app: AppRef,
  startedAt: string,
  window = { beforeMs: 10 * 60_000, afterMs: 60_000 },
): Promise<TriggerCause | undefined> {
  const started = Date.parse(startedAt);
  if (Number.isNaN(started)) return undefined;
  const { rows } = await sql.query<{ context_id: string; chain_id: string | null; reason: string }>(
    `SELECT context_id, chain_id, reason FROM trigger_causes
     WHERE instance = $1 AND app_namespace = $2 AND app_name = $3 AND recorded_at BETWEEN $4 AND $5
     ORDER BY recorded_at DESC, firing_id DESC LIMIT 1`,
    [
      app.instance,
      app.namespace,
      app.name,
      new Date(started - window.beforeMs).toISOString(),
      new Date(started + window.afterMs).toISOString(),
    ],
  );
  const row = rows[0];
  return row ? { contextId: row.context_id, chainId: row.chain_id, reason: row.reason } : undefined;
}

/** The `limit` received events that happened last (by event time), oldest first, for a dry run. */
export async function listRecentReceivedEvents(sql: SqlQueryable, limit: number): Promise<InboxEvent[]> {
  const { rows } = await sql.query<EventRow>(
    `SELECT * FROM (SELECT ${eventColumns} FROM events e WHERE e.direction = 'received'
                    ORDER BY e.sort_time DESC, e.seq DESC LIMIT $1) recent ORDER BY sort_time, seq::bigint`,
    [limit],
  );
  return rows.map(toInboxEvent);
}
