import * as React from 'react';
import type { EventRecord } from '../../backend/api/contract';
import { describeEventType, eventTime } from '../format/describeEventType';
import { RelativeTime } from './RelativeTime';

interface EventRowProps {
  event: EventRecord;
  now: number;
  selected: boolean;
  onOpen: (event: EventRecord) => void;
}

/** One event in the list: a button, so it is focusable and Enter or a click opens it. */
export function EventRow({ event, now, selected, onOpen }: EventRowProps) {
  const label = describeEventType(event);
  return (
    <button
      type="button"
      className={`cdevents-row cdevents-row--${event.direction}${selected ? ' cdevents-row--selected' : ''}`}
      aria-pressed={selected}
      aria-label={`${label}, ${event.subjectId ?? 'no subject id'}, from ${event.source}`}
      onClick={() => onOpen(event)}
    >
      <span className="cdevents-row__time">
        <RelativeTime iso={eventTime(event)} now={now} />
      </span>
      <span className="cdevents-row__type" title={event.type ?? undefined}>
        {label}
      </span>
      <span className="cdevents-row__subject">{event.subjectId ?? '—'}</span>
      <span className="cdevents-row__source">{event.source}</span>
    </button>
  );
}
