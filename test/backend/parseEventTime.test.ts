/**
 * context.timestamp → the time events are ordered by: RFC 3339 date-times only,
 * dates that exist, PostgreSQL's precision. Anything else is null, and the event
 * is ordered by its receipt time instead.
 */
import { parseEventTime } from '../../src/backend/store/parseEventTime';

describe('parseEventTime', () => {
  it.each([
    ['2025-03-01T10:00:00Z', '2025-03-01T10:00:00Z'],
    ['2025-03-01T10:00:00.123Z', '2025-03-01T10:00:00.123Z'],
    ['2025-03-01T10:00:00.123456+02:00', '2025-03-01T10:00:00.123456+02:00'],
    ['2025-03-01T10:00:00-05:30', '2025-03-01T10:00:00-05:30'],
  ])('keeps %s as it is, already in stored form', (text, stored) => {
    expect(parseEventTime(text)).toBe(stored);
  });

  it.each([
    ['2025-03-01t10:00:00z', '2025-03-01T10:00:00Z'],
    ['2025-03-01 10:00:00Z', '2025-03-01T10:00:00Z'],
    ['2025-03-01T10:00:00.123456789Z', '2025-03-01T10:00:00.123456Z'],
    ['2025-03-01T10:00:00.9999999+01:00', '2025-03-01T10:00:00.999999+01:00'],
  ])('writes %s in stored form, the fraction cut to microseconds', (text, stored) => {
    expect(parseEventTime(text)).toBe(stored);
  });

  it.each([
    ['2024-02-29T00:00:00Z', 'a leap day'],
    ['2000-02-29T00:00:00Z', 'a leap day of a year divisible by 400'],
    ['0050-03-01T10:00:00Z', 'a year below 100 (PostgreSQL stores it)'],
    ['9999-12-31T23:59:59Z', 'the last second PostgreSQL is asked about here'],
  ])('accepts %s: %s', (text) => {
    expect(parseEventTime(text)).toBe(text);
  });

  it.each([
    ['2023-02-29T00:00:00Z', 'no leap day that year'],
    ['1900-02-29T00:00:00Z', 'no leap day in a century not divisible by 400'],
    ['2025-04-31T00:00:00Z', 'April has 30 days'],
    ['2025-13-01T00:00:00Z', 'month 13'],
    ['2025-00-10T00:00:00Z', 'month 0'],
    ['2025-01-00T00:00:00Z', 'day 0'],
    ['0000-01-01T00:00:00Z', 'year 0'],
    ['2025-01-01T24:00:00Z', 'hour 24'],
    ['2025-01-01T10:60:00Z', 'minute 60'],
    ['2016-12-31T23:59:60Z', 'a leap second, which PostgreSQL refuses'],
    ['2025-01-01T10:00:00+24:00', 'a zone 24 hours away'],
    ['2025-01-01T10:00:00+05:60', 'a zone minute of 60'],
    ['2025-01-01T10:00:00+0530', 'a zone without its colon'],
    ['2025-01-01T10:00:00', 'no zone'],
    ['2025-01-01T10:00:00.Z', 'a point without a fraction'],
    ['2025-01-01T10:00:00.12aZ', 'a letter in the fraction'],
    ['2025-01-01', 'a date alone'],
    [' 2025-01-01T10:00:00Z', 'a leading space'],
    ['2025-01-01T10:00:00Z ', 'a trailing space'],
    ['2025-01-01X10:00:00Z', 'another separator'],
    ['yesterday', 'a word PostgreSQL would read'],
    ['epoch', 'a word PostgreSQL would read'],
  ])('refuses %s: %s', (text) => {
    expect(parseEventTime(text)).toBeNull();
  });

  it('refuses what is not a string', () => {
    expect(parseEventTime(null)).toBeNull();
    expect(parseEventTime(undefined)).toBeNull();
    expect(parseEventTime(1735689600000 as unknown as string)).toBeNull();
  });
});
