/**
 * Preview environments (the talk's use case 5), the pure half: which step an
 * event asks for, and the preview Application rendered from the user's
 * template. A preview is an Argo CD Application per change, created or updated
 * when the change is opened or updated, removed when it is merged or abandoned,
 * and synced again on the other events the rule matches (a DB schema artifact
 * published, a dependency's service upgraded): those of the changes the event
 * names, else every preview of the rule.
 *
 * The template is an Application manifest whose strings may hold placeholders:
 *   {{change}}     the change id as a DNS label fragment (e.g. "acme-auth-pull-12")
 *   {{change.id}}  the change id as the event gives it
 *   {{revision}}   the revision the event names, else the empty string
 *   {{app}}        the name of the app the rule belongs to
 * metadata.name must hold {{change}}, so each change gets its own Application.
 */
import { createHash } from 'crypto';
import type { PreviewSettings } from '../api/triggerContract';
import { extractEventFacts } from '../chains/extractEventFacts';
import type { AppRef } from '../store/types';
import type { CandidateEvent } from './matchInboundEvent';
import { parseTemplateText } from './parseTemplateText';

/** Labels every preview carries, so the backend finds the previews of a rule and of a change. */
export const previewLabels = { of: 'cdevents.dev/preview-of', change: 'cdevents.dev/change' } as const;

export interface ChangeRef {
  id: string;
  /** {{change}}: lower-case letters, digits and dashes, at most 40 characters. */
  slug: string;
  revision: string;
}

export type PreviewStep =
  | { kind: 'upsert'; change: ChangeRef }
  | { kind: 'remove'; change: ChangeRef }
  /** Empty `changes`: every preview of the rule. */
  | { kind: 'refresh'; changes: ChangeRef[] };

const placeholderPattern = /\{\{\s*(change\.id|change|revision|app)\s*\}\}/g;
const maxTemplateBytes = 64 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "acme/auth/pull/12" → "acme-auth-pull-12": DNS-safe, keeping the end (where the number is). */
export function buildChangeSlug(id: string): string {
  const slug = id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const tail = slug.slice(-40).replace(/^-+/, '');
  return tail !== '' ? tail : `c-${createHash('sha256').update(id).digest('hex').slice(0, 12)}`;
}

function toChange(id: string, revision: string): ChangeRef {
  return { id, slug: buildChangeSlug(id), revision };
}

/** Which step an event that matched a preview rule asks for. */
export function decidePreviewStep(event: CandidateEvent): PreviewStep {
  const facts = extractEventFacts(event.payload);
  const revision = facts.revisions[0] ?? '';
  const predicate = /^dev\.cdevents\.change\.([a-z]+)\./.exec(event.type ?? '')?.[1];
  const changeId = event.subjectId ?? facts.changeIds[0];
  if (predicate && changeId) {
    if (predicate === 'merged' || predicate === 'abandoned') return { kind: 'remove', change: toChange(changeId, '') };
    return { kind: 'upsert', change: toChange(changeId, revision) };
  }
  return { kind: 'refresh', changes: facts.changeIds.map((id) => toChange(id, revision)) };
}

/**
 * Reads `preview` of a trigger input: `templateText` (YAML or JSON as typed, what the panel sends)
 * or `template` (the manifest as a JSON object). Adds a sentence to `fields` for each problem; a
 * text that does not parse names its line.
 */
export function parsePreviewSettings(value: unknown, fields: Record<string, string>): PreviewSettings | undefined {
  const raw = isRecord(value) ? value : undefined;
  const text = typeof raw?.templateText === 'string' ? raw.templateText : undefined;
  let template = raw?.template;
  if (text !== undefined) {
    const parsed = parseTemplateText(text);
    if (!parsed.ok) {
      fields['preview.template'] = parsed.message;
      return undefined;
    }
    template = parsed.template;
  }
  if (!isRecord(template)) {
    fields['preview.template'] =
      'give the preview Application as a YAML or JSON manifest with {{change}} in metadata.name';
    return undefined;
  }
  if (Buffer.byteLength(JSON.stringify(template)) > maxTemplateBytes) {
    fields['preview.template'] = `the template must be at most ${maxTemplateBytes / 1024} KiB`;
    return undefined;
  }
  const metadata = isRecord(template.metadata) ? template.metadata : undefined;
  if (typeof metadata?.name !== 'string' || !/\{\{\s*change\s*\}\}/.test(metadata.name)) {
    fields['preview.template'] =
      'metadata.name must hold {{change}}, e.g. "portal-{{change}}", so each change gets its own';
  } else if (!isRecord(template.spec)) {
    fields['preview.template'] = 'the template needs a spec (source and destination), as an Application does';
  }
  if (fields['preview.template']) return undefined;
  // The text is kept as typed (comments, order), so the panel edits what the user wrote.
  return text !== undefined ? { template, templateText: text } : { template };
}

function fill(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(placeholderPattern, (_all, name: string) => values[name] ?? '');
  if (Array.isArray(value)) return value.map((item) => fill(item, values));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, values)]));
  return value;
}

/** The preview Application for a change: the template filled in, in the rule's app namespace, with our labels. */
export function renderPreviewApplication(
  settings: PreviewSettings,
  app: AppRef,
  change: ChangeRef,
): Record<string, unknown> & { metadata: { name: string; namespace: string; [key: string]: unknown } } {
  const filled = fill(settings.template, {
    change: change.slug,
    'change.id': change.id,
    revision: change.revision,
    app: app.name,
  }) as Record<string, unknown>;
  const metadata = (isRecord(filled.metadata) ? filled.metadata : {}) as Record<string, unknown>;
  const labels = isRecord(metadata.labels) ? metadata.labels : {};
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    ...filled,
    metadata: {
      ...metadata,
      name: String(metadata.name),
      namespace: typeof metadata.namespace === 'string' ? metadata.namespace : app.namespace,
      labels: { ...labels, [previewLabels.of]: app.name, [previewLabels.change]: change.slug },
      annotations: {
        ...(isRecord(metadata.annotations) ? metadata.annotations : {}),
        'cdevents.dev/change-id': change.id,
      },
    },
  };
}

/** What a preview rule would do for an event, as the firing and the dry run say it. */
export function describePreviewStep(step: PreviewStep, app: AppRef): string {
  switch (step.kind) {
    case 'upsert':
      return `create or update the preview of change ${step.change.id} from ${app.name}'s template`;
    case 'remove':
      return `remove the preview of change ${step.change.id}`;
    case 'refresh':
      return step.changes.length > 0
        ? `sync the previews of change ${step.changes.map((change) => change.id).join(', ')}`
        : `sync every preview of ${app.name}`;
  }
}
