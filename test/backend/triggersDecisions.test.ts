/**
 * The pure decisions of triggers: which events fire a rule and why, the
 * cooldown, the dry run, the editor policy, and what the backend owns in
 * argocd-notifications-cm and on the Application.
 */
import { buildNotificationsData } from '../../src/backend/argocd/buildNotificationsConfig';
import { buildDryRun, type HistoryEvent } from '../../src/backend/triggers/buildDryRun';
import {
  buildAnnotationPatch,
  buildConfigMapEdit,
  isOwnedAnnotation,
  isOwnedConfigMapKey,
} from '../../src/backend/triggers/buildOutboundPlan';
import { decideCooldown } from '../../src/backend/triggers/decideFiring';
import { decideEditAccess, parseEditorPolicy } from '../../src/backend/triggers/editorPolicy';
import { chooseSyncRevision, classifyAppSource } from '../../src/backend/triggers/chooseSyncRevision';
import { type CandidateEvent, matchInboundEvent } from '../../src/backend/triggers/matchInboundEvent';
import { generatorTriggerNames, moments } from '../../src/backend/triggers/triggerCatalog';
import type { InboundRule } from '../../src/backend/triggers/triggerDefinition';

const testRun: CandidateEvent = {
  type: 'dev.cdevents.testsuiterun.finished.0.2.0',
  source: '/ci/tekton',
  id: 'run-1',
  subjectId: 'suite-run-1',
  chainId: null,
  verdict: 'valid',
  payload: {
    subject: {
      id: 'suite-run-1',
      content: { outcome: 'pass', environment: { id: 'prod/auth' }, artifactId: 'pkg:oci/auth@v1.2.0' },
    },
    customData: { release: { channel: 'stable' } },
  },
};

describe('matching a received event', () => {
  it.each([
    ['a type prefix', { types: ['dev.cdevents.testsuiterun'] }, true],
    ['another type', { types: ['dev.cdevents.artifact.published'] }, false],
    ['a source wildcard', { types: ['dev.cdevents'], source: '/ci/*' }, true],
    ['another source', { types: ['dev.cdevents'], source: '/github/*' }, false],
    ['the artifact purl pattern', { types: ['dev.cdevents'], artifactPurl: 'pkg:oci/auth@v1.*' }, true],
    ['another artifact', { types: ['dev.cdevents'], artifactPurl: 'pkg:oci/portal@*' }, false],
    ['the environment', { types: ['dev.cdevents'], environment: 'prod/auth' }, true],
    ['the outcome, in any case', { types: ['dev.cdevents'], outcome: 'PASS' }, true],
    ['another outcome', { types: ['dev.cdevents'], outcome: 'fail' }, false],
    [
      'a customData path that equals',
      { types: ['dev.cdevents'], customData: { field: 'release.channel', equals: 'stable' } },
      true,
    ],
    [
      'a customData path that differs',
      { types: ['dev.cdevents'], customData: { field: 'release.channel', equals: 'beta' } },
      false,
    ],
  ])('by %s', (_label, match, expected) => {
    expect(matchInboundEvent(match, testRun).matched).toBe(expected);
  });

  it('never fires on an invalid event, and says so', () => {
    expect(matchInboundEvent({ types: ['dev.cdevents'] }, { ...testRun, verdict: 'invalid' })).toEqual({
      matched: false,
      failed: 'the event is not a valid CDEvent',
    });
  });

  it('gives one reason per condition that held', () => {
    const result = matchInboundEvent({ types: ['dev.cdevents.testsuiterun'], outcome: 'pass' }, testRun);
    expect(result).toEqual({
      matched: true,
      reasons: ['type is dev.cdevents.testsuiterun.finished.0.2.0', 'outcome is pass'],
    });
  });

  it.each([
    ['the artifact version by default', {}, 'v1.2.0'],
    ['a customData field when the rule names one', { revisionField: 'release.channel' }, 'stable'],
  ])('resolves the revision to sync to from %s', (_label, extra, revision) => {
    const rule = {
      kind: 'inbound',
      name: 'r',
      enabled: true,
      match: { types: [] },
      action: 'sync-revision',
      cooldownSeconds: 0,
      ...extra,
    } as InboundRule;
    expect(chooseSyncRevision(rule, testRun, 'git')).toEqual({ ok: true, revision });
  });

  describe('never syncs an app whose source is not OCI to an image digest', () => {
    const digest = 'sha256:' + 'a1'.repeat(32);
    const published: CandidateEvent = {
      ...testRun,
      type: 'dev.cdevents.artifact.published.0.3.0',
      subjectId: `pkg:oci/auth@${encodeURIComponent(digest)}?repository_url=ghcr.io/example-org/auth`,
      payload: {
        context: { type: 'dev.cdevents.artifact.published.0.3.0' },
        subject: { id: `pkg:oci/auth@${encodeURIComponent(digest)}?repository_url=ghcr.io/example-org/auth` },
      },
    };
    const rule = {
      kind: 'inbound',
      name: 'r',
      enabled: true,
      match: { types: ['dev.cdevents.artifact.published'] },
      action: 'sync-revision',
      cooldownSeconds: 0,
    } as InboundRule;
    const app = { instance: 'default', namespace: 'argocd', name: 'auth' };

    it.each([
      ['a git repository', 'git' as const],
      ['a Helm chart', 'helm' as const],
    ])('refuses it for %s source, saying why', (label, kind) => {
      const choice = chooseSyncRevision(rule, published, kind);
      expect(choice).toEqual({
        ok: false,
        reason: `the event names no revision this app can sync to: oci auth@${digest} (this app's source is ${label}; name the customData field that holds the revision instead)`,
      });
    });

    it('refuses it when the backend has not seen the app, and takes it for an OCI source', () => {
      expect(chooseSyncRevision(rule, published, 'unknown').ok).toBe(false);
      expect(chooseSyncRevision(rule, published, 'oci')).toEqual({ ok: true, revision: digest });
    });

    it('proposes nothing in the dry run of a git-sourced app', () => {
      const event: HistoryEvent = { ...published, key: 'e1', eventTime: '2025-10-01T10:00:00.000Z' };
      const [item] = buildDryRun(rule, app, [event], 'git').items;
      expect(item!.action).toMatch(/^nothing: the event names no revision this app can sync to/);
      expect(item!.action).not.toContain('sync argocd/auth to');
    });

    it.each([
      ['a git source', { source: { repoURL: 'https://github.com/example-org/auth', path: 'deploy' } }, 'git'],
      ['a Helm chart', { source: { repoURL: 'https://charts.example.com', chart: 'auth' } }, 'helm'],
      ['an OCI source', { source: { repoURL: 'oci://ghcr.io/example-org/auth-manifests' } }, 'oci'],
      [
        'a chart and a values repository',
        {
          sources: [
            { repoURL: 'https://charts.example.com', chart: 'store' },
            { repoURL: 'https://github.com/example-org/store-config', ref: 'values' },
          ],
        },
        'helm',
      ],
      ['no spec', undefined, 'unknown'],
    ])('reads the kind of %s', (_label, spec, kind) => {
      expect(classifyAppSource(spec ? { metadata: { name: 'a', uid: 'u' }, spec } : undefined)).toBe(kind);
    });
  });
});

