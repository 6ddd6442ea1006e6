/**
 * Marks received service events on a page of an app's list with our event of
 * the same sync (chains/findSameMoment.ts), read from the store around their
 * times, so the mark does not depend on what else is on the page.
 */
import type { EventRecord } from '../contract';
import { SAME_MOMENT_WINDOW_MS, canHaveSameMoment, findSameMoment } from '../../chains/findSameMoment';
import type { AppRef, EventStore } from '../../store/types';

/** Our service events in the window around a page's received ones: a page holds at most a few syncs' worth. */
const CANDIDATE_LIMIT = 500;

export async function markSameMoments(store: EventStore, app: AppRef, items: EventRecord[]): Promise<EventRecord[]> {
  const theirs = items.filter(canHaveSameMoment);
  if (theirs.length === 0) return items;
  const times = theirs.map((event) => Date.parse(event.timestamp!));
  const candidates = await store.listAppEvents({
    app,
    limit: CANDIDATE_LIMIT,
    direction: 'emitted',
    subjects: ['service'],
    from: new Date(Math.min(...times) - SAME_MOMENT_WINDOW_MS).toISOString(),
    to: new Date(Math.max(...times) + SAME_MOMENT_WINDOW_MS).toISOString(),
  });
  return items.map((event) => {
    const ours = findSameMoment(event, candidates.items);
    return ours ? { ...event, sameMomentAs: ours } : event;
  });
}
