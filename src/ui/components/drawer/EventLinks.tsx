import * as React from 'react';
import type { EventRecord } from '../../../backend/api/contract';
import { buildEventLinks } from '../../details/buildEventLinks';

interface EventLinksProps {
  event: EventRecord;
  /** Where the chain view for this event will live. */
  chainHref: string;
  /** Shows the chain view in the tab; without it the link is a placeholder. */
  onShowChain?: () => void;
}

/** Links out of the event. Only http(s) URLs are links; other values are shown as text. */
export function EventLinks({ event, chainHref, onShowChain }: EventLinksProps) {
  const links = React.useMemo(() => buildEventLinks(event), [event]);
  return (
    <ul className="cdevents-links">
      <li className="cdevents-links__item">
        <span className="cdevents-links__label">Causal chain</span>
        {onShowChain ? (
          <a
            className="cdevents-link"
            href={chainHref}
            onClick={(e) => {
              e.preventDefault();
              onShowChain();
            }}
          >
            show the causal chain
          </a>
        ) : (
          <a
            className="cdevents-link cdevents-link--placeholder"
            href={chainHref}
            aria-disabled="true"
            onClick={(e) => e.preventDefault()}
          >
            chain view (coming soon)
          </a>
        )}
      </li>
      {links.map((link) => (
        <li className="cdevents-links__item" key={`${link.label}:${link.text}`}>
          <span className="cdevents-links__label">{link.label}</span>
          {link.href ? (
            <a className="cdevents-link" href={link.href} target="_blank" rel="noopener noreferrer">
              {link.text}
            </a>
          ) : (
            <span className="cdevents-links__text">{link.text}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
