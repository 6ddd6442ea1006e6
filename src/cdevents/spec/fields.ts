/**
 * The small vocabulary the spec tables are written in. A field is a string
 * (with optional minLength, format, enum or pattern), an "open enum" (the spec's
 * `anyOf: [{enum}, {string}]`: the enum documents the usual values, any string
 * is allowed), an object, or an array. From these the JSON Schema definitions
 * (buildEventSchema.ts) and the TypeScript types (ContentOf below) both follow.
 */

export type StringFormat = 'uri' | 'uri-reference' | 'date-time';

export interface StringField {
  kind: 'string';
  minLength?: number;
  format?: StringFormat;
  enum?: readonly string[];
  pattern?: string;
  required?: boolean;
}

export interface OpenEnumField {
  kind: 'openEnum';
  enum: readonly string[];
  /** minLength of the free-string branch (the enum branch has none). */
  minLength?: number;
  required?: boolean;
}

export interface ObjectField {
  kind: 'object';
  fields: Fields;
  /** true where the spec leaves additionalProperties unset, so any extra key is allowed. */
  open?: boolean;
  required?: boolean;
}

export interface ArrayField {
  kind: 'array';
  items: StringField;
  required?: boolean;
}

export type FieldSpec = StringField | OpenEnumField | ObjectField | ArrayField;
export type Fields = Readonly<Record<string, FieldSpec>>;

/** A plain string, possibly empty. */
export const text = { kind: 'string' } as const;
/** A string of at least one character. */
export const nonEmpty = { kind: 'string', minLength: 1 } as const;
/** An absolute URI (format uri), possibly empty in the schema's eyes but then not a URI. */
export const uri = { kind: 'string', format: 'uri' } as const;
/** A non-empty absolute URI. */
export const nonEmptyUri = { kind: 'string', minLength: 1, format: 'uri' } as const;
/** A non-empty URI reference (relative or absolute). */
export const uriReference = { kind: 'string', minLength: 1, format: 'uri-reference' } as const;

export function required<const F extends FieldSpec>(field: F): F & { required: true } {
  return { ...field, required: true };
}

export function oneOf<const E extends readonly string[]>(...values: E): { kind: 'string'; enum: E } {
  return { kind: 'string', enum: values };
}

export function openEnum<const E extends readonly string[]>(...values: E): { kind: 'openEnum'; enum: E } {
  return { kind: 'openEnum', enum: values };
}

export function object<const F extends Fields>(fields: F): { kind: 'object'; fields: F } {
  return { kind: 'object', fields };
}

export function openObject<const F extends Fields>(fields: F): { kind: 'object'; fields: F; open: true } {
  return { kind: 'object', fields, open: true };
}

export function arrayOf<const I extends StringField>(items: I): { kind: 'array'; items: I } {
  return { kind: 'array', items };
}

/** A reference to another subject: `{id*, source}` with source a URI reference. */
export const subjectRef = object({ id: required(nonEmpty), source: uriReference });
/** The testing subjects' references, whose source has no format in the spec. */
export const looseSubjectRef = object({ id: required(nonEmpty), source: text });

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The TypeScript type of one field's value. */
export type ValueOf<F> = F extends { kind: 'string'; enum: readonly (infer E)[] }
  ? E
  : F extends { kind: 'string' }
    ? string
    : F extends { kind: 'openEnum'; enum: readonly (infer E)[] }
      ? E | (string & {})
      : F extends { kind: 'object'; fields: infer X; open: true }
        ? ContentOf<X> & Record<string, unknown>
        : F extends { kind: 'object'; fields: infer X }
          ? ContentOf<X>
          : F extends { kind: 'array'; items: infer I }
            ? ValueOf<I>[]
            : never;

type RequiredKeys<X> = { [K in keyof X]: X[K] extends { required: true } ? K : never }[keyof X];

/** The TypeScript type of an object described by fields: required fields are required. */
export type ContentOf<X> = Simplify<
  { [K in RequiredKeys<X>]: ValueOf<X[K]> } & { [K in Exclude<keyof X, RequiredKeys<X>>]?: ValueOf<X[K]> }
>;
