import * as React from 'react';
import type { ApplyStatus, DryRunResponse, TriggerInput, TriggerRecord } from '../../../backend/api/triggerContract';
import { describeApiError, type ApiError, type AppKey } from '../../api';
import { ApplyStatusView } from './ApplyStatusView';
import { TriggerForm } from './TriggerForm';
import { TriggersApiContext } from './TriggersApiContext';
import { useTriggers } from './useTriggers';
import './TriggersPanel.css';

interface TriggersPanelProps {
  app: AppKey;
  /** How often firings are re-read while an inbound rule is enabled; default 3000 ms. */
  pollMs?: number;
}

type FormState = { mode: 'closed' } | { mode: 'new' } | { mode: 'edit'; trigger: TriggerRecord };

/** The body that re-saves a stored trigger, e.g. to enable or disable it. */
function toInput(trigger: TriggerRecord, changes: Partial<TriggerInput> = {}): TriggerInput {
  return {
    kind: trigger.kind,
    name: trigger.name,
    enabled: trigger.enabled,
    version: trigger.version,
    ...(trigger.kind === 'outbound'
      ? { moments: trigger.moments, sinks: trigger.sinks }
      : {
          match: trigger.match ?? { types: [] },
          action: trigger.action ?? 'sync',
          cooldownSeconds: trigger.cooldownSeconds ?? 60,
          revisionField: trigger.revisionField ?? undefined,
          annotationKey: trigger.annotationKey ?? undefined,
        }),
    ...changes,
  };
}

/** "Would sync argocd/auth to 1.2.0"; an action the event gives no target for reads "Would do nothing: …". */
function describeDryRunOutcome(item: DryRunResponse['items'][number]): string {
  if (item.outcome === 'cooldown') return 'Would skip (cooldown)';
  return item.action.startsWith('nothing') ? `Would do ${item.action}` : `Would ${item.action}`;
}

function summarise(trigger: TriggerRecord): string {
  if (trigger.kind === 'outbound') {
    return `emits ${trigger.moments.join(', ')} to ${trigger.sinks.length > 0 ? trigger.sinks.join(', ') : 'every sink'}`;
  }
  const match = trigger.match;
  const conditions = [
    match?.types.join(' or '),
    match?.source && `source ${match.source}`,
    match?.subjectId && `subject ${match.subjectId}`,
    match?.artifactPurl && `artifact ${match.artifactPurl}`,
    match?.environment && `environment ${match.environment}`,
    match?.outcome && `outcome ${match.outcome}`,
    match?.customData && `customData.${match.customData.field} = ${match.customData.equals}`,
  ].filter(Boolean);
  return `when ${conditions.join(', ')} → ${trigger.action}; cooldown ${trigger.cooldownSeconds ?? 0} s`;
}

/** Problems the backend named per field: 400 (validation) and 409 (the name is taken) carry `fields`. */
function fieldErrorsOf(error: ApiError): Record<string, string> | undefined {
  if (error.kind !== 'backend' || (error.status !== 400 && error.status !== 409)) return undefined;
  const fields = (error.body.error as { fields?: unknown }).fields;
  return typeof fields === 'object' && fields !== null ? (fields as Record<string, string>) : undefined;
}

/**
 * The tab's Triggers view: a table of the app's outbound and inbound rules, the editor, the dry run,
 * the last firings and every change to the rules.
 */
