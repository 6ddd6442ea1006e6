/** Where Argo CD's proxy extension for this backend lives, relative to the page's base href. */
export const API_PREFIX = 'extensions/cdevents/api/v1/';

export type QueryValue = string | number | readonly string[] | undefined | null;

/**
 * Builds every backend URL: resolved against `baseURI` (Argo CD's <base href>), never
 * `/`-absolute, so installs under --rootpath or --basehref work. Each path segment is
 * encoded; undefined, null, empty strings and empty lists are left out of the query;
 * lists are joined with commas.
 */
export function buildApiUrl(
  segments: readonly string[],
  query: Readonly<Record<string, QueryValue>> = {},
  baseURI: string = document.baseURI,
): string {
  const url = new URL(API_PREFIX + segments.map((segment) => encodeURIComponent(segment)).join('/'), baseURI);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' || typeof value === 'number' ? String(value) : value.join(',');
    if (text === '') continue;
    url.searchParams.set(key, text);
  }
  return url.toString();
}
