import { render, renderHook } from '@testing-library/react';
import * as React from 'react';
import { ApiContext, type CDEventsApi } from '../../src/ui/api';

/** Renders UI with the given API in context, as Argo CD would with the HTTP client. */
export function renderWithApi(api: CDEventsApi, ui: React.ReactElement) {
  return render(<ApiContext.Provider value={api}>{ui}</ApiContext.Provider>);
}

/** renderHook with the given API in context. */
export function renderHookWithApi<Props, Result>(
  api: CDEventsApi,
  hook: (props: Props) => Result,
  initialProps: Props,
) {
  const wrapper = ({ children }: { children: React.ReactNode }) => (
    <ApiContext.Provider value={api}>{children}</ApiContext.Provider>
  );
  return renderHook(hook, { wrapper, initialProps });
}
