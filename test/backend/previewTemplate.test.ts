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
    ['no template', {}, /JSON manifest/],
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
