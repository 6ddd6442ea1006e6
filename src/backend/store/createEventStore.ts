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
 *   replicas agree on which payload won. Two that wait on each other (the same
 *   identities in other orders) are a deadlock PostgreSQL aborts one of; that
 *   one is run again, so neither request fails.
 * - A replay is told from a conflict by comparing payloads as jsonb: the same
 *   values under any key order are the same payload.
 */
import type { Attribution } from '../api/contract';
import { RetryLaterError } from '../errors';
import type { Problem, VerdictStatus } from '../../cdevents/types';
import { extractEventFacts } from '../chains/extractEventFacts';
import { appendEventKeys, attributeTriggerTargets, type EventKeyInput } from './chainQueries';
import { encodeEventKey, parseEventKey } from './eventKey';
import { appCondition, filterConditions, filtersReadEvents, positionSql, QueryParams } from './eventListConditions';
import { eventColumns, toEventRecord, type EventRow } from './eventRows';
import type { StatisticsKeeper } from './keepPgliteStatistics';
import { parseEventTime } from './parseEventTime';
import type { SqlExecutor, SqlQueryable } from './sqlExecutor';
import type { AppRef, EventListQuery, EventPage, EventStore, InsertOptions, InsertOutcome, NewEvent } from './types';

/**
 * PostgreSQL's jsonb and text reject U+0000 and unpaired surrogates, which are
 * legal in JSON. Rather than failing a whole batch, they are stored as U+FFFD.
 * An escaped surrogate pair (`\ud83d\ude00` in JSON text, as Python's json.dumps
 * writes an emoji) is one character and is kept.
 */
function toStorableJsonText(text: string): string {
  // JSON.stringify writes \u only for control characters and lone surrogates; most texts have neither.
  if (!text.includes('\\u')) return text;
  return text.replace(
    /(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}|0000|d[89a-f][0-9a-f]{2})/gi,
    (match: string, backslashes: string, escaped: string) => (escaped.length > 4 ? match : `${backslashes}\\ufffd`),
  );
}

/** The SQLSTATE of a database error (pg and PGlite both put it in `code`). */
function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Two inserts that hold the same new identities in different orders wait on each
 * other's rows; PostgreSQL breaks the cycle by aborting one (40P01), which rolls it
 * back whole. Running it again then finds the other's rows committed.
 */
function isDeadlock(error: unknown): boolean {
  return sqlStateOf(error) === '40P01';
}

const maxInsertAttempts = 4;

/**
 * An event whose week has no partition yet (an old backfill, a clock far ahead): PostgreSQL refuses the
 * row with a check violation naming the partitioned table. The weeks are created and the insert runs again.
 */
function isMissingPartition(error: unknown): boolean {
  return sqlStateOf(error) === '23514' && /no partition of relation/.test((error as Error).message);
}

/**
 * A week partition could not be created because a table of that name exists: retention has just
 * detached that week and renames its tables a moment later (store/expireEvents.ts, renameDetached).
 * Until then the week cannot take an event; taking over the name here could hand the new event's
 * partition to the sweep that drops the old one, so the insert waits and tries again.
 */
function isWeekBeingExpired(error: unknown): boolean {
  return sqlStateOf(error) === '42P07';
}

/** Waits before another try at a week being expired: 100, 200, 400 ms, so a sweep's rename has happened. */
const expiringWeekDelayMs = (attempt: number) => 50 * 2 ** attempt;

/** Creates the week partition (migration 014) of every event of an insert's rows ($1) that lacks one. */
const addWeekPartitionsSql = `
  SELECT cdevents_add_week_partition(week)
  FROM (SELECT DISTINCT date_trunc('week', coalesce(r.event_time, $2::timestamptz) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
        AS week
        FROM json_to_recordset($1::json) AS r(event_time timestamptz)) AS weeks`;

/**
 * Identities whose event is gone: retention drops a week's events before it deletes their identities
 * (store/expireEvents.ts), so for a moment a replay of an expired event finds an identity and no event.
 * Such an identity names nothing; it is deleted and the insert runs again, storing the event anew.
 */
class StaleIdentitiesError extends Error {
  constructor(readonly identities: Array<{ source: string; context_id: string }>) {
    super(`${identities.length} identities name no stored event`);
  }
}

const deleteStaleIdentitiesSql = `
  DELETE FROM event_identities i
  USING json_to_recordset($1::json) AS r(source text, context_id text)
  WHERE i.source = r.source AND i.context_id = r.context_id
    AND NOT EXISTS (SELECT FROM events e WHERE e.seq = i.seq AND e.sort_time = i.sort_time)`;

