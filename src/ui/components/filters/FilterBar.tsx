import * as React from 'react';
import { isTimeRangeInverted, type ViewState } from '../../viewState/viewState';
import { listPredicates } from './listPredicates';
import { MultiSelect } from './MultiSelect';
import './FilterBar.css';

/** The subjects of CDEvents 0.3–0.5, in the order of a delivery: source → build → deploy → operate. */
export const SUBJECTS = [
  'change',
  'branch',
  'repository',
  'pipelinerun',
  'taskrun',
  'build',
  'artifact',
  'testcaserun',
  'testsuiterun',
  'testoutput',
  'environment',
  'service',
  'incident',
  'ticket',
] as const;

export const PREDICATES = [
  'created',
  'modified',
  'deleted',
  'submitted',
  'reviewed',
  'merged',
  'abandoned',
  'updated',
  'queued',
  'started',
  'finished',
  'packaged',
  'signed',
  'published',
  'downloaded',
  'deployed',
  'upgraded',
  'rolledback',
  'removed',
  'detected',
  'reported',
  'resolved',
  'closed',
] as const;

const SEARCH_DELAY_MS = 300;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** ISO → the local "YYYY-MM-DDTHH:mm" a datetime-local input shows. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value (local time) → ISO, undefined when empty or invalid. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * A text field whose value reaches the view (and the URL, and a request) once the user stops
 * typing, not on every keystroke.
 */
function useDebouncedField(committed: string, commit: (value: string) => void): [string, (value: string) => void] {
  const [text, setText] = React.useState(committed);
  const commitRef = React.useRef(commit);
  commitRef.current = commit;
  React.useEffect(() => {
    if (text === committed) return;
    const timer = setTimeout(() => commitRef.current(text), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, committed]);
  return [text, setText];
}

interface FilterBarProps {
  view: ViewState;
  onChange: (change: Partial<ViewState>) => void;
}

/** Direction, subject, predicate, time range, actor and text search. Every change lands in the URL. */
export function FilterBar({ view, onChange }: FilterBarProps) {
  const [text, setText] = useDebouncedField(view.q, (q) => onChange({ q }));
  const [actor, setActor] = useDebouncedField(view.actor ?? '', (value) => onChange({ actor: value || undefined }));

  const directions: Array<[ViewState['direction'], string]> = [
    ['all', 'All'],
    ['emitted', 'Emitted'],
    ['received', 'Received'],
  ];
  const predicates = listPredicates(view.subjects, PREDICATES);
  const inverted = isTimeRangeInverted(view);
  const rangeHintId = 'cdevents-filters-range-hint';
  const clear = () => {
    setText('');
    setActor('');
    onChange({
      direction: 'all',
      subjects: [],
      predicates: [],
      from: undefined,
      to: undefined,
      q: '',
      actor: undefined,
    });
  };
  return (
    <div className="cdevents-filters" role="search" aria-label="Filter events">
      <div className="cdevents-segmented" role="radiogroup" aria-label="Direction">
        {directions.map(([value, label]) => (
          <button
            key={value}
            type="button"
            role="radio"
            aria-checked={view.direction === value}
            // The chosen direction is argo-ui's filled button, the others its outlined one.
            className={`argo-button ${view.direction === value ? 'argo-button--base' : 'argo-button--base-o'} cdevents-segmented__option`}
            onClick={() => onChange({ direction: value })}
          >
            {label}
          </button>
        ))}
      </div>
      <MultiSelect
        label="Subject"
        options={SUBJECTS}
        selected={view.subjects}
        // Predicates the new subjects do not have would match nothing: they go with the subject.
        onChange={(subjects) => {
          const available = listPredicates(subjects, PREDICATES);
          onChange({ subjects, predicates: view.predicates.filter((predicate) => available.includes(predicate)) });
        }}
      />
      <MultiSelect
        label="Predicate"
        options={predicates}
        selected={view.predicates}
        onChange={(predicates) => onChange({ predicates })}
      />
      <label className="cdevents-filters__field">
        <span className="cdevents-filters__label">From</span>
        <input
          type="datetime-local"
          className="argo-field cdevents-filters__input"
          value={toLocalInput(view.from)}
          aria-invalid={inverted || undefined}
          aria-describedby={inverted ? rangeHintId : undefined}
          onChange={(e) => onChange({ from: fromLocalInput(e.target.value) })}
        />
      </label>
      <label className="cdevents-filters__field">
        <span className="cdevents-filters__label">To</span>
        <input
          type="datetime-local"
          className="argo-field cdevents-filters__input"
          value={toLocalInput(view.to)}
          aria-invalid={inverted || undefined}
          aria-describedby={inverted ? rangeHintId : undefined}
          onChange={(e) => onChange({ to: fromLocalInput(e.target.value) })}
        />
      </label>
      <label className="cdevents-filters__field">
        <span className="cdevents-filters__label">Synced by</span>
        <input
          type="search"
          className="argo-field cdevents-filters__actor"
          placeholder="user or auto-sync"
          aria-label="Filter by who synced"
          value={actor}
          onChange={(e) => setActor(e.target.value)}
        />
      </label>
      <input
        type="search"
        className="argo-field cdevents-filters__search"
        placeholder="Search id, subject, type, source"
        aria-label="Search events"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="button" className="argo-button argo-button--base-o" onClick={clear}>
        Clear filters
      </button>
      {inverted && (
        <p className="cdevents-filters__hint" id={rangeHintId}>
          From is after To, so no event can match.{' '}
          <button
            type="button"
            className="argo-button argo-button--base-o"
            onClick={() => onChange({ from: view.to, to: view.from })}
          >
            Swap From and To
          </button>
        </p>
      )}
    </div>
  );
}
