import * as React from 'react';
import { Checkbox } from '../controls';

interface MultiSelectProps {
  label: string;
  options: readonly string[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
}

/** A dropdown of checkboxes; its summary says how many are chosen. */
export function MultiSelect({ label, options, selected, onChange }: MultiSelectProps) {
  const toggle = (option: string) =>
    onChange(selected.includes(option) ? selected.filter((item) => item !== option) : [...selected, option]);
  // Values from a shared link that are not in our list still show, so they can be unchecked.
  const all = [...options, ...selected.filter((item) => !options.includes(item))];
  return (
    <details className="cdevents-multiselect">
      <summary className="argo-button argo-button--base-o cdevents-multiselect__summary">
        {label}
        {selected.length > 0 ? ` (${selected.length})` : ': any'}
      </summary>
      <fieldset className="cdevents-multiselect__options">
        <legend className="cdevents-visually-hidden">{label}</legend>
        {all.map((option) => (
          <label key={option} className="cdevents-multiselect__option">
            <Checkbox checked={selected.includes(option)} onChange={() => toggle(option)} /> {option}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
