/**
 * List cursors: a position in the list order (sort time desc, seq desc), made
 * opaque so clients pass it back unchanged. Keyset, not offset: pages stay
 * stable while new events arrive.
 */
import { BadRequestError } from '../errors';
import type { ListPosition } from '../store/types';

export function encodeCursor(position: ListPosition): string {
  return Buffer.from(`${position.sortMicros}.${position.seq}`, 'utf8').toString('base64url');
}

/** Throws BadRequestError naming the parameter when the text is not a cursor this server issued. */
export function parseCursor(text: string, parameter: string): ListPosition {
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(text) ? Buffer.from(text, 'base64url').toString('utf8') : '';
  const match = /^(-?\d{1,19})\.(\d{1,19})$/.exec(decoded);
  if (!match) throw new BadRequestError(`${parameter} is not a cursor this server issued: "${text}"`);
  return { sortMicros: match[1]!, seq: match[2]! };
}