export function TriggersPanel({ app, pollMs }: TriggersPanelProps) {
  const api = React.useContext(TriggersApiContext);
  const { state, reload } = useTriggers(app, pollMs);
  const [form, setForm] = React.useState<FormState>({ mode: 'closed' });
  const [fieldErrors, setFieldErrors] = React.useState<Record<string, string>>({});
  const [busy, setBusy] = React.useState(false);
  const [notice, setNotice] = React.useState<
    { tone: 'ok' | 'error'; text: string; applied?: ApplyStatus | null } | undefined
  >();
  const [dryRun, setDryRun] = React.useState<{ title: string; result: DryRunResponse } | undefined>();

  if (state.status === 'loading') return <div className="cdevents-triggers cdevents-state">Loading triggers…</div>;
  if (state.status === 'error') {
    return (
      <div className="cdevents-triggers cdevents-state cdevents-state--error" role="alert">
        {state.message}
      </div>
    );
  }
  const { list, firings, audit } = state;
  const canWrite = list.access.canWrite;

  async function run<T>(
    action: () => Promise<{ ok: true; value: T } | { ok: false; error: ApiError }>,
    onDone: (value: T) => void,
  ) {
    setBusy(true);
    setNotice(undefined);
    const result = await action();
    setBusy(false);
    if (result.ok) {
      setFieldErrors({});
      onDone(result.value);
      reload();
      return;
    }
    const fields = fieldErrorsOf(result.error);
    if (fields) setFieldErrors(fields);
    setNotice({ tone: 'error', text: describeApiError(result.error) });
  }

  const save = (input: TriggerInput) =>
    run(
      () => (form.mode === 'edit' ? api.update(app, form.trigger.id, input) : api.create(app, input)),
      (value) => {
        setForm({ mode: 'closed' });
        setNotice({
          tone: value.applied?.status === 'failed' ? 'error' : 'ok',
          text: `Saved "${input.name}".`,
          applied: value.applied,
        });
      },
    );

  const runDryRun = (title: string, id: string | undefined, draft?: TriggerInput) =>
    run(
      () => api.dryRun(app, id, draft),
      (result) => setDryRun({ title, result }),
    );

  return (
    <section className="cdevents-triggers" aria-label="Triggers">
      {/* No heading of its own: the tab's "Triggers" switch names it. */}
      <header className="cdevents-triggers__header">
        {canWrite ? (
          <button
            className="argo-button argo-button--base"
            type="button"
            onClick={() => {
              setFieldErrors({});
              setForm({ mode: 'new' });
            }}
          >
            New trigger
          </button>
        ) : null}
      </header>
      <p className="cdevents-triggers__access">
        {canWrite ? 'You may change triggers' : 'Read only'}: {list.access.reason}.
      </p>
      {notice ? (
        <div className={`cdevents-triggers__notice cdevents-triggers__notice--${notice.tone}`} role="status">
          <div>{notice.text}</div>
          {notice.applied ? <ApplyStatusView status={notice.applied} /> : null}
        </div>
      ) : null}
      {form.mode !== 'closed' ? (
        <TriggerForm
          key={form.mode === 'edit' ? form.trigger.id : 'new'}
          app={app}
          catalog={list}
          editing={form.mode === 'edit' ? form.trigger : undefined}
          fieldErrors={fieldErrors}
          busy={busy}
          onSave={(input) => void save(input)}
          onDryRun={(input) => void runDryRun(`Dry run of "${input.name || 'the draft'}"`, undefined, input)}
          onCancel={() => setForm({ mode: 'closed' })}
        />
      ) : null}
      <h4>Rules</h4>
      {list.items.length === 0 ? <p className="cdevents-state">No triggers on this app yet.</p> : null}
      {list.items.length > 0 ? (
        <table className="cdevents-triggers__table" aria-label="Rules">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Direction</th>
              <th scope="col">Rule</th>
              <th scope="col">In Argo CD</th>
              <th scope="col">Last firing</th>
              <th scope="col">
                <span className="cdevents-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((trigger) => (
              <tr key={trigger.id} className="cdevents-triggers__rule" aria-label={`Trigger ${trigger.name}`}>
                <th scope="row">
                  <strong>{trigger.name}</strong>
                  <div className="cdevents-triggers__state">{trigger.enabled ? 'enabled' : 'disabled'}</div>
                </th>
                <td>
                  <span className={`cdevents-triggers__badge cdevents-triggers__badge--${trigger.kind}`}>
                    {trigger.kind}
                  </span>
                </td>
                <td className="cdevents-triggers__summary">{summarise(trigger)}</td>
                <td>
                  <ul className="cdevents-triggers__effect-list" aria-label="Argo CD terms">
                    {[
                      ...trigger.effect.annotations.map((a) => `annotation ${a}`),
                      ...trigger.effect.configMapKeys.map((k) => `argocd-notifications-cm ${k}`),
                      ...trigger.effect.apiCalls,
                    ].map((line) => (
                      <li key={line}>
                        <code>{line}</code>
                      </li>
                    ))}
                  </ul>
                  {trigger.applied ? (
                    <div className={`cdevents-triggers__applied cdevents-triggers__applied--${trigger.applied.status}`}>
                      <ApplyStatusView status={trigger.applied} />
                    </div>
                  ) : null}
                </td>
                <td className="cdevents-triggers__last">
                  {trigger.lastFiring ? (
                    <>
                      {trigger.lastFiring.status} at {trigger.lastFiring.firedAt} —{' '}
                      {trigger.lastFiring.detail ?? trigger.lastFiring.reason}
                    </>
                  ) : (
                    <span className="cdevents-muted">never</span>
                  )}
                </td>
                <td>
                  <div className="cdevents-triggers__actions">
                    {canWrite ? (
                      <>
                        <button
                          className="argo-button argo-button--base-o"
                          type="button"
                          onClick={() => {
                            setFieldErrors({});
                            setForm({ mode: 'edit', trigger });
                          }}
                        >
                          Edit
                        </button>
                        <button
                          className="argo-button argo-button--base-o"
                          type="button"
                          disabled={busy}
                          onClick={() => void save(toInput(trigger, { enabled: !trigger.enabled }))}
                        >
                          {trigger.enabled ? 'Disable' : 'Enable'}
                        </button>
                        <button
                          className="argo-button argo-button--base-o"
                          type="button"
                          disabled={busy}
                          onClick={() =>
                            void run(
                              () => api.remove(app, trigger.id),
                              () => setNotice({ tone: 'ok', text: `Deleted "${trigger.name}".` }),
                            )
                          }
                        >
                          Delete
                        </button>
                      </>
                    ) : null}
                    {trigger.kind === 'inbound' ? (
                      <button
                        className="argo-button argo-button--base-o"
                        type="button"
                        disabled={busy}
                        onClick={() => void runDryRun(`Dry run of "${trigger.name}"`, trigger.id)}
                      >
                        Dry run
                      </button>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {dryRun ? (
        <div className="cdevents-triggers__dry-run" role="region" aria-label="Dry run result">
          <h4>{dryRun.title}</h4>
          <p>
            {dryRun.result.matched} of {dryRun.result.evaluated} stored events matched.
          </p>
          <ul>
            {dryRun.result.items.map((item) => (
              <li key={item.event.key}>
                <strong>{describeDryRunOutcome(item)}</strong> at {item.event.at} for <code>{item.event.id}</code>:{' '}
                {item.reasons.join('; ')}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <h4>Last firings</h4>
      {firings.length === 0 ? <p className="cdevents-state">No firings yet.</p> : null}
      <ul className="cdevents-triggers__firings" aria-label="Last firings">
        {firings.map((firing) => (
          <li key={firing.id} className={`cdevents-triggers__firing cdevents-triggers__firing--${firing.status}`}>
            <span className="cdevents-triggers__firing-status">{firing.status}</span> {firing.firedAt} ·{' '}
            {firing.triggerName} · <code>{firing.event.id}</code> · {firing.detail ?? firing.reason}
          </li>
        ))}
      </ul>
      <h4>Changes</h4>
      {audit.length === 0 ? <p className="cdevents-state">No changes to this app&apos;s triggers yet.</p> : null}
      <ul className="cdevents-triggers__audit" aria-label="Changes">
        {audit.map((entry) => (
          <li key={entry.id}>
            {entry.at} · {entry.actor}
            {entry.actorGroups.length > 0 ? ` (${entry.actorGroups.join(', ')})` : ''} {entry.change}d{' '}
            <strong>{entry.after?.name ?? entry.before?.name}</strong>
            {entry.change === 'update' && entry.before && entry.after ? (
              <span>
                {' '}
                — before: {summarise(entry.before)}
                {entry.before.enabled ? '' : ' (disabled)'}; after: {summarise(entry.after)}
                {entry.after.enabled ? '' : ' (disabled)'}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
