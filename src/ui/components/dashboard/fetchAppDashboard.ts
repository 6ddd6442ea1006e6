import type { AppDashboardResponse } from '../../../backend/api/contract';
import { fetchAppJson, type FetchAppJsonOptions } from '../../api/fetchAppJson';
import type { ApiResult, AppKey } from '../../api/types';

/**
 * One app's dashboard data, through Argo CD's proxy with that app's headers, so
 * Argo CD checks that this user may `get` this app before the backend answers.
 */
export function fetchAppDashboard(
  app: AppKey,
  options: { hours?: number } & FetchAppJsonOptions = {},
): Promise<ApiResult<AppDashboardResponse>> {
  return fetchAppJson(app, 'dashboard', { hours: options.hours }, options);
}
