const UNITS: ReadonlyArray<[limitSeconds: number, unitSeconds: number, name: string]> = [
  [60, 1, 'second'],
  [3600, 60, 'minute'],
  [86400, 3600, 'hour'],
  [86400 * 30, 86400, 'day'],
  [86400 * 365, 86400 * 30, 'month'],
  [Infinity, 86400 * 365, 'year'],
];

/** "3 minutes ago", "in 2 hours" (clock skew between tools is common), "just now". Empty for an unparsable time. */
export function formatRelativeTime(iso: string, now: number): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const seconds = Math.round((now - at) / 1000);
  const distance = Math.abs(seconds);
  if (distance < 5) return 'just now';
  for (const [limit, unit, name] of UNITS) {
    if (distance < limit) {
      const count = Math.floor(distance / unit);
      const label = `${count} ${name}${count === 1 ? '' : 's'}`;
      return seconds >= 0 ? `${label} ago` : `in ${label}`;
    }
  }
  return '';
}

/** The exact time in UTC, e.g. "2026-11-24 06:52:46 UTC": the same for everyone reading a shared link. */
export function formatAbsoluteTime(iso: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  return new Date(at)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

/** The day an event belongs to, in UTC, e.g. "2026-11-24". */
export function formatDay(iso: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'Unknown day';
  return new Date(at).toISOString().slice(0, 10);
}
