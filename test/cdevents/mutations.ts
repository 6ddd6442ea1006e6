/**
 * Seeded mutations of the spec's conformance events, for the differential test. Each mutation
 * is one of the kinds the spec's schemas forbid (a required field removed, a wrong type, an
 * extra property, a bad date-time, uri or uri-reference, a wrong enum value) or a control that
 * they allow (an optional field removed, an extra property where the schema is open). The spec
 * schema of the event's own release tells where each kind applies.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { specDir } from './specOracle';

type Schema = Record<string, unknown>;
type Json = Record<string, unknown>;

export type MutationKind =
  | 'required field removed'
  | 'optional field removed'
  | 'wrong type'
  | 'extra property'
  | 'bad date-time'
  | 'bad uri'
  | 'bad uri-reference'
  | 'wrong enum value';

export interface Mutation {
  kind: MutationKind;
  /** JSON pointer of the mutated place. */
  pointer: string;
  description: string;
  event: unknown;
}

/** A small seeded PRNG (mulberry32), so every run draws the same mutations. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function linkSchema(specVersion: string, linkType: unknown): Schema | undefined {
  if (typeof linkType !== 'string' || !['PATH', 'RELATION', 'END'].includes(linkType)) return undefined;
  const file = join(specDir, `v${specVersion}`, 'schemas', 'links', `embeddedlink${linkType.toLowerCase()}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Schema;
}

function escape(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1');
}

function withChange(event: unknown, path: string[], change: (holder: Json | unknown[], key: string) => void): unknown {
  const copy = structuredClone(event);
  let holder = copy as Json;
  for (const part of path.slice(0, -1)) holder = holder[part] as Json;
  change(holder, path[path.length - 1]);
  return copy;
}

function replaceAt(event: unknown, path: string[], value: unknown): unknown {
  return withChange(event, path, (holder, key) => {
    (holder as Json)[key] = value;
  });
}

function wrongTypeFor(value: unknown): unknown {
  if (typeof value === 'string') return 42;
  if (Array.isArray(value)) return { not: 'an array' };
  if (typeof value === 'object' && value !== null) return 'not an object';
  if (typeof value === 'number') return '42';
  return 'not a boolean';
}

/** Every mutation the kinds above allow on one event, given the spec schema it conforms to. */
export function listMutations(event: unknown, schema: Schema, specVersion: string): Mutation[] {
  const found: Mutation[] = [];
  const visit = (value: unknown, at: Schema | undefined, path: string[]): void => {
    const pointer = path.map((part) => `/${escape(part)}`).join('');
    if (path.length > 0) {
      found.push({
        kind: 'wrong type',
        pointer,
        description: `${pointer} as another JSON type`,
        event: replaceAt(event, path, wrongTypeFor(value)),
      });
    }
    if (typeof value === 'string' && at) {
      if (at.format === 'date-time') {
        for (const bad of ['2023-03-20 14:27:05Z', 'yesterday', '2023-02-30T10:00:00Z']) {
          found.push({
            kind: 'bad date-time',
            pointer,
            description: `${pointer} = ${bad}`,
            event: replaceAt(event, path, bad),
          });
        }
      }
      if (at.format === 'uri') {
        for (const bad of ['not a uri', '/relative/only', 'example.com/no-scheme']) {
          found.push({
            kind: 'bad uri',
            pointer,
            description: `${pointer} = ${bad}`,
            event: replaceAt(event, path, bad),
          });
        }
      }
      if (at.format === 'uri-reference') {
        for (const bad of ['has spaces in it', '\\\\host\\share']) {
          found.push({
            kind: 'bad uri-reference',
            pointer,
            description: `${pointer} = ${bad}`,
            event: replaceAt(event, path, bad),
          });
        }
      }
      if (Array.isArray(at.enum)) {
        const bad = pointer === '/context/type' ? `${value.replace(/\.\d+\.\d+\.\d+$/, '')}.9.9.9` : 'not-in-the-enum';
        found.push({
          kind: 'wrong enum value',
          pointer,
          description: `${pointer} = ${bad}`,
          event: replaceAt(event, path, bad),
        });
      }
    }
    if (Array.isArray(value)) {
      const items = at?.$ref === 'links/embeddedlinksarray' ? undefined : (at?.items as Schema | undefined);
      value.forEach((item, index) => {
        const itemSchema =
          at?.$ref === 'links/embeddedlinksarray' ? linkSchema(specVersion, (item as Json)?.linkType) : items;
        visit(item, itemSchema, [...path, String(index)]);
      });
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const extraPointer = `${pointer}/unexpectedField`;
    found.push({
      kind: 'extra property',
      pointer: extraPointer,
      description: `${extraPointer} added`,
      event:
        path.length === 0
          ? { ...(value as Json), unexpectedField: 'surprise' }
          : replaceAt(event, path, { ...(value as Json), unexpectedField: 'surprise' }),
    });
    const properties = (at?.properties ?? {}) as Record<string, Schema>;
    const required = (at?.required ?? []) as string[];
    for (const [key, child] of Object.entries(value as Json)) {
      const childPath = [...path, key];
      const childPointer = `${pointer}/${escape(key)}`;
      found.push({
        kind: required.includes(key) ? 'required field removed' : 'optional field removed',
        pointer: childPointer,
        description: `${childPointer} removed`,
        event: withChange(event, childPath, (holder, last) => {
          delete (holder as Json)[last];
        }),
      });
      visit(child, properties[key], childPath);
    }
  };
  visit(event, schema, []);
  return found;
}

/** Draws up to `perKind` mutations of each kind, deterministically for a given random source. */
export function sampleByKind(mutations: Mutation[], perKind: number, random: () => number): Mutation[] {
  const byKind = new Map<MutationKind, Mutation[]>();
  for (const mutation of mutations) byKind.set(mutation.kind, [...(byKind.get(mutation.kind) ?? []), mutation]);
  const sample: Mutation[] = [];
  for (const kind of [...byKind.keys()].sort()) {
    const pool = [...(byKind.get(kind) as Mutation[])];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    sample.push(...pool.slice(0, perKind));
  }
  return sample;
}
