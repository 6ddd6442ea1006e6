/**
 * Turns Ajv's errors into problems a person can act on: a JSON pointer into the event and a
 * sentence naming the field and what is wrong with it.
 */
import type { ErrorObject } from 'ajv';
import type { Problem } from './types';

const FORMAT_NAMES: Record<string, string> = {
  'date-time': 'an RFC 3339 date-time such as 2024-05-01T12:00:00Z',
  uri: 'an absolute URI such as https://example.com/x',
  'uri-reference': 'a URI reference such as /argocd/ns or https://example.com/x',
};

/** Hints for fields that moved between spec lines, the commonest reason for a stray field. */
const STRAY_FIELD_HINTS: Record<string, string> = {
  '/context/version': 'spec 0.5 renamed context.version to context.specversion',
  '/context/specversion': 'spec 0.4 and earlier call it context.version',
  '/subject/type': 'spec 0.5 removed subject.type',
  '/context/links': 'spec 0.3.0 has no links',
  '/context/chainId': 'spec 0.3.0 has no chainId',
  '/context/schemaUri': 'spec 0.3.0 has no schemaUri',
};

/** "/subject/content/environment/id" → "subject.content.environment.id"; "/context/links/0" → "context.links[0]". */
export function describePointer(pointer: string): string {
  if (pointer === '') return 'the event';
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function escapePointerPart(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1');
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let value: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `a string`;
  return `a ${typeof value}`;
}

function quote(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function expectedKind(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  const names = types.map((t) => (t === 'object' ? 'an object' : t === 'array' ? 'an array' : `a ${String(t)}`));
  return names.join(' or ');
}

function describeError(error: ErrorObject, event: unknown, specLabel: string): Problem | undefined {
  const at = error.instancePath;
  const field = describePointer(at);
  const value = valueAt(event, at);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const pointer = `${at}/${escapePointerPart(String(params.missingProperty))}`;
      return { pointer, message: `${describePointer(pointer)} is required in ${specLabel}` };
    }
    case 'additionalProperties': {
      const pointer = `${at}/${escapePointerPart(String(params.additionalProperty))}`;
      const hint = STRAY_FIELD_HINTS[pointer];
      return {
        pointer,
        message: `${describePointer(pointer)} is not a field ${specLabel} allows here${hint ? ` (${hint})` : ''}`,
      };
    }
    case 'type':
      return { pointer: at, message: `${field} must be ${expectedKind(params.type)}, not ${kindOf(value)}` };
    case 'enum':
    case 'const': {
      const allowed = (params.allowedValues as unknown[] | undefined) ?? [params.allowedValue];
      return {
        pointer: at,
        message: `${field} must be ${allowed.length === 1 ? '' : 'one of '}${allowed.map(quote).join(', ')}, not ${quote(value)}`,
      };
    }
    case 'format': {
      const format = String(params.format);
      return { pointer: at, message: `${field} must be ${FORMAT_NAMES[format] ?? format}, not ${quote(value)}` };
    }
    case 'minLength':
      return { pointer: at, message: `${field} must not be empty` };
    case 'pattern':
      return { pointer: at, message: `${field} ${quote(value)} does not match ${String(params.pattern)}` };
    case 'anyOf':
      if (at === '/context' && typeof value === 'object' && value !== null) {
        return {
          pointer: '/context/specversion',
          message: 'context.specversion (spec 0.5) or context.version (spec 0.4 and earlier) is required',
        };
      }
      // Otherwise only the spec's "open enums" (anyOf: [{enum}, {string}]) get here: any string of the
      // right length passes, so the value is not a string or is too short.
      return typeof value === 'string'
        ? { pointer: at, message: `${field} must not be empty` }
        : { pointer: at, message: `${field} must be a string, not ${kindOf(value)}` };
    case 'if':
      // if/then reports twice: once for the failing "then" keyword, once for "if". Keep the former.
      return undefined;
    default:
      return { pointer: at, message: `${field} ${error.message ?? 'is not valid'}` };
  }
}

/** Every problem once, in Ajv's order, without the branch noise of anyOf. */
export function describeErrors(errors: readonly ErrorObject[], event: unknown, specLabel: string): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && error.schemaPath.includes('/anyOf/')) continue;
    const problem = describeError(error, event, specLabel);
    if (!problem) continue;
    const key = `${problem.pointer}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}
