import {
  InvalidEventError,
  SPEC_LINES,
  type SpecVersion,
  build,
  buildCustomEvent,
  buildEvent,
  createBuilders,
  createEvent,
  validateEvent,
} from '../../src/cdevents';
import type { FieldSpec, Fields } from '../../src/cdevents/spec/fields';

/** A value for every required field (and only those), so each builder gets its smallest valid input. */
function sampleOf(field: FieldSpec): unknown {
  switch (field.kind) {
    case 'string':
      if (field.enum) return field.enum[0];
      if (field.format === 'uri') return 'https://example.com/x';
      if (field.format === 'uri-reference') return '/example/x';
      return 'sample';
    case 'openEnum':
      return field.enum[0];
    case 'array':
      return ['sample'];
    case 'object':
      return minimalContent(field.fields);
  }
}

function minimalContent(fields: Fields): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, field]) => field.required)
      .map(([name, field]) => [name, sampleOf(field)]),
  );
}

const fixed = { now: () => new Date('2026-05-01T10:00:00.000Z'), newId: () => 'fixed-id' };

const everyType = SPEC_LINES.flatMap((line) =>
  Object.entries(line.types).map(
    ([key, spec]) => [`${line.specVersion} ${key}`, line.specVersion, key, spec.content] as const,
  ),
);

describe('createEvent', () => {
  it('covers 174 event types: 45 each in 0.5.1, 0.5.0 and 0.4.1, 39 in 0.3.0', () => {
    expect(everyType).toHaveLength(174);
  });

  it.each(everyType)('builds a valid %s event from its required content alone', (_name, specVersion, key, content) => {
    const event = createEvent(
      { type: key, specVersion, source: '/tests', subject: { id: 'subject-1', content: minimalContent(content) } },
      fixed,
    );
    expect(validateEvent(event)).toEqual({ status: 'valid', specVersion });
    expect(event.context.id).toBe('fixed-id');
    expect(event.context.timestamp).toBe('2026-05-01T10:00:00.000Z');
  });

  it('emits spec 0.5.1 by default, with the type version from the table', () => {
    const event = createEvent(
      {
        type: 'service.deployed',
        source: '/argocd',
        subject: {
          id: 'argocd/guestbook',
          content: { environment: { id: 'prod' }, artifactId: 'pkg:oci/guestbook@sha256%3Aabc' },
        },
      },
      fixed,
    );
    expect(event.context).toEqual({
      specversion: '0.5.1',
      id: 'fixed-id',
      source: '/argocd',
      type: 'dev.cdevents.service.deployed.0.3.0',
      timestamp: '2026-05-01T10:00:00.000Z',
    });
    expect(event.subject).not.toHaveProperty('type');
  });

  it('writes context.version and subject.type for spec 0.4.1, spelled as the spec spells them', () => {
    const event = createEvent(
      {
        type: 'pipelinerun.started',
        specVersion: '0.4.1',
        source: '/ci',
        subject: { id: 'run-1', content: { pipelineName: 'build', url: 'https://ci/run-1' } },
      },
      fixed,
    );
    expect(event.context).toMatchObject({ version: '0.4.1', type: 'dev.cdevents.pipelinerun.started.0.2.0' });
    expect(event.subject.type).toBe('pipelineRun');
  });

  it('embeds links and chainId as given', () => {
    const links = [
      { linkType: 'PATH' as const, from: { contextId: 'previous' } },
      { linkType: 'RELATION' as const, linkKind: 'TRIGGER', target: { contextId: 'cause' } },
      { linkType: 'END' as const },
    ];
    const event = createEvent(
      { type: 'build.started', source: '/ci', chainId: 'chain-1', links, subject: { id: 'b', content: {} } },
      fixed,
    );
    expect(event.context.links).toEqual(links);
    expect(event.context.chainId).toBe('chain-1');
  });

  it('uses a fresh UUID and the current time when no id or clock is injected', () => {
    const event = createEvent({ type: 'build.queued', source: '/ci', subject: { id: 'b', content: {} } });
    expect(event.context.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.isNaN(Date.parse(event.context.timestamp))).toBe(false);
  });

  describe('refuses to return an invalid event', () => {
    it.each([
      [
        'a missing required content field',
        { type: 'service.deployed', content: { environment: { id: 'prod' } } },
        '/subject/content/artifactId',
      ],
      [
        'a field the type does not have',
        { type: 'build.queued', content: { colour: 'red' } },
        '/subject/content/colour',
      ],
      [
        'a uri that is not a URI',
        { type: 'pipelinerun.started', content: { pipelineName: 'p', uri: 'not a uri' } },
        '/subject/content/uri',
      ],
      [
        'a 0.4 outcome in 0.5.1',
        { type: 'testcaserun.finished', content: { outcome: 'pass', environment: { id: 'e' } } },
        '/subject/content/outcome',
      ],
    ])('%s', (_name, input, pointer) => {
      let thrown: unknown;
      try {
        createEvent({ type: input.type, source: '/t', subject: { id: 's', content: input.content } }, fixed);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidEventError);
      expect((thrown as InvalidEventError).problems.map((problem) => problem.pointer)).toContain(pointer);
      expect((thrown as InvalidEventError).message).toContain(pointer);
    });

    it('an event type the spec line does not have, naming the line', () => {
      expect(() =>
        createEvent({ type: 'ticket.created', specVersion: '0.3.0', source: '/t', subject: { id: 's', content: {} } }),
      ).toThrow('CDEvents 0.3.0 has no event type "ticket.created"');
    });

    it('links in spec 0.3.0, which has none', () => {
      expect(() =>
        createEvent({
          type: 'build.queued',
          specVersion: '0.3.0',
          source: '/t',
          links: [{ linkType: 'END' }],
          subject: { id: 's', content: {} },
        }),
      ).toThrow(/context\.links is not a field .*spec 0\.3\.0 has no links/);
    });
  });
});

