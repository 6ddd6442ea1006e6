import * as React from 'react';
import type { AppSummaryResponse } from '../../../backend/api/contract';
import type { ApiError, AppKey } from '../../api/types';
import { fetchAppSummary } from './fetchAppSummary';

export interface UseAppSummaryOptions {
  /** `30d` (the default), `12h`. */
  window?: string;
  /** Asks again when this changes: the timeline passes how many live events arrived. */
  refreshKey?: string | number;
  /** Its own, slower poll for figures that change without new events (a window that moves). Default 60 000 ms; 0 turns it off. */
  pollIntervalMs?: number;
  /** While true, the first request waits: the tab asks for its timeline first. Ignored once a request went out. */
  defer?: boolean;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface AppSummaryState {
  /** The last answer; kept while a refresh is on its way or after it failed. */
  data: AppSummaryResponse | null;
  /** The last failure, cleared by the next success. */
  error: ApiError | null;
  loading: boolean;
}

/** The app's summary strip figures, refreshed with the timeline's live updates and on a slow poll of its own. */
export function useAppSummary(app: AppKey, options: UseAppSummaryOptions = {}): AppSummaryState {
  const { window: summaryWindow = '30d', refreshKey, pollIntervalMs = 60_000, defer = false } = options;
  const fetchRef = React.useRef(options.fetch);
  fetchRef.current = options.fetch;
  const [state, setState] = React.useState<AppSummaryState>({ data: null, error: null, loading: true });
  const [tick, setTick] = React.useState(0);
  const started = React.useRef(false);
  const waiting = defer && !started.current;

  // A new app or window starts from nothing: the old app's figures must not show under the new one.
  React.useEffect(() => {
    setState({ data: null, error: null, loading: true });
  }, [app.namespace, app.name, app.project, summaryWindow]);

  React.useEffect(() => {
    if (waiting) return;
    started.current = true;
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    void fetchAppSummary(
      { namespace: app.namespace, name: app.name, project: app.project },
      { window: summaryWindow, fetch: fetchRef.current, signal: controller.signal },
    ).then((result) => {
      if (controller.signal.aborted) return;
      setState((previous) =>
        result.ok
          ? { data: result.value, error: null, loading: false }
          : { data: previous.data, error: result.error, loading: false },
      );
    });
    return () => controller.abort();
  }, [app.namespace, app.name, app.project, summaryWindow, refreshKey, tick, waiting]);

  React.useEffect(() => {
    if (pollIntervalMs <= 0) return;
    const timer = setInterval(() => {
      if (typeof document === 'undefined' || !document.hidden) setTick((value) => value + 1);
    }, pollIntervalMs);
    return () => clearInterval(timer);
  }, [pollIntervalMs]);

  return state;
}
