import type { ParsedEventType } from './types';

const STANDARD = /^dev\.cdevents\.([a-z]+)\.([a-z]+)\.(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/;
const CUSTOM = /^dev\.cdeventsx\.([a-zA-Z0-9]+)-([a-zA-Z]+)\.([a-zA-Z]+)\.(\d+\.\d+\.\d+)$/;

/** Splits a CDEvents type string; undefined when it is not one. */
export function parseEventType(type: unknown): ParsedEventType | undefined {
  if (typeof type !== 'string') return undefined;
  const standard = STANDARD.exec(type);
  if (standard) return { subject: standard[1], predicate: standard[2], version: standard[3], custom: false };
  const custom = CUSTOM.exec(type);
  if (custom) return { tool: custom[1], subject: custom[2], predicate: custom[3], version: custom[4], custom: true };
  return undefined;
}
