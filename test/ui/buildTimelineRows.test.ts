import { buildTimelineRows, type TimelineRow } from '../../src/ui/timeline/buildTimelineRows';
import { classifyOutcome, iconForSubject, isDeployment } from '../../src/ui/timeline/classifyEvent';
import { buildRecord } from './fakeApi';

const deploy = (key: string, timestamp: string, predicate = 'deployed') =>
  buildRecord({ key, timestamp, subject: 'service', predicate });
const other = (key: string, timestamp: string, subject = 'artifact', predicate = 'published') =>
  buildRecord({ key, timestamp, subject, predicate, direction: 'received' });

function describeRows(rows: TimelineRow[]): string[] {
  return rows.map((row) =>
    row.kind === 'day'
      ? `day ${row.day}`
      : `${'  '.repeat(row.depth)}${row.key}${row.folded ? ` (+${row.folded}${row.expanded ? ' open' : ''})` : ''}`,
  );
}

// Newest first:
//   test-2        (after the last deploy: stays open at the top)
//   deploy-2  ◀── anchor; folds build-2, change-2 (the latest: starts open)
//   build-2
//   change-2
//   deploy-1  ◀── anchor; folds change-1
//   change-1
const events = [
  other('test-2', '2026-11-24T10:00:00Z', 'testsuiterun', 'finished'),
  deploy('deploy-2', '2026-11-24T09:00:00Z', 'upgraded'),
  other('build-2', '2026-11-24T08:00:00Z'),
  other('change-2', '2026-11-23T20:00:00Z', 'change', 'merged'),
  deploy('deploy-1', '2026-11-23T10:00:00Z'),
  other('change-1', '2026-11-22T10:00:00Z', 'change', 'merged'),
];

describe('buildTimelineRows', () => {
  it('folds the events since the previous deployment under each deployment, the latest one open, with a header per day', () => {
    expect(describeRows(buildTimelineRows(events, new Set()))).toEqual([
      'day 2026-11-24',
      'test-2',
      'deploy-2 (+2 open)',
      '  build-2',
      '  change-2',
      'day 2026-11-23',
      'deploy-1 (+1)',
    ]);
  });

  it('flips a deployment the user toggled: the latest closes, an older one opens', () => {
    expect(describeRows(buildTimelineRows(events, new Set(['deploy-2', 'deploy-1'])))).toEqual([
      'day 2026-11-24',
      'test-2',
      'deploy-2 (+2)',
      'day 2026-11-23',
      'deploy-1 (+1 open)',
      '  change-1',
    ]);
  });

  it('lists everything flat when folding is off or there is no deployment', () => {
    expect(describeRows(buildTimelineRows(events, new Set(), false))).toHaveLength(9);
    expect(describeRows(buildTimelineRows([events[0], events[2]], new Set()))).toEqual([
      'day 2026-11-24',
      'test-2',
      'build-2',
    ]);
  });

  it("counts a fold from the store's count when the page ends inside it (issue 19: 'Hide 3' counted loaded rows only)", () => {
    // Only the first three events are loaded: deploy-1 has none of its folded events on the page yet.
    const loaded = events.slice(0, 5);
    expect(describeRows(buildTimelineRows(loaded, new Set(), true, { 'deploy-2': 2, 'deploy-1': 40 }))).toEqual([
      'day 2026-11-24',
      'test-2',
      'deploy-2 (+2 open)',
      '  build-2',
      '  change-2',
      'day 2026-11-23',
      'deploy-1 (+40)',
    ]);
    // Without the store's count, what is loaded.
    expect(describeRows(buildTimelineRows(loaded, new Set())).at(-1)).toBe('deploy-1');
  });
});

describe('classifying events', () => {
  it.each([
    ['a pipeline run that succeeded', 'pipelinerun', 'finished', { outcome: 'success' }, 'success'],
    ['a pipeline run that failed', 'pipelinerun', 'finished', { outcome: 'failure' }, 'failure'],
    ['a test case run that passed', 'testcaserun', 'finished', { outcome: 'pass' }, 'success'],
    ['a cancelled task run', 'taskrun', 'finished', { outcome: 'cancel' }, 'warning'],
    ['an incident detected', 'incident', 'detected', {}, 'failure'],
    ['an incident resolved', 'incident', 'resolved', {}, 'success'],
    ['a rollback', 'service', 'rolledback', {}, 'warning'],
    ['a deployment', 'service', 'deployed', {}, 'success'],
    ['a merged change', 'change', 'merged', {}, 'neutral'],
  ])('%s reads as %s', (_name, subject, predicate, content, outcome) => {
    expect(classifyOutcome({ subject, predicate, payload: { subject: { content } } })).toBe(
      outcome as ReturnType<typeof classifyOutcome>,
    );
  });

  it('gives each subject its own icon and unknown subjects a bolt', () => {
    const subjects = [
      'service',
      'incident',
      'artifact',
      'change',
      'pipelinerun',
      'testsuiterun',
      'ticket',
      'environment',
    ];
    const icons = subjects.map(iconForSubject);
    expect(new Set(icons).size).toBe(subjects.length);
    expect(icons.every((icon) => icon.startsWith('fa-'))).toBe(true);
    expect(iconForSubject(null)).toBe('fa-bolt');
    expect(iconForSubject('mytool-widget')).toBe('fa-bolt');
  });

  it.each([
    ['deployed', true],
    ['upgraded', true],
    ['rolledback', true],
    ['removed', false],
  ])('service %s is a deployment anchor: %s', (predicate, expected) => {
    expect(isDeployment({ subject: 'service', predicate })).toBe(expected);
  });
});
