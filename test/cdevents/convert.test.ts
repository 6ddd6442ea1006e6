import { InvalidEventError, type CDEvent, convertEvent, validateEvent } from '../../src/cdevents';
import { listConformanceFiles } from './specOracle';

const files = listConformanceFiles();
const v051 = files.filter((file) => file.specVersion === '0.5.1');
const v041 = files.filter((file) => file.specVersion === '0.4.1' && !file.custom);

describe('convertEvent', () => {
  it.each(v051.map((file) => [file.name, file] as const))(
    '%s converts to a valid 0.4.1 event and back to itself',
    (_name, file) => {
      const event = file.event as unknown as CDEvent;
      const down = convertEvent(event, '0.4.1');
      expect(validateEvent(down)).toEqual({ status: 'valid', specVersion: '0.4.1' });
      expect(down.context.version).toBe('0.4.1');
      expect(down.context).not.toHaveProperty('specversion');
      expect(convertEvent(down, '0.5.1')).toEqual(event);
    },
  );

  it.each(v041.map((file) => [file.name, file] as const))('%s converts to a valid 0.5.1 event', (_name, file) => {
    const up = convertEvent(file.event as unknown as CDEvent, '0.5.1');
    expect(validateEvent(up)).toEqual({ status: 'valid', specVersion: '0.5.1' });
  });

  it.each(files.filter((file) => file.specVersion === '0.3.0').map((file) => [file.name, file] as const))(
    '%s converts up to 0.4.1 and to 0.5.1',
    (_name, file) => {
      expect(validateEvent(convertEvent(file.event as unknown as CDEvent, '0.4.1')).status).toBe('valid');
      expect(validateEvent(convertEvent(file.event as unknown as CDEvent, '0.5.1')).status).toBe('valid');
    },
  );

  it('renames uri to url, adds subject.type and maps test outcomes when going to 0.4.1', () => {
    const pipeline = v051.find((file) => file.name.endsWith('pipelinerun_finished.json'))?.event as unknown as CDEvent;
    const down = convertEvent(pipeline, '0.4.1');
    expect(down.subject).toMatchObject({
      type: 'pipelineRun',
      content: { url: 'https://www.example.com/mySubject123' },
    });
    expect(down.subject.content).not.toHaveProperty('uri');
    const testCase = v051.find((file) => file.name.endsWith('testcaserun_finished.json'))?.event as unknown as CDEvent;
    expect([testCase.subject.content.outcome, convertEvent(testCase, '0.4.1').subject.content.outcome]).toEqual([
      'success',
      'pass',
    ]);
  });

  it('renames testSuite.url in 0.4.1 testsuiterun.queued, the one nested rename', () => {
    const queued = structuredClone(
      v041.find((file) => file.name.endsWith('testsuiterun_queued.json'))?.event,
    ) as unknown as CDEvent;
    Object.assign(queued.subject.content.testSuite as object, { url: 'https://example.com/suite' });
    const up = convertEvent(queued, '0.5.1');
    expect(up.subject.content.testSuite).toHaveProperty('uri', 'https://example.com/suite');
    expect(up.subject.content.testSuite).not.toHaveProperty('url');
  });

  it('does not change its input', () => {
    const event = v051[0].event as unknown as CDEvent;
    const before = structuredClone(event);
    convertEvent(event, '0.4.1');
    expect(event).toEqual(before);
  });

  it('throws InvalidEventError naming the field when the result cannot be valid (a 0.4.1 url that is not a URI)', () => {
    const started = structuredClone(
      v041.find((file) => file.name.endsWith('pipelinerun_started.json'))?.event,
    ) as unknown as CDEvent;
    started.subject.content.url = 'not a uri';
    expect(() => convertEvent(started, '0.5.1')).toThrow(InvalidEventError);
    expect(() => convertEvent(started, '0.5.1')).toThrow(/subject\/content\/uri/);
  });

  it('throws on a type no spec line knows', () => {
    const event = structuredClone(v051[0].event) as unknown as CDEvent;
    event.context.type = 'dev.cdevents.approval.created.0.1.0';
    expect(() => convertEvent(event, '0.4.1')).toThrow('not a known CDEvents type');
  });
});
