import type { EventRecord } from '../../backend/api/contract';

function timeOf(event: EventRecord): number {
  const at = Date.parse(event.timestamp ?? event.receivedAt);
  return Number.isNaN(at) ? 0 : at;
}

/**
 * Adds freshly polled events to the ones shown, each key once, keeping newest first by event
 * time: an event that arrives late with an older timestamp lands where its time puts it, as it
 * would after a reload. Returns the same array when nothing is new, so a quiet poll does not
 * re-render the list.
 */
export function mergeNewerEvents(current: readonly EventRecord[], polled: readonly EventRecord[]): EventRecord[] {
  const known = new Set(current.map((event) => event.key));
  const fresh = polled.filter((event) => !known.has(event.key));
  if (fresh.length === 0) return current as EventRecord[];
  // Merge two lists sorted newest first; on equal times the fresh event goes first (higher seq).
  const incoming = [...fresh].sort((a, b) => timeOf(b) - timeOf(a));
  const merged: EventRecord[] = [];
  let i = 0;
  for (const event of current) {
    while (i < incoming.length && timeOf(incoming[i]) >= timeOf(event)) merged.push(incoming[i++]);
    merged.push(event);
  }
  while (i < incoming.length) merged.push(incoming[i++]);
  return merged;
}

/** Appends an older page, skipping keys already shown (a page boundary may shift while events arrive). */
export function appendOlderEvents(current: readonly EventRecord[], older: readonly EventRecord[]): EventRecord[] {
  const known = new Set(current.map((event) => event.key));
  return [...current, ...older.filter((event) => !known.has(event.key))];
}
