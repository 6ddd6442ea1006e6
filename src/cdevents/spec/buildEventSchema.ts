/**
 * Turns the spec tables into JSON Schema objects (draft 2020-12) for Ajv. The shapes follow
 * the released schemas keyword for keyword, except in two places where an equivalent shape
 * gives better error messages: embedded links are dispatched on linkType with if/then instead
 * of anyOf over the three link schemas, and customData is `type: [object, string]` instead
 * of `oneOf` (the two are disjoint, so both accept exactly the same values).
 */
import type { FieldSpec, Fields } from './fields';
import {
  CUSTOM_SUBJECT_TYPE_PATTERN_0_4,
  CUSTOM_TYPE_PATTERN,
  OPTIONAL_SUBJECT_TYPE_IN_0_5,
  SUBJECT_NAMES,
  SUBJECTS_WITH_UNFORMATTED_SOURCE,
} from './irregularities';
import { type SpecLine } from './specLine';
import { buildTypeString } from './specLines';

export type JsonSchema = Record<string, unknown>;

const nonEmptyString = { type: 'string', minLength: 1 };
const uriReferenceString = { type: 'string', minLength: 1, format: 'uri-reference' };
const contextRef = {
  type: 'object',
  properties: { contextId: nonEmptyString },
  required: ['contextId'],
};
const tags = { type: 'object', additionalProperties: true };

/** The three embedded link shapes, as the spec's links/embeddedlink*.json define them. */
export const EMBEDDED_LINK_SCHEMAS: Readonly<Record<'PATH' | 'RELATION' | 'END', JsonSchema>> = {
  PATH: {
    type: 'object',
    properties: { linkType: { type: 'string', enum: ['PATH'] }, from: contextRef, tags },
    required: ['linkType', 'from'],
    additionalProperties: false,
  },
  RELATION: {
    type: 'object',
    properties: {
      linkType: { type: 'string', enum: ['RELATION'] },
      linkKind: nonEmptyString,
      // The spec does not require target.contextId (links.md's lax RELATION).
      target: { type: 'object', properties: { contextId: nonEmptyString } },
      tags,
    },
    required: ['linkType', 'linkKind', 'target'],
    additionalProperties: false,
  },
  END: {
    type: 'object',
    properties: { linkType: { type: 'string', enum: ['END'] }, from: contextRef, tags },
    required: ['linkType'],
    additionalProperties: false,
  },
};

const linksArray: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: { linkType: { type: 'string', enum: ['PATH', 'RELATION', 'END'] } },
    required: ['linkType'],
    allOf: (['PATH', 'RELATION', 'END'] as const).map((linkType) => ({
      if: { properties: { linkType: { const: linkType } } },
      then: EMBEDDED_LINK_SCHEMAS[linkType],
    })),
  },
};

function buildFieldSchema(field: FieldSpec): JsonSchema {
  switch (field.kind) {
    case 'string': {
      const schema: JsonSchema = { type: 'string' };
      if (field.enum) schema.enum = [...field.enum];
      if (field.minLength !== undefined) schema.minLength = field.minLength;
      if (field.format) schema.format = field.format;
      if (field.pattern) schema.pattern = field.pattern;
      return schema;
    }
    case 'openEnum':
      return {
        anyOf: [
          { type: 'string', enum: [...field.enum] },
          field.minLength !== undefined ? { type: 'string', minLength: field.minLength } : { type: 'string' },
        ],
      };
    case 'object':
      return buildObjectSchema(field.fields, field.open ?? false);
    case 'array':
      return { type: 'array', items: buildFieldSchema(field.items) };
  }
}

/** An object schema for a set of fields; closed (additionalProperties false) unless open. */
export function buildObjectSchema(fields: Fields, open = false): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    properties[name] = buildFieldSchema(field);
    if (field.required) required.push(name);
  }
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    ...(open ? {} : { additionalProperties: false }),
  };
}

