/**
 * The opaque key of a stored event, derived from its seq. Clients must not
 * parse it; it is base-36 so it stays short in URLs.
 */
const keyPattern = /^e([0-9a-z]{1,12})$/;

export function encodeEventKey(seq: string | number | bigint): string {
  return `e${BigInt(seq).toString(36)}`;
}

/** The seq behind a key (decimal string), or undefined when the key is not one we issue. */
export function parseEventKey(key: string): string | undefined {
  const match = keyPattern.exec(key);
  if (!match) return undefined;
  let seq = 0n;
  for (const digit of match[1]!) seq = seq * 36n + BigInt(parseInt(digit, 36));
  return seq <= 9_223_372_036_854_775_807n ? seq.toString() : undefined;
}
