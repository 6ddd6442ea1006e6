import * as React from 'react';

/**
 * One field as argo-ui lays out a form: `.argo-form-row` (tightened), its label small and upper case
 * above the field; a field with a problem sits under argo-ui's `error` class (a red underline).
 */
export function FormRow({
  id,
  label,
  invalid,
  children,
}: {
  id: string;
  label: string;
  invalid: boolean;
  children: React.ReactNode;
}) {
  return (
    <div className={`argo-form-row argo-form-row__tightened cdevents-triggers__field${invalid ? ' error' : ''}`}>
      <label htmlFor={id} title={label}>
        {label}
      </label>
      {children}
    </div>
  );
}

/** A field's problem as the backend named it, in argo-ui's error line under the field. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <div className="argo-form-row__error-msg cdevents-triggers__field-error" id={id} role="alert">
      {message}
    </div>
  ) : null;
}
