/**
 * The event store, written once over a SqlExecutor (PGlite or PostgreSQL).
 *
 * Guarantees:
 * - Identity is (context.source, context.id). The same identity is stored once;
 *   a replay with the same payload is a duplicate, one with another payload is a
 *   conflict and never overwrites the first.
 * - insertEvents() runs in one transaction and resolves after COMMIT: whatever it
 *   reports as stored is durable.
 * - Concurrent inserts of one identity on PostgreSQL are settled by the unique
 *   constraint (ON CONFLICT DO NOTHING waits for the other transaction), so
 *   replicas agree on which payload won.
 */
import { createHash } from 'crypto';
import type { Attribution } from '../api/contract';
import type { Problem, VerdictStatus } from '../../cdevents/types';
import { attributeTriggerTargets, listEventKeys } from './chainQueries';
import { encodeEventKey, parseEventKey } from './eventKey';
import { eventColumns, toEventRecord, type EventRow } from './eventRows';
import { parseEventTime } from './parseEventTime';
import type { SqlExecutor, SqlQueryable } from './sqlExecutor';
import type { AppRef, EventListQuery, EventPage, EventStore, InsertOutcome, NewEvent } from './types';

/**
 * JSON with object keys sorted, so the same content always hashes the same.
 * Written as loops over one growing string: every ingested event is hashed, and
 * the entries/filter/map/join version cost a third of a batch's CPU time.
 */
export function toCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) text += ',';
      text += toCanonicalJson(value[index] ?? null);
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  // The default sort orders by UTF-16 code units, as `<` on strings does.
  const keys = Object.keys(record).sort();
  let text = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (text.length > 1) text += ',';
    text += `${JSON.stringify(key)}:${toCanonicalJson(item)}`;
  }
  return `${text}}`;
}

export function hashPayload(payload: unknown): string {
  return createHash('sha256').update(toCanonicalJson(payload)).digest('hex');
}

/**
 * PostgreSQL's jsonb and text reject U+0000 and unpaired surrogates, which are
 * legal in JSON. Rather than failing a whole batch, they are stored as U+FFFD;
 * the payload hash is taken before, from what the tool sent.
 */
