import * as React from 'react';
import type { EventRecord } from '../../../backend/api/contract';

const LABELS = { valid: 'valid', invalid: 'invalid', 'unknown-type': 'unknown type' } as const;

/** Whether the event conforms to the CDEvents spec; the reasons are on hover (and in the drawer). */
export function VerdictBadge({ event }: { event: Pick<EventRecord, 'verdict' | 'problems'> }) {
  const reasons = event.problems.map((problem) => `${problem.pointer || '(event)'}: ${problem.message}`).join('\n');
  const label = LABELS[event.verdict] ?? event.verdict;
  return (
    <span
      className={`cdevents-badge cdevents-badge--${event.verdict}`}
      title={reasons || undefined}
      aria-label={reasons ? `${label}: ${reasons}` : label}
    >
      {label}
    </span>
  );
}
