import * as React from 'react';
import type { AppDashboardResponse } from '../../../backend/api/contract';
import type { ApiError, AppKey } from '../../api/types';
import { fetchAppDashboard } from './fetchAppDashboard';
import { listVisibleApplications } from './listVisibleApplications';

export interface UseDashboardOptions {
  /** The window of recent deployments and incidents, in hours. Default 24. */
  hours?: number;
  /** Requests in flight at once, one per app. Default 6 (what a browser opens per host). */
  concurrency?: number;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

export type DashboardState =
  | { status: 'loading' }
  /** Argo CD's app list could not be read: nothing can be shown honestly. */
  | { status: 'failed'; error: ApiError }
  | {
      status: 'ready';
      /** How many apps Argo CD says the user may see. */
      appCount: number;
      parts: Array<{ app: AppKey; data: AppDashboardResponse }>;
      /** Apps whose part failed, with why: shown, never dropped silently. */
      failures: Array<{ app: AppKey; error: ApiError }>;
    };

/**
 * The apps the user may see (asked of Argo CD) and each one's dashboard part
 * (asked of the backend through Argo CD's proxy, one request per app).
 */
export function useDashboard(options: UseDashboardOptions = {}): DashboardState {
  const { hours = 24, concurrency = 6 } = options;
  const fetchRef = React.useRef(options.fetch);
  fetchRef.current = options.fetch;
  const [state, setState] = React.useState<DashboardState>({ status: 'loading' });
  React.useEffect(() => {
    const controller = new AbortController();
    const doFetch = fetchRef.current;
    (async () => {
      const listed = await listVisibleApplications({ fetch: doFetch, signal: controller.signal });
      if (controller.signal.aborted) return;
      if (!listed.ok) return setState({ status: 'failed', error: listed.error });
      const apps = listed.value;
      const parts: Array<{ app: AppKey; data: AppDashboardResponse }> = [];
      const failures: Array<{ app: AppKey; error: ApiError }> = [];
      let next = 0;
      const worker = async () => {
        while (next < apps.length && !controller.signal.aborted) {
          const app = apps[next++]!;
          const result = await fetchAppDashboard(app, { hours, fetch: doFetch, signal: controller.signal });
          if (result.ok) parts.push({ app, data: result.value });
          else failures.push({ app, error: result.error });
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, apps.length) }, worker));
      if (!controller.signal.aborted) setState({ status: 'ready', appCount: apps.length, parts, failures });
    })();
    return () => controller.abort();
  }, [hours, concurrency]);
  return state;
}
