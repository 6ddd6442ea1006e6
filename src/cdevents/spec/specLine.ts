import type { SpecVersion } from '../types';
import type { Fields } from './fields';

/** One event type of one spec line: its own version and its subject content. */
export interface EventTypeSpec {
  readonly version: string;
  readonly content: Fields;
}

/**
 * One spec release described as data. The context and subject envelope differ
 * between lines in a few fixed ways, named here; the per-type content is in `types`,
 * keyed "<subject>.<predicate>" exactly as the type string spells them (lower case).
 */
export interface SpecLine<T extends Readonly<Record<string, EventTypeSpec>> = Readonly<Record<string, EventTypeSpec>>> {
  readonly specVersion: SpecVersion;
  /** The context field that carries the spec version: `version` up to 0.4, `specversion` from 0.5. */
  readonly versionField: 'version' | 'specversion';
  /** Up to 0.4 the subject carries a required `type` naming the subject (see irregularities.ts). */
  readonly subjectType: boolean;
  /** context.schemaUri, chainId and links exist from 0.4 on. */
  readonly links: boolean;
  /** Whether the release defines custom (`dev.cdeventsx`) events; 0.3.0 does not. */
  readonly custom: boolean;
  readonly types: T;
}

export function defineSpecLine<const T extends Readonly<Record<string, EventTypeSpec>>>(
  line: SpecLine<T>,
): SpecLine<T> {
  return line;
}
