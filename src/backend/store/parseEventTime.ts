/**
 * context.timestamp as a time the database can order by, or null. Only RFC 3339
 * date-times count (PostgreSQL would also take "yesterday" or "epoch"), and the
 * calendar date must exist (PostgreSQL refuses Feb 31). The fraction is cut to
 * microseconds, PostgreSQL's precision.
 *
 * Read character by character: it runs for every event ingested, and a regular
 * expression with a Date for the calendar check was a visible part of a batch.
 */

/** The value of the decimal digits at [from, to), or -1 when one is not a digit. */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let at = from; at < to; at++) {
    const digit = text.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function parseEventTime(text: string | null | undefined): string | null {
  // The shortest form: 2025-01-01T00:00:00Z.
  if (typeof text !== 'string' || text.length < 20) return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  // Leap seconds (:60) are legal in RFC 3339 but not in PostgreSQL.
  const second = digitsAt(text, 17, 19);
  const separator = text[10];
  if (
    text[4] !== '-' ||
    text[7] !== '-' ||
    (separator !== 'T' && separator !== 't' && separator !== ' ') ||
    text[13] !== ':' ||
    text[16] !== ':' ||
    year < 1 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return null;
  }
  let at = 19;
  if (text[at] === '.') {
    const fractionStart = ++at;
    while (at < text.length && digitsAt(text, at, at + 1) >= 0) at++;
    if (at === fractionStart) return null;
  }
  const fractionEnd = at;
  const zone = text.slice(at);
  if (zone !== 'Z' && zone !== 'z') {
    if (zone.length !== 6 || (zone[0] !== '+' && zone[0] !== '-') || zone[3] !== ':') return null;
    const zoneHour = digitsAt(zone, 1, 3);
    const zoneMinute = digitsAt(zone, 4, 6);
    if (zoneHour < 0 || zoneHour > 23 || zoneMinute < 0 || zoneMinute > 59) return null;
  }
  const fractionDigits = fractionEnd > 19 ? fractionEnd - 20 : 0;
  // Already in the form written below (the usual case): the text itself, with no new string to build and copy.
  if (separator === 'T' && zone !== 'z' && fractionDigits <= 6) return text;
  const micros = fractionDigits > 0 ? text.slice(19, Math.min(fractionEnd, 26)) : '';
  return `${text.slice(0, 10)}T${text.slice(11, 19)}${micros}${zone.toUpperCase()}`;
}
