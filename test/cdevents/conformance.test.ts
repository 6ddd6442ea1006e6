import { type EventSpec, createEvent, summarizeEvent, validateEvent } from '../../src/cdevents';
import { listConformanceFiles } from './specOracle';

const files = listConformanceFiles();

describe('the spec conformance files', () => {
  it('are all here: 39 v0.3.0 examples, 45 conformance events per later release, and 3 custom ones', () => {
    const count = (prefix: string) => files.filter((file) => file.name.startsWith(prefix) && !file.custom).length;
    expect([count('v0.3.0'), count('v0.4.1'), count('v0.5.0'), count('v0.5.1')]).toEqual([39, 45, 45, 45]);
    expect(files.filter((file) => file.custom)).toHaveLength(3);
  });

  it.each(files.map((file) => [file.name, file] as const))(
    '%s is valid in the release it comes from',
    (_name, file) => {
      expect(validateEvent(file.event)).toEqual({ status: 'valid', specVersion: file.specVersion });
    },
  );

  it.each(files.map((file) => [file.name, file] as const))(
    '%s is what our builder produces from the same facts',
    (_name, file) => {
      const context = file.event.context as Record<string, unknown>;
      const subject = file.event.subject as Record<string, unknown>;
      const [, , subjectName, predicate] = (context.type as string).split('.');
      const spec: EventSpec = {
        type: file.custom ? (context.type as string) : `${subjectName}.${predicate}`,
        specVersion: file.specVersion as EventSpec['specVersion'],
        id: context.id as string,
        source: context.source as string,
        timestamp: context.timestamp as string,
        subject: {
          id: subject.id as string,
          ...(subject.source !== undefined ? { source: subject.source as string } : {}),
          content: subject.content as Record<string, unknown>,
        },
        ...(context.chainId !== undefined ? { chainId: context.chainId as string } : {}),
        ...(context.links !== undefined ? { links: context.links as EventSpec['links'] } : {}),
        ...(context.schemaUri !== undefined ? { schemaUri: context.schemaUri as string } : {}),
        ...(file.event.customData !== undefined
          ? { customData: file.event.customData as Record<string, unknown> }
          : {}),
        ...(file.event.customDataContentType !== undefined
          ? { customDataContentType: file.event.customDataContentType as string }
          : {}),
      };
      const built = createEvent(spec) as unknown as Record<string, unknown>;
      // The 0.4.1 custom conformance file declares version "0.5.0-draft"; everything else matches byte for byte.
      const expected = structuredClone(file.event);
      (expected.context as Record<string, unknown>)[context.specversion !== undefined ? 'specversion' : 'version'] =
        file.specVersion;
      expect(built).toEqual(expected);
    },
  );

  it.each(files.map((file) => [file.name, file] as const))(
    '%s reads back into its normalised columns',
    (_name, file) => {
      const context = file.event.context as Record<string, unknown>;
      const summary = summarizeEvent(file.event);
      expect(summary).toMatchObject({
        type: context.type,
        id: context.id,
        source: context.source,
        timestamp: context.timestamp,
        subjectId: (file.event.subject as Record<string, unknown>).id,
        custom: file.custom,
      });
      expect(summary.links).toHaveLength(Array.isArray(context.links) ? context.links.length : 0);
    },
  );
});
