import type { CDEvent } from '../../../src/cdevents';
import { convertEvent, summarizeEvent, validateEvent } from '../../../src/cdevents';
import {
  type AppMemory,
  type Application,
  buildSyncEventId,
  isApplication,
  isReconstructedEvent,
  mapApplicationState,
  tryParsePurl,
} from '../../../src/backend/argocd';
import { readCapturedNotifications, readRenderedApp, readRenderedApps } from './fixtures';
import { BASE_APP, REV, type StateSpec, buildState } from './states';

const options = { instance: 'default', now: () => new Date('2030-01-01T00:00:00Z') };

/** Runs states through the mapping one after another, carrying memory, and returns each step's event types. */
function runSequence(states: Application[], memory?: AppMemory) {
  const steps: CDEvent[][] = [];
  let current = memory;
  for (const app of states) {
    const result = mapApplicationState(current, app, options);
    steps.push(result.events);
    current = result.memory;
  }
  return { steps, memory: current, all: steps.flat() };
}

function typesOf(events: CDEvent[]): string[] {
  return events.map((event) => event.context.type.replace(/^dev\.cdevents\./, '').replace(/\.\d+\.\d+\.\d+$/, ''));
}

function expectValid(event: CDEvent) {
  expect({ id: event.context.id, verdict: validateEvent(event) }).toEqual({
    id: event.context.id,
    verdict: expect.objectContaining({ status: 'valid' }),
  });
}

const T = (minute: number) => `2025-10-02T16:${String(minute).padStart(2, '0')}:00Z`;
const op = (
  phase: NonNullable<StateSpec['op']>['phase'],
  revision: string,
  minute: number,
  extra: Partial<NonNullable<StateSpec['op']>> = {},
) => ({
  phase,
  revision,
  startedAt: T(minute),
  ...extra,
});

