/**
 * The test oracle: the spec's own files, found by the test-data resolver (test/data), and its JSON schemas run with Ajv 2020 + ajv-formats as the spec's
 * tools/validate.js does (strict off). Only tests use this; the product never reads test data.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { testDataPath } from '../data/resolveTestData';

export const specDir = testDataPath('cdevents-spec');
export const corpusDir = testDataPath('cdevents-corpus');

export const SPEC_DIRS = ['v0.3.0', 'v0.4.1', 'v0.5.0', 'v0.5.1'] as const;

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export interface SpecSchemaFile {
  specVersion: string;
  file: string;
  path: string;
  schema: Record<string, unknown>;
  /** The one type string the schema's context.type enum allows; undefined for custom. */
  type?: string;
}

function contextTypeOf(schema: Record<string, unknown>): string | undefined {
  const props = (schema.properties as Record<string, Record<string, unknown>>).context.properties as Record<
    string,
    Record<string, unknown>
  >;
  const values = props.type.enum as string[] | undefined;
  return values?.[0];
}

export function listSchemaFiles(dir: (typeof SPEC_DIRS)[number]): SpecSchemaFile[] {
  const schemasDir = join(specDir, dir, 'schemas');
  return readdirSync(schemasDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const schema = readJson(join(schemasDir, file)) as Record<string, unknown>;
      return { specVersion: dir.slice(1), file, path: join(schemasDir, file), schema, type: contextTypeOf(schema) };
    });
}

export interface ConformanceFile {
  /** e.g. "v0.5.1/conformance/service_deployed.json" */
  name: string;
  specVersion: string;
  path: string;
  event: Record<string, unknown>;
  custom: boolean;
}

/** Every conformance file of every release: each conformance folder, v0.3.0/examples and each custom/conformance.json. */
export function listConformanceFiles(): ConformanceFile[] {
  const files: ConformanceFile[] = [];
  for (const dir of SPEC_DIRS) {
    const eventsDir = dir === 'v0.3.0' ? 'examples' : 'conformance';
    for (const file of readdirSync(join(specDir, dir, eventsDir)).sort()) {
      const path = join(specDir, dir, eventsDir, file);
      files.push({
        name: `${dir}/${eventsDir}/${file}`,
        specVersion: dir.slice(1),
        path,
        event: readJson(path) as Record<string, unknown>,
        custom: false,
      });
    }
    const custom = join(specDir, dir, 'custom', 'conformance.json');
    if (existsSync(custom)) {
      files.push({
        name: `${dir}/custom/conformance.json`,
        specVersion: dir.slice(1),
        path: custom,
        event: readJson(custom) as Record<string, unknown>,
        custom: true,
      });
    }
  }
  return files;
}

let oracle: Ajv2020 | undefined;

/** One Ajv holding every schema of every release: each $id carries its version, so none clash. */
function loadOracle(): Ajv2020 {
  if (oracle) return oracle;
  oracle = new Ajv2020({ strict: false, allErrors: true });
  addFormats(oracle);
  for (const dir of SPEC_DIRS) {
    for (const sub of ['schemas', 'schemas/links', 'custom']) {
      const folder = join(specDir, dir, sub);
      if (!existsSync(folder)) continue;
      for (const file of readdirSync(folder)) {
        if (!file.endsWith('.json') || file === 'conformance.json') continue;
        oracle.addSchema(readJson(join(folder, file)) as Record<string, unknown>);
      }
    }
  }
  return oracle;
}

const schemaIdByType = new Map<string, string>();

/**
 * The spec schema an event is checked against: the release's schema whose context.type enum
 * holds the event's type, or the release's custom schema for dev.cdeventsx types.
 */
export function oracleSchemaId(specVersion: string, event: unknown): string | undefined {
  const context = (event as { context?: { type?: unknown } } | null)?.context;
  const type = context?.type;
  if (typeof type !== 'string') return undefined;
  if (type.startsWith('dev.cdeventsx.')) return `https://cdevents.dev/${specVersion}/schema/custom`;
  if (schemaIdByType.size === 0) {
    for (const dir of SPEC_DIRS) {
      for (const file of listSchemaFiles(dir)) {
        if (file.type) schemaIdByType.set(`${file.specVersion}|${file.type}`, file.schema.$id as string);
      }
    }
  }
  return schemaIdByType.get(`${specVersion}|${type}`);
}

export function oracleValidator(schemaId: string): ValidateFunction {
  const validate = loadOracle().getSchema(schemaId);
  if (!validate) throw new Error(`the spec has no schema ${schemaId}`);
  return validate;
}

/** The spec's verdict with a given schema: true when valid. */
export function isValidBySpec(schemaId: string, event: unknown): boolean {
  return oracleValidator(schemaId)(event) as boolean;
}

/**
 * The spec's verdict on an event from the wild: dispatch on context.type across releases (0.5.1
 * before 0.5.0), custom events by their version field. undefined when no release defines the type.
 */
export function specVerdictForAnyRelease(event: unknown): boolean | undefined {
  const context = (event as { context?: Record<string, unknown> } | null)?.context;
  const type = context?.type;
  if (typeof type !== 'string') return undefined;
  if (type.startsWith('dev.cdeventsx.')) {
    return isValidBySpec(oracleSchemaId('specversion' in (context ?? {}) ? '0.5.1' : '0.4.1', event) as string, event);
  }
  for (const version of ['0.5.1', '0.5.0', '0.4.1', '0.3.0']) {
    const id = oracleSchemaId(version, event);
    if (id) return isValidBySpec(id, event);
  }
  return undefined;
}

/** Every file under a folder, recursively, ending in .json. */
export function listJsonFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...listJsonFiles(path));
    else if (entry.name.endsWith('.json')) found.push(path);
  }
  return found.sort();
}
