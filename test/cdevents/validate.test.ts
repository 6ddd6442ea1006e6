import { validateEvent } from '../../src/cdevents';

const base = () => ({
  context: {
    specversion: '0.5.1',
    id: 'id-1',
    source: '/argocd',
    type: 'dev.cdevents.service.deployed.0.3.0',
    timestamp: '2026-05-01T10:00:00Z',
  },
  subject: { id: 'argocd/app', content: { environment: { id: 'prod' }, artifactId: 'pkg:git/app@abc' } },
});

describe('validateEvent', () => {
  describe('tells a type it does not know from a malformed event', () => {
    it('a future type version of a known event is unknown-type, naming the versions it knows', () => {
      const event = base();
      event.context.type = 'dev.cdevents.service.deployed.0.9.0';
      const verdict = validateEvent(event);
      expect(verdict.status).toBe('unknown-type');
      expect(verdict).toMatchObject({
        problems: [
          {
            pointer: '/context/type',
            message: expect.stringContaining('0.3.0 (spec 0.5.1), 0.2.0 (spec 0.4.1), 0.1.1 (spec 0.3.0)'),
          },
        ],
      });
    });

    it('a future event type (approval.created from 0.6.0-draft) is unknown-type', () => {
      const event = base();
      event.context.type = 'dev.cdevents.approval.created.0.1.0';
      expect(validateEvent(event).status).toBe('unknown-type');
    });

    it('an unknown type with a malformed context is invalid, with every context problem', () => {
      const verdict = validateEvent({
        context: { type: 'dev.cdevents.x.y.1.0.0', timestamp: 'soon' },
        subject: { id: 's', content: {} },
      });
      expect(verdict.status).toBe('invalid');
      expect(verdict).toMatchObject({
        problems: expect.arrayContaining([
          expect.objectContaining({ pointer: '/context/id' }),
          expect.objectContaining({ pointer: '/context/timestamp' }),
          expect.objectContaining({ pointer: '/context/specversion' }),
        ]),
      });
    });

    it('an event without context.type is invalid', () => {
      const event: Record<string, unknown> = base();
      delete (event.context as Record<string, unknown>).type;
      expect(validateEvent(event)).toMatchObject({
        status: 'invalid',
        problems: [{ pointer: '/context/type', message: 'context.type is required in a CDEvent' }],
      });
    });

    it.each([
      ['null', null],
      ['a string', 'CloudEvent{id=1}'],
      ['an array', []],
    ])('%s is invalid as a whole', (_name, input) => {
      expect(validateEvent(input)).toEqual({
        status: 'invalid',
        problems: [{ pointer: '', message: 'a CDEvent must be a JSON object' }],
      });
    });
  });

  describe('real-world mixes of spec and type versions', () => {
    it('context.version 0.4.1 with incident.detected.0.1.0 (cdviz) is checked against 0.3.0, which defines that type, and warned about', () => {
      const verdict = validateEvent({
        context: {
          version: '0.4.1',
          id: '0',
          source: '/cdviz',
          type: 'dev.cdevents.incident.detected.0.1.0',
          timestamp: '2025-10-02T16:06:23Z',
        },
        subject: {
          id: 'argocd/app',
          type: 'incident',
          content: { environment: { id: 'https://kubernetes.default.svc' } },
        },
      });
      expect(verdict).toEqual({
        status: 'valid',
        specVersion: '0.3.0',
        warnings: [
          {
            pointer: '/context/version',
            message:
              'context.type dev.cdevents.incident.detected.0.1.0 belongs to CDEvents 0.3.0, but the event declares spec 0.4.1; it was checked against 0.3.0',
          },
        ],
      });
    });

    it('context.version 0.4.1 with service.deployed.0.3.0 (a 0.5 type) is invalid and says why', () => {
      const event: Record<string, unknown> = base();
      event.context = { ...(event.context as object), version: '0.4.1' };
      delete (event.context as Record<string, unknown>).specversion;
      const verdict = validateEvent(event);
      expect(verdict.status).toBe('invalid');
      const messages = verdict.status === 'invalid' ? verdict.problems.map((problem) => problem.message) : [];
      expect(messages).toEqual(
        expect.arrayContaining([expect.stringContaining('spec 0.5 renamed context.version to context.specversion')]),
      );
    });

    it('a 0.5.0 event is checked against 0.5.0 and gets past the three broken 0.5.0 schemas', () => {
      const verdict = validateEvent({
        context: {
          specversion: '0.5.0',
          id: '1',
          source: '/ci',
          type: 'dev.cdevents.pipelinerun.finished.0.3.0',
          timestamp: '2026-01-01T00:00:00Z',
        },
        subject: { id: 'run', content: { outcome: 'success' } },
      });
      expect(verdict).toEqual({ status: 'valid', specVersion: '0.5.0' });
    });
  });

  describe('problems say where and what', () => {
    it.each([
      [
        'an empty artifactId (cdviz Argo CD transformer)',
        (e: ReturnType<typeof base>) => void (e.subject.content.artifactId = ''),
        '/subject/content/artifactId',
        'subject.content.artifactId must not be empty',
      ],
      [
        'a timestamp without time zone',
        (e: ReturnType<typeof base>) => void (e.context.timestamp = '2026-05-01T10:00:00'),
        '/context/timestamp',
        'context.timestamp must be an RFC 3339 date-time',
      ],
      [
        'a source with spaces',
        (e: ReturnType<typeof base>) => void (e.context.source = 'my source'),
        '/context/source',
        'context.source must be a URI reference',
      ],
      [
        'a leftover subject.type',
        (e: ReturnType<typeof base>) => void Object.assign(e.subject, { type: 'service' }),
        '/subject/type',
        'spec 0.5 removed subject.type',
      ],
    ])('%s', (_name, mutate, pointer, message) => {
      const event = base();
      mutate(event);
      const verdict = validateEvent(event);
      expect(verdict).toMatchObject({
        status: 'invalid',
        problems: [{ pointer, message: expect.stringContaining(message) }],
      });
    });

    it('lists every problem, not just the first', () => {
      const verdict = validateEvent({ ...base(), subject: { id: '', content: {} }, customData: 5 });
      expect(verdict.status === 'invalid' && verdict.problems.map((problem) => problem.pointer)).toEqual([
        '/subject/id',
        '/subject/content/environment',
        '/subject/content/artifactId',
        '/customData',
      ]);
    });
  });

  it('gives a URI the same answer every time it comes, among thousands of others (the checks remember answers)', () => {
    const withSource = (source: string) => ({ ...base(), context: { ...base().context, source } });
    const answers = () => [
      validateEvent(withSource('/ok/source')).status,
      validateEvent(withSource('not a uri')).status,
    ];
    expect(answers()).toEqual(['valid', 'invalid']);
    // More distinct values than the remembered answers hold, then the first two again.
    for (let index = 0; index < 5000; index++) validateEvent(withSource(`/tool/${index}`));
    expect(answers()).toEqual(['valid', 'invalid']);
    expect(validateEvent(withSource(`/${'x'.repeat(600)} y`)).status).toBe('invalid');
    expect(validateEvent(withSource(`/${'x'.repeat(600)} y`)).status).toBe('invalid');
  });

  it('records schemaUri without fetching it (the model does no I/O)', () => {
    const event = base();
    Object.assign(event.context, { schemaUri: 'https://unreachable.invalid/schema.json' });
    expect(validateEvent(event)).toEqual({ status: 'valid', specVersion: '0.5.1' });
  });
});
