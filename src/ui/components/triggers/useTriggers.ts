import * as React from 'react';
import type { AuditListResponse, FiringListResponse, TriggerListResponse } from '../../../backend/api/triggerContract';
import { describeApiError, type AppKey } from '../../api';
import { TriggersApiContext } from './TriggersApiContext';

export type TriggersState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | {
      status: 'ready';
      list: TriggerListResponse;
      firings: FiringListResponse['items'];
      audit: AuditListResponse['items'];
    };

/**
 * The app's triggers, firings and audit trail. `reload` reads all three again;
 * while a trigger is enabled the firings are re-read every `pollMs` (default 3000)
 * so a firing shows up without a click.
 */
export function useTriggers(app: AppKey, pollMs = 3000): { state: TriggersState; reload: () => void } {
  const api = React.useContext(TriggersApiContext);
  const [state, setState] = React.useState<TriggersState>({ status: 'loading' });
  const [generation, setGeneration] = React.useState(0);
  const reload = React.useCallback(() => setGeneration((value) => value + 1), []);

  React.useEffect(() => {
    let cancelled = false;
    Promise.all([api.list(app), api.firings(app), api.audit(app)]).then(([list, firings, audit]) => {
      if (cancelled) return;
      const failed = [list, firings, audit].find((result) => !result.ok);
      if (failed && !failed.ok) return setState({ status: 'error', message: describeApiError(failed.error) });
      if (list.ok && firings.ok && audit.ok) {
        setState({ status: 'ready', list: list.value, firings: firings.value.items, audit: audit.value.items });
      }
    });
    return () => {
      cancelled = true;
    };
  }, [api, app, generation]);

  const hasInbound =
    state.status === 'ready' && state.list.items.some((item) => item.kind === 'inbound' && item.enabled);
  React.useEffect(() => {
    if (!hasInbound || pollMs <= 0) return undefined;
    const timer = setInterval(reload, pollMs);
    return () => clearInterval(timer);
  }, [hasInbound, pollMs, reload]);

  return { state, reload };
}
