import * as React from 'react';

interface RawJsonProps {
  value: unknown;
}

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * The event exactly as received, collapsible, with a copy button. Rendered as a text node,
 * so nothing in a payload can become markup.
 */
export function RawJson({ value }: RawJsonProps) {
  const text = React.useMemo(() => JSON.stringify(value, null, 2) ?? String(value), [value]);
  const [copy, setCopy] = React.useState<CopyState>('idle');
  const onCopy = () => {
    // The Clipboard API exists only in secure contexts (https or localhost).
    const clipboard = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
    if (!clipboard) {
      setCopy('failed');
      return;
    }
    clipboard.writeText(text).then(
      () => setCopy('copied'),
      () => setCopy('failed'),
    );
  };
  return (
    <details className="cdevents-json" open>
      <summary className="cdevents-json__summary">Raw JSON</summary>
      <div className="cdevents-json__actions">
        <button type="button" className="argo-button argo-button--base-o" onClick={onCopy}>
          Copy JSON
        </button>
        <span className="cdevents-json__status" role="status">
          {copy === 'copied' ? 'Copied.' : copy === 'failed' ? 'Could not copy: select the text instead.' : ''}
        </span>
      </div>
      <pre className="cdevents-json__text">{text}</pre>
    </details>
  );
}
