import { createHash } from 'crypto';

/**
 * The namespace of every id this backend derives (RFC 9562 UUIDv5). Fixed
 * forever: changing it would give every re-sent notification a new id and
 * defeat deduplication against events already stored or forwarded.
 */
const NAMESPACE = Uint8Array.from(Buffer.from('5b0e3f0c7a2d4c1e9f6a8b3d2e1c0a97', 'hex'));

/**
 * A UUIDv5 over the given parts, so the same Argo CD fact (app uid, operation
 * start, revisions, transition) always gets the same id, whichever controller
 * sent it and however often. Parts are JSON-encoded so ["a/b"] and ["a","b"] differ.
 */
export function buildDeterministicId(parts: ReadonlyArray<string | number | undefined>): string {
  const hash = createHash('sha1')
    .update(NAMESPACE)
    .update(JSON.stringify(parts.map((part) => part ?? null)))
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** JSON with object keys sorted, so equal values always serialise alike whatever their key order. */
export function stringifyStable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => stringifyStable(item ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stringifyStable(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A short digest of a value's stable JSON, for keys that must change when the value does. */
export function buildDigest(value: unknown): string {
  return createHash('sha256').update(stringifyStable(value)).digest('hex').slice(0, 16);
}