describe('typed builders', () => {
  it('name one builder per event type after the spec subject and predicate', () => {
    expect(Object.keys(build)).toHaveLength(45);
    expect(Object.keys(build)).toEqual(
      expect.arrayContaining([
        'serviceDeployed',
        'pipelineRunQueued',
        'testCaseRunFinished',
        'testOutputPublished',
        'ticketClosed',
      ]),
    );
    expect(Object.keys(createBuilders('0.3.0'))).toHaveLength(39);
  });

  it('build a 0.5.1 service.deployed whose content the compiler checks', () => {
    const event = build.serviceDeployed(
      {
        source: '/argocd',
        subject: { id: 'argocd/app', content: { environment: { id: 'prod' }, artifactId: 'pkg:git/app@abc' } },
      },
      fixed,
    );
    expect(event.context.type).toBe('dev.cdevents.service.deployed.0.3.0');
    expect(event.subject.content.artifactId).toBe('pkg:git/app@abc');
  });

  it('build events of older lines with their own type versions', () => {
    const event = buildEvent(
      '0.4.1',
      'testcaserun.finished',
      { source: '/tests', subject: { id: 't', content: { outcome: 'pass', environment: { id: 'e' } } } },
      fixed,
    );
    expect(event.context.type).toBe('dev.cdevents.testcaserun.finished.0.2.0');
    expect(event.subject.type).toBe('testCaseRun');
  });

  it.each<[SpecVersion]>([['0.5.1'], ['0.4.1']])('build custom events in %s with open content', (specVersion) => {
    const event = buildCustomEvent(
      {
        type: 'dev.cdeventsx.mytool-resource.created.0.1.0',
        specVersion: specVersion as '0.5.1' | '0.4.1',
        source: '/mytool',
        subject: { id: 'r', content: { anything: { nested: true } } },
      },
      fixed,
    );
    expect(validateEvent(event)).toEqual({ status: 'valid', specVersion });
    if (specVersion === '0.4.1') expect(event.subject.type).toBe('mytool-resource');
  });

  it('refuse a custom type with a two-digit version part, as the spec pattern does', () => {
    expect(() =>
      buildCustomEvent({
        type: 'dev.cdeventsx.mytool-resource.created.0.10.0',
        source: '/m',
        subject: { id: 'r', content: {} },
      }),
    ).toThrow(InvalidEventError);
  });
});
