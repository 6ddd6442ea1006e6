/**
 * The href for a value from an event payload, only when it is an absolute http(s) URL.
 * Payloads come from any tool that can reach the ingest route, so `javascript:`, `data:`
 * and relative values must never become links; the caller shows them as text.
 */
export function toSafeHref(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
}
