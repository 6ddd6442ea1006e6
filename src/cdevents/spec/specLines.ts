/**
 * Every spec line we know, and the lookups validation and the builders dispatch on.
 * 0.5.0 is 0.5.1 with another version string: the two releases differ only in the three
 * schemas 0.5.0 broke (irregularities.ts SPEC_BUGS), which we describe as fixed.
 */
import type { SpecVersion } from '../types';
import { type EventTypeSpec, type SpecLine, defineSpecLine } from './specLine';
import { specV0_3_0 } from './specV0_3_0';
import { specV0_4_1 } from './specV0_4_1';
import { specV0_5_1 } from './specV0_5_1';

export { specV0_3_0, specV0_4_1, specV0_5_1 };
export const specV0_5_0 = /* @__PURE__ */ defineSpecLine({ ...specV0_5_1, specVersion: '0.5.0' });

export const SPEC_LINES: readonly SpecLine[] = [specV0_5_1, specV0_5_0, specV0_4_1, specV0_3_0];

export const SPEC_LINE_BY_VERSION: Readonly<Record<SpecVersion, SpecLine>> = {
  '0.5.1': specV0_5_1,
  '0.5.0': specV0_5_0,
  '0.4.1': specV0_4_1,
  '0.3.0': specV0_3_0,
};

export function isSpecVersion(value: unknown): value is SpecVersion {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SPEC_LINE_BY_VERSION, value);
}

/** The full type string of one table entry, e.g. "dev.cdevents.service.deployed.0.3.0". */
export function buildTypeString(key: string, typeVersion: string): string {
  return `dev.cdevents.${key}.${typeVersion}`;
}

export interface TypeLocation {
  line: SpecLine;
  key: string;
  spec: EventTypeSpec;
}

let typeIndex: Map<string, TypeLocation[]> | undefined;

/** Every spec line that defines this exact type string (0.5.0 and 0.5.1 share theirs). */
export function findLinesOfType(type: string): TypeLocation[] {
  if (!typeIndex) {
    typeIndex = new Map();
    for (const line of SPEC_LINES) {
      for (const [key, spec] of Object.entries(line.types)) {
        const typeString = buildTypeString(key, spec.version);
        const found = typeIndex.get(typeString) ?? [];
        found.push({ line, key, spec });
        typeIndex.set(typeString, found);
      }
    }
  }
  return typeIndex.get(type) ?? [];
}