describe('mapping every real Argo CD payload', () => {
  const captured = readCapturedNotifications();
  const rendered = readRenderedApps();

  it('reads 23 captured notifications and 7 rendered apps', () => {
    expect(captured).toHaveLength(23);
    expect(rendered).toHaveLength(7);
  });

  it.each(captured.map((item) => [item.file, item.body.app] as const))(
    'captured %s: every emitted event is a valid CDEvent about the app',
    (_file, app) => {
      expect(isApplication(app)).toBe(true);
      const { events } = mapApplicationState(undefined, app, options);
      for (const event of events) {
        expectValid(event);
        expect(event.context.source).toBe(`/argocd/default/${app.metadata.namespace}`);
        const summary = summarizeEvent(event);
        if (summary.subject === 'service') expect(summary.subjectId).toBe(`argocd/${app.metadata.name}`);
        const artifactId = event.subject.content.artifactId;
        if (artifactId !== undefined) expect(tryParsePurl(artifactId)).toBeDefined();
      }
    },
  );

  it('emits events that stay valid when a sink asks for spec 0.4.1', () => {
    const events = [...captured.map((item) => item.body.app), ...rendered.map((item) => item.app)].flatMap(
      (app) => mapApplicationState(undefined, app, options).events,
    );
    expect(events.length).toBeGreaterThan(20);
    for (const event of events) {
      const converted = convertEvent(event, '0.4.1');
      expect({ id: converted.context.id, verdict: validateEvent(converted) }).toEqual({
        id: event.context.id,
        verdict: { status: 'valid', specVersion: '0.4.1' },
      });
    }
  });

  it.each(rendered.map((item) => [item.file, item.app] as const))(
    'rendered %s: every emitted event is a valid CDEvent',
    (_file, app) => {
      const { events } = mapApplicationState(undefined, app, options);
      events.forEach(expectValid);
    },
  );

  it.each([
    ['a_single_source_succeeded_healthy', ['service.upgraded']],
    ['b_multi_source_degraded', ['service.deployed', 'incident.detected']],
    ['c_multi_source_deleting', ['service.upgraded', 'service.removed']],
    ['d_single_source_running', []],
    ['e_single_source_failed_quoted_message', ['incident.detected']],
    ['f_single_source_degraded_quoted_health_message', ['service.upgraded', 'incident.detected']],
    ['g_single_source_never_synced', ['incident.detected']],
  ])('rendered %s seen for the first time emits %j', (name, expected) => {
    expect(typesOf(mapApplicationState(undefined, readRenderedApp(name), options).events)).toEqual(expected);
  });

  it('keeps a failure message with quotes intact in the incident description', () => {
    const app = readRenderedApp('e_single_source_failed_quoted_message');
    const [incident] = mapApplicationState(undefined, app, options).events;
    expect(incident.subject.content.description).toContain('Deployment.apps "podinfo" is invalid');
  });

  it('names the destination cluster and namespace as the environment', () => {
    const [event] = mapApplicationState(
      undefined,
      readRenderedApp('a_single_source_succeeded_healthy'),
      options,
    ).events;
    expect(event.subject.content.environment).toEqual({
      id: 'https://kubernetes.default.svc/argocd',
      source: '/argocd/default',
    });
  });

  it('gives a multi-source Helm app the chart at its synced version, and a git app the commit', () => {
    const helm = mapApplicationState(undefined, readRenderedApp('b_multi_source_degraded'), options).events[0];
    expect(helm.subject.content.artifactId).toBe('pkg:helm/aaaaaaa@6.9.0?repository_url=ghcr.io/stefanprodan/charts');
    const git = mapApplicationState(undefined, readRenderedApp('a_single_source_succeeded_healthy'), options).events[0];
    expect(git.subject.content.artifactId).toBe(
      'pkg:github/cdviz-dev/demo-cluster@94fcc5e8673e0d2d7fbca6b1c6c455ba308314fc#4-k8s-gitops',
    );
  });

  it('prefers the running image whose tag is the synced chart version', () => {
    const app002 = captured.find((item) => item.file === '022_remove_podinfo_2_1.json')!.body.app;
    const [upgraded] = mapApplicationState(undefined, app002, options).events;
    expect(upgraded.subject.content.artifactId).toBe(
      'pkg:oci/aaaaaaa@6.9.2?repository_url=ghcr.io/stefanprodan/aaaaaaa',
    );
    expect((upgraded.customData as { argocd: { artifacts: string[] } }).argocd.artifacts).toContain(
      'pkg:helm/aaaaaaa@6.9.2?repository_url=ghcr.io/stefanprodan/charts',
    );
  });

  it('puts a compact argocd object in customData, without Helm values', () => {
    const [event] = mapApplicationState(undefined, readRenderedApp('c_multi_source_deleting'), options).events;
    expect(event.customData).toEqual({
      argocd: expect.objectContaining({
        application: { name: 'aaaaaaa', namespace: 'argocd' },
        instance: 'default',
        revisions: ['6.9.2'],
        syncStatus: 'Synced',
        healthStatus: 'Healthy',
        operation: expect.objectContaining({
          phase: 'Succeeded',
          initiatedBy: { automated: true, reason: 'out-of-sync' },
        }),
      }),
    });
    expect(JSON.stringify(event.customData)).not.toContain('valuesObject');
  });

  /*
   * The captured podinfo Helm app (uid 648b…), in the order cdviz captured it:
   *
   *   003/000 Unknown ──▶ 009 Running(first) ──▶ 010 Succeeded 6.9.0, Degraded ──▶ 012 sync Unknown
   *   ──▶ 015 Running ──▶ 017 Succeeded 6.9.0 + new values, Healthy ──▶ 020 Running 6.9.2
   *   ──▶ 022 deleting (its 6.9.2 Succeeded was never captured)
   */
  it('turns the captured podinfo Helm app history into a correlated story', () => {
    const podinfo = captured
      .filter((item) => item.body.app.metadata.uid === '648b3973-e90b-4496-84c0-febef8536eec')
      .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    const { steps } = runSequence(podinfo.map((item) => item.body.app));
    expect(Object.fromEntries(podinfo.map((item, index) => [item.file, typesOf(steps[index])]))).toEqual({
      '003.json': ['incident.detected'],
      '000_cli_template.json': [],
      '009_sync_podinfo_1_3.json': [],
      '010_sync_podinfo_1_4.json': ['service.deployed', 'incident.detected'],
      '012_sync_podinfo_2_2.json': [],
      '015_sync_podinfo_3_2.json': [],
      '017_sync_podinfo_3_4.json': ['service.upgraded', 'incident.resolved', 'incident.resolved'],
      '020_sync_podinfo_4_3.json': [],
      '022_remove_podinfo_2_1.json': ['service.upgraded', 'service.removed'],
    });
  });
});

