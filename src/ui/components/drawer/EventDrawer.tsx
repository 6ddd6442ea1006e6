import * as React from 'react';
import type { EventRecord } from '../../../backend/api/contract';
import { describeApiError } from '../../api/describeApiError';
import type { AppKey } from '../../api/types';
import { describeEventType } from '../../format/describeEventType';
import { useApiResource } from '../../hooks/useApiResource';
import { useFillScrollBox } from '../../hooks/useFillScrollBox';
import { VerdictBadge } from '../timeline/VerdictBadge';
import { DeliveriesSection } from './DeliveriesSection';
import { EventFields } from './EventFields';
import { EventLinks } from './EventLinks';
import { RawJson } from './RawJson';
import './EventDrawer.css';

interface EventDrawerProps {
  app: AppKey;
  eventKey: string;
  /** The event when the list has it; otherwise (a shared link to an older event) it is fetched. */
  event: EventRecord | undefined;
  chainHref: string;
  /** Shows the causal chain of this event (the chain view). */
  onShowChain?: () => void;
  onClose: () => void;
}

/** One event's details beside the timeline. Escape closes it. */
export function EventDrawer({ app, eventKey, event, chainHref, onShowChain, onClose }: EventDrawerProps) {
  const fetched = useApiResource(event ? null : `${app.namespace}/${app.name}/${eventKey}`, (api, signal) =>
    api.getEvent(app, eventKey, { signal }),
  );
  const shown = event ?? fetched.data ?? undefined;
  const closeRef = React.useRef<HTMLButtonElement>(null);
  React.useEffect(() => {
    closeRef.current?.focus();
  }, [eventKey]);
  // In Argo CD's app view the box that scrolls is shorter than the window: the drawer is kept to it.
  const drawerRef = React.useRef<HTMLElement>(null);
  const maxHeight = useFillScrollBox(drawerRef, { within: '.cdevents-root--page', minHeight: 240, fit: 'box' });
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    }
  };
  const title = shown ? describeEventType(shown) : 'Event';
  return (
    <aside
      ref={drawerRef}
      className="cdevents-drawer"
      style={maxHeight === undefined ? undefined : { maxHeight }}
      role="dialog"
      aria-label={`Event details: ${title}`}
      onKeyDown={onKeyDown}
    >
      <header className="cdevents-drawer__header">
        <h3 className="cdevents-drawer__title">
          {title} {shown && <VerdictBadge event={shown} />}
        </h3>
        <button
          ref={closeRef}
          type="button"
          className="argo-button argo-button--base-o"
          aria-label="Close details"
          onClick={onClose}
        >
          <i className="fa fa-times" aria-hidden="true" /> Close
        </button>
      </header>
      {!shown && fetched.loading && <p className="cdevents-muted">Loading the event…</p>}
      {!shown && fetched.error && <p className="cdevents-error">{describeApiError(fetched.error)}</p>}
      {shown && (
        <>
          <section className="cdevents-section" aria-label="Why it is here">
            <h4 className="cdevents-section__title">{shown.direction === 'emitted' ? 'Emitted' : 'Received'}</h4>
            <ul className="cdevents-plain-list">
              {shown.attributions.map((attribution) => (
                <li key={`${attribution.rule}:${attribution.detail}`}>{attribution.detail}</li>
              ))}
              {shown.reconstructed && <li>Rebuilt from Argo CD's sync history, not seen live.</li>}
            </ul>
          </section>
          {shown.problems.length > 0 && (
            <section className="cdevents-section" aria-label="Problems">
              <h4 className="cdevents-section__title">
                {shown.verdict === 'unknown-type' ? 'Unknown event type' : 'Why it is invalid'}
              </h4>
              <ul className="cdevents-plain-list">
                {shown.problems.map((problem, index) => (
                  <li key={index}>
                    <code className="cdevents-code">{problem.pointer || '(event)'}</code> {problem.message}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section className="cdevents-section" aria-label="Fields">
            <h4 className="cdevents-section__title">Fields</h4>
            <EventFields event={shown} />
          </section>
          <section className="cdevents-section" aria-label="Links">
            <h4 className="cdevents-section__title">Links</h4>
            <EventLinks event={shown} chainHref={chainHref} onShowChain={onShowChain} />
          </section>
          {shown.direction === 'emitted' && <DeliveriesSection app={app} eventKey={shown.key} />}
          <RawJson value={shown.payload} />
        </>
      )}
    </aside>
  );
}
