/**
 * Builders: the only way the model writes events. They fill in id and timestamp (injectable,
 * so tests and deterministic ids can replace them), add what the spec line's envelope needs
 * (specversion or version, subject.type up to 0.4), and validate before they return: an event
 * that would not pass validateEvent is never returned, an InvalidEventError naming every
 * problem is thrown instead.
 */
import { InvalidEventError } from './errors';
import type { ContentFor, CDEventOf, CustomCDEvent, EventKey } from './eventTypes';
import { SUBJECT_NAMES } from './spec/irregularities';
import { SPEC_LINE_BY_VERSION, buildTypeString, isSpecVersion } from './spec/specLines';
import type { CDEvent, EmbeddedLink, SpecVersion } from './types';
import { validateEvent } from './validate';

export interface EventSpec<Content = Record<string, unknown>> {
  /**
   * "<subject>.<predicate>", e.g. "service.deployed" (the type version follows from the spec
   * version), or a full custom type "dev.cdeventsx.<tool>-<subject>.<predicate>.<M.m.p>".
   */
  type: string;
  source: string;
  id?: string;
  timestamp?: string;
  subject: { id: string; source?: string; content: Content };
  chainId?: string;
  links?: EmbeddedLink[];
  /** Recorded as given; never fetched. */
  schemaUri?: string;
  customData?: Record<string, unknown> | string;
  customDataContentType?: string;
  /** The spec line to emit in; 0.5.1 unless said otherwise. */
  specVersion?: SpecVersion;
}

export interface BuildOptions {
  now?: () => Date;
  newId?: () => string;
}

/** What a typed builder takes: everything but the type, whose content is checked by the compiler. */
export type EventInput<Content> = Omit<EventSpec<Content>, 'type' | 'specVersion'>;

function throwIfInvalid(event: unknown, what: string): void {
  const verdict = validateEvent(event);
  if (verdict.status === 'valid') return;
  const list = verdict.problems.map((problem) => `${problem.pointer || '/'}: ${problem.message}`).join('; ');
  throw new InvalidEventError(`${what} is not a valid CDEvent: ${list}`, verdict.problems);
}

function resolveType(type: string, specVersion: SpecVersion): { typeString: string; subjectType?: string } {
  if (type.startsWith('dev.cdeventsx.')) {
    // 0.4.1 custom events name their subject "<tool>-<subject>" in subject.type.
    const toolSubject = type.split('.')[2];
    return { typeString: type, subjectType: toolSubject };
  }
  const line = SPEC_LINE_BY_VERSION[specVersion];
  const spec = line.types[type];
  if (!spec) {
    throw new InvalidEventError(`CDEvents ${specVersion} has no event type "${type}"`, [
      { pointer: '/context/type', message: `CDEvents ${specVersion} has no event type "${type}"` },
    ]);
  }
  const subjectKey = type.split('.')[0] as keyof typeof SUBJECT_NAMES;
  return { typeString: buildTypeString(type, spec.version), subjectType: SUBJECT_NAMES[subjectKey] };
}

/**
 * Builds one event from a loose spec. Emits spec 0.5.1 unless `spec.specVersion` says otherwise.
 * @throws InvalidEventError when the result would not be valid (the message names every problem),
 *   or when the spec line has no such event type.
 */
