import * as React from 'react';
import { describeApiError } from '../api/describeApiError';
import type { AppKey } from '../api/types';
import { useAppEvents, type UseAppEventsOptions } from '../hooks/useAppEvents';
import { useNow } from '../hooks/useNow';
import { buildTimelineRows } from '../timeline/buildTimelineRows';
import { hasFilters, isTimeRangeInverted, toEventListQuery, VIEW_KEYS, type ViewState } from '../viewState/viewState';
import { ChainPanel } from './chain/ChainPanel';
import { EventDrawer } from './drawer/EventDrawer';
import { FilterBar } from './filters/FilterBar';
import { SummaryStrip } from './summary/SummaryStrip';
import { Timeline } from './timeline/Timeline';

/** The instance name a backend uses when none is configured: a single-instance install, nothing to tell apart. */
const DEFAULT_INSTANCE = 'default';

interface EventsPanelProps {
  app: AppKey;
  /** The tab's view state (useViewState in CDEventsView) and its update. */
  view: ViewState;
  onViewChange: (change: Partial<ViewState>) => void;
  /** Passed to useAppEvents (page size, poll interval). */
  options?: UseAppEventsOptions;
}

/** Where the chain view for an event will be: this page with our keys naming the event. */
function buildChainHref(eventKey: string): string {
  const params = new URLSearchParams(window.location.search);
  params.set(VIEW_KEYS.event, eventKey);
  params.set('cde_chain', '1');
  return `${window.location.pathname}?${params.toString()}`;
}

/** The app's events as a timeline with filters and a detail drawer; loading, empty and error states. */
export function EventsPanel({ app, view, onViewChange: updateView, options }: EventsPanelProps) {
  const query = React.useMemo(() => toEventListQuery(view), [view]);
  const {
    data,
    error,
    loading,
    hasOlder,
    loadingOlder,
    olderFailed,
    loadOlder,
    folds,
    arrivedCount,
    instance,
    retentionDays,
    foldLimit,
  } = useAppEvents(app, query, options);
  const [toggled, setToggled] = React.useState<ReadonlySet<string>>(() => new Set());
  const now = useNow();
  // The strip waits for the timeline's first answer: the timeline is what the tab is opened for.
  const summaryOptions = React.useMemo(() => ({ refreshKey: arrivedCount, defer: loading }), [arrivedCount, loading]);
  const rows = React.useMemo(
    () => (data ? buildTimelineRows(data, toggled, true, folds, foldLimit) : []),
    [data, toggled, folds, foldLimit],
  );

  // Closing the drawer puts focus back on the row that opened it, for keyboard users.
  const returnFocus = React.useRef<HTMLElement | null>(null);
  const onOpen = React.useCallback(
    (key: string) => {
      returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      updateView({ event: key });
    },
    [updateView],
  );
  const onClose = React.useCallback(() => {
    updateView({ event: undefined });
    returnFocus.current?.focus();
  }, [updateView]);
  const onToggleFold = React.useCallback((key: string) => {
    setToggled((previous) => {
      const next = new Set(previous);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);

  // Where history ends, so an old app's short list does not look like lost events.
  const horizon =
    retentionDays !== null && retentionDays > 0 ? (
      <p className="cdevents-timeline__horizon" role="note">
        Events older than {retentionDays} {retentionDays === 1 ? 'day is' : 'days are'} not kept.
      </p>
    ) : null;

  let content: React.ReactNode;
  if (loading && data === null) {
    content = (
      <div className="cdevents-state" role="status">
        Loading CDEvents…
      </div>
    );
  } else if (data === null) {
    content = (
      <div className="cdevents-state cdevents-state--error" role="alert">
        {error ? describeApiError(error) : 'No events could be loaded.'}
      </div>
    );
  } else if (data.length === 0) {
    content = (
      <div className="cdevents-state" role="status">
        {isTimeRangeInverted(view)
          ? 'No events match: From is after To. Swap them or clear one.'
          : hasFilters(view)
            ? 'No events match these filters.'
            : 'No CDEvents for this application yet.'}
        {horizon}
      </div>
    );
  } else {
    content = (
      <Timeline
        rows={rows}
        now={now}
        selectedKey={view.event}
        arrivedCount={arrivedCount}
        onOpen={onOpen}
        onToggleFold={onToggleFold}
        // Older pages load as the user scrolls; after a failure, only when asked (no retry loop).
        onNearEnd={hasOlder && !loadingOlder && !olderFailed ? loadOlder : undefined}
        footer={
          olderFailed ? (
            <div className="cdevents-timeline__more">
              Older events could not be loaded.{' '}
              <button type="button" className="argo-button argo-button--base" onClick={loadOlder}>
                Try again
              </button>
            </div>
          ) : hasOlder ? (
            <div className="cdevents-timeline__more" role="status">
              {loadingOlder ? 'Loading older events…' : ''}
            </div>
          ) : (
            horizon
          )
        }
      />
    );
  }

  return (
    <div className="cdevents-panel">
      {instance && instance !== DEFAULT_INSTANCE && (
        // Several Argo CD instances share one event stream: say which one this tab is about.
        <div className="cdevents-instance" data-testid="cdevents-instance">
          Argo CD instance <strong>{instance}</strong>
        </div>
      )}
      {/* Issue 7: the app's figures above the timeline, asked again whenever live events arrive. */}
      <SummaryStrip app={app} options={summaryOptions} />
      <FilterBar view={view} onChange={updateView} />
      {data !== null && error && (
        <div className="cdevents-banner cdevents-banner--error" role="alert">
          {describeApiError(error)}
        </div>
      )}
      {/* The drawer is a column beside the chain and the timeline, not above or over them: opening
          the chain must not push it below the fold, and it must not hide the chain's nodes. */}
      <div className={`cdevents-panel__workspace${view.event ? ' cdevents-panel__workspace--drawer' : ''}`}>
        <div className="cdevents-panel__main">
          {view.event && view.chain && (
            <ChainPanel
              app={app}
              eventKey={view.event}
              onOpenEvent={(key) => updateView({ event: key })}
              onClose={() => updateView({ chain: undefined })}
            />
          )}
          <div className="cdevents-panel__body">{content}</div>
        </div>
        {view.event && (
          <EventDrawer
            app={app}
            eventKey={view.event}
            event={data?.find((event) => event.key === view.event)}
            chainHref={buildChainHref(view.event)}
            onShowChain={() => updateView({ chain: true })}
            onClose={onClose}
          />
        )}
      </div>
    </div>
  );
}
