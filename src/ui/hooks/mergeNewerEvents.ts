import type { EventRecord } from '../../backend/api/contract';

/**
 * Puts freshly polled events in front of the ones already shown, each key once. Returns the
 * same array when nothing is new, so a quiet poll does not re-render the list.
 */
export function mergeNewerEvents(current: readonly EventRecord[], polled: readonly EventRecord[]): EventRecord[] {
  const known = new Set(current.map((event) => event.key));
  const fresh = polled.filter((event) => !known.has(event.key));
  if (fresh.length === 0) return current as EventRecord[];
  return [...fresh, ...current];
}

/** Appends an older page, skipping keys already shown (a page boundary may shift while events arrive). */
export function appendOlderEvents(current: readonly EventRecord[], older: readonly EventRecord[]): EventRecord[] {
  const known = new Set(current.map((event) => event.key));
  return [...current, ...older.filter((event) => !known.has(event.key))];
}
