/** Reads a string at a path in an event payload; undefined when absent or not a non-empty string/number. */
export function readString(payload: unknown, path: readonly string[]): string | undefined {
  let value: unknown = payload;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** subject.content of a CDEvent, or an empty object. */
export function readContent(payload: unknown): Record<string, unknown> {
  if (typeof payload !== 'object' || payload === null) return {};
  const subject = (payload as { subject?: unknown }).subject;
  if (typeof subject !== 'object' || subject === null) return {};
  const content = (subject as { content?: unknown }).content;
  return typeof content === 'object' && content !== null && !Array.isArray(content)
    ? (content as Record<string, unknown>)
    : {};
}
