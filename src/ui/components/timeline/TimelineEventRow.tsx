import * as React from 'react';
import type { EventRecord } from '../../../backend/api/contract';
import { describeActor } from '../../format/describeActor';
import { describeEventType, eventTime } from '../../format/describeEventType';
import { classifyOutcome, iconForSubject, isDeployment } from '../../timeline/classifyEvent';
import { summariseAttribution } from '../../timeline/summariseAttribution';
import { RelativeTime } from '../RelativeTime';
import { VerdictBadge } from './VerdictBadge';

interface TimelineEventRowProps {
  event: EventRecord;
  index: number;
  now: number;
  depth: 0 | 1;
  /** For deployments: events folded under it. */
  folded: number;
  /** At least `folded`: the store stopped counting there. */
  foldedAtLeast?: boolean;
  expanded: boolean;
  selected: boolean;
  onOpen: (key: string) => void;
  onToggleFold: (key: string) => void;
  onMove: (fromIndex: number, step: 1 | -1) => void;
}

/** One event: a focusable button (Enter or a click opens it), arrows move between rows. */
function EventRow(props: TimelineEventRowProps) {
  const { event, index, now, depth, folded, foldedAtLeast, expanded, selected, onOpen, onToggleFold, onMove } = props;
  // The backend found our event of the same sync in the store (chains/findSameMoment.ts).
  const sameMomentAs = event.sameMomentAs;
  const label = describeEventType(event);
  const outcome = classifyOutcome(event);
  const anchor = depth === 0 && isDeployment(event);
  // The first reason in a few words; every reason in full on hover and in the drawer.
  const attribution = event.direction === 'received' ? event.attributions[0] : undefined;
  const reason = attribution ? summariseAttribution(attribution) : undefined;
  const reasonsInFull = event.attributions.map((item) => item.detail).join('\n');
  const actor = describeActor(event);
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      onMove(index, e.key === 'ArrowDown' ? 1 : -1);
    }
  };
  const className = [
    'cdevents-event',
    `cdevents-event--${event.direction}`,
    `cdevents-event--${outcome}`,
    depth === 1 ? 'cdevents-event--folded' : '',
    anchor ? 'cdevents-event--anchor' : '',
    selected ? 'cdevents-event--selected' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={className}>
      <button
        type="button"
        className="cdevents-event__main"
        data-row-index={index}
        aria-current={selected ? 'true' : undefined}
        aria-label={`${event.direction} ${label}, ${event.subjectId ?? 'no subject id'}, from ${event.source}${actor ? `, ${actor}` : ''}, ${event.verdict}`}
        onClick={() => onOpen(event.key)}
        onKeyDown={onKeyDown}
      >
        <span className={`cdevents-event__icon cdevents-outcome--${outcome}`} aria-hidden="true">
          <i className={`fa ${iconForSubject(event.subject)}`} />
        </span>
        <span className="cdevents-event__line">
          <span className={`cdevents-direction cdevents-direction--${event.direction}`}>
            {event.direction === 'emitted' ? 'emitted' : 'received'}
          </span>
          <span className="cdevents-event__type" title={event.type ?? undefined}>
            {label}
          </span>
          <VerdictBadge event={event} />
          {event.reconstructed && <span className="cdevents-badge cdevents-badge--history">from history</span>}
          <span className="cdevents-event__time">
            <RelativeTime iso={eventTime(event)} now={now} />
          </span>
        </span>
        <span className="cdevents-event__line cdevents-event__line--meta">
          <span className="cdevents-event__subject">{event.subjectId ?? '—'}</span>
          <span className="cdevents-event__source">{event.source}</span>
          {actor && <span className="cdevents-event__actor">{actor}</span>}
        </span>
        {reason && (
          <span className="cdevents-event__reason" title={reasonsInFull}>
            Why here: {reason}
            {event.attributions.length > 1 ? ` (+${event.attributions.length - 1} more)` : ''}
          </span>
        )}
        {sameMomentAs && (
          <span className="cdevents-event__same">
            Same moment as our {describeEventType(sameMomentAs)} (the same sync, reported by {event.source})
          </span>
        )}
      </button>
      {folded > 0 && (
        <button
          type="button"
          className="cdevents-event__fold"
          aria-expanded={expanded}
          onClick={() => onToggleFold(event.key)}
        >
          <i className={`fa ${expanded ? 'fa-chevron-down' : 'fa-chevron-right'}`} aria-hidden="true" />{' '}
          {expanded ? 'Hide' : 'Show'} {folded.toLocaleString('en')}
          {foldedAtLeast ? '+' : ''} earlier event{folded === 1 && !foldedAtLeast ? '' : 's'} since the previous
          deployment
        </button>
      )}
    </div>
  );
}

/**
 * Renders again only when a prop changed: the virtual list re-renders on every scroll frame, and
 * between two frames no row's props change. A class with shouldComponentUpdate rather than
 * React.memo, so that loading the bundle calls nothing on the host's React (ADR 0002).
 */
export class TimelineEventRow extends React.Component<TimelineEventRowProps> {
  override shouldComponentUpdate(next: TimelineEventRowProps): boolean {
    const current = this.props as unknown as Record<string, unknown>;
    const incoming = next as unknown as Record<string, unknown>;
    const keys = new Set([...Object.keys(current), ...Object.keys(incoming)]);
    for (const key of keys) if (current[key] !== incoming[key]) return true;
    return false;
  }

  override render() {
    return <EventRow {...this.props} />;
  }
}
