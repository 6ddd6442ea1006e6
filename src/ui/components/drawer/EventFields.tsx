import * as React from 'react';
import type { EventRecord } from '../../../backend/api/contract';
import { describeEventFields } from '../../details/describeEventFields';

/** The fields that matter for this event's type, as a definition list of text. */
export function EventFields({ event }: { event: EventRecord }) {
  const fields = React.useMemo(() => describeEventFields(event), [event]);
  return (
    <dl className="cdevents-fields">
      {fields.map((field) => (
        <React.Fragment key={field.label}>
          <dt className="cdevents-fields__label">{field.label}</dt>
          <dd className="cdevents-fields__value">{field.value}</dd>
        </React.Fragment>
      ))}
    </dl>
  );
}
