import * as React from 'react';
import type { EventRecord } from '../../backend/api/contract';
import { describeApiError } from '../api/describeApiError';
import type { AppKey } from '../api/types';
import { useAppEvents } from '../hooks/useAppEvents';
import { EventDrawer } from './EventDrawer';
import { EventRow } from './EventRow';

interface EventsPanelProps {
  app: AppKey;
}

const NO_FILTERS = {};

/** The app's events, newest first, with loading, empty and error states, and a drawer for one event. */
export function EventsPanel({ app }: EventsPanelProps) {
  const { data, error, loading, hasOlder, loadingOlder, loadOlder } = useAppEvents(app, NO_FILTERS);
  const [selected, setSelected] = React.useState<EventRecord | null>(null);
  const now = Date.now();

  if (loading && data === null) {
    return (
      <div className="cdevents-state" role="status">
        Loading CDEvents…
      </div>
    );
  }
  if (data === null) {
    return (
      <div className="cdevents-state cdevents-state--error" role="alert">
        {error ? describeApiError(error) : 'No events could be loaded.'}
      </div>
    );
  }
  return (
    <div className="cdevents-panel">
      {error && (
        <div className="cdevents-banner cdevents-banner--error" role="alert">
          {describeApiError(error)}
        </div>
      )}
      {data.length === 0 ? (
        <div className="cdevents-state" role="status">
          No CDEvents for this application yet.
        </div>
      ) : (
        <div className="cdevents-list" role="list" aria-label="CDEvents, newest first">
          {data.map((event) => (
            <div role="listitem" key={event.key} className="cdevents-list__item">
              <EventRow event={event} now={now} selected={selected?.key === event.key} onOpen={setSelected} />
            </div>
          ))}
          {hasOlder && (
            <button
              type="button"
              className="cdevents-button cdevents-list__more"
              disabled={loadingOlder}
              onClick={loadOlder}
            >
              {loadingOlder ? 'Loading older events…' : 'Load older events'}
            </button>
          )}
        </div>
      )}
      {selected && <EventDrawer event={selected} onClose={() => setSelected(null)} />}
    </div>
  );
}
