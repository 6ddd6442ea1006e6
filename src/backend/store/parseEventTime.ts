/**
 * context.timestamp as a time the database can order by, or null. Only RFC 3339
 * date-times count (PostgreSQL would also take "yesterday" or "epoch"), and the
 * calendar date must exist (V8's Date rolls Feb 31 over to March; PostgreSQL
 * refuses it). The fraction is cut to microseconds, PostgreSQL's precision.
 */
const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-](\d{2}):(\d{2}))$/;

export function parseEventTime(text: string | null | undefined): string | null {
  if (typeof text !== 'string') return null;
  const match = rfc3339.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, zone, zoneHour, zoneMinute] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const calendarOk =
    Number(year) >= 1 &&
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day);
  // Leap seconds (:60) are legal in RFC 3339 but not in PostgreSQL.
  const clockOk = Number(hour) <= 23 && Number(minute) <= 59 && Number(second) <= 59;
  const zoneOk = zoneHour === undefined || (Number(zoneHour) <= 23 && Number(zoneMinute) <= 59);
  if (!calendarOk || !clockOk || !zoneOk) return null;
  // Already in the form written below (the usual case): the text itself, with no new string to build and copy.
  if (text.charCodeAt(10) === 0x54 && zone !== 'z' && (fraction === undefined || fraction.length <= 6)) return text;
  const micros = fraction ? `.${fraction.slice(0, 6)}` : '';
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${micros}${zone!.toUpperCase()}`;
}
