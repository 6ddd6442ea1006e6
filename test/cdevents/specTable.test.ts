/**
 * Holds our spec tables against the spec's own schemas, so that a drift fails `npm test`:
 * for every schema file of every release, the validation facts of the schema we build from
 * our table (types, required fields, properties, additionalProperties, formats, enums,
 * minLength, patterns, array items) equal the facts of the spec's schema.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { SPEC_BUGS, SPEC_LINE_BY_VERSION, type SpecVersion } from '../../src/cdevents';
import {
  EMBEDDED_LINK_SCHEMAS,
  buildCustomEventSchema,
  buildEventSchema,
} from '../../src/cdevents/spec/buildEventSchema';
import { SPEC_DIRS, listSchemaFiles, specDir } from './specOracle';

type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$id', 'description', 'default', 'example', 'contentEncoding']);

/**
 * Flattens a schema into "path → facts" lines. The two places where our shape differs on
 * purpose (links: if/then instead of $ref to anyOf; customData: a type list instead of oneOf)
 * are reduced to one fact each and checked on their own below.
 */
function factsOf(schema: Schema, path = '', out: Record<string, string> = {}): Record<string, string> {
  if (path === '/properties/context/properties/links') {
    out[path] = 'embedded links array';
    return out;
  }
  if (path === '/properties/customData') {
    out[path] = 'object or string';
    return out;
  }
  const facts: Record<string, unknown> = {};
  for (const key of Object.keys(schema).sort()) {
    if (ANNOTATIONS.has(key)) continue;
    const value = schema[key];
    if (key === 'properties') {
      const properties = value as Record<string, Schema>;
      facts.properties = Object.keys(properties).sort();
      for (const name of Object.keys(properties)) factsOf(properties[name], `${path}/properties/${name}`, out);
    } else if (key === 'items') {
      factsOf(value as Schema, `${path}/items`, out);
    } else if (key === 'anyOf' || key === 'oneOf') {
      (value as Schema[]).forEach((branch, index) => factsOf(branch, `${path}/${key}/${index}`, out));
      facts[key] = (value as Schema[]).length;
    } else if (key === 'required') {
      // `required: []` (testcaserun.skipped) says the same as no required list.
      if ((value as string[]).length > 0) facts.required = [...(value as string[])].sort();
    } else {
      facts[key] = value;
    }
  }
  out[path || '/'] = JSON.stringify(facts);
  return out;
}

function keyOf(type: string): string {
  const [, , subject, predicate] = type.split('.');
  return `${subject}.${predicate}`;
}

const bugFiles = new Set(SPEC_BUGS.map((bug) => `${bug.specVersion}/${bug.schema.replace('schemas/', '')}`));

describe.each(SPEC_DIRS.map((dir) => [dir]))('our %s table', (dir) => {
  const specVersion = dir.slice(1) as SpecVersion;
  const line = SPEC_LINE_BY_VERSION[specVersion];
  const files = listSchemaFiles(dir);

  it('has exactly the event types and type versions of the release', () => {
    const fromSpec = Object.fromEntries(files.map((file) => [keyOf(file.type as string), file.type]));
    const ours = Object.fromEntries(
      Object.entries(line.types).map(([key, spec]) => [key, `dev.cdevents.${key}.${spec.version}`]),
    );
    expect(ours).toEqual(fromSpec);
    expect(Object.keys(ours)).toHaveLength(specVersion === '0.3.0' ? 39 : 45);
  });

  it.each(
    files.filter((file) => !bugFiles.has(`${specVersion}/${file.file}`)).map((file) => [file.file, file] as const),
  )('%s: same required fields, properties, formats and enums as the spec schema', (_file, file) => {
    expect(factsOf(buildEventSchema(line, keyOf(file.type as string)))).toEqual(factsOf(file.schema));
  });

  if (line.custom) {
    it('custom/schema.json: same facts as the spec custom schema', () => {
      const spec = JSON.parse(readFileSync(join(specDir, dir, 'custom', 'schema.json'), 'utf8')) as Schema;
      expect(factsOf(buildCustomEventSchema(line))).toEqual(factsOf(spec));
    });
  }

  if (line.links) {
    it.each(['PATH', 'RELATION', 'END'] as const)(
      'embedded %s links: same facts as the spec link schema',
      (linkType) => {
        const file = `embeddedlink${linkType.toLowerCase()}.json`;
        const spec = JSON.parse(readFileSync(join(specDir, dir, 'schemas', 'links', file), 'utf8')) as Schema;
        expect(factsOf(EMBEDDED_LINK_SCHEMAS[linkType])).toEqual(factsOf(spec));
      },
    );

    it('links are an array of PATH, RELATION or END links, as embeddedlinksarray.json says', () => {
      const spec = JSON.parse(
        readFileSync(join(specDir, dir, 'schemas', 'links', 'embeddedlinksarray.json'), 'utf8'),
      ) as Schema;
      const refs = ((spec.items as Schema).anyOf as Schema[]).map((branch) => branch.$ref).sort();
      expect(refs).toEqual(['embeddedlinkend', 'embeddedlinkpath', 'embeddedlinkrelation']);
    });
  }
});

describe('the spec bugs we list', () => {
  it.each(SPEC_BUGS.map((bug) => [`${bug.specVersion} ${bug.type}`, bug] as const))(
    '%s differs from our definition only where the bug is, and ours equals 0.5.1',
    (_name, bug) => {
      const file = listSchemaFiles(`v${bug.specVersion}` as (typeof SPEC_DIRS)[number]).find((candidate) =>
        bug.schema.endsWith(candidate.file),
      );
      expect(file).toBeDefined();
      const ours = factsOf(buildEventSchema(SPEC_LINE_BY_VERSION['0.5.0'], bug.type));
      const theirs = factsOf((file as { schema: Schema }).schema);
      const differing = Object.keys({ ...ours, ...theirs }).filter((path) => ours[path] !== theirs[path]);
      expect(differing).toEqual(['/properties/context']);
      expect(JSON.parse(theirs['/properties/context']).required).toContain('version');
      expect(ours).toEqual(factsOf(buildEventSchema(SPEC_LINE_BY_VERSION['0.5.1'], bug.type)));
    },
  );
});