describe('state sequences', () => {
  /*
   * Each row: the states Argo CD showed, in order, and the events each state adds.
   *
   * first deploy          never synced ─▶ Running A ─▶ Succeeded A
   * upgrade               Succeeded A ─▶ Running B ─▶ Succeeded B
   * Running never seen    Succeeded A ─────────────▶ Succeeded B
   * failed sync           Succeeded A ─▶ Failed B ─▶ Failed B (re-sent) ─▶ Succeeded B
   * degrade and recover   Succeeded A ─▶ Degraded ─▶ Degraded ─▶ Healthy ─▶ Healthy
   * rollback              A ─▶ B ─▶ Succeeded A again (history A, B, A)
   * re-sync same revision A ─▶ Succeeded A again (history A, A)
   * delete                Succeeded A ─▶ deletionTimestamp ─▶ re-sent
   * sync status Unknown   Succeeded A ─▶ Unknown ─▶ Synced
   * degraded after deploy Succeeded A Degraded ─▶ Succeeded B Healthy
   */
  const deployedA: StateSpec = { op: op('Succeeded', REV.A, 1), history: [[REV.A, T(1)]] };
  const rows: Array<[string, StateSpec[], string[][]]> = [
    [
      'first deploy',
      [
        { sync: 'OutOfSync', health: { status: 'Missing' } },
        { op: op('Running', REV.A, 1), sync: 'OutOfSync', health: { status: 'Missing' } },
        deployedA,
      ],
      [[], [], ['service.deployed']],
    ],
    [
      'upgrade',
      [
        deployedA,
        { op: op('Running', REV.B, 5), history: [[REV.A, T(1)]], sync: 'OutOfSync', health: { status: 'Progressing' } },
        {
          op: op('Succeeded', REV.B, 5),
          history: [
            [REV.A, T(1)],
            [REV.B, T(5)],
          ],
        },
      ],
      [['service.deployed'], [], ['service.upgraded']],
    ],
    [
      'a sync whose Running phase was never seen',
      [
        deployedA,
        {
          op: op('Succeeded', REV.B, 5),
          history: [
            [REV.A, T(1)],
            [REV.B, T(5)],
          ],
        },
      ],
      [['service.deployed'], ['service.upgraded']],
    ],
    [
      'failed sync, re-sent, then fixed',
      [
        deployedA,
        {
          op: op('Failed', REV.B, 5, {
            message: 'one or more objects failed to apply: Deployment.apps "podinfo" is invalid',
          }),
          history: [[REV.A, T(1)]],
          sync: 'OutOfSync',
        },
        {
          op: op('Failed', REV.B, 5, {
            message: 'one or more objects failed to apply: Deployment.apps "podinfo" is invalid',
          }),
          history: [[REV.A, T(1)]],
          sync: 'OutOfSync',
        },
        {
          op: op('Succeeded', REV.B, 9),
          history: [
            [REV.A, T(1)],
            [REV.B, T(9)],
          ],
        },
      ],
      [['service.deployed'], ['incident.detected'], [], ['service.upgraded', 'incident.resolved']],
    ],
    [
      'degrade and recover',
      [
        deployedA,
        {
          ...deployedA,
          health: { status: 'Degraded', since: T(20), message: 'Deployment "podinfo" exceeded its progress deadline' },
        },
        { ...deployedA, health: { status: 'Degraded', since: T(20) } },
        { ...deployedA, health: { status: 'Healthy', since: T(30) } },
        { ...deployedA, health: { status: 'Healthy', since: T(30) } },
      ],
      [['service.deployed'], ['incident.detected'], [], ['incident.resolved'], []],
    ],
    [
      'rollback to an earlier revision',
      [
        deployedA,
        {
          op: op('Succeeded', REV.B, 5),
          history: [
            [REV.A, T(1)],
            [REV.B, T(5)],
          ],
        },
        {
          op: op('Succeeded', REV.A, 9, { username: 'alice' }),
          history: [
            [REV.A, T(1)],
            [REV.B, T(5)],
            [REV.A, T(9)],
          ],
        },
      ],
      [['service.deployed'], ['service.upgraded'], ['service.rolledback']],
    ],
    [
      're-sync of the revision already deployed',
      [
        deployedA,
        {
          op: op('Succeeded', REV.A, 9),
          history: [
            [REV.A, T(1)],
            [REV.A, T(9)],
          ],
        },
      ],
      [['service.deployed'], []],
    ],
    [
      'delete',
      [
        deployedA,
        { ...deployedA, deletedAt: T(40) },
        { ...deployedA, deletedAt: T(40), health: { status: 'Missing' } },
      ],
      [['service.deployed'], ['service.removed'], []],
    ],
    [
      'sync status Unknown, then back',
      [deployedA, { ...deployedA, sync: 'Unknown' }, { ...deployedA, sync: 'Unknown' }, deployedA],
      [['service.deployed'], ['incident.detected'], [], ['incident.resolved']],
    ],
    [
      'degraded right after a deploy, fixed by the next one',
      [
        { ...deployedA, health: { status: 'Degraded', since: T(2) } },
        {
          op: op('Succeeded', REV.B, 5),
          history: [
            [REV.A, T(1)],
            [REV.B, T(5)],
          ],
          health: { status: 'Healthy', since: T(6) },
        },
      ],
      [
        ['service.deployed', 'incident.detected'],
        ['service.upgraded', 'incident.resolved'],
      ],
    ],
  ];

  it.each(rows)('%s', (_name, specs, expected) => {
    const { steps, all } = runSequence(specs.map(buildState));
    expect(steps.map(typesOf)).toEqual(expected);
    all.forEach(expectValid);
  });

  it('links each event to the app’s previous one with PATH', () => {
    const { all } = runSequence(rows[3][1].map(buildState));
    expect(all[0].context.links ?? []).toEqual([]);
    for (let index = 1; index < all.length; index += 1) {
      expect(all[index].context.links).toContainEqual({
        linkType: 'PATH',
        from: { contextId: all[index - 1].context.id },
      });
    }
  });

  it('resolves an incident under the subject id it was detected with', () => {
    const { all } = runSequence(rows[4][1].map(buildState));
    const detected = all.find((event) => event.context.type.includes('incident.detected'))!;
    const resolved = all.find((event) => event.context.type.includes('incident.resolved'))!;
    expect(resolved.subject.id).toBe(detected.subject.id);
    expect(detected.subject.id).toMatch(/^argocd\/aaaaaaaaa\/incident\//);
    expect(Date.parse(resolved.context.timestamp)).toBeGreaterThanOrEqual(Date.parse(detected.context.timestamp));
  });

  it('opens a new incident when the app degrades again after recovering', () => {
    const degraded = (since: number): StateSpec => ({ ...deployedA, health: { status: 'Degraded', since: T(since) } });
    const healthy = (since: number): StateSpec => ({ ...deployedA, health: { status: 'Healthy', since: T(since) } });
    const { all } = runSequence([deployedA, degraded(10), healthy(12), degraded(14), healthy(16)].map(buildState));
    const detections = all.filter((event) => event.context.type.includes('incident.detected'));
    expect(detections).toHaveLength(2);
    expect(detections[0].subject.id).not.toBe(detections[1].subject.id);
  });

  it('does not reopen a resolved incident when the old degraded state is re-sent late', () => {
    const degraded = buildState({ ...deployedA, health: { status: 'Degraded', since: T(10) } });
    const { all } = runSequence([
      buildState(deployedA),
      degraded,
      buildState({ ...deployedA, health: { status: 'Healthy', since: T(12) } }),
      degraded,
    ]);
    expect(typesOf(all)).toEqual(['service.deployed', 'incident.detected', 'incident.resolved']);
  });

  it('emits the syncs whose notifications were lost, marked reconstructed, before the current one', () => {
    const { steps } = runSequence(
      [
        deployedA,
        {
          op: op('Succeeded', REV.C, 20),
          history: [
            [REV.A, T(1)],
            [REV.B, T(5)],
            [REV.C, T(20)],
          ],
        },
      ]
        .map((spec): StateSpec => spec as StateSpec)
        .map(buildState),
    );
    expect(typesOf(steps[1])).toEqual(['service.upgraded', 'service.upgraded']);
    expect(steps[1].map(isReconstructedEvent)).toEqual([true, false]);
    expect(steps[1][0].context.id).toBe(buildSyncEventId(BASE_APP.metadata.uid, T(5), [REV.B]));
  });
});

describe('determinism', () => {
  it('maps the same state to the same events, and the same state again to none', () => {
    const app = readRenderedApp('b_multi_source_degraded');
    const first = mapApplicationState(undefined, app, options);
    const again = mapApplicationState(undefined, structuredClone(app), { ...options, now: () => new Date() });
    expect(again.events).toEqual(first.events);
    expect(mapApplicationState(first.memory, app, options).events).toEqual([]);
  });

  it('derives a sync’s id from the app uid, the operation start and the revisions', () => {
    const app = buildState({ op: op('Succeeded', REV.A, 1), history: [[REV.A, T(1)]] });
    const [event] = mapApplicationState(undefined, app, options).events;
    expect(event.context.id).toBe(buildSyncEventId(app.metadata.uid, T(1), [REV.A]));
    expect(event.context.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('uses the operation’s finish time, not the time it was sent, as the timestamp', () => {
    const [event] = mapApplicationState(
      undefined,
      readRenderedApp('a_single_source_succeeded_healthy'),
      options,
    ).events;
    expect(event.context.timestamp).toBe('2025-10-02T16:20:59.000Z');
  });

  it('gives two apps with the same name in two instances different sources and ids of their own events', () => {
    const app = readRenderedApp('a_single_source_succeeded_healthy');
    const [east] = mapApplicationState(undefined, app, { ...options, instance: 'east' }).events;
    const [west] = mapApplicationState(undefined, app, { ...options, instance: 'west' }).events;
    expect(east.context.source).toBe('/argocd/east/argocd');
    expect(west.context.source).toBe('/argocd/west/argocd');
  });

  it('starts afresh when an app is re-created under the same name (new uid)', () => {
    const first = mapApplicationState(
      undefined,
      buildState({ op: op('Succeeded', REV.A, 1), history: [[REV.A, T(1)]] }),
      options,
    );
    const recreated = buildState({ op: op('Succeeded', REV.A, 30), history: [[REV.A, T(30)]] });
    recreated.metadata.uid = '00000000-0000-4000-8000-000000000000';
    expect(typesOf(mapApplicationState(first.memory, recreated, options).events)).toEqual(['service.deployed']);
  });
});

describe('chains', () => {
  it('starts a new chain at each sync and keeps it for the incidents that follow', () => {
    const states = [
      {
        op: op('Succeeded', REV.A, 1),
        history: [[REV.A, T(1)]] as Array<[string, string]>,
        health: { status: 'Degraded', since: T(3) },
      },
    ].map(buildState);
    const [deployed, detected] = runSequence(states).all;
    expect(deployed.context.chainId).toBeDefined();
    expect(detected.context.chainId).toBe(deployed.context.chainId);
  });

  it('links a sync to its cause with RELATION TRIGGER and joins the cause’s chain', () => {
    const app = buildState({ op: op('Succeeded', REV.A, 1), history: [[REV.A, T(1)]] });
    const cause = {
      contextId: 'published-1',
      chainId: 'chain-from-ci',
      reason: 'artifact.published of the deployed artifact',
    };
    const [event] = mapApplicationState(undefined, app, { ...options, cause }).events;
    expect(event.context.links).toContainEqual({
      linkType: 'RELATION',
      linkKind: 'TRIGGER',
      target: { contextId: 'published-1' },
      tags: { reason: 'artifact.published of the deployed artifact' },
    });
    expect(event.context.chainId).toBe('chain-from-ci');
  });

  it('reads the cause an inbound trigger recorded in the operation’s info', () => {
    const app = buildState({
      op: op('Succeeded', REV.A, 1, {
        info: [
          { name: 'cdevents-event-id', value: 'incident-7' },
          { name: 'cdevents-chain-id', value: 'chain-7' },
        ],
      }),
      history: [[REV.A, T(1)]],
    });
    const [event] = mapApplicationState(undefined, app, options).events;
    expect(event.context.links).toContainEqual(
      expect.objectContaining({ linkType: 'RELATION', target: { contextId: 'incident-7' } }),
    );
    expect(event.context.chainId).toBe('chain-7');
  });

  // Regression: the demo's rollback of auth said "inbound trigger started this sync" while auth had no
  // trigger and no firing: `argocd app sync --info` (or any tool) sets the same info.
  it('says the operation names the event, not that a trigger fired, when only the operation’s info says so', () => {
    const app = buildState({
      op: op('Succeeded', REV.A, 1, {
        info: [{ name: 'cdevents-event-id', value: 'incident-7' }],
        username: 'alice',
      }),
      history: [[REV.A, T(1)]],
    });
    const [event] = mapApplicationState(undefined, app, options).events;
    const link = event.context.links?.find((candidate) => candidate.linkType === 'RELATION');
    expect(link?.tags).toEqual({
      reason: "the sync's operation names this event (operation.info cdevents-event-id, sync started by alice)",
    });
  });

  it('prefers the cause ingest found (a firing of ours, naming its rule) over the operation’s info', () => {
    const app = buildState({
      op: op('Succeeded', REV.A, 1, { info: [{ name: 'cdevents-event-id', value: 'incident-7' }] }),
      history: [[REV.A, T(1)]],
    });
    const cause = { contextId: 'incident-7', reason: 'fired trigger "roll back on incidents" (rollback)' };
    const [event] = mapApplicationState(undefined, app, { ...options, cause }).events;
    expect(event.context.links?.find((candidate) => candidate.linkType === 'RELATION')?.tags).toEqual({
      reason: 'fired trigger "roll back on incidents" (rollback)',
    });
  });
});

describe('times from the Application, and who started the sync', () => {
  const argocdOf = (event: CDEvent) => (event.customData as { argocd: Record<string, unknown> }).argocd;
  const byFile = (file: string) => readCapturedNotifications().find((item) => item.file === file)!.body.app;

  it('dates a sync-unknown incident by the error condition that began it, not by the clock', () => {
    // 000_cli_template: sync Unknown, no reconciledAt, InvalidSpecError since 15:32:45Z.
    const [incident] = mapApplicationState(undefined, byFile('000_cli_template.json'), options).events;
    expect(typesOf([incident])).toEqual(['incident.detected']);
    expect(incident.context.timestamp).toBe('2025-10-02T15:32:45.000Z');
    expect(argocdOf(incident).timeFrom).toBe('status.conditions[].lastTransitionTime');
  });

  it('says so in customData when only the receive time is left', () => {
    const app = buildState({ sync: 'Unknown', history: [[REV.A, T(1)]], op: op('Succeeded', REV.A, 1) });
    delete app.status!.reconciledAt;
    const incident = mapApplicationState(undefined, app, options).events.find(
      (event) => typesOf([event])[0] === 'incident.detected',
    )!;
    expect(incident.context.timestamp).toBe('2030-01-01T00:00:00.000Z');
    expect(argocdOf(incident).timeFrom).toBe('received');
  });

  it('names the Application field every emitted event’s time came from', () => {
    const { all } = runSequence([
      buildState({ op: op('Succeeded', REV.A, 1), history: [[REV.A, T(1)]] }),
      buildState({
        op: op('Succeeded', REV.A, 1),
        history: [[REV.A, T(1)]],
        health: { status: 'Degraded', since: T(3) },
      }),
      buildState({
        op: op('Succeeded', REV.A, 1),
        history: [[REV.A, T(1)]],
        health: { status: 'Healthy', since: T(4) },
      }),
      buildState({ op: op('Succeeded', REV.A, 1), history: [[REV.A, T(1)]], deletedAt: T(9) }),
    ]);
    expect(all.map((event) => [typesOf([event])[0], event.context.timestamp, argocdOf(event).timeFrom])).toEqual([
      ['service.deployed', '2025-10-02T16:01:04.000Z', 'status.operationState.finishedAt'],
      ['incident.detected', '2025-10-02T16:03:00.000Z', 'status.health.lastTransitionTime'],
      ['incident.resolved', '2025-10-02T16:04:00.000Z', 'status.health.lastTransitionTime'],
      ['service.removed', '2025-10-02T16:09:00.000Z', 'metadata.deletionTimestamp'],
    ]);
  });

  it('says who started a sync: the user, or auto-sync with its reason', () => {
    const [manual] = mapApplicationState(
      undefined,
      buildState({ op: op('Succeeded', REV.A, 1, { username: 'alice' }), history: [[REV.A, T(1)]] }),
      options,
    ).events;
    expect(argocdOf(manual)).toMatchObject({
      operation: { initiatedBy: { username: 'alice' } },
      revision: REV.A,
      revisions: [REV.A],
    });
    const automated = buildState({ op: op('Succeeded', REV.A, 1), history: [[REV.A, T(1)]] });
    const [auto] = mapApplicationState(undefined, automated, options).events;
    expect(argocdOf(auto)).toMatchObject({ operation: { initiatedBy: { automated: true, reason: 'out-of-sync' } } });
    automated.status!.operationState!.operation!.sync!.autoHealAttemptsCount = 2;
    const [healed] = mapApplicationState(undefined, automated, options).events;
    expect(argocdOf(healed)).toMatchObject({
      operation: { initiatedBy: { automated: true, reason: 'self-heal', autoHealAttempts: 2 } },
    });
  });
});