function buildContextSchema(line: SpecLine, typeSchema: JsonSchema, sourceFormat = true): JsonSchema {
  return {
    type: 'object',
    properties: {
      [line.versionField]: nonEmptyString,
      id: nonEmptyString,
      source: sourceFormat ? uriReferenceString : nonEmptyString,
      type: typeSchema,
      timestamp: { type: 'string', format: 'date-time' },
      ...(line.links
        ? { schemaUri: { type: 'string', minLength: 1, format: 'uri' }, chainId: nonEmptyString, links: linksArray }
        : {}),
    },
    required: [line.versionField, 'id', 'source', 'type', 'timestamp'],
    additionalProperties: false,
  };
}

function buildEnvelope(context: JsonSchema, subject: JsonSchema): JsonSchema {
  return {
    type: 'object',
    properties: {
      context,
      subject,
      customData: { type: ['object', 'string'] },
      customDataContentType: { type: 'string' },
    },
    required: ['context', 'subject'],
    additionalProperties: false,
  };
}

/** The definition of one standard event type ("service.deployed") of one spec line. */
export function buildEventSchema(line: SpecLine, key: string): JsonSchema {
  const spec = line.types[key];
  if (!spec) throw new Error(`CDEvents ${line.specVersion} has no event type ${key}`);
  const subjectKey = key.split('.')[0];
  const subjectName = SUBJECT_NAMES[subjectKey as keyof typeof SUBJECT_NAMES] ?? subjectKey;
  const subjectTypeSchema = { type: 'string', minLength: 1, enum: [subjectName] };
  const withSubjectType = line.subjectType || OPTIONAL_SUBJECT_TYPE_IN_0_5.includes(key);
  const sourceFormat = !SUBJECTS_WITH_UNFORMATTED_SOURCE.includes(subjectKey);
  const subject: JsonSchema = {
    type: 'object',
    properties: {
      id: nonEmptyString,
      source: sourceFormat ? uriReferenceString : { type: 'string' },
      ...(withSubjectType ? { type: subjectTypeSchema } : {}),
      content: buildObjectSchema(spec.content),
    },
    required: line.subjectType ? ['id', 'type', 'content'] : ['id', 'content'],
    additionalProperties: false,
  };
  const typeString = buildTypeString(key, spec.version);
  return buildEnvelope(buildContextSchema(line, { type: 'string', enum: [typeString] }, sourceFormat), subject);
}

/** The definition of custom (`dev.cdeventsx.<tool>-<subject>…`) events of one spec line: open content. */
export function buildCustomEventSchema(line: SpecLine): JsonSchema {
  const subject: JsonSchema = {
    type: 'object',
    properties: {
      id: nonEmptyString,
      source: uriReferenceString,
      ...(line.subjectType ? { type: { type: 'string', pattern: CUSTOM_SUBJECT_TYPE_PATTERN_0_4 } } : {}),
      content: { type: 'object', additionalProperties: true },
    },
    required: line.subjectType ? ['id', 'type', 'content'] : ['id', 'content'],
    additionalProperties: false,
  };
  return buildEnvelope(buildContextSchema(line, { type: 'string', pattern: CUSTOM_TYPE_PATTERN }), subject);
}

/**
 * What any well-formed CDEvent has, whatever its type: used to tell an event of a type we do
 * not know (a future version) from a malformed one. Open everywhere, since a future spec may add fields.
 */
export const WELL_FORMED_EVENT_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    context: {
      type: 'object',
      properties: {
        specversion: nonEmptyString,
        version: nonEmptyString,
        id: nonEmptyString,
        source: uriReferenceString,
        type: nonEmptyString,
        timestamp: { type: 'string', format: 'date-time' },
      },
      required: ['id', 'source', 'type', 'timestamp'],
      anyOf: [{ required: ['specversion'] }, { required: ['version'] }],
    },
    subject: {
      type: 'object',
      properties: { id: nonEmptyString, content: { type: 'object' } },
      required: ['id', 'content'],
    },
  },
  required: ['context', 'subject'],
};
