import type { Verdict } from './types';

/**
 * STUB, to be replaced by the real validator (definitions written here, run by Ajv).
 * Dispatches on context.type and the spec version; never throws.
 */
export function validateEvent(input: unknown): Verdict {
  if (typeof input !== 'object' || input === null) {
    return { status: 'invalid', problems: [{ pointer: '', message: 'must be a JSON object' }] };
  }
  return { status: 'valid', specVersion: '0.5.1' };
}
