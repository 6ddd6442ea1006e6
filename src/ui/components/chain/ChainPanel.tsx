import * as React from 'react';
import type { ChainResponse } from '../../../backend/api/contract';
import { describeApiError } from '../../api/describeApiError';
import type { AppKey } from '../../api/types';
import { useApiResource } from '../../hooks/useApiResource';
import { ChainGraph } from './ChainGraph';
import './ChainView.css';

export interface ChainPanelProps {
  app: AppKey;
  eventKey: string;
  onOpenEvent: (key: string) => void;
  onClose: () => void;
  /** Hops to walk; default 6. */
  depth?: number;
}

/** Retention removed the chain's earliest events (the backend's `horizon`, absent from older backends). */
export function describeHorizonCut(retentionDays: number, missingLinks: number): string {
  const links = missingLinks === 1 ? '1 earlier link is' : `${missingLinks} earlier links are`;
  return `This chain reaches past the ${retentionDays}-day horizon: ${links} not kept.`;
}

/** The causal chain of one event in the tab: loading, error, truncation notice and the graph. */
export function ChainPanel({ app, eventKey, onOpenEvent, onClose, depth = 6 }: ChainPanelProps) {
  const resource = useApiResource<ChainResponse>(
    `${app.namespace}/${app.name}/${eventKey}/chain/${depth}`,
    (api, signal) =>
      api.getChain
        ? api.getChain(app, eventKey, { depth }, { signal })
        : Promise.resolve({
            ok: false,
            error: { kind: 'unexpected', status: 0, message: 'this client cannot load chains' },
          }),
  );
  const chain = resource.data;
  return (
    <section className="cdevents-chain-panel" aria-label="Causal chain">
      <header className="cdevents-chain-panel__header">
        <h3 className="cdevents-chain-panel__title">Causal chain</h3>
        <button type="button" className="argo-button argo-button--base-o" onClick={onClose}>
          <i className="fa fa-times" aria-hidden="true" /> Close chain
        </button>
      </header>
      {resource.loading && (
        <p className="cdevents-muted" role="status">
          Loading the chain…
        </p>
      )}
      {resource.error && (
        <p className="cdevents-error" role="alert">
          {describeApiError(resource.error)}
        </p>
      )}
      {chain && (chain.truncated.depth || chain.truncated.nodes) && (
        <p className="cdevents-chain-panel__notice" role="status">
          {chain.truncated.nodes
            ? `Showing the ${chain.nodes.length} events closest to this one; the chain has more.`
            : `Showing ${chain.depth} steps from this event; the chain goes on.`}
        </p>
      )}
      {chain?.horizon?.cut && (
        <p className="cdevents-chain-panel__notice" role="status">
          {describeHorizonCut(chain.horizon.retentionDays, chain.horizon.missingLinks)}
        </p>
      )}
      {chain && chain.nodes.length <= 1 && (
        <p className="cdevents-muted" role="status">
          No other event is linked to this one yet.
        </p>
      )}
      {chain && chain.nodes.length > 1 && <ChainGraph chain={chain} app={app} onOpenEvent={onOpenEvent} />}
    </section>
  );
}
