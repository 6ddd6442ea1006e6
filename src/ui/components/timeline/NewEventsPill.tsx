import * as React from 'react';

interface NewEventsPillProps {
  count: number;
  onClick: () => void;
}

/** Shown when events arrived while the user was scrolled away from the top. */
export function NewEventsPill({ count, onClick }: NewEventsPillProps) {
  return (
    <button type="button" className="argo-button argo-button--base cdevents-pill" onClick={onClick}>
      <i className="fa fa-arrow-up" aria-hidden="true" /> {count} new event{count === 1 ? '' : 's'}
    </button>
  );
}
