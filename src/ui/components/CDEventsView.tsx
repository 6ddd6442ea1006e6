import * as React from 'react';
import type { ArgoApplication } from '../argo';
import { toAppKey } from '../format/toAppKey';
import { EventsPanel } from './EventsPanel';
import { TriggersSection } from './triggers';
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
  return (
    <div className={`cdevents-root cdevents-root--${layout}`}>
      {app ? (
        <>
          <EventsPanel app={app} />
          {/* Triggers (issue 8) sit below the timeline, in their own section. */}
          <TriggersSection app={app} />
        </>
      ) : (
        <div className="cdevents-state cdevents-state--error" role="alert">
          This Application has no namespace, name or project, so its CDEvents cannot be requested.
        </div>
      )}
    </div>
  );
}
