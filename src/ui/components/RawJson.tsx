import * as React from 'react';

interface RawJsonProps {
  value: unknown;
}

/** The event exactly as received. Rendered as text, so nothing in a payload can become markup. */
export function RawJson({ value }: RawJsonProps) {
  const text = React.useMemo(() => JSON.stringify(value, null, 2) ?? String(value), [value]);
  return <pre className="cdevents-json">{text}</pre>;
}
