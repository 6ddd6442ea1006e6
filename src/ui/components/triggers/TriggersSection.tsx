import * as React from 'react';
import type { AppKey } from '../../api';
import { TriggersPanel } from './TriggersPanel';

/** A folded "Triggers" section under the timeline: the panel (and its requests) only once opened. */
export function TriggersSection({ app }: { app: AppKey }) {
  const [open, setOpen] = React.useState(false);
  return (
    <div className="cdevents-triggers-section">
      <button
        type="button"
        className="cdevents-triggers-section__toggle"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        {open ? '▾' : '▸'} Triggers
      </button>
      {open ? <TriggersPanel app={app} /> : null}
    </div>
  );
}
