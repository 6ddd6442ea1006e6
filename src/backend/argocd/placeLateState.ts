/**
 * A late state put in its place. Pure.
 *
 * Why: refusing every state older than the last applied one (ADR 0008) keeps
 * a late notification from re-opening what was resolved, but it also loses
 * what only that state shows: a health incident that began and ended between
 * two notifications that did arrive, a sync whose history entry was not yet
 * written. So the states an app's notifications carried are logged with the
 * mapping's memory after each (store/applicationStateLog.ts); a late state is
 * mapped from the memory of the state just before it by the Application's
 * clock, and every logged state after it is mapped again from there. Ids are
 * derived from facts, so what was already emitted comes back as duplicates
 * and only the events the late state implies are new.
 */
import type { CDEvent } from '../../cdevents';
import type { AppMemory } from './appMemory';
import type { Application } from './application';
import { compareStatesForOrder } from './applicationClock';
import type { MapResult } from './mapApplicationState';

export interface StateLogEntry {
  key: string;
  snapshot: Application;
  /** The mapping's memory after this state. */
  memory: AppMemory;
  /** Arrival order: the tie-break when the clock cannot tell two states apart. */
  seq: number;
  /** True when nothing came before this state: its memory was mapped from none. */
  startedEmpty: boolean;
}

export interface Placement {
  events: CDEvent[];
  /** The late state and the logged states after it, with the memory each now has. */
  remapped: Array<Omit<StateLogEntry, 'seq'>>;
  /** The memory after the newest state: the app's memory from now on. */
  memory: AppMemory;
}

/** Maps one state from the memory before it; the caller supplies the cause each state's sync had. */
export type MapStateFn = (memory: AppMemory | undefined, app: Application, key: string) => MapResult;

/** The log in the Application's clock order, arrival order among states the clock cannot tell apart. */
export function orderStateLog<T extends { snapshot: Application; seq: number }>(log: readonly T[]): T[] {
  return [...log].sort((a, b) => compareStatesForOrder(a.snapshot, b.snapshot) || a.seq - b.seq);
}

/**
 * Where the late state goes, and what mapping it and the states after it yields. Undefined when it
 * cannot be placed: it is older than every logged state and the oldest logged one had a past
 * (the log was trimmed, or began after the app was first seen), so the memory before it is unknown.
 */
export function placeLateState(
  log: readonly StateLogEntry[],
  late: { key: string; app: Application },
  mapState: MapStateFn,
): Placement | undefined {
  const ordered = orderStateLog(log);
  const position = ordered.findIndex((entry) => compareStatesForOrder(late.app, entry.snapshot) < 0);
  if (position === -1) return undefined; // not older than any logged state: the caller's normal path
  const before = position > 0 ? ordered[position - 1] : undefined;
  if (!before && !ordered[0]!.startedEmpty) return undefined;
  const events: CDEvent[] = [];
  const remapped: Placement['remapped'] = [];
  let memory: AppMemory | undefined = before?.memory;
  for (const [index, state] of [{ key: late.key, snapshot: late.app }, ...ordered.slice(position)].entries()) {
    const mapped = mapState(memory, state.snapshot, state.key);
    events.push(...mapped.events);
    remapped.push({
      key: state.key,
      snapshot: state.snapshot,
      memory: mapped.memory,
      startedEmpty: index === 0 && !before,
    });
    memory = mapped.memory;
  }
  return { events, remapped, memory: memory! };
}
