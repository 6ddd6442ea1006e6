import * as React from 'react';
import type { ArgoApplication } from '../argo';
import { toAppKey } from '../format/toAppKey';
import { useViewState } from '../viewState/useViewState';
import { EventsPanel } from './EventsPanel';
import { SectionTabs } from './SectionTabs';
import { TriggersPanel } from './triggers';
import './CDEventsView.css';

interface CDEventsViewProps {
  application: ArgoApplication | undefined;
  /** The app view is full width; the resource tab sits in Argo CD's sliding panel. */
  layout: 'tab' | 'page';
}

/** The tab's content for one Application. Callers wrap it in our ErrorBoundary. */
export function CDEventsView({ application, layout }: CDEventsViewProps) {
  const key = toAppKey(application);
  const namespace = key?.namespace;
  const name = key?.name;
  const project = key?.project;
  // A new object only when the identity changes: Argo CD passes a fresh Application on every watch event.
  const app = React.useMemo(
    () => (namespace && name && project ? { namespace, name, project } : undefined),
    [namespace, name, project],
  );
  // One view state for the whole tab, so switching sections keeps the filters in the URL as they are.
  const [view, updateView] = useViewState();
  return (
    <div className={`cdevents-root cdevents-root--${layout}`}>
      {app ? (
        <>
          <SectionTabs selected={view.section} onSelect={(section) => updateView({ section })} />
          <div
            className="cdevents-section"
            id="cdevents-section-panel"
            role="tabpanel"
            aria-labelledby={`cdevents-section-${view.section}`}
          >
            {/* Triggers (issue 8) are a view of their own beside the events, not a fold under the timeline. */}
            {view.section === 'triggers' ? (
              <TriggersPanel app={app} />
            ) : (
              <EventsPanel app={app} view={view} onViewChange={updateView} />
            )}
          </div>
        </>
      ) : (
        <div className="cdevents-state cdevents-state--error" role="alert">
          This Application has no namespace, name or project, so its CDEvents cannot be requested.
        </div>
      )}
    </div>
  );
}
