/**
 * Validation of incoming events against our own definitions (built from the spec tables in
 * spec/), run by Ajv. Never throws: an invalid event is still stored, marked invalid.
 *
 * Dispatch: the event type decides the spec line, because a type version belongs to exactly one
 * line (0.5.0 and 0.5.1 share theirs; the declared version picks between them). The declared
 * spec version (`context.specversion` from 0.5, `context.version` up to 0.4) only decides for
 * custom events and breaks the 0.5.0/0.5.1 tie. Real tools mix them (cdviz sends
 * `version: 0.4.1` with `incident.detected.0.1.0`); such an event is checked against the line
 * that defines its type and, when valid, carries a warning naming the mismatch.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describeErrors } from './problemMessages';
import {
  WELL_FORMED_EVENT_SCHEMA,
  buildCustomEventSchema,
  buildEventSchema,
  type JsonSchema,
} from './spec/buildEventSchema';
import { type SpecLine } from './spec/specLine';
import { SPEC_LINE_BY_VERSION, findLinesOfType, specV0_4_1, specV0_5_0, specV0_5_1 } from './spec/specLines';
import type { Problem, SpecVersion, Verdict } from './types';

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * A string format check that remembers its answers. A tool sends the same
 * source and URIs in every event, and ajv-formats' RFC 3986 patterns cost more
 * than a lookup (they were the largest part of validating a batch). Bounded:
 * long strings are not kept, and the memory is emptied when full.
 */
function rememberAnswers(check: (text: string) => boolean): (text: string) => boolean {
  const answers = new Map<string, boolean>();
  return (text) => {
    let answer = answers.get(text);
    if (answer === undefined) {
      answer = check(text);
      if (text.length <= 512) {
        if (answers.size >= 4096) answers.clear();
        answers.set(text, answer);
      }
    }
    return answer;
  };
}

/** The check behind a format as ajv-formats defines it: a pattern, a function, or either under `validate`. */
function formatCheck(format: unknown): ((text: string) => boolean) | undefined {
  const definition = typeof format === 'object' && format !== null && 'validate' in format ? format.validate : format;
  if (definition instanceof RegExp) return (text) => definition.test(text);
  if (typeof definition === 'function') return (text) => Boolean((definition as (text: string) => unknown)(text));
  return undefined;
}

function compile(cacheKey: string, build: () => JsonSchema): ValidateFunction {
  let validate = compiled.get(cacheKey);
  if (!validate) {
    if (!ajv) {
      // allErrors: the verdict lists every problem. strictTypes/strictRequired off: the if/then
      // link dispatch and the well-formedness check name properties inside anyOf/if branches.
      ajv = new Ajv2020({
        allErrors: true,
        strict: true,
        strictTypes: false,
        strictRequired: false,
        allowUnionTypes: true,
      });
      addFormats(ajv);
      for (const name of ['uri', 'uri-reference']) {
        const check = formatCheck(ajv.formats[name]);
        if (check) ajv.addFormat(name, rememberAnswers(check));
      }
    }
    validate = ajv.compile(build());
    compiled.set(cacheKey, validate);
  }
  return validate;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function declaredVersionOf(context: Record<string, unknown>): string | undefined {
  const declared = context.specversion ?? context.version;
  return typeof declared === 'string' ? declared : undefined;
}

function run(validate: ValidateFunction, event: unknown, label: string): Problem[] {
  return validate(event) ? [] : describeErrors(validate.errors ?? [], event, label);
}

function verdictOf(problems: Problem[], specVersion: SpecVersion, warnings: Problem[]): Verdict {
  if (problems.length > 0) return { status: 'invalid', specVersion, problems: [...warnings, ...problems] };
  return warnings.length > 0 ? { status: 'valid', specVersion, warnings } : { status: 'valid', specVersion };
}

/** Which line's custom schema applies: the version field the context uses decides. */
function customLineOf(context: Record<string, unknown>): SpecLine {
  if ('specversion' in context) return context.specversion === '0.5.0' ? specV0_5_0 : specV0_5_1;
  return 'version' in context ? specV0_4_1 : specV0_5_1;
}

function validateCustom(event: unknown, context: Record<string, unknown>): Verdict {
  const line = customLineOf(context);
  const validate = compile(`custom|${line.specVersion}`, () => buildCustomEventSchema(line));
  return verdictOf(run(validate, event, `CDEvents ${line.specVersion} custom events`), line.specVersion, []);
}

function describeKnownVersions(type: string): string {
  const match = /^dev\.cdevents\.([a-z]+\.[a-z]+)\./.exec(type);
  if (!match) return '';
  const known = Object.values(SPEC_LINE_BY_VERSION)
    .filter((line) => line.types[match[1]] && line.specVersion !== '0.5.0')
    .map((line) => `${line.types[match[1]].version} (spec ${line.specVersion})`);
  return known.length > 0 ? `; known versions of ${match[1]}: ${known.join(', ')}` : '';
}

/**
 * What our definitions say of an event: valid, invalid with every problem (JSON pointer and a
 * sentence), or unknown-type (a well-formed event of a type no known spec line defines, such as
 * a future version). Never throws. `context.schemaUri` is not fetched: the model does no I/O.
 */
export function validateEvent(input: unknown): Verdict {
  if (!isRecord(input)) {
    return { status: 'invalid', problems: [{ pointer: '', message: 'a CDEvent must be a JSON object' }] };
  }
  const context = isRecord(input.context) ? input.context : undefined;
  const type = context?.type;
  if (context && typeof type === 'string' && type.startsWith('dev.cdeventsx.')) return validateCustom(input, context);

  const locations = typeof type === 'string' ? findLinesOfType(type) : [];
  if (context && locations.length > 0) {
    const declared = declaredVersionOf(context);
    const location = locations.find((candidate) => candidate.line.specVersion === declared) ?? locations[0];
    const { line, key } = location;
    const validate = compile(`${line.specVersion}|${key}`, () => buildEventSchema(line, key));
    const warnings: Problem[] =
      declared !== undefined && !locations.some((candidate) => candidate.line.specVersion === declared)
        ? [
            {
              pointer: `/context/${'specversion' in context ? 'specversion' : 'version'}`,
              message: `context.type ${String(type)} belongs to CDEvents ${line.specVersion}, but the event declares spec ${declared}; it was checked against ${line.specVersion}`,
            },
          ]
        : [];
    return verdictOf(run(validate, input, `CDEvents ${line.specVersion} ${key}`), line.specVersion, warnings);
  }

  // No known line defines this type: is it at least a well-formed CDEvent?
  const problems = run(
    compile('well-formed', () => WELL_FORMED_EVENT_SCHEMA),
    input,
    'a CDEvent',
  );
  const declared = context ? declaredVersionOf(context) : undefined;
  if (problems.length > 0) return { status: 'invalid', ...(declared ? { specVersion: declared } : {}), problems };
  return {
    status: 'unknown-type',
    ...(declared ? { specVersion: declared } : {}),
    problems: [
      {
        pointer: '/context/type',
        message: `context.type ${JSON.stringify(type)} is not an event type of CDEvents 0.3.0, 0.4.1, 0.5.0 or 0.5.1${describeKnownVersions(String(type))}`,
      },
    ],
  };
}
