import * as React from 'react';
import type { AppKey } from '../../api';

/**
 * The `preview` action's template: an Argo CD Application manifest, as JSON, whose strings may hold
 * the placeholders the backend fills in per change (src/backend/triggers/previewTemplate.ts). JSON
 * only: a YAML parser would add about 30 KiB gzip to a bundle whose budget is 80 KiB.
 */

export type TemplateParse = { ok: true; template: Record<string, unknown> } | { ok: false; message: string };

/** The backend's field path for the template in a ValidationError's `fields`. */
export const templateFieldPath = 'preview.template';

const placeholders: Array<[string, string]> = [
  ['{{change}}', 'the change id as a DNS label fragment, e.g. acme-portal-pull-42 (metadata.name must hold it)'],
  ['{{change.id}}', 'the change id as the event gives it'],
  ['{{revision}}', 'the revision the event names, else empty'],
  ['{{app}}', 'the name of this app'],
];

/** A starting point the user edits: the repository and path are theirs to fill in. */
export function buildExampleTemplate(app: AppKey): string {
  const template = {
    metadata: { name: `${app.name}-{{change}}` },
    spec: {
      project: app.project,
      source: { repoURL: 'https://github.com/ORG/REPO.git', path: 'deploy', targetRevision: '{{revision}}' },
      destination: { server: 'https://kubernetes.default.svc', namespace: `${app.name}-{{change}}` },
      syncPolicy: { syncOptions: ['CreateNamespace=true'] },
    },
  };
  return JSON.stringify(template, null, 2);
}

/** Reads the textarea; the message says what to fix when it is not a JSON object. */
export function parseTemplateText(text: string): TemplateParse {
  if (text.trim() === '') {
    return { ok: false, message: 'give the preview Application as a JSON manifest with {{change}} in metadata.name' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const yamlLike = !/^\s*[{[]/.test(text);
    return {
      ok: false,
      message: yamlLike
        ? 'the template must be JSON: YAML is not read here (convert it, e.g. with yq -o=json)'
        : `the template is not valid JSON: ${(error as Error).message}`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'the template must be one JSON object: an Application manifest' };
  }
  return { ok: true, template: value as Record<string, unknown> };
}

/** What a preview rule does in Argo CD, with the preview's name pattern when the template gives one. */
export function describePreviewEffect(text: string, app: AppKey): string[] {
  const parsed = parseTemplateText(text);
  const metadata = parsed.ok ? (parsed.template.metadata as { name?: unknown; namespace?: unknown } | undefined) : {};
  const name = typeof metadata?.name === 'string' ? metadata.name : `${app.name}-{{change}}`;
  const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : app.namespace;
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
  return (
    <div className="cdevents-triggers__field">
      <label>
        <span>Preview Application template (JSON)</span>
        <textarea
          className="cdevents-triggers__template"
          rows={12}
          spellCheck={false}
          value={value}
          placeholder={buildExampleTemplate(app)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errorId} ${helpId}` : helpId}
          onChange={(event) => onChange(event.target.value)}
        />
      </label>
      {error ? (
        <div className="cdevents-triggers__field-error" id={errorId} role="alert">
          {error}
        </div>
      ) : null}
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
          className="cdevents-triggers__example"
          onClick={() => onChange(buildExampleTemplate(app))}
        >
          Start from an example
        </button>
      ) : null}
    </div>
  );
}
