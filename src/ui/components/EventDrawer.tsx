import * as React from 'react';
import type { EventRecord } from '../../backend/api/contract';
import { describeEventType } from '../format/describeEventType';
import { RawJson } from './RawJson';

interface EventDrawerProps {
  event: EventRecord;
  onClose: () => void;
}

/** The selected event's details beside the list. Escape closes it. */
export function EventDrawer({ event, onClose }: EventDrawerProps) {
  const closeRef = React.useRef<HTMLButtonElement>(null);
  React.useEffect(() => {
    closeRef.current?.focus();
  }, [event.key]);
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    }
  };
  const title = describeEventType(event);
  return (
    <aside className="cdevents-drawer" role="dialog" aria-label={`Event ${title}`} onKeyDown={onKeyDown}>
      <header className="cdevents-drawer__header">
        <h3 className="cdevents-drawer__title">{title}</h3>
        <button ref={closeRef} type="button" className="cdevents-button" aria-label="Close details" onClick={onClose}>
          Close
        </button>
      </header>
      <RawJson value={event.payload} />
    </aside>
  );
}
