import * as React from 'react';
import { parseViewState, type ViewState, writeViewState } from './viewState';

/**
 * The view state, read from the URL once and written back with history.replaceState on every
 * change: a copied link reproduces the view, and filtering does not pile up Back-button
 * entries. history.state is passed through untouched because Argo CD's router keeps its key there.
 */
export function useViewState(): [ViewState, (change: Partial<ViewState>) => void] {
  const [state, setState] = React.useState<ViewState>(() => parseViewState(window.location.search));
  const update = React.useCallback((change: Partial<ViewState>) => {
    setState((previous) => ({ ...previous, ...change }));
  }, []);
  React.useEffect(() => {
    const search = writeViewState(window.location.search, state);
    if (search === window.location.search) return;
    const { pathname, hash } = window.location;
    window.history.replaceState(window.history.state, '', `${pathname}${search}${hash}`);
  }, [state]);
  return [state, update];
}
