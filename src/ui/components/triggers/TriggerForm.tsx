import * as React from 'react';
import type {
  InboundAction,
  TriggerInput,
  TriggerKind,
  TriggerListResponse,
  TriggerMoment,
  TriggerRecord,
} from '../../../backend/api/triggerContract';
import type { AppKey } from '../../api';
import { Checkbox, FieldError, FormRow, Radio } from '../controls';
import { OutboundEffect } from './OutboundEffect';
import { PreviewTemplateField, describePreviewEffect, templateFieldPath } from './PreviewTemplateField';

interface TriggerFormProps {
  app: AppKey;
  catalog: TriggerListResponse;
  /** The trigger being edited; undefined for a new one. */
  editing?: TriggerRecord;
  /** Field errors from the last save, keyed by field path ("match.types"). */
  fieldErrors: Record<string, string>;
  busy: boolean;
  onSave(input: TriggerInput): void;
  onDryRun(input: TriggerInput): void;
  onCancel(): void;
}

interface Draft {
  kind: TriggerKind;
  name: string;
  enabled: boolean;
  moments: TriggerMoment[];
  sinks: string[];
  types: string;
  source: string;
  subjectId: string;
  artifactPurl: string;
  environment: string;
  outcome: string;
  customDataField: string;
  customDataEquals: string;
  action: InboundAction;
  cooldownSeconds: string;
  revisionField: string;
  annotationKey: string;
  /** The preview action's Application template as typed (YAML or JSON; the backend parses it). */
  template: string;
}

function toDraft(record: TriggerRecord | undefined): Draft {
  return {
    kind: record?.kind ?? 'inbound',
    name: record?.name ?? '',
    enabled: record?.enabled ?? true,
    moments: record?.moments ?? ['deployed', 'rolled-back'],
    sinks: record?.sinks ?? [],
    types: record?.match?.types.join(', ') ?? 'dev.cdevents.artifact.published',
    source: record?.match?.source ?? '',
    subjectId: record?.match?.subjectId ?? '',
    artifactPurl: record?.match?.artifactPurl ?? '',
    environment: record?.match?.environment ?? '',
    outcome: record?.match?.outcome ?? '',
    customDataField: record?.match?.customData?.field ?? '',
    customDataEquals: record?.match?.customData?.equals ?? '',
    action: record?.action ?? 'sync',
    cooldownSeconds: String(record?.cooldownSeconds ?? 60),
    revisionField: record?.revisionField ?? '',
    annotationKey: record?.annotationKey ?? '',
    // The text as it was typed; a rule saved with an object (the API, older rules) shows it as JSON, which is YAML too.
    template: record?.preview ? (record.preview.templateText ?? JSON.stringify(record.preview.template, null, 2)) : '',
  };
}

/** The template goes as typed: the backend parses it and names the line of a problem. */
function previewOf(text: string): TriggerInput['preview'] {
  return { templateText: text };
}

/** The body the backend validates; empty optional fields are left out. */
export function buildTriggerInput(draft: Draft, version: number | undefined): TriggerInput {
  const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
  if (draft.kind === 'outbound') {
    return {
      kind: 'outbound',
      name: draft.name,
      enabled: draft.enabled,
      moments: draft.moments,
      sinks: draft.sinks,
      version,
    };
  }
  const cooldown = draft.cooldownSeconds.trim();
  return {
    kind: 'inbound',
    name: draft.name,
    enabled: draft.enabled,
    match: {
      types: draft.types
        .split(/[,\s]+/)
        .map((type) => type.trim())
        .filter((type) => type.length > 0),
      source: optional(draft.source),
      subjectId: optional(draft.subjectId),
      artifactPurl: optional(draft.artifactPurl),
      environment: optional(draft.environment),
      outcome: optional(draft.outcome),
      ...(optional(draft.customDataField) || optional(draft.customDataEquals)
        ? { customData: { field: draft.customDataField.trim(), equals: draft.customDataEquals } }
        : {}),
    },
    action: draft.action,
    // Sent as typed when it is not a number, so the backend names the problem at the field.
    cooldownSeconds: (cooldown === '' ? undefined : /^-?\d+$/.test(cooldown) ? Number(cooldown) : cooldown) as number,
    revisionField: draft.action === 'sync-revision' ? optional(draft.revisionField) : undefined,
    annotationKey: draft.action === 'annotate' ? optional(draft.annotationKey) : undefined,
    preview: draft.action === 'preview' ? previewOf(draft.template) : undefined,
    version,
  };
}