export function createEvent<Content = Record<string, unknown>>(
  spec: EventSpec<Content>,
  options: BuildOptions = {},
): CDEvent<Content> {
  const specVersion = spec.specVersion ?? '0.5.1';
  if (!isSpecVersion(specVersion)) {
    throw new InvalidEventError(`unknown spec version "${String(specVersion)}"`, [
      { pointer: '/context/specversion', message: `unknown spec version "${String(specVersion)}"` },
    ]);
  }
  const line = SPEC_LINE_BY_VERSION[specVersion];
  const now = options.now ?? (() => new Date());
  // Web Crypto exists in Node 20 and in browsers, so the model stays free of Node imports.
  const newId = options.newId ?? (() => globalThis.crypto.randomUUID());
  const { typeString, subjectType } = resolveType(spec.type, specVersion);
  const event = {
    context: {
      [line.versionField]: specVersion,
      id: spec.id ?? newId(),
      source: spec.source,
      type: typeString,
      timestamp: spec.timestamp ?? now().toISOString(),
      ...(spec.schemaUri !== undefined ? { schemaUri: spec.schemaUri } : {}),
      ...(spec.chainId !== undefined ? { chainId: spec.chainId } : {}),
      ...(spec.links !== undefined ? { links: spec.links } : {}),
    },
    subject: {
      id: spec.subject.id,
      ...(spec.subject.source !== undefined ? { source: spec.subject.source } : {}),
      ...(line.subjectType && subjectType ? { type: subjectType } : {}),
      content: spec.subject.content,
    },
    ...(spec.customData !== undefined ? { customData: spec.customData } : {}),
    ...(spec.customDataContentType !== undefined ? { customDataContentType: spec.customDataContentType } : {}),
  } as unknown as CDEvent<Content>;
  throwIfInvalid(event, `${typeString} (spec ${specVersion})`);
  return event;
}

/**
 * Builds one event of a known type with its content checked by the compiler:
 * `buildEvent('0.4.1', 'service.deployed', {source, subject: {id, content: {environment: {id}, artifactId}}})`.
 * @throws InvalidEventError when the result would not be valid (e.g. a bad URI or date-time).
 */
export function buildEvent<S extends SpecVersion, K extends EventKey<S>>(
  specVersion: S,
  type: K,
  input: EventInput<ContentFor<S, K>>,
  options: BuildOptions = {},
): CDEventOf<S, K> {
  return createEvent({ ...input, type, specVersion } as EventSpec<unknown>, options) as unknown as CDEventOf<S, K>;
}

/**
 * Builds a custom event (`dev.cdeventsx.<tool>-<subject>.<predicate>.<M.m.p>`); content is open.
 * @throws InvalidEventError when the type or the envelope is not valid.
 */
export function buildCustomEvent(
  input: EventInput<Record<string, unknown>> & { type: `dev.cdeventsx.${string}`; specVersion?: '0.5.1' | '0.4.1' },
  options: BuildOptions = {},
): CustomCDEvent {
  return createEvent(input, options) as unknown as CustomCDEvent;
}

type SubjectNames = typeof SUBJECT_NAMES;
type BuilderName<K extends string> = K extends `${infer Subject extends keyof SubjectNames}.${infer Predicate}`
  ? `${SubjectNames[Subject]}${Capitalize<Predicate>}`
  : never;

/** One builder per event type of a line, named after it: serviceDeployed, pipelineRunQueued, testCaseRunFinished… */
export type Builders<S extends SpecVersion> = {
  [K in EventKey<S> as BuilderName<K>]: (
    input: EventInput<ContentFor<S, K>>,
    options?: BuildOptions,
  ) => CDEventOf<S, K>;
};

/** The typed builders of one spec line, e.g. `createBuilders('0.4.1').serviceDeployed({...})`. */
export function createBuilders<S extends SpecVersion>(specVersion: S): Builders<S> {
  const builders: Record<string, unknown> = {};
  for (const key of Object.keys(SPEC_LINE_BY_VERSION[specVersion].types)) {
    const [subject, predicate] = key.split('.');
    const name = `${SUBJECT_NAMES[subject as keyof SubjectNames]}${predicate[0].toUpperCase()}${predicate.slice(1)}`;
    builders[name] = (input: EventInput<unknown>, options?: BuildOptions) =>
      createEvent({ ...input, type: key, specVersion } as EventSpec<unknown>, options);
  }
  return builders as Builders<S>;
}

/** The typed builders of spec 0.5.1, the version we emit: `build.serviceDeployed({...})`. */
export const build = /* @__PURE__ */ createBuilders('0.5.1');
