import type { AppSummaryResponse } from '../../../backend/api/contract';
import { fetchAppJson, type FetchAppJsonOptions } from '../../api/fetchAppJson';
import type { ApiResult, AppKey } from '../../api/types';

export interface FetchAppSummaryOptions extends FetchAppJsonOptions {
  /** `30d`, `12h`; the backend's default (30d) when undefined. */
  window?: string;
}

/** The app's summary strip figures, through Argo CD's proxy with the app's headers. */
export function fetchAppSummary(
  app: AppKey,
  options: FetchAppSummaryOptions = {},
): Promise<ApiResult<AppSummaryResponse>> {
  return fetchAppJson(app, 'summary', { window: options.window }, options);
}
