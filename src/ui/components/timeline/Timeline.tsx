import { useVirtualizer } from '@tanstack/react-virtual';
import * as React from 'react';
import type { TimelineRow } from '../../timeline/buildTimelineRows';
import { useFillScrollBox } from '../../hooks/useFillScrollBox';
import { NewEventsPill } from './NewEventsPill';
import { TimelineEventRow } from './TimelineEventRow';
import './Timeline.css';

interface TimelineProps {
  rows: TimelineRow[];
  now: number;
  selectedKey: string | undefined;
  /** Events that arrived live since the first page; the pill counts those the user has not seen. */
  arrivedCount: number;
  onOpen: (key: string) => void;
  onToggleFold: (key: string) => void;
  /**
   * Asked for when the rows in view come within LOAD_AHEAD_ROWS of the last one: the timeline loads
   * older events as the user scrolls. Undefined while a page is on its way or none is left.
   */
  onNearEnd?: () => void;
  /** Rendered after the last row, inside the scroll area (loading older events, where history ends). */
  footer?: React.ReactNode;
}

/** How many rows ahead of the last one the next page is asked for, so scrolling rarely reaches the end. */
const LOAD_AHEAD_ROWS = 40;

/** Scrolled further than this, the user is reading older events: new ones must not push them away. */
const AT_TOP_PX = 40;

/**
 * The timeline as a virtual list: only the rows in view (plus a few) are in the DOM, so 10,000
 * events scroll as smoothly as 100. Row heights are measured as they render.
 */
export function Timeline({
  rows,
  now,
  selectedKey,
  arrivedCount,
  onOpen,
  onToggleFold,
  onNearEnd,
  footer,
}: TimelineProps) {
  const scrollRef = React.useRef<HTMLDivElement>(null);
  const fittedHeight = useFillScrollBox(scrollRef, { within: '.cdevents-root--page', minHeight: 400, fit: 'rest' });
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (rows[index]?.kind === 'day' ? 30 : 62),
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 8,
  });

  const [atTop, setAtTop] = React.useState(true);
  const [seenCount, setSeenCount] = React.useState(arrivedCount);
  React.useEffect(() => {
    if (atTop) setSeenCount(arrivedCount);
  }, [atTop, arrivedCount]);

  // The first row in view and how far above the viewport's top it starts; kept across prepends.
  const anchor = React.useRef<{ key: string; offset: number } | null>(null);
  const onScroll = () => {
    const element = scrollRef.current;
    if (!element) return;
    setAtTop(element.scrollTop < AT_TOP_PX);
    const first = virtualizer.getVirtualItems().find((item) => item.end > element.scrollTop);
    anchor.current = first ? { key: String(first.key), offset: first.start - element.scrollTop } : null;
  };

  const firstKey = rows[0]?.key;
  const previousFirstKey = React.useRef(firstKey);
  React.useLayoutEffect(() => {
    const element = scrollRef.current;
    const kept = anchor.current;
    const prepended = previousFirstKey.current !== undefined && previousFirstKey.current !== firstKey;
    previousFirstKey.current = firstKey;
    if (!prepended || !element || !kept || element.scrollTop < AT_TOP_PX) return;
    const index = rows.findIndex((row) => row.key === kept.key);
    const offset = index >= 0 ? virtualizer.getOffsetForIndex(index, 'start') : undefined;
    if (offset) element.scrollTop = offset[0] - kept.offset;
  }, [firstKey, rows, virtualizer]);

  const focusRow = React.useCallback((index: number, attempt = 0) => {
    const target = scrollRef.current?.querySelector<HTMLElement>(`[data-row-index="${index}"]`);
    if (target) target.focus();
    else if (attempt < 5) requestAnimationFrame(() => focusRow(index, attempt + 1));
  }, []);

  const onMove = React.useCallback(
    (fromIndex: number, step: 1 | -1) => {
      let next = fromIndex + step;
      while (next >= 0 && next < rows.length && rows[next].kind !== 'event') next += step;
      if (next < 0 || next >= rows.length) return;
      virtualizer.scrollToIndex(next, { align: 'auto' });
      focusRow(next);
    },
    [rows, virtualizer, focusRow],
  );

  const scrollToTop = () => {
    scrollRef.current?.scrollTo({ top: 0 });
    setAtTop(true);
  };

  // Asked again whenever the rows in view move, the list grows, or a page finished (onNearEnd comes
  // back): a page that added no row (all of it folded under a closed deployment) asks for the next.
  const virtualItems = virtualizer.getVirtualItems();
  const lastInView = virtualItems.length > 0 ? virtualItems[virtualItems.length - 1]!.index : -1;
  React.useEffect(() => {
    if (onNearEnd && lastInView >= rows.length - 1 - LOAD_AHEAD_ROWS) onNearEnd();
  }, [onNearEnd, lastInView, rows.length]);

  const unseen = atTop ? 0 : arrivedCount - seenCount;
  return (
    <div className="cdevents-timeline-frame">
      {unseen > 0 && <NewEventsPill count={unseen} onClick={scrollToTop} />}
      <div
        ref={scrollRef}
        className="cdevents-timeline"
        style={fittedHeight === undefined ? undefined : { height: fittedHeight }}
        onScroll={onScroll}
      >
        <div
          role="list"
          aria-label="CDEvents, newest first"
          className="cdevents-timeline__canvas"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {virtualItems.map((item) => {
            const row = rows[item.index];
            return (
              <div
                key={item.key}
                role="listitem"
                data-index={item.index}
                ref={virtualizer.measureElement}
                className="cdevents-timeline__row"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {row.kind === 'day' ? (
                  <h4 className="cdevents-day">{row.day}</h4>
                ) : (
                  <TimelineEventRow
                    event={row.event}
                    index={item.index}
                    now={now}
                    depth={row.depth}
                    folded={row.folded}
                    foldedAtLeast={row.foldedAtLeast}
                    expanded={row.expanded}
                    selected={row.key === selectedKey}
                    onOpen={onOpen}
                    onToggleFold={onToggleFold}
                    onMove={onMove}
                  />
                )}
              </div>
            );
          })}
        </div>
        {footer}
      </div>
    </div>
  );
}
