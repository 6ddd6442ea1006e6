import * as React from 'react';
import type { AppViewProps } from '../argo';
import { CDEventsView } from './CDEventsView';
import { ErrorBoundary } from './ErrorBoundary';

/** The full-width "CDEvents" view next to Argo CD's tree, pods, network and list views. */
export function CDEventsAppView({ application }: AppViewProps) {
  return (
    <ErrorBoundary>
      <CDEventsView application={application} layout="page" />
    </ErrorBoundary>
  );
}
