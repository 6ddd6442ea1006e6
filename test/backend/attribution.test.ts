/**
 * The simple attribution rules: subject id, customData naming the app, and the
 * app's own (emitted) events; and how the Argo CD instance is decided.
 */
import { summarizeEvent } from '../../src/cdevents';
import { attributeEvent, decideDirection, parseArgoCdSource } from '../../src/backend/chains/attribution';

function attribute(event: Record<string, unknown>) {
  const summary = summarizeEvent(event);
  return attributeEvent({ event, summary, direction: decideDirection(summary.source) }).map(({ app, attribution }) => [
    `${app.instance}/${app.namespace}/${app.name}`,
    attribution.rule,
    attribution.detail,
  ]);
}

function event(source: string, subjectId: string, customData?: unknown) {
  return {
    context: { id: '1', source, type: 'dev.cdevents.service.deployed.0.3.0', timestamp: '2025-01-01T00:00:00Z' },
    subject: { id: subjectId, content: {} },
    ...(customData === undefined ? {} : { customData }),
  };
}

describe('attribution rules', () => {
  it.each([
    [
      'a subject id <namespace>/<name> from any tool',
      event('/ci', 'argocd/auth'),
      [['*/argocd/auth', 'subject', 'subject id is argocd/auth']],
    ],
    ['a subject id that is not an app path', event('/ci', 'pkg:oci/auth@1'), []],
    [
      'an Argo CD event naming its instance in the source',
      event('/argocd/east/argocd', 'argocd/auth'),
      [['east/argocd/auth', 'emitted', 'emitted by Argo CD for argocd/auth']],
    ],
    [
      "an event Argo CD's own templates posted (the demo's and the proposal's /argocd/<namespace>): received",
      event('/argocd/argocd', 'argocd/auth'),
      [['*/argocd/auth', 'subject', 'subject id is argocd/auth']],
    ],
    [
      "cdviz's customData.argocd.application {name, namespace}",
      event('/ci', 'x', { argocd: { application: { name: 'podinfo', namespace: 'argocd' } } }),
      [['*/argocd/podinfo', 'custom-data', 'customData.argocd.application names argocd/podinfo']],
    ],
    [
      'customData.application "<namespace>/<name>"',
      event('/ci', 'x', { application: 'team/web' }),
      [['*/team/web', 'custom-data', 'customData.application names team/web']],
    ],
    [
      'customData.app holding a whole Application',
      event('/ci', 'x', { app: { metadata: { name: 'web', namespace: 'team' } } }),
      [['*/team/web', 'custom-data', 'customData.app names team/web']],
    ],
    [
      "the demo templates' customData.argocdApp (a name only: any namespace)",
      event('/ci', 'x', { argocdApp: 'web' }),
      [['*/*/web', 'custom-data', 'customData.argocdApp names web (any namespace)']],
    ],
    ['customData that is a base64 string', event('/ci', 'x', 'eyJhIjoxfQ=='), []],
    ['customData naming something that is not an app name', event('/ci', 'x', { app: 'Not An App!' }), []],
  ])('attributes %s', (_case, input, expected) => {
    expect(attribute(input)).toEqual(expected);
  });

  it('gives one reason per rule and app even when several customData keys name it', () => {
    const reasons = attribute(event('/ci', 'argocd/web', { app: 'argocd/web', application: 'argocd/web' }));
    expect(reasons.map(([app, rule]) => `${app} ${rule}`)).toEqual([
      '*/argocd/web subject',
      '*/argocd/web custom-data',
    ]);
  });

  it.each([
    ['/argocd/east/argocd', { instance: 'east', namespace: 'argocd' }],
    ['/argocd/argocd', undefined],
    ['/argocd/east/argocd/extra', undefined],
    ['https://ci.example.com', undefined],
  ])('reads the instance of source %s', (source, expected) => {
    expect(parseArgoCdSource(source)).toEqual(expected);
  });

  it.each([
    ['/argocd/default/argocd', 'emitted'],
    ['/argocd/production', 'received'],
    ['argocd/production-cluster', 'received'],
    ['/ci/pipeline', 'received'],
    [undefined, 'received'],
  ])('calls an event from source %s %s', (source, direction) => {
    expect(decideDirection(source)).toBe(direction);
  });
});