/** What saving an inbound rule calls in Argo CD terms (outbound rules: OutboundEffect). */
function describeInboundEffect(draft: Draft, app: AppKey): string[] {
  const base = `/api/v1/applications/${app.name}`;
  const calls: Record<InboundAction, string> = {
    sync: `POST ${base}/sync`,
    'sync-revision': `POST ${base}/sync {revision from the event}`,
    refresh: `GET ${base}?refresh=normal`,
    rollback: `POST ${base}/rollback {id: previous history entry}`,
    annotate: `PATCH ${base} (annotation ${draft.annotationKey || '…'})`,
    preview: '',
  };
  if (draft.action === 'preview')
    return describePreviewEffect(draft.template, app).map((line) => `Argo CD API: ${line}`);
  return [`Argo CD API: ${calls[draft.action]} (appNamespace ${app.namespace})`];
}

/** Create or edit one trigger; problems the backend found are shown at their fields. */
export function TriggerForm({
  app,
  catalog,
  editing,
  fieldErrors,
  busy,
  onSave,
  onDryRun,
  onCancel,
}: TriggerFormProps) {
  const [draft, setDraft] = React.useState<Draft>(() => toDraft(editing));
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const errorOf = (field: string) => fieldErrors[field];
  const submit = (send: (input: TriggerInput) => void) => send(input());
  const text = (field: keyof Draft, path: string, label: string, placeholder = '') => {
    const id = `cdevents-trigger-${path.replace(/\./g, '-')}`;
    const errorId = `cdevents-trigger-error-${path.replace(/\./g, '-')}`;
    return (
      <FormRow id={id} label={label} invalid={Boolean(errorOf(path))}>
        <input
          id={id}
          type="text"
          className="argo-field"
          value={draft[field] as string}
          placeholder={placeholder}
          aria-invalid={errorOf(path) ? true : undefined}
          aria-describedby={errorOf(path) ? errorId : undefined}
          onChange={(event) => set(field, event.target.value as never)}
        />
        <FieldError id={errorId} message={errorOf(path)} />
      </FormRow>
    );
  };
  const input = () => buildTriggerInput(draft, editing?.version);
  return (
    <form
      className="cdevents-triggers__form"
      aria-label={editing ? `Edit trigger ${editing.name}` : 'New trigger'}
      onSubmit={(event) => {
        event.preventDefault();
        submit(onSave);
      }}
    >
      <fieldset className="cdevents-triggers__kind" disabled={Boolean(editing)}>
        <legend>Direction</legend>
        <label>
          <Radio checked={draft.kind === 'inbound'} onChange={() => set('kind', 'inbound')} /> Inbound: incoming
          CDEvents make Argo CD act on this app
        </label>
        <label>
          <Radio checked={draft.kind === 'outbound'} onChange={() => set('kind', 'outbound')} /> Outbound: emit this
          app&apos;s moments as CDEvents
        </label>
      </fieldset>
      {text('name', 'name', 'Name')}
      <label className="cdevents-triggers__check">
        <Checkbox checked={draft.enabled} onChange={(event) => set('enabled', event.target.checked)} /> Enabled
      </label>
      {draft.kind === 'outbound' ? (
        <>
          <fieldset className="cdevents-triggers__group" aria-describedby="cdevents-trigger-error-moments">
            <legend>Moments</legend>
            {catalog.moments.map((moment) => (
              <label key={moment.id} className="cdevents-triggers__check">
                <Checkbox
                  checked={draft.moments.includes(moment.id)}
                  onChange={(event) =>
                    set(
                      'moments',
                      event.target.checked
                        ? [...draft.moments, moment.id]
                        : draft.moments.filter((selected) => selected !== moment.id),
                    )
                  }
                />{' '}
                {moment.label}
              </label>
            ))}
            <FieldError id="cdevents-trigger-error-moments" message={errorOf('moments')} />
          </fieldset>
          <fieldset className="cdevents-triggers__group">
            <legend>Sinks (none ticked: every sink)</legend>
            {catalog.sinks.length === 0 ? <span>No sinks are configured on the backend.</span> : null}
            {catalog.sinks.map((sink) => (
              <label key={sink} className="cdevents-triggers__check">
                <Checkbox
                  checked={draft.sinks.includes(sink)}
                  onChange={(event) =>
                    set('sinks', event.target.checked ? [...draft.sinks, sink] : draft.sinks.filter((s) => s !== sink))
                  }
                />{' '}
                {sink}
              </label>
            ))}
            <FieldError id="cdevents-trigger-error-sinks" message={errorOf('sinks')} />
          </fieldset>
        </>
      ) : (
        <>
          <fieldset className="cdevents-triggers__group">
            <legend>When a CDEvent arrives that matches</legend>
            {text(
              'types',
              'match.types',
              'Event types',
              'dev.cdevents.artifact.published (comma-separated, prefixes allowed)',
            )}
            {text('source', 'match.source', 'Source', '/ci/* (* is a wildcard)')}
            {text('subjectId', 'match.subjectId', 'Subject id', 'auth-* (* is a wildcard)')}
            {text('artifactPurl', 'match.artifactPurl', 'Artifact purl pattern', 'pkg:oci/auth@*')}
            {text('environment', 'match.environment', 'Environment id')}
            {text('outcome', 'match.outcome', 'Outcome', 'success')}
            {text('customDataField', 'match.customData.field', 'customData field')}
            {text('customDataEquals', 'match.customData.equals', 'equals')}
          </fieldset>
          <FormRow id="cdevents-trigger-action" label="Then" invalid={Boolean(errorOf('action'))}>
            <select
              id="cdevents-trigger-action"
              className="argo-field"
              value={draft.action}
              onChange={(event) => set('action', event.target.value as InboundAction)}
            >
              {catalog.actions.map((action) => (
                <option key={action.id} value={action.id}>
                  {action.label}
                </option>
              ))}
            </select>
            <FieldError id="cdevents-trigger-error-action" message={errorOf('action')} />
          </FormRow>
          {draft.action === 'sync-revision'
            ? text(
                'revisionField',
                'revisionField',
                'Revision from customData field',
                "default: the artifact's version",
              )
            : null}
          {draft.action === 'annotate'
            ? text('annotationKey', 'annotationKey', 'Annotation key', 'example.com/last-event')
            : null}
          {draft.action === 'preview' ? (
            <PreviewTemplateField
              app={app}
              value={draft.template}
              error={errorOf(templateFieldPath)}
              onChange={(value) => set('template', value)}
            />
          ) : null}
          {text('cooldownSeconds', 'cooldownSeconds', 'Cooldown (seconds)')}
        </>
      )}
      <FieldError id="cdevents-trigger-error-kind" message={errorOf('kind')} />
      <div className="cdevents-triggers__effect" aria-label="Effect in Argo CD">
        <strong>Saving writes:</strong>
        {draft.kind === 'outbound' ? (
          <OutboundEffect
            app={app}
            catalog={catalog}
            moments={draft.moments}
            enabled={draft.enabled}
            editingId={editing?.id}
          />
        ) : (
          <ul>
            {describeInboundEffect(draft, app).map((line) => (
              <li key={line}>
                <code>{line}</code>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="cdevents-triggers__actions">
        <button className="argo-button argo-button--base" type="submit" disabled={busy}>
          {editing ? 'Save' : 'Create'}
        </button>
        {draft.kind === 'inbound' ? (
          <button
            className="argo-button argo-button--base-o"
            type="button"
            disabled={busy}
            onClick={() => submit(onDryRun)}
          >
            Dry run
          </button>
        ) : null}
        <button className="argo-button argo-button--base-o" type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