/** A PostgreSQL data exception (SQLSTATE class 22): the values were refused, not the statement. */
function isDataException(error: unknown): boolean {
  return sqlStateOf(error)?.startsWith('22') ?? false;
}

function toStorableJson(value: unknown): string {
  return toStorableJsonText(JSON.stringify(value));
}

/** The context ids an event's links point at, for chain lookups. */
function collectLinkedContextIds(event: NewEvent): string[] {
  if (event.links.length === 0) return [];
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
 * trigger inbox rows (migration 008), and reads what was already stored under
 * the same identities: one round trip, atomic on its own. Every answer row
 * names its input row by ordinal (1-based), so the caller matches answers to
 * events by position, not by parsing back identities.
 *
 * Answer rows: `stored` (an input row inserted, with its seq), or an earlier
 * event under the input row's identity (seq, verdict, problems, and whether its
 * payload equals the input row's: jsonb equality, blind to key order).
 * The last SELECT sees the table as it was before the statement, so those are
 * exactly the earlier events. An input row with no answer repeats the identity
 * of an earlier row of the same batch, or one a concurrent transaction
 * committed meanwhile; the caller resolves it (selectExistingSql).
 */
const insertEventsSql = `
  WITH input AS (
    -- Two documents zipped row by row: the columns as json, read once straight into typed columns (as
    -- jsonb, every row was first parsed into a tree only to be taken apart), and the payloads as jsonb,
    -- which is how they are stored.
    SELECT * FROM ROWS FROM (
      json_to_recordset($1::json) AS (source text, context_id text, type text, subject text, predicate text,
        type_version text, spec_version text, event_time timestamptz, subject_id text, chain_id text, links jsonb,
        link_context_ids text[], verdict text, problems jsonb, direction text,
        reconstructed boolean, instance text),
      jsonb_array_elements($2::jsonb)
    ) WITH ORDINALITY AS input(source, context_id, type, subject, predicate, type_version, spec_version, event_time,
      subject_id, chain_id, links, link_context_ids, verdict, problems, direction, reconstructed,
      instance, payload, ord)
  ),
  -- The identity is claimed first (migration 014): event_identities holds the one unique (source,
  -- context_id) across every time partition, and hands out seq. The first row of an identity is the one
  -- kept, and seqs follow the batch's order.
  claimed AS (
    INSERT INTO event_identities (source, context_id, sort_time)
    SELECT source, context_id, coalesce(event_time, $3::timestamptz)
    FROM input
    ORDER BY ord
    ON CONFLICT (source, context_id) DO NOTHING
    RETURNING seq, source, context_id, sort_time
  ),
  -- The input row each claimed identity came from: the first with it (rows go in by ordinal, so a later
  -- row of an identity is never the one claimed).
  stored AS (
    SELECT DISTINCT ON (claimed.seq) claimed.seq, claimed.sort_time, input.ord
    FROM claimed
    JOIN input USING (source, context_id)
    ORDER BY claimed.seq, input.ord
  ),
  inserted AS (
    INSERT INTO events (seq, source, context_id, type, subject, predicate, type_version, spec_version, event_time,
      received_at, sort_time, subject_id, chain_id, links, link_context_ids, payload, verdict, problems,
      direction, reconstructed, instance)
    SELECT stored.seq, source, context_id, type, subject, predicate, type_version, spec_version, event_time,
      $3::timestamptz, stored.sort_time, subject_id, chain_id, coalesce(links, '[]'), coalesce(link_context_ids, '{}'),
      payload, verdict, coalesce(problems, '[]'), direction, coalesce(reconstructed, false), instance
    FROM stored JOIN input USING (ord)
    ORDER BY stored.seq
    RETURNING seq
  ),
  -- Attributions and keys come as flat lists naming their input row, read once each and joined to the
  -- inserted events (a row of an input not inserted finds no partner). Each seq is new, so no row here
  -- can conflict with a stored one; DISTINCT drops an attribution repeated within an event.
  attributed AS (
    INSERT INTO event_apps (event_seq, instance, app_namespace, app_name, rule, detail, sort_time)
    SELECT DISTINCT ON (stored.seq, a.instance, a.namespace, a.name, a.rule)
      stored.seq, a.instance, a.namespace, a.name, a.rule, a.detail, stored.sort_time
    FROM json_to_recordset($4::json) AS a(event bigint, instance text, namespace text, name text, rule text,
      detail text)
    JOIN stored ON stored.ord = a.event
  ),
  -- Correlation keys for chain lookups (store/chainQueries.ts), committed with the event. appendEventKeys
  -- gives each event's keys without repeats: no DISTINCT needed.
  keyed AS (
    INSERT INTO event_keys (kind, value, sort_time, event_seq)
    SELECT k.kind, k.value, stored.sort_time, stored.seq
    FROM json_to_recordset($5::json) AS k(ord bigint, kind text, value text)
    JOIN stored USING (ord)
  ),
  -- Every stored event, received or emitted, goes to the inbound rules (triggers/), committed with it,
  -- when there is a rule to go to: a rule acts on the events stored after it was enabled.
  inboxed AS (
    INSERT INTO trigger_inbox (event_seq)
    SELECT seq FROM inserted
    WHERE EXISTS (SELECT FROM triggers WHERE kind = 'inbound' AND enabled)
    ORDER BY seq
  )
  SELECT ord::int AS ord, seq::text AS seq, NULL::boolean AS same_payload, NULL::text AS verdict,
    NULL::jsonb AS problems
  FROM stored
  UNION ALL
  SELECT input.ord::int, e.seq::text, e.payload = input.payload, e.verdict, e.problems
  FROM input
  JOIN event_identities i USING (source, context_id)
  -- The identity names the event's partition: one index probe, not one per week.
  JOIN events e ON e.seq = i.seq AND e.sort_time = i.sort_time
  -- An identity this statement claimed was not stored before it; when the whole batch is new, nothing
  -- is left to look up and events is not read at all.
  WHERE NOT EXISTS (
    SELECT FROM claimed WHERE claimed.source = input.source AND claimed.context_id = input.context_id)`;

/**
 * What is stored under the identities of the input rows the insert statement did
 * not answer, one answer row per input row (same shape as insertEventsSql's).
 * Rare, so the insert's payloads document is sent again ($2, read once) rather
 * than anything being kept on every insert.
 */
const selectExistingSql = `
  WITH payloads AS MATERIALIZED (SELECT $2::jsonb AS doc)
  SELECT input.ord, e.seq::text AS seq, e.payload = (SELECT doc FROM payloads) -> (input.ord - 1) AS same_payload,
    e.verdict, e.problems
  FROM json_to_recordset($1::json) AS input(ord int, source text, context_id text)
  JOIN event_identities i USING (source, context_id)
  JOIN events e ON e.seq = i.seq AND e.sort_time = i.sort_time`;

/** One answer row of insertEventsSql: `same_payload` is null for a row it inserted. */
interface AnswerRow {
  ord: number;
  seq: string;
  same_payload: boolean | null;
  verdict: VerdictStatus | null;
  problems: Problem[] | null;
}

const insertAttributionsSql = `
  INSERT INTO event_apps (event_seq, instance, app_namespace, app_name, rule, detail, sort_time)
  SELECT e.seq, r->>'instance', r->>'namespace', r->>'name', r->>'rule', r->>'detail', e.sort_time
  FROM jsonb_array_elements($1::jsonb) AS input(r)
  JOIN events e ON e.seq = (r->>'event')::bigint
  ON CONFLICT DO NOTHING`;

/**
 * An attribution as the event_apps columns the SQL reads. `event` names its
 * event: the ordinal in insertEvents' batch, or a stored event's seq.
 */
interface AttributionRow {
  event: number | string;
  instance: string;
  namespace: string;
  name: string;
  rule: string;
  detail: string;
}

function appendAttributionRows(
  into: AttributionRow[],
  event: number | string,
  attributions: ReadonlyArray<{ app: AppRef; attribution: Attribution }>,
): void {
  for (let index = 0; index < attributions.length; index++) {
    const { app, attribution } = attributions[index]!;
    into.push({
      event,
      instance: app.instance,
      namespace: app.namespace,
      name: app.name,
      rule: attribution.rule,
      detail: attribution.detail,
    });
  }
}

/**
 * Runs insertEventsSql with its five parameters, then reads what it did not
 * answer for, and reports per event: stored, duplicate or conflict.
 */
async function insertBatch(
  tx: SqlQueryable,
  events: readonly NewEvent[],
  params: [rows: string, payloads: string, receivedAt: string, attributions: string, keys: string],
): Promise<InsertOutcome[]> {
  const answers: Array<AnswerRow | undefined> = new Array<AnswerRow | undefined>(events.length);
  for (const row of (await tx.query<AnswerRow>(insertEventsSql, params, { name: 'cdevents_insert_events' })).rows) {
    answers[row.ord - 1] = row;
  }
  // The identities the statement did not answer for (a repeat within the batch, or a concurrent commit)
  // are read now, after it: the rows it inserted are visible.
  const unanswered: Array<{ ord: number; source: string; context_id: string }> = [];
  for (let index = 0; index < events.length; index++) {
    if (answers[index] !== undefined) continue;
    unanswered.push({ ord: index + 1, source: events[index]!.source, context_id: events[index]!.id });
  }
  if (unanswered.length > 0) {
    const { rows: found } = await tx.query<AnswerRow>(selectExistingSql, [toStorableJson(unanswered), params[1]], {
      name: 'cdevents_select_existing',
    });
    for (const row of found) answers[row.ord - 1] = row;
    const stale = unanswered.filter((row) => answers[row.ord - 1] === undefined);
    if (stale.length > 0) {
      throw new StaleIdentitiesError(stale.map(({ source, context_id }) => ({ source, context_id })));
    }
  }
  const storedSeqs: string[] = [];
  let anyRelationLink = false;
  const outcomes = events.map((event, index): InsertOutcome => {
    const answer = answers[index];
    if (!answer) throw new Error(`event ${event.source} ${event.id} was neither inserted nor found`);
    if (answer.same_payload === null) {
      storedSeqs.push(answer.seq);
      anyRelationLink ||= event.links.some((link) => link.linkType === 'RELATION');
      return { status: 'stored', key: encodeEventKey(answer.seq) };
    }
    // A replay: of an event stored before, or of an earlier item of this batch.
    const key = encodeEventKey(answer.seq);
    if (answer.same_payload) {
      return { status: 'duplicate', key, verdict: answer.verdict!, problems: answer.problems! };
    }
    return {
      status: 'conflict',
      key,
      message:
        `an event with source "${event.source}" and id "${event.id}" is already stored with a different payload; ` +
        'the first one is kept',
    };
  });
  // Only an event with a RELATION link can name a trigger; skip the query for the rest.
  if (anyRelationLink) {
    await attributeTriggerTargets(tx, storedSeqs);
  }
  return outcomes;
}

export interface EventStoreOptions {
  /** PGlite only: refreshes planner statistics as events arrive (PostgreSQL's autovacuum does it there). */
  statistics?: StatisticsKeeper;
}

export function createEventStore(sql: SqlExecutor, options: EventStoreOptions = {}): EventStore {
  const { statistics } = options;
  return {
    kind: sql.kind,
    sql,

    async insertEvents(events: NewEvent[], options: InsertOptions = {}): Promise<InsertOutcome[]> {
      if (events.length === 0) return [];
      const receivedAt = (options.receivedAt ?? new Date()).toISOString();
      const attributions: AttributionRow[] = [];
      const keys: EventKeyInput[] = [];
      // Empty lists, defaults and the usual nulls are left out (json_to_recordset reads an absent key as NULL,
      // and the insert fills in the defaults): less to write and to read.
      const rows = events.map((event, index) => {
        const ord = index + 1;
        appendAttributionRows(attributions, ord, event.attributions);
        appendEventKeys(keys, ord, event.facts ?? extractEventFacts(event.payload), event.chainId);
        const linkContextIds = collectLinkedContextIds(event);
        return {
          source: event.source,
          context_id: event.id,
          type: event.type,
          subject: event.subject,
          predicate: event.predicate,
          type_version: event.typeVersion,
          spec_version: event.specVersion,
          event_time: parseEventTime(event.timestamp),
          subject_id: event.subjectId,
          chain_id: event.chainId ?? undefined,
          links: event.links.length > 0 ? event.links : undefined,
          link_context_ids: linkContextIds.length > 0 ? linkContextIds : undefined,
          verdict: event.verdict,
          problems: event.problems.length > 0 ? event.problems : undefined,
          direction: event.direction,
          reconstructed: event.reconstructed || undefined,
          instance: event.instance ?? undefined,
        };
      });
      const rowsJson = toStorableJson(rows);
      const attributionsJson = toStorableJson(attributions);
      const keysJson = toStorableJson(keys);
      // Only an event with a RELATION link can name a trigger, which needs a second statement in the same
      // transaction (attributeTriggerTargets). Without one, the insert is a single statement, atomic and
      // committed on its own: one round trip instead of BEGIN, INSERT, COMMIT, and as durable.
      const needsTransaction = events.some((event) => event.links.some((link) => link.linkType === 'RELATION'));
      const inTransaction = <T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> =>
        needsTransaction ? sql.transaction(work) : work(sql);
      // The payloads go as a second document (jsonb keeps no key order, so no text need be canonical): as
      // they arrived when the caller has that text, else in one JSON.stringify call.
      const serialisedPayloads = () => toStorableJson(events.map((event) => event.payload ?? null));
      const insertWith = async (payloadsJson: string): Promise<InsertOutcome[]> => {
        let weekBeingExpired = false;
        for (let attempt = 1; ; attempt++) {
          try {
            return await inTransaction((tx) =>
              insertBatch(tx, events, [rowsJson, payloadsJson, receivedAt, attributionsJson, keysJson]),
            );
          } catch (error) {
            if (attempt >= maxInsertAttempts) {
              throw weekBeingExpired && isMissingPartition(error)
                ? new RetryLaterError(
                    `an event's week is being expired by retention (CDEVENTS_RETENTION_DAYS) at this moment; nothing of this request was stored, send it again`,
                    { cause: error },
                  )
                : error;
            }
            if (isMissingPartition(error)) {
              weekBeingExpired = await sql.query(addWeekPartitionsSql, [rowsJson, receivedAt]).then(
                () => false,
                (addError: unknown) => {
                  if (!isWeekBeingExpired(addError)) throw addError;
                  return true;
                },
              );
              if (weekBeingExpired) await new Promise((resolve) => setTimeout(resolve, expiringWeekDelayMs(attempt)));
            } else if (error instanceof StaleIdentitiesError) {
              await sql.query(deleteStaleIdentitiesSql, [toStorableJson(error.identities)]);
            } else if (!isDeadlock(error)) {
              throw error;
            }
          }
        }
      };
      const insertAndCount = async (payloadsJson: string): Promise<InsertOutcome[]> => {
        const outcomes = await insertWith(payloadsJson);
        statistics?.noteWritten(outcomes.filter((outcome) => outcome.status === 'stored').length);
        return outcomes;
      };
      if (options.payloadsJson === undefined) return insertAndCount(serialisedPayloads());
      try {
        return await insertAndCount(toStorableJsonText(options.payloadsJson));
      } catch (error) {
        // The text as sent can hold what JavaScript read but PostgreSQL refuses (a number beyond numeric's
        // range, a \u escape a non-UTF-8 database cannot hold); nothing was written, so store them as parsed.
        if (!isDataException(error)) throw error;
        return insertAndCount(serialisedPayloads());
      }
    },

    async addAttributions(key, attributions): Promise<void> {
      const seq = parseEventKey(key);
      if (seq === undefined) throw new Error(`not an event key: ${key}`);
      const rows: AttributionRow[] = [];
      appendAttributionRows(rows, seq, attributions);
      if (rows.length > 0) await sql.query(insertAttributionsSql, [toStorableJson(rows)]);
    },

    async listAppEvents(query: EventListQuery): Promise<EventPage> {
      const params = new QueryParams();
      const conditions = filterConditions(params, query);
      if (query.before) conditions.push(`(ea.sort_time, ea.event_seq) < ${positionSql(params, query.before)}`);
      if (query.after) conditions.push(`(ea.sort_time, ea.event_seq) > ${positionSql(params, query.after)}`);
      const limit = params.add(query.limit + 1);
      const result = await sql.query<EventRow>(
        `SELECT ${eventColumns}, page.attributions
         FROM (
           SELECT ea.event_seq, ea.sort_time,
             jsonb_agg(DISTINCT jsonb_build_object('rule', ea.rule, 'detail', ea.detail)) AS attributions
           FROM event_apps ea ${filtersReadEvents(query) ? 'JOIN events e ON e.seq = ea.event_seq' : ''}
           WHERE ${conditions.join(' AND ')}
           GROUP BY ea.sort_time, ea.event_seq
           ORDER BY ea.sort_time DESC, ea.event_seq DESC
           LIMIT ${limit}
         ) AS page
         -- On sort_time too, so each event is read from its week's partition only.
         JOIN events e ON e.seq = page.event_seq AND e.sort_time = page.sort_time
         ORDER BY page.sort_time DESC, page.event_seq DESC`,
        params.values,
      );
      const rows = result.rows.slice(0, query.limit);
      const positionOf = (row: EventRow) => ({ sortMicros: row.sort_micros, seq: row.seq });
      return {
        items: rows.map(toEventRecord),
        next: result.rows.length > query.limit ? positionOf(rows[rows.length - 1]!) : null,
        head: rows.length > 0 ? positionOf(rows[0]!) : null,
        last: rows.length > 0 ? positionOf(rows[rows.length - 1]!) : null,
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

    async close(): Promise<void> {
      await statistics?.stop();
      await sql.close();
    },
  };
}