describe('the cooldown', () => {
  const at = new Date('2025-10-01T10:00:00Z');
  it.each([
    ['never fired', 60, undefined, true],
    ['fired longer ago than the cooldown', 60, new Date('2025-10-01T09:58:59Z'), true],
    ['fired within the cooldown', 60, new Date('2025-10-01T09:59:30Z'), false],
    ['no cooldown', 0, new Date('2025-10-01T10:00:00Z'), true],
  ])('fires when the rule %s: %s', (_label, seconds, last, fires) => {
    expect(decideCooldown(seconds, last, at).fire).toBe(fires);
  });
});

describe('the dry run', () => {
  it('replays the rule oldest first with the cooldown and lists the newest first', () => {
    const rule: InboundRule = {
      kind: 'inbound',
      name: 'r',
      enabled: true,
      match: { types: ['dev.cdevents.testsuiterun'] },
      action: 'refresh',
      cooldownSeconds: 60,
    };
    const events: HistoryEvent[] = ['10:00:00', '10:00:30', '10:02:00'].map((time, index) => ({
      ...testRun,
      id: `run-${index}`,
      key: `e${index}`,
      eventTime: `2025-10-01T${time}.000Z`,
    }));
    const result = buildDryRun(rule, { instance: 'default', namespace: 'argocd', name: 'auth' }, events);
    expect(result.items.map((item) => [item.event.id, item.outcome])).toEqual([
      ['run-2', 'fire'],
      ['run-1', 'cooldown'],
      ['run-0', 'fire'],
    ]);
    expect(result.items[2]!.action).toBe('refresh argocd/auth');
  });

  it('orders by when events happened, not when they arrived: a backlog sent at once is not all "cooldown"', () => {
    // Three releases a day apart, received within one second (a backfill): the list arrives newest first.
    const rule: InboundRule = {
      kind: 'inbound',
      name: 'r',
      enabled: true,
      match: { types: ['dev.cdevents.testsuiterun'] },
      action: 'refresh',
      cooldownSeconds: 600,
    };
    const events: HistoryEvent[] = ['2025-10-03', '2025-10-02', '2025-10-01'].map((day, index) => ({
      ...testRun,
      id: `run-${day}`,
      key: `e${index}`,
      eventTime: `${day}T10:00:00.000Z`,
    }));
    const result = buildDryRun(rule, { instance: 'default', namespace: 'argocd', name: 'auth' }, events);
    expect(result.items.map((item) => [item.event.id, item.outcome, item.event.at])).toEqual([
      ['run-2025-10-03', 'fire', '2025-10-03T10:00:00.000Z'],
      ['run-2025-10-02', 'fire', '2025-10-02T10:00:00.000Z'],
      ['run-2025-10-01', 'fire', '2025-10-01T10:00:00.000Z'],
    ]);
  });
});

