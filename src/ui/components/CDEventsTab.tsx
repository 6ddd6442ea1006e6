import * as React from 'react';
import type { ResourceTabProps } from '../argo';
import { CDEventsView } from './CDEventsView';
import { ErrorBoundary } from './ErrorBoundary';

/** The "CDEvents" tab in an Application's details panel. For kind Application the resource is the app. */
export function CDEventsTab({ application, resource }: ResourceTabProps) {
  return (
    <ErrorBoundary>
      <CDEventsView application={application ?? resource} layout="tab" />
    </ErrorBoundary>
  );
}
