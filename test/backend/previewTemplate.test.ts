import type { CandidateEvent } from '../../src/backend/triggers/matchInboundEvent';
import {
  buildChangeSlug,
  decidePreviewStep,
  parsePreviewSettings,
  renderPreviewApplication,
} from '../../src/backend/triggers/previewTemplate';

function event(type: string, subjectId: string | null, payload: object = {}): CandidateEvent {
  return {
    type,
    source: 'https://github.com/acme/portal',
    id: 'e1',
    subjectId,
    chainId: null,
    verdict: 'valid',
    payload,
  };
}

const portal = { instance: 'default', namespace: 'argocd', name: 'portal' };
const template = {
  metadata: { name: 'portal-{{change}}', labels: { team: 'web' } },
  spec: { source: { targetRevision: '{{ revision }}' }, destination: { namespace: 'preview-{{change}}' } },
};

describe('preview environments: which step an event asks for', () => {
  it.each([
    ['dev.cdevents.change.created.0.3.0', 'upsert'],
    ['dev.cdevents.change.updated.0.3.0', 'upsert'],
    ['dev.cdevents.change.reviewed.0.3.0', 'upsert'],
    ['dev.cdevents.change.merged.0.3.0', 'remove'],
    ['dev.cdevents.change.abandoned.0.3.0', 'remove'],
  ])('%s → %s the preview of its change', (type, kind) => {
    expect(decidePreviewStep(event(type, 'acme/portal/pull/42'))).toMatchObject({
      kind,
      change: { id: 'acme/portal/pull/42', slug: 'acme-portal-pull-42' },
    });
  });

  it('syncs every preview on a signal that names no change (a DB schema published)', () => {
    expect(decidePreviewStep(event('dev.cdevents.artifact.published.0.3.0', 'pkg:generic/schema@1'))).toEqual({
      kind: 'refresh',
      changes: [],
    });
  });

  it('syncs only the named change’s preview when the signal names one', () => {
    const step = decidePreviewStep(
      event('dev.cdevents.pipelinerun.finished.0.3.0', 'run-1', {
        subject: { content: { change: { id: 'acme/portal/pull/7' } } },
      }),
    );
    expect(step).toMatchObject({ kind: 'refresh', changes: [{ slug: 'acme-portal-pull-7' }] });
  });

  it.each([
    ['acme/portal/pull/42', 'acme-portal-pull-42'],
    ['https://github.com/Acme/Portal/pull/42', 'https-github-com-acme-portal-pull-42'.slice(-40).replace(/^-+/, '')],
    ['PR #9', 'pr-9'],
  ])('makes %s a DNS-safe {{change}} (%s)', (id, slug) => {
    expect(buildChangeSlug(id)).toBe(slug);
    expect(buildChangeSlug(id)).toMatch(/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/);
  });

  it('gives a change id with no letters or digits a hashed {{change}}', () => {
    expect(buildChangeSlug('///')).toMatch(/^c-[0-9a-f]{12}$/);
  });
});

describe('preview environments: the template', () => {
  it('fills the placeholders, puts the preview in the rule app’s namespace and labels it', () => {
    const settings = parsePreviewSettings({ template }, {})!;
    const rendered = renderPreviewApplication(settings, portal, {
      id: 'acme/portal/pull/42',
      slug: 'acme-portal-pull-42',
      revision: 'abc',
    });
    expect(rendered).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'portal-acme-portal-pull-42',
        namespace: 'argocd',
        labels: { team: 'web', 'cdevents.dev/preview-of': 'portal', 'cdevents.dev/change': 'acme-portal-pull-42' },
        annotations: { 'cdevents.dev/change-id': 'acme/portal/pull/42' },
      },
      spec: { source: { targetRevision: 'abc' }, destination: { namespace: 'preview-acme-portal-pull-42' } },
    });
  });

  it.each([
    ['no template', {}, /YAML or JSON manifest/],
    [
      'a name without {{change}}',
      { template: { metadata: { name: 'portal-preview' }, spec: {} } },
      /must hold \{\{change\}\}/,
    ],
    ['no spec', { template: { metadata: { name: 'p-{{change}}' } } }, /needs a spec/],
  ])('refuses %s with a sentence at preview.template', (_name, value, message) => {
    const fields: Record<string, string> = {};
    expect(parsePreviewSettings(value, fields)).toBeUndefined();
    expect(fields['preview.template']).toMatch(message);
  });
});

describe('preview environments: the template as typed (YAML or JSON, parsed here, not in the tab)', () => {
  const yaml = [
    '# one preview per pull request',
    'metadata:',
    '  name: portal-{{change}}',
    '  labels: { team: web }',
    'spec:',
    '  source:',
    "    targetRevision: '{{ revision }}'",
    '  destination:',
    '    namespace: preview-{{change}}',
    '',
  ].join('\n');

  it('reads a YAML manifest and keeps the text as typed', () => {
    const fields: Record<string, string> = {};
    expect(parsePreviewSettings({ templateText: yaml }, fields)).toEqual({ template, templateText: yaml });
    expect(fields).toEqual({});
  });

  it('reads JSON text too', () => {
    expect(parsePreviewSettings({ templateText: JSON.stringify(template) }, {})?.template).toEqual(template);
  });

  it.each([
    [
      'a key out of line with its siblings',
      'metadata:\n  name: portal-{{change}}\n spec: {}\n',
      'line 3, column 1: All mapping items must start at the same column',
    ],
    [
      'a tab as indentation',
      'metadata:\n\tname: portal-{{change}}\n',
      'line 2, column 1: Tabs are not allowed as indentation',
    ],
    [
      'a key given twice',
      'metadata:\n  name: a-{{change}}\n  name: b-{{change}}\n',
      'line 3, column 3: Map keys must be unique',
    ],
    [
      'a list instead of a manifest',
      '- metadata\n- spec\n',
      'the template must be one mapping: an Application manifest (metadata, spec)',
    ],
  ])('names the line of %s at preview.template', (_label, text, sentence) => {
    const fields: Record<string, string> = {};
    expect(parsePreviewSettings({ templateText: text }, fields)).toBeUndefined();
    expect(fields['preview.template']).toBe(sentence);
  });

  it('checks the parsed manifest as it checks an object', () => {
    const fields: Record<string, string> = {};
    parsePreviewSettings({ templateText: 'metadata:\n  name: portal-preview\nspec: {}\n' }, fields);
    expect(fields['preview.template']).toMatch(/must hold \{\{change\}\}/);
  });
});