describe('the editor policy (CDEVENTS_TRIGGER_EDITORS)', () => {
  const policy = parseEditorPolicy('user:alice, group:release-managers');
  it.each([
    ['a listed user', { username: 'alice', groups: [] }, true],
    ['a member of a listed group', { username: 'carol', groups: ['dev', 'release-managers'] }, true],
    ['anyone else', { username: 'bob', groups: ['dev'] }, false],
    ['a request without a user', { username: undefined, groups: [] }, false],
  ])('decides for %s', (_label, editor, allowed) => {
    expect(decideEditAccess(policy, editor).allowed).toBe(allowed);
  });

  it('lets nobody write when empty, and says so', () => {
    expect(decideEditAccess(parseEditorPolicy(''), { username: 'alice', groups: [] })).toEqual({
      allowed: false,
      reason: 'nobody may change triggers: CDEVENTS_TRIGGER_EDITORS is empty',
    });
  });

  it('names an entry without user: or group:', () => {
    expect(() => parseEditorPolicy('alice')).toThrow(
      'CDEVENTS_TRIGGER_EDITORS entries must be user:<name> or group:<name>, got "alice"',
    );
  });
});

describe('what the backend owns in Argo CD', () => {
  it('maps every moment to triggers the argocd-config generator defines', () => {
    for (const moment of moments)
      for (const name of moment.argocdTriggers) expect(generatorTriggerNames).toContain(name);
  });

  it.each([
    ['trigger.cdevents-on-deployed', true],
    ['template.cdevents-app', true],
    ['service.webhook.cdevents', true],
    ['subscriptions', false],
    ['trigger.on-sync-succeeded', false],
    ['service.webhook.cdevents-other', false],
  ])('ConfigMap key %s owned: %s', (key, owned) => {
    expect(isOwnedConfigMapKey(key)).toBe(owned);
  });

  it.each([
    ['notifications.argoproj.io/subscribe.cdevents-on-deployed.cdevents', true],
    ['notifications.argoproj.io/subscribe.cdevents-on-deployed.slack', false],
    ['notifications.argoproj.io/subscribe.on-sync.cdevents', false],
    ['example.com/other', false],
  ])('annotation %s owned: %s', (key, owned) => {
    expect(isOwnedAnnotation(key)).toBe(owned);
  });

  it('writes the generator’s values for owned keys and leaves other keys as they were', () => {
    const options = { backendUrl: 'http://backend:8080', instance: 'default', namespace: 'argocd' };
    const current = { 'service.slack': 'token: $t\n', subscriptions: 'mine\n', 'template.cdevents-app': 'stale' };
    const edit = buildConfigMapEdit(current, options);
    expect(edit.data!['service.slack']).toBe('token: $t\n');
    expect(edit.data!.subscriptions).toBe('mine\n');
    expect(edit.data!['template.cdevents-app']).toBe(buildNotificationsData(options)['template.cdevents-app']);
    expect(buildConfigMapEdit(edit.data, options)).toEqual({ written: [], data: undefined });
  });

  it('patches only owned annotations: sets the wanted ones, deletes the unwanted ones with null', () => {
    const patch = buildAnnotationPatch(
      {
        'notifications.argoproj.io/subscribe.cdevents-on-deleted.cdevents': '',
        'notifications.argoproj.io/subscribe.on-sync.slack': 'ops',
      },
      ['notifications.argoproj.io/subscribe.cdevents-on-deployed.cdevents'],
    );
    expect(patch.patch).toEqual({
      metadata: {
        annotations: {
          'notifications.argoproj.io/subscribe.cdevents-on-deployed.cdevents': '',
          'notifications.argoproj.io/subscribe.cdevents-on-deleted.cdevents': null,
        },
      },
    });
  });
});
