import type { EventRecord } from '../../backend/api/contract';
import { eventTime } from '../format/describeEventType';
import { formatDay } from '../format/formatTime';
import { isDeployment } from './classifyEvent';

export type TimelineRow =
  | { kind: 'day'; key: string; day: string }
  | {
      kind: 'event';
      key: string;
      event: EventRecord;
      /** 1 for an event folded under a deployment and shown because it is expanded. */
      depth: 0 | 1;
      /**
       * For deployments: how many older events (back to the previous deployment) fold under it: the
       * store's count when it sent one, else those loaded (the count may exceed the rows loaded so far).
       */
      folded: number;
      /** The store stopped counting at its limit: at least `folded` events fold under it. */
      foldedAtLeast: boolean;
      expanded: boolean;
    };

/**
 * Lays the events (newest first) out as rows: a header per day, each deployment as an anchor
 * with the events since the previous deployment folded under it (what went into it), and
 * the events newer than the latest deployment left open at the top. The latest deployment
 * starts open (it is what the user came to see), the older ones closed; `toggled` holds the
 * anchors the user flipped; `storeFolds` the store's fold counts by anchor key
 * (EventListResponse.folds). Pure, so the virtual list can ask for any row by index.
 */
export function buildTimelineRows(
  events: readonly EventRecord[],
  toggled: ReadonlySet<string>,
  foldByDeployment = true,
  storeFolds: Readonly<Record<string, number>> = {},
  /** EventListResponse.foldLimit: a store count equal to it means at least that many. */
  foldLimit: number | null = null,
): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let lastDay: string | undefined;
  const pushDay = (event: EventRecord) => {
    const day = formatDay(eventTime(event));
    if (day !== lastDay) {
      rows.push({ kind: 'day', key: `day:${day}:${rows.length}`, day });
      lastDay = day;
    }
  };

  let index = 0;
  // Events before the first (newest) deployment stay unfolded.
  while (index < events.length && !(foldByDeployment && isDeployment(events[index]))) {
    pushDay(events[index]);
    rows.push({
      kind: 'event',
      key: events[index].key,
      event: events[index],
      depth: 0,
      folded: 0,
      foldedAtLeast: false,
      expanded: false,
    });
    index += 1;
  }
  let latest = true;
  while (index < events.length) {
    const anchor = events[index];
    let end = index + 1;
    while (end < events.length && !isDeployment(events[end])) end += 1;
    const children = events.slice(index + 1, end);
    const open = latest !== toggled.has(anchor.key);
    latest = false;
    pushDay(anchor);
    rows.push({
      kind: 'event',
      key: anchor.key,
      event: anchor,
      depth: 0,
      // A page may end inside the fold: the store counted all of it.
      folded: Math.max(children.length, storeFolds[anchor.key] ?? 0),
      foldedAtLeast: foldLimit !== null && (storeFolds[anchor.key] ?? 0) >= foldLimit && children.length < foldLimit,
      expanded: open,
    });
    if (open) {
      for (const child of children)
        rows.push({
          kind: 'event',
          key: child.key,
          event: child,
          depth: 1,
          folded: 0,
          foldedAtLeast: false,
          expanded: false,
        });
    }
    index = end;
  }
  return rows;
}
