import * as React from 'react';
import type { AppKey } from '../../api';
import { FieldError, FormRow } from '../controls';

/**
 * The `preview` action's template: an Argo CD Application manifest, as YAML or JSON, whose strings
 * may hold the placeholders the backend fills in per change (src/backend/triggers/previewTemplate.ts).
 * The text is sent as typed and parsed by the backend, which names the line of a problem: a YAML
 * parser would add about 30 KiB gzip to a bundle whose budget is 80 KiB.
 */

/** The backend's field path for the template in a ValidationError's `fields`. */
export const templateFieldPath = 'preview.template';

const placeholders: Array<[string, string]> = [
  ['{{change}}', 'the change id as a DNS label fragment, e.g. acme-portal-pull-42 (metadata.name must hold it)'],
  ['{{change.id}}', 'the change id as the event gives it'],
  ['{{revision}}', 'the revision the event names, else empty'],
  ['{{app}}', 'the name of this app'],
];

/** A starting point the user edits, in YAML as Argo CD's manifests are: the repository and path are theirs. */
export function buildExampleTemplate(app: AppKey): string {
  return [
    'metadata:',
    `  name: ${app.name}-{{change}}`,
    'spec:',
    `  project: ${app.project}`,
    '  source:',
    '    repoURL: https://github.com/ORG/REPO.git',
    '    path: deploy',
    "    targetRevision: '{{revision}}'",
    '  destination:',
    '    server: https://kubernetes.default.svc',
    `    namespace: ${app.name}-{{change}}`,
    '  syncPolicy:',
    '    syncOptions:',
    '      - CreateNamespace=true',
    '',
  ].join('\n');
}

/**
 * metadata.name and metadata.namespace of the template for the effect preview, read without a YAML
 * parser: JSON when it parses, else the `name:` and `namespace:` keys of a block `metadata:` mapping.
 * Undefined where the text does not say; the backend's parse is the one that counts.
 */
export function readTemplateMetadata(text: string): { name?: string; namespace?: string } {
  try {
    const value = JSON.parse(text) as { metadata?: { name?: unknown; namespace?: unknown } } | null;
    const metadata = value?.metadata;
    return {
      ...(typeof metadata?.name === 'string' ? { name: metadata.name } : {}),
      ...(typeof metadata?.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    };
  } catch {
    const block = /^metadata:[ \t]*\r?\n((?:[ \t]+.*(?:\r?\n|$))*)/m.exec(text)?.[1] ?? '';
    const indent = /^[ \t]+/.exec(block)?.[0] ?? '';
    const read = (key: string): string | undefined => {
      for (const line of block.split(/\r?\n/)) {
        if (!line.startsWith(`${indent}${key}:`) || /^[ \t]/.test(line.slice(indent.length))) continue;
        const value = line
          .slice(indent.length + key.length + 1)
          .trim()
          .replace(/^(['"])(.*)\1$/, '$2');
        return value === '' ? undefined : value;
      }
      return undefined;
    };
    const name = read('name');
    const namespace = read('namespace');
    return { ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) };
  }
}

/** What a preview rule does in Argo CD, with the preview's name pattern when the template gives one. */
export function describePreviewEffect(text: string, app: AppKey): string[] {
  const metadata = readTemplateMetadata(text);
  const name = metadata.name ?? `${app.name}-{{change}}`;
  const namespace = metadata.namespace ?? app.namespace;
  const preview = `Application ${namespace}/${name}`;
  return [
    `change opened or updated: POST /api/v1/applications?upsert=true creates or updates ${preview} (labels cdevents.dev/preview-of=${app.name}, cdevents.dev/change={{change}}), then POST /api/v1/applications/${name}/sync`,
    `change merged or abandoned: DELETE /api/v1/applications/${name}?appNamespace=${namespace}`,
    `other matching events: POST …/sync of each Application labelled cdevents.dev/preview-of=${app.name} (of the changes the event names, else all)`,
  ];
}

interface PreviewTemplateFieldProps {
  app: AppKey;
  value: string;
  /** The backend's or the form's sentence for the template, shown at the field. */
  error: string | undefined;
  onChange(value: string): void;
}

/** The textarea for the preview Application's template, its placeholders and its problem. */
export function PreviewTemplateField({ app, value, error, onChange }: PreviewTemplateFieldProps) {
  const errorId = 'cdevents-trigger-error-preview-template';
  const helpId = 'cdevents-trigger-help-preview-template';
  const fieldId = 'cdevents-trigger-preview-template';
  return (
    <FormRow id={fieldId} label="Preview Application template (YAML or JSON)" invalid={Boolean(error)}>
      <textarea
        id={fieldId}
        className="argo-textarea cdevents-triggers__template"
        rows={12}
        spellCheck={false}
        value={value}
        placeholder={buildExampleTemplate(app)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${errorId} ${helpId}` : helpId}
        onChange={(event) => onChange(event.target.value)}
      />
      <FieldError id={errorId} message={error} />
      <div className="cdevents-triggers__help" id={helpId}>
        Placeholders:{' '}
        {placeholders.map(([name, meaning], index) => (
          <React.Fragment key={name}>
            {index > 0 ? '; ' : null}
            <code>{name}</code> {meaning}
          </React.Fragment>
        ))}
        .
      </div>
      {value.trim() === '' ? (
        <button
          type="button"
          className="argo-button argo-button--base-o cdevents-triggers__example"
          onClick={() => onChange(buildExampleTemplate(app))}
        >
          Start from an example
        </button>
      ) : null}
    </FormRow>
  );
}
