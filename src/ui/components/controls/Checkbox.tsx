import * as React from 'react';

type InputProps = Omit<React.InputHTMLAttributes<HTMLInputElement>, 'type' | 'className'>;

/**
 * A checkbox in argo-ui's markup (`.argo-checkbox`: the input over a drawn box that Font Awesome's
 * check fills when ticked), so it looks like Argo CD's own. Put it inside a <label> with its text.
 */
export function Checkbox(props: InputProps) {
  return (
    <span className="argo-checkbox">
      <input type="checkbox" {...props} />
      <span>
        <i className="fa fa-check" aria-hidden="true" />
      </span>
    </span>
  );
}

/** A radio button in argo-ui's markup (`.argo-radio`). Put it inside a <label> with its text. */
export function Radio(props: InputProps) {
  return (
    <span className="argo-radio">
      <input type="radio" {...props} />
      <span />
    </span>
  );
}
