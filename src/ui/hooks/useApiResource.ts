import * as React from 'react';
import { ApiContext } from '../api/ApiContext';
import type { ApiError, ApiResult, CDEventsApi } from '../api/types';

export interface ApiResource<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
}

/**
 * One request, made again whenever `key` changes (null: make none). The loader lives in a
 * ref, so a new closure on every render does not refetch; only the key does.
 */
export function useApiResource<T>(
  key: string | null,
  load: (api: CDEventsApi, signal: AbortSignal) => Promise<ApiResult<T>>,
): ApiResource<T> {
  const api = React.useContext(ApiContext);
  const loadRef = React.useRef(load);
  loadRef.current = load;
  const [state, setState] = React.useState<ApiResource<T>>({ data: null, error: null, loading: key !== null });

  React.useEffect(() => {
    if (key === null) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    const controller = new AbortController();
    setState({ data: null, error: null, loading: true });
    void loadRef.current(api, controller.signal).then((result) => {
      if (controller.signal.aborted) return;
      setState(
        result.ok
          ? { data: result.value, error: null, loading: false }
          : { data: null, error: result.error, loading: false },
      );
    });
    return () => controller.abort();
  }, [api, key]);

  return state;
}
