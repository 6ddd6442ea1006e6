/**
 * Conversion between spec lines, for receivers on an older spec (Flux's receiver and cdviz's
 * transformers speak 0.4.1). The differences are all data in spec/irregularities.ts; this
 * module only walks them. 0.3.0 and 0.5.0 events can be converted up to 0.4.1 / 0.5.1 too.
 */
import { InvalidEventError } from './errors';
import {
  OUTCOMES_FROM_0_4_TO_0_5,
  RENAMED_FROM_0_4_TO_0_5,
  SUBJECT_NAMES,
  TYPES_WITH_TEST_OUTCOME,
} from './spec/irregularities';
import { SPEC_LINE_BY_VERSION, buildTypeString, findLinesOfType } from './spec/specLines';
import type { CDEvent, EmitSpecVersion, SpecVersion } from './types';
import { validateEvent } from './validate';

type Json = Record<string, unknown>;

const OUTCOMES_FROM_0_5_TO_0_4: Record<string, string> = Object.fromEntries(
  Object.entries(OUTCOMES_FROM_0_4_TO_0_5).map(([from, to]) => [to, from]),
);

function renameAt(content: Json, from: string, to: string): void {
  const fromPath = from.split('.');
  const toLeaf = to.split('.').at(-1) as string;
  let holder: unknown = content;
  for (const part of fromPath.slice(0, -1)) holder = (holder as Json | undefined)?.[part];
  if (typeof holder !== 'object' || holder === null) return;
  const record = holder as Json;
  const leaf = fromPath.at(-1) as string;
  if (!(leaf in record)) return;
  // Keep key order apart from the rename, so the converted JSON reads like the original.
  const entries = Object.entries(record).map(([key, value]) => (key === leaf ? [toLeaf, value] : [key, value]));
  for (const key of Object.keys(record)) delete record[key];
  Object.assign(record, Object.fromEntries(entries));
}

function fail(message: string, pointer = '/context/type'): never {
  throw new InvalidEventError(message, [{ pointer, message }]);
}

/** The line and type key of a standard event, preferring the line it declares when two share its type. */
function locate(event: CDEvent): { line: SpecVersion; key: string } {
  const locations = findLinesOfType(event.context.type);
  if (locations.length === 0) fail(`cannot convert ${JSON.stringify(event.context.type)}: not a known CDEvents type`);
  const declared = event.context.specversion ?? event.context.version;
  const location = locations.find((candidate) => candidate.line.specVersion === declared) ?? locations[0];
  return { line: location.line.specVersion, key: location.key };
}

function setSpecVersion(event: CDEvent, field: 'version' | 'specversion', value: string): void {
  const { version: _version, specversion: _specversion, ...rest } = event.context;
  event.context = { [field]: value, ...rest } as CDEvent['context'];
}

function upTo0_5(event: CDEvent, key: string): void {
  setSpecVersion(event, 'specversion', '0.5.1');
  event.context.type = buildTypeString(key, SPEC_LINE_BY_VERSION['0.5.1'].types[key].version);
  delete event.subject.type;
  for (const [from, to] of RENAMED_FROM_0_4_TO_0_5[key] ?? []) renameAt(event.subject.content, from, to);
  const content = event.subject.content as Json;
  const outcome = content.outcome;
  if (typeof outcome === 'string' && (TYPES_WITH_TEST_OUTCOME.includes(key) || key === 'pipelinerun.finished')) {
    content.outcome = OUTCOMES_FROM_0_4_TO_0_5[outcome] ?? outcome;
  }
}

function downTo0_4(event: CDEvent, key: string): void {
  setSpecVersion(event, 'version', '0.4.1');
  event.context.type = buildTypeString(key, SPEC_LINE_BY_VERSION['0.4.1'].types[key].version);
  const { id, source, content } = event.subject;
  event.subject = {
    id,
    ...(source !== undefined ? { source } : {}),
    type: SUBJECT_NAMES[key.split('.')[0] as keyof typeof SUBJECT_NAMES],
    content,
  };
  for (const [to, from] of RENAMED_FROM_0_4_TO_0_5[key] ?? []) renameAt(content, from, to);
  if (TYPES_WITH_TEST_OUTCOME.includes(key) && typeof content.outcome === 'string') {
    content.outcome = OUTCOMES_FROM_0_5_TO_0_4[content.outcome] ?? content.outcome;
  }
}

function convertCustom(event: CDEvent, to: EmitSpecVersion): void {
  if (to === '0.5.1') {
    setSpecVersion(event, 'specversion', '0.5.1');
    delete event.subject.type;
  } else {
    setSpecVersion(event, 'version', '0.4.1');
    const { id, source, content } = event.subject;
    const toolSubject = event.context.type.split('.')[2];
    event.subject = { id, ...(source !== undefined ? { source } : {}), type: toolSubject, content };
  }
}

/**
 * Converts an event to spec 0.5.1 or 0.4.1: specversion ↔ version, subject.type added or
 * removed, url ↔ uri, test outcomes pass|fail ↔ success|failure, type versions per the tables.
 * Returns a new object; the input is not changed.
 * @throws InvalidEventError when the type is unknown, or when the converted event is not valid
 *   in the target line (e.g. a 0.4.1 url that is not an absolute URI, as 0.5.1's uri must be).
 */
export function convertEvent(event: CDEvent, to: EmitSpecVersion): CDEvent {
  const copy = structuredClone(event);
  if (typeof copy.context?.type !== 'string') fail('cannot convert an event without context.type');
  if (copy.context.type.startsWith('dev.cdeventsx.')) {
    convertCustom(copy, to);
  } else {
    const { line, key } = locate(copy);
    if (to === '0.5.1') {
      if (line === '0.3.0' || line === '0.4.1') upTo0_5(copy, key);
      else setSpecVersion(copy, 'specversion', '0.5.1');
    } else if (line === '0.5.1' || line === '0.5.0') {
      downTo0_4(copy, key);
    } else {
      // 0.3.0 → 0.4.1 changed only version strings; 0.4.1 → 0.4.1 normalises the version.
      setSpecVersion(copy, 'version', '0.4.1');
      const typeSpec = SPEC_LINE_BY_VERSION['0.4.1'].types[key];
      if (!typeSpec) fail(`CDEvents 0.4.1 has no event type ${key}`);
      copy.context.type = buildTypeString(key, typeSpec.version);
    }
  }
  const verdict = validateEvent(copy);
  if (verdict.status !== 'valid') {
    const list = verdict.problems.map((problem) => `${problem.pointer}: ${problem.message}`).join('; ');
    throw new InvalidEventError(`the event converted to spec ${to} is not valid: ${list}`, verdict.problems);
  }
  return copy;
}
