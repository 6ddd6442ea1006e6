/**
 * The application_states table (migration 013): the states each app's
 * notifications carried, with the mapping's memory after each, so a state that
 * arrives late can be placed among them (argocd/placeLateState.ts).
 *
 * Bounded: the newest STATE_LOG_LIMIT states per app by arrival are kept. A
 * state older than every kept one is refused as stale, as before the log.
 */
import type { AppMemory } from '../argocd/appMemory';
import type { Application } from '../argocd/application';
import type { StateLogEntry } from '../argocd/placeLateState';
import { trimSnapshot } from './applicationStore';
import type { SqlQueryable } from './sqlExecutor';
import type { AppRef } from './types';

/** States kept per app: about a week of a busy app's notifications (syncs, health changes). */
export const STATE_LOG_LIMIT = 200;

interface StateRow {
  state_key: string;
  snapshot: Application;
  memory: AppMemory;
  started_empty: boolean;
  seq: string | number;
}

/** The app's logged states, in arrival order. */
export async function listLoggedStates(sql: SqlQueryable, app: AppRef): Promise<StateLogEntry[]> {
  const { rows } = await sql.query<StateRow>(
    `SELECT state_key, snapshot, memory, started_empty, seq::text AS seq FROM application_states
     WHERE instance = $1 AND namespace = $2 AND name = $3 ORDER BY application_states.seq`,
    [app.instance, app.namespace, app.name],
  );
  return rows.map((row) => ({
    key: row.state_key,
    snapshot: row.snapshot,
    memory: row.memory,
    startedEmpty: row.started_empty,
    seq: Number(row.seq),
  }));
}

/**
 * Logs states with the memory after each. `append` (a state applied in order) keeps a state
 * already logged as it is; `replace` (a late state was placed) sets the memory of the states after
 * it. Then trims the app's log to its newest STATE_LOG_LIMIT.
 */
export async function logStates(
  sql: SqlQueryable,
  app: AppRef,
  states: ReadonlyArray<Omit<StateLogEntry, 'seq'>>,
  receivedAt: Date,
  mode: 'append' | 'replace',
): Promise<void> {
  if (states.length === 0) return;
  await sql.query(
    `INSERT INTO application_states (instance, namespace, name, state_key, snapshot, memory, started_empty, received_at)
     SELECT $1, $2, $3, item.value->>'key', item.value->'snapshot', item.value->'memory',
            (item.value->>'startedEmpty')::boolean, $5::timestamptz
     FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS item(value, position)
     ORDER BY item.position
     ON CONFLICT (instance, namespace, name, state_key) ${
       mode === 'replace'
         ? 'DO UPDATE SET memory = EXCLUDED.memory, started_empty = EXCLUDED.started_empty'
         : 'DO NOTHING'
     }`,
    [
      app.instance,
      app.namespace,
      app.name,
      JSON.stringify(states.map((state) => ({ ...state, snapshot: trimSnapshot(state.snapshot) }))),
      receivedAt.toISOString(),
    ],
  );
  await sql.query(
    `DELETE FROM application_states
     WHERE instance = $1 AND namespace = $2 AND name = $3
       AND seq <= (SELECT seq FROM application_states WHERE instance = $1 AND namespace = $2 AND name = $3
                   ORDER BY seq DESC OFFSET $4 LIMIT 1)`,
    [app.instance, app.namespace, app.name, STATE_LOG_LIMIT],
  );
}