function toStorableJson(value: unknown): string {
  const text = JSON.stringify(value);
  // JSON.stringify writes \u only for control characters and lone surrogates; most batches have neither.
  if (!text.includes('\\u')) return text;
  return text.replace(/(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi, '$1\\ufffd');
}

/** The context ids an event's links point at, for chain lookups. */
function collectLinkedContextIds(event: NewEvent): string[] {
  const ids = new Set<string>();
  for (const link of event.links) {
    const record = link as unknown as Record<string, { contextId?: unknown } | undefined>;
    for (const end of [record.from, record.target]) {
      if (typeof end?.contextId === 'string' && end.contextId.length > 0) ids.add(end.contextId);
    }
  }
  return [...ids];
}

/**
 * One statement inserts the new events, their attributions, chain keys and
 * trigger inbox rows (migration 008), and reads what
 * was already stored under the same identities: one round trip, atomic on its
 * own. The last SELECT sees the table as it was before the statement, so "old"
 * rows are exactly the earlier events; an identity a concurrent transaction
 * committed meanwhile is neither, and is read again afterwards.
 */
const insertEventsSql = `
  WITH input AS (
    SELECT r, ord FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS input(r, ord)
  ),
  inserted AS (
    INSERT INTO events (source, context_id, type, subject, predicate, type_version, spec_version, event_time,
      received_at, subject_id, chain_id, links, link_context_ids, payload, payload_hash, verdict, problems,
      direction, reconstructed, instance)
    SELECT r->>'source', r->>'id', r->>'type', r->>'subject', r->>'predicate', r->>'typeVersion', r->>'specVersion',
      (r->>'timestamp')::timestamptz, $2::timestamptz, r->>'subjectId', r->>'chainId', r->'links',
      ARRAY(SELECT jsonb_array_elements_text(r->'linkContextIds')), r->'payload', r->>'payloadHash', r->>'verdict',
      r->'problems', r->>'direction', (r->>'reconstructed')::boolean, r->>'instance'
    FROM input
    ORDER BY ord
    ON CONFLICT (source, context_id) DO NOTHING
    RETURNING seq, source, context_id, payload_hash, sort_time
  ),
  attributed AS (
    INSERT INTO event_apps (event_seq, instance, app_namespace, app_name, rule, detail, sort_time)
    SELECT first.seq, a->>'instance', a->>'namespace', a->>'name', a->>'rule', a->>'detail', first.sort_time
    FROM (
      SELECT DISTINCT ON (inserted.seq) inserted.seq, inserted.sort_time, input.r
      FROM inserted
      JOIN input ON input.r->>'source' = inserted.source AND input.r->>'id' = inserted.context_id
        AND input.r->>'payloadHash' = inserted.payload_hash
      ORDER BY inserted.seq, input.ord
    ) AS first
    CROSS JOIN LATERAL jsonb_array_elements(first.r->'attributions') AS a
    ON CONFLICT DO NOTHING
  ),
  -- Correlation keys for chain lookups (store/chainQueries.ts), committed with the event.
  keyed AS (
    INSERT INTO event_keys (kind, value, sort_time, event_seq)
    SELECT k->>'kind', k->>'value', inserted.sort_time, inserted.seq
    FROM inserted
    JOIN input ON input.r->>'source' = inserted.source AND input.r->>'id' = inserted.context_id
      AND input.r->>'payloadHash' = inserted.payload_hash
    CROSS JOIN LATERAL jsonb_array_elements(input.r->'keys') AS k
    ON CONFLICT DO NOTHING
  ),
  -- Every stored event, received or emitted, goes to the inbound rules (triggers/), committed with it.
  -- Each seq is new, so no conflict to handle.
  inboxed AS (
    INSERT INTO trigger_inbox (event_seq)
    SELECT seq FROM inserted ORDER BY seq
  )
  SELECT true AS is_new, seq::text AS seq, source, context_id, payload_hash, NULL::text AS verdict, NULL::jsonb AS problems
  FROM inserted
  UNION ALL
  SELECT false, e.seq::text, e.source, e.context_id, e.payload_hash, e.verdict, e.problems
  FROM events e
  JOIN (
    SELECT DISTINCT r->>'source' AS source, r->>'id' AS id FROM input
    -- An identity this statement inserted was not stored before it; when the whole batch is new, nothing
    -- is left to look up and events is not read at all.
    WHERE NOT EXISTS (SELECT FROM inserted WHERE inserted.source = r->>'source' AND inserted.context_id = r->>'id')
  ) AS wanted
    ON e.source = wanted.source AND e.context_id = wanted.id`;

const selectExistingSql = `
  SELECT false AS is_new, e.seq::text AS seq, e.source, e.context_id, e.payload_hash, e.verdict, e.problems
  FROM events e
  JOIN (SELECT DISTINCT r->>'source' AS source, r->>'id' AS id FROM jsonb_array_elements($1::jsonb) AS input(r)) AS wanted
    ON e.source = wanted.source AND e.context_id = wanted.id`;

interface IdentityRow {
  is_new: boolean;
  seq: string;
  source: string;
  context_id: string;
  payload_hash: string;
  verdict: VerdictStatus | null;
  problems: Problem[] | null;
}

const insertAttributionsSql = `
  INSERT INTO event_apps (event_seq, instance, app_namespace, app_name, rule, detail, sort_time)
  SELECT e.seq, r->>'instance', r->>'namespace', r->>'name', r->>'rule', r->>'detail', e.sort_time
  FROM jsonb_array_elements($1::jsonb) AS input(r)
  JOIN events e ON e.seq = (r->>'seq')::bigint
  ON CONFLICT DO NOTHING`;

interface AttributionInput {
  seq: string;
  instance: string;
  namespace: string;
  name: string;
  rule: string;
  detail: string;
}

function toAttributionInputs(
  seq: string,
  attributions: Array<{ app: AppRef; attribution: Attribution }>,
): AttributionInput[] {
  return attributions.map(({ app, attribution }) => ({
    seq,
    instance: app.instance,
    namespace: app.namespace,
    name: app.name,
    rule: attribution.rule,
    detail: attribution.detail,
  }));
}

async function insertAttributions(tx: SqlQueryable, inputs: AttributionInput[]): Promise<void> {
  if (inputs.length > 0) await tx.query(insertAttributionsSql, [toStorableJson(inputs)]);
}

/** Builds a WHERE clause from parts, numbering parameters as it goes. */
class QueryParams {
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
function appCondition(params: QueryParams, app: AppRef): string {
  return `ea.app_name = ${params.add(app.name)} AND ea.app_namespace IN (${params.add(app.namespace)}, '*')
    AND ea.instance IN (${params.add(app.instance)}, '*')`;
}

function positionSql(params: QueryParams, position: { sortMicros: string; seq: string }): string {
  return `('epoch'::timestamptz + ${params.add(position.sortMicros)}::bigint * interval '1 microsecond', ${params.add(position.seq)}::bigint)`;
}

export function createEventStore(sql: SqlExecutor): EventStore {
  return {
    kind: sql.kind,
    sql,

    async insertEvents(events: NewEvent[], options: { receivedAt?: Date } = {}): Promise<InsertOutcome[]> {
      if (events.length === 0) return [];
      const receivedAt = (options.receivedAt ?? new Date()).toISOString();
      const rows = events.map((event) => ({
        source: event.source,
        id: event.id,
        type: event.type,
        subject: event.subject,
        predicate: event.predicate,
        typeVersion: event.typeVersion,
        specVersion: event.specVersion,
        timestamp: parseEventTime(event.timestamp),
        subjectId: event.subjectId,
        chainId: event.chainId,
        links: event.links,
        linkContextIds: collectLinkedContextIds(event),
        payload: event.payload ?? null,
        payloadHash: event.payloadHash ?? hashPayload(event.payload ?? null),
        verdict: event.verdict,
        problems: event.problems,
        direction: event.direction,
        reconstructed: event.reconstructed ?? false,
        instance: event.instance ?? null,
        keys: listEventKeys(event.payload, event.chainId),
        attributions: event.attributions.map(({ app, attribution }) => ({
          instance: app.instance,
          namespace: app.namespace,
          name: app.name,
          rule: attribution.rule,
          detail: attribution.detail,
        })),
      }));
      const rowsJson = toStorableJson(rows);
      const identity = (source: string, id: string): string => JSON.stringify([source, id]);
      // What the database holds for each identity; the sanitised text is what it compares.
      const wanted = rows.map((row) => JSON.stringify(JSON.parse(toStorableJson([row.source, row.id]))));
      // Only an event with a RELATION link can name a trigger, which needs a second statement in the same
      // transaction (attributeTriggerTargets). Without one, the insert is a single statement, atomic and
      // committed on its own: one round trip instead of BEGIN, INSERT, COMMIT, and as durable.
      const needsTransaction = events.some((event) => event.links.some((link) => link.linkType === 'RELATION'));
      const inTransaction = <T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> =>
        needsTransaction ? sql.transaction(work) : work(sql);
      return inTransaction(async (tx) => {
        let found = (
          await tx.query<IdentityRow>(insertEventsSql, [rowsJson, receivedAt], { name: 'cdevents_insert_events' })
        ).rows;
        const known = new Set(found.map((row) => identity(row.source, row.context_id)));
        if (!wanted.every((key) => known.has(key))) {
          found = [
            ...found,
            ...(await tx.query<IdentityRow>(selectExistingSql, [rowsJson], { name: 'cdevents_select_existing' })).rows,
          ];
        }
        const byIdentity = new Map<string, IdentityRow>();
        for (const row of found) byIdentity.set(identity(row.source, row.context_id), row);
        const claimed = new Map<string, number>();
        const storedSeqs: string[] = [];
        let anyRelationLink = false;
        const outcomes = events.map((event, index): InsertOutcome => {
          const key = wanted[index]!;
          const row = byIdentity.get(key);
          if (!row) throw new Error(`event ${rows[index]!.source} ${rows[index]!.id} was neither inserted nor found`);
          const eventKey = encodeEventKey(row.seq);
          if (row.is_new && !claimed.has(key)) {
            claimed.set(key, index);
            storedSeqs.push(row.seq);
            anyRelationLink ||= event.links.some((link) => link.linkType === 'RELATION');
            return { status: 'stored', key: eventKey };
          }
          // A replay: of an earlier item of this batch, or of an event stored before.
          const first = row.is_new ? events[claimed.get(key)!]! : undefined;
          if (row.payload_hash === rows[index]!.payloadHash) {
            return {
              status: 'duplicate',
              key: eventKey,
              verdict: first ? first.verdict : row.verdict!,
              problems: first ? first.problems : row.problems!,
            };
          }
          return {
            status: 'conflict',
            key: eventKey,
            message:
              `an event with source "${rows[index]!.source}" and id "${rows[index]!.id}" is already stored with a different payload; ` +
              'the first one is kept',
          };
        });
        // Only an event with a RELATION link can name a trigger; skip the query for the rest.
        if (anyRelationLink) {
          await attributeTriggerTargets(tx, storedSeqs);
        }
        return outcomes;
      });
    },

    async addAttributions(key, attributions): Promise<void> {
      const seq = parseEventKey(key);
      if (seq === undefined) throw new Error(`not an event key: ${key}`);
      await insertAttributions(sql, toAttributionInputs(seq, attributions));
    },

    async listAppEvents(query: EventListQuery): Promise<EventPage> {
      const params = new QueryParams();
      const conditions = [appCondition(params, query.app)];
      if (query.before) conditions.push(`(ea.sort_time, ea.event_seq) < ${positionSql(params, query.before)}`);
      if (query.after) conditions.push(`(ea.sort_time, ea.event_seq) > ${positionSql(params, query.after)}`);
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
      if (query.text) {
        const pattern = params.add(`%${escapeLike(query.text)}%`);
        conditions.push(
          `(e.context_id ILIKE ${pattern} OR e.subject_id ILIKE ${pattern} OR e.type ILIKE ${pattern} OR e.source ILIKE ${pattern})`,
        );
      }
      const limit = params.add(query.limit + 1);
      const result = await sql.query<EventRow>(
        `SELECT ${eventColumns}, page.attributions
         FROM (
           SELECT ea.event_seq, ea.sort_time,
             jsonb_agg(DISTINCT jsonb_build_object('rule', ea.rule, 'detail', ea.detail)) AS attributions
           FROM event_apps ea JOIN events e ON e.seq = ea.event_seq
           WHERE ${conditions.join(' AND ')}
           GROUP BY ea.sort_time, ea.event_seq
           ORDER BY ea.sort_time DESC, ea.event_seq DESC
           LIMIT ${limit}
         ) AS page
         JOIN events e ON e.seq = page.event_seq
         ORDER BY page.sort_time DESC, page.event_seq DESC`,
        params.values,
      );
      const rows = result.rows.slice(0, query.limit);
      const positionOf = (row: EventRow) => ({ sortMicros: row.sort_micros, seq: row.seq });
      return {
        items: rows.map(toEventRecord),
        next: result.rows.length > query.limit ? positionOf(rows[rows.length - 1]!) : null,
        head: rows.length > 0 ? positionOf(rows[0]!) : null,
      };
    },

    async getEvent(key, options = {}) {
      const seq = parseEventKey(key);
      if (seq === undefined) return undefined;
      const params = new QueryParams();
      const seqParam = params.add(seq);
      const appFilter = options.app ? `AND ${appCondition(params, options.app)}` : '';
      const result = await sql.query<EventRow>(
        `SELECT ${eventColumns},
           coalesce((SELECT jsonb_agg(DISTINCT jsonb_build_object('rule', ea.rule, 'detail', ea.detail))
                     FROM event_apps ea WHERE ea.event_seq = e.seq ${appFilter}), '[]'::jsonb) AS attributions
         FROM events e WHERE e.seq = ${seqParam}::bigint`,
        params.values,
      );
      return result.rows[0] ? toEventRecord(result.rows[0]) : undefined;
    },

    async ping(): Promise<void> {
      await sql.query('SELECT 1');
    },

    close: () => sql.close(),
  };
}
