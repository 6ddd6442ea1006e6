/**
 * What real tools send: the cdviz community transformers' outputs (Argo CD notifications,
 * GitHub, kubewatch) in the test data's cdevents-corpus. Each event gets our verdict equal to the
 * spec schemas' verdict, whatever its validity.
 */
import { relative } from 'path';
import { readJson, corpusDir, listJsonFiles, specVerdictForAnyRelease } from './specOracle';
import { validateEvent } from '../../src/cdevents';

const outputs = listJsonFiles(corpusDir).filter((path) => path.includes('/outputs/'));
const cases = outputs.map((path) => [relative(corpusDir, path), readJson(path)] as const);

describe('the cdviz corpus of real events', () => {
  it('has the 50 output events the research counted', () => {
    expect(cases).toHaveLength(50);
  });

  it.each(cases)('%s gets the verdict the spec schemas give', (_name, event) => {
    const spec = specVerdictForAnyRelease(event);
    expect(spec).toBeDefined();
    expect(validateEvent(event).status === 'valid').toBe(spec);
  });

  it('finds 40 valid and 10 invalid, as checking against the spec schemas did', () => {
    const valid = cases.filter(([, event]) => validateEvent(event).status === 'valid').length;
    expect([valid, cases.length - valid]).toEqual([40, 10]);
  });

  it.each(cases.filter(([name]) => /captured\/00[56]\.json$/.test(name)))(
    '%s (artifactId "") is invalid and says so',
    (_name, event) => {
      expect(validateEvent(event)).toMatchObject({
        status: 'invalid',
        problems: [{ pointer: '/subject/content/artifactId', message: 'subject.content.artifactId must not be empty' }],
      });
    },
  );
});
